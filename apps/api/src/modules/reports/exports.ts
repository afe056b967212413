// A period's documents and payments as CSV or Excel, and its e-invoices as a ZIP of XML and PDF. Each is read in
// keyset pages and streamed: a year of a large company never sits in memory at once.
import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import { roundMoney, subtractMoney } from '@invoiceflow/totals';
import archiver from 'archiver';
import ExcelJS from 'exceljs';
import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from '../../context';
import { AppError } from '../../lib/errors';
import { csvRecord, neutraliseCell } from '../../lib/spreadsheet';
import { payLinkForPdf } from '../online-payments/service';
import { getInvoicePdf } from '../pdf/service';
import * as q from './export-queries';
import type { Period } from './service';

const PAGE = 500;
/** A ZIP page holds XML and PDF of this many documents: the bound on what is buffered while the client reads. */
const ZIP_PAGE = 100;
const MAX_DAYS = 366;

type Cell = string | number | null;
export interface Table {
  sheet: string;
  header: string[];
  /** Columns holding money: a number cell in Excel (formatted to the currency), text in CSV. */
  money: ReadonlySet<number>;
  rows: AsyncIterable<Cell[]>;
}

export function checkPeriod(period: Period): void {
  if (period.from > period.to) {
    throw new AppError('VALIDATION_FAILED', {
      errors: [{ path: 'query.from', code: 'RANGE_INVALID', message: '`from` is after `to`.' }],
    });
  }
  const days = (Date.parse(period.to) - Date.parse(period.from)) / 86_400_000 + 1;
  if (days > MAX_DAYS) {
    throw new AppError('VALIDATION_FAILED', {
      status: 422,
      errors: [
        { path: 'query.to', code: 'PERIOD_TOO_LONG', message: `At most ${MAX_DAYS} days per export.` },
      ],
    });
  }
}

async function* pages<T extends { id: string }>(
  read: (after: q.PageAfter | undefined) => Promise<T[]>,
  dateOf: (row: T) => string,
): AsyncGenerator<T[]> {
  let after: q.PageAfter | undefined;
  for (;;) {
    const rows = await read(after);
    if (rows.length === 0) return;
    yield rows;
    const last = rows[rows.length - 1] as T;
    after = { date: dateOf(last), id: last.id };
  }
}

export function documentsTable(ctx: AppContext, companyId: string, period: Period): Table {
  async function* rows(): AsyncGenerator<Cell[]> {
    const all = pages(
      (after) => q.documentsPage(ctx.db, { companyId, ...period, after, limit: PAGE }),
      (row) => row.issueDate,
    );
    for await (const page of all) {
      for (const d of page) {
        const money = (value: string) => roundMoney(value, d.currency);
        const due =
          d.type === 'credit_note' ? '0' : subtractMoney(d.payableAmount, d.creditedAmount, d.currency);
        yield [
          d.number,
          d.type,
          d.subtype,
          d.issueDate,
          d.dueDate,
          d.customerName,
          d.customerVatNumber,
          d.currency,
          money(d.subtotal),
          money(d.vatAmount),
          money(d.totalAmount),
          money(d.paidAmount),
          money(subtractMoney(due, d.paidAmount, d.currency)),
          d.status,
        ];
      }
    }
  }
  return {
    sheet: 'Documents',
    header: [
      'number',
      'type',
      'subtype',
      'issue_date',
      'due_date',
      'customer',
      'customer_vat_number',
      'currency',
      'net',
      'vat',
      'total',
      'paid',
      'outstanding',
      'status',
    ],
    money: new Set([8, 9, 10, 11, 12]),
    rows: rows(),
  };
}

export function paymentsTable(ctx: AppContext, companyId: string, period: Period): Table {
  async function* rows(): AsyncGenerator<Cell[]> {
    const all = pages(
      (after) => q.paymentsPage(ctx.db, { companyId, ...period, after, limit: PAGE }),
      (row) => row.paymentDate,
    );
    for await (const page of all) {
      for (const p of page) {
        yield [
          p.paymentDate,
          p.customerName,
          p.currency,
          roundMoney(p.amount, p.currency),
          roundMoney(p.refundedAmount, p.currency),
          roundMoney(p.allocated, p.currency),
          p.method,
          p.status,
          p.reference,
          p.invoiceNumbers,
        ];
      }
    }
  }
  return {
    sheet: 'Payments',
    header: [
      'payment_date',
      'customer',
      'currency',
      'amount',
      'refunded',
      'allocated',
      'method',
      'status',
      'reference',
      'invoices',
    ],
    money: new Set([3, 4, 5]),
    rows: rows(),
  };
}

/** The table as a CSV stream (UTF-8 with a byte order mark, CRLF, formula-like cells neutralised). */
export function csvStream(table: Table): Readable {
  async function* lines() {
    yield `\uFEFF${csvRecord(table.header)}`;
    for await (const row of table.rows) yield csvRecord(row);
  }
  return Readable.from(lines());
}

