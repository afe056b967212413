// One decimal type for the whole engine, exact and cheap. A value is an integer number of units over a power of ten
// (12.50 is 1250 × 10⁻²) while that integer is a safe double (|units| ≤ 2⁵³ − 1): then +, −, × and half-up rounding
// are exact integer operations on doubles, with no digit arrays to allocate and no pattern to match. Whatever does
// not fit (a larger value, an exponent, a quotient) is handed to big.js, and every result computed from a big.js
// value stays one, so every answer is big.js's. decimal.test.ts checks that both paths print the same, value by
// value and invoice by invoice. Money is never a JavaScript float (STYLE.md, "Money").
import BigJs from 'big.js';
import type { DecimalInput } from './types';

/** The engine's Big constructor: half-up rounding as EN 16931 and ZATCA use (BR-CO-17, BR-KSA-DEC-03). */
export const Big = BigJs();
Big.RM = Big.roundHalfUp;
// Quotients (price / base quantity) are kept to 20 places before rounding to the currency.
Big.DP = 20;

type BigValue = BigJs;

const MINUS = 45;
const PLUS = 43;
const POINT = 46;
const DIGIT_0 = 48;
const DIGIT_9 = 57;

const MAX_UNITS = Number.MAX_SAFE_INTEGER;
/** Scales up to 22: every power of ten up to 10²² is exact in a double. */
const MAX_SCALE = 22;
const POWERS_OF_TEN: readonly number[] = (() => {
  const powers = [1];
  for (let n = 1; n <= MAX_SCALE; n++) powers.push((powers[n - 1] as number) * 10);
  return powers;
})();

function powerOfTen(n: number): number {
  return POWERS_OF_TEN[n] as number;
}

/** units × 10^n, or NaN when that is not a safe integer: NaN fails every later bound, sending the caller to big.js. */
function scaleUp(units: number, n: number): number {
  if (n === 0) return units;
  const scaled = units * powerOfTen(n);
  return Math.abs(scaled) <= MAX_UNITS ? scaled : Number.NaN;
}

/** |units| / divisor rounded half-up (away from zero at .5, as big.js's roundHalfUp); % and / are exact here. */
function roundedMagnitude(units: number, divisor: number): number {
  const magnitude = Math.abs(units);
  const remainder = magnitude % divisor;
  const quotient = (magnitude - remainder) / divisor;
  return remainder * 2 >= divisor ? quotient + 1 : quotient;
}

export class Decimal {
  private constructor(
    /** An integer, |units| ≤ 2⁵³ − 1; 0 when the value is held by `big`. */
    private readonly units: number,
    /** Digits after the point, 0 to 22. */
    private readonly scale: number,
    /** The value, when it did not fit in units and scale. */
    private readonly big: BigValue | undefined,
  ) {}

  /** units × 10^-scale for a safe integer number of units: Decimal.of(15) is 15, Decimal.of(1, 2) is 0.01. */
  static of(units: number, scale = 0): Decimal {
    if (!Number.isSafeInteger(units) || !Number.isInteger(scale) || scale < 0 || scale > MAX_SCALE) {
      throw new RangeError(`Not a safe number of units and scale: ${units}, ${scale}`);
    }
    return new Decimal(units, scale, undefined);
  }

