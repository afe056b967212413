// Webhook endpoints (settings): their events, the signing secret (shown once), the delivery log and replays.
import type { ApiClient } from './client';
import type { Body, Item, Reply } from './wire';

type Signal = { signal?: AbortSignal };

export type WebhookEndpoint = Item<Reply<'/api/v1/webhooks'>['endpoints']>;
export type WebhookDelivery = Item<Reply<'/api/v1/webhooks/{id}/deliveries'>['deliveries']>;
export type WebhookAttempt = Item<Reply<'/api/v1/webhooks/deliveries/{id}'>['attempt_log']>;

const base = '/api/v1/webhooks';

export const listEventTypes = (api: ApiClient, opts?: Signal) =>
  api.get<Reply<'/api/v1/webhooks/event-types'>>(`${base}/event-types`, opts);
export const listEndpoints = (api: ApiClient, opts?: Signal) =>
  api.get<{ endpoints: WebhookEndpoint[] }>(base, opts);
type EndpointInput = Body<'/api/v1/webhooks'>;
/** The events are names the page read from GET event-types (declared there as plain strings). */
export const createEndpoint = (api: ApiClient, input: Omit<EndpointInput, 'events'> & { events: string[] }) =>
  api.post<Reply<'/api/v1/webhooks', 'post'>>(base, input as EndpointInput);
export const updateEndpoint = (api: ApiClient, id: string, input: { is_enabled?: boolean }) =>
  api.patch<WebhookEndpoint>(`${base}/${id}`, input);
export const deleteEndpoint = (api: ApiClient, id: string) => api.delete<void>(`${base}/${id}`);
export const rotateSecret = (api: ApiClient, id: string) =>
  api.post<Reply<'/api/v1/webhooks/{id}/rotate-secret', 'post'>>(`${base}/${id}/rotate-secret`);
export const listDeliveries = (api: ApiClient, id: string, page: number, opts?: Signal) =>
  api.get<Reply<'/api/v1/webhooks/{id}/deliveries'>>(
    `${base}/${id}/deliveries?page=${page}&page_size=20`,
    opts,
  );
export const getDelivery = (api: ApiClient, id: string, opts?: Signal) =>
  api.get<Reply<'/api/v1/webhooks/deliveries/{id}'>>(`${base}/deliveries/${id}`, opts);
export const replayDelivery = (api: ApiClient, id: string) =>
  api.post<WebhookDelivery>(`${base}/deliveries/${id}/replay`);
