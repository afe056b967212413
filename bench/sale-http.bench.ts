// A till's sale over HTTP on PostgreSQL, sustained: POST /api/v1/purchases with five lines, cash handed over as one
// note and the change made from the drawer, for a Saudi company whose four tills each sign with their own EGS unit
// (four ICV/PIH chains: the ZATCA XML, invoice hash, XAdES signature and QR of a simplified tax invoice per sale),
// then the 80 mm receipt (GET /api/v1/purchases/{id}/receipt.pdf) as the till prints it. Arrivals are a Poisson
// process at BENCH_RATE/s spread over the four tills, each latency from the sale's scheduled arrival.
// The baseline, measured in the same run at the same rate: GET of one product by id (auth, tenant check, one row).
//   BENCH_DATABASE_URL (or TEST_DATABASE_URL): PostgreSQL server to create the database on (required).
//   BENCH_RATE (default 50), BENCH_SECONDS (default 30), BENCH_TILLS (default 4), BENCH_RECEIPTS (default 1;
//   0 measures the sale alone), BENCH_NODE_FLAGS (e.g.
//   --cpu-prof --cpu-prof-dir=/tmp/prof).
// Target (issue 17): 50 sales/s across four tills with signing and receipt; p50 and p99 recorded in
// docs/benchmarks.md. Timings are printed with toFixed: they are milliseconds, not money.
import { readFileSync } from 'node:fs';
import { ApiProcess, deploymentSecrets, processMemory } from '../reliability/support/api-process';
import { as, register } from '../reliability/support/client';
import { LOAD_ENV } from '../reliability/support/cluster';
import { createScratchDatabase } from '../reliability/support/postgres';
import { cpuSeconds, machine, percentile, postgresCpuSeconds, postmasterOf } from './support/machine';

const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!adminUrl) {
  console.error('sale-http: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL server');
  process.exit(1);
}
const seconds = Number(process.env.BENCH_SECONDS ?? 30);
const rate = Number(process.env.BENCH_RATE ?? 50);
const tillCount = Number(process.env.BENCH_TILLS ?? 4);
// BENCH_RECEIPTS=0 leaves the receipt out: the sale's own cost.
const withReceipts = process.env.BENCH_RECEIPTS !== '0';

const database = await createScratchDatabase(adminUrl, 'invoiceflow_bench_sale');
const server = new ApiProcess({
  name: 'bench-sale',
  env: {
    DATABASE_URL: database.url,
    ...deploymentSecrets(),
    ...LOAD_ENV,
    LOG_LEVEL: 'warn',
    RUN_JOBS: 'true',
  },
  nodeArgs: (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean),
});

interface Timing {
  ok: number;
  failed: number;
  statuses: Map<number, number>;
  /** ms from the scheduled arrival to the sale's answer, and to the receipt's last byte */
  sale: number[];
  withReceipt: number[];
  receiptBytes: number;
}

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
};

/** `count` arrivals at uniformly random moments of `duration` s (Poisson, conditioned on its count). */
async function openLoop(
  duration: number,
  perSecond: number,
  send: (i: number, scheduled: number) => Promise<void>,
) {
  const count = Math.round(perSecond * duration);
  const start = performance.now();
  const arrivals = Array.from({ length: count }, () => start + Math.random() * duration * 1000).sort(
    (a, b) => a - b,
  );
  const inFlight = new Set<Promise<void>>();
  for (const [i, arrival] of arrivals.entries()) {
    const wait = arrival - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const request = send(i, arrival).finally(() => inFlight.delete(request));
    inFlight.add(request);
  }
  await Promise.all(inFlight);
}

