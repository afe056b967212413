// The API server for the preview bench, in its own process: in-memory database, one registered user, no
// logging. Prints {"port":…,"token":…} on one line once it listens.
import { randomBytes } from 'node:crypto';
import { openDb } from '@invoiceflow/db';
import { buildApp } from '../../apps/api/src/app';
import { loadConfig } from '../../apps/api/src/config';

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
const token = registered.json().access_token;
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
process.stdout.write(`${JSON.stringify({ port, token })}\n`);
// The bench asks for the CPU time spent so far: server CPU per request does not depend on what else runs.
process.on('SIGUSR2', () => {
  const { user, system } = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuMicros: user + system })}\n`);
});
process.on('SIGTERM', () => {
  void app
    .close()
    .then(() => database.close())
    .finally(() => process.exit(0));
});
