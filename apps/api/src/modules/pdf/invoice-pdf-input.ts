import type { InvoicePdfInput, PdfAddress } from '@invoiceflow/pdf';
import type { InvoiceSnapshot } from '../invoices/snapshot';

/**
 * The PDF renderer's input from an issued invoice's snapshot (the document as issued, never the live records),
 * with the ZATCA QR when the invoice has one.
 */
export function pdfInputOf(snapshot: InvoiceSnapshot, qr?: string): InvoicePdfInput {
  const type =
    snapshot.type === 'invoice'
      ? snapshot.subtype === 'simplified'
        ? 'simplified_tax_invoice'
        : 'tax_invoice'
      : snapshot.type;
  const buyerAddress: PdfAddress | undefined =
    typeof snapshot.buyer.address === 'string'
      ? { street: snapshot.buyer.address, country: '' }
      : (snapshot.buyer.address ?? undefined);
  const issuedAt = snapshot.issued_at ? new Date(snapshot.issued_at) : undefined;
  return {
    type,
    number: snapshot.number,
    issue_date: snapshot.issue_date,
    issue_time:
      issuedAt && !Number.isNaN(issuedAt.getTime()) ? issuedAt.toISOString().slice(11, 19) : undefined,
    due_date: snapshot.due_date ?? undefined,
    original_invoice_number: snapshot.original_invoice?.number,
    original_invoice_date: snapshot.original_invoice?.issue_date,
    note_reason: snapshot.reason ?? undefined,
    currency: snapshot.currency,
    seller: {
      name_en: snapshot.seller.legal_name_en,
      name_ar: snapshot.seller.legal_name_ar ?? undefined,
      vat_number: snapshot.seller.vat_number ?? undefined,
      crn: snapshot.seller.registration_number ?? undefined,
      address: snapshot.seller.address,
    },
    buyer: {
      name_en: snapshot.buyer.name_en,
      name_ar: snapshot.buyer.name_ar ?? undefined,
      vat_number: snapshot.buyer.vat_number ?? undefined,
      crn: snapshot.buyer.registration_number ?? undefined,
      address: buyerAddress,
    },
    lines: snapshot.lines.map((line) => ({
      description: line.description,
      description_ar: line.description_ar,
    })),
    totals: snapshot.totals,
    notes: snapshot.notes ?? undefined,
    qr_payload: qr,
  };
}
