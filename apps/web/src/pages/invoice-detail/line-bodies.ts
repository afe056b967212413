// An issued invoice's lines as request lines again: for a credit note of some of them (or part of their
// quantities), and for a new draft copied from the invoice.
import type { LineInput } from '@invoiceflow/totals';
import type { Invoice, InvoiceLine } from '../../api/domain-types';

/**
 * A line's quantity may be credited in part only when nothing on it is a fixed amount: a percentage allowance
 * scales with the quantity, a fixed one (or a prepayment) would be credited whole against a part of the goods.
 */
export function isQuantityAdjustable(line: InvoiceLine): boolean {
  return !line.prepayment && line.allowances_charges.every((ac) => ac.percent !== undefined);
}

/** The request line for `line` at `quantity` (its issued quantity by default). */
export function requestLine(line: InvoiceLine, quantity = line.quantity): LineInput {
  const isWhole = quantity === line.quantity;
  return {
    description: line.description ?? '',
    ...(line.description_ar ? { description_ar: line.description_ar } : {}),
    quantity,
    unit_price: line.unit_price,
    unit_code: line.unit_code,
    ...(line.base_quantity && line.base_quantity !== '1' ? { base_quantity: line.base_quantity } : {}),
    vat_category: line.vat_category,
    vat_rate: line.vat_rate,
    ...(line.exemption_reason_code ? { exemption_reason_code: line.exemption_reason_code } : {}),
    ...(line.allowances_charges.length > 0
      ? {
          allowances_charges: line.allowances_charges.map((ac) => ({
            is_charge: ac.is_charge,
            // A part of the quantity keeps the percentage, which the engine applies to the smaller base.
            ...(isWhole || ac.percent === undefined ? { amount: ac.amount } : { percent: ac.percent }),
            reason: ac.reason,
            reason_code: ac.reason_code,
          })),
        }
      : {}),
  };
}

/** A new draft with the invoice's customer, lines, discounts and notes; dates and number come fresh. */
export function duplicateBody(invoice: Invoice): Record<string, unknown> {
  return {
    ...(invoice.customer_id
      ? { customer_id: invoice.customer_id }
      : {
          // A buyer typed on the invoice (no customer record) is typed again.
          ...(invoice.customer_name ? { customer_name: invoice.customer_name } : {}),
          ...(invoice.customer_name_ar ? { customer_name_ar: invoice.customer_name_ar } : {}),
          ...(invoice.customer_vat_number ? { customer_vat_number: invoice.customer_vat_number } : {}),
          ...(invoice.buyer.address && typeof invoice.buyer.address === 'object'
            ? { customer_address: invoice.buyer.address }
            : {}),
        }),
    currency: invoice.currency,
    subtype: invoice.subtype,
    lines: invoice.lines.map((line) => requestLine(line)),
    ...(invoice.allowances_charges.length > 0 ? { allowances_charges: invoice.allowances_charges } : {}),
    ...(invoice.notes ? { notes: invoice.notes } : {}),
  };
}
