import { randomBytes } from 'node:crypto';
import { schema } from '@invoiceflow/db';
import { and, eq } from '@invoiceflow/db/orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  type Call,
  createTestApp,
  registerUser,
  type Session,
  type TestApp,
} from '../../../test/support/app';
import { createCustomer } from '../../../test/support/receivables';
import { mimePart, startSmtpServer } from '../../../test/support/smtp';
import { isGenuine, startReceiver } from '../../../test/support/webhook-receiver';
import { MAIL_DRAIN_JOB } from '../mail/service';
import { pdfInputOf } from '../pdf/invoice-pdf-input';
import { deliverWebhooks } from '../webhooks/delivery';
import { expireQuotes } from './service';

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let t: TestApp;
let owner: Session;
let call: Call;
let other: Session;
let otherCall: Call;
beforeAll(async () => {
  smtp = await startSmtpServer();
  receiver = await startReceiver();
  t = await createTestApp({
    SMTP_URL: smtp.url,
    MAIL_POLL_SECONDS: 1,
    WEBHOOKS_ALLOW_PRIVATE: true,
    PUBLIC_URL: 'https://billing.example.com',
  });
  await t.app.ctx.jobs.start();
  owner = await registerUser(t.app);
  other = await registerUser(t.app);
  call = as(t.app, owner);
  otherCall = as(t.app, other);
  const endpoint = await call({
    method: 'POST',
    url: '/api/v1/webhooks',
    payload: { url: receiver.url, events: ['quote.accepted', 'quote.declined'] },
  });
  expect(endpoint.statusCode, endpoint.body).toBe(201);
  receiver.state.secret = endpoint.json().secret;
});
afterAll(async () => {
  await t.close();
  await smtp.close();
  await receiver.close();
});

const lines = [{ description: 'Consulting day', quantity: 2, unit_price: '500', vat_rate: 15 }];

async function createQuote(c: Call, payload: Record<string, unknown> = {}) {
  const customer = await createCustomer(c);
  const response = await c({
    method: 'POST',
    url: '/api/v1/quotes/',
    payload: { customer_id: customer.id, line_items: lines, valid_until: '2099-12-31', ...payload },
  });
  expect(response.statusCode, response.body).toBe(201);
  return { ...response.json(), customer };
}

async function sendQuote(id: string) {
  const response = await call({ method: 'POST', url: `/api/v1/quotes/${id}/send`, payload: {} });
  expect(response.statusCode, response.body).toBe(202);
  const sent = response.json();
  return { ...sent, token: sent.public_url.split('/q/')[1] as string };
}

const publicCall = (token: string, action?: 'accept' | 'decline', payload: object = {}) =>
  t.app.inject(
    action
      ? { method: 'POST', url: `/api/v1/public/quotes/${token}/${action}`, payload }
      : { method: 'GET', url: `/api/v1/public/quotes/${token}` },
  );

const auditCount = async (action: string, entityId: string) =>
  (
    await t.database.db
      .select()
      .from(schema.auditLog)
      .where(and(eq(schema.auditLog.action, action), eq(schema.auditLog.entityId, entityId)))
  ).length;

