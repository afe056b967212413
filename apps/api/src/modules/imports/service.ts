import { randomUUID } from 'node:crypto';
import type { Db } from '@invoiceflow/db';
import { IMPORT_TYPES, type ImportStatus, type ImportType } from '@invoiceflow/db/schema';
import type { AppContext } from '../../context';
import type { JobDefinition } from '../../jobs/queue';
import type { Actor } from '../../lib/actor';
import { recordAudit } from '../../lib/audit';
import { AppError, defineErrors, type FieldError, validationError } from '../../lib/errors';
import { csvRecord } from '../../lib/spreadsheet';
import { getCompany } from '../companies/queries';
import { configuredStorage, storageNamed } from '../files/storage';
import { AfterCommit } from '../invoices/extensions';
import { assertStorageAvailable } from '../plans/limits';
import { emitWebhookEvent } from '../webhooks/events';
import { type ImportAdapter, ImportRowsError, type RowIssue, suggestMapping } from './adapter';
import { customersAdapter } from './customers';
import { invoicesAdapter } from './invoices';
import { FileReadError, readRows, sniffFormat } from './parse';
import { productsAdapter } from './products';
import * as q from './queries';
import { vendorsAdapter } from './vendors';

defineErrors({
  IMPORT_NOT_FOUND: [404, 'Import not found.'],
  IMPORT_TEMPLATE_NOT_FOUND: [404, 'Import template not found.'],
  IMPORT_FILE_INVALID: [400, 'The file cannot be imported.'],
  IMPORT_NOT_READY: [409, 'The import is not in a state that allows this.'],
  IMPORT_HAS_ERRORS: [409, 'The dry run found bad rows: fix them and upload the file again.'],
});

export const ADAPTERS: Record<ImportType, ImportAdapter> = {
  customers: customersAdapter,
  vendors: vendorsAdapter,
  products: productsAdapter,
  invoices: invoicesAdapter,
};

export const VALIDATE_JOB = 'imports.validate';
export const RUN_JOB = 'imports.run';
export const RECOVER_JOB = 'imports.recover';
/** Runs of one import before a dead worker's import is failed rather than started again. */
const MAX_ATTEMPTS = 3;
/** Rows written per statement inside the import's transaction. */
const BATCH_ROWS = 500;

/** Progress of the runs this process is working, read by GET between its transaction's start and commit. */
const liveProgress = new Map<string, number>();

