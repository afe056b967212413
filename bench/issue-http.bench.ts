// Full issuing over HTTP on PostgreSQL, sustained: POST /api/v1/invoices/generate (validation, gapless number,
// ZATCA XML, invoice hash, XAdES signature, QR, commit, then the PDF rendered and stored) with an Idempotency-Key per
// request, for BENCH_SECONDS (default 60) against the real entry point (apps/api/src/main.ts) on a fresh database,
// all invoices for ONE Saudi company (one EGS chain: every issue serialises on its row lock).
// Targets on a 2-core machine: ≥ 50 invoices/s, p99 ≤ 250 ms, API process RSS ≤ 300 MB.
//   BENCH_DATABASE_URL (or TEST_DATABASE_URL): PostgreSQL server to create the database on (required).
//   BENCH_RATE (default 50): offered load in requests/s, an open model: rate × seconds requests arrive at random
//   moments (a Poisson process with that count) whatever the answers do, and each latency runs from the request's
//   scheduled arrival (a client that falls behind is charged for it). autocannon's own rate option is not that:
//   each connection fires its share at every second boundary, so "50/s" arrives as a burst of 50 requests each
//   second and measures how fast a burst drains.
//   BENCH_RATE=0 sends as fast as BENCH_CONNECTIONS allow (autocannon, a closed loop: the maximum throughput).
//   BENCH_PROCESSES (default 1): API processes on the one database, each offered an equal share (a load balancer).
//   BENCH_CONNECTIONS (default 32, shared), BENCH_NODE_FLAGS (e.g. --max-old-space-size=192, or
//   --cpu-prof --cpu-prof-dir=/tmp/prof).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  ApiProcess,
  deploymentSecrets,
  processMemory,
  startNodeFlags,
} from '../reliability/support/api-process';
import { register, type Session, simplifiedInvoice } from '../reliability/support/client';
import { LOAD_ENV } from '../reliability/support/cluster';
import { createScratchDatabase } from '../reliability/support/postgres';
import { issueParts } from './support/invoice-parts';
import { cpuSeconds, machine, percentile } from './support/machine';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p97_5: number; p99: number; max: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  '2xx': number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!adminUrl) {
  console.error('issue-http: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL server');
  process.exit(1);
}
const seconds = Number(process.env.BENCH_SECONDS ?? 60);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const rate = Number(process.env.BENCH_RATE ?? 50);
const processCount = Number(process.env.BENCH_PROCESSES ?? 1);
const nodeArgs = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);