describe('a quotation’s life', () => {
  it('is numbered on its own series per company, with totals by the engine', async () => {
    const first = await createQuote(call);
    const year = first.issue_date.slice(0, 4);
    expect(first).toMatchObject({
      status: 'draft',
      subtotal: '1000.00',
      vat_amount: '150.00',
      total_amount: '1150.00',
      valid_until: '2099-12-31',
    });
    expect(first.quote_number).toMatch(new RegExp(`^Q-${year}-\\d{4}$`));
    const second = await createQuote(call);
    const n = (number: string) => Number(number.slice(-4));
    expect(n(second.quote_number)).toBe(n(first.quote_number) + 1);
    // Another company's series starts at its own first number.
    const theirs = await createQuote(otherCall);
    expect(theirs.quote_number).toBe(`Q-${year}-0001`);
    // Quotation numbers are not invoice numbers: the invoice series is untouched.
    const counters = await t.database.db
      .select()
      .from(schema.invoiceNumberCounters)
      .where(eq(schema.invoiceNumberCounters.companyId, owner.companyId));
    expect(counters.map((c) => c.series)).toEqual([`Q-${year}`]);
  });

  it('refuses bad input with the field and stores nothing', async () => {
    const customer = await createCustomer(call);
    const before = await call({ method: 'GET', url: '/api/v1/quotes' });
    for (const [payload, path] of [
      [{ customer_id: customer.id, issue_date: '2026-03-10', valid_until: '2026-03-01' }, 'valid_until'],
      [{ customer_id: '00000000-0000-4000-8000-000000000000' }, 'customer_id'],
      [
        { customer_id: customer.id, line_items: [{ description: 'x', quantity: 'lots', unit_price: 1 }] },
        'line_items.0.quantity',
      ],
      [{ customer_id: customer.id, invoice_number: 'X-1' }, ''],
    ] as const) {
      const response = await call({ method: 'POST', url: '/api/v1/quotes', payload });
      expect(response.statusCode, response.body).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
      expect(response.headers['content-type']).toContain('application/problem+json');
      if (path) expect(response.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const after = await call({ method: 'GET', url: '/api/v1/quotes' });
    expect(after.json().total).toBe(before.json().total);
  });

  it('is edited while a draft, sent with its PDF and link, accepted once, converted once', async () => {
    const quote = await createQuote(call, { notes: 'Valid for the spring engagement' });
    const edited = await call({
      method: 'PATCH',
      url: `/api/v1/quotes/${quote.id}`,
      payload: { line_items: [{ ...lines[0], quantity: 3 }] },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ total_amount: '1725.00', quote_number: quote.quote_number });

    const sent = await sendQuote(quote.id);
    expect(sent).toMatchObject({
      to: quote.customer.email,
      mail_status: 'queued',
      quote: { status: 'sent' },
    });
    expect(sent.public_url).toMatch(/^https:\/\/billing\.example\.com\/q\/[A-Za-z0-9_-]{43}$/);
    // The token is stored only as its hash.
    const [stored] = await t.database.db.select().from(schema.quotes).where(eq(schema.quotes.id, quote.id));
    expect(stored?.publicTokenHash).toBeTruthy();
    expect(JSON.stringify(stored)).not.toContain(sent.token);

    // The customer receives the mail with the PDF and the link.
    await t.app.ctx.jobs.enqueue(t.database.db, MAIL_DRAIN_JOB, {});
    await t.app.ctx.jobs.drain(MAIL_DRAIN_JOB);
    const [outbox] = await t.database.db
      .select()
      .from(schema.mailOutbox)
      .where(eq(schema.mailOutbox.toAddress, quote.customer.email));
    expect(outbox, JSON.stringify(outbox?.lastError)).toMatchObject({ kind: 'quote', status: 'sent' });
    await smtp.delivered(quote.customer.email);
    const mail = smtp.received.find((m) => m.to.includes(quote.customer.email));
    expect(mail?.raw).toContain(`Quotation ${quote.quote_number}`);
    expect(mail?.raw.replaceAll(/=\r\n/g, '')).toContain(sent.token);
    const pdf = mimePart(mail?.raw ?? '', 'application/pdf');
    expect(pdf?.headers).toContain(`${quote.quote_number}.pdf`);
    expect(pdf?.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // Not a tax invoice: no e-invoice XML inside (a Saudi invoice's PDF/A-3 carries one).
    expect(pdf?.body.toString('latin1')).not.toContain('/EmbeddedFile');

    // Sent: no longer editable or deletable.
    const late = await call({ method: 'PATCH', url: `/api/v1/quotes/${quote.id}`, payload: { notes: 'x' } });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('QUOTE_NOT_EDITABLE');
    expect((await call({ method: 'DELETE', url: `/api/v1/quotes/${quote.id}` })).statusCode).toBe(409);

    // The public link, without signing in.
    const seen = await publicCall(sent.token);
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.headers['cache-control']).toContain('no-store');
    expect(seen.json()).toMatchObject({
      quote_number: quote.quote_number,
      status: 'sent',
      total_amount: '1725.00',
      can_decide: true,
      notes: 'Valid for the spring engagement',
      lines: [{ description: 'Consulting day', quantity: '3', net_amount: '1500.00' }],
    });
    expect(seen.json()).not.toHaveProperty('body');
    const pdfByLink = await t.app.inject({ method: 'GET', url: `/api/v1/public/quotes/${sent.token}/pdf` });
    expect(pdfByLink.statusCode).toBe(200);
    expect(pdfByLink.headers['content-type']).toBe('application/pdf');

    // A wrong token names nothing; a malformed one is refused before any lookup.
    const wrong = await publicCall(randomBytes(32).toString('base64url'));
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json().code).toBe('QUOTE_NOT_FOUND');
    expect((await publicCall('not-a-token')).statusCode).toBe(400);

    // Accept, then accept again: the same answer, one audit entry, one webhook event.
    const accepted = await publicCall(sent.token, 'accept', { note: 'Go ahead' });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({
      status: 'accepted',
      decision_note: 'Go ahead',
      can_decide: false,
    });
    const again = await publicCall(sent.token, 'accept');
    expect(again.statusCode).toBe(200);
    expect(again.json().accepted_at).toBe(accepted.json().accepted_at);
    expect(await auditCount('quote.accepted', quote.id)).toBe(1);
    const declined = await publicCall(sent.token, 'decline');
    expect(declined.statusCode).toBe(409);
    expect(declined.json().code).toBe('QUOTE_ALREADY_DECIDED');

    await deliverWebhooks(t.app.ctx);
    const events = receiver.state.received.filter((d) => d.body.type === 'quote.accepted');
    expect(events).toHaveLength(1);
    expect(events[0]?.isGenuine).toBe(true);
    expect(events[0]?.body.data).toMatchObject({
      quote: { id: quote.id, status: 'accepted', total_amount: '1725.00' },
    });
    expect(isGenuine).toBeTypeOf('function');

    // Convert once: a draft invoice with the quotation's lines; twice: 409 naming the invoice.
    const converted = await call({ method: 'POST', url: `/api/v1/quotes/${quote.id}/convert` });
    expect(converted.statusCode, converted.body).toBe(201);
    const invoiceId = converted.json().invoice_id;
    expect(converted.json().quote).toMatchObject({ status: 'converted', invoice_id: invoiceId });
    const invoice = await call({ method: 'GET', url: `/api/v1/invoices/${invoiceId}` });
    expect(invoice.statusCode).toBe(200);
    expect(invoice.json()).toMatchObject({
      status: 'draft',
      customer_id: null,
      total_amount: '1725.00',
      notes: 'Valid for the spring engagement',
    });
    const twice = await call({ method: 'POST', url: `/api/v1/quotes/${quote.id}/convert` });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'QUOTE_ALREADY_CONVERTED', invoice_id: invoiceId });
    // The draft invoice issues through the normal pipeline.
    const issued = await call({ method: 'POST', url: `/api/v1/invoices/${invoiceId}/issue`, payload: {} });
    expect(issued.statusCode, issued.body).toBe(200);
    expect(issued.json().invoice_number).toMatch(/^INV-/);
  });

  it('is declined with a note; an acceptance after it is refused', async () => {
    const quote = await createQuote(call);
    const { token } = await sendQuote(quote.id);
    const declined = await publicCall(token, 'decline', { note: 'Too expensive' });
    expect(declined.statusCode).toBe(200);
    expect(declined.json()).toMatchObject({ status: 'declined', decision_note: 'Too expensive' });
    const accepted = await publicCall(token, 'accept');
    expect(accepted.statusCode).toBe(409);
    expect(accepted.json().code).toBe('QUOTE_ALREADY_DECIDED');
    const converted = await call({ method: 'POST', url: `/api/v1/quotes/${quote.id}/convert` });
    expect(converted.statusCode).toBe(409);
    expect(converted.json().code).toBe('QUOTE_NOT_CONVERTIBLE');
  });

  it('a new send ends the old link', async () => {
    const quote = await createQuote(call);
    const first = await sendQuote(quote.id);
    const second = await sendQuote(quote.id);
    expect((await publicCall(first.token)).statusCode).toBe(404);
    expect((await publicCall(second.token)).statusCode).toBe(200);
  });

  it('expires once its validity has passed, exactly once, and its link answers 410', async () => {
    const quote = await createQuote(call, { valid_until: '2099-01-31' });
    const { token } = await sendQuote(quote.id);
    const undecided = await createQuote(call, { valid_until: '2099-06-30' });
    await sendQuote(undecided.id);
    const later = new Date('2099-03-01T12:00:00Z');
    // Past its last day, even before the job ran, the link refuses an answer.
    expect(await expireQuotes(t.app.ctx, { now: new Date('2099-01-31T12:00:00Z') })).toBe(0);
    expect(await expireQuotes(t.app.ctx, { now: later })).toBeGreaterThanOrEqual(1);
    expect(await expireQuotes(t.app.ctx, { now: later })).toBe(0);
    expect(await auditCount('quote.expired', quote.id)).toBe(1);
    expect((await call({ method: 'GET', url: `/api/v1/quotes/${quote.id}` })).json().status).toBe('expired');
    expect((await call({ method: 'GET', url: `/api/v1/quotes/${undecided.id}` })).json().status).toBe('sent');
    const seen = await publicCall(token);
    expect(seen.statusCode).toBe(410);
    expect(seen.json().code).toBe('QUOTE_EXPIRED');
    expect((await publicCall(token, 'accept')).statusCode).toBe(410);
  });

  it('deletes a draft', async () => {
    const quote = await createQuote(call);
    expect((await call({ method: 'DELETE', url: `/api/v1/quotes/${quote.id}` })).statusCode).toBe(204);
    expect((await call({ method: 'GET', url: `/api/v1/quotes/${quote.id}` })).statusCode).toBe(404);
  });
});

