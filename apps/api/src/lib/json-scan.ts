// A request body's shape checked on its text, before JSON.parse and before anything walks the parsed value.
// Every recursive walk after the parser (Zod, the idempotency hash's canonical JSON, JSON.stringify into a jsonb
// column) overflows the stack somewhere between 4,000 and 10,000 levels, so the depth is bounded here, by a loop
// that keeps no stack. Number literals are checked here too because the parsed value has lost their text:
// 9007199254740993 and 0.10000000000000000555 parse to neighbouring doubles and nothing later can tell.
import type { FieldError } from './errors';

/** The deepest JSON a request may carry. Issue bodies and the web app's drafts are about 6 levels deep. */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 34;
const BACKSLASH = 92;

/**
 * The first problem of the body's structure, with its path, or undefined. Text that is not JSON is left to the
 * parser to refuse: the scan only reads what it needs (brackets, strings to skip, number literals).
 */
export function scanJsonText(text: string): FieldError | undefined {
  const length = text.length;
  let depth = 0;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = endOfString(text, i);
      if (i < 0) return undefined;
    } else if (c === 123 || c === 91) {
      if (++depth > MAX_JSON_DEPTH) {
        return {
          path: pathAt(text, i),
          code: 'NESTED_TOO_DEEP',
          message: `JSON may be nested at most ${MAX_JSON_DEPTH} levels deep.`,
        };
      }
    } else if (c === 125 || c === 93) {
      depth--;
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      const start = i;
      let hasExponent = false;
      while (i + 1 < length) {
        const d = text.charCodeAt(i + 1);
        if (d === 101 || d === 69) hasExponent = true;
        else if (!((d >= 48 && d <= 57) || d === 46 || d === 43 || d === 45)) break;
        i++;
      }
      // Up to 15 digits a double always keeps exactly (DBL_DIG), and such an integer is below 2^53.
      if (!hasExponent && i - start < 15) continue;
      const problem = numberProblem(text.slice(start, i + 1));
      if (problem) return { path: pathAt(text, start), ...problem };
    }
  }
  return undefined;
}

/** Index of the closing quote of the string opening at `open`, or -1 when it never closes. */
function endOfString(text: string, open: number): number {
  let close = text.indexOf('"', open + 1);
  while (close > 0) {
    let backslashes = 0;
    while (text.charCodeAt(close - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return close;
    close = text.indexOf('"', close + 1);
  }
  return -1;
}

/**
 * A JSON number literal is kept when the double it parses to prints back as the same decimal value (String(n)
 * is what decimal-input.ts computes with) and lies within ±(2^53 − 1), where every integer is exact.
 */
function numberProblem(literal: string): Omit<FieldError, 'path'> | undefined {
  const value = Number(literal);
  if (Number.isNaN(value)) return undefined; // not a number literal: the parser says so
  if (!Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER) {
    return {
      code: 'NUMBER_OUT_OF_RANGE',
      message:
        'The number is beyond what can be kept exactly (±9007199254740991); send it as a decimal string.',
    };
  }
  if (decimalValue(literal) !== decimalValue(String(value))) {
    return {
      code: value === 0 ? 'NUMBER_OUT_OF_RANGE' : 'NUMBER_TOO_PRECISE',
      message: 'The number has more digits than a JSON number keeps; send it as a decimal string.',
    };
  }
  return undefined;
}

/** A decimal literal ("-1.50e2", "1e+21") as sign, significant digits and exponent: equal values, equal texts. */
function decimalValue(literal: string): string {
  const match = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(literal);
  if (!match) return literal;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  const all = whole + fraction;
  const first = all.search(/[1-9]/);
  if (first < 0) return '0';
  const digits = all.slice(first).replace(/0+$/, '');
  // The value is 0.<digits> × 10^scale.
  const scale = Number(exponent) + whole.length - first;
  return `${sign}0.${digits}e${scale}`;
}

/**
 * The dotted path ("draft_data.lines.0.quantity") of the value at `offset`, read by scanning the text from the
 * start. Only called for a body that is refused, so it may take its time.
 */
function pathAt(text: string, offset: number): string {
  const frames: { isArray: boolean; segment: string; expectsKey: boolean }[] = [];
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    const frame = frames[frames.length - 1];
    if (c === QUOTE) {
      const end = endOfString(text, i);
      if (end < 0) break;
      if (frame && !frame.isArray && frame.expectsKey) {
        frame.segment = readKey(text.slice(i, end + 1));
        frame.expectsKey = false;
      }
      i = end;
    } else if (c === 123) {
      frames.push({ isArray: false, segment: '', expectsKey: true });
    } else if (c === 91) {
      frames.push({ isArray: true, segment: '0', expectsKey: false });
    } else if (c === 125 || c === 93) {
      frames.pop();
    } else if (c === 44 && frame) {
      if (frame.isArray) frame.segment = String(Number(frame.segment) + 1);
      else frame.expectsKey = true;
    }
  }
  return frames.map((frame) => frame.segment).join('.');
}

function readKey(literal: string): string {
  try {
    const key = JSON.parse(literal) as string;
    return key.length > 100 ? `${key.slice(0, 100)}…` : key;
  } catch {
    return '?';
  }
}
