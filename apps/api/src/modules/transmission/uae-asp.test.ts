// Transmission through a UAE Accredited Service Provider on 127.0.0.1 over real HTTP (the uae-asp adapter, shaped
// on Avalara's E-Invoicing API): OAuth2 client credentials with the token kept and refreshed on a 401, the PINT AE
// invoice submitted under our instance id as the idempotency key, exchange and FTA reporting read back as two
// statuses, 503 / 429 / 4xx, XML and PDF retrieval, participant lookup, and the signed webhook's events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AE_COMPANY,
  AE_INVOICE_BUYER,
  as,
  type Call,
  createTestApp,
  registerUser,
  type TestApp,
} from '../../../test/support/app';
import { type FakeAsp, startFakeAsp } from '../../../test/support/uae-asp-server';
import { signatureOf, uaeAspAdapter } from './adapters/uae-asp';
import { transmitDue } from './outbox';

const line = { description: 'Mobile phone', quantity: '2', unit_price: '1499.00' };
const after = (seconds: number) => new Date(Date.now() + seconds * 1000);

let t: TestApp;
let asp: FakeAsp;
let c: Call;
let companyId: string;
beforeAll(async () => {
  t = await createTestApp({ TRANSMISSION_TIMEOUT_MS: 2000 });
  await t.app.ctx.jobs.start();
  asp = await startFakeAsp();
  const session = await registerUser(t.app, AE_COMPANY);
  companyId = session.companyId;
  c = as(t.app, session);
});
afterAll(async () => {
  await t.close();
  await asp.close();
});

const credentials = () => ({
  client_id: asp.clientId,
  client_secret: asp.clientSecret,
  webhook_secret: asp.webhookSecret,
});
const adapter = () => uaeAspAdapter({ base_url: asp.url, credentials: credentials(), timeout_ms: 2000 });

