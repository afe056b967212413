import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { createdAt, id, updatedAt } from './columns';
import { companies } from './companies';

export const IMPORT_TYPES = ['customers', 'vendors', 'products', 'invoices'] as const;
export type ImportType = (typeof IMPORT_TYPES)[number];
export const IMPORT_STATUSES = [
  'uploaded',
  'mapped',
  'validating',
  'validated',
  'importing',
  'imported',
  'failed',
] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
/** Invoices: `history` keeps their own numbers (issued elsewhere); `issue` issues each through the pipeline. */
export const INVOICE_IMPORT_MODES = ['history', 'issue'] as const;

/**
 * A file being imported: the uploaded bytes (in the file storage, under `storage_key`), its header, the mapping of
 * our fields to its columns, and where the run stands. The records themselves are written in one transaction
 * with the status `imported`: a failure or a killed worker leaves none of them.
 */
export const imports = pgTable(
  'imports',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    type: text('type', { enum: IMPORT_TYPES }).notNull(),
    mode: text('mode', { enum: INVOICE_IMPORT_MODES }),
    status: text('status', { enum: IMPORT_STATUSES }).notNull().default('uploaded'),
    fileName: text('file_name').notNull(),
    format: text('format', { enum: ['csv', 'xlsx'] }).notNull(),
    storageKind: text('storage_kind').notNull(),
    storageKey: text('storage_key').notNull(),
    byteSize: integer('byte_size').notNull(),
    header: jsonb('header').$type<string[]>().notNull(),
    /** Our field → the column's header text, as suggested from the header, then as the user set it. */
    mapping: jsonb('mapping').$type<Record<string, string>>().notNull(),
    rowsTotal: integer('rows_total'),
    rowsDone: integer('rows_done').notNull().default(0),
    errorCount: integer('error_count'),
    /** Runs of the import job that started; a run interrupted by a dead worker is started again, a few times. */
    attempts: integer('attempts').notNull().default(0),
    /** What was made: counts per record kind. */
    result: jsonb('result').$type<Record<string, number>>(),
    /** Why it failed: a code and a message, never row values. */
    failure: jsonb('failure').$type<{ code: string; message: string }>(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('imports_company_idx').on(t.companyId, t.createdAt),
    index('imports_status_idx').on(t.status),
    check(
      'imports_rows_check',
      sql`${t.rowsDone} >= 0 AND (${t.rowsTotal} IS NULL OR ${t.rowsDone} <= ${t.rowsTotal})`,
    ),
    check('imports_mode_check', sql`(${t.type} = 'invoices') = (${t.mode} IS NOT NULL)`),
  ],
);

/** The bad rows of an import's last dry run: row number (the file's, header = 1), field and reason. */
export const importErrors = pgTable(
  'import_errors',
  {
    importId: uuid('import_id')
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    rowNumber: integer('row_number').notNull(),
    field: text('field').notNull(),
    code: text('code').notNull(),
    message: text('message').notNull(),
  },
  (t) => [index('import_errors_import_idx').on(t.importId, t.rowNumber)],
);

/** A saved column mapping per company and record type, offered again for the next file. */
export const importTemplates = pgTable(
  'import_templates',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    type: text('type', { enum: IMPORT_TYPES }).notNull(),
    name: text('name').notNull(),
    mapping: jsonb('mapping').$type<Record<string, string>>().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('import_templates_company_type_name_key').on(t.companyId, t.type, t.name)],
);
