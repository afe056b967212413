// Bulk import: upload a file, map its columns, dry run (every bad row), then the import as a job with progress.
import type { ApiClient } from './client';

type Signal = { signal?: AbortSignal };

export const IMPORT_TYPES = ['customers', 'vendors', 'products', 'invoices'] as const;
export type ImportType = (typeof IMPORT_TYPES)[number];
export type InvoiceImportMode = 'history' | 'issue';

export type ImportStatus =
  | 'uploaded'
  | 'mapped'
  | 'validating'
  | 'validated'
  | 'importing'
  | 'imported'
  | 'failed';

export interface ImportJob {
  id: string;
  type: ImportType;
  mode: InvoiceImportMode | null;
  status: ImportStatus;
  file_name: string;
  format: 'csv' | 'xlsx';
  header: string[];
  /** Our field → the header text of the column that holds it. */
  mapping: Record<string, string>;
  fields: { name: string; aliases: string[]; is_required: boolean }[];
  progress: { rows_done: number; rows_total: number | null };
  error_count: number | null;
  attempts: number;
  result: Record<string, number> | null;
  failure: { code: string; message: string } | null;
  created_at: string;
}

export interface ImportRowError {
  row: number;
  field: string;
  code: string;
  message: string;
}

export interface ImportTemplate {
  id: string;
  type: ImportType;
  name: string;
  mapping: Record<string, string>;
}

const base = '/api/v1/imports';

/**
 * The file goes as the body (the server knows CSV from XLSX by its bytes), never under the browser's guess of a
 * type: some systems call a .csv "application/vnd.ms-excel".
 */
export function uploadImport(
  api: ApiClient,
  input: { type: ImportType; mode?: InvoiceImportMode; file: Blob; fileName: string; templateId?: string },
) {
  const query = new URLSearchParams({ type: input.type, file_name: input.fileName });
  if (input.mode) query.set('mode', input.mode);
  if (input.templateId) query.set('template_id', input.templateId);
  return api.post<ImportJob>(
    `${base}?${query}`,
    new Blob([input.file], { type: 'application/octet-stream' }),
  );
}

export const getImport = (api: ApiClient, id: string, opts?: Signal) =>
  api.get<ImportJob>(`${base}/${id}`, opts);
export const setImportMapping = (api: ApiClient, id: string, mapping: Record<string, string>) =>
  api.put<ImportJob>(`${base}/${id}/mapping`, { mapping });
export const startDryRun = (api: ApiClient, id: string) => api.post<ImportJob>(`${base}/${id}/dry-run`);
export const startImport = (api: ApiClient, id: string) => api.post<ImportJob>(`${base}/${id}/run`);
export const listImportErrors = (api: ApiClient, id: string, page: number, opts?: Signal) =>
  api.get<{ total_rows: number | null; page: number; page_size: number; errors: ImportRowError[] }>(
    `${base}/${id}/errors?page=${page}&page_size=100`,
    opts,
  );
export const downloadErrorsCsv = (api: ApiClient, id: string) => api.download(`${base}/${id}/errors.csv`);
export const downloadTemplate = (api: ApiClient, type: ImportType) =>
  api.download(`${base}/templates/${type}.csv`);
export const listTemplates = (api: ApiClient, type: ImportType, opts?: Signal) =>
  api.get<{ templates: ImportTemplate[] }>(`/api/v1/import-templates?type=${type}`, opts);
export const saveTemplate = (
  api: ApiClient,
  input: { type: ImportType; name: string; mapping: Record<string, string> },
) => api.post<ImportTemplate>('/api/v1/import-templates', input);
