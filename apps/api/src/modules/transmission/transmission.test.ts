// Transmission through a phoss-ap access point on 127.0.0.1 over real HTTP: settings tested on save, the send
// queueing it, the outbox submitting with the invoice's instance id, retries (503, 429 with Retry-After), a 4xx
// kept with its reason, and a resubmit after a failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  type Call,
  createTestApp,
  registerUser,
  SA_COMPANY,
  type TestApp,
} from '../../../test/support/app';
import { BE_COMPANY, DE_PEPPOL_BUYER, OAK_TABLE_LINE } from '../../../test/support/companies';
import { type FakeAccessPoint, startFakeAccessPoint } from '../../../test/support/fake-phoss-ap';
import { transmitDue } from './outbox';

const after = (seconds: number) => new Date(Date.now() + seconds * 1000);

let t: TestApp;
let ap: FakeAccessPoint;
let c: Call;
let customerId: string;
beforeAll(async () => {
  t = await createTestApp({ TRANSMISSION_TIMEOUT_MS: 2000 });
  await t.app.ctx.jobs.start();
  ap = await startFakeAccessPoint();
  c = as(t.app, await registerUser(t.app, BE_COMPANY));
  const customer = await c({ method: 'POST', url: '/api/v1/customers', payload: DE_PEPPOL_BUYER });
  expect(customer.statusCode, customer.body).toBe(201);
  customerId = customer.json().id;
});
afterAll(async () => {
  await t.close();
  await ap.close();
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
  return response.json().id as string;
}
async function send(id: string) {
  return c({ method: 'POST', url: `/api/v1/invoices/${id}/send`, payload: {} });
}
async function transmission(id: string) {
  const response = await c({ method: 'GET', url: `/api/v1/invoices/${id}/transmission` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
const drain = (now?: Date) => transmitDue(t.app.ctx, now ? { now } : {});

describe('transmission settings', () => {
  it('refuses settings the access point does not accept, with a coded 422, and keeps nothing', async () => {
    const refused = await c({
      method: 'PUT',
      url: '/api/v1/transmission/settings',
      payload: { provider: 'phoss-ap', base_url: ap.url, credentials: { api_token: 'wrong-token' } },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json().code).toBe('TRANSMISSION_SETTINGS_REJECTED');
    expect(refused.body).not.toContain('wrong-token');
    expect((await c({ method: 'GET', url: '/api/v1/transmission/settings' })).statusCode).toBe(404);
  });

  it('saves working settings and answers them without the credentials; the token is sealed at rest', async () => {
    const saved = await c({
      method: 'PUT',
      url: '/api/v1/transmission/settings',
      payload: { provider: 'phoss-ap', base_url: ap.url, credentials: { api_token: ap.token } },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const read = await c({ method: 'GET', url: '/api/v1/transmission/settings' });
    expect(read.json()).toMatchObject({ provider: 'phoss-ap', base_url: ap.url, has_credentials: true });
    expect(read.body).not.toContain(ap.token);
    const rows = await t.database.db.execute('select credentials_sealed from transmission_settings');
    expect(JSON.stringify(rows)).not.toContain(ap.token);
  });
});

describe('sending an invoice through the access point', () => {
  it('send → submitted once with the invoice’s instance id → delivered', async () => {
    const id = await issue();
    const sent = await send(id);
    expect(sent.statusCode, sent.body).toBe(202);
    expect(sent.json().transmission_status).toBe('queued');
    expect((await transmission(id)).exchange.status).toBe('queued');
    await drain();
    const after1 = await transmission(id);
    expect(after1.exchange).toEqual({ status: 'delivered', reason: null });
    expect(after1.reporting.status).toBe('not_applicable');
    expect(after1.attempts.map((a: { action: string }) => a.action)).toEqual(['submit', 'status']);
    const document = ap.documents.get(after1.instance_id);
    expect(document?.sender).toBe('iso6523-actorid-upis::9925:BE0123456749');
    expect(document?.receiver).toBe('iso6523-actorid-upis::9930:DE123456789');
    expect(document?.docType).toContain('Invoice-2::Invoice##urn:cen.eu:en16931:2017');
    expect(document?.xml).toContain('<cbc:ID>');
    // Sending again queues nothing new, and the outbox has nothing due.
    expect((await send(id)).statusCode).toBe(202);
    expect(await drain(after(3600))).toBe(0);
  });

  it('a 503 then a 200 puts one document at the access point, not two', async () => {
    const id = await issue();
    await send(id);
    const before = ap.documents.size;
    ap.script.push({ status: 503, body: 'maintenance' });
    await drain();
    const waiting = await transmission(id);
    expect(waiting.exchange.status).toBe('queued');
    expect(waiting.attempts[0]).toMatchObject({ action: 'submit', status_code: 503, outcome: 'retry' });
    await drain(after(31));
    await drain(after(3600));
    expect(ap.documents.size).toBe(before + 1);
    expect((await transmission(id)).exchange.status).toBe('delivered');
  });

  it('honours a 429’s Retry-After before it submits again', async () => {
    const id = await issue();
    await send(id);
    ap.script.push({ status: 429, headers: { 'retry-after': '600' }, body: '{"error":"rate limited"}' });
    await drain();
    const submits = ap.submits;
    await drain(after(300));
    expect(ap.submits).toBe(submits);
    expect((await transmission(id)).exchange.status).toBe('queued');
    await drain(after(601));
    expect(ap.submits).toBeGreaterThan(submits);
    expect((await transmission(id)).exchange.status).toBe('delivered');
  });

  it('stops on a 4xx keeping the provider’s reason, and a resubmit sends it under a new instance id', async () => {
    const id = await issue();
    await send(id);
    const reason = '"Failed to parse the receiving participant ID \'x\'"';
    ap.script.push({ status: 400, body: reason });
    await drain();
    const failed = await transmission(id);
    expect(failed.exchange).toEqual({ status: 'failed', reason });
    const submits = ap.submits;
    await drain(after(7200));
    expect(ap.submits).toBe(submits);

    const refused = await c({ method: 'POST', url: `/api/v1/invoices/${id}/transmission/resubmit` });
    expect(refused.statusCode, refused.body).toBe(202);
    const again = refused.json();
    expect(again.generation).toBe(2);
    expect(again.instance_id).not.toBe(failed.instance_id);
    await drain();
    const delivered = await transmission(id);
    expect(delivered.exchange.status).toBe('delivered');
    expect(delivered.attempts.length).toBe(3);
    const twice = await c({ method: 'POST', url: `/api/v1/invoices/${id}/transmission/resubmit` });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('TRANSMISSION_NOT_FAILED');
  });

  it('a delivery failure reported by the access point is kept with its reason', async () => {
    const id = await issue();
    await send(id);
    ap.statusOf = () => ({ status: 'permanently_failed', errorDetails: 'Receiver not found in SMP' });
    await drain();
    ap.statusOf = () => ({ status: 'sent' });
    expect((await transmission(id)).exchange).toEqual({
      status: 'failed',
      reason: 'Receiver not found in SMP',
    });
  });
});

describe('what cannot be transmitted', () => {
  it('refuses with a coded 409 an invoice without a Peppol document, once a provider is configured', async () => {
    const plain = await c({
      method: 'POST',
      url: '/api/v1/customers',
      payload: { ...DE_PEPPOL_BUYER, peppol_endpoint: undefined, email: 'buyer@example.com' },
    });
    const issued = await c({
      method: 'POST',
      url: '/api/v1/invoices/generate',
      payload: { customer_id: plain.json().id, due_date: '2099-12-31', lines: [OAK_TABLE_LINE] },
    });
    const sent = await send(issued.json().id);
    expect(sent.statusCode).toBe(409);
    expect(sent.json().code).toBe('INVOICE_NOT_TRANSMITTABLE');
    expect(
      (await c({ method: 'GET', url: `/api/v1/invoices/${issued.json().id}/transmission` })).statusCode,
    ).toBe(404);
  });

  it('keeps a company without a provider sending by e-mail only', async () => {
    const saudi = as(t.app, await registerUser(t.app, SA_COMPANY));
    const settings = await saudi({ method: 'GET', url: '/api/v1/transmission/settings' });
    expect(settings.statusCode).toBe(404);
    expect(settings.json().code).toBe('TRANSMISSION_NOT_CONFIGURED');
  });
});