describe('tenant walls', () => {
  it('another company neither sees nor changes a quotation', async () => {
    const quote = await createQuote(call);
    for (const request of [
      { method: 'GET', url: `/api/v1/quotes/${quote.id}` },
      { method: 'PATCH', url: `/api/v1/quotes/${quote.id}`, payload: { notes: 'theirs' } },
      { method: 'POST', url: `/api/v1/quotes/${quote.id}/send`, payload: {} },
      { method: 'POST', url: `/api/v1/quotes/${quote.id}/convert` },
      { method: 'GET', url: `/api/v1/quotes/${quote.id}/pdf` },
      { method: 'DELETE', url: `/api/v1/quotes/${quote.id}` },
    ] as const) {
      const response = await otherCall(request);
      expect(response.statusCode, `${request.method} ${request.url}`).toBe(404);
    }
    const list = await otherCall({ method: 'GET', url: '/api/v1/quotes' });
    expect(list.json().quotes.map((q: { id: string }) => q.id)).not.toContain(quote.id);
    expect((await call({ method: 'GET', url: `/api/v1/quotes/${quote.id}` })).json()).toMatchObject({
      status: 'draft',
      notes: null,
    });
  });
});

describe('the quotation PDF', () => {
  it('is titled Quotation, with its validity and no QR or e-invoice', async () => {
    const quote = await createQuote(call);
    const [row] = await t.database.db.select().from(schema.quotes).where(eq(schema.quotes.id, quote.id));
    const input = pdfInputOf(
      row?.snapshot as NonNullable<typeof row>['snapshot'],
      { xml: '<Invoice/>', qr: 'AQ==' },
      { isQuotation: true },
    );
    expect(input).toMatchObject({ type: 'quotation', due_date: '2099-12-31', pdfa3: false, attachments: [] });
    expect(input.qr_payload).toBeUndefined();
    const download = await call({ method: 'GET', url: `/api/v1/quotes/${quote.id}/pdf` });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});
