import type { TotalsResult } from '@invoiceflow/totals';

/** `invoice`: a commercial invoice where the tax law does not ask for "Tax Invoice" (EN 16931 countries). */
export type InvoicePdfType =
  | 'invoice'
  | 'tax_invoice'
  | 'simplified_tax_invoice'
  | 'credit_note'
  | 'debit_note'
  | 'prepayment'
  /** An offer, not a tax document: its own number label, "valid until" for the due date, never a QR. */
  | 'quotation'
  /**
   * An order the buyer places: issued by `buyer` (its name heads the page), `seller` is the vendor; its own number
   * label, "expected delivery" for the due date, never a QR.
   */
  | 'purchase_order';

export interface PdfAddress {
  street?: string;
  /** BR-KSA-37: 4 digits in Saudi Arabia. */
  building_number?: string;
  additional_number?: string;
  district?: string;
  city?: string;
  postal_code?: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** PINT AE: emirate (e.g. "Dubai"); printed with the city. */
  emirate?: string;
}

export interface PdfParty {
  name_en?: string;
  name_ar?: string;
  /** The tax id: a VAT registration number, or a TRN (labelled by tax_id_label). */
  vat_number?: string;
  /** Commercial registration number or other seller/buyer id. */
  crn?: string;
  address?: PdfAddress;
}

/** Printed text of a line; amounts come from `totals.lines[i]` (same index). */
export interface PdfLineText {
  description?: string;
  description_ar?: string;
}

export interface PdfAttachment {
  /** File name inside the PDF, e.g. "INV-2024-0001.xml". */
  name: string;
  content: Buffer | Uint8Array;
  mime: string;
  /** PDF/A-3 AFRelationship; invoice XML is "Data" or "Source" (default "Data"). */
  relationship?: 'Data' | 'Source' | 'Alternative' | 'Supplement' | 'Unspecified';
  description?: string;
}

export interface InvoicePdfInput {
  type: InvoicePdfType;
  number: string;
  /** YYYY-MM-DD */
  issue_date: string;
  /** HH:MM:SS (ZATCA KSA-25); optional. */
  issue_time?: string;
  /**
   * The instant the document was issued (ISO 8601 with Z), which dates the PDF's metadata in UTC. issue_date and
   * issue_time are the seller's wall clock (Riyadh for ZATCA) and only date the metadata when this is absent.
   */
  issued_at?: string;
  supply_date?: string;
  supply_end_date?: string;
  due_date?: string;
  /** Credit/debit notes: the invoice being corrected (BR-KSA-56) and why (BR-KSA-17). */
  original_invoice_number?: string;
  original_invoice_date?: string;
  note_reason?: string;
  note_reason_ar?: string;
  /** ISO 4217; defaults to totals.totals.currency. */
  currency?: string;
  seller: PdfParty;
  buyer?: PdfParty;
  lines: PdfLineText[];
  totals: TotalsResult;
  notes?: string;
  notes_ar?: string;
  payment_terms?: string;
  /** The invoice's stable pay link, printed in every page's footer (where the company takes payments online). */
  pay_url?: string;
  payment_terms_ar?: string;
  /** ZATCA QR: base64 of the TLV bytes, encoded into the QR code exactly as given. */
  qr_payload?: string;
  /**
   * Arabic beside English on every label (the default), or English only: the seller's jurisdiction profile
   * decides (Saudi and UAE invoices are bilingual).
   */
  bilingual?: boolean;
  /**
   * The language of a one-language document (`bilingual: false`): its labels and title, where the renderer carries
   * that language (PDF_LANGUAGES), else English. A bilingual document's Latin side is English.
   */
  language?: string;
  /** How the parties' tax ids are labelled (the seller's jurisdiction profile): a VAT number, or a UAE TRN. */
  tax_id_label?: 'vat_number' | 'trn';
  /** PNG or JPEG bytes. */
  logo?: Buffer | Uint8Array;
  attachments?: PdfAttachment[];
  /** Write PDF/A-3b (XMP identification, output intent, associated files). */
  pdfa3?: boolean;
}

export interface RenderOptions {
  /** Document language for the catalog (default "en"). */
  lang?: string;
  /** Producer/Creator string written in the metadata (default "InvoiceFlow"). */
  creator?: string;
}
