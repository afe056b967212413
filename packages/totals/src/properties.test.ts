// Invariants of the totals engine, checked on generated invoices (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Big } from './decimal';
import {
  computeTotals,
  currencyDigits,
  type DocumentInput,
  type LineInput,
  type TotalsResult,
} from './index';

/** A decimal string with at most `scale` decimals between 0 and max (exclusive). */
const decimalText = (max: number, scale: number) =>
  fc.integer({ min: 0, max: max * 10 ** scale }).map((units) =>
    Big(units)
      .div(10 ** scale)
      .toFixed(),
  );

const saudiLine: fc.Arbitrary<LineInput> = fc
  .record(
    {
      quantity: decimalText(1000, 3).filter((q) => q !== '0'),
      unit_price: decimalText(10_000, 4),
      category: fc.constantFrom('S', 'S', 'Z', 'E', 'O'),
      allowancePercent: fc.option(decimalText(50, 2), { nil: undefined }),
    },
    { requiredKeys: ['quantity', 'unit_price', 'category'] },
  )
  .map(({ quantity, unit_price, category, allowancePercent }) => {
    const line: LineInput = { quantity, unit_price, vat_category: category as LineInput['vat_category'] };
    if (category === 'Z') line.exemption_reason_code = 'VATEX-SA-35';
    if (category === 'E') line.exemption_reason_code = 'VATEX-SA-29';
    if (category === 'O') line.exemption_reason_code = 'VATEX-SA-OOS';
    if (allowancePercent !== undefined)
      line.allowances_charges = [{ is_charge: false, percent: allowancePercent }];
    return line;
  });

const saudiInvoice: fc.Arbitrary<DocumentInput> = fc
  .record({
    currency: fc.constantFrom('SAR', 'KWD', 'JPY'),
    lines: fc.array(saudiLine, { minLength: 1, maxLength: 12 }),
    discountPercent: fc.option(decimalText(20, 2), { nil: undefined }),
    charge: fc.option(decimalText(100, 0), { nil: undefined }),
    prepaid: fc.option(decimalText(100, 0), { nil: undefined }),
    rounding: fc.option(fc.constantFrom('-1', '0', '1'), { nil: undefined }),
  })
  .map(({ currency, lines, discountPercent, charge, prepaid, rounding }) => {
    const input: DocumentInput = {
      jurisdiction: 'zatca',
      currency,
      exchange_rate: '0.1',
      lines,
      allowances_charges: [],
    };
    // Document allowances and charges fall under the first line's category (BR-32, BR-37).
    const first = lines[0];
    const vat = { vat_category: first?.vat_category, exemption_reason_code: first?.exemption_reason_code };
    if (discountPercent !== undefined)
      input.allowances_charges?.push({ is_charge: false, percent: discountPercent, ...vat });
    if (charge !== undefined) input.allowances_charges?.push({ is_charge: true, amount: charge, ...vat });
    if (prepaid !== undefined) input.prepaid_amount = prepaid;
    if (rounding !== undefined) input.rounding_amount = rounding;
    return input;
  });

const sum = (values: readonly string[]) => values.reduce((total, value) => total.plus(value), Big(0));

function everyAmount(result: TotalsResult): string[] {
  const {
    currency: _c,
    tax_currency: _t,
    exchange_rate: _r,
    tax_amount_in_tax_currency: _x,
    ...totals
  } = result.totals;
  return [
    ...Object.values(totals),
    ...result.vat_breakdown.flatMap((b) => [b.taxable_amount, b.vat_amount]),
    ...result.lines.flatMap((l) => [
      l.gross_amount,
      l.allowance_total,
      l.charge_total,
      l.net_amount,
      l.vat_amount,
      l.amount_with_vat,
    ]),
    ...result.allowances_charges.map((ac) => ac.amount),
  ];
}

