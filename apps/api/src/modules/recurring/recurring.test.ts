import { schema } from '@invoiceflow/db';
import { and, eq, inArray } from '@invoiceflow/db/orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  type Call,
  createTestApp,
  openSecondApp,
  registerUser,
  type Session,
  type TestApp,
} from '../../../test/support/app';
import { createCustomer } from '../../../test/support/receivables';
import { duePeriods, periodDate } from './periods';
import { RECURRING_JOB, runRecurringPass } from './service';

let t: TestApp;
let second: TestApp | undefined;
let owner: Session;
let call: Call;
beforeAll(async () => {
  t = await createTestApp();
  await t.app.ctx.jobs.start();
  // On PostgreSQL a second process on the same database; PGlite has one connection, so both runners share it.
  second = await openSecondApp(t);
  owner = await registerUser(t.app);
  call = as(t.app, owner);
});
afterAll(async () => {
  await second?.close();
  await t.close();
});

const template = {
  line_items: [{ description: 'Monthly retainer', quantity: 1, unit_price: '1000', vat_rate: 15 }],
  payment_terms_days: 14,
};

async function createSchedule(payload: Record<string, unknown>) {
  const customer = await createCustomer(call);
  const response = await call({
    method: 'POST',
    url: '/api/v1/recurring-invoices',
    payload: { customer_id: customer.id, template, ...payload },
  });
  expect(response.statusCode, response.body).toBe(201);
  return { ...(response.json() as { id: string; next_period_date: string | null }), customerId: customer.id };
}

async function runsOf(id: string) {
  const response = await call({ method: 'GET', url: `/api/v1/recurring-invoices/${id}/runs` });
  expect(response.statusCode).toBe(200);
  return response.json().runs as { period_date: string; outcome: string; invoice_id: string | null }[];
}

async function invoicesOf(customerId: string) {
  return t.database.db
    .select({ id: schema.invoices.id, status: schema.invoices.status, issueDate: schema.invoices.issueDate })
    .from(schema.invoices)
    .where(and(eq(schema.invoices.companyId, owner.companyId), eq(schema.invoices.customerId, customerId)));
}

describe('period dates', () => {
  const rule = { dayOfMonth: 31, startDate: '2025-01-15', endDate: null, maxCount: null } as const;
  it('falls on the last day of a shorter month and on the 31st again after it', () => {
    const dates = Array.from({ length: 5 }, (_, n) => periodDate({ ...rule, frequency: 'monthly' }, n));
    expect(dates).toEqual(['2025-01-31', '2025-02-28', '2025-03-31', '2025-04-30', '2025-05-31']);
    expect(periodDate({ ...rule, frequency: 'monthly', startDate: '2028-01-31' }, 1)).toBe('2028-02-29');
  });
  it('starts on the first day of the rule on or after the start date, and stops at the end or the count', () => {
    const quarterly = { ...rule, frequency: 'quarterly', dayOfMonth: 10 } as const;
    expect(periodDate(quarterly, 0)).toBe('2025-04-10');
    expect(duePeriods({ ...quarterly, endDate: '2026-01-09' }, '2030-01-01')).toEqual([
      '2025-04-10',
      '2025-07-10',
      '2025-10-10',
    ]);
    expect(duePeriods({ ...rule, frequency: 'weekly', dayOfMonth: null, maxCount: 3 }, '2030-01-01')).toEqual(
      ['2025-01-15', '2025-01-22', '2025-01-29'],
    );
  });
});

