import { describe, expect, it } from 'vitest';
import { computeTotals, type DocumentInput, type LineInput, simpleSummary } from './index';

const codes = (input: DocumentInput) =>
  computeTotals(input).errors.map((issue) => `${issue.path} ${issue.code}`);

describe('seed example', () => {
  it('10 × 500 at 15 % gives 5000.00 + 750.00 = 5750.00', () => {
    const result = computeTotals({
      jurisdiction: 'zatca',
      lines: [{ description: 'Service', quantity: 10, unit_price: 500, vat_rate: 15 }],
    });
    expect(simpleSummary(result)).toEqual({
      subtotal: '5000.00',
      vat_amount: '750.00',
      total_amount: '5750.00',
    });
    expect(result.lines[0]).toMatchObject({ vat_category: 'S', vat_rate: '15', amount_with_vat: '5750.00' });
    expect(result.errors).toEqual([]);
  });

  it('computes VAT per category, not a flat 15 % of the subtotal (seed 000 mistake)', () => {
    const result = computeTotals({
      jurisdiction: 'zatca',
      lines: [
        { quantity: 1, unit_price: 1000 },
        { quantity: 2, unit_price: 250, vat_category: 'Z', exemption_reason_code: 'VATEX-SA-35' },
        { quantity: 1, unit_price: 300, vat_category: 'E', exemption_reason_code: 'VATEX-SA-29' },
      ],
    });
    expect(simpleSummary(result)).toEqual({
      subtotal: '1800.00',
      vat_amount: '150.00',
      total_amount: '1950.00',
    });
    expect(result.vat_breakdown).toEqual([
      { category: 'S', rate: '15', taxable_amount: '1000.00', vat_amount: '150.00' },
      {
        category: 'Z',
        rate: '0',
        taxable_amount: '500.00',
        vat_amount: '0.00',
        exemption_reason_code: 'VATEX-SA-35',
        // §11.2.4 fixes the text of the code: the engine writes it when only the code is given.
        exemption_reason: 'Medicines and medical equipment',
      },
      {
        category: 'E',
        rate: '0',
        taxable_amount: '300.00',
        vat_amount: '0.00',
        exemption_reason_code: 'VATEX-SA-29',
        // §11.2.4 fixes the text of the code: the engine writes it when only the code is given.
        exemption_reason: 'Financial services mentioned in Article 29 of the VAT Regulations',
      },
    ]);
    expect(result.errors).toEqual([]);
  });

  it('defaults the UAE standard rate to 5 % and the currency to AED', () => {
    const result = computeTotals({ jurisdiction: 'pint-ae', lines: [{ quantity: 3, unit_price: '19.99' }] });
    expect(result.totals).toMatchObject({
      currency: 'AED',
      tax_amount: '3.00',
      tax_inclusive_amount: '62.97',
    });
  });
});

