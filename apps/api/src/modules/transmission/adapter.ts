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
    }
  /** The provider does not know the instance id: it never received the document. */
  | { outcome: 'not_found'; status_code: number }
  | { outcome: 'retry'; status_code: number | null; reason: string; retry_after_seconds?: number }
  | { outcome: 'refused'; status_code: number; reason: string };

export interface TransmissionAdapter {
  provider: TransmissionProvider;
  /** A harmless authenticated call, made when the settings are saved: null when it worked, else the reason. */
  check(): Promise<string | null>;
  submit(document: TransmissionDocument): Promise<SubmitResult>;
  status(instanceId: string): Promise<StatusResult>;
}

/** What an adapter is made from: the company's base URL and its decrypted credentials. */
export interface AdapterSettings {
  base_url: string;
  credentials: Record<string, string>;
  timeout_ms: number;
}
