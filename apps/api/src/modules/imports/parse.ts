import { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';

/**
 * Reading an uploaded file row by row. CSV through csv-parse (streamed, RFC 4180 quoting), XLSX through ExcelJS's
 * streaming workbook reader (the sheet XML is read as a stream, never built into a workbook in memory). Both
 * yield rows of cell texts; the first row is the header.
 */
export type FileFormat = 'csv' | 'xlsx';

const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04]; // "PK\3\4": an XLSX is a ZIP package

/** The format by the file's own bytes (a name or a declared type can lie), or why it is neither. */
export function sniffFormat(
  bytes: Buffer,
): { format: FileFormat } | { problem: 'EMPTY_FILE' | 'UNSUPPORTED_FILE' } {
  if (bytes.length === 0) return { problem: 'EMPTY_FILE' };
  if (ZIP_SIGNATURE.every((byte, i) => bytes[i] === byte)) return { format: 'xlsx' };
  // Text: valid UTF-8 (with or without its byte order mark) and no NUL, which no spreadsheet's CSV holds.
  const sample = bytes.subarray(0, 64 * 1024);
  if (sample.includes(0)) return { problem: 'UNSUPPORTED_FILE' };
  try {
    // A sample may cut a character in two: drop up to three trailing bytes of a partial sequence.
    new TextDecoder('utf-8', { fatal: true }).decode(trimPartial(sample, bytes.length));
  } catch {
    return { problem: 'UNSUPPORTED_FILE' };
  }
  return { format: 'csv' };
}

function trimPartial(sample: Buffer, total: number): Buffer {
  if (sample.length === total) return sample;
  const end = sample.length;
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const byte = sample[end - back] ?? 0;
    if ((byte & 0xc0) === 0xc0) return sample.subarray(0, end - back); // a lead byte: cut before it
    if ((byte & 0xc0) !== 0x80) break; // ASCII: the sequence ended
  }
  return sample.subarray(0, end);
}

/** `,`, `;` or tab: the one of them found most often outside quotes in the first line. */
export function sniffDelimiter(bytes: Buffer): ',' | ';' | '\t' {
  const head = bytes.subarray(0, 16 * 1024).toString('utf8');
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let isQuoted = false;
  for (const ch of head) {
    if (ch === '"') isQuoted = !isQuoted;
    else if (!isQuoted && (ch === '\n' || ch === '\r')) break;
    else if (!isQuoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[',']) return '\t';
  return ',';
}

export class FileReadError extends Error {
  constructor(
    readonly code: 'CSV_MALFORMED' | 'XLSX_MALFORMED' | 'TOO_MANY_ROWS' | 'TOO_MANY_COLUMNS',
    message: string,
    readonly rowNumber?: number,
  ) {
    super(message);
  }
}

export const MAX_COLUMNS = 200;

/** Rows of the file, header first; each row's cells as text, trailing empty cells kept as ''. */
export async function* readRows(
  bytes: Buffer,
  format: FileFormat,
  options: { maxRows: number },
): AsyncGenerator<string[]> {
  let count = 0;
  const rows = format === 'csv' ? csvRows(bytes) : xlsxRows(bytes);
  for await (const row of rows) {
    if (++count > options.maxRows + 1) {
      throw new FileReadError('TOO_MANY_ROWS', `A file may hold at most ${options.maxRows} rows.`);
    }
    if (row.length > MAX_COLUMNS) {
      throw new FileReadError('TOO_MANY_COLUMNS', `A file may hold at most ${MAX_COLUMNS} columns.`, count);
    }
    yield row;
  }
}

/** The file in 64 KiB pieces: the parsers work a piece at a time, so rows are never all in memory at once. */
function* pieces(bytes: Buffer): Generator<Buffer> {
  for (let start = 0; start < bytes.length; start += 64 * 1024)
    yield bytes.subarray(start, start + 64 * 1024);
}

async function* csvRows(bytes: Buffer): AsyncGenerator<string[]> {
  const parser = Readable.from(pieces(bytes)).pipe(
    parseCsv({
      bom: true,
      delimiter: sniffDelimiter(bytes),
      relax_column_count: true,
      // A quote inside an unquoted cell (=HYPERLINK("…") typed into a file by hand) is kept as text.
      relax_quotes: true,
      skip_empty_lines: true,
      max_record_size: 256 * 1024,
    }),
  );
  try {
    for await (const record of parser) yield record as string[];
  } catch (error) {
    const { code, lines } = error as { code?: string; lines?: number };
    throw new FileReadError(
      'CSV_MALFORMED',
      `The CSV cannot be read${lines ? ` near line ${lines}` : ''} (${code ?? 'unreadable'}).`,
      lines,
    );
  }
}

async function* xlsxRows(bytes: Buffer): AsyncGenerator<string[]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(pieces(bytes)), {
    sharedStrings: 'cache',
    styles: 'ignore',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  try {
    for await (const sheet of reader) {
      // The first worksheet is the data; later sheets (notes, lists) are not read.
      let expected = 1;
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        // Empty rows are absent from the sheet XML: keep the row numbers the user sees by filling them.
        for (; expected < row.number; expected++) yield [];
        expected = row.number + 1;
        const cells: string[] = [];
        const values = row.values as unknown[];
        for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
        yield cells;
      }
      return;
    }
  } catch (error) {
    if (error instanceof FileReadError) throw error;
    throw new FileReadError('XLSX_MALFORMED', 'The spreadsheet cannot be read (not a valid .xlsx workbook).');
  }
}

/** A cell's value as the text a user typed or sees: numbers in their shortest exact form, dates as ISO dates. */
function cellText(value: unknown): string {
  if (value == null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof value === 'object') {
    const object = value as {
      richText?: { text: string }[];
      text?: unknown;
      result?: unknown;
      error?: string;
    };
    if (object.richText) return object.richText.map((part) => part.text).join('');
    // A formula's last computed result, never the formula itself.
    if ('result' in object) return cellText(object.result);
    if (typeof object.text === 'string') return object.text;
    if (object.error) return '';
  }
  return '';
}
