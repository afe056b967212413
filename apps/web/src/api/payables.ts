// Accounts payable: vendors, purchase orders and their goods receipts, supplier invoices with their stored
// three-way match, bills to pay and supplier payments (apps/api/src/modules/{vendors,purchase-orders,
// supplier-invoices}). Amounts are the API's decimal strings, never numbers.
import type { ApiClient } from './client';
import type { Page, PaymentMethod } from './domain-types';
import { queryString } from './resources';

type Signal = { signal?: AbortSignal };
type Money = `${number}`;

// ── Vendors ──
export interface VendorContact {
  name: string;
  email?: string;
  phone?: string;
  role?: string;
}

export interface Vendor {
  id: string;
  name_en: string;
  name_ar: string | null;
  vat_number: string | null;
  registration_number: string | null;
  peppol_endpoint: { scheme: string; id: string } | null;
  email: string | null;
  phone: string | null;
  address: Record<string, string>;
  contacts: VendorContact[];
  payment_terms_days: number | null;
  currency: string | null;
  iban: string | null;
  bank_name: string | null;
  notes: string | null;
  is_archived: boolean;
  archived_at: string | null;
}

export interface VendorInput {
  name_en: string;
  name_ar: string | null;
  vat_number: string | null;
  registration_number: string | null;
  peppol_endpoint: { scheme: string; id: string } | null;
  email: string | null;
  phone: string | null;
  address: Record<string, string>;
  contacts: VendorContact[];
  payment_terms_days: number | null;
  currency: string | null;
  iban: string | null;
  bank_name: string | null;
  notes: string | null;
}

export const listVendors = (
  api: ApiClient,
  params: { q?: string; page?: number; page_size?: number; include_archived?: boolean },
  opts?: Signal,
) => api.get<Page & { vendors: Vendor[] }>(`/api/v1/vendors${queryString(params)}`, opts);
export const createVendor = (api: ApiClient, input: VendorInput) =>
  api.post<Vendor>('/api/v1/vendors', input);
export const updateVendor = (api: ApiClient, id: string, input: Partial<VendorInput>) =>
  api.patch<Vendor>(`/api/v1/vendors/${id}`, input);
export const archiveVendor = (api: ApiClient, id: string, archived: boolean) =>
  api.post<Vendor>(`/api/v1/vendors/${id}/${archived ? 'archive' : 'restore'}`);

// ── Purchase orders and goods receipts ──
export type PurchaseOrderStatus =
  | 'draft'
  | 'sent'
  | 'partially_received'
  | 'received'
  | 'closed'
  | 'cancelled';

export interface PurchaseOrderLine {
  id: string;
  position: number;
  product_id: string | null;
  description: string | null;
  description_ar: string | null;
  quantity: string;
  unit_code: string;
  unit_price: Money;
  vat_category: string;
  vat_rate: string;
  net_amount: Money;
  vat_amount: Money;
  amount_with_vat: Money;
  received_quantity: string;
  billed_quantity: string;
}

export interface PurchaseOrder {
  id: string;
  number: string;
  status: PurchaseOrderStatus;
  vendor_id: string;
  vendor_name: string;
  supplier_trn: string | null;
  issue_date: string;
  expected_date: string | null;
  currency: string;
  notes: string | null;
  subtotal: Money;
  vat_amount: Money;
  total_amount: Money;
  lines: PurchaseOrderLine[];
  sent_at: string | null;
  closed_at: string | null;
  cancelled_at: string | null;
}

export interface PurchaseOrderLineInput {
  product_id?: string;
  description?: string;
  quantity: string;
  unit_price?: string;
  vat_rate?: string;
}

export interface PurchaseOrderInput {
  vendor_id: string;
  issue_date?: string;
  expected_date?: string | null;
  notes?: string | null;
  lines: PurchaseOrderLineInput[];
}

export interface GoodsReceipt {
  id: string;
  number: string;
  purchase_order_id: string;
  po_number: string;
  received_date: string;
  notes: string | null;
  lines: {
    id: string;
    purchase_order_line_id: string;
    product_id: string | null;
    description: string | null;
    quantity: string;
    stock_balance: string | null;
  }[];
  created_at: string;
}

export const listPurchaseOrders = (
  api: ApiClient,
  params: { page?: number; page_size?: number; status?: PurchaseOrderStatus; vendor_id?: string },
  opts?: Signal,
) =>
  api.get<Page & { purchase_orders: PurchaseOrder[] }>(`/api/v1/purchase-orders${queryString(params)}`, opts);
