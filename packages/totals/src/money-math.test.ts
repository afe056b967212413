import { describe, expect, it } from 'vitest';
import {
  compareMoney,
  fitsCurrency,
  fromMinorUnits,
  minMoney,
  nonNegativeMoney,
  subtractMoney,
  sumMoney,
} from './index';

describe('money arithmetic on decimal strings', () => {
  it('adds exactly where floats do not (0.1 + 0.2)', () => {
    expect(sumMoney(['0.1', '0.2'], 'SAR')).toBe('0.30');
    expect(sumMoney([], 'KWD')).toBe('0.000');
    expect(
      sumMoney(
        Array.from({ length: 10 }, () => '0.10'),
        'SAR',
      ),
    ).toBe('1.00');
    expect(sumMoney(['999999999999.99', '0.01'], 'SAR')).toBe('1000000000000.00');
  });

  it('subtracts, compares and clamps', () => {
    expect(subtractMoney('5750.00', '2500.5', 'SAR')).toBe('3249.50');
    expect(subtractMoney('1', '1.5', 'SAR')).toBe('-0.50');
    expect(compareMoney('5.0', '5.00')).toBe(0);
    expect(compareMoney('5.01', '5')).toBe(1);
    expect(compareMoney('-1', '0')).toBe(-1);
    expect(minMoney('10', '9.999', 'KWD')).toBe('9.999');
    expect(nonNegativeMoney('-3.20', 'SAR')).toBe('0.00');
    expect(nonNegativeMoney('3.2', 'SAR')).toBe('3.20');
  });

  it('knows when an amount has more digits than its currency', () => {
    expect(fitsCurrency('10.00', 'SAR')).toBe(true);
    expect(fitsCurrency('10.005', 'SAR')).toBe(false);
    expect(fitsCurrency('10.005', 'KWD')).toBe(true);
    expect(fitsCurrency('10.5', 'JPY')).toBe(false);
  });

  it('reads integer minor units per currency', () => {
    expect(fromMinorUnits(50000, 'SAR')).toBe('500.00');
    expect(fromMinorUnits(1500, 'KWD')).toBe('1.500');
    expect(fromMinorUnits(700, 'JPY')).toBe('700');
    expect(fromMinorUnits('1', 'AED')).toBe('0.01');
    expect(() => fromMinorUnits('1.5', 'SAR')).toThrow(RangeError);
  });
});
