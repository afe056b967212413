// The engine's decimals take an exact fast path on safe integers and hand everything else to big.js: these
// properties check, on generated values and invoices, that the fast path prints exactly what big.js alone prints.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeTotalsWith } from './compute-totals';
import { Decimal, parseBigDecimal, parseDecimal } from './decimal';
import type { AllowanceChargeInput, DocumentInput, LineInput } from './types';

const digitString = (maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength });

/**
 * Decimal text of every shape: short amounts, 20-digit values that overflow a double, up to 25 decimals, signs,
 * half-way values (x.xx5) that round up, exponents, numbers, and text that is no decimal at all.
 */
const decimalInput: fc.Arbitrary<string | number> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .tuple(fc.boolean(), digitString(7), fc.option(digitString(4), { nil: undefined }))
      .map(
        ([negative, whole, fraction]) => `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`,
      ),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.boolean(), digitString(20), fc.option(digitString(25), { nil: undefined }))
      .map(
        ([negative, whole, fraction]) => `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`,
      ),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.boolean(), fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 4 }))
      .map(([negative, whole, extra]) => `${negative ? '-' : ''}${whole}.${'0'.repeat(extra)}5`),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '0',
      '-0',
      '-0.001',
      '0.005',
      '-0.005',
      '2.5',
      '-2.5',
      '99.995',
      '9007199254740991',
      '9007199254740992',
      '-9007199254740993',
      '900719925474099.15',
      '0.0000000000000000000001',
      '0.00000000000000000000001',
      '1.000000000000000000000000',
      '1e3',
      '-1.5E-2',
      '+7',
      ' 12.50 ',
      '.5',
      '5.',
      '15',
      '100',
      '100.01',
    ),
  },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.constantFrom('', '.', '-', '+-1', '1.2.3', 'abc', '12,5') },
);

const parsedPair = decimalInput.map((input) => ({
  input,
  fast: parseDecimal(input),
  big: parseBigDecimal(input),
}));

type Pair = { fast: Decimal; big: Decimal };
const valuePair: fc.Arbitrary<Pair> = parsedPair
  .filter((pair) => pair.fast !== undefined)
  .map((pair) => ({ fast: pair.fast as Decimal, big: pair.big as Decimal }));

/** Everything a Decimal can say about itself, as text. */
function describeValue(value: Decimal): string[] {
  return [
    value.toPlain(),
    value.toFixed(0),
    value.toFixed(2),
    value.toFixed(3),
    value.toFixed(6),
    String(value.decimalPlaces()),
    String(value.significantDigits()),
    String(value.isZero()),
    String(value.isNegative()),
  ];
}

describe('Decimal: the fast path and big.js agree', () => {
  it('reads the same values and refuses the same text', () => {
    fc.assert(
      fc.property(parsedPair, ({ fast, big }) => {
        expect(fast === undefined).toBe(big === undefined);
        if (fast && big) expect(describeValue(fast)).toEqual(describeValue(big));
      }),
      { numRuns: 3000 },
    );
  });

  it('adds, subtracts, multiplies, compares and rounds half-up alike', () => {
    fc.assert(
      fc.property(valuePair, valuePair, fc.nat(4), (a, b, digits) => {
        const ops = (x: Decimal, y: Decimal) => [
          ...describeValue(x.plus(y)),
          ...describeValue(x.minus(y)),
          ...describeValue(x.times(y)),
          ...describeValue(x.negated()),
          ...describeValue(x.round(digits)),
          ...describeValue(x.times(y).round(digits).plus(y)),
          String(x.cmp(y)),
          String(x.eq(y)),
          String(x.lt(y)),
          String(x.gt(y)),
          String(x.lte(y)),
        ];
        expect(ops(a.fast, b.fast)).toEqual(ops(a.big, b.big));
      }),
      { numRuns: 3000 },
    );
  });

  it('divides as big.js does (always big.js: its quotient is rounded to 20 places first)', () => {
    const nonZero = valuePair.filter((pair) => !pair.big.isZero());
    fc.assert(
      fc.property(valuePair, nonZero, (a, b) => {
        expect(a.fast.div(b.fast).round(2).toFixed(2)).toBe(a.big.div(b.big).round(2).toFixed(2));
      }),
      { numRuns: 500 },
    );
  });

  it('rounds half away from zero at every .5 boundary', () => {
    expect(parseDecimal('0.125')?.round(2).toFixed(2)).toBe('0.13');
    expect(parseDecimal('-0.125')?.round(2).toFixed(2)).toBe('-0.13');
    expect(parseDecimal('2.5')?.toFixed(0)).toBe('3');
    expect(parseDecimal('0.0049')?.toFixed(2)).toBe('0.00');
    expect(parseDecimal('-0.001')?.toFixed(2)).toBe('-0.00');
    expect(Decimal.of(0).toFixed(3)).toBe('0.000');
  });
});

// ---------------------------------------------------------------------------------------------- whole invoices

const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const category = fc.constantFrom('S', 'S', 'S', 'Z', 'E', 'O', 'AE', 'K', 'N', 'X');
const reasonCode = fc.constantFrom('VATEX-SA-32', 'VATEX-SA-29', 'VATEX-SA-OOS', 'BAD');

