// Minor-unit digits per ISO 4217 currency and the money helpers every package uses to print amounts.
import { type Decimal, parseDecimal } from './decimal';
import type { DecimalInput } from './types';

// One table for the whole product (STYLE.md "Money"); anything not listed has 2 digits.
const CURRENCY_DIGITS: Readonly<Record<string, number>> = {
  SAR: 2,
  AED: 2,
  USD: 2,
  EUR: 2,
  GBP: 2,
  KWD: 3,
  BHD: 3,
  OMR: 3,
  JOD: 3,
  TND: 3,
  LYD: 3,
  IQD: 3,
  JPY: 0,
  KRW: 0,
};

/** Digits after the decimal point for a currency's amounts (ISO 4217 minor unit); 2 when unknown. */
export function currencyDigits(code: string): number {
  return CURRENCY_DIGITS[code.toUpperCase()] ?? 2;
}

/** Rounds to the currency's digits, half-up, and prints exactly that many digits. */
export function roundDecimal(value: Decimal, digits: number): string {
  return value.toFixed(digits);
}

/**
 * Rounds a decimal string to the currency, half-up: roundMoney("0.125", "SAR") → "0.13", ("2.5", "JPY") → "3".
 * Throws a RangeError for a value that is not a decimal: this helper is for trusted values, not user input.
 */
export function roundMoney(value: string, currency: string): string {
  return requireDecimal(value).toFixed(currencyDigits(currency));
}

/**
 * A unit price as an answer carries it: its own precision, but at least the currency's digits:
 * unitPriceText("45", "SAR") → "45.00", ("0.125", "SAR") → "0.125", ("45", "KWD") → "45.000".
 */
export function unitPriceText(value: string, currency: string): string {
  const price = requireDecimal(value);
  const digits = currencyDigits(currency);
  return price.decimalPlaces() < digits ? price.toFixed(digits) : price.toPlain();
}

/**
 * Formats an amount for people, exactly (no float on the way): formatAmount("5750", "SAR") → "SAR 5,750.00";
 * formatAmount("5750", "SAR", "ar-SA") uses Arabic-Indic digits. The digits always follow the currency table.
 */
export function formatAmount(value: DecimalInput, currency: string, locale = 'en-US'): string {
  const digits = currencyDigits(currency);
  const rounded = requireDecimal(value).toFixed(digits) as `${number}`;
  // Intl formats a decimal string exactly (ECMA-402 NumberFormat v3), so large amounts keep every digit.
  return numberFormat(locale, currency, digits).format(rounded);
}

// Building an Intl.NumberFormat costs far more than using one: keep one per locale and currency.
const formats = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string, currency: string, digits: number): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      currencyDisplay: 'code',
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    formats.set(key, format);
  }
  return format;
}

function requireDecimal(value: DecimalInput): Decimal {
  const parsed = parseDecimal(value);
  if (!parsed) throw new RangeError(`Not a decimal amount: ${String(value)}`);
  return parsed;
}
