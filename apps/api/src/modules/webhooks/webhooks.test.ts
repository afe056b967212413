import { schema } from '@invoiceflow/db';
import { eq } from '@invoiceflow/db/orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  type Call,
  createTestApp,
  registerUser,
  type Session,
  type TestApp,
} from '../../../test/support/app';
import { createCustomer, issueInvoice } from '../../../test/support/receivables';
import { isGenuine, startReceiver } from '../../../test/support/webhook-receiver';
import { isPublicAddress } from './addresses';
import { backoffSeconds, deliverWebhooks } from './delivery';

const at = (base: number, seconds: number) => new Date(base + seconds * 1000);

describe('addresses a webhook may reach', () => {
  it('refuses private, loopback, link-local and mapped forms of them', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '64:ff9b::a9fe:a9fe',
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
    for (const address of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect(isPublicAddress(address), address).toBe(true);
    }
  });

  it('backs off exponentially between attempts', () => {
    expect([1, 2, 3, 4].map((n) => backoffSeconds(n, 30))).toEqual([30, 60, 120, 240]);
    expect(backoffSeconds(30, 30)).toBe(6 * 3600);
  });
});

describe('an install that refuses private addresses (the default)', () => {
  let t: TestApp;
  let call: Call;
  beforeAll(async () => {
    t = await createTestApp();
    call = as(t.app, await registerUser(t.app));
  });
  afterAll(() => t.close());

  it('refuses an endpoint on a loopback, private or link-local host with the field', async () => {
    for (const url of [
      'http://127.0.0.1:9/hooks',
      'http://localhost/hooks',
      'https://169.254.169.254/latest/meta-data',
      'http://10.0.0.5/hooks',
      'http://[::1]/hooks',
      'http://[::ffff:127.0.0.1]/hooks',
    ]) {
      const response = await call({
        method: 'POST',
        url: '/api/v1/webhooks',
        payload: { url, events: ['invoice.issued'] },
      });
      expect(response.statusCode, url).toBe(422);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json().errors, url).toEqual([
        expect.objectContaining({ path: 'url', code: 'WEBHOOK_ADDRESS_REFUSED' }),
      ]);
    }
    const list = await call({ method: 'GET', url: '/api/v1/webhooks' });
    expect(list.json().endpoints).toEqual([]);
  });
});

