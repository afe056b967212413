// Wire types of the business endpoints (customers, products, drafts, invoices, payments, dashboard), read from the
// generated OpenAPI types (wire.ts), which the API's Zod schemas produce. Amounts are decimal strings. Where the
// document leaves a member untyped (`unknown`: the totals engine's results, a party as stored), the type here says
// what it holds.
import type { DocumentTotals, LineResult, ResolvedAllowanceCharge, VatBreakdown } from '@invoiceflow/totals';
import type { CountryCode } from './types';
import type { Item, Reply } from './wire';

export type Money = `${number}`;

export interface Page {
  total: number;
  page: number;
  page_size: number;
}

export interface PartyAddress {
  street?: string;
  building_number?: string;
  additional_number?: string;
  district?: string;
  city?: string;
  postal_code?: string;
  country: CountryCode | (string & {});
  emirate?: string;
}

/** The company; its address is declared loosely on the wire (a record of strings), so its members are named here. */
export type Company = Omit<Reply<'/api/v1/companies/current'>, 'address'> & { address: PartyAddress };

/** The rates a company may charge: fixed by its country's rules, or its own list. */
export type CompanyTaxRates = Reply<'/api/v1/companies/current/tax-rates'>;

/** A customer; like the company's, its address is a record of strings on the wire. */
export type Customer = Omit<Reply<'/api/v1/customers/{id}'>, 'address'> & { address: PartyAddress };

export interface CustomerInput {
  kind: 'company' | 'individual';
  name_en: string;
  name_ar?: string | null;
  vat_number?: string | null;
  email?: string | null;
  phone?: string | null;
  address: PartyAddress;
  payment_terms_days?: number | null;
}

export type Product = Item<Reply<'/api/v1/products'>['products']>;

export interface ProductInput {
  name_en: string;
  name_ar?: string | null;
  sku?: string | null;
  unit_code: string;
  unit_price: string;
  vat_category: string;
  vat_rate?: string;
  item_type?: 'goods' | 'services' | 'both' | null;
  hs_code?: string | null;
  service_code?: string | null;
}

export type Draft = Reply<'/api/v1/drafts/{id}'>;

export type InvoiceStatus =
  | 'draft'
  | 'issued'
  | 'approved'
  | 'sent'
  | 'partially_paid'
  | 'paid'
  | 'overdue'
  | 'credited';
export type InvoiceType = 'invoice' | 'credit_note' | 'debit_note' | (string & {});

/** An invoice in a list; its status is one of InvoiceStatus (the document declares a string). */
export type InvoiceListItem = Omit<Item<Reply<'/api/v1/invoices'>['invoices']>, 'status'> & {
  status: InvoiceStatus;
};

export interface InvoiceParty {
  /** The seller's country (its jurisdiction profile). */
  country?: string;
  legal_name_en?: string;
  legal_name_ar?: string | null;
  name_en?: string;
  name_ar?: string | null;
  vat_number?: string | null;
  registration_number?: string | null;
  address?: PartyAddress | string | null;
}

export interface InvoiceLine extends LineResult {
  description: string | null;
  description_ar: string | null;
  product_id: string | null;
}

/** The steps of the approval lifecycle (UAE): draft → finalized → approved → sent. */
export type LifecycleStep = 'finalize' | 'approve' | 'send';

type WireInvoice = Reply<'/api/v1/invoices/{id}'>;

/** An invoice; the parties, lines and totals are the totals engine's results (`unknown` in the document). */
export type Invoice = Omit<
  WireInvoice,
  'status' | 'seller' | 'buyer' | 'lines' | 'allowances_charges' | 'vat_breakdown' | 'totals'
> & {
  status: InvoiceStatus;
  seller: InvoiceParty;
  buyer: InvoiceParty;
  lines: InvoiceLine[];
  allowances_charges: ResolvedAllowanceCharge[];
  vat_breakdown: VatBreakdown[];
  totals: DocumentTotals;
};

export type RuleWarning = Item<WireInvoice['warnings']>;

export type InvoiceList = Omit<Reply<'/api/v1/invoices'>, 'invoices'> & { invoices: InvoiceListItem[] };

export interface InvoiceQuery {
  q?: string;
  status?: InvoiceStatus | '';
  customer_id?: string;
  date_from?: string;
  date_to?: string;
  page?: number;
  page_size?: number;
}

export type Payment = Item<Reply<'/api/v1/payments'>['payments']>;
export type Allocation = Item<Payment['allocations']>;
export type PaymentMethod = Payment['payment_method'];
/** The methods a person records by hand (iDEAL payments come from the gateway). */
export const PAYMENT_METHODS = [
  'bank_transfer',
  'cash',
  'card',
  'other',
] as const satisfies readonly PaymentMethod[];

export interface PaymentInput {
  customer_id?: string | null;
  amount: string;
  payment_date?: string;
  payment_method: PaymentMethod;
  reference?: string | null;
  allocations?: { invoice_id: string; amount: string }[];
}

export type InvoicePaymentSummary = Reply<'/api/v1/invoices/{id}/payments'>;

export interface CountAndAmount {
  count: number;
  amount: Money;
}

export type Dashboard = Reply<'/api/v1/dashboard'>;
