// The customer's side of a quotation: read, accept and decline by the token of its link, without a session.
import type { ApiClient } from './client';
import type { Body, Item, Reply } from './wire';

export type PublicQuote = Reply<'/api/v1/public/quotes/{token}'>;
export type PublicQuoteLine = Item<PublicQuote['lines']>;

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
export type Quote = Reply<'/api/v1/quotes/{id}'>;
export type QuoteLine = Item<Quote['lines']>;
/** The editor's request: the customer, the lines (as the invoice editor sends them), the dates and notes. */
export type QuoteInput = Body<'/api/v1/quotes'>;

const base = '/api/v1/quotes';

export const listQuotes = (
  api: ApiClient,
  params: { page?: number; page_size?: number; status?: QuoteStatus },
  opts?: Signal,
) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  return api.get<Reply<'/api/v1/quotes'>>(`${base}?${search.toString()}`, opts);
};
export const getQuote = (api: ApiClient, id: string, opts?: Signal) => api.get<Quote>(`${base}/${id}`, opts);
export const createQuote = (api: ApiClient, input: QuoteInput) => api.post<Quote>(base, input);
export const updateQuote = (api: ApiClient, id: string, input: Body<'/api/v1/quotes/{id}', 'patch'>) =>
  api.patch<Quote>(`${base}/${id}`, input);
export const deleteQuote = (api: ApiClient, id: string) => api.delete<void>(`${base}/${id}`);
/** A new send makes a new public link and ends the old one. */
export const sendQuote = (api: ApiClient, id: string, input: { to?: string; message?: string }) =>
  api.post<Reply<'/api/v1/quotes/{id}/send', 'post'>>(`${base}/${id}/send`, input);
export const convertQuote = (api: ApiClient, id: string) =>
  api.post<Reply<'/api/v1/quotes/{id}/convert', 'post'>>(`${base}/${id}/convert`);
export const downloadQuotePdf = (api: ApiClient, id: string) =>
  api.download(`${base}/${id}/pdf?disposition=attachment`);
