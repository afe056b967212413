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
