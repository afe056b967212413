import { schema } from '@invoiceflow/db';
import { and, eq, inArray } from '@invoiceflow/db/orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestApp, registerUser, type Session, type TestApp } from '../../../test/support/app';
import { createCustomer, type IssuedInvoice, issueInvoice } from '../../../test/support/receivables';
import { addDays, companyDate } from './company-date';
import { currentLevel, RECEIVABLES_JOB, runReceivablesPass } from './reminders';

let t: TestApp;
let owner: Session;
let call: ReturnType<typeof as>;
beforeAll(async () => {
  t = await createTestApp();
  await t.app.ctx.jobs.start();
  owner = await registerUser(t.app);
  call = as(t.app, owner);
});
afterAll(() => t.close());

const today = companyDate('Asia/Riyadh');

async function mailsOfCompany(kind: string) {
  return t.database.db
    .select()
    .from(schema.mailOutbox)
    .where(and(eq(schema.mailOutbox.companyId, owner.companyId), eq(schema.mailOutbox.kind, kind)));
}

describe('reminder levels', () => {
  it('picks the latest configured day reached, never an earlier missed one', () => {
    const days = [-3, 1, 7, 14];
    expect(currentLevel('2026-03-10', '2026-03-06', days)).toBeUndefined();
    expect(currentLevel('2026-03-10', '2026-03-07', days)).toBe(-3);
    expect(currentLevel('2026-03-10', '2026-03-10', days)).toBe(-3);
    expect(currentLevel('2026-03-10', '2026-03-11', days)).toBe(1);
    expect(currentLevel('2026-03-10', '2026-03-25', days)).toBe(14);
    expect(currentLevel('2026-02-27', '2026-03-06', days)).toBe(7); // across a month end
  });
});

