// How the company's invoices travel (apps/api/src/modules/transmission): the providers and the credentials each
// needs, the company's settings (the names of the stored credentials, never their values), turning it off.
import { type ApiClient, ApiError } from './client';
import type { Body, Item, Reply } from './wire';

type Signal = { signal?: AbortSignal };

export type TransmissionProviderInfo = Item<Reply<'/api/v1/transmission/providers'>['items']>;
export type TransmissionProvider = TransmissionProviderInfo['provider'];
export type TransmissionSettings = Reply<'/api/v1/transmission/settings'>;
export type TransmissionSettingsInput = Body<'/api/v1/transmission/settings', 'put'>;

export const listTransmissionProviders = (api: ApiClient, opts?: Signal) =>
  api.get<Reply<'/api/v1/transmission/providers'>>('/api/v1/transmission/providers', opts);

/** The company's settings, or null while transmission is off (the API's 404 TRANSMISSION_NOT_CONFIGURED). */
export async function getTransmissionSettings(api: ApiClient, opts?: Signal) {
  try {
    return await api.get<TransmissionSettings>('/api/v1/transmission/settings', opts);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/** Checked with the provider first: a refusal is a 422 whose `base_url` error carries the provider's reason. */
export const saveTransmissionSettings = (api: ApiClient, body: TransmissionSettingsInput) =>
  api.put<TransmissionSettings>('/api/v1/transmission/settings', body);

export const turnOffTransmission = (api: ApiClient) => api.delete<void>('/api/v1/transmission/settings');
