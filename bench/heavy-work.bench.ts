// The event loop while heavy work runs: a /health poller (one request in flight, a new one every ~5 ms) against the
// real entry point (apps/api/src/main.ts with `npm start`'s memory flags) measures how long the API stops answering
// (a) while 1,000-line invoices are issued and (b) while a chain of large invoices is verified; during (b) the API
// process's RSS is sampled. The baseline is the same poller against the same idle process in the same run, so the
// figures are a ratio to what this machine gives at that moment (the machine is shared).
//   BENCH_DATABASE_URL (or TEST_DATABASE_URL): PostgreSQL server to create the database on; unset: PGlite in memory.
//   BENCH_ISSUE_LINES (default 1000), BENCH_ISSUES (default 3): the invoices of (a).
//   BENCH_CHAIN_INVOICES (default 2000), BENCH_CHAIN_LINES (default 1000): the chain of (b), issued first (slow:
//   about half a second per 1,000-line invoice), by BENCH_SEED_CLIENTS (default 4) clients at once.
//   BENCH_NODE_FLAGS: more node flags for the API process (e.g. --cpu-prof --cpu-prof-dir=/tmp/prof).
import { ApiProcess, deploymentSecrets, sleep, startNodeFlags } from '../reliability/support/api-process';
import { call, login, register, type Session } from '../reliability/support/client';
import { LOAD_ENV } from '../reliability/support/cluster';
import { createScratchDatabase, type ScratchDatabase } from '../reliability/support/postgres';
import { machine, percentile } from './support/machine';

const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const issueLines = Number(process.env.BENCH_ISSUE_LINES ?? 1000);
const issues = Number(process.env.BENCH_ISSUES ?? 3);
const chainInvoices = Number(process.env.BENCH_CHAIN_INVOICES ?? 2000);
const chainLines = Number(process.env.BENCH_CHAIN_LINES ?? 1000);
const seedClients = Number(process.env.BENCH_SEED_CLIENTS ?? 4);

const database: ScratchDatabase | undefined = adminUrl
  ? await createScratchDatabase(adminUrl, 'invoiceflow_bench_heavy')
  : undefined;
const server = new ApiProcess({
  name: 'bench-heavy',
  env: {
    ...(database ? { DATABASE_URL: database.url } : { DATA_DIR: 'memory://' }),
    ...deploymentSecrets(),
    ...LOAD_ENV,
    BODY_LIMIT: String(16 * 1024 * 1024),
    LOG_LEVEL: 'warn',
  },
  nodeArgs: (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean),
});

/** A /health poller: one request in flight, the next ~5 ms after the last answer; latencies in ms. */
function pollHealth(): { stop(): Promise<number[]> } {
  const latencies: number[] = [];
  let isRunning = true;
  const loop = (async () => {
    while (isRunning) {
      const start = performance.now();
      const answer = await fetch(`${server.url}/health`);
      await answer.arrayBuffer();
      latencies.push(performance.now() - start);
      await sleep(5);
    }
  })();
  return {
    async stop() {
      isRunning = false;
      await loop;
      return latencies.sort((a, b) => a - b);
    },
  };
}

const describe = (sorted: number[]) =>
  `p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${(sorted.at(-1) ?? Number.NaN).toFixed(1)} ms (${sorted.length} polls)`;

function largeInvoice(i: number, lineCount: number) {
  return {
    customer_name: `Wholesale buyer ${i}`,
    subtype: 'simplified',
    line_items: Array.from({ length: lineCount }, (_, n) => ({
      description: `Spare part ${n + 1} of order ${i}, boxed, with its fitting kit`,
      description_ar: `قطعة غيار ${n + 1}`,
      quantity: String(1 + ((i + n) % 9)),
      unit_price: `${10 + ((i * 7 + n * 13) % 490)}.${String((i + n) % 100).padStart(2, '0')}`,
    })),
  };
}

/** Access tokens live 15 minutes and seeding a long chain takes longer: sign in again after 10. */
const signedInAt = new WeakMap<Session, number>();
async function fresh(owner: Session): Promise<Session> {
  const at = signedInAt.get(owner) ?? 0;
  if (Date.now() - at > 600_000) {
    if (at > 0)
      owner.accessToken = (await login(server.url, owner.email, owner.password, owner.companyId)).accessToken;
    signedInAt.set(owner, Date.now());
  }
  return owner;
}

