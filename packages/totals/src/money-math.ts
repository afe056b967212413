// Arithmetic on stored amounts (payments, allocations, receivables): decimal strings in, decimal strings out,
// rounded to the currency half-up. Callers outside this package never see big.js and never use a float.
import { currencyDigits } from './currency';
import { Big, type Decimal, parseDecimal, ZERO } from './decimal';

function dec(value: string): Decimal {
  const parsed = parseDecimal(value);
  if (!parsed) throw new RangeError(`Not a decimal amount: ${value}`);
  return parsed;
}

/** a + b + … rounded to the currency: sumMoney(["0.10", "0.20"], "SAR") → "0.30". */
export function sumMoney(values: readonly string[], currency: string): string {
  let total = ZERO;
  for (const value of values) total = total.plus(dec(value));
  return total.toFixed(currencyDigits(currency));
}

/** a − b rounded to the currency (may be negative). */
export function subtractMoney(a: string, b: string, currency: string): string {
  return dec(a).minus(dec(b)).toFixed(currencyDigits(currency));
}

/** −1, 0 or 1 as a is below, equal to or above b ("5.0" equals "5.00"). */
export function compareMoney(a: string, b: string): -1 | 0 | 1 {
  return dec(a).cmp(dec(b));
}

/** The smaller of two amounts, rounded to the currency. */
export function minMoney(a: string, b: string, currency: string): string {
  return (compareMoney(a, b) <= 0 ? dec(a) : dec(b)).toFixed(currencyDigits(currency));
}

/** max(0, value) rounded to the currency: what is left can never be less than nothing. */
export function nonNegativeMoney(value: string, currency: string): string {
  const parsed = dec(value);
  return (parsed.isNegative() ? ZERO : parsed).toFixed(currencyDigits(currency));
}

/** Whether the amount has no more decimal places than the currency has (10.005 SAR has too many). */
export function fitsCurrency(value: string, currency: string): boolean {
  return dec(value).decimalPlaces() <= currencyDigits(currency);
}

/**
 * Integer minor units (seed 003's `amount_cents`) as a decimal amount: fromMinorUnits(50000, "SAR") → "500.00",
 * (1500, "KWD") → "1.500", (700, "JPY") → "700".
 */
export function fromMinorUnits(units: number | string | bigint, currency: string): string {
  const text = String(units);
  if (!/^-?\d+$/.test(text)) throw new RangeError(`Not an integer number of minor units: ${text}`);
  const digits = currencyDigits(currency);
  return Big(text).div(Big(10).pow(digits)).toFixed(digits);
}

/**
 * A decimal amount in integer minor units, the inverse of fromMinorUnits: toMinorUnits("500.00", "EUR") → 50000.
 * Rounded to the currency first (half-up); null when the count is beyond what a JSON number carries exactly.
 */
export function toMinorUnits(value: string, currency: string): number | null {
  const digits = currencyDigits(currency);
  const units = Big(dec(value).toFixed(digits)).times(Big(10).pow(digits));
  const count = Number(units.toFixed(0));
  return Number.isSafeInteger(count) ? count : null;
}

/**
 * The VAT inside an amount that includes it, rounded to the currency (half-up):
 * includedVat("121.00", "21", "EUR") → "21.00". The rate is a percent.
 */
export function includedVat(gross: string, ratePercent: string, currency: string): string {
  const rate = Big(dec(ratePercent).toPlain());
  return Big(dec(gross).toPlain()).times(rate).div(rate.plus(100)).toFixed(currencyDigits(currency));
}

/** An amount times an exchange rate, rounded to the target currency: convertMoney("10.00", "1.1", "USD") → "11.00". */
export function convertMoney(amount: string, rate: string, toCurrency: string): string {
  return dec(amount).times(dec(rate)).toFixed(currencyDigits(toCurrency));
}

/**
 * A decimal amount as exact integer minor units for change-making: ("500.00", "SAR") → 50000n. The amount
 * must fit the currency (fitsCurrency); a finer one is refused rather than rounded.
 */
export function exactMinorUnits(value: string, currency: string): bigint {
  const digits = currencyDigits(currency);
  const parsed = dec(value);
  if (parsed.decimalPlaces() > digits) throw new RangeError(`More digits than ${currency} has: ${value}`);
  return BigInt(Big(parsed.toFixed(digits)).times(Big(10).pow(digits)).toFixed(0));
}