describe('totals engine invariants', () => {
  it('adds up (BR-CO-10, -13, -14, -15, -16) and breaks down every amount (BR-S-08)', () => {
    fc.assert(
      fc.property(saudiInvoice, (input) => {
        const { totals, lines, vat_breakdown, errors } = computeTotals(input);
        // A discount on a percentage of the whole invoice may exceed a small category's base: reported, not fatal.
        expect(errors.filter((issue) => issue.code !== 'ALLOWANCE_EXCEEDS_BASE')).toEqual([]);
        expect(sum(lines.map((l) => l.net_amount)).eq(totals.line_extension_amount)).toBe(true);
        const exclusive = Big(totals.line_extension_amount)
          .minus(totals.allowance_total_amount)
          .plus(totals.charge_total_amount);
        expect(exclusive.eq(totals.tax_exclusive_amount)).toBe(true);
        expect(Big(totals.tax_exclusive_amount).plus(totals.tax_amount).eq(totals.tax_inclusive_amount)).toBe(
          true,
        );
        const payable = Big(totals.tax_inclusive_amount)
          .minus(totals.prepaid_amount)
          .plus(totals.rounding_amount);
        expect(payable.eq(totals.payable_amount)).toBe(true);
        expect(sum(vat_breakdown.map((b) => b.vat_amount)).eq(totals.tax_amount)).toBe(true);
        expect(sum(vat_breakdown.map((b) => b.taxable_amount)).eq(totals.tax_exclusive_amount)).toBe(true);
        for (const line of lines) {
          expect(Big(line.net_amount).plus(line.vat_amount).eq(line.amount_with_vat)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('prints every amount with exactly the currency digits', () => {
    fc.assert(
      fc.property(saudiInvoice, (input) => {
        const result = computeTotals(input);
        const digits = currencyDigits(result.totals.currency);
        const pattern = digits === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${digits}}$`);
        for (const amount of everyAmount(result)) expect(amount).toMatch(pattern);
        expect(result.totals.tax_amount_in_tax_currency).toMatch(/^-?\d+\.\d{2}$/);
      }),
      { numRuns: 200 },
    );
  });

  it('does not depend on the order of the lines', () => {
    const withShuffle = saudiInvoice.chain((input) =>
      fc
        .shuffledSubarray(input.lines, { minLength: input.lines.length, maxLength: input.lines.length })
        .map((shuffled) => ({ input, shuffled })),
    );
    const byCategory = (result: TotalsResult) =>
      [...result.vat_breakdown].sort((a, b) =>
        `${a.category}${a.rate}`.localeCompare(`${b.category}${b.rate}`),
      );
    fc.assert(
      fc.property(withShuffle, ({ input, shuffled }) => {
        const original = computeTotals(input);
        const reordered = computeTotals({ ...input, lines: shuffled });
        expect(reordered.totals).toEqual(original.totals);
        expect(byCategory(reordered)).toEqual(byCategory(original));
      }),
      { numRuns: 200 },
    );
  });

  it('rounds each group VAT to within half a minor unit of taxable × rate (BR-CO-17)', () => {
    fc.assert(
      fc.property(saudiInvoice, (input) => {
        const result = computeTotals(input);
        const half = Big(5).div(10 ** (currencyDigits(result.totals.currency) + 1));
        for (const group of result.vat_breakdown) {
          const exact = Big(group.taxable_amount).times(group.rate).div(100);
          expect(exact.minus(group.vat_amount).abs().lte(half)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same totals when a line of n units is split into n lines of one unit (prices in whole cents)', () => {
    const cents = fc.integer({ min: 0, max: 1_000_000 }).map((c) => Big(c).div(100).toFixed(2));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), cents, fc.constantFrom('15', '0'), (n, price, rate) => {
        const category = rate === '15' ? 'S' : 'Z';
        const base: LineInput = { unit_price: price, quantity: n, vat_category: category, vat_rate: rate };
        if (category === 'Z') base.exemption_reason_code = 'VATEX-SA-32';
        const whole = computeTotals({ lines: [base] });
        const split = computeTotals({ lines: Array.from({ length: n }, () => ({ ...base, quantity: 1 })) });
        expect(split.totals).toEqual(whole.totals);
        expect(split.vat_breakdown).toEqual(whole.vat_breakdown);
      }),
      { numRuns: 200 },
    );
  });

  it('scales taxable amounts exactly with whole quantities and whole-cent prices', () => {
    const cents = fc.integer({ min: 0, max: 1_000_000 }).map((c) => Big(c).div(100).toFixed(2));
    const line = fc.record({ quantity: fc.integer({ min: 1, max: 100 }), unit_price: cents });
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 2, max: 50 }),
        (lines, k) => {
          const once = computeTotals({ lines });
          const scaled = computeTotals({ lines: lines.map((l) => ({ ...l, quantity: l.quantity * k })) });
          expect(
            Big(scaled.totals.line_extension_amount).eq(Big(once.totals.line_extension_amount).times(k)),
          ).toBe(true);
          // VAT scales only up to rounding: within k half-cents of k × the original.
          const drift = Big(scaled.totals.tax_amount).minus(Big(once.totals.tax_amount).times(k)).abs();
          expect(drift.lte(Big('0.005').times(k))).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (lines, rest) => {
        const input = {
          ...(typeof rest === 'object' && rest !== null ? rest : {}),
          lines,
        } as unknown as DocumentInput;
        expect(() => computeTotals(input)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
