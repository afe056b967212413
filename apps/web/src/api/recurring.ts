// Recurring invoices: a schedule per customer that makes one invoice per period (draft or issued).
import type { ApiClient } from './client';
import type { Body, Item, Reply } from './wire';

type Signal = { signal?: AbortSignal };

export type RecurringSchedule = Item<Reply<'/api/v1/recurring-invoices'>['schedules']>;
export type Frequency = RecurringSchedule['frequency'];
export type RecurringInput = Body<'/api/v1/recurring-invoices'>;
export type RecurringRun = Item<Reply<'/api/v1/recurring-invoices/{id}/runs'>['runs']>;

const base = '/api/v1/recurring-invoices';

export const listSchedules = (api: ApiClient, params: { page: number; page_size: number }, opts?: Signal) =>
  api.get<Reply<'/api/v1/recurring-invoices'>>(
    `${base}?page=${params.page}&page_size=${params.page_size}`,
    opts,
  );
export const createSchedule = (api: ApiClient, input: RecurringInput) =>
  api.post<RecurringSchedule>(base, input);
export const pauseSchedule = (api: ApiClient, id: string) =>
  api.post<RecurringSchedule>(`${base}/${id}/pause`, {});
export const resumeSchedule = (api: ApiClient, id: string, catchUp: boolean) =>
  api.post<RecurringSchedule>(`${base}/${id}/resume`, { catch_up: catchUp });
export const deleteSchedule = (api: ApiClient, id: string) => api.delete<void>(`${base}/${id}`);
export const listRuns = (api: ApiClient, id: string, opts?: Signal) =>
  api.get<{ runs: RecurringRun[] }>(`${base}/${id}/runs`, opts);
