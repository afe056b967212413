// The VAT return and the sales report of a year of one company on PostgreSQL, and the e-invoice ZIP of a month.
// Seeds once into the database `invoiceflow_bench_reports` (kept between runs; BENCH_RESEED=1 rebuilds) with
// INSERT … SELECT generate_series: REPORT_BENCH_INVOICES invoices (default 1,000,000) over 2025 for one company,
// each with its VAT breakdown in the snapshot as issued documents carry it; the month 2025-03 of the ZIP gets
// ZIP_BENCH_INVOICES of them (default 100,000) with a stored XML (~2 KB) and PDF (~6 KB) each.
// Each figure is given with a baseline measured in the same run over the same rows: the report against a plain
// SELECT count(*) of the period's invoices; the ZIP against streaming the same XML and PDF bytes without zipping.
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { openDb } from '@invoiceflow/db';
import pg from 'pg';
import type { AppContext } from '../apps/api/src/context';
import * as xq from '../apps/api/src/modules/reports/export-queries';
import { einvoiceZip } from '../apps/api/src/modules/reports/exports';
import { salesReport, vatReturn } from '../apps/api/src/modules/reports/service';
import { machine } from './support/machine';

const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!adminUrl) {
  console.error('reports: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL server');
  process.exit(1);
}
const DB = 'invoiceflow_bench_reports';
const N = Number(process.env.REPORT_BENCH_INVOICES ?? 1_000_000);
const ZIP_N = Math.min(N, Number(process.env.ZIP_BENCH_INVOICES ?? 100_000));
const YEAR = { from: '2025-01-01', to: '2025-12-31' };
const MONTH = { from: '2025-03-01', to: '2025-03-31' };

const url = new URL(adminUrl);
url.pathname = `/${DB}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB])).rowCount === 1;
if (exists && process.env.BENCH_RESEED) await admin.query(`DROP DATABASE ${DB} WITH (FORCE)`);
if (!exists || process.env.BENCH_RESEED) await admin.query(`CREATE DATABASE ${DB}`);
await admin.end();

const database = await openDb({ databaseUrl: url.toString(), maxConnections: 4 });
await database.migrate();
const client = new pg.Client({ connectionString: url.toString() });
await client.connect();
const seeded = (await client.query(`SELECT count(*)::int AS n FROM invoices`)).rows[0].n as number;
if (seeded !== N) {
  const started = Date.now();
  console.log(
    `seeding ${N.toLocaleString('en')} invoices (${ZIP_N.toLocaleString('en')} in ${MONTH.from.slice(0, 7)})…`,
  );
  await client.query('TRUNCATE invoices, customers, invoice_number_counters CASCADE');
  await client.query('DELETE FROM companies');
  await client.query(`INSERT INTO companies (legal_name_en, country, vat_number, address, currency, time_zone)
    VALUES ('Bench Trading', 'SA', '399999999900003', '{"country":"SA"}', 'SAR', 'Asia/Riyadh')`);
  await client.query(`INSERT INTO customers (company_id, kind, name_en, address)
    SELECT c.id, 'company', 'Customer ' || g, '{"country":"SA"}' FROM companies c, generate_series(1, 2000) g`);
  // The first ZIP_N invoices fall in March (the ZIP's month), the rest spread over the other days of the year.
  await client.query(`
    WITH co AS (SELECT id FROM companies), cu AS (SELECT id, name_en, row_number() OVER (ORDER BY id) - 1 AS i FROM customers)
    INSERT INTO invoices (company_id, number, type, subtype, status, customer_id, customer_name_en,
      issue_date, due_date, currency, subtotal, vat_amount, total_amount, payable_amount, paid_amount, snapshot, issued_at)
    SELECT co.id, 'INV-' || lpad(g::text, 7, '0'), CASE WHEN g % 50 = 0 THEN 'credit_note' ELSE 'invoice' END,
      'standard', 'issued', cu.id, cu.name_en, d, d + 30, 'SAR', net, vat, net + vat, net + vat, 0,
      jsonb_build_object('version', 1, 'number', 'INV-' || g, 'seller', '{"address":{}}'::jsonb,
        'totals', jsonb_build_object('vat_breakdown', CASE WHEN g % 10 = 0
          THEN jsonb_build_array(jsonb_build_object('category', 'Z', 'rate', '0', 'exemption_reason_code', 'VATEX-SA-32',
            'taxable_amount', net::text, 'vat_amount', '0.00'))
          ELSE jsonb_build_array(jsonb_build_object('category', 'S', 'rate', '15',
            'taxable_amount', net::text, 'vat_amount', vat::text)) END)), now()
    FROM co CROSS JOIN generate_series(1, ${N}) g
    CROSS JOIN LATERAL (SELECT
      CASE WHEN g <= ${ZIP_N} THEN date '2025-03-01' + (g % 31)
           ELSE date '2025-01-01' + (CASE WHEN (g % 365) BETWEEN 59 AND 89 THEN g % 365 + 31 ELSE g % 365 END)::int % 365 END AS d,
      round((50 + (g::bigint * 104729 % 100000) / 10.0)::numeric, 2) AS net) x
    CROSS JOIN LATERAL (SELECT CASE WHEN g % 10 = 0 THEN 0.00 ELSE round(x.net * 0.15, 2) END AS vat) v
    JOIN cu ON cu.i = g % 2000`);
  const xml = `<?xml version="1.0" encoding="UTF-8"?><Invoice>${'<cbc:Note>Consulting services</cbc:Note>'.repeat(45)}</Invoice>`;
  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(6000, 0x41), Buffer.from('\n%%EOF\n')]);
  await client.query(
    `INSERT INTO einvoice_documents (invoice_id, format, company_id, document_uuid, hash, xml, submission_kind, submission_status)
     SELECT id, 'zatca', company_id, gen_random_uuid(), 'x', $1, 'reporting', 'reported'
     FROM invoices WHERE issue_date BETWEEN $2 AND $3`,
    [xml, MONTH.from, MONTH.to],
  );
  await client.query(
    `INSERT INTO invoice_pdfs (invoice_id, company_id, sha256, byte_length, xml_source, pdf)
     SELECT id, company_id, 'x', $1, 'issued', $2 FROM invoices WHERE issue_date BETWEEN $3 AND $4`,
    [pdf.length, pdf, MONTH.from, MONTH.to],
  );
  await client.query('VACUUM ANALYZE');
  console.log(`seeded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