async function issue() {
  const response = await c({
    method: 'POST',
    url: '/api/v1/invoices/generate',
    payload: { ...AE_INVOICE_BUYER, lines: [line] },
  });
  expect(response.statusCode, response.body).toBe(201);
  const id = response.json().id as string;
  // A UAE invoice is finalized, then approved, then sent.
  const approved = await c({ method: 'POST', url: `/api/v1/invoices/${id}/approve`, payload: {} });
  expect(approved.statusCode, approved.body).toBe(200);
  return id;
}
async function send(id: string) {
  const sent = await c({ method: 'POST', url: `/api/v1/invoices/${id}/send`, payload: {} });
  expect(sent.statusCode, sent.body).toBe(202);
  return sent;
}
async function transmission(id: string) {
  const response = await c({ method: 'GET', url: `/api/v1/invoices/${id}/transmission` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
const drain = (now?: Date) => transmitDue(t.app.ctx, now ? { now } : {});
const documentOf = (instanceId: string) =>
  [...asp.documents.values()].filter((d) => d.idempotencyKey === instanceId);

describe('uae-asp settings', () => {
  it('refuses a client the token endpoint does not know, with a coded 422 that names no secret', async () => {
    const refused = await c({
      method: 'PUT',
      url: '/api/v1/transmission/settings',
      payload: {
        provider: 'uae-asp',
        base_url: asp.url,
        credentials: { ...credentials(), client_secret: 'not-the-secret' },
      },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('TRANSMISSION_SETTINGS_REJECTED');
    expect(refused.body).not.toContain('not-the-secret');
    const missing = await c({
      method: 'PUT',
      url: '/api/v1/transmission/settings',
      payload: { provider: 'uae-asp', base_url: asp.url, credentials: { client_id: asp.clientId } },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors.map((e: { path: string }) => e.path)).toEqual([
      'credentials.client_secret',
      'credentials.webhook_secret',
    ]);
    expect((await c({ method: 'GET', url: '/api/v1/transmission/settings' })).statusCode).toBe(404);
  });

  it('saves working settings; the secrets are sealed at rest', async () => {
    const saved = await c({
      method: 'PUT',
      url: '/api/v1/transmission/settings',
      payload: { provider: 'uae-asp', base_url: asp.url, credentials: credentials() },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ provider: 'uae-asp', has_credentials: true });
    const rows = await t.database.db.execute('select credentials_sealed from transmission_settings');
    expect(JSON.stringify(rows)).not.toContain(asp.clientSecret);
    expect(JSON.stringify(rows)).not.toContain(asp.webhookSecret);
  });
});

describe('sending a PINT AE invoice through the ASP', () => {
  it('send → submitted once under the instance id → delivered to the buyer’s ASP and reported to the FTA', async () => {
    const id = await issue();
    await send(id);
    await drain();
    const sent = await transmission(id);
    expect(sent.exchange).toEqual({ status: 'delivered', reason: null });
    expect(sent.reporting).toEqual({ status: 'reported', reason: null });
    expect(sent.attempts.map((a: { action: string }) => a.action)).toEqual(['submit', 'status']);
    const [document, ...more] = documentOf(sent.instance_id);
    expect(more).toEqual([]);
    expect(document?.metadata).toMatchObject({ countryCode: 'AE', dataFormat: 'ubl-invoice' });
    expect(document?.xml).toContain('urn:peppol:pint:billing-1@ae-1');
    expect(document?.xml).toContain('schemeID="0235"');
    expect(await drain(after(3600))).toBe(0);
  });

  it('keeps the FTA’s reason when the tax data document is rejected', async () => {
    const id = await issue();
    await send(id);
    asp.statusOf = () => ({
      status: 'Complete',
      fta: { value: 'Rejected', message: 'TDD-117: buyer TRN is not registered for VAT' },
    });
    await drain();
    asp.statusOf = () => ({ status: 'Complete', fta: { value: 'Reported', message: 'ok' } });
    const read = await transmission(id);
    expect(read.exchange).toEqual({ status: 'delivered', reason: null });
    expect(read.reporting).toEqual({
      status: 'rejected',
      reason: 'TDD-117: buyer TRN is not registered for VAT',
    });
  });

  it('keeps the ASP’s reason when the exchange fails', async () => {
    const id = await issue();
    await send(id);
    asp.statusOf = () => ({ status: 'Error', error: 'Receiver 0235:100987654300003 not found in SMP' });
    await drain();
    asp.statusOf = () => ({ status: 'Complete', fta: { value: 'Reported', message: 'ok' } });
    expect((await transmission(id)).exchange).toEqual({
      status: 'failed',
      reason: 'Receiver 0235:100987654300003 not found in SMP',
    });
  });

  it('a 503 then a 200 makes one document at the ASP, not two', async () => {
    const id = await issue();
    await send(id);
    const before = asp.documents.size;
    asp.script.push({ status: 503, body: JSON.stringify({ error: '503', message: 'Service Unavailable' }) });
    await drain();
    const waiting = await transmission(id);
    expect(waiting.exchange).toEqual({ status: 'queued', reason: 'Service Unavailable' });
    expect(waiting.attempts[0]).toMatchObject({ action: 'submit', status_code: 503, outcome: 'retry' });
    await drain(after(31));
    await drain(after(3600));
    expect(asp.documents.size).toBe(before + 1);
    expect(documentOf(waiting.instance_id)).toHaveLength(1);
    expect((await transmission(id)).exchange.status).toBe('delivered');
  });

  it('the same idempotency key twice answers the document already made', async () => {
    const id = await issue();
    await send(id);
    await drain();
    const { instance_id } = await transmission(id);
    const submits = asp.submits;
    const again = await adapter().submit({
      instance_id,
      xml: documentOf(instance_id)[0]?.xml ?? '',
      envelope: {
        sender: 'iso6523-actorid-upis::0235:100000000000003',
        receiver: 'iso6523-actorid-upis::0235:100987654300003',
        document_type: 'busdox-docid-qns::urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice##x',
        process: 'cenbii-procid-ubl::urn:peppol:bis:billing',
      },
      sender_country: 'AE',
    });
    expect(asp.submits).toBe(submits + 1);
    expect(again).toMatchObject({
      outcome: 'acknowledged',
      provider_reference: documentOf(instance_id)[0]?.id,
    });
    expect(documentOf(instance_id)).toHaveLength(1);
  });

  it('honours a 429’s Retry-After before it submits again', async () => {
    const id = await issue();
    await send(id);
    asp.script.push({
      status: 429,
      headers: { 'retry-after': '600' },
      body: JSON.stringify({ error: '429', message: 'Too Many Requests' }),
    });
    await drain();
    const submits = asp.submits;
    await drain(after(300));
    expect(asp.submits).toBe(submits);
    expect((await transmission(id)).exchange.status).toBe('queued');
    await drain(after(601));
    expect(asp.submits).toBeGreaterThan(submits);
    expect((await transmission(id)).exchange.status).toBe('delivered');
  });

  it('stops on a 4xx keeping the ASP’s message as the reason', async () => {
    const id = await issue();
    await send(id);
    asp.script.push({
      status: 400,
      body: JSON.stringify({ error: '400', message: 'ibr-128-ae: the buyer TRN must be 15 digits' }),
    });
    await drain();
    const failed = await transmission(id);
    expect(failed.exchange).toEqual({
      status: 'failed',
      reason: 'ibr-128-ae: the buyer TRN must be 15 digits',
    });
    const submits = asp.submits;
    await drain(after(7200));
    expect(asp.submits).toBe(submits);
  });

  it('keeps its token until it is refused, then fetches a new one once', async () => {
    const issued = asp.tokensIssued;
    await send(await issue());
    await drain();
    expect(asp.tokensIssued).toBe(issued);
    asp.revokeTokens();
    const id = await issue();
    await send(id);
    await drain();
    expect(asp.tokensIssued).toBe(issued + 1);
    expect((await transmission(id)).exchange.status).toBe('delivered');
  });
});

describe('uae-asp documents and participants', () => {
  it('answers a sent document as XML and as PDF', async () => {
    const id = await issue();
    await send(id);
    await drain();
    const [document] = documentOf((await transmission(id)).instance_id);
    const xml = await adapter().download(document?.id ?? '', 'xml');
    expect(xml.outcome).toBe('found');
    if (xml.outcome === 'found') expect(xml.xml.toString()).toContain('urn:peppol:pint:billing-1@ae-1');
    const pdf = await adapter().download(document?.id ?? '', 'pdf');
    expect(pdf.outcome).toBe('found');
    if (pdf.outcome === 'found') {
      expect(pdf.xml.subarray(0, 5).toString()).toBe('%PDF-');
      expect([...pdf.xml.subarray(9, 13)]).toEqual([0xe2, 0xe3, 0xcf, 0xd3]);
    }
    expect(await adapter().download('doc-999999', 'xml')).toMatchObject({
      outcome: 'refused',
      status_code: 404,
      reason: 'Document doc-999999 not found',
    });
  });

  it('tells whether a TRN or a Peppol id receives', async () => {
    asp.participants.set('0235:100987654300003', 'Emirates Buyer LLC');
    expect(await adapter().lookupParticipant('100987654300003')).toMatchObject({
      outcome: 'found',
      receives: true,
      participants: [{ id: '0235:100987654300003', name: 'Emirates Buyer LLC' }],
    });
    expect(await adapter().lookupParticipant('0235:100111111100003')).toMatchObject({
      outcome: 'found',
      receives: false,
    });
  });

  it('status by our reference when the provider’s id is unknown to it', async () => {
    const id = await issue();
    await send(id);
    await drain();
    const { instance_id } = await transmission(id);
    expect(await adapter().status({ instance_id, provider_reference: null })).toMatchObject({
      outcome: 'found',
      exchange: 'delivered',
      reporting: 'reported',
    });
    expect(await adapter().status({ instance_id, provider_reference: 'doc-999999' })).toMatchObject({
      outcome: 'found',
      exchange: 'delivered',
    });
    expect(
      await adapter().status({
        instance_id: '00000000-0000-5000-8000-000000000000',
        provider_reference: null,
      }),
    ).toMatchObject({ outcome: 'not_found' });
  });
});

describe('uae-asp webhooks', () => {
  const now = new Date();
  const timestamp = Math.floor(now.getTime() / 1000);
  const payload = {
    id: 'inv-1',
    invocationTimestamp: now.toISOString(),
    items: [
      {
        eventName: 'statusChange',
        message: { id: 'doc-1', status: 'Complete', flow: 'out', idempotencyKey: 'k-1' },
      },
      {
        eventName: 'statusChange',
        message: { id: 'doc-2', status: 'Error', flow: 'out', reason: 'SMP lookup failed' },
      },
      { eventName: 'taxAuthorityResponse', message: { id: 'doc-1', reportingStatus: 'Reported' } },
      {
        eventName: 'taxAuthorityResponse',
        message: { id: 'doc-3', reportingStatus: 'Rejected', reason: 'TDD-204: invoice total mismatch' },
      },
      { eventName: 'statusChange', message: { id: 'in-7', status: 'Complete', flow: 'in' } },
      { eventName: 'statusChange', message: { id: 'doc-4', status: 'Pending', flow: 'out' } },
    ],
  };
  const body = Buffer.from(JSON.stringify(payload));
  const call = (signature: string, at = now) =>
    adapter().webhook?.({ headers: { 'x-signature': signature }, body, now: at });

  it('reads delivered, failed, reported, rejected and received events from a signed call', async () => {
    const result = await call(signatureOf(asp.webhookSecret, timestamp, body));
    expect(result).toEqual({
      outcome: 'accepted',
      events: [
        {
          kind: 'status',
          event_id: 'delivered:doc-1',
          ref: { provider_reference: 'doc-1', instance_id: 'k-1' },
          exchange: 'delivered',
          reason: null,
        },
        {
          kind: 'status',
          event_id: 'failed:doc-2',
          ref: { provider_reference: 'doc-2' },
          exchange: 'failed',
          reason: 'SMP lookup failed',
        },
        {
          kind: 'status',
          event_id: 'reported:doc-1',
          ref: { provider_reference: 'doc-1' },
          reporting: 'reported',
          reason: null,
        },
        {
          kind: 'status',
          event_id: 'rejected:doc-3',
          ref: { provider_reference: 'doc-3' },
          reporting: 'rejected',
          reason: 'TDD-204: invoice total mismatch',
        },
        { kind: 'document', event_id: 'received:in-7', provider_document_id: 'in-7' },
      ],
    });
    // The same call again names the same events (recorded once by the route).
    expect(await call(signatureOf(asp.webhookSecret, timestamp, body))).toEqual(result);
  });

  it('refuses a wrong, missing or replayed signature', async () => {
    expect(await call(signatureOf('another-secret', timestamp, body))).toMatchObject({ outcome: 'refused' });
    expect(await call('')).toMatchObject({ outcome: 'refused' });
    expect(await call(`t=${timestamp},v1=zz`)).toMatchObject({ outcome: 'refused' });
    const tampered = Buffer.from(JSON.stringify({ ...payload, id: 'inv-2' }));
    expect(
      await adapter().webhook?.({
        headers: { 'x-signature': signatureOf(asp.webhookSecret, timestamp, body) },
        body: tampered,
        now,
      }),
    ).toMatchObject({ outcome: 'refused', reason: 'signature mismatch' });
    const old = timestamp - 301;
    expect(await call(signatureOf(asp.webhookSecret, old, body))).toMatchObject({
      outcome: 'refused',
      reason: 'timestamp outside the tolerance window',
    });
  });

  it('fetches a received document’s XML by the provider’s id', async () => {
    const received = asp.receive('<Invoice><cbc:ID>SUP-1</cbc:ID></Invoice>');
    expect(await adapter().fetchDocument(received.id)).toEqual({
      outcome: 'found',
      xml: Buffer.from('<Invoice><cbc:ID>SUP-1</cbc:ID></Invoice>'),
    });
  });
});

describe('uae-asp webhooks through the public route', () => {
  let hookUrl: string;
  beforeAll(async () => {
    // Over real HTTP: the fake ASP signs and POSTs each webhook as the provider does.
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    hookUrl = `${address}/api/v1/public/transmission/uae-asp/${companyId}/webhook`;
  });
  const eventCount = async () => {
    const rows = await t.database.db.execute(
      `select count(*)::int as n from transmission_events where company_id = '${companyId}'`,
    );
    const list = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as { n: number }[];
    return Number(list[0]?.n);
  };
  /** An invoice the ASP holds whose statuses are not final yet. */
  async function pendingAtAsp() {
    const id = await issue();
    await send(id);
    asp.statusOf = () => ({ status: 'Pending' });
    await drain();
    asp.statusOf = () => ({ status: 'Complete', fta: { value: 'Reported', message: 'ok' } });
    const read = await transmission(id);
    expect(read.exchange.status).toBe('submitted');
    expect(read.reporting.status).toBe('pending');
    const [document] = documentOf(read.instance_id);
    return { id, providerId: document?.id ?? '' };
  }

  it('refuses a bad signature with 401 and records nothing', async () => {
    const { id, providerId } = await pendingAtAsp();
    const before = await eventCount();
    const payload = {
      id: 'inv-bad',
      items: [{ eventName: 'statusChange', message: { id: providerId, status: 'Complete', flow: 'out' } }],
    };
    const wrong = await asp.sendWebhook(hookUrl, payload, { secret: 'not-the-webhook-secret' });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.body).code).toBe('WEBHOOK_SIGNATURE_INVALID');
    const stale = await asp.sendWebhook(hookUrl, payload, {
      timestamp: Math.floor(Date.now() / 1000) - 3600,
    });
    expect(stale.status).toBe(401);
    expect(await eventCount()).toBe(before);
    expect((await transmission(id)).exchange.status).toBe('submitted');
  });

  it('delivered and FTA-rejected events move the transmission; the same call twice is recorded once', async () => {
    const { id, providerId } = await pendingAtAsp();
    const payload = {
      id: `inv-${providerId}`,
      items: [
        { eventName: 'statusChange', message: { id: providerId, status: 'Complete', flow: 'out' } },
        {
          eventName: 'taxAuthorityResponse',
          message: { id: providerId, reportingStatus: 'Rejected', reason: 'TDD-204: invoice total mismatch' },
        },
      ],
    };
    const first = await asp.sendWebhook(hookUrl, payload);
    expect(first.status, first.body).toBe(200);
    expect(JSON.parse(first.body)).toEqual({ received: 2, duplicates: 0 });
    const before = await eventCount();
    const again = await asp.sendWebhook(hookUrl, payload);
    expect(JSON.parse(again.body)).toEqual({ received: 0, duplicates: 2 });
    expect(await eventCount()).toBe(before);
    const read = await transmission(id);
    expect(read.exchange).toEqual({ status: 'delivered', reason: null });
    expect(read.reporting).toEqual({ status: 'rejected', reason: 'TDD-204: invoice total mismatch' });
  });

  it('a received document becomes a supplier invoice, fetched from the ASP by its id', async () => {
    // Another UAE company invoices ours; its PINT AE document reaches our ASP.
    const supplier = as(
      t.app,
      await registerUser(t.app, {
        ...AE_COMPANY,
        legal_name_en: 'Falcon Trading LLC',
        vat_number: '100123456700003',
        registration_number: 'TL778899',
      }),
    );
    const issued = await supplier({
      method: 'POST',
      url: '/api/v1/invoices/generate',
      payload: {
        customer_name: AE_COMPANY.legal_name_en,
        customer_vat_number: AE_COMPANY.vat_number,
        customer_address: AE_COMPANY.address,
        due_date: '2099-12-31',
        lines: [line],
      },
    });
    expect(issued.statusCode, issued.body).toBe(201);
    const xml = await supplier({ method: 'GET', url: `/api/v1/invoices/${issued.json().id}/xml` });
    expect(xml.statusCode, xml.body).toBe(200);
    const received = asp.receive(xml.body);
    const payload = {
      id: `inv-${received.id}`,
      items: [{ eventName: 'statusChange', message: { id: received.id, status: 'Complete', flow: 'in' } }],
    };
    const answer = await asp.sendWebhook(hookUrl, payload);
    expect(answer.status, answer.body).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ received: 1, duplicates: 0 });
    expect(JSON.parse((await asp.sendWebhook(hookUrl, payload)).body)).toEqual({
      received: 0,
      duplicates: 1,
    });
    const list = await c({ method: 'GET', url: '/api/v1/supplier-invoices' });
    expect(list.statusCode, list.body).toBe(200);
    const rows = list.json().supplier_invoices as {
      source: string;
      invoice_number: string;
      supplier_name: string | null;
    }[];
    expect(rows.filter((r) => r.source === 'peppol')).toEqual([
      expect.objectContaining({
        invoice_number: issued.json().invoice_number,
        supplier_name: 'Falcon Trading LLC',
      }),
    ]);
  });
});
