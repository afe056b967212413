/**
 * Issue 8, part 2 on the embedded database (PGlite in DATA_DIR, one process): issue invoices while the process is
 * SIGKILLed and restarted on the same data directory; nothing acknowledged may be lost or doubled, and the chain
 * verifies. Runs on the PGlite pass of CI (skipped when TEST_DATABASE_URL selects PostgreSQL) and in full runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDb } from '@invoiceflow/db';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiProcess, deploymentSecrets, sleep } from './support/api-process';
import { register, simplifiedInvoice } from './support/client';
import { LOAD_ENV } from './support/cluster';
import { checkIssuedState, readIssuedState, verifyChainOverHttp } from './support/invariants';
import { issueWithRetries, runIssuingLoad } from './support/load';
import { counts, SCALE } from './support/scale';

const isPostgresPass = SCALE === 'ci' && Boolean(process.env.TEST_DATABASE_URL);
if (isPostgresPass)
  console.warn('[reliability] SKIPPING the embedded-database kill test on the PostgreSQL pass');

const dataDir = mkdtempSync(path.join(tmpdir(), 'invoiceflow-rel-pglite-'));
const server = new ApiProcess({
  name: 'embedded',
  env: { DATA_DIR: dataDir, DATABASE_URL: '', RUN_JOBS: 'true', ...deploymentSecrets(), ...LOAD_ENV },
});

afterAll(async () => {
  await server.kill();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe.skipIf(isPostgresPass)(`the embedded database survives SIGKILL (${SCALE} scale)`, () => {
  it(`${counts.embeddedKills} kills while issuing ${counts.embeddedInvoices} invoices: nothing acknowledged lost`, async () => {
    await server.start();
    const owner = await register(server.url);
    const thresholds = Array.from({ length: counts.embeddedKills }, (_, i) =>
      Math.floor(((i + 0.2 + Math.random() * 0.6) / (counts.embeddedKills + 0.5)) * counts.embeddedInvoices),
    );
    let acked = 0;
    const kills: string[] = [];
    let killer = Promise.resolve();
    const load = await runIssuingLoad({
      targets: () => [server.url],
      session: owner,
      invoices: counts.embeddedInvoices,
      clients: 8,
      retryNetworkErrors: true,
      keyPrefix: 'embedded',
      onAck: () => {
        acked++;
        if (kills.length < thresholds.length && acked >= (thresholds[kills.length] as number)) {
          kills.push(`at ${acked} acks`);
          killer = killer.then(async () => {
            await sleep(Math.random() * 100);
            await server.kill('SIGKILL');
            await server.start();
          });
        }
      },
    });
    await killer;
    console.info(
      `[reliability] embedded: ${JSON.stringify({ kills, networkRetries: load.networkRetries, replays: load.replays })}`,
    );
    expect(kills).toHaveLength(counts.embeddedKills);
    expect(load.failures).toEqual([]);
    expect(load.acks).toHaveLength(counts.embeddedInvoices);

    // One last kill right after the last acknowledgement: the last commits must be on disk, not in a buffer.
    await server.kill('SIGKILL');
    await server.start();
    const stats = { networkRetries: 0, inProgressRetries: 0, replays: 0 };
    for (const [i, ack] of load.acks.slice(0, 20).entries()) {
      const again = await issueWithRetries(
        { targets: () => [server.url], session: owner, retryNetworkErrors: false },
        ack.key,
        simplifiedInvoice(Number(ack.key.split('-').at(-1))),
        i,
        stats,
      );
      expect('id' in again && again.id).toBe(ack.id);
    }
    expect(await verifyChainOverHttp(server.url, owner)).toMatchObject({
      ok: true,
      count: counts.embeddedInvoices,
    });

    await server.stop();
    const database = await openDb({ dataDir });
    try {
      const state = await readIssuedState(
        { query: (text, values) => database.execute(text, values) as never },
        owner.companyId,
      );
      expect(checkIssuedState(state, load.acks, counts.embeddedInvoices)).toEqual([]);
    } finally {
      await database.close();
    }
    expect(server.crashes).toEqual([]);
  }, 1_200_000);
});
