// What a provider reports after the fact, as every provider's webhook or pull hands it over once its adapter has
// verified it: status events move the transmission forward only and once, a failure mails the owners, received
// documents become supplier invoices once, and every change shows on the invoice's timeline.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Call, createTestApp, registerUser, type TestApp } from '../../../test/support/app';
import { BE_COMPANY, DE_PEPPOL_BUYER } from '../../../test/support/companies';
import { haveExamples, PEPPOL_EXAMPLE } from '../../../test/support/examples';
import { type FakeAccessPoint, startFakeAccessPoint } from '../../../test/support/fake-phoss-ap';
import type { InboundEvent, TransmissionAdapter } from './adapter';
import { applyEvents, nextStatus, type StatusState } from './events';
import { transmitDue } from './outbox';

const haveExample = haveExamples(PEPPOL_EXAMPLE);

let t: TestApp;
let ap: FakeAccessPoint;
let c: Call;
let companyId: string;
let customerId: string;
beforeAll(async () => {
  t = await createTestApp({ TRANSMISSION_TIMEOUT_MS: 2000 });
  await t.app.ctx.jobs.start();
  ap = await startFakeAccessPoint();
  const session = await registerUser(t.app, BE_COMPANY);
  companyId = session.companyId;
  c = as(t.app, session);
  const customer = await c({ method: 'POST', url: '/api/v1/customers', payload: DE_PEPPOL_BUYER });
  expect(customer.statusCode, customer.body).toBe(201);
  customerId = customer.json().id;
  const saved = await c({
    method: 'PUT',
    url: '/api/v1/transmission/settings',
    payload: { provider: 'phoss-ap', base_url: ap.url, credentials: { api_token: ap.token } },
  });
  expect(saved.statusCode, saved.body).toBe(200);
});
afterAll(async () => {
  await t?.close();
  await ap?.close();
});

/** The provider as its verified events arrive: what an adapter's webhook() or pull() returns goes in here. */
const documents = new Map<string, Buffer>();
const provider: TransmissionAdapter = {
  provider: 'phoss-ap',
  check: async () => null,
  submit: async () => ({ outcome: 'refused', status_code: 400, reason: 'not used here' }),
  status: async () => ({ outcome: 'not_found', status_code: 404 }),
  fetchDocument: async (id) => {
    const xml = documents.get(id);
    return xml
      ? { outcome: 'found', xml }
      : { outcome: 'retry', status_code: 503, reason: 'not ready', retry_after_seconds: 5 };
  },
};
const deliver = (...events: InboundEvent[]) => applyEvents(t.app.ctx, companyId, provider, events, 'webhook');

/** An invoice sent and submitted: the access point has it, its status is not final yet. */
async function submittedInvoice(): Promise<{ id: string; instanceId: string }> {
  const issued = await c({
    method: 'POST',
    url: '/api/v1/invoices/generate',
    payload: {
      customer_id: customerId,
      buyer_reference: 'PO-7',
      due_date: '2099-12-31',
      lines: [{ description: 'Oak table', quantity: '1', unit_price: '450.00', vat_rate: '21' }],
    },
  });
  expect(issued.statusCode, issued.body).toBe(201);
  const id = issued.json().id as string;
  expect((await c({ method: 'POST', url: `/api/v1/invoices/${id}/send`, payload: {} })).statusCode).toBe(202);
  ap.statusOf = () => ({ status: 'sending' });
  await transmitDue(t.app.ctx);
  ap.statusOf = () => ({ status: 'sent' });
  const transmission = await c({ method: 'GET', url: `/api/v1/invoices/${id}/transmission` });
  expect(transmission.json().exchange.status).toBe('submitted');
  return { id, instanceId: transmission.json().instance_id };
}
const transmissionOf = async (id: string) =>
  (await c({ method: 'GET', url: `/api/v1/invoices/${id}/transmission` })).json();
