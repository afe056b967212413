import type { TransmissionProvider } from '@invoiceflow/db/schema';
import type { AdapterSettings, TransmissionAdapter } from '../adapter';
import { baswareAdapter } from './basware';
import { phossApAdapter } from './phoss-ap';
import { storecoveAdapter } from './storecove';
import { tradeshiftAdapter } from './tradeshift';
import { uaeAspAdapter } from './uae-asp';

/**
 * One credential an adapter reads. `secret` ones are typed as passwords in the web app; every credential is
 * write-only all the same (sealed at rest, never answered), and kept when a save to the same provider omits it.
 */
export interface CredentialField {
  name: string;
  required: boolean;
  secret: boolean;
}

/**
 * How documents and statuses come back from the provider: `webhook` it calls our webhook URL, `forward` it posts
 * the received documents to our inbound URL with the company's inbound token, `pull` we fetch them.
 */
export type InboundMode = 'webhook' | 'forward' | 'pull';

export interface AdapterEntry {
  label: string;
  make(settings: AdapterSettings): TransmissionAdapter;
  credentials: readonly CredentialField[];
  inbound: InboundMode;
}

const secret = (name: string, required = true): CredentialField => ({ name, required, secret: true });
const plain = (name: string, required = true): CredentialField => ({ name, required, secret: false });

/**
 * Each provider's adapter and the credentials it reads: checked when the settings are saved, and answered to the
 * web app (GET /api/v1/transmission/providers), which draws its form from this list.
 */
export const ADAPTERS: Record<TransmissionProvider, AdapterEntry> = {
  'phoss-ap': {
    label: 'phoss SMP/AP (self-hosted Peppol access point)',
    make: phossApAdapter,
    credentials: [secret('api_token'), secret('inbound_token', false)],
    inbound: 'forward',
  },
  tradeshift: {
    label: 'Tradeshift',
    make: tradeshiftAdapter,
    credentials: [
      plain('consumer_key'),
      secret('consumer_secret'),
      secret('token'),
      secret('token_secret'),
      plain('tenant_id'),
      plain('document_profile_id', false),
    ],
    inbound: 'pull',
  },
  storecove: {
    label: 'Storecove',
    make: storecoveAdapter,
    credentials: [secret('api_key'), plain('legal_entity_id'), secret('webhook_secret', false)],
    inbound: 'webhook',
  },
  'uae-asp': {
    label: 'UAE Accredited Service Provider (PINT AE)',
    make: uaeAspAdapter,
    credentials: [
      plain('client_id'),
      secret('client_secret'),
      secret('webhook_secret'),
      plain('token_url', false),
    ],
    inbound: 'webhook',
  },
  basware: {
    label: 'Basware Network',
    make: baswareAdapter,
    credentials: [
      plain('client_id'),
      secret('client_secret'),
      secret('webhook_secret', false),
      plain('scope', false),
    ],
    inbound: 'webhook',
  },
};

export function adapterFor(provider: TransmissionProvider, settings: AdapterSettings): TransmissionAdapter {
  return ADAPTERS[provider].make(settings);
}
