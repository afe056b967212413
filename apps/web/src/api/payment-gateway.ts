// The company's online payment gateway (apps/api/src/modules/online-payments): connected account, never the keys.
import { type ApiClient, ApiError } from './client';

export interface GatewaySettings {
  provider: 'stripe';
  account_name: string | null;
  has_credentials: boolean;
  webhook_url: string;
  updated_at: string;
}

/** The connected account, or null while none is (the API's 404 GATEWAY_NOT_CONFIGURED). */
export async function getGatewaySettings(api: ApiClient, opts?: { signal?: AbortSignal }) {
  try {
    return await api.get<GatewaySettings>('/api/v1/payment-gateway/settings', opts);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

export const saveGatewaySettings = (
  api: ApiClient,
  body: { provider: 'stripe'; secret_key: string; webhook_secret: string },
) => api.put<GatewaySettings>('/api/v1/payment-gateway/settings', body);
