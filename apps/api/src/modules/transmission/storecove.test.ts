// Transmission through Storecove over real HTTP against a Storecove-shaped server on 127.0.0.1: settings checked on
// save, the outbox submitting raw UBL with the instance id as idempotencyGuid, the sending evidence read as
// delivered, retries (503, a lost answer, 429 with Retry-After) never making a second submission, a 422 kept with
// Storecove's words; the webhook's Basic credentials; the pull queue read, fetched and acknowledged.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { schema } from '@invoiceflow/db';
import { and, eq } from '@invoiceflow/db/orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Call, createTestApp, registerUser, type TestApp } from '../../../test/support/app';
import { BE_COMPANY, DE_PEPPOL_BUYER, OAK_TABLE_LINE } from '../../../test/support/companies';
import { haveExamples, PEPPOL_EXAMPLE } from '../../../test/support/examples';
import { type FakeStorecove, startFakeStorecove } from '../../../test/support/storecove-server';
import type { TransmissionAdapter } from './adapter';
import { storecoveAdapter } from './adapters/storecove';
import { pullInbound } from './events';
import { transmitDue } from './outbox';
import { adapterOfSettings } from './service';

const haveExample = haveExamples(PEPPOL_EXAMPLE);

const after = (seconds: number) => new Date(Date.now() + seconds * 1000);
const WEBHOOK_SECRET = 'wh-secret-7f3a';

let t: TestApp;
let sc: FakeStorecove;
let c: Call;
let companyId: string;
let customerId: string;
beforeAll(async () => {
  t = await createTestApp({ TRANSMISSION_TIMEOUT_MS: 2000 });
  await t.app.ctx.jobs.start();
  sc = await startFakeStorecove();
  const session = await registerUser(t.app, BE_COMPANY);
  companyId = session.companyId;
  c = as(t.app, session);
  const customer = await c({ method: 'POST', url: '/api/v1/customers', payload: DE_PEPPOL_BUYER });
  expect(customer.statusCode, customer.body).toBe(201);
  customerId = customer.json().id;
});
afterAll(async () => {
  await t?.close();
  await sc?.close();
});