export const getPurchaseOrder = (api: ApiClient, id: string, opts?: Signal) =>
  api.get<PurchaseOrder>(`/api/v1/purchase-orders/${id}`, opts);
export const createPurchaseOrder = (api: ApiClient, input: PurchaseOrderInput) =>
  api.post<PurchaseOrder>('/api/v1/purchase-orders', input);
export const sendPurchaseOrder = (api: ApiClient, id: string, input: { to?: string }) =>
  api.post<{ purchase_order: PurchaseOrder; to: string }>(`/api/v1/purchase-orders/${id}/send`, input);
export const changePurchaseOrder = (api: ApiClient, id: string, action: 'cancel' | 'close') =>
  api.post<PurchaseOrder>(`/api/v1/purchase-orders/${id}/${action}`);
export const downloadPurchaseOrderPdf = (api: ApiClient, id: string) =>
  api.download(`/api/v1/purchase-orders/${id}/pdf`);
export const listReceipts = (api: ApiClient, orderId: string, opts?: Signal) =>
  api.get<Page & { goods_receipts: GoodsReceipt[] }>(
    `/api/v1/purchase-orders/${orderId}/receipts?page_size=100`,
    opts,
  );
export const receiveGoods = (
  api: ApiClient,
  orderId: string,
  input: {
    received_date?: string;
    notes?: string | null;
    lines: { purchase_order_line_id: string; quantity: string }[];
  },
) =>
  api.post<GoodsReceipt & { purchase_order: PurchaseOrder }>(
    `/api/v1/purchase-orders/${orderId}/receipts`,
    input,
  );

// ── Supplier invoices and the three-way match ──
export type SupplierInvoiceStatus = 'received' | 'approved' | 'disputed';
export type MatchStatus = 'full_match' | 'variance_detected' | 'partial_match' | 'not_matched';

export interface MatchReason {
  code: string;
  message: string;
  exception: boolean;
}

export interface MatchLine {
  index: number;
  purchase_order_id: string | null;
  po_number: string | null;
  purchase_order_line_id: string | null;
  order_line_position: number | null;
  billed_quantity: string;
  billed_unit_price: string;
  amount: Money;
  ordered_quantity: string | null;
  ordered_unit_price: string | null;
  available_quantity: string | null;
  expected_amount: Money;
  price_variance: Money;
  price_variance_percent: string | null;
  quantity_variance: string;
  quantity_variance_amount: Money;
  quantity_variance_percent: string | null;
  reasons: MatchReason[];
}

export interface Match {
  status: MatchStatus;
  approvable: boolean;
  matched_at: string;
  currency: string;
  net_total: Money;
  expected_total: Money;
  difference: Money;
  variance: Money;
  variance_percent: string | null;
  orders: { id: string; number: string }[];
  reasons: MatchReason[];
  lines: MatchLine[];
}

export interface SupplierInvoice {
  id: string;
  number: string;
  kind: 'invoice' | 'credit_note' | 'debit_note';
  source: 'manual' | 'upload';
  format: string | null;
  status: SupplierInvoiceStatus;
  vendor_id: string | null;
  vendor_name: string | null;
  supplier_name: string | null;
  supplier_trn: string | null;
  issue_date: string;
  due_date: string | null;
  currency: string;
  order_references: string[];
  po_id: string | null;
  subtotal: Money;
  vat_amount: Money;
  total_amount: Money;
  payable_amount: Money;
  paid_amount: Money;
  open_amount: Money;
  match_status: MatchStatus | null;
  approved_at: string | null;
  override_reason: string | null;
  disputed_at: string | null;
  dispute_reason: string | null;
  original: { file_name: string; content_type: string; byte_size: number; sha256: string } | null;
  notes: string | null;
  lines: {
    id: string;
    position: number;
    description: string;
    quantity: string;
    unit_code: string | null;
    unit_price: string;
    vat_rate: string | null;
    net_amount: Money;
    item_code: string | null;
    order_reference: string | null;
    order_line_ref: string | null;
    purchase_order_line_id: string | null;
  }[];
}

