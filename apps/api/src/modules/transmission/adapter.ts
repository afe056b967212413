// One interface for every way an invoice leaves: a self-hosted access point, an access-point service, a UAE
// Accredited Service Provider. The outbox (outbox.ts) knows only this; an adapter speaks its provider's protocol.
import type { ExchangeStatus, ReportingStatus, TransmissionProvider } from '@invoiceflow/db/schema';
import type { PeppolEnvelope } from '@invoiceflow/ubl';

export interface TransmissionDocument {
  /** The idempotency key the provider keeps (SBDH instance id): the same for every attempt of one generation. */
  instance_id: string;
  xml: string;
  envelope: PeppolEnvelope;
  /** ISO 3166-1 alpha-2 of the sender (corner 1). */
  sender_country: string;
}

/**
 * The answer of one call, classified the same way for every provider: `acknowledged` (the provider has the
 * document, never send it again), `retry` (5xx, 408, 429, a timeout, a network error: try later, after
 * `retry_after_seconds` when the provider said so), `refused` (any other 4xx: final, with the provider's reason).
 */
export type SubmitResult =
  | { outcome: 'acknowledged'; status_code: number; provider_reference: string | null }
  | { outcome: 'retry'; status_code: number | null; reason: string; retry_after_seconds?: number }
  | { outcome: 'refused'; status_code: number; reason: string };

export type StatusResult =
  | {
      outcome: 'found';
      status_code: number;
      exchange: Exclude<ExchangeStatus, 'queued'>;
      reporting: ReportingStatus;
      reason: string | null;
      /** The tax authority's reason when `reporting` is `rejected` (kept as the transmission's reporting reason). */
      reporting_reason?: string | null;
    }
  /** The provider does not know the instance id: it never received the document. */
  | { outcome: 'not_found'; status_code: number }
  | { outcome: 'retry'; status_code: number | null; reason: string; retry_after_seconds?: number }
  | { outcome: 'refused'; status_code: number; reason: string };

/** How a transmission is named to its provider: our idempotency key, and the provider's own id once it gave one. */
export interface TransmissionRef {
  instance_id: string;
  provider_reference: string | null;
}

/** A webhook call as it arrived: the raw bytes (signatures are computed over them) and the lower-cased headers. */
export interface WebhookRequest {
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  now: Date;
}

/**
 * What a provider's webhook or pull tells us, in one shape for every provider. `event_id` is the provider's id of
 * the event (or of the document): the same event delivered twice is recorded once per company and provider.
 */
export type InboundEvent =
  | {
      kind: 'status';
      event_id: string;
      /** At least one of the two: which transmission the event is about. */
      ref: Partial<TransmissionRef>;
      exchange?: Exclude<ExchangeStatus, 'queued'>;
      reporting?: ReportingStatus;
      reason: string | null;
    }
  | {
      kind: 'document';
      event_id: string;
      /** The provider's id of the received document (kept, and used to fetch it when `xml` is absent). */
      provider_document_id: string;
      /** The received UBL (or its Standard Business Document), when the event carries it. */
      xml?: Buffer;
    };

export type WebhookResult =
  | { outcome: 'accepted'; events: InboundEvent[] }
  /** A missing or wrong signature, a timestamp outside the tolerance (replay): answered 401, nothing recorded. */
  | { outcome: 'refused'; reason: string };

export type FetchResult =
  | { outcome: 'found'; xml: Buffer }
  | { outcome: 'retry'; status_code: number | null; reason: string; retry_after_seconds?: number }
  | { outcome: 'refused'; status_code: number; reason: string };

export type PullResult =
  | { outcome: 'ok'; events: InboundEvent[] }
  | { outcome: 'retry'; status_code: number | null; reason: string; retry_after_seconds?: number }
  | { outcome: 'refused'; status_code: number; reason: string };

export interface TransmissionAdapter {
  provider: TransmissionProvider;
  /** A harmless authenticated call, made when the settings are saved: null when it worked, else the reason. */
  check(): Promise<string | null>;
  submit(document: TransmissionDocument): Promise<SubmitResult>;
  /** `not_found` only when the provider certainly never received the document (the outbox then submits again). */
  status(ref: TransmissionRef): Promise<StatusResult>;
  /** Verifies a webhook call (signature, replay window) and reads its events; absent when the provider has none. */
  webhook?(request: WebhookRequest): WebhookResult | Promise<WebhookResult>;
  /** A received document's XML by the provider's id, for events that name it without carrying it. */
  fetchDocument?(providerDocumentId: string): Promise<FetchResult>;
  /** Inbound by pull, for installs the provider cannot reach: the events (documents) waiting at the provider. */
  pull?(): Promise<PullResult>;
  /** Tells the provider a pulled document is stored, so it is not offered again. */
  acknowledgePulled?(providerDocumentId: string): Promise<null | string>;
}

/** What an adapter is made from: the company's base URL and its decrypted credentials. */
export interface AdapterSettings {
  base_url: string;
  credentials: Record<string, string>;
  timeout_ms: number;
}
