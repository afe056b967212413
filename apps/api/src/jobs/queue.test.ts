import { Writable } from 'node:stream';
import { sql } from '@invoiceflow/db/orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app';

let t: TestApp;
const handled: string[] = [];
beforeAll(async () => {
  t = await createTestApp();
  t.app.ctx.jobs.define<{ label: string }>({
    name: 'test-echo',
    async handle(data) {
      handled.push(data.label);
    },
  });
  t.app.ctx.jobs.define<{ label: string }>({
    name: 'test-keyed',
    policy: 'short',
    async handle(data) {
      handled.push(data.label);
    },
  });
  await t.app.ctx.jobs.start();
});
afterAll(() => t.close());

describe('job queue', () => {
  it('runs a job enqueued in a committed transaction, and nothing of a rolled-back one', async () => {
    await t.database.db.transaction(async (tx) => {
      await t.app.ctx.jobs.enqueue(tx, 'test-echo', { label: 'committed' });
    });
    await t.database.db
      .transaction(async (tx) => {
        await t.app.ctx.jobs.enqueue(tx, 'test-echo', { label: 'rolled back' });
        await tx.execute(sql`SELECT 1/0`);
      })
      .catch(() => undefined);
    expect(await t.app.ctx.jobs.drain('test-echo')).toBe(1);
    expect(handled).toEqual(['committed']);
  });

  it('keeps one waiting job per key', async () => {
    handled.length = 0;
    for (let i = 0; i < 3; i++)
      await t.app.ctx.jobs.enqueue(
        t.database.db,
        'test-keyed',
        { label: `keyed-${i}` },
        { key: 'invoice-1' },
      );
    expect(await t.app.ctx.jobs.drain('test-keyed')).toBe(1);
    expect(handled).toEqual(['keyed-0']);
  });
});

describe('a failing job', () => {
  it('is logged through the log serializer: the failed query is named, its values are not', async () => {
    const lines: string[] = [];
    const logStream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logged = await createTestApp({}, { logStream });
    try {
      logged.app.ctx.jobs.define({
        name: 'test-failing-query',
        retryLimit: 0,
        async handle() {
          await logged.database.db.execute(sql`SELECT ${'nadia.private@example.com'}::int`);
        },
      });
      await logged.app.ctx.jobs.start();
      await logged.app.ctx.jobs.enqueue(logged.database.db, 'test-failing-query', {});
      await logged.app.ctx.jobs.work();
      while (!lines.some((line) => line.includes('job failed'))) await new Promise((r) => setTimeout(r, 100));
      const line = JSON.parse(lines.find((l) => l.includes('job failed')) as string);
      expect(line).toMatchObject({ job: 'test-failing-query', err: { type: 'DrizzleQueryError' } });
      expect(line.err.cause.code).toBe('22P02');
      expect(lines.join('')).not.toContain('nadia');
    } finally {
      await logged.close();
    }
  });
});
