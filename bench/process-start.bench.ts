// How long the product takes from `node` to answering /ready on a fresh embedded database (migrations included):
// the built server (`npm start`'s), the same sources under tsx, and a bare `node -e` as the baseline of the same
// run, so the ratio holds on a loaded machine. (The process tests, apps/api/test/processes.test.ts, assert what a
// start does — one owner per data directory, a worker refused on it — with no clock bound.)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { builtServer, freePort, repoRoot, sleep, startNodeFlags } from '../reliability/support/api-process';
import { machine, percentile } from './support/machine';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

/** Milliseconds from spawn to the first 200 from /ready (or, with no port, to the process's exit). */
async function timeStart(args: string[], options: { port?: number; dataDir?: string } = {}): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(options.port ?? 0),
      HOST: '127.0.0.1',
      DATA_DIR: options.dataDir ?? '',
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
      WEB_DIST: '/nonexistent',
    },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (options.port === undefined) {
    await exited;
    return performance.now() - started;
  }
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
    try {
      const response = await fetch(`http://127.0.0.1:${options.port}/ready`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(20);
  }
  const elapsed = performance.now() - started;
  child.kill('SIGTERM');
  await exited;
  return elapsed;
}

async function serverStarts(args: string[]): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'invoiceflow-start-'));
    try {
      times.push(await timeStart(args, { port: await freePort(), dataDir }));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return times.sort((a, b) => a - b);
}

console.log(machine());
const bare: number[] = [];
for (let run = 0; run < RUNS; run++) bare.push(await timeStart(['-e', '']));
bare.sort((a, b) => a - b);
const built = await serverStarts([...startNodeFlags(), await builtServer()]);
const sources = await serverStarts([...startNodeFlags(), '--import', 'tsx', 'apps/api/src/main.ts']);
const median = (times: number[]) => percentile(times, 50);
for (const [name, times] of [
  ['bare node (baseline)', bare],
  ['built server (npm start)', built],
  ['sources under tsx', sources],
] as const) {
  console.log(
    `start to /ready, ${name}: median ${median(times).toFixed(0)} ms, best ${times[0]?.toFixed(0)} ms ` +
      `(${times.length} runs; × ${(median(times) / median(bare)).toFixed(1)} bare node)`,
  );
}
console.log(`built server / sources under tsx: × ${(median(built) / median(sources)).toFixed(2)}`);
