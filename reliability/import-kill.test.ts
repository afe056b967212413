/**
 * A worker SIGKILLed in the middle of a large import, on PostgreSQL: the import writes its rows in ONE
 * transaction, so the killed run leaves none of them, and the restarted process's recovery sweep (the run's
 * advisory lock is free once its session died) starts the run again, to completion, counting the attempt; an
 * import whose worker dies under it three times is failed, with nothing imported, instead of started a fourth time.
 * Skipped without a PostgreSQL server (the PGlite pass of CI).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiProcess, deploymentSecrets, sleep } from './support/api-process';
import { as, register, type Session } from './support/client';
import { createScratchDatabase, type ScratchDatabase } from './support/postgres';
import { postgresUrl, SCALE } from './support/scale';

const adminUrl = postgresUrl();
if (!adminUrl) {
  console.warn('[reliability] SKIPPING the killed-import test: TEST_DATABASE_URL is not set (PGlite pass)');
}

const ROWS = SCALE === 'full' ? 100_000 : 40_000;

let database: ScratchDatabase;
let api: ApiProcess;

beforeAll(async () => {
  if (!adminUrl) return;
  database = await createScratchDatabase(adminUrl);
  // One process that serves HTTP and works the queue, as `npm start` runs it: the one that is killed.
  api = new ApiProcess({
    name: 'api',
    env: { ...deploymentSecrets(), DATABASE_URL: database.url },
  });
  await api.start();
}, 180_000);

afterAll(async () => {
  await api?.stop();
  await database?.drop();
}, 60_000);

function customersCsv(): string {
  const lines = ['name,email,city,country,payment_terms'];
  for (let i = 1; i <= ROWS; i++) lines.push(`Imported ${i},c${i}@example.com,Riyadh,SA,30`);
  return `${lines.join('\n')}\n`;
}

async function waitFor<T>(what: string, read: () => Promise<T>, isDone: (value: T) => boolean, ms: number) {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!isDone(value)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await sleep(100);
    value = await read();
  }
  return value;
}

const customerRows = async (companyId: string) =>
  Number(
    (await database.pool.query('SELECT count(*) AS n FROM customers WHERE company_id = $1', [companyId]))
      .rows[0].n,
  );

describe.skipIf(!adminUrl)('a worker killed in the middle of an import (PostgreSQL)', () => {
  it(`leaves none of ${ROWS} rows, and the restarted worker imports them all once`, async () => {
    const owner: Session = await register(api.url);
    const upload = await fetch(`${api.url}/api/v1/imports?type=customers&file_name=customers.csv`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${owner.accessToken}`,
        'x-company-id': owner.companyId,
        'content-type': 'text/csv',
      },
      body: customersCsv(),
    });
    expect(upload.status).toBe(201);
    const id = (await upload.json()).id as string;
    const get = async () => (await as(api.url, owner)('GET', `/api/v1/imports/${id}`)).json();

    expect((await as(api.url, owner)('POST', `/api/v1/imports/${id}/dry-run`)).status).toBe(202);
    const checked = await waitFor('dry run', get, (job) => job.status !== 'validating', 120_000);
    expect(checked).toMatchObject({ status: 'validated', error_count: 0, progress: { rows_total: ROWS } });

    expect((await as(api.url, owner)('POST', `/api/v1/imports/${id}/run`)).status).toBe(202);
    // Mid-way: batches of rows are written inside the run's transaction, not yet committed.
    const running = await waitFor(
      'import under way',
      get,
      (job) => job.status !== 'importing' || job.progress.rows_done >= 2_000,
      120_000,
    );
    expect(running.status).toBe('importing');
    expect(running.progress.rows_done).toBeLessThan(ROWS);
    await api.kill('SIGKILL');

    // Nothing half-imported: not one row of the killed run is in the table; the import still says importing.
    expect(await customerRows(owner.companyId)).toBe(0);
    const left = await database.pool.query('SELECT status, attempts FROM imports WHERE id = $1', [id]);
    expect(left.rows[0]).toEqual({ status: 'importing', attempts: 1 });

    // The restarted process finds the abandoned run (its lock is free) and runs it again, to the end.
    await api.start();
    const done = await waitFor('import after restart', get, (job) => job.status !== 'importing', 300_000);
    expect(done).toMatchObject({
      status: 'imported',
      attempts: 2,
      result: { customers: ROWS },
      progress: { rows_done: ROWS, rows_total: ROWS },
    });
    expect(await customerRows(owner.companyId)).toBe(ROWS);
    // Once: no customer twice.
    const twice = await database.pool.query(
      'SELECT count(*) AS n FROM (SELECT email FROM customers WHERE company_id = $1 GROUP BY email HAVING count(*) > 1) d',
      [owner.companyId],
    );
    expect(Number(twice.rows[0].n)).toBe(0);
    expect(api.crashes).toEqual([]);
  }, 900_000);

  it('fails an import cleanly, with nothing imported, once its worker has died under it three times', async () => {
    const owner: Session = await register(api.url);
    const upload = await fetch(`${api.url}/api/v1/imports?type=customers&file_name=again.csv`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${owner.accessToken}`,
        'x-company-id': owner.companyId,
        'content-type': 'text/csv',
      },
      body: customersCsv(),
    });
    const id = (await upload.json()).id as string;
    const get = async () => (await as(api.url, owner)('GET', `/api/v1/imports/${id}`)).json();
    await as(api.url, owner)('POST', `/api/v1/imports/${id}/dry-run`);
    await waitFor('dry run', get, (job) => job.status !== 'validating', 120_000);
    await as(api.url, owner)('POST', `/api/v1/imports/${id}/run`);
    for (let attempt = 1; attempt <= 3; attempt++) {
      // Each run (the first, then the sweep's) killed mid-way.
      const running = await waitFor(
        `run ${attempt} under way`,
        get,
        (job) => job.status !== 'importing' || (job.attempts === attempt && job.progress.rows_done >= 2_000),
        300_000,
      );
      expect(running).toMatchObject({ status: 'importing', attempts: attempt });
      await api.kill('SIGKILL');
      expect(await customerRows(owner.companyId)).toBe(0);
      await api.start();
    }
    const failed = await waitFor('the fourth start', get, (job) => job.status !== 'importing', 300_000);
    expect(failed).toMatchObject({ status: 'failed', attempts: 3, failure: { code: 'IMPORT_INTERRUPTED' } });
    expect(await customerRows(owner.companyId)).toBe(0);
    expect(api.crashes).toEqual([]);
  }, 900_000);
});