const companyId = (await client.query('SELECT id FROM companies LIMIT 1')).rows[0].id as string;
const ctx = { db: database.db } as unknown as AppContext;

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await run();
  return { ms: performance.now() - start, result };
}
/** Best of three: the figure a warmed database gives. */
async function best(run: () => Promise<unknown>): Promise<number> {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) min = Math.min(min, (await timed(run)).ms);
  return min;
}

console.log(
  machine(),
  `· load ${(await import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const yearRows = (
  await client.query(
    `SELECT count(*)::int AS n FROM invoices WHERE company_id = $1 AND status <> 'draft' AND issue_date BETWEEN $2 AND $3`,
    [companyId, YEAR.from, YEAR.to],
  )
).rows[0].n as number;
const baseline = await best(() =>
  client.query(
    `SELECT count(*) FROM invoices WHERE company_id = $1 AND status <> 'draft' AND issue_date BETWEEN $2 AND $3`,
    [companyId, YEAR.from, YEAR.to],
  ),
);
console.log(
  `year of ${yearRows.toLocaleString('en')} invoices; baseline SELECT count(*): ${baseline.toFixed(0)} ms`,
);
for (const [name, run] of [
  ['VAT return', () => vatReturn(ctx, companyId, YEAR)],
  ['sales by month', () => salesReport(ctx, companyId, { ...YEAR, group_by: 'month' })],
  ['sales by customer', () => salesReport(ctx, companyId, { ...YEAR, group_by: 'customer' })],
] as const) {
  const ms = await best(run);
  console.log(`${name}: ${ms.toFixed(0)} ms (${(ms / baseline).toFixed(1)}× the count)`);
}
const sample = await vatReturn(ctx, companyId, YEAR);
console.log(
  `  VAT return check: output VAT ${sample.output_vat}, ${sample.documents.invoice + sample.documents.credit_note} documents`,
);

/** Peak RSS above the start while `run` goes, sampled every 20 ms. */
async function peakRss(run: () => Promise<void>): Promise<{ ms: number; peakMb: number }> {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const { ms } = await timed(run);
  clearInterval(timer);
  return { ms, peakMb: (Math.max(peak, process.memoryUsage().rss) - base) / 2 ** 20 };
}
let zipBytes = 0;
const counter = () =>
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      zipBytes += chunk.length;
      done();
    },
  });
const log = { error: (o: unknown) => console.error(o) } as never;
// Baseline: the same pages of documents, their XML and PDF bytes read and written out, no ZIP.
let rawBytes = 0;
const raw = await peakRss(async () => {
  let after: xq.PageAfter | undefined;
  const sink = counter();
  for (;;) {
    const page = await xq.documentsPage(database.db, { companyId, ...MONTH, after, limit: 100 });
    if (page.length === 0) break;
    const ids = page.map((d) => d.id);
    for (const x of await xq.xmlOf(database.db, { companyId, invoiceIds: ids })) {
      const bytes = Buffer.from(x.xml, 'utf8');
      rawBytes += bytes.length;
      if (!sink.write(bytes)) await new Promise((r) => sink.once('drain', r));
    }
    for (const p of await xq.storedPdfsOf(database.db, { companyId, invoiceIds: ids })) {
      rawBytes += p.pdf.length;
      if (!sink.write(p.pdf)) await new Promise((r) => sink.once('drain', r));
    }
    const last = page[page.length - 1] as { issueDate: string; id: string };
    after = { date: last.issueDate, id: last.id };
  }
  sink.end();
});
zipBytes = 0;
const zip = await peakRss(() => pipeline(einvoiceZip(ctx, companyId, MONTH, log), counter()));
console.log(
  `e-invoice ZIP of ${ZIP_N.toLocaleString('en')} invoices: ${(zip.ms / 1000).toFixed(1)} s, ${(zipBytes / 2 ** 20).toFixed(0)} MB, ` +
    `peak RSS +${zip.peakMb.toFixed(0)} MB; baseline (same bytes, no ZIP) ${(raw.ms / 1000).toFixed(1)} s, ` +
    `${(rawBytes / 2 ** 20).toFixed(0)} MB, peak RSS +${raw.peakMb.toFixed(0)} MB; ratio ${(zip.ms / raw.ms).toFixed(2)}×`,
);
await client.end();
await database.close();