/**
 * Excel keeps numbers as binary doubles with 15 significant digits; a decimal amount of up to 15 digits is shown
 * and summed there exactly as written. A longer one stays text rather than be rounded by the spreadsheet.
 */
function excelNumber(value: string): number | string {
  return value.replace(/[-.]/g, '').replace(/^0+/, '').length <= 15 ? Number(value) : value;
}

/** The table as an .xlsx stream, written row by row (ExcelJS's streaming writer). */
export function xlsxStream(table: Table, log: FastifyBaseLogger): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(table.sheet);
  void (async () => {
    sheet.addRow(table.header).commit();
    for await (const row of table.rows) {
      const cells = row.map((cell, i) =>
        cell === null
          ? null
          : table.money.has(i) && typeof cell === 'string'
            ? excelNumber(cell)
            : typeof cell === 'string'
              ? neutraliseCell(cell)
              : cell,
      );
      const added = sheet.addRow(cells);
      for (const i of table.money) added.getCell(i + 1).numFmt = '#,##0.00####';
      added.commit();
      if (out.writableNeedDrain) await once(out, 'drain');
    }
    sheet.commit();
    await workbook.commit();
  })().catch((error: unknown) => {
    log.error({ err: error }, 'xlsx export failed');
    out.destroy(error as Error);
  });
  return out;
}

const safeName = (number: string) => number.replace(/[^A-Za-z0-9._-]/g, '_');

/**
 * The period's e-invoices as a ZIP: for each issued document its XML (ZATCA's cleared copy where there is one)
 * under xml/ and its PDF under pdf/, then index.csv naming every file. A page of documents is added only once the
 * previous one is written and the client has read it, and written entries keep only their central-directory
 * record (archiver/zip-stream; yazl kept every entry's bytes until the end and scanned all entries on each write,
 * which made a month of 100,000 invoices take gigabytes and quadratic time).
 */
export function einvoiceZip(
  ctx: AppContext,
  companyId: string,
  period: Period,
  log: FastifyBaseLogger,
): Readable {
  const zip = archiver('zip', { zlib: { level: 6 } });
  let added = 0;
  let written = 0;
  zip.on('entry', () => {
    written++;
  });
  const add = (data: Buffer, name: string, date: Date, store = false) => {
    zip.append(data, { name, date, store });
    added++;
  };
  const index: string[] = [
    csvRecord(['number', 'type', 'issue_date', 'currency', 'total', 'xml', 'pdf', 'pdf_sha256']),
  ];
  void (async () => {
    const all = pages(
      (after) => q.documentsPage(ctx.db, { companyId, ...period, after, limit: ZIP_PAGE }),
      (row) => row.issueDate,
    );
    for await (const page of all) {
      const ids = page.map((d) => d.id);
      const xml = new Map<string, { format: string; xml: string }[]>();
      for (const row of await q.xmlOf(ctx.db, { companyId, invoiceIds: ids })) {
        xml.set(row.invoiceId, [...(xml.get(row.invoiceId) ?? []), row]);
      }
      const pdfs = new Map(
        (await q.storedPdfsOf(ctx.db, { companyId, invoiceIds: ids })).map((p) => [p.invoiceId, p]),
      );
      for (const d of page) {
        const mtime = new Date(`${d.issueDate}T12:00:00Z`);
        const name = safeName(d.number);
        const xmlFiles: string[] = [];
        for (const doc of xml.get(d.id) ?? []) {
          const file = (xml.get(d.id)?.length ?? 0) > 1 ? `xml/${name}.${doc.format}.xml` : `xml/${name}.xml`;
          add(Buffer.from(doc.xml, 'utf8'), file, mtime);
          xmlFiles.push(file);
        }
        let pdf = pdfs.get(d.id);
        if (!pdf) {
          try {
            const rendered = await getInvoicePdf(
              ctx.db,
              { companyId, invoiceId: d.id, files: ctx.config },
              payLinkForPdf(ctx),
            );
            pdf = { invoiceId: d.id, pdf: rendered.pdf, sha256: rendered.sha256 };
          } catch (error) {
            // A standard invoice still awaiting clearance has no PDF yet; the index says so.
            if (!(error instanceof AppError)) throw error;
          }
        }
        const pdfFile = pdf ? `pdf/${name}.pdf` : '';
        // PDFs are compressed inside already: stored as they are.
        if (pdf) add(pdf.pdf, pdfFile, mtime, true);
        index.push(
          csvRecord([
            d.number,
            d.type,
            d.issueDate,
            d.currency,
            roundMoney(d.totalAmount, d.currency),
            xmlFiles.join(' '),
            pdfFile,
            pdf?.sha256 ?? '',
          ]),
        );
      }
      // The page written (each entry's bytes then let go), with the stream's own backpressure behind it.
      while (written < added) await once(zip, 'entry');
    }
    add(Buffer.from(`\uFEFF${index.join('')}`, 'utf8'), 'index.csv', new Date(`${period.to}T12:00:00Z`));
    await zip.finalize();
  })().catch((error: unknown) => {
    log.error({ err: error }, 'e-invoice export failed');
    zip.destroy(error as Error);
  });
  return zip;
}
