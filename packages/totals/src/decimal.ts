// One decimal type for the whole engine: big.js with its own constructor so no other package's configuration
// (DP, RM) can leak in. Money is never a JavaScript float (STYLE.md, "Money").
import BigJs from 'big.js';
import type { DecimalInput } from './types';

export type Decimal = BigJs;

/** The engine's Big constructor: half-up rounding as EN 16931 and ZATCA use (BR-CO-17, BR-KSA-DEC-03). */
export const Dec = BigJs();
Dec.RM = Dec.roundHalfUp;
// Quotients (price / base quantity) are kept to 20 places before rounding to the currency.
Dec.DP = 20;

export const ZERO = Dec(0);
export const ONE = Dec(1);
/** Multiplying by 0.01 is exact and far cheaper than dividing by 100. */
export const HUNDREDTH = Dec('0.01');

/**
 * Reads a user value as a decimal. Numbers go through String(n) so 0.1 stays 0.1.
 * Returns undefined for anything that is not a finite decimal (the caller reports the issue).
 */
export function parseDecimal(value: DecimalInput | null | undefined): Decimal | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    return Dec(String(value));
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  try {
    // big.js validates with its own pattern (sign, digits, point, exponent) and throws on anything else;
    // invalid input is rare (a user typing), valid input should not pay for a second regular expression.
    if (text.charCodeAt(0) !== PLUS) return Dec(text);
    return text.charCodeAt(1) === MINUS ? undefined : Dec(text.slice(1));
  } catch {
    return undefined;
  }
}

const PLUS = 43;
const MINUS = 45;

export function isZero(value: Decimal): boolean {
  return value.c[0] === 0;
}

export function isNegative(value: Decimal): boolean {
  return value.s < 0 && value.c[0] !== 0;
}

/**
 * value.toFixed(digits), without big.js's rounding copy when the value already has no more decimals than that
 * (the usual case: the engine rounds before it prints). Output is identical, including "0.00" for −0.
 */
export function toFixedDigits(value: Decimal, digits: number): string {
  const { c, e } = value;
  const length = c.length;
  const places = length - e - 1;
  if (places > digits || e + 1 + digits > 15) return value.toFixed(digits);
  // Up to 15 digits the scaled value is an exact integer in a double: one String() instead of big.js's copy.
  let scaled = 0;
  for (let i = 0; i < length; i++) scaled = scaled * 10 + (c[i] as number);
  for (let i = places; i < digits; i++) scaled *= 10;
  let text = String(scaled);
  if (digits > 0) {
    if (text.length <= digits) text = text.padStart(digits + 1, '0');
    text = `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  }
  return value.s < 0 && scaled !== 0 ? `-${text}` : text;
}

/** Number of significant decimal places (trailing zeros do not count: "2.000000" has 0). */
export function decimalPlaces(value: Decimal): number {
  return Math.max(0, value.c.length - value.e - 1);
}

/** Plain notation without exponent and without trailing zeros: "15.00" → "15", "1e-7" → "0.0000001". */
export function toPlain(value: Decimal): string {
  return toFixedDigits(value, decimalPlaces(value));
}