describe('allowances and charges', () => {
  it('applies line allowances by amount and by percent of the gross, then document ones per VAT group', () => {
    const result = computeTotals({
      jurisdiction: 'zatca',
      lines: [
        {
          quantity: 4,
          unit_price: '25',
          allowances_charges: [
            { is_charge: false, percent: 10 },
            { is_charge: true, amount: '5' },
          ],
        },
        { quantity: 1, unit_price: '50', vat_category: 'Z', exemption_reason_code: 'VATEX-SA-32' },
      ],
      allowances_charges: [
        { is_charge: false, percent: '10', vat_category: 'S', vat_rate: 15 },
        {
          is_charge: true,
          amount: '20',
          vat_category: 'Z',
          vat_rate: 0,
          exemption_reason_code: 'VATEX-SA-32',
        },
      ],
    });
    expect(result.lines[0]).toMatchObject({
      gross_amount: '100.00',
      allowance_total: '10.00',
      charge_total: '5.00',
    });
    expect(result.lines[0]?.allowances_charges[0]).toMatchObject({
      amount: '10.00',
      percent: '10',
      base_amount: '100.00',
    });
    // Document percent base = sum of line nets: 95 + 50 = 145 → 14.50.
    expect(result.allowances_charges[0]).toMatchObject({ amount: '14.50', base_amount: '145.00' });
    expect(result.vat_breakdown).toEqual([
      { category: 'S', rate: '15', taxable_amount: '80.50', vat_amount: '12.08' },
      {
        category: 'Z',
        rate: '0',
        taxable_amount: '70.00',
        vat_amount: '0.00',
        exemption_reason_code: 'VATEX-SA-32',
        exemption_reason: 'Export of goods',
      },
    ]);
    expect(result.totals).toMatchObject({
      line_extension_amount: '145.00',
      allowance_total_amount: '14.50',
      charge_total_amount: '20.00',
      tax_exclusive_amount: '150.50',
      tax_amount: '12.08',
      tax_inclusive_amount: '162.58',
    });
  });

  it('uses base_amount for a percent when given and flags an amount that disagrees with it', () => {
    expect(
      codes({
        jurisdiction: 'zatca',
        lines: [
          {
            quantity: 1,
            unit_price: 100,
            allowances_charges: [{ is_charge: false, percent: 10, base_amount: 50, amount: 6 }],
          },
        ],
      }),
    ).toEqual(['lines.0.allowances_charges.0.amount BR-KSA-EN16931-03']);
  });

  it('puts a document discount without a category under the only category of the lines, else asks (BR-32)', () => {
    const exempt: LineInput = {
      quantity: 1,
      unit_price: 100,
      vat_category: 'E',
      exemption_reason_code: 'VATEX-SA-30',
    };
    const single = computeTotals({ lines: [exempt], allowances_charges: [{ is_charge: false, amount: 10 }] });
    expect(single.allowances_charges[0]).toMatchObject({ vat_category: 'E', vat_rate: '0' });
    expect(single.totals.tax_amount).toBe('0.00');
    expect(single.errors).toEqual([]);
    expect(
      codes({
        lines: [exempt, { quantity: 1, unit_price: 1 }],
        allowances_charges: [{ is_charge: false, amount: 1 }],
      }),
    ).toEqual(['allowances_charges.0.vat_category BR-32']);
  });

  it('reports an allowance larger than the line', () => {
    const input: DocumentInput = {
      lines: [{ quantity: 1, unit_price: 10, allowances_charges: [{ is_charge: false, amount: 12 }] }],
    };
    expect(codes(input)).toContain('lines.0.allowances_charges.0.amount ALLOWANCE_EXCEEDS_BASE');
    expect(computeTotals(input).lines[0]?.net_amount).toBe('-2.00');
  });
});

describe('ZATCA prepayment lines', () => {
  const reference = {
    invoice_number: '46531',
    uuid: 'a79760f7',
    issue_date: '2022-08-15',
    taxable_amount: '1000',
  };
  const advance: LineInput = { quantity: 0, unit_price: 0, prepayment: reference };

  it('derives the prepaid VAT from the rate and adds it to the prepaid amount', () => {
    const result = computeTotals({
      lines: [{ quantity: 1, unit_price: 2000 }, advance],
      prepaid_amount: '10',
    });
    expect(result.lines[1]?.prepayment).toEqual({ taxable_amount: '1000.00', vat_amount: '150.00' });
    expect(result.totals).toMatchObject({ prepaid_amount: '1160.00', payable_amount: '1140.00' });
    expect(result.vat_breakdown).toHaveLength(1);
    expect(result.errors).toEqual([]);
  });

  it('takes the SDK’s prepayment reason list (BR-KSA-CL-07), which lacks VATEX-SA-ROYALDECREE', () => {
    const zeroRated = (code: string): LineInput => ({
      ...advance,
      vat_category: 'Z',
      vat_rate: 0,
      exemption_reason_code: code,
    });
    const line = { quantity: 1, unit_price: 2000, vat_category: 'Z', vat_rate: 0 } as const;
    const royal = codes({
      jurisdiction: 'zatca',
      lines: [{ ...line, exemption_reason_code: 'VATEX-SA-ROYALDECREE' }, zeroRated('VATEX-SA-ROYALDECREE')],
    });
    expect(royal.filter((c) => c.includes('CL-0'))).toEqual(['lines.1.exemption_reason_code BR-KSA-CL-07']);
    const duty = codes({
      jurisdiction: 'zatca',
      lines: [{ ...line, exemption_reason_code: 'VATEX-SA-DUTYFREE' }, zeroRated('VATEX-SA-DUTYFREE')],
    });
    expect(duty.filter((c) => c.includes('CL-0'))).toEqual([]);
  });

  it('flags a prepaid VAT that is not taxable × rate, and a prepayment line with a price', () => {
    const wrong: LineInput = {
      ...advance,
      unit_price: 5,
      prepayment: { ...reference, vat_amount: '140' },
    };
    expect(codes({ lines: [{ quantity: 1, unit_price: 2000 }, wrong] })).toEqual([
      'lines.1 BR-KSA-82',
      'lines.1.prepayment.vat_amount BR-KSA-79',
    ]);
  });
});