describe('the recurring job across 14 months', () => {
  it('makes exactly one invoice per schedule and period, whatever runs twice, late or at once', async () => {
    const monthly = await createSchedule({
      frequency: 'monthly',
      day_of_month: 31,
      start_date: '2025-01-15',
      mode: 'issue',
    });
    const weekly = await createSchedule({
      frequency: 'weekly',
      start_date: '2025-01-06',
      max_count: 10,
      mode: 'draft',
    });
    const quarterly = await createSchedule({
      frequency: 'quarterly',
      day_of_month: 15,
      start_date: '2025-01-01',
      end_date: '2025-12-31',
      mode: 'issue',
      auto_send: true,
    });
    const runners = [t.app.ctx, (second ?? t).app.ctx];

    // The company's calendar decides the day: 23:00 in Riyadh on 30 January is not yet the 31st; 00:30 is.
    await runRecurringPass(t.app.ctx, { now: new Date('2025-01-30T20:00:00Z') });
    expect((await runsOf(monthly.id)).map((r) => r.period_date)).toEqual([]);
    await runRecurringPass(t.app.ctx, { now: new Date('2025-01-30T21:30:00Z') });
    expect((await runsOf(monthly.id)).map((r) => r.period_date)).toEqual(['2025-01-31']);

    // Every 4 days from February 2025 to March 2026, with a downtime from May to late August (the catch-up
    // makes each missed period once): each tick runs twice in a row, every third tick two runners race, and
    // every fifth goes through the queue.
    let tick = 0;
    for (
      let at = Date.parse('2025-02-01T06:00:00Z');
      at < Date.parse('2026-03-10T00:00:00Z');
      at += 4 * 86_400_000
    ) {
      const now = new Date(at);
      if (now >= new Date('2025-05-02') && now < new Date('2025-08-25')) continue;
      tick++;
      if (tick % 3 === 0) {
        await Promise.all(runners.map((ctx) => runRecurringPass(ctx, { now })));
      } else if (tick % 5 === 0) {
        await t.app.ctx.jobs.enqueue(t.database.db, RECURRING_JOB, { at: now.toISOString() });
        await t.app.ctx.jobs.drain(RECURRING_JOB);
      } else {
        await runRecurringPass(runners[tick % 2] ?? t.app.ctx, { now });
      }
      await runRecurringPass(t.app.ctx, { now });
    }

    const months = [
      '2025-01-31',
      '2025-02-28',
      '2025-03-31',
      '2025-04-30',
      '2025-05-31',
      '2025-06-30',
      '2025-07-31',
      '2025-08-31',
      '2025-09-30',
      '2025-10-31',
      '2025-11-30',
      '2025-12-31',
      '2026-01-31',
      '2026-02-28',
    ];
    const monthlyRuns = await runsOf(monthly.id);
    expect(monthlyRuns.map((r) => r.period_date)).toEqual(months);
    expect(monthlyRuns.every((r) => r.outcome === 'issued')).toBe(true);
    const monthlyInvoices = await invoicesOf(monthly.customerId);
    expect(monthlyInvoices.map((i) => i.issueDate).sort()).toEqual(months);
    expect(new Set(monthlyRuns.map((r) => r.invoice_id))).toEqual(new Set(monthlyInvoices.map((i) => i.id)));

    const weeklyRuns = await runsOf(weekly.id);
    expect(weeklyRuns).toHaveLength(10);
    expect(weeklyRuns.map((r) => r.period_date).at(-1)).toBe('2025-03-10');
    // A draft names its customer in its request only (the row refers to it once issued).
    const drafts = await t.database.db
      .select({ status: schema.invoices.status })
      .from(schema.invoices)
      .where(
        inArray(
          schema.invoices.id,
          weeklyRuns.map((r) => r.invoice_id as string),
        ),
      );
    expect(drafts).toHaveLength(10);
    expect(drafts.every((i) => i.status === 'draft')).toBe(true);

    const quarterlyRuns = await runsOf(quarterly.id);
    expect(quarterlyRuns.map((r) => `${r.period_date} ${r.outcome}`)).toEqual([
      '2025-01-15 sent',
      '2025-04-15 sent',
      '2025-07-15 sent',
      '2025-10-15 sent',
    ]);
    const sentIds = (await invoicesOf(quarterly.customerId)).map((i) => i.id);
    expect(sentIds).toHaveLength(4);
    const mails = await t.database.db
      .select({ refs: schema.mailOutbox.refs })
      .from(schema.mailOutbox)
      .where(and(eq(schema.mailOutbox.kind, 'invoice'), eq(schema.mailOutbox.companyId, owner.companyId)));
    expect(mails.map((m) => m.refs.invoice_id).sort()).toEqual([...sentIds].sort());

    // Issued through the one pipeline: each Saudi invoice is signed into the chain, once.
    const signed = await t.database.db
      .select({ invoiceId: schema.einvoiceDocuments.invoiceId })
      .from(schema.einvoiceDocuments)
      .where(inArray(schema.einvoiceDocuments.invoiceId, [...monthlyInvoices.map((i) => i.id), ...sentIds]));
    expect(signed).toHaveLength(18);
  }, 300_000);
});

