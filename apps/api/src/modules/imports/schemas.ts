import { IMPORT_STATUSES, IMPORT_TYPES, INVOICE_IMPORT_MODES } from '@invoiceflow/db/schema';
import { z } from 'zod';

export const importTypeSchema = z.enum(IMPORT_TYPES);

/** The upload's form fields (multipart) or query (a raw body): what the file holds. */
export const uploadFieldsSchema = z.strictObject({
  type: importTypeSchema,
  mode: z
    .enum(INVOICE_IMPORT_MODES)
    .optional()
    .describe('Invoices: history (issued elsewhere) or issue (now)'),
  template_id: z.uuid().optional().describe('A saved mapping to start from'),
  file_name: z.string().trim().min(1).max(200).optional(),
});

export const mappingSchema = z.record(z.string().max(64), z.string().min(1).max(300));

export const mappingBodySchema = z.strictObject({
  mapping: mappingSchema.describe('Our field → the header text of the column that holds it'),
});

export const importSchema = z.object({
  id: z.uuid(),
  type: importTypeSchema,
  mode: z.enum(INVOICE_IMPORT_MODES).nullable(),
  status: z.enum(IMPORT_STATUSES),
  file_name: z.string(),
  format: z.enum(['csv', 'xlsx']),
  byte_size: z.number().int(),
  header: z.array(z.string()),
  mapping: z.record(z.string(), z.string()),
  fields: z.array(z.object({ name: z.string(), aliases: z.array(z.string()), is_required: z.boolean() })),
  progress: z.object({ rows_done: z.number().int(), rows_total: z.number().int().nullable() }),
  error_count: z.number().int().nullable().describe('Bad rows found by the last dry run (or the failed run)'),
  attempts: z.number().int(),
  result: z.record(z.string(), z.number()).nullable(),
  failure: z.object({ code: z.string(), message: z.string() }).nullable(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const rowErrorSchema = z.object({
  row: z.number().int().describe("The file's row number (the header is row 1)"),
  field: z.string(),
  code: z.string(),
  message: z.string(),
});

export const errorListQuerySchema = z.strictObject({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  page_size: z.coerce.number().int().min(1).max(1000).default(100),
});

export const errorListSchema = z.object({
  total_rows: z.number().int().nullable(),
  page: z.number().int(),
  page_size: z.number().int(),
  errors: z.array(rowErrorSchema),
});

export const importListSchema = z.object({ imports: z.array(importSchema) });

export const templateBodySchema = z.strictObject({
  type: importTypeSchema,
  name: z.string().trim().min(1).max(100),
  mapping: mappingSchema,
});

export const templateSchema = z.object({
  id: z.uuid(),
  type: importTypeSchema,
  name: z.string(),
  mapping: z.record(z.string(), z.string()),
  created_at: z.string(),
  updated_at: z.string(),
});

export const templateListQuerySchema = z.strictObject({ type: importTypeSchema.optional() });
export const templateListSchema = z.object({ templates: z.array(templateSchema) });
