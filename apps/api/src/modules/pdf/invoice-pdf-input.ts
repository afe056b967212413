// THE mapping from an issued invoice to the PDF renderer's input (the download, the generate response and the
// e-mail attachment all go through it): the frozen snapshot, never the live company/customer/product records,
// plus what ZATCA issuing stored (QR payload, signed or cleared XML).

import type { InvoiceSnapshot } from '@invoiceflow/db/schema';
import { findProfile, type JurisdictionProfile } from '@invoiceflow/jurisdictions';
import {
  type InvoicePdfInput,
  type InvoicePdfType,
  type PdfAddress,
  paymentTermsText,
} from '@invoiceflow/pdf';
import { buildQrPayload } from '@invoiceflow/zatca';
import { wallClockTime } from '../../lib/time-zones';

export interface StoredZatcaArtifacts {
  /** KSA-14 as issued (Phase 2, tags 1–9): base64 TLV. */
  qr?: string;
  /** The XML attached to the PDF/A-3: the signed XML as issued, or ZATCA's cleared XML. */
  xml?: string;
}

/**
 * HH:MM:SS on the seller's wall clock: the time the ZATCA XML (KSA-25) and its QR (tag 3) carry. Invoices issued
 * before companies had a time zone use their country's.
 */
function localTime(instant: string, seller: InvoiceSnapshot['seller']): string | undefined {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return undefined;
  return wallClockTime(seller.time_zone ?? findProfile(seller.country)?.timeZone ?? 'UTC', date);
}

/**
 * Phase 1 QR (tags 1–5) for a Saudi document that has no stored ZATCA QR (issued before its EGS existed): what a
 * simplified invoice must carry at the least. Amounts in SAR: the VAT total in the tax currency when it differs.
 */
export function phaseOneQr(snapshot: InvoiceSnapshot, issueTime: string | undefined): string | undefined {
  const { seller, totals } = snapshot;
  if (!findProfile(seller.country)?.pdf.hasZatcaQr || !seller.vat_number) return undefined;
  return buildQrPayload({
    sellerName: seller.legal_name_ar ?? seller.legal_name_en,
    vatNumber: seller.vat_number,
    timestamp: `${snapshot.issue_date}T${issueTime ?? '00:00:00'}`,
    totalWithVat: totals.totals.tax_inclusive_amount,
    vatTotal: totals.totals.tax_amount_in_tax_currency ?? totals.totals.tax_amount,
  });
}

/** "INV-2026-000001.xml": the attachment's name inside the PDF (no path separators). */
export function xmlFileName(number: string): string {
  return `${number.replace(/[/\\]/g, '_')}.xml`;
}

function paymentTerms(
  days: number | null,
  isBilingual: boolean,
  language: string | undefined,
): Pick<InvoicePdfInput, 'payment_terms' | 'payment_terms_ar'> {
  if (days === null || days === undefined) return {};
  if (!isBilingual) return { payment_terms: paymentTermsText(days, language) };
  if (days === 0) return { payment_terms: 'Due on receipt', payment_terms_ar: 'مستحقة عند الاستلام' };
  return { payment_terms: `Net ${days} days`, payment_terms_ar: `الدفع خلال ${days} يوم` };
}

/** The document's title, as the seller's profile names its invoices. */
function pdfType(snapshot: InvoiceSnapshot, profile: JurisdictionProfile | undefined): InvoicePdfType {
  if (snapshot.type !== 'invoice') return snapshot.type;
  if (profile && !profile.pdf.hasTaxInvoiceTitle) return 'invoice';
  return snapshot.subtype === 'simplified' ? 'simplified_tax_invoice' : 'tax_invoice';
}

/**
 * `quotation`: the same layout titled "Quotation / عرض سعر", the snapshot's due date read as its validity; an
 * offer is no tax document, so no QR, no e-invoice and no PDF/A-3 attachment.
 */
export function pdfInputOf(
  snapshot: InvoiceSnapshot,
  zatca: StoredZatcaArtifacts = {},
  { isQuotation = false, logo, payUrl }: { isQuotation?: boolean; logo?: Uint8Array; payUrl?: string } = {},
): InvoicePdfInput {
  // The profile of the seller's country as issued: its PDF options (languages, title, QR, PDF/A-3 with XML).
  const profile = findProfile(snapshot.seller.country);
  const isBilingual = profile?.pdf.isBilingual ?? true;
  const type = isQuotation ? 'quotation' : pdfType(snapshot, profile);
  const buyerAddress: PdfAddress | undefined =
    typeof snapshot.buyer.address === 'string'
      ? { street: snapshot.buyer.address, country: '' }
      : (snapshot.buyer.address ?? undefined);
  const issueTime = snapshot.issued_at ? localTime(snapshot.issued_at, snapshot.seller) : undefined;
  return {
    type,
    bilingual: isBilingual,
    ...(profile?.pdf.language ? { language: profile.pdf.language } : {}),
    number: snapshot.number,
    issue_date: snapshot.issue_date,
    issue_time: issueTime,
    ...(snapshot.issued_at ? { issued_at: snapshot.issued_at } : {}),
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
    ...paymentTerms(snapshot.payment_terms_days, isBilingual, profile?.pdf.language),
    qr_payload: isQuotation ? undefined : (zatca.qr ?? phaseOneQr(snapshot, issueTime)),
    ...(payUrl && !isQuotation ? { pay_url: payUrl } : {}),
    tax_id_label: profile?.taxIdLabel,
    // The logo named by the snapshot (seller.logo_id), read by the caller; without one the space is left out.
    ...(logo ? { logo } : {}),
    // ZATCA: the invoice XML travels inside the PDF/A-3 as an associated file (AFRelationship Data).
    pdfa3: !isQuotation && (profile?.einvoiceFormats.includes('zatca-ubl') ?? false),
    attachments:
      !isQuotation && zatca.xml
        ? [
            {
              name: xmlFileName(snapshot.number),
              content: Buffer.from(zatca.xml, 'utf8'),
              mime: 'application/xml',
              relationship: 'Data',
              description: `${snapshot.number} (UBL 2.1, ZATCA)`,
            },
          ]
        : [],
  };
}
