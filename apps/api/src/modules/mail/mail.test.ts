import { schema } from '@invoiceflow/db';
import { eq } from '@invoiceflow/db/orm';
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestApp, registerUser, type Session, type TestApp } from '../../../test/support/app';
import { createCustomer, issueInvoice } from '../../../test/support/receivables';
import { header, mimePart, type Received, startSmtpServer } from '../../../test/support/smtp';
import { enqueueMail } from './queries';
import { backoffSeconds, drainOutbox } from './sender';
import { MAIL_DRAIN_JOB } from './service';

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let t: TestApp;
let owner: Session;
let call: ReturnType<typeof as>;
beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await createTestApp({
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Billing <billing@invoiceflow.test>',
    MAIL_RETRY_SECONDS: 1,
    MAIL_MAX_ATTEMPTS: 3,
    MAIL_POLL_SECONDS: 1,
    MAIL_SENDS_PER_COMPANY_PER_DAY: 3,
  });
  await t.app.ctx.jobs.start();
  owner = await registerUser(t.app);
  // These tests count what reaches the SMTP server: the registration's verification mail is not one of theirs.
  await t.database.db.delete(schema.mailOutbox).where(eq(schema.mailOutbox.kind, 'email_verification'));
  call = as(t.app, owner);
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

const outboxRow = async (id: string) =>
  (await t.database.db.select().from(schema.mailOutbox).where(eq(schema.mailOutbox.id, id)))[0];

async function runDrainJob(): Promise<void> {
  await t.app.ctx.jobs.enqueue(t.database.db, MAIL_DRAIN_JOB, {});
  await t.app.ctx.jobs.drain(MAIL_DRAIN_JOB);
}