const timelineOf = async (id: string) => {
  const response = await c({ method: 'GET', url: `/api/v1/invoices/${id}/timeline` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().events as Array<{
    action: string;
    actor: string | null;
    details: Record<string, unknown>;
  }>;
};

describe('status events', () => {
  it('a delivery moves the transmission once; the same event again changes nothing; a stale one never moves it back', async () => {
    const { id, instanceId } = await submittedInvoice();
    const delivered: InboundEvent = {
      kind: 'status',
      event_id: `evt-delivered-${id}`,
      ref: { instance_id: instanceId },
      exchange: 'delivered',
      reason: null,
    };
    expect(await deliver(delivered)).toEqual({ received: 1, duplicates: 0 });
    expect(await deliver(delivered)).toEqual({ received: 0, duplicates: 1 });
    expect((await transmissionOf(id)).exchange).toEqual({ status: 'delivered', reason: null });
    await deliver({ ...delivered, event_id: `evt-late-${id}`, exchange: 'submitted' });
    expect((await transmissionOf(id)).exchange.status).toBe('delivered');

    const timeline = await timelineOf(id);
    const actions = timeline.map((event) => event.action);
    expect(actions.filter((action) => action === 'transmission.delivered')).toHaveLength(1);
    expect(actions.indexOf('transmission.delivered')).toBeGreaterThan(actions.indexOf('invoice.issued'));
    const entry = timeline.find((event) => event.action === 'transmission.delivered');
    expect(entry).toMatchObject({ actor: null, details: { provider: 'phoss-ap', via: 'webhook' } });
  });

  it('a failure keeps the provider’s reason, shows on the timeline and mails the owner once', async () => {
    const { id, instanceId } = await submittedInvoice();
    const failed: InboundEvent = {
      kind: 'status',
      event_id: `evt-failed-${id}`,
      ref: { instance_id: instanceId },
      exchange: 'failed',
      reason: 'Receiver 9930:DE123456789 does not accept this document type',
    };
    await deliver(failed);
    await deliver(failed);
    expect((await transmissionOf(id)).exchange).toEqual({
      status: 'failed',
      reason: 'Receiver 9930:DE123456789 does not accept this document type',
    });
    const mails = await t.database.db.execute(
      `select to_address, subject, text_body from mail_outbox where kind = 'transmission_failed' and refs->>'invoice_id' = '${id}'`,
    );
    const rows = (mails as unknown as { rows?: unknown[] }).rows ?? (mails as unknown as unknown[]);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).toContain('does not accept this document type');
    const timeline = await timelineOf(id);
    expect(timeline.find((event) => event.action === 'transmission.failed')?.details.reason).toContain(
      'does not accept',
    );
    // The resubmit the mail invites starts a new generation.
    const resubmitted = await c({ method: 'POST', url: `/api/v1/invoices/${id}/transmission/resubmit` });
    expect(resubmitted.statusCode, resubmitted.body).toBe(202);
  });

  it('an event about a document that is not ours is recorded and moves nothing', async () => {
    expect(
      await deliver({
        kind: 'status',
        event_id: 'evt-stranger',
        ref: { provider_reference: 'someone-else' },
        exchange: 'failed',
        reason: 'x',
      }),
    ).toEqual({ received: 1, duplicates: 0 });
  });
});

describe('the order of statuses', () => {
  const at = (exchange: StatusState['exchangeStatus'], reporting: StatusState['reportingStatus']) => ({
    exchangeStatus: exchange,
    exchangeReason: null,
    reportingStatus: reporting,
    reportingReason: null,
  });
  it('moves forward and keeps each reason on its own side', () => {
    expect(nextStatus(at('submitted', 'pending'), { reporting: 'rejected', reason: 'TRN unknown' })).toEqual({
      ...at('submitted', 'rejected'),
      reportingReason: 'TRN unknown',
    });
    expect(
      nextStatus(at('delivered', 'reported'), { exchange: 'failed', reporting: 'pending', reason: 'x' }),
    ).toEqual(at('delivered', 'reported'));
    expect(nextStatus(at('failed', 'pending'), { exchange: 'delivered', reason: null })).toEqual(
      at('delivered', 'pending'),
    );
  });
});

describe.skipIf(!haveExample)('received documents', () => {
  it('a document event becomes one supplier invoice, however often it or its copy under a new id arrives', async () => {
    documents.set('doc-1', readFileSync(PEPPOL_EXAMPLE));
    const received: InboundEvent = { kind: 'document', event_id: 'evt-doc-1', provider_document_id: 'doc-1' };
    expect(await deliver(received)).toEqual({ received: 1, duplicates: 0 });
    expect(await deliver(received)).toEqual({ received: 0, duplicates: 1 });
    // The provider redelivers the same invoice under a new event id: recorded, no second supplier invoice.
    await deliver({ ...received, event_id: 'evt-doc-1-again' });
    const list = await c({ method: 'GET', url: '/api/v1/supplier-invoices' });
    const invoices = list.json().supplier_invoices ?? list.json().items ?? list.json().invoices;
    expect(invoices.filter((invoice: { source: string }) => invoice.source === 'peppol')).toHaveLength(1);
  });

  it('a document the provider cannot give yet is not recorded, so its redelivery is taken', async () => {
    const pending: InboundEvent = { kind: 'document', event_id: 'evt-doc-2', provider_document_id: 'doc-2' };
    await expect(deliver(pending)).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    const xml = readFileSync(PEPPOL_EXAMPLE, 'utf8').replace(
      /<cbc:ID>Snippet1<\/cbc:ID>/,
      '<cbc:ID>Snippet2</cbc:ID>',
    );
    documents.set('doc-2', Buffer.from(xml));
    expect(await deliver(pending)).toEqual({ received: 1, duplicates: 0 });
  });

  it('a document with a DOCTYPE is refused before it is read, and nothing is recorded', async () => {
    const hostile = Buffer.from(
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Invoice>&e;</Invoice>',
    );
    await expect(
      deliver({ kind: 'document', event_id: 'evt-hostile', provider_document_id: 'h', xml: hostile }),
    ).rejects.toMatchObject({ code: 'XML_DOCTYPE_REFUSED' });
    await expect(
      deliver({ kind: 'document', event_id: 'evt-hostile', provider_document_id: 'h', xml: hostile }),
    ).rejects.toMatchObject({ code: 'XML_DOCTYPE_REFUSED' });
  });
});
