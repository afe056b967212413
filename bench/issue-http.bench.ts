// Full issuing over HTTP on PostgreSQL, sustained: POST /api/v1/invoices/generate (validation, gapless number,
// ZATCA XML, invoice hash, XAdES signature, QR, commit, then the PDF rendered and stored) with an Idempotency-Key per
// request, for BENCH_SECONDS (default 60) against the real entry point (apps/api/src/main.ts) on a fresh database.
// Targets on a 2-core machine: ≥ 50 invoices/s, p99 ≤ 250 ms, API process RSS ≤ 300 MB.
//   BENCH_DATABASE_URL (or TEST_DATABASE_URL): PostgreSQL server to create the database on (required).
//   BENCH_CONNECTIONS (default 16), BENCH_NODE_FLAGS (e.g. --cpu-prof --cpu-prof-dir=/tmp/prof).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ApiProcess, deploymentSecrets, processMemory } from '../reliability/support/api-process';
import { register, simplifiedInvoice } from '../reliability/support/client';
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
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const nodeArgs = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);

const database = await createScratchDatabase(adminUrl, 'invoiceflow_bench_issue');
const server = new ApiProcess({
  name: 'bench-issue',
  env: { DATABASE_URL: database.url, ...deploymentSecrets(), ...LOAD_ENV, LOG_LEVEL: 'warn' },
  nodeArgs,
});
let key = 0;
const run = (duration: number, session: { accessToken: string; companyId: string }) =>
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
    connections,
    pipelining: 1,
    duration,
    timeout: 30,
  });

try {
  await server.start();
  const owner = await register(server.url);
  await run(5, owner); // warm-up: JIT, connection pool, fonts
  const memory: number[] = [];
  const sampler = setInterval(() => {
    const sample = server.pid ? processMemory(server.pid) : undefined;
    if (sample) memory.push(sample.rss);
  }, 250);
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const cpuBefore = cpuTicks(server.pid as number);
  const result = await run(seconds, owner);
  const cpuSeconds = (cpuTicks(server.pid as number) - cpuBefore) / 100;
  clearInterval(sampler);
  const peak = Math.max(...memory);
  const peakHwm = server.pid ? processMemory(server.pid)?.peakRss : undefined;
  const invoices = await database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM invoices');
  const chain = await fetch(`${server.url}/api/v1/compliance/chain/verify`, {
    headers: { authorization: `Bearer ${owner.accessToken}`, 'x-company-id': owner.companyId },
  }).then((r) => r.json() as Promise<{ ok: boolean; count: number }>);
  const perSecond = result['2xx'] / seconds;
  console.log(machine());
  console.log(
    `issue over HTTP on PostgreSQL, ${connections} connections, ${seconds} s: ${perSecond.toFixed(1)} invoices/s ` +
      `(${result['2xx']} issued, non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}); ` +
      `latency p50 ${result.latency.p50} ms, p90 ${result.latency.p90} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`,
  );
  console.log(
    `API process RSS peak ${(peak / 2 ** 20).toFixed(0)} MB during the run (VmHWM since start ${((peakHwm ?? 0) / 2 ** 20).toFixed(0)} MB); ` +
      `API CPU ${(cpuSeconds / seconds).toFixed(2)} cores, ${((cpuSeconds * 1000) / result['2xx']).toFixed(1)} ms CPU per invoice; ` +
      `database holds ${invoices.rows[0]?.n} invoices, chain ${chain.ok ? 'verifies' : 'BROKEN'} (${chain.count}); load average before ${load}`,
  );
  console.log('targets: ≥ 50 invoices/s, p99 ≤ 250 ms, RSS ≤ 300 MB');
} finally {
  await server.stop();
  await database.drop();
}

/** utime + stime of a process, in clock ticks (1/100 s). */
function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11]) + Number(fields[12]);
}
