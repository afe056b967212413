// POST /api/v1/preview/calculate with a 10-line invoice over HTTP, against a baseline measured in the same run: a
// bare Fastify route that parses the same body and answers a small JSON. Each server runs in its own process on
// core 0, this process (the load generator, autocannon) on core 1. Targets (issue 24): throughput ≥ 0.75 of the
// baseline's, p99 ≤ 2× the baseline's.
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
const duration = Number(process.env.BENCH_SECONDS ?? 15);
const body = JSON.stringify(tenLineInvoice());

interface Measured {
  perSecond: number;
  p50: number;
  p99: number;
  cpuMicros: number;
  non2xx: number;
  errors: number;
}

/** One server process (the product, or the bare-Fastify baseline), warmed up, then loaded for `duration` s. */
async function measure(baseline: boolean): Promise<Measured> {
  const serverArgs = [...nodeFlags, '--import', 'tsx', path.join(here, 'support/preview-server.ts')];
  const env = { ...process.env, BENCH_BASELINE: baseline ? '1' : '0' };
  const options = { stdio: ['ignore', 'pipe', 'inherit'] as ['ignore', 'pipe', 'inherit'], env };
  const server = hasTaskset
    ? spawn('taskset', ['-c', '0', process.execPath, ...serverArgs], options)
    : spawn(process.execPath, serverArgs, options);
  const lines = createInterface({ input: server.stdout });
  const nextLine = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      lines.once('line', (line) => resolve(JSON.parse(line)));
      server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
  try {
    const { port, token } = (await nextLine()) as { port: number; token: string };
    const url = `http://127.0.0.1:${port}/api/v1/preview/calculate`;
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const serverCpu = async () => {
      const answer = nextLine();
      server.kill('SIGUSR2');
      return (await answer).cpuMicros as number;
    };
    const run = (seconds: number) =>
      autocannon({ url, method: 'POST', headers, body, connections: 32, pipelining: 1, duration: seconds });
    const check = await fetch(url, { method: 'POST', headers, body });
    const answer = (await check.json()) as { is_valid: boolean };
    if (!check.ok || !answer.is_valid) {
      throw new Error(`preview answered ${check.status} ${JSON.stringify(answer)}`);
    }
    await run(3); // warm-up
    const cpuBefore = await serverCpu();
    const result = await run(duration);
    return {
      perSecond: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      cpuMicros: ((await serverCpu()) - cpuBefore) / result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors,
    };
  } finally {
    server.kill('SIGTERM');
  }
}

const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const base = await measure(true);
const preview = await measure(false);
const show = (m: Measured) =>
  `${Math.round(m.perSecond)} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms, server CPU ${m.cpuMicros.toFixed(0)} µs/request ` +
  `(non-2xx ${m.non2xx}, errors ${m.errors})`;
console.log(machine());
console.log(
  `load average before the run ${load}; 32 connections, ${duration} s each${hasTaskset ? ', server and load generator on separate cores' : ''}`,
);
console.log(`baseline, bare Fastify route parsing the same 10-line body: ${show(base)}`);
console.log(`preview over HTTP, 10 lines:                           ${show(preview)}`);
console.log(
  `ratio to the baseline: throughput ${(preview.perSecond / base.perSecond).toFixed(2)} (target ≥ 0.75), ` +
    `p99 ${(preview.p99 / Math.max(1, base.p99)).toFixed(2)}× (target ≤ 2×), ` +
    `CPU per request ${(preview.cpuMicros / base.cpuMicros).toFixed(2)}×`,
);
