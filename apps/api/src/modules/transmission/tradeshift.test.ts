// Transmission through Tradeshift over real HTTP, against a server on 127.0.0.1 that follows its External API:
// OAuth 1.0a signatures and the tenant header checked on every call, the invoice stored and dispatched under our
// instance id (a retry is the same document), the dispatch state read back, 503 and 429 retried (Retry-After
// honoured), a 4xx kept with Tradeshift's reason. Tradeshift documents no signed webhook, so received documents
// come by pull: listed without our tag, fetched as received, tagged once stored.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Call, createTestApp, registerUser, type TestApp } from '../../../test/support/app';
import { BE_COMPANY, DE_PEPPOL_BUYER, OAK_TABLE_LINE } from '../../../test/support/companies';
import { haveExamples, PEPPOL_EXAMPLE } from '../../../test/support/examples';
import { type FakeTradeshift, startFakeTradeshift } from '../../../test/support/tradeshift-server';
import { TRADESHIFT_STORED_TAG, tradeshiftAdapter } from './adapters/tradeshift';
import { pullInbound } from './events';
import { transmitDue } from './outbox';
import { adapterOfSettings } from './service';

const haveExample = haveExamples(PEPPOL_EXAMPLE);

const after = (seconds: number) => new Date(Date.now() + seconds * 1000);

