import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { contentDisposition } from './content-disposition';

/**
 * Cells of every CSV or spreadsheet the API writes (error reports, templates, exports). A cell that starts with
 * `=`, `+`, `-`, `@`, a tab or a carriage return is taken for a formula by Excel, LibreOffice and Google Sheets
 * (CSV injection: `=HYPERLINK(...)`, `@SUM(...)`, DDE). OWASP's recipe: prefix such a cell with a single quote,
 * which the spreadsheet shows as text, and quote every cell that needs it.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A plain signed decimal ("-150.00"): a number to every spreadsheet, never a formula, so it stays a number. */
const SIGNED_DECIMAL = /^-\d+(\.\d+)?$/;

/** The cell's text as a spreadsheet will show it and never run it. */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) && !SIGNED_DECIMAL.test(value) ? `'${value}` : value;
}

/** A CSV download: an attachment, never sniffed into another type. */
export function sendCsv(reply: FastifyReply, fileName: string, body: string | Readable) {
  return reply
    .header('content-disposition', contentDisposition('attachment', fileName))
    .header('x-content-type-options', 'nosniff')
    .type('text/csv; charset=utf-8')
    .send(body);
}

/** One CSV field: neutralised, then quoted when it holds a comma, a quote, a line break or edge spaces. */
export function csvField(value: string | number | null | undefined): string {
  const text = neutraliseCell(value == null ? '' : String(value));
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record with CRLF (RFC 4180). */
export function csvRecord(cells: readonly (string | number | null | undefined)[]): string {
  return `${cells.map(csvField).join(',')}\r\n`;
}

/** A whole CSV document, with a UTF-8 byte order mark so Excel reads Arabic correctly. */
export function csvDocument(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return `\uFEFF${rows.map(csvRecord).join('')}`;
}
