import { computeTotals } from '@invoiceflow/totals';
import { describe, expect, it } from 'vitest';
import type { InvoiceLine } from '../src/api/domain-types';
import { isQuantityAdjustable, requestLine } from '../src/pages/invoice-detail/line-bodies';

// The lines a credit note (or a copied draft) sends again: an issued line at its own or a smaller quantity.

function issuedLine(quantity: string, price: string, discount?: { amount: string; percent?: string }) {
  const { lines } = computeTotals({
    jurisdiction: 'zatca',
    currency: 'SAR',
    lines: [
      {
        quantity,
        unit_price: price,
        vat_category: 'S',
        vat_rate: '15',
        ...(discount
          ? {
              allowances_charges: [
                {
                  is_charge: false,
                  ...(discount.percent ? { percent: discount.percent } : { amount: discount.amount }),
                  reason: 'Discount',
                  reason_code: '95',
                },
              ],
            }
          : {}),
      },
    ],
  });
  const [line] = lines;
  if (!line) throw new Error('no line');
  return { ...line, description: 'Consulting', description_ar: null, product_id: null } as InvoiceLine;
}

const creditOf = (line: InvoiceLine, quantity: string) =>
  computeTotals({ jurisdiction: 'zatca', currency: 'SAR', lines: [requestLine(line, quantity)] }).totals
    .tax_inclusive_amount;

describe('a line credited in part', () => {
  it('credits the chosen quantity at the issued price', () => {
    expect(creditOf(issuedLine('3', '1000'), '1')).toBe('1150.00');
  });

  it('scales a percentage discount with the quantity', () => {
    const line = issuedLine('4', '100', { amount: '', percent: '10' });
    expect(isQuantityAdjustable(line)).toBe(true);
    // 1 × 100 − 10 % = 90, + 15 % VAT
    expect(creditOf(line, '1')).toBe('103.50');
    // The whole line gives back exactly what was invoiced.
    expect(creditOf(line, line.quantity)).toBe(line.amount_with_vat);
  });

  it('keeps a line with a fixed discount whole', () => {
    const line = issuedLine('4', '100', { amount: '25' });
    expect(isQuantityAdjustable(line)).toBe(false);
    expect(creditOf(line, line.quantity)).toBe(line.amount_with_vat);
  });
});
