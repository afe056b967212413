import { schema } from '@invoiceflow/db';
import { and, eq, sql } from '@invoiceflow/db/orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestApp, registerUser, type TestApp } from '../../../test/support/app';
import { IDEMPOTENCY_PURGE_JOB } from './jobs';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ IDEMPOTENCY_TTL_DAYS: 3 });
  await t.app.ctx.jobs.start();
});
afterAll(() => t.close());

const SALE = {
  customer_name: 'Walk-in',
  line_items: [{ description: 'Coffee', quantity: 2, unit_price: 10 }],
};

async function newCompany() {
  const session = await registerUser(t.app);
  return { session, call: as(t.app, session) };
}

const generate = (call: ReturnType<typeof as>, payload: object, key: string) =>
  call({ method: 'POST', url: '/api/v1/invoices/generate', payload, headers: { 'idempotency-key': key } });

describe('idempotency keys', () => {
  it('forgets keys older than IDEMPOTENCY_TTL_DAYS when the purge job runs, and keeps younger ones', async () => {
    const { session, call } = await newCompany();
    const old = await generate(call, SALE, 'till-1:old');
    const recent = await generate(call, SALE, 'till-1:recent');
    expect([old.statusCode, recent.statusCode]).toEqual([201, 201]);
    await t.app.ctx.db
      .update(schema.idempotencyKeys)
      .set({ createdAt: sql`now() - interval '4 days'` })
      .where(
        and(
          eq(schema.idempotencyKeys.companyId, session.companyId),
          eq(schema.idempotencyKeys.key, 'till-1:old'),
        ),
      );
    // Before the purge the old key still answers its first request.
    expect((await generate(call, SALE, 'till-1:old')).headers['idempotent-replayed']).toBe('true');

    await t.app.ctx.jobs.enqueue(t.app.ctx.db, IDEMPOTENCY_PURGE_JOB, {});
    expect(await t.app.ctx.jobs.drain(IDEMPOTENCY_PURGE_JOB)).toBe(1);

    // Forgotten: the key is free for a new request (another sale, another invoice).
    const reused = await generate(call, { ...SALE, notes: 'next day' }, 'till-1:old');
    expect(reused.statusCode).toBe(201);
    expect(reused.headers['idempotent-replayed']).toBeUndefined();
    expect(reused.json().id).not.toBe(old.json().id);
    // Remembered: a retry within the TTL is still the first answer.
    const retry = await generate(call, SALE, 'till-1:recent');
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json().id).toBe(recent.json().id);
    expect((await call({ method: 'GET', url: '/api/v1/invoices' })).json().total).toBe(3);
  });

  it('keys each operation apart: one key may create a draft and issue another invoice', async () => {
    const { call } = await newCompany();
    const headers = { 'idempotency-key': 'order-77' };
    const draft = await call({ method: 'POST', url: '/api/v1/invoices', payload: SALE, headers });
    expect(draft.statusCode).toBe(201);
    const again = await call({ method: 'POST', url: '/api/v1/invoices', payload: SALE, headers });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(draft.json().id);
    const issued = await generate(call, SALE, 'order-77');
    expect(issued.statusCode).toBe(201);
    expect(issued.json().status).toBe('issued');
    const other = await call({
      method: 'POST',
      url: '/api/v1/invoices',
      payload: { ...SALE, notes: 'x' },
      headers,
    });
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});