describe('the daily receivables job', () => {
  let dueSoon: IssuedInvoice;
  let dayLate: IssuedInvoice;
  let weekLate: IssuedInvoice;
  let paidLate: IssuedInvoice;
  let noEmailLate: IssuedInvoice;
  let later: IssuedInvoice;
  let customerEmail: string;

  beforeAll(async () => {
    const customer = await createCustomer(call);
    customerEmail = customer.email;
    const silent = await createCustomer(call, { email: null });
    const issued = addDays(today, -30);
    const issue = (customerId: string, dueDate: string) =>
      issueInvoice(call, { customerId, net: '1000', invoiceDate: issued, dueDate });
    dueSoon = await issue(customer.id, addDays(today, 3)); // level −3 today
    dayLate = await issue(customer.id, addDays(today, -1)); // level 1
    weekLate = await issue(customer.id, addDays(today, -8)); // level 7 (1 was missed: not sent)
    paidLate = await issue(customer.id, addDays(today, -1)); // paid: nothing
    noEmailLate = await issue(silent.id, addDays(today, -2)); // no address: overdue notice only
    later = await issue(customer.id, addDays(today, 10)); // not yet: nothing
    await call({ method: 'POST', url: `/api/v1/invoices/${paidLate.id}/mark-paid`, payload: {} });
  });

  it('sends each reminder once, whatever repeated and concurrent runs happen', async () => {
    // The queued job twice in a row, then two passes racing, then the job again.
    for (let run = 0; run < 2; run++) {
      await t.app.ctx.jobs.enqueue(t.database.db, RECEIVABLES_JOB, {});
      expect(await t.app.ctx.jobs.drain(RECEIVABLES_JOB)).toBe(1);
    }
    await Promise.all([runReceivablesPass(t.database.db), runReceivablesPass(t.database.db)]);
    await t.app.ctx.jobs.enqueue(t.database.db, RECEIVABLES_JOB, {});
    await t.app.ctx.jobs.drain(RECEIVABLES_JOB);

    const reminders = await mailsOfCompany('reminder');
    expect(reminders.map((m) => `${m.refs.invoice_id} ${m.refs.level}`).sort()).toEqual(
      [`${dueSoon.id} -3`, `${dayLate.id} 1`, `${weekLate.id} 7`].sort(),
    );
    expect(reminders.every((m) => m.toAddress === customerEmail)).toBe(true);
    const late = reminders.find((m) => m.refs.invoice_id === dayLate.id);
    expect(late?.subject).toBe(
      `Payment reminder: invoice ${dayLate.invoice_number} from Maximum Speed Tech Supply LTD`,
    );
    expect(late?.textBody).toMatch(/is 1 day overdue\. The amount outstanding is SAR\s1,150\.00\./);
    const rows = await t.database.db
      .select()
      .from(schema.invoiceReminders)
      .where(eq(schema.invoiceReminders.companyId, owner.companyId));
    expect(rows).toHaveLength(3);

    // The overdue pass noticed each overdue, unpaid invoice once and told the owner once.
    const notices = await t.database.db
      .select()
      .from(schema.invoiceOverdueNotices)
      .where(eq(schema.invoiceOverdueNotices.companyId, owner.companyId));
    expect(notices.map((n) => n.invoiceId).sort()).toEqual([dayLate.id, weekLate.id, noEmailLate.id].sort());
    const digests = await mailsOfCompany('overdue_notice');
    expect(digests).toHaveLength(1);
    expect(digests[0]).toMatchObject({ toAddress: owner.email, subject: '3 invoices became overdue' });
  });

  it('sends the next level when its day comes, and nothing once paid', async () => {
    await call({ method: 'POST', url: `/api/v1/invoices/${weekLate.id}/mark-paid`, payload: {} });
    // A week later: dueSoon is 4 days late (level 1), dayLate 8 days (level 7), weekLate is paid, `later` is due
    // in 3 days (level −3).
    const inAWeek = new Date(Date.now() + 7 * 86_400_000);
    await t.app.ctx.jobs.enqueue(t.database.db, RECEIVABLES_JOB, { at: inAWeek.toISOString() });
    await t.app.ctx.jobs.drain(RECEIVABLES_JOB);
    await runReceivablesPass(t.database.db, { now: inAWeek });
    const reminders = await mailsOfCompany('reminder');
    expect(reminders.map((m) => `${m.refs.invoice_id} ${m.refs.level}`).sort()).toEqual(
      [
        `${dueSoon.id} -3`,
        `${dueSoon.id} 1`,
        `${dayLate.id} 1`,
        `${dayLate.id} 7`,
        `${weekLate.id} 7`,
        `${later.id} -3`,
      ].sort(),
    );
    const digests = await mailsOfCompany('overdue_notice');
    expect(digests.map((d) => d.subject)).toEqual(['3 invoices became overdue', '1 invoice became overdue']);
  });

  it('sends nothing for a company that turned reminders off', async () => {
    const other = await registerUser(t.app);
    const otherCall = as(t.app, other);
    await otherCall({
      method: 'PUT',
      url: '/api/v1/settings/reminders',
      payload: { is_enabled: false, is_overdue_notice_enabled: false },
    });
    const customer = await createCustomer(otherCall);
    const invoice = await issueInvoice(otherCall, {
      customerId: customer.id,
      invoiceDate: addDays(today, -20),
      dueDate: addDays(today, -5),
    });
    await runReceivablesPass(t.database.db);
    const mails = await t.database.db
      .select()
      .from(schema.mailOutbox)
      .where(
        and(
          eq(schema.mailOutbox.companyId, other.companyId),
          inArray(schema.mailOutbox.kind, ['reminder', 'overdue_notice']),
        ),
      );
    expect(mails).toEqual([]);
    expect(invoice.id).toBeDefined();
  });

  it('answers the overdue amount in the currency’s digits, also for an invoice stored before amounts had them', async () => {
    const other = await registerUser(t.app);
    const otherCall = as(t.app, other);
    const customer = await createCustomer(otherCall);
    const invoice = await issueInvoice(otherCall, {
      customerId: customer.id,
      invoiceDate: addDays(today, -20),
      dueDate: addDays(today, -5),
    });
    // As such a row was written: the amount without the currency's digits.
    await t.database.db
      .update(schema.invoices)
      .set({ payableAmount: '1150' })
      .where(eq(schema.invoices.id, invoice.id));
    await runReceivablesPass(t.database.db);
    const log = (await otherCall({ method: 'GET', url: '/api/v1/audit-log' })).json();
    const overdue = log.entries.find((e: { action: string }) => e.action === 'invoice.overdue');
    expect(overdue?.data).toMatchObject({ outstanding_amount: '1150.00' });
  });
});
