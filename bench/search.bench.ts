// History list and search at 1,000,000 invoices on PostgreSQL (target: search p95 ≤ 30 ms).
// Seeds once into the database `invoiceflow_bench` (kept between runs; BENCH_RESEED=1 to rebuild) with
// INSERT … SELECT generate_series: one large company with 600,000 invoices and 400 companies with 1,000 each,
// customer names from Latin and Arabic word lists. Then times the API's own query functions (queries.ts) with
// realistic filters, for the large company and for a small one.
import { openDb } from '@invoiceflow/db';
import pg from 'pg';
import { listInvoices, type SortKey } from '../apps/api/src/modules/invoices/queries';
import { foldSearchText } from '../apps/api/src/modules/invoices/search-text';
import { machine, percentile } from './support/machine';

const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:55432/postgres';
const DB = 'invoiceflow_bench';
const BIG = 600_000;
const SMALL_COMPANIES = 400;
const SMALL = 1_000;

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
const count = Number((await client.query('SELECT count(*) FROM invoices')).rows[0].count);
if (count < BIG + SMALL_COMPANIES * SMALL) {
  const started = Date.now();
  console.log('seeding 1,000,000 invoices…');
  await client.query('TRUNCATE invoices, customers, invoice_number_counters CASCADE');
  await client.query('DELETE FROM companies');
  await client.query(`INSERT INTO companies (legal_name_en, country, vat_number, address, currency)
    SELECT 'Company ' || g, 'SA', '399999999900003', '{"country":"SA"}', 'SAR' FROM generate_series(0, ${SMALL_COMPANIES}) g`);
  // Customers of the large company: names from word lists, in English and Arabic.
  await client.query(`
    WITH big AS (SELECT id FROM companies WHERE legal_name_en = 'Company 0'),
    words AS (SELECT
      ARRAY['Advanced','Global','Gulf','Royal','Desert','Falcon','Modern','United','National','Eastern','Golden','Smart','Prime','Oasis','Summit','Pioneer'] AS a,
      ARRAY['Trading','Contracting','Foods','Steel','Logistics','Systems','Medical','Textiles','Motors','Energy','Builders','Pharma','Electronics','Furniture','Paper','Plastics'] AS b,
      ARRAY['المتقدمة','العالمية','الخليج','الملكية','الصحراء','الصقر','الحديثة','المتحدة','الوطنية','الشرقية','الذهبية','الذكية','الأولى','الواحة','القمة','الرائدة'] AS c,
      ARRAY['للتجارة','للمقاولات','للأغذية','للحديد','للخدمات اللوجستية','للأنظمة','الطبية','للمنسوجات','للسيارات','للطاقة','للبناء','للأدوية','للإلكترونيات','للأثاث','للورق','للبلاستيك'] AS d)
    INSERT INTO customers (company_id, kind, name_en, name_ar, vat_number, address)
    SELECT big.id, 'company',
      a[1 + g % 16] || ' ' || b[1 + (g / 16) % 16] || ' ' || (g / 256 + 1),
      'شركة ' || c[1 + g % 16] || ' ' || d[1 + (g / 16) % 16] || ' ' || (g / 256 + 1),
      '3' || lpad((100000000000 + g * 7919)::text, 13, '0') || '3', '{"country":"SA"}'
    FROM big, words, generate_series(0, 1999) g`);
  await client.query('DROP INDEX IF EXISTS invoices_search_trgm_idx');
  const insertFor = (companyFilter: string, n: number) => `
    WITH co AS (SELECT id, row_number() OVER (ORDER BY legal_name_en) AS k FROM companies WHERE ${companyFilter}),
    cu AS (SELECT id, name_en, name_ar, vat_number, row_number() OVER (ORDER BY id) - 1 AS i FROM customers)
    INSERT INTO invoices (company_id, number, type, subtype, status, customer_id, customer_name_en, customer_name_ar,
      customer_vat_number, issue_date, due_date, currency, subtotal, vat_amount, total_amount, payable_amount,
      paid_amount, snapshot, issued_at)
    SELECT co.id, 'INV-' || (2023 + g % 4) || '-' || lpad(g::text, 6, '0'), 'invoice',
      CASE WHEN g % 3 = 0 THEN 'simplified' ELSE 'standard' END,
      CASE WHEN g % 5 = 0 THEN 'sent' ELSE 'issued' END,
      cu.id, cu.name_en, cu.name_ar, cu.vat_number,
      d, d + 30, 'SAR', amount, round(amount * 0.15, 2), round(amount * 1.15, 2), round(amount * 1.15, 2),
      CASE WHEN g % 4 = 0 THEN round(amount * 1.15, 2) ELSE 0 END,
      jsonb_build_object('version', 1, 'number', 'INV-' || g, 'lines', jsonb_build_array(jsonb_build_object(
        'description', 'Consulting services', 'quantity', '1', 'unit_price', amount::text))), now()
    FROM co CROSS JOIN generate_series(1, ${n}) g
    CROSS JOIN LATERAL (SELECT date '2023-01-01' + (g::bigint * 7919 % 1400)::int AS d,
      round((50 + (g::bigint * 104729 % 100000) / 10.0)::numeric, 2) AS amount) x
    JOIN cu ON cu.i = (g * 31 + co.k) % 2000`;
  await client.query(insertFor(`legal_name_en = 'Company 0'`, BIG));
  await client.query(insertFor(`legal_name_en <> 'Company 0'`, SMALL));
  await client.query(
    `CREATE INDEX invoices_search_trgm_idx ON invoices USING gin (company_id, search_text gin_trgm_ops)`,
  );
  await client.query('VACUUM ANALYZE invoices');
  await client.query('VACUUM ANALYZE customers');
  console.log(`seeded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

const companies = (
  await client.query(
    `SELECT id, legal_name_en FROM companies WHERE legal_name_en IN ('Company 0', 'Company 7')`,
  )
).rows as { id: string; legal_name_en: string }[];
const big = companies.find((c) => c.legal_name_en === 'Company 0')?.id as string;
const small = companies.find((c) => c.legal_name_en === 'Company 7')?.id as string;
const customerIds = (await client.query('SELECT id FROM customers ORDER BY id LIMIT 50')).rows.map(
  (r) => r.id,
);

type Case = (i: number) => Parameters<typeof listInvoices>[1];
const base = { sort: 'issue_date' as SortKey, order: 'desc' as const, limit: 20, offset: 0 };
const searchTerms = [
  '000123',
  '4567',
  'falcon',
  'Gulf Steel',
  'الصقر',
  'للحديد',
  'الذهبيه',
  '31000',
  'Oasis Paper 3',
  'INV-2025-0004',
];
const shortTerms = ['x', 'ab', '7', 'صق', 'a'];
const shortTermsAndYear = [...shortTerms, '2025'];

const cases: Record<string, Case> = {
  'list, newest first, page 1': () => ({ companyId: big, ...base }),
  'list, page 50': () => ({ companyId: big, ...base, offset: 49 * 20 }),
  'list, one month': (i) => ({
    companyId: big,
    ...base,
    dateFrom: `2025-0${1 + (i % 9)}-01`,
    dateTo: `2025-0${1 + (i % 9)}-28`,
  }),
  'list, amount range, by total': (i) => ({
    companyId: big,
    ...base,
    sort: 'total',
    amountMin: String(1000 + i * 10),
    amountMax: String(1500 + i * 10),
  }),
  'list, one customer': (i) => ({ companyId: big, ...base, customerId: customerIds[i % customerIds.length] }),
  'list, status overdue': () => ({ companyId: big, ...base, status: 'overdue' }),
  'list, status paid, last quarter': () => ({
    companyId: big,
    ...base,
    status: 'paid',
    dateFrom: '2026-07-01',
    dateTo: '2026-09-30',
  }),
  search: (i) => ({
    companyId: big,
    ...base,
    text: foldSearchText(searchTerms[i % searchTerms.length] as string),
  }),
  'search, small company': (i) => ({
    companyId: small,
    ...base,
    text: foldSearchText(searchTerms[i % searchTerms.length] as string),
  }),
  'list, small company': () => ({ companyId: small, ...base }),
  // Texts the trigram index cannot narrow (the first keystrokes), looked for among the first invoices of the
  // list in its order, and a year, in one invoice in four: counted by walking on.
  'search, short texts and a year': (i) => ({
    companyId: big,
    ...base,
    text: foldSearchText(shortTermsAndYear[i % shortTermsAndYear.length] as string),
  }),
  'search, short texts by number': (i) => ({
    companyId: big,
    ...base,
    sort: 'number',
    order: i % 2 === 0 ? 'asc' : 'desc',
    text: foldSearchText(shortTerms[i % shortTerms.length] as string),
  }),
};
/** The terms a search case rotates through, for its medians by term. */
const termsOf = (name: string) =>
  name === 'search, short texts and a year'
    ? shortTermsAndYear
    : name.startsWith('search, short')
      ? shortTerms
      : searchTerms;

console.log(machine());
const invoices = Number((await client.query('SELECT count(*) FROM invoices')).rows[0].count);
console.log(
  `${invoices} invoices; large company ${BIG}, ${SMALL_COMPANIES} companies with ${SMALL}; PostgreSQL ${(await client.query('SHOW server_version')).rows[0].server_version}`,
);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 60);
// BENCH_CASES=search runs only the cases whose name starts with it.
const only = process.env.BENCH_CASES;
for (const [name, make] of Object.entries(cases).filter(([name]) => !only || name.startsWith(only))) {
  for (let i = 0; i < 5; i++) await listInvoices(database.db, make(i));
  const times: number[] = [];
  let total = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    const started = performance.now();
    const result = await listInvoices(database.db, make(i));
    times.push(performance.now() - started);
    total += result.total;
  }
  const terms = termsOf(name);
  const byTerm = terms.map((term, t) => ({
    term,
    termTimes: times.filter((_, i) => i % terms.length === t).sort((a, b) => a - b),
  }));
  times.sort((a, b) => a - b);
  console.log(
    `${name.padEnd(32)} p50 ${percentile(times, 50).toFixed(1).padStart(6)} ms  p95 ${percentile(times, 95).toFixed(1).padStart(6)} ms  (avg total ${Math.round(total / ITERATIONS)})`,
  );
  // The search cases rotate through the terms: the p95 is set by the slowest of them.
  if (name.startsWith('search')) {
    console.log(
      `  by term, median: ${byTerm.map(({ term, termTimes }) => `${term} ${percentile(termTimes, 50).toFixed(1)}`).join(' · ')} ms`,
    );
  }
}
await client.end();
await database.close();
