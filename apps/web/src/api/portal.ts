// The customer portal: a client's own invoices, credit notes, statement and payments, and the invoice mail's
// portal link (followed once: a sign-in, or one invoice read-only through a view token).
import type { ApiClient } from './client';

type Signal = { signal?: AbortSignal };
export type DocumentType = 'invoice' | 'credit_note' | 'debit_note';

export interface PortalHome {
  company_id: string;
  company_name: string;
  company_name_ar: string | null;
  customer_id: string;
  customer_name: string;
  customer_name_ar: string | null;
}

export interface PortalInvoiceSummary {
  id: string;
  number: string;
  type: DocumentType;
  status: string;
  issue_date: string;
  due_date: string | null;
  currency: string;
  subtotal: string;
  vat_amount: string;
  total_amount: string;
  paid_amount: string;
  credited_amount: string;
  amount_due: string;
}

export interface PortalInvoice extends PortalInvoiceSummary {
  seller_name: string;
  seller_name_ar: string | null;
  buyer_name: string;
  notes: string | null;
  original_invoice_number: string | null;
  payable_amount: string;
  lines: {
    description: string;
    quantity: string;
    unit_price: string;
    net_amount: string | null;
    vat_amount: string | null;
  }[];
  payments: { payment_id: string; payment_date: string; method: string; status: string; amount: string }[];
  pay_link: { url: string; outstanding_amount: string; currency: string } | null;
}

export interface PortalStatement {
  accounts: {
    currency: string;
    total_debit: string;
    total_credit: string;
    balance: string;
    entries: {
      date: string;
      kind: DocumentType | 'payment';
      id: string;
      reference: string | null;
      debit: string;
      credit: string;
      balance: string;
    }[];
  }[];
}

export interface PortalPayment {
  id: string;
  payment_date: string;
  method: string;
  reference: string | null;
  status: string;
  currency: string;
  amount: string;
  refunded_amount: string;
  allocations: { invoice_id: string; invoice_number: string; amount: string }[];
}

export type FollowedLink =
  | {
      kind: 'session';
      company_id: string;
      invoice_id: string;
      access_token: string;
      refresh_token: string;
    }
  | {
      kind: 'invoice';
      company_id: string;
      invoice_id: string;
      view_token: string;
      expires_at: string;
      can_sign_in: boolean;
    };

export const getPortalHome = (api: ApiClient, opts?: Signal) =>
  api.get<PortalHome>('/api/v1/portal/me', opts);

export const listPortalInvoices = (
  api: ApiClient,
  query: { type?: DocumentType; page: number; page_size: number },
  opts?: Signal,
) => {
  const params = new URLSearchParams({ page: String(query.page), page_size: String(query.page_size) });
  if (query.type) params.set('type', query.type);
  return api.get<{ invoices: PortalInvoiceSummary[]; total: number }>(
    `/api/v1/portal/invoices?${params}`,
    opts,
  );
};

export const getPortalInvoice = (api: ApiClient, id: string, opts?: Signal) =>
  api.get<PortalInvoice>(`/api/v1/portal/invoices/${id}`, opts);

export const getPortalStatement = (api: ApiClient, opts?: Signal) =>
  api.get<PortalStatement>('/api/v1/portal/statement', opts);

export const listPortalPayments = (api: ApiClient, page: number, opts?: Signal) =>
  api.get<{ payments: PortalPayment[]; total: number }>(
    `/api/v1/portal/payments?page=${page}&page_size=20`,
    opts,
  );

/** Where an invoice's files are: the signed-in portal, or a read-only view by its token. */
export const invoiceFilePath = (
  source: { kind: 'portal'; id: string } | { kind: 'view'; token: string },
  file: 'pdf' | 'xml',
) =>
  source.kind === 'portal'
    ? `/api/v1/portal/invoices/${source.id}/${file}`
    : `/api/v1/public/portal/${source.token}/invoice/${file}`;

export const followPortalLink = (api: ApiClient, token: string) =>
  api.post<FollowedLink>('/api/v1/portal/link', { token }, { auth: false });

export const getViewedInvoice = (api: ApiClient, token: string, opts?: Signal) =>
  api.get<PortalInvoice>(`/api/v1/public/portal/${token}/invoice`, { ...opts, auth: false });