const credentials = () => ({
  api_key: sc.apiKey,
  legal_entity_id: String(sc.legalEntityId),
  webhook_secret: WEBHOOK_SECRET,
});
async function issue() {
  const response = await c({
    method: 'POST',
    url: '/api/v1/invoices/generate',
    payload: {
      customer_id: customerId,
      buyer_reference: 'PO-118',
      due_date: '2099-12-31',
      lines: [OAK_TABLE_LINE],
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  const id = response.json().id as string;
  const sent = await c({ method: 'POST', url: `/api/v1/invoices/${id}/send`, payload: {} });
  expect(sent.statusCode, sent.body).toBe(202);
  return id;
}
async function transmission(id: string) {
  const response = await c({ method: 'GET', url: `/api/v1/invoices/${id}/transmission` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
async function providerReference(instanceId: string) {
  const [row] = await t.database.db
    .select({ reference: schema.transmissions.providerReference })
    .from(schema.transmissions)
    .where(eq(schema.transmissions.instanceId, instanceId));
  return row?.reference ?? null;
}
const submissionsOf = (instanceId: string) =>
  [...sc.submissions.values()].filter((s) => s.idempotencyGuid === instanceId);
const drain = (now?: Date) => transmitDue(t.app.ctx, now ? { now } : {});

describe('Storecove settings', () => {
  it('refuses a wrong API key and an unknown legal entity with a coded 422, keeping nothing', async () => {
    for (const bad of [
      { ...credentials(), api_key: 'wrong-key' },
      { ...credentials(), legal_entity_id: '999' },
    ]) {
      const refused = await c({
        method: 'PUT',
        url: '/api/v1/transmission/settings',
        payload: { provider: 'storecove', base_url: sc.url, credentials: bad },
      });
      expect(refused.statusCode).toBe(422);
      expect(refused.json().code).toBe('TRANSMISSION_SETTINGS_REJECTED');
      expect(refused.body).not.toContain(sc.apiKey);
      expect(refused.body).not.toContain('wrong-key');
    }
    const missing = await c({
      method: 'PUT',
      url: '/api/v1/transmission/settings',
      payload: { provider: 'storecove', base_url: sc.url, credentials: { api_key: sc.apiKey } },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().code).toBe('VALIDATION_FAILED');
    expect(missing.json().errors).toContainEqual(
      expect.objectContaining({ path: 'credentials.legal_entity_id' }),
    );
    expect((await c({ method: 'GET', url: '/api/v1/transmission/settings' })).statusCode).toBe(404);
  });

  it('saves working settings (the API root with or without /api/v2) and never answers the key', async () => {
    const saved = await c({
      method: 'PUT',
      url: '/api/v1/transmission/settings',
      payload: { provider: 'storecove', base_url: `${sc.url}/api/v2`, credentials: credentials() },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ provider: 'storecove', has_credentials: true });
    expect(saved.body).not.toContain(sc.apiKey);
    expect(saved.body).not.toContain(WEBHOOK_SECRET);
  });
});

describe('sending through Storecove', () => {
  it('send → one document submission of the UBL, idempotencyGuid = instance id, routed to the buyer → delivered', async () => {
    const id = await issue();
    await drain();
    const read = await transmission(id);
    expect(read.exchange).toEqual({ status: 'delivered', reason: null });
    expect(read.reporting.status).toBe('not_applicable');
    expect(read.attempts.map((a: { action: string }) => a.action)).toEqual(['submit', 'status']);
    const [submission, ...others] = submissionsOf(read.instance_id);
    expect(others).toEqual([]);
    expect(submission?.legalEntityId).toBe(sc.legalEntityId);
    expect(submission?.eIdentifiers).toEqual([{ scheme: 'DE:VAT', id: 'DE123456789' }]);
    expect(submission?.xml).toContain('<cbc:EndpointID schemeID="9930">DE123456789</cbc:EndpointID>');
    // Storecove's guid is what the evidence is asked by.
    expect(await providerReference(read.instance_id)).toBe(submission?.guid);
    expect(await drain(after(3600))).toBe(0);
  });

  it('stays submitted while Storecove has no sending evidence, and is delivered once it has', async () => {
    const evidence = sc.evidenceOf;
    sc.evidenceOf = () => 'pending';
    const id = await issue();
    await drain();
    const waiting = await transmission(id);
    expect(waiting.exchange.status).toBe('submitted');
    expect(waiting.attempts.at(-1)).toMatchObject({
      action: 'status',
      status_code: 404,
      outcome: 'submitted',
    });
    sc.evidenceOf = evidence;
    await drain(after(7200));
    expect((await transmission(id)).exchange.status).toBe('delivered');
    expect(submissionsOf(waiting.instance_id)).toHaveLength(1);
  });

  it('a 503 then a 200 makes one submission, not two', async () => {
    const id = await issue();
    sc.script.push({ status: 503, body: '{"message":"Service Unavailable"}' });
    await drain();
    const waiting = await transmission(id);
    expect(waiting.exchange.status).toBe('queued');
    expect(waiting.attempts[0]).toMatchObject({ action: 'submit', status_code: 503, outcome: 'retry' });
    await drain(after(31));
    await drain(after(3600));
    expect(submissionsOf(waiting.instance_id)).toHaveLength(1);
    expect((await transmission(id)).exchange.status).toBe('delivered');
  });

  it('an answer lost after Storecove kept the document: the retry is refused as a repeat and nothing is sent twice', async () => {
    const id = await issue();
    sc.script.push({ status: 503, body: '{"message":"Bad Gateway"}', afterStoring: true });
    const submits = sc.submits;
    await drain();
    const instanceId = (await transmission(id)).instance_id;
    expect(submissionsOf(instanceId)).toHaveLength(1);
    await drain(after(31));
    expect(sc.submits).toBe(submits + 2);
    expect(submissionsOf(instanceId)).toHaveLength(1);
    const read = await transmission(id);
    // Storecove has it (its 422 names the idempotencyGuid): acknowledged, never failed, never submitted again.
    expect(read.exchange.status).toBe('submitted');
    expect(read.acknowledged_at).not.toBeNull();
    expect(read.attempts.find((a: { status_code: number }) => a.status_code === 422)).toMatchObject({
      action: 'submit',
      outcome: 'acknowledged',
    });
    await drain(after(7200));
    expect(sc.submits).toBe(submits + 2);
  });

  it('honours a 429’s Retry-After before it submits again', async () => {
    const id = await issue();
    sc.script.push({
      status: 429,
      headers: { 'retry-after': '600' },
      body: '{"message":"Too Many Requests"}',
    });
    await drain();
    const submits = sc.submits;
    await drain(after(300));
    expect(sc.submits).toBe(submits);
    expect((await transmission(id)).exchange.status).toBe('queued');
    await drain(after(601));
    expect(sc.submits).toBe(submits + 1);
    expect((await transmission(id)).exchange.status).toBe('delivered');
  });

  it('stops on Storecove’s 422 keeping its errors as the reason, and submits no more', async () => {
    const id = await issue();
    const known = sc.legalEntityId;
    sc.legalEntityId = 1; // the legal entity was removed at Storecove
    await drain();
    sc.legalEntityId = known;
    const failed = await transmission(id);
    expect(failed.exchange.status).toBe('failed');
    expect(JSON.parse(failed.exchange.reason)).toEqual([
      { source: 'legalEntityId', details: `LegalEntity ${known} not found` },
    ]);
    const submits = sc.submits;
    await drain(after(7200));
    expect(sc.submits).toBe(submits);
    expect(submissionsOf(failed.instance_id)).toHaveLength(0);
  });
});

describe('Storecove inbound (the adapter)', () => {
  let adapter: TransmissionAdapter;
  beforeAll(() => {
    adapter = storecoveAdapter({ base_url: sc.url, credentials: credentials(), timeout_ms: 2000 });
  });
  const basic = (password: string) => `Basic ${Buffer.from(`storecove:${password}`).toString('base64')}`;
  const hook = (body: unknown, authorization?: string) =>
    adapter.webhook?.({
      headers: authorization ? { authorization } : {},
      body: Buffer.from(JSON.stringify(body)),
      now: new Date(),
    });

  it('refuses a webhook without the Basic credentials of the webhook URL, or with wrong ones', async () => {
    const body = { event_type: 'received_document', event: 'received', document_guid: randomUUID() };
    expect(await hook(body)).toMatchObject({ outcome: 'refused' });
    expect(await hook(body, basic('wrong-secret'))).toMatchObject({ outcome: 'refused' });
    expect(await hook(body, `Bearer ${WEBHOOK_SECRET}`)).toMatchObject({ outcome: 'refused' });
    const unset = storecoveAdapter({
      base_url: sc.url,
      credentials: { ...credentials(), webhook_secret: '' },
      timeout_ms: 2000,
    });
    expect(
      await unset.webhook?.({
        headers: { authorization: basic('') },
        body: Buffer.from('{}'),
        now: new Date(),
      }),
    ).toMatchObject({ outcome: 'refused' });
  });

  it('reads a received document and a submission outcome; the same event twice has one event id', async () => {
    const documentGuid = randomUUID();
    const received = { event_type: 'received_document', event: 'received', document_guid: documentGuid };
    const first = await hook(received, basic(WEBHOOK_SECRET));
    const again = await hook(received, basic(WEBHOOK_SECRET));
    expect(first).toEqual({
      outcome: 'accepted',
      events: [
        {
          kind: 'document',
          event_id: `received_document:${documentGuid}`,
          provider_document_id: documentGuid,
        },
      ],
    });
    expect(again).toEqual(first);
    const guid = randomUUID();
    const failed = await hook(
      {
        event_type: 'document_submission',
        event: 'failed',
        document_submission_guid: guid,
        details: 'Receiver unknown',
      },
      basic(WEBHOOK_SECRET),
    );
    expect(failed).toEqual({
      outcome: 'accepted',
      events: [
        {
          kind: 'status',
          event_id: `document_submission:${guid}:failed`,
          ref: { provider_reference: guid },
          exchange: 'failed',
          reporting: 'not_applicable',
          reason: 'Receiver unknown',
        },
      ],
    });
    expect(await hook({ event_type: 'something_else' }, basic(WEBHOOK_SECRET))).toEqual({
      outcome: 'accepted',
      events: [],
    });
  });

  it('pulls the waiting document, fetches its XML, and acknowledges it off the queue', async () => {
    sc.queue.length = 0;
    const statusGuid = randomUUID();
    sc.queue.push({
      guid: randomUUID(),
      body: JSON.stringify({
        event_type: 'document_submission',
        event: 'succeeded',
        document_submission_guid: statusGuid,
      }),
    });
    const xml =
      '<?xml version="1.0"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>';
    const documentGuid = sc.receive(xml);
    const second = sc.receive(xml.replace('Invoice xmlns', 'Invoice  xmlns'));

    const pulled = await adapter.pull?.();
    expect(pulled).toEqual({
      outcome: 'ok',
      events: [
        expect.objectContaining({
          kind: 'status',
          ref: { provider_reference: statusGuid },
          exchange: 'delivered',
        }),
        {
          kind: 'document',
          event_id: `received_document:${documentGuid}`,
          provider_document_id: documentGuid,
        },
      ],
    });
    // The status event is off the queue; the document stays at its head until it is stored.
    expect(sc.queue).toHaveLength(2);
    expect(await adapter.pull?.()).toMatchObject({ events: [{ provider_document_id: documentGuid }] });

    const fetched = await adapter.fetchDocument?.(documentGuid);
    expect(fetched).toEqual({ outcome: 'found', xml: Buffer.from(xml) });
    expect(await adapter.fetchDocument?.(randomUUID())).toMatchObject({
      outcome: 'refused',
      status_code: 404,
    });

    expect(await adapter.acknowledgePulled?.(documentGuid)).toBeNull();
    expect(sc.queue).toHaveLength(1);
    // A second acknowledgement (its answer was lost) removes nothing else.
    expect(await adapter.acknowledgePulled?.(documentGuid)).toBeNull();
    expect(sc.queue).toHaveLength(1);
    expect(await adapter.pull?.()).toMatchObject({ events: [{ provider_document_id: second }] });
    expect(await adapter.acknowledgePulled?.(second)).toBeNull();
    expect(await adapter.pull?.()).toEqual({ outcome: 'ok', events: [] });
  });

  it('answers a pull refused by Storecove (a revoked key) as refused, with its status', async () => {
    const revoked = storecoveAdapter({
      base_url: sc.url,
      credentials: { ...credentials(), api_key: 'revoked' },
      timeout_ms: 2000,
    });
    expect(await revoked.pull?.()).toMatchObject({ outcome: 'refused', status_code: 401 });
  });
});

describe.skipIf(!haveExample)('Storecove webhooks and pull, through the routes', () => {
  const url = () => `/api/v1/public/transmission/storecove/${companyId}/webhook`;
  const basic = (password: string) => `Basic ${Buffer.from(`storecove:${password}`).toString('base64')}`;
  const post = (body: unknown, authorization?: string) =>
    t.app.inject({
      method: 'POST',
      url: url(),
      payload: JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    });
  const eventCount = async () =>
    (
      await t.database.db
        .select({ id: schema.transmissionEvents.id })
        .from(schema.transmissionEvents)
        .where(
          and(
            eq(schema.transmissionEvents.companyId, companyId),
            eq(schema.transmissionEvents.provider, 'storecove'),
          ),
        )
    ).length;
  async function peppolInvoices() {
    const list = await c({ method: 'GET', url: '/api/v1/supplier-invoices' });
    expect(list.statusCode, list.body).toBe(200);
    const invoices = (list.json().supplier_invoices ?? []) as { number: string; source: string }[];
    return invoices.filter((invoice) => invoice.source === 'peppol');
  }
  const invoiceXml = (number: string) =>
    readFileSync(PEPPOL_EXAMPLE, 'utf8').replace(/<cbc:ID>Snippet1<\/cbc:ID>/, `<cbc:ID>${number}</cbc:ID>`);

  it('refuses a webhook without the URL’s Basic credentials with 401, recording nothing', async () => {
    const before = await eventCount();
    const body = {
      event_type: 'document_submission',
      event: 'succeeded',
      document_submission_guid: randomUUID(),
    };
    for (const authorization of [undefined, basic('not-the-secret')]) {
      const refused = await post(body, authorization);
      expect(refused.statusCode).toBe(401);
      expect(refused.json().code).toBe('WEBHOOK_SIGNATURE_INVALID');
      expect(refused.body).not.toContain(WEBHOOK_SECRET);
    }
    expect(await eventCount()).toBe(before);
  });

  it('a submission’s outcome moves its transmission once; the same event again is recorded once', async () => {
    const evidence = sc.evidenceOf;
    sc.evidenceOf = () => 'pending';
    const id = await issue();
    await drain();
    sc.evidenceOf = evidence;
    const instanceId = (await transmission(id)).instance_id;
    expect((await transmission(id)).exchange.status).toBe('submitted');
    const guid = await providerReference(instanceId);
    expect(guid).toBeTruthy();

    const succeeded = {
      event_type: 'document_submission',
      event: 'succeeded',
      document_submission_guid: guid,
    };
    const first = await post(succeeded, basic(WEBHOOK_SECRET));
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ received: 1, duplicates: 0 });
    expect((await transmission(id)).exchange).toEqual({ status: 'delivered', reason: null });
    const before = await eventCount();
    const again = await post(succeeded, basic(WEBHOOK_SECRET));
    expect(again.json()).toEqual({ received: 0, duplicates: 1 });
    expect(await eventCount()).toBe(before);
    // A late failure of a delivered document is news from the past.
    const failed = await post({ ...succeeded, event: 'failed', details: 'late' }, basic(WEBHOOK_SECRET));
    expect(failed.statusCode).toBe(200);
    expect((await transmission(id)).exchange.status).toBe('delivered');
  });

  it('a received_document webhook becomes one supplier invoice, its XML fetched from Storecove', async () => {
    sc.queue.length = 0;
    const documentGuid = sc.receive(invoiceXml('SC-WEBHOOK-1'));
    const event = { event_type: 'received_document', event: 'received', document_guid: documentGuid };
    const first = await post(event, basic(WEBHOOK_SECRET));
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ received: 1, duplicates: 0 });
    expect((await post(event, basic(WEBHOOK_SECRET))).json()).toEqual({ received: 0, duplicates: 1 });
    expect((await peppolInvoices()).filter((invoice) => invoice.number === 'SC-WEBHOOK-1')).toHaveLength(1);
    // A document Storecove cannot give is not recorded: its redelivery is taken later.
    const missing = await post({ ...event, document_guid: randomUUID() }, basic(WEBHOOK_SECRET));
    expect(missing.statusCode).toBe(503);
    expect(missing.json().code).toBe('PROVIDER_UNAVAILABLE');
  });

  it('pull: a document waiting at Storecove becomes a supplier invoice once, and is acknowledged off the queue', async () => {
    sc.queue.length = 0;
    sc.receive(invoiceXml('SC-PULL-1'));
    const deletes = sc.deletes;
    const pull = () => pullInbound(t.app.ctx, (settings) => adapterOfSettings(t.app.ctx, settings));
    expect(await pull()).toMatchObject({ received: 1, duplicates: 0 });
    expect(sc.queue).toHaveLength(0);
    expect(sc.deletes).toBe(deletes + 1);
    expect((await peppolInvoices()).filter((invoice) => invoice.number === 'SC-PULL-1')).toHaveLength(1);
    expect(await pull()).toMatchObject({ received: 0, duplicates: 0 });
    // Offered again (an acknowledgement whose answer was lost): recorded once, acknowledged again.
    const redelivered = sc.receive(invoiceXml('SC-PULL-1'));
    sc.queue[0] = {
      guid: randomUUID(),
      body: JSON.stringify({ event_type: 'received_document', document_guid: redelivered }),
    };
    await pull();
    expect(sc.queue).toHaveLength(0);
    expect((await peppolInvoices()).filter((invoice) => invoice.number === 'SC-PULL-1')).toHaveLength(1);
  });
});
