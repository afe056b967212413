// POST /api/v1/preview/calculate with a 10-line invoice over HTTP. The server runs in its own process on core 0,
// this process (the load generator, autocannon) on core 1. Targets: ≥ 8,000 req/s, p99 ≤ 15 ms.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { machine, tenLineInvoice } from './support/machine';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; p97_5: number; average: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const here = path.dirname(fileURLToPath(import.meta.url));
const hasTaskset = spawnSync('taskset', ['--version']).status === 0;
if (hasTaskset) spawnSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });

// Extra V8 flags for the server (e.g. BENCH_NODE_FLAGS=--max-semi-space-size=32) to compare settings.
const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
const serverArgs = [...nodeFlags, '--import', 'tsx', path.join(here, 'support/preview-server.ts')];
const server = hasTaskset
  ? spawn('taskset', ['-c', '0', process.execPath, ...serverArgs], { stdio: ['ignore', 'pipe', 'inherit'] })
  : spawn(process.execPath, serverArgs, { stdio: ['ignore', 'pipe', 'inherit'] });
const lines = createInterface({ input: server.stdout });
const nextLine = () =>
  new Promise<Record<string, unknown>>((resolve, reject) => {
    lines.once('line', (line) => resolve(JSON.parse(line)));
    server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
const { port, token } = (await nextLine()) as { port: number; token: string };
const serverCpu = async () => {
  const answer = nextLine();
  server.kill('SIGUSR2');
  return (await answer).cpuMicros as number;
};

const duration = Number(process.env.BENCH_SECONDS ?? 15);
const run = (seconds: number) =>
  autocannon({
    url: `http://127.0.0.1:${port}/api/v1/preview/calculate`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(tenLineInvoice()),
    connections: 32,
    pipelining: 1,
    duration: seconds,
  });

try {
  const check = await fetch(`http://127.0.0.1:${port}/api/v1/preview/calculate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(tenLineInvoice()),
  });
  const body = (await check.json()) as { is_valid: boolean; total_amount: string };
  if (!check.ok || !body.is_valid)
    throw new Error(`preview answered ${check.status} ${JSON.stringify(body)}`);
  await run(3); // warm-up
  const cpuBefore = await serverCpu();
  const result = await run(duration);
  const cpuPerRequest = ((await serverCpu()) - cpuBefore) / result.requests.total;
  console.log(machine());
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(
    `preview over HTTP, 10 lines, 32 connections, ${duration} s${hasTaskset ? ', server and load generator on separate cores' : ''}: ` +
      `${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms ` +
      `(non-2xx ${result.non2xx}, errors ${result.errors}; targets ≥ 8000 req/s, p99 ≤ 15 ms)`,
  );
  console.log(
    `server CPU ${cpuPerRequest.toFixed(0)} µs/request → ${Math.round(1e6 / cpuPerRequest)} req/s per fully used core; ` +
      `load average before the run ${load}`,
  );
} finally {
  server.kill('SIGTERM');
}
