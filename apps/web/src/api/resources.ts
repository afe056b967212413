// One function per business endpoint the web app calls. Each takes the client, so tests can pass a fake one.
import type { ApiClient } from './client';
import type {
  Company,
  CompanyTaxRates,
  Customer,
  CustomerInput,
  Dashboard,
  Draft,
  Invoice,
  InvoiceList,
  InvoicePaymentSummary,
  InvoiceQuery,
  LifecycleStep,
  Page,
  Payment,
  PaymentInput,
  Product,
  ProductInput,
  RuleWarning,
} from './domain-types';

type Signal = { signal?: AbortSignal };

/** `?a=1&b=x` from the defined, non-empty values. */
export function queryString(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const getCurrentCompany = (api: ApiClient, opts?: Signal) =>
  api.get<Company>('/api/v1/companies/current', opts);

export const getCompanyTaxRates = (api: ApiClient, opts?: Signal) =>
  api.get<CompanyTaxRates>('/api/v1/companies/current/tax-rates', opts);

// ── Customers ──
export const listCustomers = (
  api: ApiClient,
  params: { q?: string; page?: number; page_size?: number },
  opts?: Signal,
) => api.get<Page & { customers: Customer[] }>(`/api/v1/customers${queryString(params)}`, opts);
export const getCustomer = (api: ApiClient, id: string, opts?: Signal) =>
  api.get<Customer>(`/api/v1/customers/${id}`, opts);
/** What the Peppol network says of a participant ("0088:5790000435975"): 404 when it is not registered. */
export const lookupPeppolParticipant = (api: ApiClient, participant: string, opts?: Signal) =>
  api.get<{ receives: { invoice: boolean; credit_note: boolean }; smp_url: string }>(
    `/api/v1/peppol/participants/${encodeURIComponent(participant)}`,
    opts,
  );
export const createCustomer = (api: ApiClient, input: CustomerInput) =>
  api.post<Customer>('/api/v1/customers', input);
export const updateCustomer = (api: ApiClient, id: string, input: Partial<CustomerInput>) =>
  api.patch<Customer>(`/api/v1/customers/${id}`, input);

// ── Products ──
export const listProducts = (
  api: ApiClient,
  params: { q?: string; page?: number; page_size?: number },
  opts?: Signal,
) => api.get<Page & { products: Product[] }>(`/api/v1/products${queryString(params)}`, opts);
export const createProduct = (api: ApiClient, input: ProductInput) =>
  api.post<Product>('/api/v1/products', input);
export const updateProduct = (api: ApiClient, id: string, input: Partial<ProductInput>) =>
  api.patch<Product>(`/api/v1/products/${id}`, input);

// ── Drafts ──
/** Your auto-saved draft, or null when you have none (the API's 204). */
export const getLatestDraft = (api: ApiClient, opts?: Signal) =>
  api.get<Draft | undefined>('/api/v1/drafts/latest', opts).then((draft) => draft ?? null);
/**
 * The auto-save: `version` is the one this tab last saw; a newer save elsewhere answers 409 DRAFT_CONFLICT. A tab that
 * saw no draft saves with `If-None-Match: *`, so two tabs that both started empty cannot overwrite each other either.
 */
export const autoSaveDraft = (
  api: ApiClient,
  draftData: Record<string, unknown>,
  version: number | undefined,
) =>
  api.post<Draft>(
    '/api/v1/drafts',
    { draft_data: draftData, is_auto_saved: true, version },
    version === undefined ? { headers: { 'if-none-match': '*' } } : undefined,
  );
export const deleteDraft = (api: ApiClient, id: string) => api.delete<void>(`/api/v1/drafts/${id}`);

// ── Invoices ──
export function listInvoices(api: ApiClient, query: InvoiceQuery, opts?: Signal) {
  const { q, ...filters } = query;
  const text = q?.trim();
  return text
    ? api.get<InvoiceList>(`/api/v1/invoices/search${queryString({ q: text, ...filters })}`, opts)
    : api.get<InvoiceList>(`/api/v1/invoices${queryString(filters)}`, opts);
}
export const getInvoice = (api: ApiClient, id: string, opts?: Signal) =>
  api.get<Invoice>(`/api/v1/invoices/${id}`, opts);
/** The key makes a retry (or a double click) return the first answer instead of issuing twice. */
/** The live preview's verdict on an invoice being typed: what would refuse the issue, what ZATCA warns about. */
export const previewInvoice = (api: ApiClient, body: Record<string, unknown>, opts?: Signal) =>
  api.post<{ is_valid: boolean; errors: RuleWarning[]; warnings: RuleWarning[] }>(
    '/api/v1/preview/calculate',
    body,
    opts,
  );
export const issueInvoice = (api: ApiClient, body: Record<string, unknown>, idempotencyKey: string) =>
  api.post<Invoice>('/api/v1/invoices/generate', body, { headers: { 'idempotency-key': idempotencyKey } });
/** A draft invoice (status draft, e.g. made from unbilled hours): replaced with the editor's body, then issued. */
export const replaceDraftInvoice = (api: ApiClient, id: string, body: Record<string, unknown>) =>
  api.put<Invoice>(`/api/v1/invoices/${id}`, body);
export const issueDraftInvoice = (api: ApiClient, id: string, idempotencyKey: string) =>
  api.post<Invoice>(`/api/v1/invoices/${id}/issue`, undefined, {
    headers: { 'idempotency-key': idempotencyKey },
  });
export const markInvoiceSent = (api: ApiClient, id: string) =>
  api.post<Invoice>(`/api/v1/invoices/${id}/mark-sent`);
/** Finalize, approve or send (UAE); the key makes a double click one step. */
export const takeInvoiceStep = (api: ApiClient, id: string, step: LifecycleStep, idempotencyKey: string) =>
  api.post<unknown>(`/api/v1/invoices/${id}/${step}`, step === 'send' ? {} : undefined, {
    headers: { 'idempotency-key': idempotencyKey },
  });
export const downloadInvoiceXml = (api: ApiClient, id: string) => api.download(`/api/v1/invoices/${id}/xml`);
export const downloadInvoicePdf = (api: ApiClient, id: string) => api.download(`/api/v1/invoices/${id}/pdf`);

// ── Payments ──
export const getInvoicePayments = (api: ApiClient, id: string, opts?: Signal) =>
  api.get<InvoicePaymentSummary>(`/api/v1/invoices/${id}/payments`, opts);
export const recordPartialPayment = (
  api: ApiClient,
  id: string,
  input: { amount: string; payment_date?: string; payment_method: string; reference?: string | null },
) => api.post<InvoicePaymentSummary>(`/api/v1/invoices/${id}/partial-payment`, input);
export const markInvoicePaid = (
  api: ApiClient,
  id: string,
  input: { payment_date?: string; payment_method: string; reference?: string | null },
) => api.post<InvoicePaymentSummary>(`/api/v1/invoices/${id}/mark-paid`, input);
export const listPayments = (
  api: ApiClient,
  params: { page?: number; page_size?: number; customer_id?: string },
  opts?: Signal,
) => api.get<Page & { payments: Payment[] }>(`/api/v1/payments${queryString(params)}`, opts);
export const createPayment = (api: ApiClient, input: PaymentInput) =>
  api.post<Payment>('/api/v1/payments', input);

// ── Dashboard ──
export const getDashboard = (api: ApiClient, range: { from?: string; to?: string } = {}, opts?: Signal) =>
  api.get<Dashboard>(`/api/v1/dashboard${queryString(range)}`, opts);
