// What the invoice detail page reads and does beside the invoice itself: its e-invoice (ZATCA submission or
// Peppol/PINT AE transmission), sending it by e-mail, its online pay link and checkouts, and a draft copy of it.
// Wire types as the API's Zod schemas declare them (modules/zatca, transmission, mail, online-payments).
import type { ApiClient } from './client';
import type { Invoice, Money } from './domain-types';

type Signal = { signal?: AbortSignal };

export interface ZatcaMessage {
  type?: string;
  code?: string;
  category?: string;
  message?: string;
  status?: string;
}

export type EgsEnvironment = 'local' | 'developer-portal' | 'simulation' | 'production';
export type ZatcaSubmissionStatus = 'pending' | 'reported' | 'cleared' | 'rejected' | 'failed';

/** GET /invoices/{id}/zatca: the chain position, the signature and ZATCA's answer to the reporting/clearance. */
export interface ZatcaStatus {
  invoice_id: string;
  invoice_number: string;
  egs_id: string;
  environment: EgsEnvironment;
  /** Signed by a local sandbox unit: nothing was sent to ZATCA, the status is simulated. */
  is_simulated: boolean;
  uuid: string;
  icv: number;
  invoice_hash: string;
  previous_hash: string;
  /** KSA-14: the QR's content, base64 TLV. */
  qr_payload: string;
  signature_status: string;
  submission: 'reporting' | 'clearance';
  status: ZatcaSubmissionStatus;
  zatca_status: string | null;
  http_status: number | null;
  warnings: ZatcaMessage[];
  errors: ZatcaMessage[];
  has_cleared_xml: boolean;
  attempts: number;
  last_error: string | null;
  submitted_at: string | null;
  updated_at: string;
}

export const getZatcaStatus = (api: ApiClient, id: string, opts?: Signal) =>
  api.get<ZatcaStatus>(`/api/v1/invoices/${id}/zatca`, opts);
export const resubmitZatca = (api: ApiClient, id: string) =>
  api.post<ZatcaStatus>(`/api/v1/invoices/${id}/zatca/resubmit`);

/** GET /invoices/{id}/transmission: the access point's exchange and the tax authority's reporting. */
export interface Transmission {
  invoice_id: string;
  provider: string;
  instance_id: string;
  generation: number;
  exchange: { status: 'queued' | 'submitted' | 'delivered' | 'failed'; reason: string | null };
  reporting: { status: 'pending' | 'reported' | 'rejected' | 'not_applicable'; reason: string | null };
  acknowledged_at: string | null;
  next_attempt_at: string | null;
  attempts: {
    generation: number;
    attempt: number;
    action: 'submit' | 'status';
    status_code: number | null;
    outcome: string;
    reason: string | null;
    duration_ms: number;
    at: string;
  }[];
}

export const getTransmission = (api: ApiClient, id: string, opts?: Signal) =>
  api.get<Transmission>(`/api/v1/invoices/${id}/transmission`, opts);
export const resubmitTransmission = (api: ApiClient, id: string) =>
  api.post<Transmission>(`/api/v1/invoices/${id}/transmission/resubmit`);

/** POST /invoices/{id}/send's answer: `to` null and mail_status none when nothing was e-mailed. */
export interface SendResult {
  invoice_id: string;
  invoice_number: string;
  status: 'sent';
  sent_at: string;
  to: string | null;
  mail_status: 'queued' | 'none';
  transmission_status: 'queued' | 'none';
}

export const sendInvoiceByEmail = (
  api: ApiClient,
  id: string,
  body: { to?: string; message?: string },
  idempotencyKey: string,
) =>
  api.post<SendResult>(`/api/v1/invoices/${id}/send`, body, {
    headers: { 'idempotency-key': idempotencyKey },
  });

export interface PayLink {
  invoice_id: string;
  url: string;
  outstanding_amount: Money;
  currency: string;
}

export interface Checkout {
  id: string;
  invoice_id: string;
  provider: string;
  url: string;
  amount: Money;
  currency: string;
  status: 'open' | 'complete' | 'expired';
  expires_at: string;
  /** The gateway's words on the last declined attempt. */
  failure_message: string | null;
  payment_id: string | null;
  payment_status: string | null;
  refunded_amount: Money | null;
  created_at: string;
}

/** The invoice's pay link, or null while the company has no payment gateway connected (the API's 204). */
export const getPayLink = (api: ApiClient, id: string, opts?: Signal) =>
  api.get<PayLink | undefined>(`/api/v1/invoices/${id}/pay-link`, opts).then((link) => link ?? null);
export const listCheckouts = (api: ApiClient, id: string, opts?: Signal) =>
  api.get<{ items: Checkout[] }>(`/api/v1/invoices/${id}/checkouts`, opts);

/** A draft invoice (POST /invoices): edited and issued in the editor (`/invoices/new?invoice=<id>`). */
export const createDraftInvoice = (api: ApiClient, body: Record<string, unknown>, idempotencyKey: string) =>
  api.post<Invoice>('/api/v1/invoices', body, { headers: { 'idempotency-key': idempotencyKey } });

/** GET /invoices/{id}/timeline: the invoice's events, oldest first; `actor` null when the system acted. */
export interface InvoiceTimeline {
  invoice_id: string;
  events: {
    action: string;
    at: string;
    actor: string | null;
    details: Record<string, string | number | boolean>;
  }[];
}

export const getInvoiceTimeline = (api: ApiClient, id: string, opts?: Signal) =>
  api.get<InvoiceTimeline>(`/api/v1/invoices/${id}/timeline`, opts);
