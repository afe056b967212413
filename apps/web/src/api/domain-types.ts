// Wire types of the business endpoints (customers, products, drafts, invoices, payments, dashboard), as the
// API's Zod response schemas declare them (apps/api/src/modules/*/schemas.ts). Amounts are decimal strings.
import type { DocumentTotals, LineResult, ResolvedAllowanceCharge, VatBreakdown } from '@invoiceflow/totals';
import type { CountryCode } from './types';

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

export interface Company {
  id: string;
  legal_name_en: string;
  legal_name_ar: string | null;
  country: CountryCode;
  vat_number: string | null;
  registration_number: string | null;
  address: PartyAddress;
  currency: string;
  /** IANA time zone of the company's calendar. */
  time_zone?: string;
}

/** The rates a company may charge: fixed by its country's rules, or its own list. */
export interface CompanyTaxRates {
  kind: 'fixed' | 'company';
  rates: string[];
}

export interface Customer {
  id: string;
  kind: 'company' | 'individual';
  name_en: string;
  name_ar: string | null;
  vat_number: string | null;
  registration_number: string | null;
  email: string | null;
  phone: string | null;
  address: PartyAddress;
  payment_terms_days: number | null;
  currency: string | null;
  notes: string | null;
  /** The buyer's Peppol address (BT-49), when it has one. */
  peppol_endpoint?: { scheme: string; id: string } | null;
  is_archived: boolean;
  created_at: string;
  updated_at: string;
}

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

export interface Product {
  id: string;
  name_en: string;
  name_ar: string | null;
  description: string | null;
  sku: string | null;
  unit_code: string;
  unit_price: string;
  vat_category: string;
  vat_rate: string;
  /** PINT AE BTAE-13 (UAE companies): goods, services or both, with an HS or service accounting code. */
  item_type?: 'goods' | 'services' | 'both' | null;
  hs_code?: string | null;
  service_code?: string | null;
  is_archived: boolean;
}

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

export interface Draft {
  id: string;
  draft_data: Record<string, unknown>;
  name: string | null;
  is_auto_saved: boolean;
  version: number;
  created_at: string;
  updated_at: string;
}

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

export interface InvoiceListItem {
  id: string;
  invoice_number: string;
  type: InvoiceType;
  subtype: 'standard' | 'simplified' | (string & {});
  status: InvoiceStatus;
  invoice_date: string;
  due_date: string | null;
  customer_id: string | null;
  customer_name: string;
  customer_name_ar: string | null;
  currency: string;
  subtotal: Money;
  vat_amount: Money;
  total_amount: Money;
  paid_amount: Money;
  credited_amount: Money;
  amount_due: Money;
  created_at: string;
}

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

export interface Invoice extends InvoiceListItem {
  stored_status: string;
  /** The status as the company's lifecycle names it (UAE: finalized for an issued invoice). */
  lifecycle_status?: string;
  /** Where invoices are approved before they are sent: the steps the invoice may take now. */
  next_steps?: LifecycleStep[];
  customer_vat_number: string | null;
  payable_amount: Money;
  notes: string | null;
  original_invoice_id: string | null;
  reason: string | null;
  seller: InvoiceParty;
  buyer: InvoiceParty;
  lines: InvoiceLine[];
  allowances_charges: ResolvedAllowanceCharge[];
  vat_breakdown: VatBreakdown[];
  totals: DocumentTotals;
  qr_code_data: string | null;
  pdf_base64: string | null;
  issued_at: string | null;
  sent_at: string | null;
  /** A draft invoice's saved request (what PUT replaces); null once issued. */
  draft_body?: Record<string, unknown> | null;
  /** What the rules warned about when the invoice was issued (never a reason not to issue); absent on old ones. */
  warnings?: RuleWarning[];
}

export interface RuleWarning {
  path: string;
  code: string;
  message: string;
  message_ar?: string;
}

export interface InvoiceList extends Page {
  total_is_exact: boolean;
  invoices: InvoiceListItem[];
}

export interface InvoiceQuery {
  q?: string;
  status?: InvoiceStatus | '';
  customer_id?: string;
  date_from?: string;
  date_to?: string;
  page?: number;
  page_size?: number;
}

export const PAYMENT_METHODS = ['bank_transfer', 'cash', 'card', 'other'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export interface Allocation {
  id: string;
  payment_id: string;
  invoice_id: string;
  invoice_number: string;
  amount: Money;
  notes: string | null;
  created_at: string;
}

export interface Payment {
  id: string;
  customer_id: string | null;
  amount: Money;
  allocated_amount: Money;
  unallocated_amount: Money;
  currency: string;
  payment_date: string;
  payment_method: PaymentMethod;
  reference: string | null;
  status: 'pending' | 'completed' | (string & {});
  notes: string | null;
  allocations: Allocation[];
  created_at: string;
}

export interface PaymentInput {
  customer_id?: string | null;
  amount: string;
  payment_date?: string;
  payment_method: PaymentMethod;
  reference?: string | null;
  allocations?: { invoice_id: string; amount: string }[];
}

export interface InvoicePaymentSummary {
  invoice_id: string;
  invoice_number: string;
  currency: string;
  invoice_total: Money;
  credited_amount: Money;
  total_paid: Money;
  total_outstanding: Money;
  is_fully_paid: boolean;
  payment_status: 'unpaid' | 'partially_paid' | 'paid';
  payments: Payment[];
}

export interface CountAndAmount {
  count: number;
  amount: Money;
}

export interface Dashboard {
  currency: string;
  from: string;
  to: string;
  as_of: string;
  revenue_received: Money;
  /** Money received per month of payment; months without payments are left out. */
  revenue_by_month: { month: string; received: Money }[];
  outstanding: CountAndAmount;
  overdue: CountAndAmount;
  aging: Record<'current' | 'days_0_30' | 'days_31_60' | 'days_61_90' | 'days_90_plus', CountAndAmount>;
  vat_by_month: { month: string; vat_invoiced: Money; vat_credited: Money; vat_due: Money }[];
  top_customers: { customer_id: string | null; name: string; received: Money; invoice_count: number }[];
}
