import { describe, expect, it } from 'vitest';
import { currencyDigits, defaultVatRate, formatAmount, roundMoney } from './index';

describe('currency helpers', () => {
  it.each([
    ['SAR', 2],
    ['aed', 2],
    ['KWD', 3],
    ['BHD', 3],
    ['OMR', 3],
    ['JPY', 0],
    ['KRW', 0],
    ['CHF', 2],
  ])('%s has %i digits', (code, digits) => {
    expect(currencyDigits(code)).toBe(digits);
  });

  it('rounds half-up (away from zero) to the currency', () => {
    expect(roundMoney('0.125', 'SAR')).toBe('0.13');
    expect(roundMoney('-0.125', 'SAR')).toBe('-0.13');
    expect(roundMoney('1.0045', 'KWD')).toBe('1.005');
    expect(roundMoney('2.5', 'JPY')).toBe('3');
    expect(roundMoney('7', 'SAR')).toBe('7.00');
  });

  it('formats exactly, beyond float precision', () => {
    expect(formatAmount('12345678901234567.895', 'SAR')).toBe('SAR\u00a012,345,678,901,234,567.90');
    expect(formatAmount(5750, 'KWD')).toBe('KWD\u00a05,750.000');
  });

  it('gives default VAT rates per jurisdiction', () => {
    expect(defaultVatRate('zatca', 'S')).toBe('15');
    expect(defaultVatRate('zatca', 'Z')).toBe('0');
    expect(defaultVatRate('pint-ae', 'S')).toBe('5');
    expect(defaultVatRate('en16931', 'S')).toBeUndefined();
  });
});