const allowanceCharge = (documentLevel: boolean): fc.Arbitrary<AllowanceChargeInput> =>
  fc.record(
    {
      is_charge: fc.boolean(),
      amount: decimalInput,
      percent: decimalInput,
      base_amount: decimalInput,
      reason: fc.constantFrom('Discount', 'Delivery'),
      ...(documentLevel
        ? { vat_category: category, vat_rate: decimalInput, exemption_reason_code: reasonCode }
        : {}),
    },
    { requiredKeys: ['is_charge'] },
  ) as fc.Arbitrary<AllowanceChargeInput>;

const line: fc.Arbitrary<LineInput> = fc.record(
  {
    quantity: decimalInput,
    unit_price: decimalInput,
    base_quantity: decimalInput,
    vat_category: category,
    vat_rate: decimalInput,
    exemption_reason_code: reasonCode,
    allowances_charges: fc.array(allowanceCharge(false), { maxLength: 3 }),
    prepayment: fc.record({
      invoice_number: fc.constant('INV-1'),
      uuid: fc.constant('0b3a9b1c-4d3e-4f5a-8b6c-7d8e9f0a1b2c'),
      issue_date: fc.constant('2026-01-01'),
      taxable_amount: decimalInput,
      vat_amount: optional(decimalInput),
    }),
  },
  { requiredKeys: ['quantity', 'unit_price'] },
) as fc.Arbitrary<LineInput>;

/** Amounts a real invoice carries, so that most generated invoices are valid and reach every total. */
const money = fc
  .tuple(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 99 }))
  .map(([whole, cents]) => `${whole}.${String(cents).padStart(2, '0')}`);
const validLine: fc.Arbitrary<LineInput> = fc
  .record({
    quantity: fc.constantFrom('1', '2', '3', '0.5', '1.25', '0.333333', '1000000'),
    unit_price: fc.oneof(money, fc.constantFrom('0.005', '0.125', '123.456789', '99999999999.99')),
    isZeroRated: fc.boolean(),
    discount: optional(fc.constantFrom('10', '2.5', '33.33')),
  })
  .map(({ quantity, unit_price, isZeroRated, discount }) => ({
    quantity,
    unit_price,
    ...(isZeroRated
      ? { vat_category: 'Z' as const, vat_rate: '0', exemption_reason_code: 'VATEX-SA-32' }
      : { vat_category: 'S' as const, vat_rate: '15' }),
    ...(discount ? { allowances_charges: [{ is_charge: false, percent: discount }] } : {}),
  }));

const invoice: fc.Arbitrary<DocumentInput> = fc.record(
  {
    jurisdiction: fc.constantFrom('zatca', 'pint-ae', 'en16931'),
    currency: fc.constantFrom('SAR', 'AED', 'USD', 'KWD', 'JPY'),
    tax_currency: fc.constantFrom('SAR', 'AED', 'USD'),
    exchange_rate: decimalInput,
    lines: fc.oneof(
      fc.array(line, { minLength: 1, maxLength: 5 }),
      fc.array(validLine, { minLength: 1, maxLength: 8 }),
    ),
    allowances_charges: fc.array(allowanceCharge(true), { maxLength: 3 }),
    prepaid_amount: decimalInput,
    rounding_amount: decimalInput,
  },
  { requiredKeys: ['lines'] },
) as fc.Arbitrary<DocumentInput>;

/** Saudi invoices the engine accepts: every amount is computed and printed, nothing stops at an error. */
const validInvoice: fc.Arbitrary<DocumentInput> = fc
  .record({
    currency: fc.constantFrom('SAR', 'KWD', 'JPY'),
    lines: fc.array(validLine, { minLength: 1, maxLength: 8 }),
    discount: optional(fc.integer({ min: 0, max: 10 })),
    charge: optional(fc.integer({ min: 0, max: 1000 })),
    prepaid: optional(fc.integer({ min: 0, max: 100 })),
    rounding: optional(fc.constantFrom('-1', '0', '1')),
  })
  .map(({ currency, lines, discount, charge, prepaid, rounding }) => {
    const vat = { vat_category: 'S' as const, vat_rate: '15' };
    const allowancesCharges: AllowanceChargeInput[] = [];
    if (discount !== undefined) allowancesCharges.push({ is_charge: false, amount: discount, ...vat });
    if (charge !== undefined) allowancesCharges.push({ is_charge: true, amount: charge, ...vat });
    return {
      jurisdiction: 'zatca' as const,
      currency,
      exchange_rate: '3.75',
      lines: [{ quantity: '1', unit_price: '10', ...vat }, ...lines],
      allowances_charges: allowancesCharges,
      ...(prepaid === undefined ? {} : { prepaid_amount: prepaid }),
      ...(rounding === undefined ? {} : { rounding_amount: rounding }),
    };
  });

function expectSameAnswer(input: DocumentInput): void {
  const fast = computeTotalsWith(input, parseDecimal);
  const big = computeTotalsWith(input, parseBigDecimal);
  expect(JSON.stringify(fast)).toBe(JSON.stringify(big));
}

describe('computeTotals: the fast path gives big.js’s answer', () => {
  it('prints the same lines, breakdown and totals for valid invoices, huge amounts included', () => {
    fc.assert(
      fc.property(validInvoice, (input) => {
        expect(computeTotalsWith(input, parseDecimal).errors).toEqual([]);
        expectSameAnswer(input);
      }),
      { numRuns: 1000 },
    );
  });

  it('prints the same amounts and the same errors, in the same order, for invoices with anything in them', () => {
    fc.assert(fc.property(invoice, expectSameAnswer), { numRuns: 1500 });
  });
});
