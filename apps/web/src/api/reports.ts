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
