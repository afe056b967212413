// The customer's side of a quotation: read, accept and decline by the token of its link, without a session.
import type { ApiClient } from './client';

export interface PublicQuoteLine {
  description: string | null;
  description_ar: string | null;
  quantity: string;
  unit_price: string;
  vat_rate: string;
  net_amount: string;
}

export interface PublicQuote {
  quote_number: string;
  status: 'draft' | 'sent' | 'accepted' | 'declined' | 'expired' | 'converted';
  issue_date: string;
  valid_until: string;
  currency: string;
  seller: { name: string; name_ar: string | null; vat_number: string | null };
  buyer: { name: string; name_ar: string | null };
  lines: PublicQuoteLine[];
  subtotal: `${number}`;
  vat_amount: `${number}`;
  total_amount: `${number}`;
  notes: string | null;
  accepted_at: string | null;
  declined_at: string | null;
  decision_note: string | null;
  can_decide: boolean;
}

const path = (token: string) => `/api/v1/public/quotes/${encodeURIComponent(token)}`;

export const getPublicQuote = (api: ApiClient, token: string, opts?: { signal?: AbortSignal }) =>
  api.get<PublicQuote>(path(token), { ...opts, auth: false });

export const decidePublicQuote = (
  api: ApiClient,
  token: string,
  decision: 'accept' | 'decline',
  note: string,
) => api.post<PublicQuote>(`${path(token)}/${decision}`, note ? { note } : {}, { auth: false });

// ── The seller's side: the company's quotations ──
type Signal = { signal?: AbortSignal };

export type QuoteStatus = PublicQuote['status'];

export interface QuoteLine extends PublicQuoteLine {
  unit_code: string;
  vat_category: string;
  vat_amount: string;
  amount_with_vat: string;
}

export interface Quote {
  id: string;
  quote_number: string;
  status: QuoteStatus;
  customer_id: string;
  customer_name: string;
  issue_date: string;
  valid_until: string;
  currency: string;
  subtotal: `${number}`;
  vat_amount: `${number}`;
  total_amount: `${number}`;
  lines: QuoteLine[];
  notes: string | null;
  body: Record<string, unknown>;
  sent_at: string | null;
  accepted_at: string | null;
  declined_at: string | null;
  decision_note: string | null;
  expired_at: string | null;
  converted_at: string | null;
  invoice_id: string | null;
}

/** The editor's request: the customer, the lines (as the invoice editor sends them), the dates and notes. */
export interface QuoteInput {
  customer_id: string;
  lines: Record<string, unknown>[];
  valid_until?: string;
  notes?: string;
}

const base = '/api/v1/quotes';

export const listQuotes = (
  api: ApiClient,
  params: { page?: number; page_size?: number; status?: QuoteStatus },
  opts?: Signal,
) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  return api.get<{ total: number; page: number; page_size: number; quotes: Quote[] }>(
    `${base}?${search.toString()}`,
    opts,
  );
};
export const getQuote = (api: ApiClient, id: string, opts?: Signal) => api.get<Quote>(`${base}/${id}`, opts);
export const createQuote = (api: ApiClient, input: QuoteInput) => api.post<Quote>(base, input);
export const updateQuote = (api: ApiClient, id: string, input: Partial<QuoteInput>) =>
  api.patch<Quote>(`${base}/${id}`, input);
export const deleteQuote = (api: ApiClient, id: string) => api.delete<void>(`${base}/${id}`);
/** A new send makes a new public link and ends the old one. */
export const sendQuote = (api: ApiClient, id: string, input: { to?: string; message?: string }) =>
  api.post<{ quote: Quote; to: string; mail_status: 'queued'; public_url: string }>(
    `${base}/${id}/send`,
    input,
  );
export const convertQuote = (api: ApiClient, id: string) =>
  api.post<{ quote: Quote; invoice_id: string }>(`${base}/${id}/convert`);
export const downloadQuotePdf = (api: ApiClient, id: string) =>
  api.download(`${base}/${id}/pdf?disposition=attachment`);
