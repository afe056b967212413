import type { TransmissionProvider } from '@invoiceflow/db/schema';
import type { AdapterSettings, TransmissionAdapter } from '../adapter';
import { baswareAdapter } from './basware';
import { phossApAdapter } from './phoss-ap';
import { storecoveAdapter } from './storecove';
import { tradeshiftAdapter } from './tradeshift';
import { uaeAspAdapter } from './uae-asp';

/** Each provider's adapter and the credential fields it needs (checked when the settings are saved). */
export const ADAPTERS: Record<
  TransmissionProvider,
  { make(settings: AdapterSettings): TransmissionAdapter; credentials: readonly string[] }
> = {
  'phoss-ap': { make: phossApAdapter, credentials: ['api_token'] },
  tradeshift: {
    make: tradeshiftAdapter,
    credentials: ['consumer_key', 'consumer_secret', 'token', 'token_secret', 'tenant_id'],
  },
  storecove: { make: storecoveAdapter, credentials: ['api_key', 'legal_entity_id'] },
  'uae-asp': { make: uaeAspAdapter, credentials: ['client_id', 'client_secret', 'webhook_secret'] },
  basware: { make: baswareAdapter, credentials: ['client_id', 'client_secret'] },
};

export function adapterFor(provider: TransmissionProvider, settings: AdapterSettings): TransmissionAdapter {
  return ADAPTERS[provider].make(settings);
}
