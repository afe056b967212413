// The company's online payment gateway (apps/api/src/modules/online-payments): connected account, never the keys.
import type { ApiClient } from './client';

export interface GatewaySettings {
  provider: 'stripe';
  account_name: string | null;
  has_credentials: boolean;
  webhook_url: string;
  updated_at: string;
}

/** The connected account, or null while none is (the API's 204). */
export async function getGatewaySettings(api: ApiClient, opts?: { signal?: AbortSignal }) {
  return (await api.get<GatewaySettings | undefined>('/api/v1/payment-gateway/settings', opts)) ?? null;
}

export const saveGatewaySettings = (
  api: ApiClient,
  body: { provider: 'stripe'; secret_key: string; webhook_secret: string },
) => api.put<GatewaySettings>('/api/v1/payment-gateway/settings', body);