describe('deliveries', () => {
  let t: TestApp;
  let owner: Session;
  let call: Call;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let endpoint: { id: string; secret: string };
  beforeAll(async () => {
    t = await createTestApp({ WEBHOOKS_ALLOW_PRIVATE: true });
    owner = await registerUser(t.app);
    call = as(t.app, owner);
    receiver = await startReceiver();
    const created = await call({
      method: 'POST',
      url: '/api/v1/webhooks',
      payload: {
        url: receiver.url,
        events: ['invoice.issued', 'invoice.paid', 'payment.recorded'],
        description: 'ERP',
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers['cache-control']).toContain('no-store');
    endpoint = created.json();
    expect(endpoint.secret).toMatch(/^whsec_/);
    receiver.state.secret = endpoint.secret;
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });

  const deliveriesOf = async () =>
    (await call({ method: 'GET', url: `/api/v1/webhooks/${endpoint.id}/deliveries` })).json().deliveries as {
      id: string;
      event_type: string;
      status: string;
      attempts: number;
      replay_of: string | null;
    }[];

  it('signs each delivery so the documented recipe verifies it, retries after 500s, and logs every attempt', async () => {
    const customer = await createCustomer(call);
    receiver.state.answers = [500, 503];
    const invoice = await issueInvoice(call, { customerId: customer.id, net: '1000' });
    const start = Date.now();

    expect(await deliverWebhooks(t.app.ctx, { now: at(start, 1) })).toBe(1);
    // Backing off: nothing is due again until the first delay has passed.
    expect(await deliverWebhooks(t.app.ctx, { now: at(start, 20) })).toBe(0);
    expect(await deliverWebhooks(t.app.ctx, { now: at(start, 32) })).toBe(1);
    expect(await deliverWebhooks(t.app.ctx, { now: at(start, 80) })).toBe(0);
    expect(await deliverWebhooks(t.app.ctx, { now: at(start, 93) })).toBe(1);

    expect(receiver.state.received.map((r) => r.answered)).toEqual([500, 503, 200]);
    expect(receiver.state.received.every((r) => r.isGenuine)).toBe(true);
    const [first] = receiver.state.received;
    expect(new Set(receiver.state.received.map((r) => r.headers['invoiceflow-event-id'])).size).toBe(1);
    expect(first?.headers['invoiceflow-event']).toBe('invoice.issued');
    expect(first?.body).toMatchObject({
      type: 'invoice.issued',
      company_id: owner.companyId,
      data: { invoice: { id: invoice.id, number: invoice.invoice_number, customer_id: customer.id } },
    });
    // Ids and public fields: no buyer name, e-mail or address.
    expect(first?.rawBody).not.toContain('Buyer');
    expect(first?.rawBody).not.toContain('@example.com');
    // A body changed in transit, or signed with another secret, does not verify.
    const headers = first?.headers ?? {};
    const check = (secret: string, rawBody: string) =>
      isGenuine({
        secret,
        rawBody,
        timestamp: headers['invoiceflow-timestamp'] as string,
        signature: headers['invoiceflow-signature'] as string,
      });
    expect(check(endpoint.secret, first?.rawBody ?? '')).toBe(true);
    expect(check(endpoint.secret, (first?.rawBody ?? '').replace('1150.00', '1.00'))).toBe(false);
    expect(check('whsec_other', first?.rawBody ?? '')).toBe(false);

    const [delivery] = await deliveriesOf();
    expect(delivery).toMatchObject({ event_type: 'invoice.issued', status: 'succeeded', attempts: 3 });
    const detail = await call({ method: 'GET', url: `/api/v1/webhooks/deliveries/${delivery?.id}` });
    expect(detail.statusCode).toBe(200);
    const log = detail.json();
    expect(log.payload).toEqual(first?.body);
    expect(
      log.attempt_log.map((a: { attempt: number; status_code: number }) => [a.attempt, a.status_code]),
    ).toEqual([
      [1, 500],
      [2, 503],
      [3, 200],
    ]);
    expect(log.attempt_log.map((a: { response_excerpt: string }) => a.response_excerpt)).toEqual([
      'status 500',
      'status 503',
      'ok',
    ]);
    expect(log.attempt_log.every((a: { duration_ms: number }) => Number.isInteger(a.duration_ms))).toBe(true);
    // The endpoint never shows its secret again.
    const read = await call({ method: 'GET', url: `/api/v1/webhooks/${endpoint.id}` });
    expect(read.body).not.toContain(endpoint.secret);
    expect(read.json().secret).toBeUndefined();
  });

  it('announces a payment and the invoice it pays in full, and replays a delivery by hand', async () => {
    const customer = await createCustomer(call);
    const invoice = await issueInvoice(call, { customerId: customer.id, net: '100' });
    await deliverWebhooks(t.app.ctx);
    receiver.state.received.length = 0;
    const partial = await call({
      method: 'POST',
      url: `/api/v1/invoices/${invoice.id}/partial-payment`,
      payload: { amount: '15' },
    });
    expect(partial.statusCode, partial.body).toBeLessThan(300);
    const paid = await call({ method: 'POST', url: `/api/v1/invoices/${invoice.id}/mark-paid`, payload: {} });
    expect(paid.statusCode, paid.body).toBeLessThan(300);
    await deliverWebhooks(t.app.ctx);
    // Events of one transaction share its time: their order is not promised.
    expect(receiver.state.received.map((r) => r.body.type).sort()).toEqual([
      'invoice.paid',
      'payment.recorded',
      'payment.recorded',
    ]);
    const paidEvent = receiver.state.received.find((r) => r.body.type === 'invoice.paid');
    expect(paidEvent?.body.data).toMatchObject({
      invoice: { id: invoice.id, paid_amount: '115.00', payable_amount: '115.00' },
    });

    const original = (await deliveriesOf()).find((d) => d.event_type === 'invoice.paid');
    const replay = await call({ method: 'POST', url: `/api/v1/webhooks/deliveries/${original?.id}/replay` });
    expect(replay.statusCode, replay.body).toBe(202);
    expect(replay.json()).toMatchObject({
      status: 'pending',
      replay_of: original?.id,
      event_type: 'invoice.paid',
    });
    expect(await deliverWebhooks(t.app.ctx)).toBe(1);
    const replayed = receiver.state.received.at(-1);
    expect(replayed?.isGenuine).toBe(true);
    expect(replayed?.headers['invoiceflow-event-id']).toBe(paidEvent?.headers['invoiceflow-event-id']);
    expect(replayed?.headers['invoiceflow-delivery-id']).toBe(replay.json().id);
    expect(replayed?.rawBody).toBe(paidEvent?.rawBody);
    const log = (
      await call({ method: 'GET', url: `/api/v1/webhooks/deliveries/${replay.json().id}` })
    ).json();
    expect(log).toMatchObject({ status: 'succeeded', attempts: 1, replay_of: original?.id });
  });

  it('writes no event for a change that rolled back', async () => {
    const before = await t.database.db.select().from(schema.webhookEvents);
    const refused = await call({
      method: 'POST',
      url: '/api/v1/invoices/generate',
      payload: {
        customer_name: 'X',
        line_items: [{ description: 'x', quantity: 1, unit_price: '10', vat_rate: 7 }],
      },
    });
    expect(refused.statusCode).toBe(422);
    expect(await t.database.db.select().from(schema.webhookEvents)).toHaveLength(before.length);
  });

  it('signs with the old secret beside the new one after a rotation', async () => {
    const rotated = await call({ method: 'POST', url: `/api/v1/webhooks/${endpoint.id}/rotate-secret` });
    expect(rotated.statusCode).toBe(200);
    const next = rotated.json().secret as string;
    expect(next).not.toBe(endpoint.secret);
    const old = endpoint.secret;
    receiver.state.secret = next;
    await issueInvoice(call, { net: '10' });
    await deliverWebhooks(t.app.ctx);
    const last = receiver.state.received.at(-1);
    expect(last?.isGenuine).toBe(true);
    const verify = (secret: string) =>
      isGenuine({
        secret,
        rawBody: last?.rawBody ?? '',
        timestamp: last?.headers['invoiceflow-timestamp'] as string,
        signature: last?.headers['invoiceflow-signature'] as string,
      });
    expect(verify(old)).toBe(true);
    expect(verify(next)).toBe(true);
  });

  it('refuses at delivery a host that now resolves to a private address (DNS rebinding)', async () => {
    const made = await call({
      method: 'POST',
      url: '/api/v1/webhooks',
      payload: { url: receiver.url.replace('127.0.0.1', 'localhost'), events: ['invoice.issued'] },
    });
    expect(made.statusCode, made.body).toBe(201);
    const count = receiver.state.received.length;
    // The administrator withdraws the allowance: the next delivery is refused before any connection.
    t.app.ctx.config.WEBHOOKS_ALLOW_PRIVATE = false;
    try {
      await issueInvoice(call, { net: '10' });
      await deliverWebhooks(t.app.ctx);
    } finally {
      t.app.ctx.config.WEBHOOKS_ALLOW_PRIVATE = true;
    }
    expect(receiver.state.received).toHaveLength(count);
    const [delivery] = await t.database.db
      .select()
      .from(schema.webhookDeliveries)
      .where(eq(schema.webhookDeliveries.endpointId, made.json().id));
    expect(delivery).toMatchObject({ status: 'failed', lastError: 'WEBHOOK_ADDRESS_REFUSED', attempts: 1 });
  });
});
