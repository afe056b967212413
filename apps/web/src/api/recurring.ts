// Recurring invoices: a schedule per customer that makes one invoice per period (draft or issued).
import type { ApiClient } from './client';

type Signal = { signal?: AbortSignal };

export type Frequency = 'weekly' | 'monthly' | 'quarterly' | 'yearly';

export interface RecurringSchedule {
  id: string;
  name: string | null;
  customer_id: string;
  frequency: Frequency;
  day_of_month: number | null;
  start_date: string;
  end_date: string | null;
  max_count: number | null;
  mode: 'draft' | 'issue';
  auto_send: boolean;
  template: Record<string, unknown>;
  status: 'active' | 'paused';
  last_error: Record<string, unknown> | null;
  next_period_date: string | null;
  updated_at: string;
}

export interface RecurringInput {
  name?: string;
  customer_id: string;
  frequency: Frequency;
  day_of_month?: number;
  start_date: string;
  end_date?: string | null;
  max_count?: number | null;
  mode: 'draft' | 'issue';
  auto_send: boolean;
  template: Record<string, unknown>;
}

export interface RecurringRun {
  period_date: string;
  outcome: 'draft' | 'issued' | 'sent' | 'skipped';
  invoice_id: string | null;
  send_error: string | null;
  created_at: string;
}

const base = '/api/v1/recurring-invoices';

export const listSchedules = (api: ApiClient, params: { page: number; page_size: number }, opts?: Signal) =>
  api.get<{ total: number; page: number; page_size: number; schedules: RecurringSchedule[] }>(
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