describe('rounding', () => {
  it('rounds 3 × 0.335 = 1.005 half-up to 1.01 (a float gives 1.0049999…)', () => {
    const result = computeTotals({ lines: [{ quantity: 3, unit_price: 0.335 }] });
    expect(result.lines[0]).toMatchObject({
      gross_amount: '1.01',
      vat_amount: '0.15',
      amount_with_vat: '1.16',
    });
  });

  it('keeps 4+ decimal unit prices until the line amount is rounded', () => {
    const result = computeTotals({
      lines: [
        { quantity: 7, unit_price: '1.23456' },
        { quantity: 3, unit_price: '0.3333' },
        { quantity: '2.5', unit_price: '0.12345', base_quantity: 10 },
      ],
    });
    expect(result.lines.map((line) => line.net_amount)).toEqual(['8.64', '1.00', '0.03']);
  });

  it('rounds VAT once per group, not per line: 10 lines of 0.10 at 15 % give 0.15, not 10 × 0.02', () => {
    const lines = Array.from({ length: 10 }, () => ({ quantity: 1, unit_price: '0.10' }));
    const result = computeTotals({ lines });
    // Each line's KSA-11 is round(0.015) = 0.02; the breakdown (BR-CO-17) is round(1.00 × 15 %) = 0.15.
    expect(result.lines.every((line) => line.vat_amount === '0.02')).toBe(true);
    expect(result.totals.tax_amount).toBe('0.15');
    expect(result.totals.tax_inclusive_amount).toBe('1.15');
  });

  it('uses 3 digits for KWD', () => {
    const result = computeTotals({
      jurisdiction: 'en16931',
      currency: 'KWD',
      lines: [{ quantity: 3, unit_price: '1.2345', vat_rate: 5 }],
    });
    expect(result.lines[0]).toMatchObject({ net_amount: '3.704', vat_amount: '0.185' });
    expect(result.totals).toMatchObject({ tax_amount: '0.185', payable_amount: '3.889' });
  });

  it('uses 0 digits for JPY', () => {
    const result = computeTotals({
      jurisdiction: 'en16931',
      currency: 'JPY',
      lines: [{ quantity: 3, unit_price: '333.5', vat_rate: 10 }],
    });
    expect(result.totals).toMatchObject({
      line_extension_amount: '1001',
      tax_amount: '100',
      payable_amount: '1101',
    });
  });

  it('reads numbers through their decimal text: 0.1 × 0.2 is exactly 0.02', () => {
    expect(computeTotals({ lines: [{ quantity: 0.1, unit_price: 0.2 }] }).lines[0]?.net_amount).toBe('0.02');
  });

  it('passes a payable rounding amount through (BT-114)', () => {
    const result = computeTotals({
      lines: [{ quantity: 1, unit_price: '869.57' }],
      rounding_amount: '-0.01',
    });
    expect(result.totals).toMatchObject({ tax_inclusive_amount: '1000.01', payable_amount: '1000.00' });
  });
});

describe('foreign currency', () => {
  it('converts the VAT total into the tax currency with the exchange rate', () => {
    const result = computeTotals({
      currency: 'USD',
      exchange_rate: '3.75',
      lines: [{ quantity: 1, unit_price: '99.99' }],
    });
    expect(result.totals).toMatchObject({
      tax_amount: '15.00',
      tax_currency: 'SAR',
      exchange_rate: '3.75',
      tax_amount_in_tax_currency: '56.25',
    });
  });

  it('asks for the exchange rate and still computes the rest', () => {
    const result = computeTotals({ currency: 'USD', lines: [{ quantity: 1, unit_price: 100 }] });
    expect(result.errors.map((issue) => issue.code)).toEqual(['EXCHANGE_RATE_REQUIRED']);
    expect(result.totals.tax_amount).toBe('15.00');
    expect(result.totals.tax_amount_in_tax_currency).toBeUndefined();
  });
});

