// Webhook endpoints (settings): their events, the signing secret (shown once), the delivery log and replays.
import type { ApiClient } from './client';

type Signal = { signal?: AbortSignal };

export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  is_enabled: boolean;
  created_at: string;
}

export interface WebhookDelivery {
  id: string;
  endpoint_id: string;
  event_type: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  replay_of: string | null;
  delivered_at: string | null;
  created_at: string;
}

export interface WebhookAttempt {
  attempt: number;
  status_code: number | null;
  response_excerpt: string | null;
  error: string | null;
  duration_ms: number;
  created_at: string;
}

const base = '/api/v1/webhooks';

export const listEventTypes = (api: ApiClient, opts?: Signal) =>
  api.get<{ events: string[] }>(`${base}/event-types`, opts);
export const listEndpoints = (api: ApiClient, opts?: Signal) =>
  api.get<{ endpoints: WebhookEndpoint[] }>(base, opts);
export const createEndpoint = (
  api: ApiClient,
  input: { url: string; events: string[]; description?: string },
) => api.post<WebhookEndpoint & { secret: string }>(base, input);
export const updateEndpoint = (api: ApiClient, id: string, input: { is_enabled?: boolean }) =>
  api.patch<WebhookEndpoint>(`${base}/${id}`, input);
export const deleteEndpoint = (api: ApiClient, id: string) => api.delete<void>(`${base}/${id}`);
export const rotateSecret = (api: ApiClient, id: string) =>
  api.post<WebhookEndpoint & { secret: string }>(`${base}/${id}/rotate-secret`);
export const listDeliveries = (api: ApiClient, id: string, page: number, opts?: Signal) =>
  api.get<{ total: number; page: number; page_size: number; deliveries: WebhookDelivery[] }>(
    `${base}/${id}/deliveries?page=${page}&page_size=20`,
    opts,
  );
export const getDelivery = (api: ApiClient, id: string, opts?: Signal) =>
  api.get<WebhookDelivery & { payload: Record<string, unknown>; attempt_log: WebhookAttempt[] }>(
    `${base}/deliveries/${id}`,
    opts,
  );
export const replayDelivery = (api: ApiClient, id: string) =>
  api.post<WebhookDelivery>(`${base}/deliveries/${id}/replay`);