export function presentImport(row: q.ImportRow) {
  const adapter = ADAPTERS[row.type];
  const rowsDone = row.status === 'importing' ? (liveProgress.get(row.id) ?? row.rowsDone) : row.rowsDone;
  return {
    id: row.id,
    type: row.type,
    mode: row.mode,
    status: row.status,
    file_name: row.fileName,
    format: row.format,
    byte_size: row.byteSize,
    header: row.header,
    mapping: row.mapping,
    fields: adapter.fields.map((field) => ({
      name: field.name,
      aliases: [...field.aliases],
      is_required: field.isRequired === true,
    })),
    progress: { rows_done: rowsDone, rows_total: row.rowsTotal },
    error_count: row.errorCount,
    attempts: row.attempts,
    result: row.result,
    failure: row.failure,
    started_at: row.startedAt?.toISOString() ?? null,
    finished_at: row.finishedAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

function fileProblem(code: string, message: string): AppError {
  return new AppError('IMPORT_FILE_INVALID', { errors: [{ path: 'file', code, message }] });
}

/** The header row: the first row with a cell; blank headers are refused (a column nobody can map). */
async function readHeader(bytes: Buffer, format: 'csv' | 'xlsx'): Promise<string[]> {
  try {
    for await (const row of readRows(bytes, format, { maxRows: Number.MAX_SAFE_INTEGER })) {
      const header = row.map((cell) => cell.trim());
      while (header.length > 0 && header.at(-1) === '') header.pop();
      if (header.length === 0) continue;
      const blank = header.indexOf('');
      if (blank >= 0) throw fileProblem('HEADER_BLANK', `Column ${blank + 1} of the header has no name.`);
      const seen = new Set<string>();
      for (const name of header) {
        if (seen.has(name)) throw fileProblem('HEADER_DUPLICATE', `Two columns are named "${name}".`);
        seen.add(name);
      }
      return header;
    }
  } catch (error) {
    if (error instanceof FileReadError) throw fileProblem(error.code, error.message);
    throw error;
  }
  throw fileProblem('EMPTY_FILE', 'The file holds no header row.');
}

/** The header's cells checked by the input layer's rule (no control or bidi characters in a column name). */
function checkHeaderTexts(header: string[]): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it looks for
  const suspect = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
  const bad = header.findIndex((name) => suspect.test(name));
  if (bad >= 0)
    throw fileProblem(
      'CONTROL_CHARACTER',
      `Column ${bad + 1} of the header holds an invisible control character.`,
    );
}

function checkMapping(
  adapter: ImportAdapter,
  header: readonly string[],
  mapping: Record<string, string>,
): FieldError[] {
  const errors: FieldError[] = [];
  const known = new Set(adapter.fields.map((field) => field.name));
  const columns = new Set(header);
  const used = new Map<string, string>();
  for (const [field, column] of Object.entries(mapping)) {
    if (!known.has(field))
      errors.push({
        path: `mapping.${field}`,
        code: 'UNKNOWN_FIELD',
        message: 'Not a field of this import type.',
      });
    else if (!columns.has(column))
      errors.push({
        path: `mapping.${field}`,
        code: 'UNKNOWN_COLUMN',
        message: 'No column of the file has this name.',
      });
    else if (used.has(column))
      errors.push({
        path: `mapping.${field}`,
        code: 'COLUMN_TWICE',
        message: `The column is already mapped to ${used.get(column)}.`,
      });
    else used.set(column, field);
  }
  for (const field of adapter.fields) {
    if (field.isRequired && !mapping[field.name]) {
      errors.push({
        path: `mapping.${field.name}`,
        code: 'REQUIRED',
        message: 'Map a column to this field.',
      });
    }
  }
  return errors;
}

export async function createImport(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  input: {
    type: ImportType;
    mode?: 'history' | 'issue';
    fileName: string;
    bytes: Buffer;
    templateId?: string;
  },
): Promise<q.ImportRow> {
  const adapter = ADAPTERS[input.type];
  if (input.type === 'invoices' && !input.mode) {
    throw validationError([{ path: 'mode', code: 'REQUIRED', message: 'history or issue.' }]);
  }
  if (input.type !== 'invoices' && input.mode) {
    throw validationError([
      { path: 'mode', code: 'NOT_ALLOWED', message: 'Only invoice imports have a mode.' },
    ]);
  }
  const sniffed = sniffFormat(input.bytes);
  if ('problem' in sniffed) {
    throw fileProblem(
      sniffed.problem,
      sniffed.problem === 'EMPTY_FILE' ? 'The file is empty.' : 'Send a CSV (UTF-8) or an .xlsx workbook.',
    );
  }
  const header = await readHeader(input.bytes, sniffed.format);
  checkHeaderTexts(header);
  let mapping = suggestMapping(adapter.fields, header);
  if (input.templateId) {
    const template = await q.getTemplate(ctx.db, { companyId, id: input.templateId });
    if (!template || template.type !== input.type) throw new AppError('IMPORT_TEMPLATE_NOT_FOUND');
    // The template's columns that this file has; the suggestion fills the rest.
    const columns = new Set(header);
    mapping = {
      ...mapping,
      ...Object.fromEntries(Object.entries(template.mapping).filter(([, c]) => columns.has(c))),
    };
  }
  const storage = configuredStorage(ctx.config);
  const key = `${companyId}/${randomUUID()}`;
  return ctx.db.transaction(async (tx) => {
    const company = await getCompany(tx, { companyId });
    if (company) await assertStorageAvailable(tx, company, input.bytes.length);
    await storage.put(tx, { companyId, key, bytes: input.bytes });
    const row = await q.insertImport(tx, {
      companyId,
      type: input.type,
      mode: input.mode ?? null,
      fileName: input.fileName,
      format: sniffed.format,
      storageKind: storage.kind,
      storageKey: key,
      byteSize: input.bytes.length,
      header,
      mapping,
      createdBy: actor.userId,
    });
    await audit(tx, companyId, actor, 'import.created', row.id, { type: input.type, format: sniffed.format });
    return row;
  });
}

export async function getImportOrThrow(db: Db, companyId: string, id: string) {
  const row = await q.getImport(db, { companyId, id });
  if (!row) throw new AppError('IMPORT_NOT_FOUND');
  return row;
}

const EDITABLE: readonly ImportStatus[] = ['uploaded', 'mapped', 'validated', 'failed'];

export async function setMapping(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  id: string,
  mapping: Record<string, string>,
) {
  return ctx.db.transaction(async (tx) => {
    const current = await q.getImport(tx, { companyId, id, forUpdate: true });
    if (!current) throw new AppError('IMPORT_NOT_FOUND');
    if (!EDITABLE.includes(current.status)) throw new AppError('IMPORT_NOT_READY');
    const errors = checkMapping(ADAPTERS[current.type], current.header, mapping);
    if (errors.length > 0) throw validationError(errors);
    const row = await q.updateImport(tx, {
      companyId,
      id,
      values: { mapping, status: 'mapped', errorCount: null, rowsTotal: null, rowsDone: 0, failure: null },
    });
    await q.replaceImportErrors(tx, { companyId, importId: id, issues: [] });
    await audit(tx, companyId, actor, 'import.mapped', id);
    return row as q.ImportRow;
  });
}

/** Queues the dry run (status validating); the job checks every row and stores every bad one. */
export async function startDryRun(ctx: AppContext, companyId: string, actor: Actor, id: string) {
  return ctx.db.transaction(async (tx) => {
    const current = await q.getImport(tx, { companyId, id, forUpdate: true });
    if (!current) throw new AppError('IMPORT_NOT_FOUND');
    if (!EDITABLE.includes(current.status)) throw new AppError('IMPORT_NOT_READY');
    const errors = checkMapping(ADAPTERS[current.type], current.header, current.mapping);
    if (errors.length > 0) throw validationError(errors);
    const row = await q.updateImport(tx, {
      companyId,
      id,
      values: { status: 'validating', rowsDone: 0, rowsTotal: null, errorCount: null, failure: null },
    });
    await ctx.jobs.enqueue(tx, VALIDATE_JOB, { companyId, importId: id }, { key: id });
    await audit(tx, companyId, actor, 'import.dry_run', id);
    return row as q.ImportRow;
  });
}

/** Queues the import (status importing): only after a dry run found no bad row. */
export async function startRun(ctx: AppContext, companyId: string, actor: Actor, id: string) {
  return ctx.db.transaction(async (tx) => {
    const current = await q.getImport(tx, { companyId, id, forUpdate: true });
    if (!current) throw new AppError('IMPORT_NOT_FOUND');
    if (current.status !== 'validated') {
      throw new AppError('IMPORT_NOT_READY', { message: 'Run the dry run first; an import runs once.' });
    }
    if ((current.errorCount ?? 0) > 0) throw new AppError('IMPORT_HAS_ERRORS');
    const row = await q.updateImport(tx, {
      companyId,
      id,
      values: { status: 'importing', rowsDone: 0, attempts: 0, startedAt: new Date(), failure: null },
    });
    await ctx.jobs.enqueue(tx, RUN_JOB, { companyId, importId: id }, { key: id });
    await audit(tx, companyId, actor, 'import.started', id);
    return row as q.ImportRow;
  });
}

/** The import's file, read row by row with the mapping applied: row numbers as the user sees them. */
async function* mappedRows(ctx: AppContext, db: Db, row: q.ImportRow) {
  const bytes = await storageNamed(row.storageKind, ctx.config).get(db, {
    companyId: row.companyId,
    key: row.storageKey,
  });
  if (!bytes) throw new AppError('IMPORT_FILE_INVALID', { message: 'The uploaded file is missing.' });
  const indexOf = new Map(row.header.map((name, index) => [name, index]));
  const columns = Object.entries(row.mapping).map(
    ([field, column]) => [field, indexOf.get(column) ?? -1] as const,
  );
  let rowNumber = 0;
  let isHeaderSeen = false;
  for await (const cells of readRows(bytes, row.format, { maxRows: ctx.config.IMPORT_MAX_ROWS })) {
    rowNumber++;
    if (!isHeaderSeen) {
      if (cells.some((cell) => cell.trim() !== '')) isHeaderSeen = true;
      continue;
    }
    if (cells.every((cell) => cell.trim() === '')) continue;
    const values: Record<string, string> = {};
    for (const [field, index] of columns) {
      const cell = cells[index]?.trim();
      if (cell) values[field] = cell;
    }
    yield { rowNumber, cells, values };
  }
}

function issuesOf(row: number, errors: FieldError[]): RowIssue[] {
  return errors.map((error) => ({ row, field: error.path, code: error.code, message: error.message }));
}

const SYSTEM_ACTOR = (row: q.ImportRow): Actor => ({
  userId: row.createdBy ?? '',
  requestId: `import:${row.id}`,
});

/** The dry run: every row through the adapter's checks, nothing written but the report. */
export async function validateImport(
  ctx: AppContext,
  { companyId, importId }: { companyId: string; importId: string },
) {
  const row = await q.getImport(ctx.db, { companyId, id: importId });
  if (row?.status !== 'validating') return;
  const adapter = ADAPTERS[row.type];
  const session = await adapter.begin(ctx, ctx.db, {
    companyId,
    actor: SYSTEM_ACTOR(row),
    mode: row.mode,
    write: false,
    afterCommit: new AfterCommit(),
  });
  const issues: RowIssue[] = [];
  let total = 0;
  try {
    for await (const { rowNumber, values } of mappedRows(ctx, ctx.db, row)) {
      total++;
      const errors = session.accept(values, rowNumber);
      if (errors.length > 0) issues.push(...issuesOf(rowNumber, errors));
      if (total % 10_000 === 0) {
        await q.updateImport(ctx.db, {
          companyId,
          id: importId,
          from: ['validating'],
          values: { rowsDone: total },
        });
      }
    }
    issues.push(...session.finish());
  } catch (error) {
    if (!(error instanceof FileReadError)) throw error;
    await fail(ctx, row, { code: error.code, message: error.message }, []);
    return;
  }
  issues.sort((a, b) => a.row - b.row);
  const badRows = new Set(issues.map((issue) => issue.row)).size;
  await ctx.db.transaction(async (tx) => {
    await q.replaceImportErrors(tx, { companyId, importId, issues });
    await q.updateImport(tx, {
      companyId,
      id: importId,
      from: ['validating'],
      values: { status: 'validated', rowsTotal: total, rowsDone: total, errorCount: badRows },
    });
  });
}

/**
 * The import: every row checked again (the company's data may have changed since the dry run) and written in
 * ONE transaction that also marks the import `imported`. A bad row, a refused invoice or a dead worker leaves
 * nothing of it. The run holds an advisory lock for its transaction, so a second delivery of the job, or the
 * recovery sweep, never runs it twice at once.
 */
export async function runImport(
  ctx: AppContext,
  { companyId, importId }: { companyId: string; importId: string },
) {
  const started = await q.updateImport(ctx.db, {
    companyId,
    id: importId,
    from: ['importing'],
    values: { startedAt: new Date() },
  });
  if (!started) return;
  if (started.attempts >= MAX_ATTEMPTS) {
    await fail(
      ctx,
      started,
      { code: 'IMPORT_INTERRUPTED', message: 'The import was interrupted too often; nothing was imported.' },
      [],
    );
    return;
  }
  await q.updateImport(ctx.db, {
    companyId,
    id: importId,
    from: ['importing'],
    values: { attempts: started.attempts + 1 },
  });
  const afterCommit = new AfterCommit();
  let outcome: { issues: RowIssue[]; failure?: { code: string; message: string } } | undefined;
  liveProgress.set(importId, 0);
  try {
    await ctx.db.transaction(async (tx) => {
      if (!(await q.tryRunLock(tx, importId))) return; // another process is running it
      const row = await q.getImport(tx, { companyId, id: importId, forUpdate: true });
      if (row?.status !== 'importing') return;
      const session = await ADAPTERS[row.type].begin(ctx, tx, {
        companyId,
        actor: SYSTEM_ACTOR(row),
        mode: row.mode,
        write: true,
        afterCommit,
      });
      const issues: RowIssue[] = [];
      let total = 0;
      let pending = 0;
      try {
        for await (const { rowNumber, values } of mappedRows(ctx, tx, row)) {
          total++;
          const errors = session.accept(values, rowNumber);
          if (errors.length > 0) {
            issues.push(...issuesOf(rowNumber, errors));
            continue;
          }
          if (issues.length === 0 && ++pending >= BATCH_ROWS) {
            await session.flush(tx, false);
            pending = 0;
            liveProgress.set(importId, total);
          }
        }
        issues.push(...session.finish());
        if (issues.length > 0) throw new ImportRowsError(issues);
        await session.flush(tx, true);
      } catch (error) {
        if (error instanceof FileReadError) {
          outcome = { issues: [], failure: { code: error.code, message: error.message } };
          throw error;
        }
        if (error instanceof ImportRowsError) {
          outcome = {
            issues: error.issues,
            failure: { code: 'IMPORT_ROWS_INVALID', message: 'Rows were refused; nothing was imported.' },
          };
        }
        throw error;
      }
      const result = session.counts();
      await q.updateImport(tx, {
        companyId,
        id: importId,
        values: { status: 'imported', rowsTotal: total, rowsDone: total, result, finishedAt: new Date() },
      });
      await recordAudit(tx, {
        companyId,
        actorUserId: row.createdBy,
        action: 'import.finished',
        entityType: 'import',
        entityId: importId,
        data: { type: row.type, ...result },
        requestId: `import:${importId}`,
      });
      await emitWebhookEvent(tx, {
        companyId,
        type: 'import.finished',
        data: { import: { id: importId, type: row.type, status: 'imported', result } },
      });
      outcome = { issues: [] };
    });
  } catch (error) {
    liveProgress.delete(importId);
    const current = await q.getImport(ctx.db, { companyId, id: importId });
    if (!current) return;
    if (outcome?.failure) {
      await fail(ctx, current, outcome.failure, outcome.issues);
      return;
    }
    // Anything else (the database, a bug): failed cleanly, with no detail that could hold a row's values.
    await fail(
      ctx,
      current,
      { code: 'IMPORT_FAILED', message: 'The import failed; nothing was imported.' },
      [],
    );
    throw error;
  }
  liveProgress.delete(importId);
  await afterCommit.run();
}

async function fail(
  ctx: AppContext,
  row: q.ImportRow,
  failure: { code: string; message: string },
  issues: RowIssue[],
) {
  await ctx.db.transaction(async (tx) => {
    const changed = await q.updateImport(tx, {
      companyId: row.companyId,
      id: row.id,
      from: ['validating', 'importing'],
      values: {
        status: 'failed',
        failure,
        finishedAt: new Date(),
        ...(issues.length > 0 ? { errorCount: new Set(issues.map((issue) => issue.row)).size } : {}),
      },
    });
    if (!changed) return;
    if (issues.length > 0)
      await q.replaceImportErrors(tx, { companyId: row.companyId, importId: row.id, issues });
    await emitWebhookEvent(tx, {
      companyId: row.companyId,
      type: 'import.finished',
      data: { import: { id: row.id, type: row.type, status: 'failed', failure } },
    });
  });
}

/** Imports left `importing` by a worker that died: started again (nothing of them was written), a few times. */
export async function recoverImports(ctx: AppContext): Promise<number> {
  const abandoned = await q.abandonedImports(ctx.db, { olderThan: new Date(Date.now() - 10_000) });
  for (const row of abandoned) {
    await ctx.db.transaction(async (tx) => {
      const changed = await q.updateImport(tx, {
        companyId: row.companyId,
        id: row.id,
        from: ['importing'],
        values: { startedAt: new Date() },
      });
      if (changed)
        await ctx.jobs.enqueue(tx, RUN_JOB, { companyId: row.companyId, importId: row.id }, { key: row.id });
    });
  }
  return abandoned.length;
}

/** The bad rows as the user's own CSV: the file's columns (as mapped) and an `error` column. */
export async function* errorsCsv(ctx: AppContext, companyId: string, id: string): AsyncGenerator<string> {
  const row = await getImportOrThrow(ctx.db, companyId, id);
  const issues = await q.listImportErrors(ctx.db, { companyId, importId: id });
  const byRow = new Map<number, string[]>();
  for (const issue of issues) {
    const text = `${issue.field ? `${issue.field}: ` : ''}${issue.message} (${issue.code})`;
    const list = byRow.get(issue.row);
    if (list) list.push(text);
    else byRow.set(issue.row, [text]);
  }
  yield `\uFEFF${csvRecord(['row', ...row.header, 'error'])}`;
  if (byRow.size === 0) return;
  let buffer = '';
  for await (const { rowNumber, cells } of mappedRows(ctx, ctx.db, row)) {
    const errors = byRow.get(rowNumber);
    if (!errors) continue;
    buffer += csvRecord([rowNumber, ...row.header.map((_, i) => cells[i] ?? ''), errors.join('; ')]);
    if (buffer.length > 64 * 1024) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}

/** The downloadable template of a type: its header and one example row. */
export function templateCsv(type: ImportType): string {
  const { fields } = ADAPTERS[type];
  return `\uFEFF${csvRecord(fields.map((field) => field.name))}${csvRecord(fields.map((field) => field.example))}`;
}

export async function saveTemplate(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  input: { type: ImportType; name: string; mapping: Record<string, string> },
) {
  const known = new Set(ADAPTERS[input.type].fields.map((field) => field.name));
  const unknown = Object.keys(input.mapping).filter((field) => !known.has(field));
  if (unknown.length > 0) {
    throw validationError(
      unknown.map((field) => ({
        path: `mapping.${field}`,
        code: 'UNKNOWN_FIELD',
        message: 'Not a field of this import type.',
      })),
    );
  }
  return ctx.db.transaction(async (tx) => {
    const row = await q.upsertTemplate(tx, { companyId, ...input });
    await audit(tx, companyId, actor, 'import_template.saved', row.id, { type: input.type });
    return row;
  });
}

export function presentTemplate(row: q.ImportTemplateRow) {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    mapping: row.mapping,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export function importJobs(ctx: AppContext): JobDefinition[] {
  return [
    {
      name: VALIDATE_JOB,
      handle: (data) => validateImport(ctx, data as { companyId: string; importId: string }),
      retryLimit: 2,
    },
    {
      // No queue retries: a run that died is found by the recovery sweep, which holds the count of attempts.
      name: RUN_JOB,
      handle: (data) => runImport(ctx, data as { companyId: string; importId: string }),
      retryLimit: 0,
      expireInSeconds: 3600,
    },
    {
      name: RECOVER_JOB,
      handle: async () => {
        await recoverImports(ctx);
      },
      everySeconds: 5,
      policy: 'short',
      retryLimit: 0,
    },
  ];
}

const audit = (
  tx: Db,
  companyId: string,
  actor: Actor,
  action: string,
  entityId: string,
  data: Record<string, unknown> = {},
) =>
  recordAudit(tx, {
    companyId,
    actorUserId: actor.userId,
    action,
    entityType: action.startsWith('import_template') ? 'import_template' : 'import',
    entityId,
    data,
    requestId: actor.requestId,
  });

export { IMPORT_TYPES };
