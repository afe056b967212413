// The point-of-sale endpoints the till screen calls (apps/api/src/modules/pos): tills, their drawers, cash
// sessions with their X/Z reports, sales with an Idempotency-Key, and returns.
import type { ApiClient } from './client';
import { queryString } from './resources';

type Signal = { signal?: AbortSignal };

export interface Till {
  id: string;
  name: string;
  egs_unit_id: string | null;
  is_default: boolean;
  created_at: string;
}

export interface PieceCount {
  value: string;
  count: number;
}

export interface Drawer {
  till_id: string;
  currency: string;
  total: string;
  denominations: { value: string; available_count: number }[];
}

export interface SessionReport {
  id: string;
  report: 'X' | 'Z';
  till_id: string;
  status: string;
  currency: string;
  opened_at: string;
  closed_at: string | null;
  opening_float: string;
  opening_counts: PieceCount[];
  sales_count: number;
  sales_total: string;
  cash_received: string;
  change_given: string;
  cash_in: string;
  cash_out: string;
  expected_cash: string;
  counted_cash: string | null;
  difference: string | null;
  closing_counts: PieceCount[] | null;
}

export interface SaleLine {
  product_id: string | null;
  name: string | null;
  name_ar: string | null;
  quantity: string;
  unit_price: string;
  tax_percent: string;
  vat_category: string;
  net_amount: string;
  tax_amount: string;
  total: string;
}

export interface Sale {
  id: string;
  invoice_id: string;
  invoice_number: string;
  till_id: string;
  session_id: string | null;
  customer_email: string | null;
  currency: string;
  items: SaleLine[];
  subtotal: string;
  tax_amount: string;
  total_amount: string;
  paid_amount: string;
  change_amount: string;
  change: PieceCount[];
  qr_code_data: string | null;
  created_at: string;
}

export interface SaleInput {
  customer_email?: string;
  items: { product_id: string; quantity: string }[];
  paid_amount: string;
  /** The pieces handed over, when the cashier named them (a quick-amount note): they go into the drawer. */
  tendered?: PieceCount[];
  till_id: string;
}

export interface SaleReturn {
  sale_id: string;
  credit_note_id: string;
  credit_note_number: string;
  currency: string;
  refund_amount: string;
  refund: PieceCount[];
}

/** A product as the till sees it: the catalogue fields plus its stock (null for a service). */
export interface TillProduct {
  id: string;
  name_en: string;
  name_ar: string | null;
  sku: string | null;
  unit_price: string;
  vat_category: string;
  vat_rate: string;
  stock_quantity: string | null;
}

export const listTills = (api: ApiClient, opts?: Signal) => api.get<{ tills: Till[] }>('/api/v1/tills', opts);

/** The drawer; without a till, the default till's (the server makes the default till on first use). */
export const getDrawer = (api: ApiClient, tillId?: string, opts?: Signal) =>
  api.get<Drawer>(`/api/v1/denominations${queryString({ till_id: tillId })}`, opts);

export const addDenomination = (api: ApiClient, tillId: string, value: string) =>
  api.post<{ value: string; available_count: number }>('/api/v1/denominations', {
    value,
    available_count: 0,
    till_id: tillId,
  });

/** The till's open cash session, or null while none is open (the API's 204). */
export const getOpenSession = (api: ApiClient, tillId: string, opts?: Signal) =>
  api.get<SessionReport | undefined>(`/api/v1/tills/${tillId}/session`, opts).then((open) => open ?? null);

export const getSessionReport = (api: ApiClient, sessionId: string, opts?: Signal) =>
  api.get<SessionReport>(`/api/v1/cash-sessions/${sessionId}`, opts);

export const openSession = (api: ApiClient, tillId: string, counts: PieceCount[]) =>
  api.post<SessionReport>(`/api/v1/tills/${tillId}/sessions`, { counts });

export const recordCashMovement = (
  api: ApiClient,
  sessionId: string,
  input: { kind: 'cash_in' | 'cash_out'; counts: PieceCount[]; reason?: string },
) => api.post<unknown>(`/api/v1/cash-sessions/${sessionId}/movements`, input);

export const closeSession = (api: ApiClient, sessionId: string, counts: PieceCount[]) =>
  api.post<SessionReport>(`/api/v1/cash-sessions/${sessionId}/close`, { counts });

export const searchTillProducts = (api: ApiClient, q: string, opts?: Signal) =>
  api.get<{ products: TillProduct[] }>(`/api/v1/products${queryString({ q, page_size: 8 })}`, opts);

/**
 * The product a scanner's code names: its SKU, exactly (the list's search is a substring match, so the answer
 * is narrowed here). A barcode field joins this one test when the catalogue has it.
 */
export async function findProductByCode(api: ApiClient, code: string): Promise<TillProduct | null> {
  const { products } = await api.get<{ products: TillProduct[] }>(
    `/api/v1/products${queryString({ q: code, page_size: 50 })}`,
  );
  return products.find((product) => product.sku === code) ?? null;
}

export const createSale = (api: ApiClient, input: SaleInput, idempotencyKey: string) =>
  api.post<Sale>('/api/v1/purchases', input, { headers: { 'idempotency-key': idempotencyKey } });

export const listSessionSales = (api: ApiClient, tillId: string, opts?: Signal) =>
  api.get<{ purchases: Sale[] }>(`/api/v1/purchases${queryString({ till_id: tillId, page_size: 20 })}`, opts);

export const returnSaleItems = (
  api: ApiClient,
  saleId: string,
  items: { product_id: string; quantity: string }[],
  idempotencyKey: string,
) =>
  api.post<SaleReturn>(
    `/api/v1/purchases/${saleId}/returns`,
    { items },
    { headers: { 'idempotency-key': idempotencyKey } },
  );

export const receiptPdfUrl = (saleId: string) => `/api/v1/purchases/${saleId}/receipt.pdf`;