let t: TestApp;
let ts: FakeTradeshift;
let c: Call;
let companyId: string;
let customerId: string;
beforeAll(async () => {
  t = await createTestApp({ TRANSMISSION_TIMEOUT_MS: 2000 });
  await t.app.ctx.jobs.start();
  ts = await startFakeTradeshift();
  const session = await registerUser(t.app, BE_COMPANY);
  companyId = session.companyId;
  c = as(t.app, session);
  const customer = await c({ method: 'POST', url: '/api/v1/customers', payload: DE_PEPPOL_BUYER });
  expect(customer.statusCode, customer.body).toBe(201);
  customerId = customer.json().id;
});
afterAll(async () => {
  await t.close();
  await ts.close();
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
const drain = (now?: Date) => transmitDue(t.app.ctx, now ? { now } : {});
const settingsOf = (credentials: Record<string, string>) => ({
  provider: 'tradeshift',
  base_url: ts.url,
  credentials,
});

describe('Tradeshift settings', () => {
  it('refuses credentials whose OAuth signature or tenant Tradeshift does not accept, and keeps nothing', async () => {
    for (const wrong of [
      { ...ts.credentials, consumer_secret: 'not-the-secret' },
      { ...ts.credentials, token_secret: 'not-the-token-secret' },
      { ...ts.credentials, tenant_id: '00000000-0000-4000-8000-000000000000' },
    ]) {
      const refused = await c({
        method: 'PUT',
        url: '/api/v1/transmission/settings',
        payload: settingsOf(wrong),
      });
      expect(refused.statusCode).toBe(422);
      expect(refused.json().code).toBe('TRANSMISSION_SETTINGS_REJECTED');
      expect(refused.body).toContain('Unauthorized');
      expect(refused.body).not.toContain('not-the-');
    }
    expect((await c({ method: 'GET', url: '/api/v1/transmission/settings' })).statusCode).toBe(404);
  });

  it('names a missing credential field with a coded 4xx', async () => {
    const { token_secret: _, ...partial } = ts.credentials;
    const refused = await c({
      method: 'PUT',
      url: '/api/v1/transmission/settings',
      payload: settingsOf(partial),
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors).toEqual([expect.objectContaining({ path: 'credentials.token_secret' })]);
  });

  it('saves working credentials, sealed, and answers them without the secrets', async () => {
    const saved = await c({
      method: 'PUT',
      url: '/api/v1/transmission/settings',
      payload: settingsOf({ ...ts.credentials }),
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const read = await c({ method: 'GET', url: '/api/v1/transmission/settings' });
    expect(read.json()).toMatchObject({ provider: 'tradeshift', base_url: ts.url, has_credentials: true });
    expect(read.body).not.toContain(ts.credentials.consumer_secret);
    const rows = await t.database.db.execute('select credentials_sealed from transmission_settings');
    expect(JSON.stringify(rows)).not.toContain(ts.credentials.token_secret);
  });
});

describe('sending an invoice through Tradeshift', () => {
  it('send → stored and dispatched under the instance id → delivered when the dispatch completes', async () => {
    const id = await issue();
    expect((await transmission(id)).exchange.status).toBe('queued');
    await drain();
    const done = await transmission(id);
    expect(done.exchange).toEqual({ status: 'delivered', reason: null });
    expect(done.reporting.status).toBe('not_applicable');
    expect(done.attempts.map((a: { action: string }) => a.action)).toEqual(['submit', 'status']);
    const document = ts.documents.get(done.instance_id);
    expect(document?.profile).toBe('tradeshift.invoice.ubl.1.0');
    expect(document?.xml).toContain('<cbc:EndpointID schemeID="9930">DE123456789</cbc:EndpointID>');
    expect([...(ts.dispatches.get(done.instance_id) ?? [])]).toEqual([done.instance_id]);
    expect(await drain(after(3600))).toBe(0);
  });

  it('a 503 (profile refresh) then a 200 leaves one document at Tradeshift, not two', async () => {
    const id = await issue();
    const before = ts.documents.size;
    ts.script.push({
      status: 503,
      body: { ErrorCode: 'ObjectNotFound', Message: 'Timed out waiting for doc profile', RequestId: 'r-1' },
    });
    await drain();
    const waiting = await transmission(id);
    expect(waiting.exchange.status).toBe('queued');
    expect(waiting.attempts[0]).toMatchObject({
      action: 'submit',
      status_code: 503,
      outcome: 'retry',
      reason: 'ObjectNotFound: Timed out waiting for doc profile',
    });
    await drain(after(31));
    await drain(after(3600));
    expect(ts.documents.size).toBe(before + 1);
    expect((await transmission(id)).exchange.status).toBe('delivered');
  });

  it('a 503 whose document was in fact stored is sent again as the same document and one dispatch', async () => {
    const id = await issue();
    const before = ts.documents.size;
    ts.script.push({ status: 503, body: 'Service Unavailable', store: true });
    await drain();
    await drain(after(31));
    await drain(after(3600));
    const done = await transmission(id);
    expect(done.exchange.status).toBe('delivered');
    expect(ts.documents.size).toBe(before + 1);
    expect(ts.dispatches.get(done.instance_id)?.size).toBe(1);
  });

  it('honours a 429’s Retry-After before it stores again', async () => {
    const id = await issue();
    ts.script.push({
      status: 429,
      headers: { 'retry-after': '600' },
      body: { ErrorCode: 'TooManyRequests', Message: 'Rate limit exceeded', RequestId: 'r-2' },
    });
    await drain();
    const submits = ts.submits;
    await drain(after(300));
    expect(ts.submits).toBe(submits);
    expect((await transmission(id)).exchange.status).toBe('queued');
    await drain(after(601));
    expect(ts.submits).toBeGreaterThan(submits);
    expect((await transmission(id)).exchange.status).toBe('delivered');
  });

  it('stops on a 400 keeping Tradeshift’s reason, and sends nothing more', async () => {
    const id = await issue();
    ts.script.push({
      status: 400,
      body: {
        ErrorCode: 'BadRequest',
        Message: 'Could not resolve document profile nes.p5.invoice.ubl.2.1.dk',
        ErrorDetail: [],
        RequestId: 'r-3',
      },
    });
    await drain();
    const failed = await transmission(id);
    expect(failed.exchange).toEqual({
      status: 'failed',
      reason: 'BadRequest: Could not resolve document profile nes.p5.invoice.ubl.2.1.dk',
    });
    const submits = ts.submits;
    await drain(after(7200));
    expect(ts.submits).toBe(submits);
    expect(ts.documents.has(failed.instance_id)).toBe(false);
  });

  it('a dispatch Tradeshift reports FAILED is kept failed; one still processing is asked again later', async () => {
    const failing = await issue();
    ts.dispatchStateOf = () => 'FAILED';
    await drain();
    const failed = await transmission(failing);
    expect(failed.exchange.status).toBe('failed');
    expect(failed.exchange.reason).toContain('FAILED');

    const slow = await issue();
    ts.dispatchStateOf = () => 'PROCESSING';
    await drain();
    expect((await transmission(slow)).exchange.status).toBe('submitted');
    ts.dispatchStateOf = () => 'COMPLETED';
    await drain(after(3600));
    expect((await transmission(slow)).exchange.status).toBe('delivered');
    expect(ts.dispatches.get((await transmission(slow)).instance_id)?.size).toBe(1);
  });
});

describe('receiving from Tradeshift by pull (it documents no signed webhook)', () => {
  const supplierInvoice = (number: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:ID>${number}</cbc:ID></Invoice>`;
  const adapter = () =>
    tradeshiftAdapter({ base_url: ts.url, credentials: { ...ts.credentials }, timeout_ms: 2000 });

  it('lists the received documents not yet stored, fetches each as received, and tags it so it comes once', async () => {
    ts.received.set('5b0c7f1e-1111-4a4a-9b9b-000000000001', {
      xml: supplierInvoice('SUP-1'),
      tags: new Set(),
    });
    ts.received.set('5b0c7f1e-1111-4a4a-9b9b-000000000002', {
      xml: supplierInvoice('SUP-2'),
      tags: new Set(),
    });
    const pulled = await adapter().pull?.();
    expect(pulled).toEqual({
      outcome: 'ok',
      events: [
        {
          kind: 'document',
          event_id: '5b0c7f1e-1111-4a4a-9b9b-000000000001',
          provider_document_id: '5b0c7f1e-1111-4a4a-9b9b-000000000001',
        },
        {
          kind: 'document',
          event_id: '5b0c7f1e-1111-4a4a-9b9b-000000000002',
          provider_document_id: '5b0c7f1e-1111-4a4a-9b9b-000000000002',
        },
      ],
    });
    const fetched = await adapter().fetchDocument?.('5b0c7f1e-1111-4a4a-9b9b-000000000001');
    expect(fetched?.outcome).toBe('found');
    expect(fetched?.outcome === 'found' && fetched.xml.toString()).toContain('<cbc:ID>SUP-1</cbc:ID>');

    expect(await adapter().acknowledgePulled?.('5b0c7f1e-1111-4a4a-9b9b-000000000001')).toBeNull();
    expect(ts.received.get('5b0c7f1e-1111-4a4a-9b9b-000000000001')?.tags.has(TRADESHIFT_STORED_TAG)).toBe(
      true,
    );
    const again = await adapter().pull?.();
    expect(again?.outcome === 'ok' && again.events.map((e) => e.event_id)).toEqual([
      '5b0c7f1e-1111-4a4a-9b9b-000000000002',
    ]);
  });

  it('a document Tradeshift does not have is refused with its reason, not retried', async () => {
    const fetched = await adapter().fetchDocument?.('00000000-0000-4000-8000-00000000dead');
    expect(fetched).toEqual({
      outcome: 'refused',
      status_code: 400,
      reason: 'BadRequest: No document found for the supplied id',
    });
    expect(await adapter().acknowledgePulled?.('00000000-0000-4000-8000-00000000dead')).toContain('HTTP 404');
  });

  it('a received document too large to fetch whole is refused, never stored cut', async () => {
    const padding = `<cbc:Note>${'x'.repeat(300 * 1024)}</cbc:Note>`;
    ts.received.set('5b0c7f1e-1111-4a4a-9b9b-000000000003', {
      xml: supplierInvoice('SUP-3').replace('</Invoice>', `${padding}</Invoice>`),
      tags: new Set(),
    });
    const fetched = await adapter().fetchDocument?.('5b0c7f1e-1111-4a4a-9b9b-000000000003');
    expect(fetched).toMatchObject({
      outcome: 'refused',
      reason: expect.stringContaining('not fetched whole'),
    });
  });

  it('a pull signed with the wrong secret is refused by Tradeshift (401), and no secret is in the reason', async () => {
    const wrong = tradeshiftAdapter({
      base_url: ts.url,
      credentials: { ...ts.credentials, consumer_secret: 'stolen-guess' },
      timeout_ms: 2000,
    });
    const pulled = await wrong.pull?.();
    expect(pulled).toMatchObject({ outcome: 'refused', status_code: 401 });
    expect(JSON.stringify(pulled)).not.toContain('stolen-guess');
    expect(JSON.stringify(pulled)).not.toContain(ts.credentials.token_secret);
  });
});

describe('Tradeshift’s received documents through the inbound routes', () => {
  const pull = () => pullInbound(t.app.ctx, (settings) => adapterOfSettings(t.app.ctx, settings));
  const recorded = async () =>
    JSON.stringify(
      await t.database.db.execute(
        "select event_id, reason from transmission_events where provider = 'tradeshift' order by event_id",
      ),
    );
  const peppolInvoices = async () => {
    const list = await c({ method: 'GET', url: '/api/v1/supplier-invoices' });
    expect(list.statusCode, list.body).toBe(200);
    const body = list.json();
    const items = body.supplier_invoices ?? body.items ?? body.invoices;
    return items.filter((invoice: { source: string }) => invoice.source === 'peppol');
  };

  it('has no webhook address: a call to it is refused and nothing is recorded', async () => {
    const before = await recorded();
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/v1/public/transmission/tradeshift/${companyId}/webhook`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ DocumentId: '5b0c7f1e-1111-4a4a-9b9b-00000000beef' }),
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('WEBHOOK_NOT_SUPPORTED');
    expect(await recorded()).toBe(before);
  });

  it.skipIf(!haveExample)(
    'the pull job turns a received document into one supplier invoice and tags it; offered again, it stays one',
    async () => {
      ts.received.clear();
      const id = '5b0c7f1e-2222-4a4a-9b9b-000000000010';
      ts.received.set(id, { xml: readFileSync(PEPPOL_EXAMPLE, 'utf8'), tags: new Set() });
      expect(await pull()).toEqual({ received: 1, duplicates: 0, refused: 0 });
      expect(ts.received.get(id)?.tags.has(TRADESHIFT_STORED_TAG)).toBe(true);
      expect(await peppolInvoices()).toHaveLength(1);
      // Tagged: Tradeshift no longer lists it.
      expect(await pull()).toEqual({ received: 0, duplicates: 0, refused: 0 });
      // Someone removes the tag in Tradeshift: offered again, recorded once, still one supplier invoice.
      ts.received.get(id)?.tags.clear();
      expect(await pull()).toEqual({ received: 0, duplicates: 1, refused: 0 });
      expect(ts.received.get(id)?.tags.has(TRADESHIFT_STORED_TAG)).toBe(true);
      expect(await peppolInvoices()).toHaveLength(1);
      expect((await recorded()).match(new RegExp(id, 'g'))).toHaveLength(1);
    },
  );

  it.skipIf(!haveExample)(
    'a document Tradeshift cannot give whole is neither recorded nor tagged, so a later pull takes it',
    async () => {
      ts.received.clear();
      const id = '5b0c7f1e-2222-4a4a-9b9b-000000000011';
      const xml = readFileSync(PEPPOL_EXAMPLE, 'utf8').replace(
        /<cbc:ID>Snippet1<\/cbc:ID>/,
        '<cbc:ID>Snippet-TS-2</cbc:ID>',
      );
      const padded = xml.replace('</cbc:Note>', `${'x'.repeat(300 * 1024)}</cbc:Note>`);
      ts.received.set(id, { xml: padded, tags: new Set() });
      expect(await pull()).toEqual({ received: 0, duplicates: 0, refused: 0 });
      expect(ts.received.get(id)?.tags.size).toBe(0);
      expect(await recorded()).not.toContain(id);
      ts.received.set(id, { xml, tags: new Set() });
      expect(await pull()).toEqual({ received: 1, duplicates: 0, refused: 0 });
      expect(await peppolInvoices()).toHaveLength(2);
    },
  );
});
