/**
 * Issue 8, parts 1 and 2 on PostgreSQL: several API processes (the real entry point) on one database, concurrent
 * clients issuing signed simplified invoices for one Saudi company — first undisturbed, then while one process at a
 * time is SIGKILLed at random moments and restarted. Skipped without a PostgreSQL server (the PGlite pass of CI).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from './support/api-process';
import { as, call, register, type Session, simplifiedInvoice } from './support/client';
import { type Cluster, startCluster } from './support/cluster';
import {
  checkIssuedState,
  readIssuedState,
  validateChainXml,
  verifyChainOverHttp,
} from './support/invariants';
import { issueWithRetries, percentile, runIssuingLoad } from './support/load';
import { createScratchDatabase, type ScratchDatabase } from './support/postgres';
import { counts, postgresUrl, SCALE } from './support/scale';

const adminUrl = postgresUrl();
if (!adminUrl) {
  if (SCALE === 'full')
    throw new Error('RELIABILITY_DATABASE_URL (or TEST_DATABASE_URL) is required for a full run');
  console.warn(
    '[reliability] SKIPPING multi-process PostgreSQL load: TEST_DATABASE_URL is not set (PGlite pass)',
  );
}

let database: ScratchDatabase;
let cluster: Cluster;

beforeAll(async () => {
  if (!adminUrl) return;
  database = await createScratchDatabase(adminUrl);
  cluster = await startCluster(database.url, counts.processes);
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
  await database?.drop();
}, 60_000);

const report = (label: string, value: unknown) =>
  console.info(`[reliability] ${label}: ${JSON.stringify(value)}`);

describe.skipIf(!adminUrl)(`issuing under load on PostgreSQL (${SCALE} scale)`, () => {
  it(`${counts.processes} processes, ${counts.clients} clients, ${counts.invoices} invoices: gapless, chained, valid`, async () => {
    const owner = await register(cluster.urls()[0] as string);
    const load = await runIssuingLoad({
      targets: cluster.urls,
      session: owner,
      invoices: counts.invoices,
      clients: counts.clients,
      retryNetworkErrors: false,
      keyPrefix: 'load',
    });
    report('load', {
      invoices: load.acks.length,
      seconds: +(load.elapsedMs / 1000).toFixed(1),
      perSecond: +(load.acks.length / (load.elapsedMs / 1000)).toFixed(1),
      p50: +percentile(load.latencies, 50).toFixed(0),
      p99: +percentile(load.latencies, 99).toFixed(0),
      inProgressRetries: load.inProgressRetries,
    });
    expect(load.failures).toEqual([]);
    expect(load.acks).toHaveLength(counts.invoices);

    // A retry of an acknowledged request (same key, same body) is answered with the same invoice.
    const sample = load.acks.filter((_, index) => index % 20 === 0);
    for (const ack of sample) {
      const index = Number(ack.key.split('-').at(-1));
      const replay = await as(cluster.urls()[index % counts.processes] as string, owner)(
        'POST',
        '/api/v1/invoices/generate',
        simplifiedInvoice(index),
        { 'idempotency-key': ack.key },
      );
      expect(replay.status).toBe(201);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.json().id).toBe(ack.id);
    }

    await expectConsistent(owner, load.acks, counts.invoices);
    const state = await readIssuedState(database.pool, owner.companyId);
    const validation = await validateChainXml(state.documents, counts.literalPihChecks);
    report('validator', { ...validation, failures: validation.failures.length });
    expect(validation.failures).toEqual([]);
    expect(cluster.crashes()).toEqual([]);
  }, 1_800_000);

  it(`SIGKILLs a process ${counts.kills} times during the load: nothing acknowledged lost, nothing doubled`, async () => {
    const owner = await register(cluster.urls()[0] as string);
    // Kill when the acknowledgements reach random points of the run, a random few milliseconds later.
    const thresholds = Array.from({ length: counts.kills }, (_, i) =>
      Math.floor(((i + 0.2 + Math.random() * 0.6) / (counts.kills + 0.5)) * counts.invoices),
    );
    let acked = 0;
    let kills = 0;
    let killer = Promise.resolve();
    const killLog: string[] = [];
    const load = runIssuingLoad({
      targets: cluster.urls,
      session: owner,
      invoices: counts.invoices,
      clients: counts.clients,
      retryNetworkErrors: true,
      keyPrefix: 'kill',
      onAck: () => {
        acked++;
        if (kills < thresholds.length && acked >= (thresholds[kills] as number)) {
          kills++;
          const victim = cluster.processes[Math.floor(Math.random() * cluster.processes.length)];
          if (!victim) return;
          killer = killer.then(async () => {
            await sleep(Math.random() * 150);
            const at = acked;
            await victim.kill('SIGKILL');
            const down = performance.now();
            await victim.start();
            killLog.push(`${victim.name} at ${at} acks, back in ${Math.round(performance.now() - down)} ms`);
          });
        }
      },
    });
    const result = await load;
    await killer;
    report('kills', killLog);
    report('load with kills', {
      invoices: result.acks.length,
      seconds: +(result.elapsedMs / 1000).toFixed(1),
      networkRetries: result.networkRetries,
      inProgressRetries: result.inProgressRetries,
      replays: result.replays,
    });
    expect(killLog.length).toBeGreaterThanOrEqual(counts.kills);
    expect(result.failures).toEqual([]);
    expect(result.acks).toHaveLength(counts.invoices);

    // Every key once more: the first answer again, never a second invoice.
    const stats = { networkRetries: 0, inProgressRetries: 0, replays: 0 };
    const again = await Promise.all(
      result.acks.map((ack, i) =>
        issueWithRetries(
          { targets: cluster.urls, session: owner, retryNetworkErrors: false },
          ack.key,
          simplifiedInvoice(Number(ack.key.split('-').at(-1))),
          i,
          stats,
        ),
      ),
    );
    const changed = again.filter((outcome, i) => !('id' in outcome) || outcome.id !== result.acks[i]?.id);
    expect(changed).toEqual([]);
    expect(stats.replays).toBe(result.acks.length);

    const state = await expectConsistent(owner, result.acks, counts.invoices);
    // A kill between the commit and storing the PDF leaves it to the first download, which must work.
    const missingPdf = state.invoices.length - state.pdfs;
    report('invoices without a stored PDF after the kills', missingPdf);
    const withoutPdf = await database.pool.query<{ id: string }>(
      `SELECT i.id FROM invoices i LEFT JOIN invoice_pdfs p ON p.invoice_id = i.id
          WHERE i.company_id = $1 AND p.invoice_id IS NULL LIMIT 10`,
      [owner.companyId],
    );
    for (const { id } of withoutPdf.rows) {
      const pdf = await as(cluster.urls()[0] as string, owner)('GET', `/api/v1/invoices/${id}/pdf`);
      expect(pdf.status).toBe(200);
    }
    expect(cluster.crashes()).toEqual([]);
  }, 1_800_000);
});

async function expectConsistent(
  owner: Session,
  acks: Parameters<typeof checkIssuedState>[1],
  expected: number,
) {
  const state = await readIssuedState(database.pool, owner.companyId);
  expect(checkIssuedState(state, acks, expected)).toEqual([]);
  const chain = await verifyChainOverHttp(cluster.urls()[0] as string, owner);
  report('chain verification', chain);
  expect(chain).toMatchObject({ ok: true, count: expected });
  // Nothing leaks between the scenario's companies: the chain endpoint of a fresh company is empty.
  const stranger = await register(cluster.urls()[0] as string);
  expect(
    (
      await call(cluster.urls()[0] as string, 'GET', '/api/v1/compliance/chain/verify', {
        token: stranger.accessToken,
        companyId: stranger.companyId,
      })
    ).json(),
  ).toMatchObject({ ok: true, count: 0 });
  return state;
}