let key = 0;
async function issue(owner: Session, lineCount: number): Promise<number> {
  key++;
  const start = performance.now();
  const reply = await call(server.url, 'POST', '/api/v1/invoices/generate', {
    token: (await fresh(owner)).accessToken,
    companyId: owner.companyId,
    headers: { 'idempotency-key': `bench-heavy-${key}` },
    body: largeInvoice(key, lineCount),
    timeoutMs: 600_000,
  });
  if (reply.status !== 201) throw new Error(`issue: ${reply.status} ${reply.text.slice(0, 300)}`);
  return performance.now() - start;
}

interface RunAnswer {
  status: string;
  checked: number;
  total: number;
  result: { ok: boolean; count: number } | null;
}

/** Verifies the chain as a client would: start a run, then follow it until it is done. */
async function verify(owner: Session): Promise<{ ok: boolean; count: number }> {
  const auth = { token: (await fresh(owner)).accessToken, companyId: owner.companyId, timeoutMs: 600_000 };
  const started = await call(server.url, 'POST', '/api/v1/compliance/chain/runs', auth);
  if (started.status === 404) {
    // A build without verification runs: the synchronous check.
    return (await call(server.url, 'GET', '/api/v1/compliance/chain/verify', auth)).json();
  }
  if (started.status >= 300) throw new Error(`start: ${started.status} ${started.text}`);
  const id = started.json().id as string;
  for (;;) {
    const run = (
      await call(server.url, 'GET', `/api/v1/compliance/chain/runs/${id}`, auth)
    ).json() as RunAnswer;
    if (run.result) return run.result;
    if (run.status === 'failed') throw new Error(`verification failed: ${JSON.stringify(run)}`);
    await sleep(250);
  }
}

const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;

try {
  await server.start();
  const owner = await register(server.url);
  await issue(owner, 10); // warm-up: the EGS unit, JIT, the render threads
  await issue(owner, issueLines);

  let poller = pollHealth();
  await sleep(3_000);
  const idle = await poller.stop();

  poller = pollHealth();
  const issueTimes: number[] = [];
  for (let i = 0; i < issues; i++) issueTimes.push(await issue(owner, issueLines));
  const duringIssue = await poller.stop();

  const chainOwner = await register(server.url);
  const seedStart = performance.now();
  // Seeded by a few clients at once: the chain still grows one invoice at a time (the unit's row lock), while the
  // PDF renders of the invoices before it proceed on their threads.
  let seeded = 0;
  await Promise.all(
    Array.from({ length: seedClients }, async () => {
      while (seeded < chainInvoices) {
        seeded++;
        await issue(chainOwner, chainLines);
      }
    }),
  );
  const seedSeconds = (performance.now() - seedStart) / 1000;

  const rssBefore = server.memory()?.rss ?? 0;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, server.memory()?.rss ?? 0);
  }, 100);
  poller = pollHealth();
  const verifyStart = performance.now();
  const result = await verify(chainOwner);
  const verifySeconds = (performance.now() - verifyStart) / 1000;
  const duringVerify = await poller.stop();
  clearInterval(sampler);

  const ratio = (sorted: number[]) =>
    `×${((sorted.at(-1) ?? 0) / (idle.at(-1) ?? 1)).toFixed(1)} max, ×${(percentile(sorted, 99) / percentile(idle, 99)).toFixed(1)} p99`;
  console.log(machine());
  console.log(
    `heavy work, ${database ? 'PostgreSQL' : 'PGlite'}, [${startNodeFlags().join(' ')}], load average ${(
      await import('node:os')
    )
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
  console.log(`/health idle (baseline): ${describe(idle)}`);
  console.log(
    `(a) ${issues} × ${issueLines}-line invoices, ${issueTimes.map((ms) => Math.round(ms)).join(' / ')} ms each: ` +
      `/health ${describe(duringIssue)}; ${ratio(duringIssue)} the baseline`,
  );
  console.log(
    `(b) chain of ${chainInvoices} × ${chainLines}-line invoices (issued in ${seedSeconds.toFixed(0)} s): ` +
      `${result.ok ? 'verifies' : 'BROKEN'} (${result.count}) in ${verifySeconds.toFixed(1)} s; /health ${describe(duringVerify)}; ` +
      `${ratio(duringVerify)} the baseline; API RSS ${mb(rssBefore)} before, peak ${mb(rssPeak)} during`,
  );
} finally {
  await server.stop();
  await database?.drop();
}
