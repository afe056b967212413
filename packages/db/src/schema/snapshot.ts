import { ITEM_TYPES, type ItemType } from '@invoiceflow/jurisdictions';
import type { LineInput, TotalsResult } from '@invoiceflow/totals';
import type { PostalAddress } from './companies';

/**
 * KSA-2 positions 3–7 (third party, nominal, export, summary, self-billed) for a Saudi invoice; PINT AE BTAE-02
 * (free zone, deemed supply, margin scheme, summary, continuous supply, disclosed agent, e-commerce, export) for a
 * UAE one. The country's profile says which.
 */
export interface TransactionFlags {
  third_party?: boolean;
  nominal?: boolean;
  export?: boolean;
  summary?: boolean;
  self_billed?: boolean;
  free_zone?: boolean;
  deemed_supply?: boolean;
  margin_scheme?: boolean;
  continuous_supply?: boolean;
  disclosed_agent?: boolean;
  ecommerce?: boolean;
}

/** PINT AE BTAE-13: goods, services or both (the UAE profile's table). */
export { ITEM_TYPES, type ItemType };

/** A line as entered (after catalogue defaults), with the product it came from and its classification. */
export type SnapshotLine = LineInput & {
  product_id?: string;
  item_type?: ItemType;
  /** IBT-158, scheme HS. */
  hs_code?: string;
  /** PINT AE BTAE-17, scheme SAC. */
  service_code?: string;
  /** PINT AE BTAE-09: what a reverse-charge line supplies (DL8.48.3.1 …). */
  rcm_type?: string;
  /** IBT-157, scheme 0160: the item's GTIN. */
  gtin?: string;
};

/** The issued document, frozen: later changes to the company, the customer or a product never reach it. */
export interface InvoiceSnapshot {
  version: 1;
  number: string;
  type: 'invoice' | 'credit_note' | 'debit_note';
  subtype: 'standard' | 'simplified';
  issue_date: string;
  issued_at: string;
  due_date: string | null;
  payment_terms_days: number | null;
  currency: string;
  tax_currency?: string;
  exchange_rate?: string;
  notes: string | null;
  original_invoice: { id: string; number: string; issue_date: string } | null;
  reason: string | null;
  seller: {
    company_id: string;
    legal_name_en: string;
    legal_name_ar: string | null;
    /** ISO 3166-1 alpha-2: the jurisdiction profile the invoice was issued under. */
    country: string;
    /** The company's time zone at issue (absent on invoices issued before companies had one). */
    time_zone?: string;
    vat_number: string | null;
    registration_number: string | null;
    /** BT-29-1 of registration_number (absent on invoices issued before companies had one: CRN). */
    registration_scheme?: string | null;
    /** PINT AE BTAE-12: who issued the registration (absent on older invoices and where none is kept). */
    registration_authority?: string;
    /** The Peppol electronic address (absent: a UAE company's is 0235 and its TIN). */
    peppol_endpoint?: { scheme: string; id: string };
    address: PostalAddress;
    /** The company logo (company_logos.id) the document was issued with; absent: none, or issued before logos. */
    logo_id?: string;
  };
  buyer: {
    customer_id: string | null;
    kind: 'company' | 'individual' | null;
    name_en: string;
    name_ar: string | null;
    vat_number: string | null;
    registration_number: string | null;
    /** BT-46-1 and BT-46: the buyer's id beside or instead of a VAT number (absent on older invoices). */
    id_scheme?: string | null;
    id_number?: string | null;
    /** PINT AE BTAE-11: who issued the buyer's registration (absent on older invoices). */
    registration_authority?: string;
    /** The buyer's Peppol electronic address (absent on older invoices and where the customer has none). */
    peppol_endpoint?: { scheme: string; id: string };
    /** Structured, or the seed's one-line text. */
    address: PostalAddress | string | null;
  };
  /** The transaction flags as named fields (absent on older invoices: none set). */
  transaction_flags?: TransactionFlags;
  /** PINT AE: a supply outside the scope of VAT (type 480, its credit notes 81). */
  out_of_scope?: boolean;
  /** PINT AE BTAE-03: a credit note's reason code (DL8.61.1.A–E, VD). */
  reason_code?: string;
  /** PINT AE BTAE-01: the free zone beneficiary; BTAE-14: the principal of a disclosed agent. */
  beneficiary_id?: string;
  principal_id?: string;
  /** BT-10 and BT-13: the buyer's reference and purchase order number, as the buyer asked them quoted. */
  buyer_reference?: string;
  order_reference?: string;
  /** BT-20: the payment terms as text. */
  payment_terms?: string;
  /** BG-14: the period a summary or continuous-supply invoice covers (frequency: PINT AE BTAE-06). */
  invoice_period?: { start_date: string; end_date: string; frequency?: string };
  /** BG-13: when and where the goods were delivered (the address structured like a customer's). */
  delivery?: { date?: string; address?: PostalAddress };
  /**
   * BG-16: how the invoice is paid (UNCL 4461 code; a credit transfer's IBAN, account name and BIC), the invoice's
   * own or the company's default bank account.
   */
  payment_means?: {
    code: string;
    account_id?: string;
    account_name?: string;
    bank_id?: string;
    payment_id?: string;
  };
  /** The lines as entered (after catalogue defaults), with the product they came from. */
  lines: SnapshotLine[];
  /** Everything the totals engine computed: per line, per VAT category, document totals. */
  totals: TotalsResult;
  /** What ZATCA only warns about, as answered when issued (absent on older invoices: none). */
  warnings?: { path: string; code: string; message: string; message_ar: string }[];
}
