// The till's product search at 50,000 products of one company on PostgreSQL: name prefix (first keystrokes),
// contains (trigrams), Arabic prefix and exact barcode, each timed through the API's own query function against
// a baseline in the same run (a primary-key read of one product), p50/p99 per query kind.
// Seeds once into the database `invoiceflow_bench_products` (kept between runs; BENCH_RESEED=1 to rebuild).
import { openDb } from '@invoiceflow/db';
import pg from 'pg';
import { getProduct, listProducts } from '../apps/api/src/modules/products/queries';
import { machine, percentile } from './support/machine';

const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:55432/postgres';
const DB = 'invoiceflow_bench_products';
const PRODUCTS = 50_000;
const ROUNDS = 200;

const url = new URL(adminUrl);
url.pathname = `/${DB}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB])).rowCount === 1;
if (exists && process.env.BENCH_RESEED) await admin.query(`DROP DATABASE ${DB} WITH (FORCE)`);
if (!exists || process.env.BENCH_RESEED) await admin.query(`CREATE DATABASE ${DB}`);
await admin.end();

const database = await openDb({ databaseUrl: url.toString(), maxConnections: 2 });
await database.migrate();
const client = new pg.Client({ connectionString: url.toString() });
await client.connect();
let company = (await client.query("SELECT id FROM companies WHERE legal_name_en = 'Bench Store'")).rows[0]
  ?.id;
if (!company) {
  console.log('seeding 50,000 products…');
  company = (
    await client.query(`INSERT INTO companies (legal_name_en, country, vat_number, address, currency, time_zone)
      VALUES ('Bench Store', 'SA', '399999999900003', '{"country":"SA"}', 'SAR', 'Asia/Riyadh') RETURNING id`)
  ).rows[0].id;
  // Names from word lists (English and Arabic), SKUs, and EAN-13 barcodes with their check digit.
  await client.query(
    `WITH words AS (SELECT
      ARRAY['Water','Dates','Coffee','Tea','Rice','Sugar','Milk','Bread','Cheese','Juice','Oil','Flour','Honey','Soap','Salt','Spice'] AS a,
      ARRAY['Premium','Classic','Family','Organic','Fresh','Golden','Royal','Light','Extra','Mini','Value','Select','Pure','Desert','Oasis','Gulf'] AS b,
      ARRAY['مياه','تمر','قهوة','شاي','أرز','سكر','حليب','خبز','جبن','عصير','زيت','دقيق','عسل','صابون','ملح','بهارات'] AS c),
    codes AS (SELECT g, '628' || lpad(g::text, 9, '0') AS body FROM generate_series(1, ${PRODUCTS}) g)
    INSERT INTO products (company_id, name_en, name_ar, sku, barcode, unit_price, vat_rate, stock_quantity)
    SELECT $1, a[1 + g % 16] || ' ' || b[1 + (g / 16) % 16] || ' ' || g, c[1 + g % 16] || ' ' || g,
      'SKU-' || g,
      body || ((10 - (SELECT sum(substr(body, i, 1)::int * CASE WHEN i % 2 = 0 THEN 3 ELSE 1 END)
        FROM generate_series(1, 12) i) % 10) % 10)::text,
      '10', '15', '100'
    FROM words, codes`,
    [company],
  );
  await client.query('ANALYZE products');
}
const sample = (
  await client.query('SELECT id, barcode FROM products WHERE company_id = $1 LIMIT 50', [company])
).rows;
await client.end();

async function time(run: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 20; i++) await run(i);
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    await run(i);
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

const db = database.db;
const page = { companyId: company, includeArchived: false, limit: 20, offset: 0 };
const baseline = await time((i) => getProduct(db, { companyId: company, id: sample[i % sample.length].id }));
const cases: Array<[string, (i: number) => Promise<unknown>]> = [
  ['name prefix "co" (2 letters)', () => listProducts(db, { ...page, q: 'co' })],
  ['name contains "premium 12"', () => listProducts(db, { ...page, q: 'premium 12' })],
  ['contains "ajwa" (no match)', () => listProducts(db, { ...page, q: 'ajwa' })],
  ['Arabic prefix "قه"', () => listProducts(db, { ...page, q: 'قه' })],
  ['Arabic contains "عسل 4"', () => listProducts(db, { ...page, q: 'عسل 4' })],
  ['exact barcode', (i) => listProducts(db, { ...page, barcode: sample[i % sample.length].barcode })],
];
const base50 = percentile(baseline, 50);
console.log(`${machine()}; ${PRODUCTS} products, ${ROUNDS} rounds each, page of 20 with its count`);
console.log(
  `baseline (one product by id): p50 ${base50.toFixed(2)} ms, p99 ${percentile(baseline, 99).toFixed(2)} ms`,
);
for (const [name, run] of cases) {
  const times = await time(run);
  const p50 = percentile(times, 50);
  const p99 = percentile(times, 99);
  console.log(
    `${name.padEnd(30)} p50 ${p50.toFixed(2)} ms (${(p50 / base50).toFixed(1)}× baseline), p99 ${p99.toFixed(2)} ms`,
  );
}
await database.close();