try {
  await server.start();
  const owner = await register(server.url);
  const c = as(server.url, owner);
  const created = async (url: string, body: object) => {
    const reply = await c('POST', url, body);
    if (reply.status !== 201) throw new Error(`${url}: ${reply.status} ${reply.text}`);
    return reply.json();
  };
  const tills: string[] = [];
  for (let i = 1; i <= tillCount; i++) {
    const unit = await created('/api/v1/egs', {
      environment: 'local',
      branch_name: `Till ${i}`,
      // A unit of its own beside the others (a new unit otherwise replaces the active one).
      replaces_egs_id: null,
    });
    // Each till numbers its own sales (INV-2026-T1-…): four tills never queue for one counter.
    const till = await created('/api/v1/tills', {
      name: `Till ${i}`,
      egs_unit_id: unit.id,
      series_code: `T${i}`,
    });
    tills.push(till.id);
    for (const value of ['100', '50', '20', '10', '5', '1', '0.50', '0.25']) {
      await created('/api/v1/denominations', { value, available_count: 1_000_000, till_id: till.id });
    }
  }
  // Five products at 9.00 … 13.00: one of each is 55.00 + 15 % VAT = 63.25, paid with a 100 note, 36.75 back.
  const products: string[] = [];
  for (let i = 0; i < 5; i++) {
    const product = await created('/api/v1/products', {
      name_en: `Bench item ${i + 1}`,
      name_ar: `صنف ${i + 1}`,
      unit_price: String(9 + i),
      stock: 10_000_000,
    });
    products.push(product.id);
  }

  const headers = {
    authorization: `Bearer ${owner.accessToken}`,
    'x-company-id': owner.companyId,
  };
  const timing = (): Timing => ({
    ok: 0,
    failed: 0,
    statuses: new Map(),
    sale: [],
    withReceipt: [],
    receiptBytes: 0,
  });
  const fail = (t: Timing, status: number) => {
    t.failed++;
    t.statuses.set(status, (t.statuses.get(status) ?? 0) + 1);
  };

  let key = 0;
  const sell = (t: Timing) => async (i: number, scheduled: number) => {
    key++;
    try {
      const answer = await fetch(`${server.url}/api/v1/purchases`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': `bench-sale-${key}` },
        body: JSON.stringify({
          customer_email: `walk-in-${i % 500}@example.com`,
          till_id: tills[i % tills.length],
          items: products.map((product_id) => ({ product_id, quantity: '1' })),
          paid_amount: '100',
          tendered: [{ value: '100', count: 1 }],
        }),
        signal: AbortSignal.timeout(30_000),
      });
      const body = (await answer.json()) as { id?: string; code?: string };
      if (answer.status !== 201 || !body.id) {
        if (t.failed === 0) console.log(`first refused sale: ${answer.status} ${JSON.stringify(body)}`);
        return fail(t, answer.status);
      }
      t.sale.push(performance.now() - scheduled);
      if (!withReceipts) {
        t.withReceipt.push(performance.now() - scheduled);
        t.ok++;
        return;
      }
      const receipt = await fetch(`${server.url}/api/v1/purchases/${body.id}/receipt.pdf`, {
        headers,
        signal: AbortSignal.timeout(30_000),
      });
      const bytes = await receipt.arrayBuffer();
      if (receipt.status !== 200) return fail(t, receipt.status);
      t.withReceipt.push(performance.now() - scheduled);
      t.receiptBytes = bytes.byteLength;
      t.ok++;
    } catch {
      fail(t, 0);
    }
  };
  const readProduct = (t: Timing) => async (i: number, scheduled: number) => {
    try {
      const answer = await fetch(`${server.url}/api/v1/products/${products[i % products.length]}`, {
        headers,
        signal: AbortSignal.timeout(30_000),
      });
      await answer.arrayBuffer();
      if (answer.status !== 200) return fail(t, answer.status);
      t.sale.push(performance.now() - scheduled);
      t.ok++;
    } catch {
      fail(t, 0);
    }
  };

  await openLoop(5, rate, sell(timing())); // warm-up: JIT, pools, fonts, the signing keys
  const baseline = timing();
  await openLoop(Math.min(10, seconds), rate, readProduct(baseline));

  let rss = 0;
  const sampler = setInterval(() => {
    const sample = server.pid ? processMemory(server.pid) : undefined;
    if (sample) rss = Math.max(rss, sample.rss);
  }, 250);
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const sales = timing();
  const backend = await database.pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const postmaster = postmasterOf(Number(backend.rows[0]?.pid));
  const dbCpu = () => (postmaster === undefined ? undefined : postgresCpuSeconds(postmaster));
  const cpuBefore = { api: cpuSeconds(server.pid as number), db: dbCpu() };
  const started = performance.now();
  await openLoop(seconds, rate, sell(sales));
  const elapsed = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const apiCpu = cpuSeconds(server.pid as number) - cpuBefore.api;
  const dbAfter = dbCpu();
  const databaseCpu =
    dbAfter !== undefined && cpuBefore.db !== undefined ? dbAfter - cpuBefore.db : undefined;

  const chain = (await c('GET', '/api/v1/compliance/chain/verify')).json() as {
    ok: boolean;
    count: number;
    egs_units?: number;
  };
  const base = summary(baseline.sale);
  const sale = summary(sales.sale);
  const whole = summary(sales.withReceipt);
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  const ratio = (value: number) => `${(value / base.p50).toFixed(1)}×`;
  console.log(machine());
  console.log(`load average before the run: ${load}`);
  console.log(
    `baseline GET /products/{id} at ${rate}/s: p50 ${ms(base.p50)}, p99 ${ms(base.p99)} (${baseline.failed} failed)`,
  );
  console.log(
    `5-line cash sale, ${tillCount} tills (EGS each), Poisson ${rate}/s for ${seconds} s: ` +
      `${(sales.ok / elapsed).toFixed(1)} sales/s completed with receipt, ${sales.failed} failed ` +
      `${JSON.stringify(Object.fromEntries(sales.statuses))}`,
  );
  console.log(
    `  sale answered:      p50 ${ms(sale.p50)} (${ratio(sale.p50)}), p90 ${ms(sale.p90)}, p99 ${ms(sale.p99)} ` +
      `(${ratio(sale.p99)}), max ${ms(sale.max)}`,
  );
  console.log(
    `  with receipt PDF:   p50 ${ms(whole.p50)} (${ratio(whole.p50)}), p90 ${ms(whole.p90)}, p99 ${ms(whole.p99)} ` +
      `(${ratio(whole.p99)}), max ${ms(whole.max)}; receipt ${sales.receiptBytes} bytes`,
  );
  const perSale = (cpu: number) => `${((cpu * 1000) / Math.max(1, sales.ok)).toFixed(1)} ms`;
  console.log(
    `CPU per sale with its receipt: API ${perSale(apiCpu)} (${(apiCpu / elapsed).toFixed(2)} cores)` +
      (databaseCpu !== undefined
        ? `, PostgreSQL ${perSale(databaseCpu)} (${(databaseCpu / elapsed).toFixed(2)} cores)`
        : ''),
  );
  // A sale the client gave up on (timed out) is still sold and printed by the server, inside the measured CPU:
  // per completed sale overstates the cost as soon as some fail, so the cost per sale sent is printed beside it.
  if (sales.failed > 0) {
    const sent = sales.ok + sales.failed;
    console.log(`  per sale sent (${sent}): API ${((apiCpu * 1000) / sent).toFixed(1)} ms`);
  }
  console.log(
    `API RSS peak ${Math.round(rss / 2 ** 20)} MB; chains ${chain.ok ? 'verify' : 'BROKEN'} ` +
      `(${chain.count} documents on ${chain.egs_units ?? '?'} units)`,
  );
} finally {
  await server.stop();
  await database.drop();
}
