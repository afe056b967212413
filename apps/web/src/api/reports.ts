// The reports and exports of /api/v1/reports and /api/v1/exports (apps/api/src/modules/reports).
import type { ApiClient } from './client';

export interface Period {
  from: string;
  to: string;
}

export interface VatReturnBox {
  box: string;
  side: 'output' | 'input';
  label_en: string;
  label_ar: string;
  amount: string;
  adjustment: string;
  vat: string;
}

export interface VatReturn {
  form: 'zatca-vat-return' | 'fta-vat-201' | 'vat-by-rate';
  name_en: string;
  name_ar: string;
  currency: string;
  from: string;
  to: string;
  boxes: VatReturnBox[];
  output_vat: string;
  input_vat: string;
  net_vat_due: string;
  outside_the_return: { amount: string; vat: string };
}

export type SalesGrouping = 'month' | 'customer' | 'product';

export interface SalesReport {
  currency: string;
  group_by: SalesGrouping;
  rows: { key: string | null; label: string; documents: number; net: string; vat: string; total: string }[];
  total: { net: string; vat: string; total: string };
}

const query = (values: Record<string, string>) => new URLSearchParams(values).toString();

export const getVatReturn = (api: ApiClient, period: Period, opts?: { signal?: AbortSignal }) =>
  api.get<VatReturn>(`/api/v1/reports/vat-return?${query({ ...period })}`, opts);

export const getSales = (
  api: ApiClient,
  period: Period,
  groupBy: SalesGrouping,
  opts?: { signal?: AbortSignal },
) => api.get<SalesReport>(`/api/v1/reports/sales?${query({ ...period, group_by: groupBy })}`, opts);

export type ExportKind = 'documents' | 'payments' | 'e-invoices' | 'vat-return';

/** A report or export file; the server names it (Content-Disposition). */
export function downloadExport(
  api: ApiClient,
  kind: ExportKind,
  period: Period,
  format: 'csv' | 'xlsx' | 'zip',
) {
  const path =
    kind === 'e-invoices'
      ? `/api/v1/exports/e-invoices?${query({ ...period })}`
      : kind === 'vat-return'
        ? `/api/v1/reports/vat-return?${query({ ...period, format: 'csv' })}`
        : `/api/v1/exports/${kind}?${query({ ...period, format })}`;
  return api.download(path);
}

export type AgingSide = 'receivables' | 'payables';
export const AGING_BUCKETS = ['current', 'days_1_30', 'days_31_60', 'days_61_90', 'days_90_plus'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];
type Buckets = Record<AgingBucket | 'total', string>;

export interface AgingReport {
  side: 'receivable' | 'payable';
  currency: string;
  as_of: string;
  rows: ({ key: string | null; label: string; documents: number } & Buckets)[];
  total: { documents: number } & Buckets;
  not_in_company_currency: number;
}

export const getAging = (api: ApiClient, side: AgingSide, asOf: string, opts?: { signal?: AbortSignal }) =>
  api.get<AgingReport>(`/api/v1/reports/${side}-aging?${query({ as_of: asOf })}`, opts);

export type PaymentsGrouping = 'month' | 'method' | 'customer';

export interface PaymentsReceived {
  currency: string;
  group_by: PaymentsGrouping;
  rows: {
    key: string | null;
    label: string;
    payments: number;
    amount: string;
    refunded: string;
    net: string;
  }[];
  total: { payments: number; amount: string; refunded: string; net: string };
  not_in_company_currency: number;
}

export const getPaymentsReceived = (
  api: ApiClient,
  period: Period,
  groupBy: PaymentsGrouping,
  opts?: { signal?: AbortSignal },
) =>
  api.get<PaymentsReceived>(
    `/api/v1/reports/payments-received?${query({ ...period, group_by: groupBy })}`,
    opts,
  );

export type ReportKind =
  | 'vat-return'
  | 'sales'
  | 'payments-received'
  | 'receivables-aging'
  | 'payables-aging';
export type FileFormat = 'pdf' | 'xlsx' | 'csv';

export interface ReportRun {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  progress: number;
  file_name: string | null;
  error: string | null;
}

/** A report written as a file by the server's background job: started, then polled, then downloaded. */
export const startReportRun = (
  api: ApiClient,
  body: { kind: ReportKind; format: FileFormat } & Record<string, string>,
) => api.post<ReportRun>('/api/v1/reports/runs', body);

export const getReportRun = (api: ApiClient, id: string) => api.get<ReportRun>(`/api/v1/reports/runs/${id}`);

export const downloadReportRun = (api: ApiClient, id: string) =>
  api.download(`/api/v1/reports/runs/${id}/file`);
