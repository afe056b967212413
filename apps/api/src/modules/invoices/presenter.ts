import { type LineResult, roundMoney, unitPriceText } from '@invoiceflow/totals';
import { lifecycleOf, lifecycleStatusOf, nextSteps } from './lifecycle';
import type { InvoiceListRow, InvoiceWithState } from './queries';

export function presentListItem(row: InvoiceListRow) {
  return {
    id: row.id,
    invoice_number: row.number,
    type: row.type,
    subtype: row.subtype,
    status: row.status,
    invoice_date: row.issueDate,
    due_date: row.dueDate,
    customer_id: row.customerId,
    customer_name: row.customerNameEn,
    customer_name_ar: row.customerNameAr,
    currency: row.currency,
    // numeric columns come back as PostgreSQL prints them ("0", "80000"): every amount has its currency's digits.
    subtotal: roundMoney(row.subtotal, row.currency),
    vat_amount: roundMoney(row.vatAmount, row.currency),
    total_amount: roundMoney(row.totalAmount, row.currency),
    paid_amount: roundMoney(row.paidAmount, row.currency),
    credited_amount: roundMoney(row.creditedAmount, row.currency),
    amount_due: roundMoney(row.amountDue, row.currency),
    created_at: row.createdAt.toISOString(),
  };
}

/** The full document: the snapshot as issued, plus the live state (status, payments, credits). */
export function presentInvoice(row: InvoiceWithState) {
  const snapshot = row.snapshot;
  const lines = snapshot.totals.lines.map((result: LineResult, index: number) => {
    const input = snapshot.lines[index];
    return {
      description: input?.description ?? null,
      description_ar: input?.description_ar ?? null,
      product_id: input?.product_id ?? null,
      ...result,
      unit_price: unitPriceText(result.unit_price, row.currency),
    };
  });
  const lifecycle = lifecycleOf(snapshot.seller.country);
  return {
    ...presentListItem({ ...row, status: row.derivedStatus }),
    stored_status: row.status,
    lifecycle_status: lifecycleStatusOf(lifecycle, row.status),
    next_steps: lifecycle === 'approval' ? nextSteps(lifecycle, row.status) : [],
    customer_vat_number: row.customerVatNumber,
    customer_address: snapshot.buyer.address,
    // Seed 000's line shape, for clients written against it.
    line_items: lines.map((line) => ({
      description: line.description,
      quantity: line.quantity,
      unit_price: line.unit_price,
      vat_category: line.vat_category,
      vat_rate: line.vat_rate,
      net_amount: line.net_amount,
      vat_amount: line.vat_amount,
      total: line.amount_with_vat,
    })),
    payable_amount: roundMoney(row.payableAmount, row.currency),
    notes: snapshot.notes,
    original_invoice_id: row.originalInvoiceId,
    reason: row.reason,
    seller: snapshot.seller,
    buyer: snapshot.buyer,
    transaction_flags: snapshot.transaction_flags ?? {},
    lines,
    allowances_charges: snapshot.totals.allowances_charges,
    vat_breakdown: snapshot.totals.vat_breakdown,
    totals: snapshot.totals.totals,
    qr_code_data: row.qrPayload,
    // Invoices issued before warnings were kept have none.
    warnings: snapshot.warnings ?? [],
    // The stored PDF (modules/pdf) is added by the routes that carry it: generate, and a read with ?include=pdf.
    pdf_base64: null as string | null,
    issued_at: row.issuedAt?.toISOString() ?? null,
    sent_at: row.sentAt?.toISOString() ?? null,
    draft_body: row.draftBody ?? null,
  };
}
