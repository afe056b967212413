// Input of the ZATCA builder. Amounts are never here: they come from the totals engine (TotalsResult).
import type { DocumentInput, TotalsResult } from '@invoiceflow/totals';

/** A name or text that may be bilingual; rendered "Arabic | English" as in the ZATCA samples. */
export type LocalizedText = string | { ar?: string; en?: string };

/** BT-3: 388 tax invoice, 381 credit note, 383 debit note, 386 prepayment invoice (XML standard §11.2.1). */
export type ZatcaDocumentType = 'invoice' | 'credit_note' | 'debit_note' | 'prepayment';

/** KSA-2 positions 1–2: 01 standard (B2B, clearance), 02 simplified (B2C, reporting). */
export type ZatcaSubtype = 'standard' | 'simplified';

/** KSA-2 positions 3–7 (BR-KSA-06: NNPNESB). */
export interface ZatcaTransactionFlags {
  third_party?: boolean;
  nominal?: boolean;
  export?: boolean;
  summary?: boolean;
  self_billed?: boolean;
}

/** BT-29 / BT-46 scheme ids (BR-KSA-08, BR-KSA-14). */
export type ZatcaPartyIdScheme =
  | 'CRN'
  | 'MOM'
  | 'MLS'
  | 'SAG'
  | 'OTH'
  | '700'
  | 'TIN'
  | 'NAT'
  | 'GCC'
  | 'IQA'
  | 'PAS';

export interface ZatcaPartyId {
  scheme: ZatcaPartyIdScheme;
  value: string;
}

export interface ZatcaAddress {
  /** BT-35 / BT-50 */
  street?: string;
  /** BT-36 / BT-51 */
  additional_street?: string;
  /** KSA-17 / KSA-18: 4 digits (BR-KSA-37) */
  building_number?: string;
  /** KSA-23 / KSA-19: additional number (PlotIdentification) */
  additional_number?: string;
  /** KSA-3 / KSA-4 (CitySubdivisionName) */
  district?: string;
  /** BT-37 / BT-52 */
  city?: string;
  /** BT-38 / BT-53: 5 digits in SA (BR-KSA-66, BR-KSA-67) */
  postal_code?: string;
  /** BT-39 / BT-54 */
  province?: string;
  /** BT-40 / BT-55: ISO 3166-1 alpha-2 */
  country: string;
}

export interface ZatcaSeller {
  name: LocalizedText;
  /** BT-31: 15 digits, first and last 3 (BR-KSA-40). */
  vat_number: string;
  /** BT-29 (BR-KSA-08): exactly one of CRN, MOM, MLS, SAG, OTH, 700. */
  other_id?: ZatcaPartyId;
  address: ZatcaAddress;
}

export interface ZatcaBuyer {
  name?: LocalizedText;
  /** BT-48 (BR-KSA-44) */
  vat_number?: string;
  /** BT-46 (BR-KSA-14, BR-KSA-81): required for standard invoices when the buyer has no VAT number. */
  other_id?: ZatcaPartyId;
  address?: ZatcaAddress;
}

export interface ZatcaNote {
  text: string;
  /** ISO 639-1, e.g. "ar" or "en" */
  language?: string;
}

/** KSA-26..KSA-30: the prepayment invoice (386) an adjustment line refers to. */
export interface ZatcaPrepaymentReference {
  invoice_number: string;
  uuid: string;
  issue_date: string;
  issue_time?: string;
}

export interface ZatcaLineText {
  /** BT-153 item name */
  name: LocalizedText;
  /** BT-155 seller's item identifier */
  seller_item_id?: string;
  /** Present on a prepayment adjustment line (the amounts come from LineResult.prepayment). */
  prepayment?: ZatcaPrepaymentReference;
}

export interface ZatcaInvoiceInput {
  type: ZatcaDocumentType;
  subtype: ZatcaSubtype;
  flags?: ZatcaTransactionFlags;
  /** BT-1 */
  number: string;
  /** KSA-1: letters, digits and dashes (BR-KSA-03). */
  uuid: string;
  /** BT-2 YYYY-MM-DD */
  issue_date: string;
  /** KSA-25 hh:mm:ss (local) or hh:mm:ssZ (BR-KSA-70) */
  issue_time: string;
  /** KSA-16 invoice counter value of the EGS (ICV) */
  counter: number;
  /** KSA-13 previous invoice hash; FIRST_PIH for the first invoice of an EGS. */
  previous_hash: string;
  /** BT-25 the invoice(s) a credit or debit note corrects (BR-KSA-56). */
  billing_references?: string[];
  /** KSA-10 reason for issuing a credit or debit note (BR-KSA-17), written as PaymentMeans/InstructionNote. */
  note_reason?: string;
  /** KSA-5 supply date */
  supply_date?: string;
  /** KSA-24 supply end date (summary invoices, BR-KSA-72) */
  supply_end_date?: string;
  /** BT-81 UNTDID 4461; default "10" (cash). */
  payment_means_code?: string;
  /** BT-22 */
  notes?: ZatcaNote[];
  seller: ZatcaSeller;
  buyer?: ZatcaBuyer;
  /** Computed by computeTotals from @invoiceflow/totals; the builder only writes these amounts. */
  totals: TotalsResult;
  /** One per totals.lines entry, same order. */
  lines: ZatcaLineText[];
}

/** Line texts from the totals engine's input: "Arabic | English" item names. */
export function lineTextsFromDocument(doc: DocumentInput): ZatcaLineText[] {
  return doc.lines.map((line, i) => {
    const name: LocalizedText =
      line.description_ar || line.description
        ? { ar: line.description_ar, en: line.description }
        : `Item ${i + 1}`;
    const p = line.prepayment;
    if (!p) return { name };
    return {
      name,
      prepayment: {
        invoice_number: p.invoice_number,
        uuid: p.uuid,
        issue_date: p.issue_date,
        issue_time: p.issue_time,
      },
    };
  });
}

/**
 * BT-27 and QR tag 1 carry one legal name: the Arabic one where the company has it (the name registered with
 * ZATCA), else the English one. Two names joined would be neither.
 */
export function sellerLegalName(en: string, ar: string | null | undefined): string {
  return ar?.trim() ? ar : en;
}

export function renderLocalized(text: LocalizedText | undefined): string {
  if (text === undefined) return '';
  if (typeof text === 'string') return text;
  const parts = [text.ar, text.en].filter((p): p is string => p !== undefined && p.trim() !== '');
  return parts.join(' | ');
}
