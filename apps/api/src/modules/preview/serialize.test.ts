// The preview's hand-written serializer writes exactly what JSON.stringify would: same fields, same escaping.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { previewDocument } from './routes';
import { serializePreview } from './serialize';

/** Text that needs every kind of escaping: quotes, backslashes, controls, lone surrogates, Arabic, emoji. */
const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom(
    '"',
    '\\',
    '\n\t',
    '\u0000',
    '\ud800',
    'x\udc00y',
    'خصم "خاص"',
    '😀',
    '</script>',
    '\u2028',
  ),
);
const amount = fc.oneof(
  fc.constantFrom('1', '0', '15', '5', '0.5', '-3', '1e3', 'abc', '', '12.345678'),
  fc.integer({ min: -1000, max: 100000 }).map((n) => (n / 100).toString()),
  fc.integer({ min: 0, max: 1000 }),
);
const allowanceCharge = fc.record(
  {
    is_charge: fc.boolean(),
    amount,
    percent: amount,
    base_amount: amount,
    reason: hostileText,
    reason_code: hostileText,
    vat_category: fc.constantFrom('S', 'Z', 'E', 'O', 'AE', 'X', ''),
    vat_rate: amount,
    exemption_reason_code: fc.constantFrom('VATEX-SA-32', 'VATEX-SA-29', 'bad"code'),
    exemption_reason: hostileText,
  },
  { requiredKeys: [] },
);
const line = fc.record(
  {
    description: hostileText,
    quantity: amount,
    unit_price: amount,
    unit_code: hostileText,
    base_quantity: amount,
    vat_category: fc.constantFrom('S', 'Z', 'E', 'O', 'AE', 'K', 'N', 'Q', ''),
    vat_rate: amount,
    exemption_reason_code: fc.constantFrom('VATEX-SA-32', 'VATEX-SA-29', 'VATEX-SA-OOS', 'x\ny'),
    exemption_reason: hostileText,
    allowances_charges: fc.array(allowanceCharge, { maxLength: 2 }),
    prepayment: fc.record({
      invoice_number: hostileText,
      uuid: fc.constant('0b3a9b1c-4d3e-4f5a-8b6c-7d8e9f0a1b2c'),
      issue_date: fc.constant('2026-01-01'),
      taxable_amount: amount,
      vat_amount: amount,
    }),
  },
  { requiredKeys: ['quantity', 'unit_price'] },
);
const body = fc.record(
  {
    jurisdiction: fc.constantFrom('SA', 'AE', 'GENERIC', 'XX'),
    currency: fc.constantFrom('SAR', 'AED', 'USD', 'KWD', 'JPY', 'usd', 'E"R'),
    tax_currency: fc.constantFrom('SAR', 'AED', 'USD'),
    exchange_rate: amount,
    lines: fc.array(line, { maxLength: 4 }),
    allowances_charges: fc.array(allowanceCharge, { maxLength: 3 }),
    prepaid_amount: amount,
    rounding_amount: amount,
    customer_name: hostileText,
    customer_vat_number: hostileText,
  },
  { requiredKeys: ['lines'] },
);

const roundTrips = (payload: Record<string, unknown>) => {
  const answer = previewDocument(payload);
  const text = serializePreview(answer);
  expect(text).toBe(JSON.stringify(answer));
};

describe('serializePreview', () => {
  it('writes what JSON.stringify writes, for generated invoices with hostile text', () => {
    fc.assert(
      fc.property(body, (payload) => roundTrips(payload as Record<string, unknown>)),
      { numRuns: 400 },
    );
  });

  it('covers every optional field: exemptions, prepayment, exchange rate, percentages, errors', () => {
    roundTrips({
      jurisdiction: 'SA',
      currency: 'USD',
      tax_currency: 'SAR',
      exchange_rate: '3.75',
      lines: [
        {
          quantity: '2',
          unit_price: '100',
          unit_code: 'H87',
          vat_category: 'Z',
          vat_rate: '0',
          exemption_reason_code: 'VATEX-SA-32',
          exemption_reason: 'Export "of" goods\n',
          allowances_charges: [{ is_charge: false, percent: '10', reason: 'خصم', reason_code: '95' }],
        },
        {
          quantity: '1',
          unit_price: '0',
          vat_category: 'S',
          vat_rate: '15',
          prepayment: {
            invoice_number: 'INV-1',
            uuid: '0b3a9b1c-4d3e-4f5a-8b6c-7d8e9f0a1b2c',
            issue_date: '2026-01-01',
            taxable_amount: '100',
            vat_amount: '15',
          },
        },
      ],
      allowances_charges: [
        {
          is_charge: true,
          amount: '5',
          vat_category: 'Z',
          vat_rate: '0',
          exemption_reason_code: 'VATEX-SA-32',
        },
      ],
      prepaid_amount: '1',
      rounding_amount: '0.01',
      customer_name: 'Ahmed\u0001',
    });
  });
});
