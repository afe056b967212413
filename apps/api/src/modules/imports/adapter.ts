import type { Db } from '@invoiceflow/db';
import type { ImportType } from '@invoiceflow/db/schema';
import type { AppContext } from '../../context';
import type { Actor } from '../../lib/actor';
import { AppError, type FieldError } from '../../lib/errors';
import { fieldErrorsFromZod } from '../../lib/field-errors';
import { checkTexts } from '../../lib/input-text';
import type { AfterCommit } from '../invoices/extensions';

/** Rows refused while writing: the import rolls back and reports them. */
export class ImportRowsError extends Error {
  constructor(readonly issues: RowIssue[]) {
    super(`${issues.length} rows were refused`);
  }
}

/**
 * One adapter per record type (customers, vendors, products, invoices): the columns it reads,
 * with the header names and aliases that suggest them, and a session that checks rows one at a time and writes
 * the good ones. The importer (service.ts) knows files, mappings, jobs and transactions, never a record type.
 */
export interface ImportField {
  /** Our field, snake_case as in the API. */
  name: string;
  /** Other header names that mean it (a billing system's export, the API's own aliases). */
  aliases: readonly string[];
  isRequired?: boolean;
  /** A value for the downloadable template. */
  example: string;
}

/** A bad row: the file's row number (the header is row 1), our field (or '' for the row), code and reason. */
export interface RowIssue {
  row: number;
  field: string;
  code: string;
  message: string;
}

export interface ImportSession {
  /** Checks one row (its non-empty cells by our field names); returns its issues, field paths being our fields. */
  accept(values: Record<string, string>, row: number): FieldError[];
  /** File-wide checks after the last row (duplicates, an invoice's rows that disagree). */
  finish(): RowIssue[];
  /**
   * Writing only: writes the rows accepted since the last call, in the import's transaction (`isLast` after the
   * last row and finish). Rows a writer refuses (an invoice the pipeline refuses) throw ImportRowsError.
   */
  flush(tx: Db, isLast: boolean): Promise<void>;
  /** Writing only: what was made, once everything is flushed. */
  counts(): Record<string, number>;
}

export interface ImportAdapter {
  type: ImportType;
  fields: readonly ImportField[];
  /** A session for one pass over a file; `write` says whether accepted rows are kept for flush. */
  begin(
    ctx: AppContext,
    db: Db,
    options: {
      companyId: string;
      actor: Actor;
      mode: string | null;
      write: boolean;
      afterCommit: AfterCommit;
    },
  ): Promise<ImportSession>;
}

/** A header's text as a key: lower case, spaces, dashes and dots as `_` ("Customer Name" → customer_name). */
export function headerKey(text: string): string {
  return text
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/[\s\-./]+/g, '_')
    .replace(/[^\p{L}\p{N}_]/gu, '')
    .replace(/^_+|_+$/g, '');
}

/** Our field → the header column that suggests it (its name or an alias), each column used once. */
export function suggestMapping(
  fields: readonly ImportField[],
  header: readonly string[],
): Record<string, string> {
  const byKey = new Map<string, string>();
  for (const column of header) {
    const key = headerKey(column);
    if (key && !byKey.has(key)) byKey.set(key, column);
  }
  const mapping: Record<string, string> = {};
  const used = new Set<string>();
  for (const field of fields) {
    for (const name of [field.name, ...field.aliases]) {
      const column = byKey.get(headerKey(name));
      if (column !== undefined && !used.has(column)) {
        mapping[field.name] = column;
        used.add(column);
        break;
      }
    }
  }
  return mapping;
}

/**
 * The input layer's text rule for a row's cells (the same as a JSON body's: control characters refused, bidi
 * controls removed from free text and refused elsewhere), by our field names. Returns the issues; cleans in place.
 */
export function checkCellTexts(values: Record<string, string>): FieldError[] {
  const errors: FieldError[] = [];
  checkTexts(values, '', errors);
  return errors;
}

/** Zod's issues as row issues, the path's last meaningful segment naming our field. */
export function zodRowErrors(
  error: Parameters<typeof fieldErrorsFromZod>[0],
  fieldOf: (path: string) => string,
) {
  return fieldErrorsFromZod(error).map((issue) => ({ ...issue, path: fieldOf(issue.path) }));
}

/** A service's refusal (VALIDATION_FAILED, INVOICE_INVALID …) as field issues; anything else is thrown on. */
export function appErrorIssues(error: unknown, fieldOf: (path: string) => string): FieldError[] {
  if (!(error instanceof AppError) || error.status >= 500) throw error;
  if (!error.errors || error.errors.length === 0)
    return [{ path: '', code: String(error.code), message: error.message }];
  return error.errors.map((issue) => ({ ...issue, path: fieldOf(issue.path) }));
}

/** "12" → 12 for whole numbers of days; anything else is not a number of days. */
export function wholeNumber(text: string | undefined): number | string | undefined {
  if (text === undefined) return undefined;
  return /^\d{1,4}$/.test(text) ? Number.parseInt(text, 10) : text;
}
