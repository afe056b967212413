import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, scanJsonText } from './json-scan';

describe('scanJsonText', () => {
  it('keeps every number a double prints back as itself, within ±(2^53 − 1)', () => {
    fc.assert(
      fc.property(
        fc.double({
          noNaN: true,
          noDefaultInfinity: true,
          min: -Number.MAX_SAFE_INTEGER,
          max: Number.MAX_SAFE_INTEGER,
        }),
        (value) => {
          expect(scanJsonText(`{"n":[${JSON.stringify(value)}]}`)).toBeUndefined();
        },
      ),
    );
  });

  it('refuses a literal whose double is another number, with its path, at any depth', () => {
    for (const [literal, code] of [
      ['9007199254740993', 'NUMBER_OUT_OF_RANGE'],
      ['-9007199254740992', 'NUMBER_OUT_OF_RANGE'],
      ['1e999', 'NUMBER_OUT_OF_RANGE'],
      ['1e-400', 'NUMBER_OUT_OF_RANGE'],
      ['0.10000000000000000555', 'NUMBER_TOO_PRECISE'],
      ['12345678.123456789', 'NUMBER_TOO_PRECISE'],
    ]) {
      expect(scanJsonText(`{"a":[1,{"b\\"c":"x,y]","d":${literal}}]}`)).toEqual({
        path: 'a.1.d',
        code,
        message: expect.any(String),
      });
    }
    // Exponent forms and trailing zeros that name the same double are the same number.
    expect(scanJsonText('[1.50, 1.5E2, 100e-2, 0.1e1, 9007199254740991, 123456789012.345]')).toBeUndefined();
  });

  it('bounds the depth without recursing, brackets inside strings aside', () => {
    expect(
      scanJsonText(`${'['.repeat(MAX_JSON_DEPTH)}"[[[[{{{{"${']'.repeat(MAX_JSON_DEPTH)}`),
    ).toBeUndefined();
    const tooDeep = scanJsonText(`{"x":${'['.repeat(1_000_000)}`);
    expect(tooDeep?.code).toBe('NESTED_TOO_DEEP');
    expect(tooDeep?.path).toBe(`x${'.0'.repeat(MAX_JSON_DEPTH - 1)}`);
  });
});
