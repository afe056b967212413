import { z } from 'zod';

/**
 * Plain decimal notation only: "12", "-3.5", "0.125". No exponent ("1e5"), no NaN or Infinity, no hex, no
 * thousands separators. The totals engine would accept exponents (big.js does); an invoice never needs them and
 * a user who typed one made a mistake.
 */
const PLAIN_DECIMAL = /^[+-]?\d{1,18}(\.\d{1,12})?$/;

/**
 * A decimal typed by a user or sent as JSON, as the exact text to compute with. Numbers go through String(n)
 * (so 0.1 stays "0.1"); a number whose text is in exponent form (1e21, 1e-7) or not finite is refused.
 * Returns undefined when the value is not a plain decimal.
 *
 * String(n) is the literal the client sent only because the JSON parser's door (json-scan.ts) refuses every
 * number literal whose double prints back as another value: 9007199254740993 (beyond 2^53) or
 * 0.10000000000000000555 (more digits than a double keeps) answer 400 with the field path and a hint to send a
 * decimal string, which is read exactly. Refused rather than read from the source text: the parsed body has no
 * source text, and a quantity or price is never silently changed either way.
 */
export function decimalText(value: unknown): string | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    const text = String(value);
    return PLAIN_DECIMAL.test(text) ? text : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return PLAIN_DECIMAL.test(text) ? text : undefined;
}

export const INVALID_NUMBER_MESSAGE = 'Enter a plain decimal number such as 12.50.';

/** A decimal request field: a JSON number or a decimal string, read as its exact decimal text. */
export const decimalSchema = z
  .union([z.number(), z.string().max(40)])
  .transform((value, ctx) => {
    const text = decimalText(value);
    if (text === undefined) {
      ctx.addIssue({ code: 'custom', message: INVALID_NUMBER_MESSAGE, params: { code: 'INVALID_NUMBER' } });
      return z.NEVER;
    }
    return text;
  })
  .meta({ description: 'Decimal as a string ("500.00") or a JSON number; no exponent notation.' });

/** Money out: numeric columns come back from the database as strings already. */
export const moneySchema = z.string().meta({ description: 'Decimal string, e.g. "5750.00".' });
