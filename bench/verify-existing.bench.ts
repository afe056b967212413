// Chain verification of a chain already in a database (e.g. the one heavy-work.bench.ts seeded, kept by killing it):
// the /health poller and the RSS sampler of heavy-work.bench.ts around one verification run, without seeding again.
//   BENCH_DATABASE_URL: the database (not dropped); BENCH_EMAIL: the company owner whose chain is verified (its
//   password is set to a known one for the run).
import { hash } from '@node-rs/argon2';
import pg from 'pg';
import { ApiProcess, sleep, startNodeFlags } from '../reliability/support/api-process';
import { call, login } from '../reliability/support/client';
import { LOAD_ENV } from '../reliability/support/cluster';
import { machine, percentile } from './support/machine';

const url = process.env.BENCH_DATABASE_URL as string;
const email = process.env.BENCH_EMAIL as string;
const password = 'a known bench password';
const client = new pg.Client({ connectionString: url });
await client.connect();
await client.query('UPDATE users SET password_hash = $1 WHERE email = $2', [await hash(password), email]);
await client.end();

const server = new ApiProcess({
  name: 'bench-verify',
  env: { DATABASE_URL: url, ...LOAD_ENV, LOG_LEVEL: 'warn' },
});
await server.start();
const poll = () => {
  const latencies: number[] = [];
  let isRunning = true;
  const loop = (async () => {
    while (isRunning) {
      const start = performance.now();
      await (await fetch(`${server.url}/health`)).arrayBuffer();
      latencies.push(performance.now() - start);
      await sleep(5);
    }
  })();
  return async () => {
    isRunning = false;
    await loop;
    return latencies.sort((a, b) => a - b);
  };
};
const show = (s: number[]) =>
  `p50 ${percentile(s, 50).toFixed(1)} ms, p99 ${percentile(s, 99).toFixed(1)} ms, max ${(s.at(-1) ?? 0).toFixed(1)} ms (${s.length} polls)`;
try {
  let stop = poll();
  await sleep(3000);
  const idle = await stop();
  let session = await login(server.url, email, password, '');
  let signedInAt = Date.now();
  const owner = async () => {
    if (Date.now() - signedInAt > 600_000) {
      session = await login(server.url, email, password, '');
      signedInAt = Date.now();
    }
    return { token: session.accessToken, companyId: session.companyId, timeoutMs: 600_000 };
  };
  const rssBefore = server.memory()?.rss ?? 0;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, server.memory()?.rss ?? 0);
  }, 100);
  stop = poll();
  const started = performance.now();
  const run = (await call(server.url, 'POST', '/api/v1/compliance/chain/runs', await owner())).json();
  let answer: { status: string; checked: number; total: number; result: unknown };
  for (;;) {
    answer = (await call(server.url, 'GET', `/api/v1/compliance/chain/runs/${run.id}`, await owner())).json();
    if (answer.result || answer.status === 'failed' || answer.status === undefined) break;
    await sleep(1000);
  }
  const seconds = (performance.now() - started) / 1000;
  const during = await stop();
  clearInterval(sampler);
  console.log(machine());
  console.log(`verify existing chain, PostgreSQL, [${startNodeFlags().join(' ')}]`);
  console.log(`/health idle (baseline): ${show(idle)}`);
  console.log(
    `verification of ${answer.total} documents: ${JSON.stringify(answer.result ?? answer)} in ${seconds.toFixed(0)} s; ` +
      `/health ${show(during)}; ×${((during.at(-1) ?? 0) / (idle.at(-1) ?? 1)).toFixed(1)} max the baseline; ` +
      `API RSS ${Math.round(rssBefore / 2 ** 20)} MB before, peak ${Math.round(rssPeak / 2 ** 20)} MB`,
  );
} finally {
  await server.stop();
}