describe('e-mail through SMTP', () => {
  it('sends an invoice with its PDF to the customer, after the server refused it once', async () => {
    const customer = await createCustomer(call);
    const invoice = await issueInvoice(call, { customerId: customer.id, net: '5000', dueDate: '2099-01-31' });
    const sent = await call({ method: 'POST', url: `/api/v1/invoices/${invoice.id}/send`, payload: {} });
    expect(sent.statusCode).toBe(202);
    expect(sent.json()).toMatchObject({
      invoice_id: invoice.id,
      to: customer.email,
      status: 'sent',
      mail_status: 'queued',
    });
    expect((await call({ method: 'GET', url: `/api/v1/invoices/${invoice.id}` })).json()).toMatchObject({
      stored_status: 'sent',
    });
    const [row] = await t.database.db
      .select()
      .from(schema.mailOutbox)
      .where(eq(schema.mailOutbox.toAddress, customer.email));
    expect(row).toMatchObject({ kind: 'invoice', status: 'pending', refs: { invoice_id: invoice.id } });

    smtp.state.refuse = 1;
    const before = Date.now();
    await runDrainJob();
    const refused = await outboxRow(row?.id as string);
    expect(refused).toMatchObject({ status: 'pending', attempts: 1 });
    expect(refused?.lastError).toMatch(/451|try again/i);
    // Retried after MAIL_RETRY_SECONDS (1 s), not at once.
    expect(refused?.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before + 1000);
    expect(smtp.received).toHaveLength(0);

    // After the backoff the next drain sends it.
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, (refused?.nextAttemptAt.getTime() ?? 0) - Date.now() + 50)),
    );
    await runDrainJob();
    const delivered = await outboxRow(row?.id as string);
    expect(delivered).toMatchObject({ status: 'sent', attempts: 2, lastError: null });

    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0] as Received;
    expect(mail.to).toEqual([customer.email]);
    expect(mail.from).toBe('billing@invoiceflow.test');
    expect(header(mail.raw, 'Subject')).toBe(
      `Invoice ${invoice.invoice_number} from Maximum Speed Tech Supply LTD`,
    );
    const pdf = mimePart(mail.raw, 'application/pdf');
    expect(pdf?.headers).toContain(`${invoice.invoice_number}.pdf`);
    expect(pdf?.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf?.body.length).toBeGreaterThan(5000);
  });

  it('sends password resets and other mail without attachments', async () => {
    await call({ method: 'POST', url: '/api/v1/auth/password/forgot', payload: { email: owner.email } });
    await runDrainJob();
    const reset = smtp.received.find((m) => m.to.includes(owner.email));
    expect(reset).toBeDefined();
    expect(mimePart(reset?.raw ?? '', 'application/pdf')).toBeUndefined();
  });

  it('refuses to send without an address, and a missing invoice answers 404', async () => {
    const invoice = await issueInvoice(call, {});
    const response = await call({ method: 'POST', url: `/api/v1/invoices/${invoice.id}/send`, payload: {} });
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe('CUSTOMER_EMAIL_MISSING');
    const missing = await call({
      method: 'POST',
      url: '/api/v1/invoices/00000000-0000-4000-8000-000000000000/send',
      payload: { to: 'x@example.com' },
    });
    expect(missing.statusCode).toBe(404);
  });

  it('sends at most MAIL_SENDS_PER_COMPANY_PER_DAY invoices a day per company, then 429 with Retry-After', async () => {
    const session = await registerUser(t.app);
    const c = as(t.app, session);
    const customer = await createCustomer(c);
    const invoices = [];
    for (let i = 0; i < 4; i++) invoices.push(await issueInvoice(c, { customerId: customer.id }));
    const send = (id: string) => c({ method: 'POST', url: `/api/v1/invoices/${id}/send`, payload: {} });
    for (const invoice of invoices.slice(0, 3)) expect((await send(invoice.id)).statusCode).toBe(202);
    const refused = await send(invoices[3]?.id as string);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json().code).toBe('MAIL_SEND_LIMIT_REACHED');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 86_400).toBe(true);
    // Nothing of the refused send happened: no mail queued, the invoice not marked sent.
    expect(
      (await c({ method: 'GET', url: `/api/v1/invoices/${invoices[3]?.id}` })).json().stored_status,
    ).toBe('issued');
    const queued = await t.database.db
      .select()
      .from(schema.mailOutbox)
      .where(eq(schema.mailOutbox.companyId, session.companyId));
    expect(queued).toHaveLength(3);
    // The limit is the company's: another one sends as usual.
    const other = as(t.app, await registerUser(t.app));
    const theirs = await issueInvoice(other, { customerId: (await createCustomer(other)).id });
    expect(
      (await other({ method: 'POST', url: `/api/v1/invoices/${theirs.id}/send`, payload: {} })).statusCode,
    ).toBe(202);
  });

  it('takes a plain-text message only: no HTML, no control characters, at most 1000 characters', async () => {
    const customer = await createCustomer(call);
    const invoice = await issueInvoice(call, { customerId: customer.id });
    for (const [message, code] of [
      ['Pay now: <a href="https://evil.example/login">your bank</a>', 'MARKUP_NOT_ALLOWED'],
      ['<img src=x onerror=alert(1)>', 'MARKUP_NOT_ALLOWED'],
      ['Ring \u0007 the bell', 'CONTROL_CHARACTER'],
      ['x'.repeat(1001), 'TOO_BIG'],
    ]) {
      const response = await call({
        method: 'POST',
        url: `/api/v1/invoices/${invoice.id}/send`,
        payload: { to: 'buyer@example.com', message },
      });
      expect(response.statusCode, code).toBe(400);
      expect(response.json().errors).toEqual([expect.objectContaining({ path: 'message' })]);
      if (code !== 'TOO_BIG') expect(response.json().errors[0].code).toBe(code);
    }
    expect((await call({ method: 'GET', url: `/api/v1/invoices/${invoice.id}` })).json().stored_status).toBe(
      'issued',
    );
    const plain = await call({
      method: 'POST',
      url: `/api/v1/invoices/${invoice.id}/send`,
      payload: { to: 'buyer@example.com', message: 'Thank you for your order.\nTotal < 10,000 as agreed.' },
    });
    expect(plain.statusCode).toBe(202);
  });

  it('backs off exponentially and marks a mail failed after the last attempt', async () => {
    expect([1, 2, 3, 4].map((n) => backoffSeconds(n, 30))).toEqual([30, 60, 120, 240]);
    expect(backoffSeconds(30, 30)).toBe(6 * 3600);
    const to = `nobody-${Date.now()}@example.com`;
    await enqueueMail(t.database.db, { to, subject: 'Code', text: 'Your code is 123456', kind: 'mfa_code' });
    const [row] = await t.database.db
      .select()
      .from(schema.mailOutbox)
      .where(eq(schema.mailOutbox.toAddress, to));
    const broken = { sendMail: async () => Promise.reject(new Error('connection refused')) };
    let now = Date.now();
    const options = {
      from: 'x@example.com',
      maxAttempts: 3,
      retrySeconds: 30,
      files: t.app.ctx.config,
    };
    for (const expected of [
      { status: 'pending', attempts: 1 },
      { status: 'pending', attempts: 2 },
      { status: 'failed', attempts: 3 },
    ]) {
      now += 24 * 3600 * 1000;
      await drainOutbox(t.database.db, broken, { ...options, now: new Date(now) });
      expect(await outboxRow(row?.id as string)).toMatchObject({
        ...expected,
        lastError: 'connection refused',
      });
    }
    // A failed mail is never picked up again.
    await drainOutbox(t.database.db, broken, { ...options, now: new Date(now + 10 * 24 * 3600 * 1000) });
    expect(await outboxRow(row?.id as string)).toMatchObject({ status: 'failed', attempts: 3 });
  });

  it('drains the outbox by itself every few seconds once the process works the queue', async () => {
    const to = `auto-${Date.now()}@example.com`;
    await enqueueMail(t.database.db, { to, subject: 'Welcome', text: 'Hello', kind: 'invitation' });
    await t.app.ctx.jobs.work();
    await smtp.delivered(to);
    expect(smtp.received.filter((m) => m.to.includes(to))).toHaveLength(1);
  }, 120_000);
});

