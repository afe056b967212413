import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { schema } from '@invoiceflow/db';
import { eq } from '@invoiceflow/db/orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestApp, registerUser, type Session, type TestApp } from '../../../test/support/app';
import { createCustomer, issueInvoice } from '../../../test/support/receivables';
import { enqueueMail } from './queries';
import { backoffSeconds, drainOutbox } from './sender';
import { MAIL_DRAIN_JOB } from './service';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server on the loopback interface that refuses the first `refuse` recipients with a 451. */
async function startSmtpServer() {
  const received: Received[] = [];
  const state = { refuse: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (state.refuse > 0) {
        state.refuse--;
        const error = Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 });
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('latin1'),
        });
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  return {
    received,
    state,
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** The decoded body of the MIME part with this content type (base64 transfer encoding, as nodemailer writes it). */
function mimePart(raw: string, contentType: string): { headers: string; body: Buffer } | undefined {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(raw)?.[1];
  if (!boundary) return undefined;
  for (const part of raw.split(`--${boundary}`)) {
    const split = part.indexOf('\r\n\r\n');
    const headers = part.slice(0, split);
    if (!headers.toLowerCase().includes(`content-type: ${contentType}`)) continue;
    return { headers, body: Buffer.from(part.slice(split + 4).replaceAll(/\s+/g, ''), 'base64') };
  }
  return undefined;
}

function header(raw: string, name: string): string | undefined {
  const match = new RegExp(`^${name}: (.*(?:\\r\\n[ \\t].*)*)`, 'im').exec(raw);
  return match?.[1]?.replaceAll(/\r\n[ \t]/g, ' ');
}

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
    const invoice = await issueInvoice(call, { customerId: customer.id, net: '5000', dueDate: '2999-01-31' });
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
    const options = { from: 'x@example.com', maxAttempts: 3, retrySeconds: 30 };
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
    const deadline = Date.now() + 15_000;
    while (!smtp.received.some((m) => m.to.includes(to)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(smtp.received.some((m) => m.to.includes(to))).toBe(true);
  });
});