describe('pause and resume', () => {
  it('skips the periods that fell while paused, or makes each once with catch_up', async () => {
    const skipping = await createSchedule({ frequency: 'monthly', start_date: '2025-01-10', mode: 'issue' });
    const catching = await createSchedule({ frequency: 'monthly', start_date: '2025-01-10', mode: 'issue' });
    await runRecurringPass(t.app.ctx, { now: new Date('2025-01-20T12:00:00Z') });
    for (const { id } of [skipping, catching]) {
      const paused = await call({
        method: 'POST',
        url: `/api/v1/recurring-invoices/${id}/pause`,
        payload: {},
      });
      expect(paused.json().status).toBe('paused');
    }
    await runRecurringPass(t.app.ctx, { now: new Date('2025-04-20T12:00:00Z') });
    expect(await runsOf(skipping.id)).toHaveLength(1);

    await call({ method: 'POST', url: `/api/v1/recurring-invoices/${skipping.id}/resume`, payload: {} });
    await call({
      method: 'POST',
      url: `/api/v1/recurring-invoices/${catching.id}/resume`,
      payload: { catch_up: true },
    });
    // Resuming without catch_up skips every period due by the day it resumes (today, for real).
    await runRecurringPass(t.app.ctx, { now: new Date('2025-05-20T12:00:00Z') });
    expect(
      (await runsOf(skipping.id)).filter((r) => r.outcome === 'issued').map((r) => r.period_date),
    ).toEqual(['2025-01-10']);
    expect((await runsOf(catching.id)).map((r) => `${r.period_date} ${r.outcome}`)).toEqual([
      '2025-01-10 issued',
      '2025-02-10 issued',
      '2025-03-10 issued',
      '2025-04-10 issued',
      '2025-05-10 issued',
    ]);
  }, 120_000);

  it('pauses a schedule whose invoice no longer issues, and says why', async () => {
    const broken = await createSchedule({ frequency: 'monthly', start_date: '2025-01-10', mode: 'issue' });
    await call({
      method: 'PATCH',
      url: `/api/v1/recurring-invoices/${broken.id}`,
      payload: {
        template: { line_items: [{ description: 'X', quantity: 1, unit_price: '10', vat_rate: 7 }] },
      },
    });
    await runRecurringPass(t.app.ctx, { now: new Date('2025-01-20T12:00:00Z') });
    const after = await call({ method: 'GET', url: `/api/v1/recurring-invoices/${broken.id}` });
    expect(after.json()).toMatchObject({ status: 'paused', last_error: { period_date: '2025-01-10' } });
    expect(await runsOf(broken.id)).toEqual([]);
  });

  it('refuses a day of the month on a weekly schedule with the field', async () => {
    const customer = await createCustomer(call);
    const response = await call({
      method: 'POST',
      url: '/api/v1/recurring-invoices',
      payload: {
        customer_id: customer.id,
        frequency: 'weekly',
        day_of_month: 3,
        start_date: '2025-01-01',
        template,
      },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toEqual([expect.objectContaining({ path: 'day_of_month' })]);
  });
});