const database = await createScratchDatabase(adminUrl, 'invoiceflow_bench_issue');
const secrets = deploymentSecrets();
const servers = Array.from(
  { length: processCount },
  (_, i) =>
    new ApiProcess({
      name: `bench-issue-${i + 1}`,
      env: {
        DATABASE_URL: database.url,
        ...secrets,
        ...LOAD_ENV,
        LOG_LEVEL: 'warn',
        RUN_JOBS: String(i === 0),
      },
      nodeArgs,
    }),
);
let key = 0;
const nextRequest = (session: Session) => {
  key++;
  return {
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${session.accessToken}`,
      'x-company-id': session.companyId,
      // A new Idempotency-Key (and a different invoice) per request, as real clients send.
      'idempotency-key': `bench-${key}`,
    },
    body: JSON.stringify(simplifiedInvoice(key)),
  };
};

const withoutKey = ({ 'idempotency-key': _key, ...headers }: Record<string, string>) => headers;

interface LoadResult {
  issued: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Latencies of the 2xx answers, ms, sorted. */
  latencies: number[];
}

/** Closed loop: every connection sends its next request when the last one is answered (maximum throughput). */
const closedLoop = async (duration: number, session: Session): Promise<LoadResult> => {
  const results = await Promise.all(
    servers.map((server) =>
      autocannon({
        url: `${server.url}/api/v1/invoices/generate`,
        method: 'POST',
        // autocannon lays these defaults over what setupRequest returns: no Idempotency-Key among them.
        headers: withoutKey(nextRequest(session).headers),
        body: JSON.stringify(simplifiedInvoice(0)),
        setupRequest: (request: { headers: Record<string, string> }) => {
          const next = nextRequest(session);
          return { ...request, headers: { ...request.headers, ...next.headers }, body: next.body };
        },
        connections: Math.max(1, Math.round(connections / processCount)),
        pipelining: 1,
        duration,
        timeout: 30,
      }),
    ),
  );
  const sum = (pick: (r: AutocannonResult) => number) => results.reduce((total, r) => total + pick(r), 0);
  // autocannon gives percentiles per run; the combined one is at most the worst of them.
  const worst = (pick: (r: AutocannonResult) => number) => Math.max(...results.map(pick));
  const latencies = [50, 90, 99].map((p) => worst((r) => r.latency[`p${p}` as 'p50' | 'p90' | 'p99']));
  return {
    issued: sum((r) => r['2xx']),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    latencies: [...latencies, worst((r) => r.latency.max)],
  };
};

/** Open model: Poisson arrivals at `perSecond`, spread over the processes in turn (a load balancer). */
const openLoop = async (duration: number, session: Session, perSecond: number): Promise<LoadResult> => {
  const result: LoadResult = { issued: 0, non2xx: 0, errors: 0, timeouts: 0, latencies: [] };
  const inFlight = new Set<Promise<void>>();
  // rate × duration arrivals at uniformly random moments of the window: a Poisson process conditioned on its count,
  // so the offered load is exactly the rate asked for, with Poisson's clusters and gaps.
  const count = Math.round(perSecond * duration);
  const start = performance.now();
  const arrivals = Array.from({ length: count }, () => start + Math.random() * duration * 1000).sort(
    (a, b) => a - b,
  );
  for (const [i, arrival] of arrivals.entries()) {
    const wait = arrival - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const scheduled = arrival;
    const server = servers[i % servers.length] as ApiProcess;
    const request = fetch(`${server.url}/api/v1/invoices/generate`, {
      method: 'POST',
      ...nextRequest(session),
      signal: AbortSignal.timeout(30_000),
    })
      .then(async (answer) => {
        await answer.arrayBuffer();
        if (answer.status >= 200 && answer.status < 300) {
          result.issued++;
          result.latencies.push(performance.now() - scheduled);
        } else result.non2xx++;
      })
      .catch((error: Error) => {
        if (error.name === 'TimeoutError') result.timeouts++;
        else result.errors++;
      })
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  }
  await Promise.all(inFlight);
  result.latencies.sort((a, b) => a - b);
  const at = (p: number) => Math.round(percentile(result.latencies, p));
  result.latencies = [at(50), at(90), at(99), Math.round(result.latencies.at(-1) ?? Number.NaN)];
  return result;
};

const run = (duration: number, session: Session) =>
  rate > 0 ? openLoop(duration, session, rate) : closedLoop(duration, session);

try {
  await servers[0]?.start();
  await Promise.all(servers.slice(1).map((server) => server.start()));
  const owner = await register(servers[0]?.url as string);
  await run(5, owner); // warm-up: JIT, connection pools, fonts
  const memory = servers.map(() => 0);
  const sampler = setInterval(() => {
    servers.forEach((server, i) => {
      const sample = server.pid ? processMemory(server.pid) : undefined;
      if (sample) memory[i] = Math.max(memory[i] ?? 0, sample.rss);
    });
  }, 250);
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const cpuBefore = servers.map((server) => cpuSeconds(server.pid as number));
  const result = await run(seconds, owner);
  const apiCpu = servers.reduce(
    (sum, server, i) => sum + cpuSeconds(server.pid as number) - (cpuBefore[i] ?? 0),
    0,
  );
  clearInterval(sampler);
  const { issued, non2xx, errors, timeouts, latencies } = result;
  const [p50, p90, p99, max] = latencies;
  const invoices = await database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM invoices');
  const chain = await fetch(`${servers[0]?.url}/api/v1/compliance/chain/verify`, {
    headers: { authorization: `Bearer ${owner.accessToken}`, 'x-company-id': owner.companyId },
  }).then((r) => r.json() as Promise<{ ok: boolean; count: number }>);
  const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;
  console.log(machine());
  console.log(
    `issue over HTTP on PostgreSQL, ${processCount} API process(es) [${[...startNodeFlags(), ...nodeArgs].join(' ')}], ` +
      `${rate > 0 ? `Poisson arrivals at ${rate}/s` : `closed loop over ${connections} connections`}, ${seconds} s: ` +
      `${(issued / seconds).toFixed(1)} invoices/s (${issued} issued, non-2xx ${non2xx}, errors ${errors}, ` +
      `timeouts ${timeouts}); latency p50 ${p50} ms, p90 ${p90} ms, p99 ${p99} ms, max ${max} ms`,
  );
  console.log(
    `API process RSS peak ${memory.map(mb).join(' / ')}; API CPU ${(apiCpu / seconds).toFixed(2)} cores, ` +
      `${((apiCpu * 1000) / issued).toFixed(1)} ms CPU per invoice; database holds ${invoices.rows[0]?.n} invoices, ` +
      `chain ${chain.ok ? 'verifies' : 'BROKEN'} (${chain.count}); load average before ${load}`,
  );
  // The baseline, measured in this process after the run: the issue's parts without HTTP, SQL or the queue.
  const parts = await issueParts();
  const sum = parts.totals + parts.zatca + parts.pdf;
  const perInvoice = (apiCpu * 1000) / issued;
  console.log(
    `parts in process, CPU per invoice: totals ${parts.totals.toFixed(2)} ms, ZATCA XML + hash + signature + QR ` +
      `${parts.zatca.toFixed(2)} ms, PDF ${parts.pdf.toFixed(2)} ms, sum ${sum.toFixed(2)} ms; ` +
      `API CPU per invoice ${(perInvoice / sum).toFixed(2)}× the sum (target ≤ 1.5×)`,
  );
  console.log(
    'targets (issue 24): API CPU ≤ 1.5× the parts; p50 ≤ 25 ms, p99 ≤ 100 ms at 100/s; RSS ≤ 300 MB',
  );
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  await database.drop();
}
