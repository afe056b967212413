// Full issuing over HTTP on PostgreSQL, sustained: POST /api/v1/invoices/generate (validation, gapless number,
// ZATCA XML, invoice hash, XAdES signature, QR, commit, then the PDF rendered and stored) with an Idempotency-Key per
// request, for BENCH_SECONDS (default 60) against the real entry point (apps/api/src/main.ts) on a fresh database,
// all invoices for ONE Saudi company (one EGS chain: every issue serialises on its row lock).
// Targets on a 2-core machine: ≥ 50 invoices/s, p99 ≤ 250 ms, API process RSS ≤ 300 MB.
//   BENCH_DATABASE_URL (or TEST_DATABASE_URL): PostgreSQL server to create the database on (required).
//   BENCH_RATE (default 50): offered load in requests/s (an open model: latency is measured at that arrival rate);
//   BENCH_RATE=0 sends as fast as the connections allow (a closed loop: the maximum throughput).
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
import { machine } from './support/machine';

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
const runOne = (server: ApiProcess, duration: number, session: Session) =>
  autocannon({
    url: `${server.url}/api/v1/invoices/generate`,
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${session.accessToken}`,
      'x-company-id': session.companyId,
    },
    body: JSON.stringify(simplifiedInvoice(7)),
    // A new Idempotency-Key (and a different invoice) per request, as real clients send.
    setupRequest: (request: { headers: Record<string, string> }) => {
      key++;
      return {
        ...request,
        headers: { ...request.headers, 'idempotency-key': `bench-${key}` },
        body: JSON.stringify(simplifiedInvoice(key)),
      };
    },
    connections: Math.max(1, Math.round(connections / processCount)),
    ...(rate > 0 ? { overallRate: rate / processCount } : {}),
    pipelining: 1,
    duration,
    timeout: 30,
  });
const run = (duration: number, session: Session) =>
  Promise.all(servers.map((server) => runOne(server, duration, session)));

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
  const cpuBefore = servers.map((server) => cpuTicks(server.pid as number));
  const results = await run(seconds, owner);
  const cpuSeconds = servers.reduce(
    (sum, server, i) => sum + (cpuTicks(server.pid as number) - (cpuBefore[i] ?? 0)) / 100,
    0,
  );
  clearInterval(sampler);
  const issued = results.reduce((sum, r) => sum + r['2xx'], 0);
  const sum = (pick: (r: AutocannonResult) => number) => results.reduce((total, r) => total + pick(r), 0);
  // Each process's run has its own histogram; the combined p-th percentile is at most the largest of theirs.
  const worst = (pick: (r: AutocannonResult) => number) => Math.max(...results.map(pick));
  const invoices = await database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM invoices');
  const chain = await fetch(`${servers[0]?.url}/api/v1/compliance/chain/verify`, {
    headers: { authorization: `Bearer ${owner.accessToken}`, 'x-company-id': owner.companyId },
  }).then((r) => r.json() as Promise<{ ok: boolean; count: number }>);
  const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;
  console.log(machine());
  console.log(
    `issue over HTTP on PostgreSQL, ${processCount} API process(es) [${[...startNodeFlags(), ...nodeArgs].join(' ')}], ` +
      `${rate > 0 ? `offered ${rate}/s over ` : ''}${connections} connections, ${seconds} s: ` +
      `${(issued / seconds).toFixed(1)} invoices/s (${issued} issued, non-2xx ${sum((r) => r.non2xx)}, ` +
      `errors ${sum((r) => r.errors)}, timeouts ${sum((r) => r.timeouts)}); latency p50 ${worst((r) => r.latency.p50)} ms, ` +
      `p90 ${worst((r) => r.latency.p90)} ms, p99 ${worst((r) => r.latency.p99)} ms, max ${worst((r) => r.latency.max)} ms`,
  );
  console.log(
    `API process RSS peak ${memory.map(mb).join(' / ')}; API CPU ${(cpuSeconds / seconds).toFixed(2)} cores, ` +
      `${((cpuSeconds * 1000) / issued).toFixed(1)} ms CPU per invoice; database holds ${invoices.rows[0]?.n} invoices, ` +
      `chain ${chain.ok ? 'verifies' : 'BROKEN'} (${chain.count}); load average before ${load}`,
  );
  console.log('targets: ≥ 50 invoices/s, p99 ≤ 250 ms, RSS ≤ 300 MB');
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  await database.drop();
}

/** utime + stime of a process, in clock ticks (1/100 s). */
function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11]) + Number(fields[12]);
}