  /** Reads plain notation ("-12.50", "7", ".5", "3."); undefined for any other form or more digits than fit. */
  static parsePlain(text: string): Decimal | undefined {
    const length = text.length;
    const isNegative = text.charCodeAt(0) === MINUS;
    let units = 0;
    let digits = 0;
    let point = -1;
    for (let i = isNegative ? 1 : 0; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code >= DIGIT_0 && code <= DIGIT_9) {
        units = units * 10 + (code - DIGIT_0);
        if (units > MAX_UNITS) return undefined;
        digits++;
      } else if (code === POINT && point < 0) {
        point = i;
      } else {
        return undefined;
      }
    }
    const scale = point < 0 ? 0 : length - point - 1;
    if (digits === 0 || scale > MAX_SCALE) return undefined;
    return new Decimal(isNegative ? -units : units, scale, undefined);
  }

  /** A value held by big.js, and so is everything computed from it. */
  static fromBig(value: BigValue): Decimal {
    return new Decimal(0, 0, value);
  }

  private toBig(): BigValue {
    return this.big ?? Big(this.toFixed(this.scale));
  }

  plus(other: Decimal): Decimal {
    if (this.big === undefined && other.big === undefined) {
      const scale = Math.max(this.scale, other.scale);
      const sum = scaleUp(this.units, scale - this.scale) + scaleUp(other.units, scale - other.scale);
      // A true sum beyond 2⁵³ − 1 rounds to at least 2⁵³, so the bound is checked on the exact value.
      if (Math.abs(sum) <= MAX_UNITS) return new Decimal(sum, scale, undefined);
    }
    return Decimal.fromBig(this.toBig().plus(other.toBig()));
  }

  minus(other: Decimal): Decimal {
    if (this.big === undefined && other.big === undefined) {
      const scale = Math.max(this.scale, other.scale);
      const difference = scaleUp(this.units, scale - this.scale) - scaleUp(other.units, scale - other.scale);
      if (Math.abs(difference) <= MAX_UNITS) return new Decimal(difference, scale, undefined);
    }
    return Decimal.fromBig(this.toBig().minus(other.toBig()));
  }

  times(other: Decimal): Decimal {
    if (this.big === undefined && other.big === undefined) {
      const product = this.units * other.units;
      const scale = this.scale + other.scale;
      if (Math.abs(product) <= MAX_UNITS && scale <= MAX_SCALE) return new Decimal(product, scale, undefined);
    }
    return Decimal.fromBig(this.toBig().times(other.toBig()));
  }

  /** Always big.js: its quotient is rounded to Big.DP places, a rounding the result must keep. */
  div(other: Decimal): Decimal {
    return Decimal.fromBig(this.toBig().div(other.toBig()));
  }

  negated(): Decimal {
    return this.big === undefined
      ? new Decimal(-this.units, this.scale, undefined)
      : Decimal.fromBig(this.big.neg());
  }

  /** Rounded half-up to `digits` decimals (big.js round). */
  round(digits: number): Decimal {
    if (this.big !== undefined) return Decimal.fromBig(this.big.round(digits));
    if (this.scale <= digits) return this;
    const magnitude = roundedMagnitude(this.units, powerOfTen(this.scale - digits));
    return new Decimal(this.units < 0 ? -magnitude : magnitude, digits, undefined);
  }

  cmp(other: Decimal): -1 | 0 | 1 {
    if (this.big === undefined && other.big === undefined) {
      const scale = Math.max(this.scale, other.scale);
      const a = scaleUp(this.units, scale - this.scale);
      const b = scaleUp(other.units, scale - other.scale);
      if (a > b) return 1;
      if (a < b) return -1;
      if (a === b) return 0;
    }
    return this.toBig().cmp(other.toBig()) as -1 | 0 | 1;
  }

  eq(other: Decimal): boolean {
    return this.cmp(other) === 0;
  }

  gt(other: Decimal): boolean {
    return this.cmp(other) > 0;
  }

  lt(other: Decimal): boolean {
    return this.cmp(other) < 0;
  }

  lte(other: Decimal): boolean {
    return this.cmp(other) <= 0;
  }

  isZero(): boolean {
    return this.big === undefined ? this.units === 0 : this.big.c[0] === 0;
  }

  /** Below zero (big.js's −0 is not). */
  isNegative(): boolean {
    return this.big === undefined ? this.units < 0 : this.big.s < 0 && this.big.c[0] !== 0;
  }

  /** Number of significant decimal places (trailing zeros do not count: "2.000000" has 0). */
  decimalPlaces(): number {
    if (this.big !== undefined) return Math.max(0, this.big.c.length - this.big.e - 1);
    let units = this.units;
    let scale = this.scale;
    while (scale > 0 && units % 10 === 0) {
      units /= 10;
      scale--;
    }
    return scale;
  }

  /** Digits from the first to the last non-zero one ("0.00120" has 2; 0 has 1). */
  significantDigits(): number {
    return this.toBig().c.length;
  }

  /**
   * Rounded half-up to exactly `digits` decimals, as big.js's toFixed prints it: "-0.00" for a negative value
   * that rounds to zero, "0.00" for zero.
   */
  toFixed(digits: number): string {
    if (this.big !== undefined) return this.big.toFixed(digits);
    const magnitude =
      this.scale > digits
        ? roundedMagnitude(this.units, powerOfTen(this.scale - digits))
        : Math.abs(this.units);
    // A safe integer prints exactly; zeros are appended as text, where the scaled value might not fit.
    let text = String(magnitude);
    if (this.scale < digits) text += '0'.repeat(digits - this.scale);
    if (digits > 0) {
      if (text.length <= digits) text = text.padStart(digits + 1, '0');
      text = `${text.slice(0, -digits)}.${text.slice(-digits)}`;
    }
    return this.units < 0 ? `-${text}` : text;
  }

  /** Plain notation without exponent and without trailing zeros: "15.00" → "15", "1e-7" → "0.0000001". */
  toPlain(): string {
    return this.toFixed(this.decimalPlaces());
  }
}

export const ZERO = Decimal.of(0);
export const ONE = Decimal.of(1);
export const HUNDRED = Decimal.of(100);
export const HUNDREDTH = Decimal.of(1, 2);

/**
 * Reads a user value as a decimal. Numbers go through String(n) so 0.1 stays 0.1.
 * Returns undefined for anything that is not a finite decimal (the caller reports the issue).
 */
export function parseDecimal(value: DecimalInput | null | undefined): Decimal | undefined {
  const text = decimalText(value);
  if (text === undefined) return undefined;
  return Decimal.parsePlain(text) ?? parseWithBig(text);
}

/** The same value as parseDecimal, held by big.js from the start: the reference the fast path is tested against. */
export function parseBigDecimal(value: DecimalInput | null | undefined): Decimal | undefined {
  const text = decimalText(value);
  return text === undefined ? undefined : parseWithBig(text);
}

/** The text to parse: a number's String(n), a string trimmed and without one leading "+"; undefined when empty. */
function decimalText(value: DecimalInput | null | undefined): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (text.charCodeAt(0) !== PLUS) return text;
  return text.charCodeAt(1) === MINUS ? undefined : text.slice(1);
}

function parseWithBig(text: string): Decimal | undefined {
  try {
    // big.js validates with its own pattern (sign, digits, point, exponent) and throws on anything else.
    return Decimal.fromBig(Big(text));
  } catch {
    return undefined;
  }
}
