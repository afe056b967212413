// The API server for the preview bench, in its own process: in-memory database, one registered user, no
// logging; or, with BENCH_BASELINE=1, the baseline. Prints {"port":…,"token":…} on one line once it listens.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { openDb } from '@invoiceflow/db';
import Fastify from 'fastify';
import { buildApp } from '../../apps/api/src/app';
import { loadConfig } from '../../apps/api/src/config';

// BENCH_BASELINE=1: the baseline instead, a bare Fastify route that parses the same body and answers a small JSON.
const bare = process.env.BENCH_BASELINE === '1';
const { app, token, close } = bare ? await bareApp() : await productApp();
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
process.stdout.write(`${JSON.stringify({ port, token })}\n`);
// With BENCH_PROFILE=file.cpuprofile the measured run (between the two CPU readings) is CPU-profiled, without the
// start-up (in-memory database, migrations) that a whole-process --cpu-prof is mostly made of.
const profileTo = process.env.BENCH_PROFILE;
let profiler: Session | undefined;
let profileWritten: Promise<void> = Promise.resolve();
// The bench asks for the CPU time spent so far: server CPU per request does not depend on what else runs.
process.on('SIGUSR2', async () => {
  const { user, system } = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuMicros: user + system })}\n`);
  if (!profileTo) return;
  if (!profiler) {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  } else {
    profileWritten = profiler.post('Profiler.stop').then(({ profile }) => {
      writeFileSync(profileTo, JSON.stringify(profile));
      process.stderr.write(`CPU profile of the measured run: ${profileTo}\n`);
    });
  }
});
process.on('SIGTERM', () => {
  void profileWritten.then(close).finally(() => process.exit(0));
});

async function productApp() {
  const database = await openDb({ dataDir: 'memory://' });
  await database.migrate();
  const config = loadConfig(
    {},
    {
      JWT_SECRET: randomBytes(32).toString('hex'),
      DATA_KEY: randomBytes(32).toString('base64'),
      WEB_DIST: '/nonexistent',
      LOG_LEVEL: 'silent',
      // The flood guard is per client address; the bench is one address sending thousands a second.
      RATE_LIMIT_PER_MINUTE: 1_000_000_000,
    },
  );
  const app = await buildApp({ config, database, logger: false });
  const registered = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: {
      email: 'bench@example.com',
      password: 'a long bench password',
      full_name: 'Bench',
      company: {
        legal_name_en: 'Bench Co',
        country: 'SA',
        vat_number: '399999999900003',
        registration_number: '1010010000',
        address: {
          street: 'Street',
          building_number: '1234',
          city: 'Riyadh',
          postal_code: '12345',
          country: 'SA',
        },
      },
    },
  });
  return {
    app,
    token: registered.json().access_token as string,
    close: () => app.close().then(() => database.close()),
  };
}

async function bareApp() {
  const app = Fastify({ logger: false });
  app.post('/api/v1/preview/calculate', async (request) => {
    const body = request.body as { lines?: unknown[] };
    return { is_valid: true, line_count: body.lines?.length ?? 0 };
  });
  return { app, token: 'none', close: () => app.close() };
}