export interface SupplierInvoiceInput {
  vendor_id: string;
  number: string;
  issue_date: string;
  due_date?: string | null;
  order_references?: string[];
  notes?: string | null;
  lines: {
    description: string;
    quantity: string;
    unit_price: string;
    vat_rate?: string;
    order_reference?: string;
    order_line_ref?: string;
  }[];
}

export const listSupplierInvoices = (
  api: ApiClient,
  params: { page?: number; page_size?: number; status?: SupplierInvoiceStatus; match_status?: MatchStatus },
  opts?: Signal,
) =>
  api.get<Page & { supplier_invoices: SupplierInvoice[] }>(
    `/api/v1/supplier-invoices${queryString(params)}`,
    opts,
  );
export const getSupplierInvoice = (api: ApiClient, id: string, opts?: Signal) =>
  api.get<SupplierInvoice>(`/api/v1/supplier-invoices/${id}`, opts);
export const createSupplierInvoice = (api: ApiClient, input: SupplierInvoiceInput) =>
  api.post<SupplierInvoice>('/api/v1/supplier-invoices', input);
/** The XML as its own bytes; the reader refuses DOCTYPEs, entities and oversized documents. */
export const uploadSupplierInvoice = (api: ApiClient, file: File) =>
  api.post<SupplierInvoice>(
    `/api/v1/supplier-invoices/upload${queryString({ file_name: file.name })}`,
    new Blob([file], { type: 'application/xml' }),
  );
export const getMatch = (api: ApiClient, id: string, opts?: Signal) =>
  api.get<Match>(`/api/v1/supplier-invoices/${id}/match`, opts);
export const rematch = (api: ApiClient, id: string) =>
  api.post<Match>(`/api/v1/supplier-invoices/${id}/match`);
export const approveSupplierInvoice = (api: ApiClient, id: string, overrideReason?: string) =>
  api.post<SupplierInvoice>(
    `/api/v1/supplier-invoices/${id}/approve`,
    overrideReason ? { override_reason: overrideReason } : {},
  );
export const disputeSupplierInvoice = (api: ApiClient, id: string, reason: string) =>
  api.post<SupplierInvoice>(`/api/v1/supplier-invoices/${id}/dispute`, { reason });
export const downloadSupplierOriginal = (api: ApiClient, id: string) =>
  api.download(`/api/v1/supplier-invoices/${id}/original`);

// ── Bills, supplier payments, aging ──
export interface Bill {
  supplier_invoice_id: string;
  number: string;
  vendor_id: string | null;
  vendor_name: string | null;
  issue_date: string;
  due_date: string | null;
  currency: string;
  payable_amount: Money;
  paid_amount: Money;
  open_amount: Money;
  payment_status: 'unpaid' | 'partially_paid' | 'paid';
}

export interface SupplierPayment {
  id: string;
  vendor_id: string | null;
  amount: Money;
  currency: string;
  payment_date: string;
  method: PaymentMethod;
  reference: string | null;
  notes: string | null;
  allocated_amount: Money;
  allocations: { supplier_invoice_id: string; number: string; amount: Money }[];
}

export interface SupplierPaymentInput {
  vendor_id?: string;
  amount: string;
  payment_date: string;
  method: PaymentMethod;
  reference?: string;
  allocations: { supplier_invoice_id: string; amount: string }[];
}

export const AGING_BUCKETS = ['current', 'days_1_30', 'days_31_60', 'days_61_90', 'days_90_plus'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];
export interface PayablesAging {
  as_of: string;
  currencies: ({ currency: string; bills: number; total: Money } & Record<AgingBucket, Money>)[];
}

export const listBills = (
  api: ApiClient,
  params: { page?: number; page_size?: number; vendor_id?: string; state?: 'open' | 'paid' | 'all' },
  opts?: Signal,
) => api.get<Page & { bills: Bill[] }>(`/api/v1/bills${queryString(params)}`, opts);
export const listSupplierPayments = (
  api: ApiClient,
  params: { page?: number; page_size?: number },
  opts?: Signal,
) =>
  api.get<Page & { supplier_payments: SupplierPayment[] }>(
    `/api/v1/supplier-payments${queryString(params)}`,
    opts,
  );
export const createSupplierPayment = (api: ApiClient, input: SupplierPaymentInput) =>
  api.post<SupplierPayment>('/api/v1/supplier-payments', input);
export const getPayablesAging = (api: ApiClient, opts?: Signal) =>
  api.get<PayablesAging>('/api/v1/payables/aging', opts);