describe('validation', () => {
  it('requires lines', () => {
    expect(codes({ lines: [] })).toEqual(['lines LINES_REQUIRED']);
  });

  it('reports non-numeric and negative values by path and computes the other lines', () => {
    const result = computeTotals({
      lines: [
        { quantity: 'abc', unit_price: 10 },
        { quantity: -1, unit_price: 10 },
        { quantity: 1, unit_price: -10 },
        { quantity: 2, unit_price: 10 },
      ],
    });
    expect(result.errors.map((issue) => `${issue.path} ${issue.code}`)).toEqual([
      'lines.0.quantity INVALID_NUMBER',
      'lines.1.quantity BR-KSA-F-04',
      'lines.2.unit_price BR-27',
    ]);
    expect(result.lines[3]?.net_amount).toBe('20.00');
  });

  it('reports a negative quantity once, not also as an allowance exceeding the lines', () => {
    expect(codes({ lines: [{ quantity: -2, unit_price: 10 }] })).toEqual(['lines.0.quantity BR-KSA-F-04']);
  });

  it('allows quantity 0 only on prepayment lines', () => {
    expect(codes({ lines: [{ quantity: 0, unit_price: 10 }] })).toEqual(['lines.0.quantity QUANTITY_ZERO']);
  });

  it('limits quantities and prices to 6 decimals', () => {
    expect(codes({ lines: [{ quantity: '1.0000001', unit_price: '0.0000001' }] })).toEqual([
      'lines.0.quantity QUANTITY_TOO_MANY_DECIMALS',
      'lines.0.unit_price PRICE_TOO_MANY_DECIMALS',
    ]);
    expect(codes({ lines: [{ quantity: '1.000000000', unit_price: '2.123456' }] })).toEqual([]);
  });

  it.each([
    ['zatca', 'S', 7, 'BR-KSA-84'],
    ['zatca', 'Z', 15, 'BR-Z-05'],
    ['zatca', 'E', 5, 'BR-E-05'],
    ['zatca', 'O', 15, 'BR-KSA-11'],
    ['pint-ae', 'S', 15, 'ibr-190-ae'],
    ['pint-ae', 'Z', 5, 'aligned-ibrp-z-05'],
    ['en16931', 'S', 0, 'BR-S-05'],
    ['en16931', 'E', 7, 'BR-E-05'],
  ] as const)('%s rejects category %s at %s %% with %s', (jurisdiction, category, rate, code) => {
    const result = computeTotals({
      jurisdiction,
      currency: jurisdiction === 'en16931' ? 'EUR' : undefined,
      lines: [{ quantity: 1, unit_price: 1, vat_category: category, vat_rate: rate }],
    });
    expect(result.errors.map((issue) => issue.code)).toContain(code);
  });

  it('accepts a standard rated ZATCA line at 5 % as BR-KSA-84 does, not only prepayments', () => {
    expect(
      codes({ jurisdiction: 'zatca', lines: [{ quantity: 1, unit_price: 100, vat_rate: '5' }] }),
    ).toEqual([]);
  });

  it('accepts any rate from 0 to 100 for standard rated EN 16931 lines', () => {
    expect(
      codes({
        jurisdiction: 'en16931',
        currency: 'EUR',
        lines: [{ quantity: 1, unit_price: 1, vat_rate: '7.7' }],
      }),
    ).toEqual([]);
  });

  it('requires ZATCA exemption reason codes that fit the category', () => {
    expect(
      codes({
        lines: [
          { quantity: 1, unit_price: 1, vat_category: 'Z' },
          { quantity: 1, unit_price: 1, vat_category: 'E', exemption_reason_code: 'VATEX-SA-32' },
          { quantity: 1, unit_price: 1, vat_category: 'O' },
        ],
      }),
    ).toEqual([
      'lines.1.exemption_reason_code BR-KSA-CL-04',
      'lines.0.exemption_reason_code BR-KSA-69',
      'lines.2.exemption_reason_code BR-KSA-24',
    ]);
  });

  it('requires an exemption reason code on UAE exempt lines only (ibr-167-ae)', () => {
    expect(
      codes({
        jurisdiction: 'pint-ae',
        lines: [
          { quantity: 1, unit_price: 1, vat_category: 'E' },
          { quantity: 1, unit_price: 1, vat_category: 'Z' },
        ],
      }),
    ).toEqual(['lines.0.exemption_reason_code ibr-167-ae']);
  });

  it('rejects unknown categories and categories foreign to the jurisdiction', () => {
    const junk = { quantity: 1, unit_price: 1, vat_category: 'X' } as unknown as LineInput;
    expect(codes({ lines: [junk, { quantity: 1, unit_price: 1, vat_category: 'AE' }] })).toEqual([
      'lines.0.vat_category VAT_CATEGORY_UNKNOWN',
      'lines.1.vat_category VAT_CATEGORY_NOT_ALLOWED',
    ]);
  });

  it('never throws on malformed input', () => {
    const garbage = { lines: [null, 'x', { quantity: {}, unit_price: [] }], allowances_charges: 5 };
    expect(() => computeTotals(garbage as unknown as DocumentInput)).not.toThrow();
  });
});
