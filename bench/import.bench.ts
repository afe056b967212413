// Bulk import at scale: 100,000 customers and 10,000 invoices (30,000 lines) from one CSV file each, through the
// API's import service on a fresh embedded database. Dry run and import in rows per second, beside an in-run
// baseline: reading the same file's rows alone (the parser, no checks), so a loaded machine shows as a ratio.
// Target: the dry run at ≥ 5,000 rows/s. The peak RSS of the process is printed (the file is read streamed).
// IMPORT_BENCH_DATABASE=postgres runs it on a scratch database of the PostgreSQL server at BENCH_DATABASE_URL
// (dropped afterwards) instead of the embedded one; IMPORT_BENCH_ISSUE_INVOICES invoices (0: none) are imported
// a second time in the issue-now mode (numbered, signed and chained one by one).

import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDb } from '@invoiceflow/db';
import type { InjectOptions } from 'fastify';
import pg from 'pg';
import { buildApp } from '../apps/api/src/app';
import { loadConfig } from '../apps/api/src/config';
import { readRows } from '../apps/api/src/modules/imports/parse';
import { RUN_JOB, VALIDATE_JOB } from '../apps/api/src/modules/imports/service';
import { SA_COMPANY } from '../apps/api/test/support/companies';
import { machine } from './support/machine';

const CUSTOMERS = Number(process.env.IMPORT_BENCH_CUSTOMERS ?? 100_000);
const INVOICES = Number(process.env.IMPORT_BENCH_INVOICES ?? 10_000);
const ISSUE_INVOICES = Number(process.env.IMPORT_BENCH_ISSUE_INVOICES ?? 1_000);
const ON_POSTGRES = process.env.IMPORT_BENCH_DATABASE === 'postgres';

function customersCsv(): Buffer {
  const lines = [
    'name,vat_number,email,street,building_number,district,city,postal_code,country,payment_terms',
  ];
  for (let i = 1; i <= CUSTOMERS; i++) {
    lines.push(`Customer ${i},,c${i}@example.com,King Fahd Road,1234,Al Olaya,Riyadh,12345,SA,30`);
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

function invoicesCsv(count = INVOICES, numberPrefix = 'OLD', issueDate = '2025-06-01'): Buffer {
  const lines = [
    'invoice_number,issue_date,customer_name,customer_vat_number,customer_street,customer_building_number,customer_district,customer_city,customer_postal_code,customer_country,description,quantity,unit_price,vat_rate,status',
  ];
  for (let i = 1; i <= count; i++) {
    for (let line = 1; line <= 3; line++) {
      lines.push(
        `${numberPrefix}-${i},${issueDate},Buyer ${i % 500},399999999800003,Salah Al-Din,1111,Al-Murooj,Riyadh,12222,SA,Item ${line},${line},${(i % 90) + 10}.25,15,${i % 2 ? 'paid' : 'issued'}`,
      );
    }
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

async function parseOnly(bytes: Buffer): Promise<number> {
  const start = performance.now();
  let rows = 0;
  for await (const _ of readRows(bytes, 'csv', { maxRows: 10_000_000 })) rows++;
  return (rows - 1) / ((performance.now() - start) / 1000);
}

const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:55432/postgres';
const scratch = `invoiceflow_bench_import_${randomBytes(4).toString('hex')}`;
async function admin(statement: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(statement);
  await client.end();
}
if (ON_POSTGRES) await admin(`CREATE DATABASE ${scratch}`);
const scratchUrl = new URL(adminUrl);
scratchUrl.pathname = `/${scratch}`;
const database = ON_POSTGRES
  ? await openDb({ databaseUrl: scratchUrl.toString() })
  : await openDb({ dataDir: mkdtempSync(path.join(tmpdir(), 'import-bench-')) });
await database.migrate();
const config = loadConfig(
  {},
  {
    DATA_KEY: randomBytes(32).toString('base64'),
    JWT_SECRET: randomBytes(32).toString('hex'),
    WEB_DIST: '/nonexistent',
  },
);
const app = await buildApp({ config, database, logger: false });
await app.ready();
const registered = (
  await app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: {
      email: 'bench@example.com',
      password: 'bench-password-1',
      full_name: 'Bench',
      company: SA_COMPANY,
    },
  })
).json();
const call = (options: InjectOptions) =>
  app.inject({
    ...options,
    headers: { authorization: `Bearer ${registered.access_token}`, ...options.headers },
  });
await app.ctx.jobs.start();
const jobs = app.ctx.jobs;

async function measure(type: string, query: string, bytes: Buffer, rows: number) {
  const baseline = await parseOnly(bytes);
  const created = await call({
    method: 'POST',
    url: `/api/v1/imports?type=${type}${query}&file_name=${type}.csv`,
    payload: bytes,
    headers: { 'content-type': 'text/csv' },
  });
  if (created.statusCode !== 201) throw new Error(created.body);
  const id = created.json().id;
  let start = performance.now();
  await call({ method: 'POST', url: `/api/v1/imports/${id}/dry-run` });
  await jobs.drain(VALIDATE_JOB);
  const dry = rows / ((performance.now() - start) / 1000);
  const checked = (await call({ method: 'GET', url: `/api/v1/imports/${id}` })).json();
  if (checked.error_count !== 0) throw new Error(`bench file has bad rows: ${JSON.stringify(checked)}`);
  start = performance.now();
  await call({ method: 'POST', url: `/api/v1/imports/${id}/run` });
  await jobs.drain(RUN_JOB);
  const run = rows / ((performance.now() - start) / 1000);
  const done = (await call({ method: 'GET', url: `/api/v1/imports/${id}` })).json();
  if (done.status !== 'imported') throw new Error(`import failed: ${JSON.stringify(done.failure)}`);
  console.log(
    `${type}${query.includes('mode=') ? ` (${query.split('mode=')[1]})` : ''}: ${rows} rows (${Math.round(bytes.length / 1e5) / 10} MB) — parse alone ${Math.round(baseline)} rows/s; ` +
      `dry run ${Math.round(dry)} rows/s (${(dry / baseline).toFixed(2)}× parse; target ≥ 5,000); ` +
      `import ${Math.round(run)} rows/s (${(run / baseline).toFixed(3)}× parse); made ${JSON.stringify(done.result)}`,
  );
}

console.log(`${machine()} · ${ON_POSTGRES ? 'PostgreSQL server' : 'embedded PGlite'}`);
await measure('customers', '', customersCsv(), CUSTOMERS);
await measure('invoices', '&mode=history', invoicesCsv(), INVOICES * 3);
if (ISSUE_INVOICES > 0) {
  const today = new Date().toISOString().slice(0, 10);
  await measure('invoices', '&mode=issue', invoicesCsv(ISSUE_INVOICES, 'NEW', today), ISSUE_INVOICES * 3);
}
console.log(
  `peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB${ON_POSTGRES ? '' : ' (embedded PostgreSQL included)'}`,
);
await app.close();
await database.close();
if (ON_POSTGRES) await admin(`DROP DATABASE ${scratch} WITH (FORCE)`);
