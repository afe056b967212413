// What the UBL profiles are built from: the records' texts (seller, buyer, item texts, references) beside the
// totals engine's result, which holds every amount. Builders never do arithmetic on money.
import {
  type CreditReasonCode,
  PINT_AE_CREDIT_REASONS,
  PINT_AE_TRANSACTION_FLAGS,
} from '@invoiceflow/jurisdictions';
import type { TotalsResult } from '@invoiceflow/totals';

export type UblProfileName = 'pint-ae' | 'peppol-bis-3';

export interface UblAddress {
  street?: string;
  additional_street?: string;
  city?: string;
  postal_code?: string;
  /** IBT-039/054: for a UAE address the emirate code (AUH, DXB, SHJ, UAQ, FUJ, AJM, RAK; ibr-128-ae). */
  subdivision?: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

/** BTAE-15/16: how a legal registration is identified (PINT AE code list; ibr-173-ae, ibr-183-ae). */
export type LegalRegistrationType = 'TL' | 'EID' | 'PAS' | 'CD';

export interface UblLegalRegistration {
  id: string;
  /** PINT AE: the identifier's type (schemeAgencyID). */
  type?: LegalRegistrationType;
  /** BTAE-11/12: the issuing authority (a trade licence names it, ibr-101-ae / ibr-172-ae). */
  authority?: string;
  /** BTAE-18/19: the passport's issuing country (ibr-010-ae / ibr-012-ae). */
  passport_country?: string;
  /** Peppol BIS 3: the ISO 6523 ICD of the identifier (IBT-030-1), e.g. 0106 for a Dutch KvK number. */
  scheme?: string;
}

export interface UblEndpoint {
  /** CEF EAS code: 0235 for a UAE TIN, 0088 GLN, 9944 Dutch VAT, 0204 German Leitweg… */
  scheme: string;
  id: string;
}

export interface UblParty {
  /** IBT-027 / IBT-044 legal name. */
  name: string;
  trade_name?: string;
  address: UblAddress;
  /** IBT-031 / IBT-048: VAT identifier (UAE: the 15-digit TRN). */
  vat_number?: string;
  /** IBT-032: the seller's tax registration identifier when it has no VAT number (UAE TIN, 10 digits). */
  tax_number?: string;
  /** IBT-034 / IBT-049 electronic address. */
  endpoint?: UblEndpoint;
  legal_registration?: UblLegalRegistration;
  /** IBT-029 / IBT-046 party identifier. */
  identifier?: { id: string; scheme?: string };
  contact?: { name?: string; phone?: string; email?: string };
}

/** BTAE-02, the eight positions of PINT AE's invoice transaction type code, in the code's order. */
export interface PintAeTransactionFlags {
  free_zone?: boolean;
  deemed_supply?: boolean;
  margin_scheme?: boolean;
  summary?: boolean;
  continuous_supply?: boolean;
  disclosed_agent?: boolean;
  ecommerce?: boolean;
  export?: boolean;
}

export const PINT_AE_FLAGS = PINT_AE_TRANSACTION_FLAGS satisfies readonly (keyof PintAeTransactionFlags)[];

/** BTAE-03: the reasons for a PINT AE credit note (the UAE profile's table in @invoiceflow/jurisdictions). */
export { PINT_AE_CREDIT_REASONS };
export type PintAeCreditReason = CreditReasonCode;

/** BTAE-09: goods and services under the UAE reverse charge mechanism (PINT AE code list). */
export const PINT_AE_RCM_TYPES = [
  'DL8.48.3.1',
  'DL8.48.3.2',
  'DL8.48.3.3',
  'DL8.48.8.1',
  'DL8.48.8.2',
] as const;

/** BTAE-13: whether an item is goods, services or both (CommodityCode G / S / B). */
export type ItemType = 'goods' | 'services' | 'both';
/** IBT-158 with scheme HS: the 6 digits of the international nomenclature, up to 12 with a national tariff's. */
export const HS_CODE_PATTERN = /^\d{6,12}$/;
/** BTAE-17 with scheme SAC: a service accounting code (letters and digits). */
export const SERVICE_CODE_PATTERN = /^[A-Za-z0-9]{1,20}$/;
/** UNCL 4461: the payment means codes the product offers (PINT AE and Peppol BIS 3 accept the whole list). */
export const PAYMENT_MEANS_CODES = [
  '1',
  '10',
  '20',
  '30',
  '31',
  '42',
  '48',
  '49',
  '54',
  '55',
  '57',
  '58',
  '59',
  '68',
  '97',
  'ZZZ',
] as const;

export interface UblLineText {
  name: string;
  /** IBT-154 (PINT AE requires one, ibr-125-ae; the name is written when absent). */
  description?: string;
  note?: string;
  seller_item_id?: string;
  buyer_item_id?: string;
  /** IBT-157 standard identifier (a GTIN is scheme 0160; ibr-174-ae asks one on reverse-charge lines). */
  standard_id?: { id: string; scheme: string };
  item_type?: ItemType;
  /** IBT-158 with scheme HS (ibr-184-ae, ibr-188-ae). */
  hs_code?: string;
  /** BTAE-17 service accounting code, scheme SAC (ibr-185-ae, ibr-189-ae). */
  service_code?: string;
  /** BTAE-09 for reverse-charge lines (ibr-166-ae, ibr-006-ae). */
  rcm_type?: string;
  /** IBT-148 gross price and IBT-147 discount, when the net price came from a discounted list price. */
  gross_price?: string;
  price_discount?: string;
  period?: { start?: string; end?: string };
  origin_country?: string;
}

export interface UblPaymentMeans {
  /** UNCL 4461: 10 cash, 30 credit transfer, 48 card, 55 debit card, 58 SEPA credit transfer, 1 not defined. */
  code: string;
  /** IBT-084 payment account (IBAN), required for a credit transfer (ibr-192-ae, BR-61). */
  account_id?: string;
  account_name?: string;
  /** IBT-086 the payment service provider (BIC). */
  bank_id?: string;
  /** IBT-083 remittance information. */
  payment_id?: string;
}

export interface UblDocumentInput {
  kind: 'invoice' | 'credit_note';
  /** Self-billing: the buyer issues the invoice for the seller (PINT AE selfbilling-1@ae-1, type 389). */
  self_billing?: boolean;
  /** PINT AE type 480: a supply outside the scope of VAT (commercial invoice). */
  out_of_scope?: boolean;
  number: string;
  uuid: string;
  issue_date: string;
  /** hh:mm:ss, with the offset when known ("07:54:00+04:00"). */
  issue_time?: string;
  due_date?: string;
  /** IBT-007, the date of supply when it differs from the issue date. */
  tax_point_date?: string;
  note?: string;
  buyer_reference?: string;
  order_reference?: string;
  /** Credit notes: the invoices they correct (IBG-03). */
  billing_references?: { number: string; issue_date?: string }[];
  /** PINT AE BTAE-03 / Peppol: why a credit note is issued. */
  credit_reason?: { code?: string; text?: string };
  invoice_period?: { start?: string; end?: string; frequency?: string };
  transaction_flags?: PintAeTransactionFlags;
  /** BTAE-01: the free zone beneficiary (ibr-007-ae). */
  beneficiary_id?: string;
  /** BTAE-14: the principal's TRN on a disclosed agent's invoice (ibr-137-ae, ibr-176-ae). */
  principal_id?: string;
  contract_reference?: { id: string; value?: string };
  delivery?: { date?: string; address?: UblAddress; incoterms?: string };
  payment_means?: UblPaymentMeans;
  payment_terms?: string;
  seller: UblParty;
  buyer: UblParty;
  lines: UblLineText[];
  totals: TotalsResult;
}