describe('a process that dies while draining the outbox', () => {
  let t2: TestApp;
  let dead: PgBoss | undefined;
  beforeAll(async () => {
    t2 = await createTestApp({ SMTP_URL: smtp.url, MAIL_POLL_SECONDS: 1, MAIL_LEASE_SECONDS: 2 });
    await t2.app.ctx.jobs.start();
  });
  afterAll(async () => {
    await dead?.stop({ graceful: false, wait: true });
    await t2.close();
  });

  it('holds up no other mail, and its own mail is sent by another process once the lease ends', async () => {
    const c = as(t2.app, await registerUser(t2.app));
    // The dead drain must claim the invoice mail, not the registration's verification mail queued before it.
    await t2.database.db.delete(schema.mailOutbox).where(eq(schema.mailOutbox.kind, 'email_verification'));
    const customer = await createCustomer(c);
    const send = async (to: string) => {
      const invoice = await issueInvoice(c, { customerId: customer.id });
      const response = await c({
        method: 'POST',
        url: `/api/v1/invoices/${invoice.id}/send`,
        payload: { to },
      });
      expect(response.statusCode).toBe(202);
    };
    const held = `held-${Date.now()}@example.com`;
    await send(held);

    // The process that dies: it has fetched the drain job and claimed the mail, and never finishes either.
    dead = new PgBoss({
      db: { executeSql: (text, values) => t2.database.execute(text, values) },
      migrate: false,
      schedule: false,
      supervise: false,
    });
    await dead.start();
    await t2.app.ctx.jobs.enqueue(t2.database.db, MAIL_DRAIN_JOB, {}, { key: MAIL_DRAIN_JOB });
    expect(await dead.fetch(MAIL_DRAIN_JOB)).toHaveLength(1);
    let claimed!: () => void;
    const isClaimed = new Promise<void>((resolve) => {
      claimed = resolve;
    });
    const neverAnswers = {
      sendMail: () => {
        claimed();
        return new Promise<never>(() => {});
      },
    };
    void drainOutbox(t2.database.db, neverAnswers, {
      from: 'x@example.com',
      maxAttempts: 6,
      retrySeconds: 1,
      leaseSeconds: 2,
      files: t2.app.ctx.config,
    });
    await isClaimed;

    const later = `later-${Date.now()}@example.com`;
    await send(later);
    await t2.app.ctx.jobs.work();
    const deliveredTo = (to: string) => smtp.received.filter((m) => m.to.includes(to)).length;
    await smtp.delivered(held, later);
    expect({ held: deliveredTo(held), later: deliveredTo(later) }).toEqual({ held: 1, later: 1 });
    // The outbox row is marked sent right after the server took the mail.
    let rows = await t2.database.db.select().from(schema.mailOutbox);
    while (rows.some((r) => r.toAddress === held && r.status !== 'sent')) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      rows = await t2.database.db.select().from(schema.mailOutbox);
    }
    expect(rows.filter((r) => r.toAddress === held)).toEqual([
      expect.objectContaining({ status: 'sent', attempts: 2 }),
    ]);
  }, 180_000);
});
