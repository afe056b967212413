// Settings → Transmission over HTTP, against a phoss-ap access point on 127.0.0.1: the providers and their
// credential fields, write-only secrets kept across saves to the same provider, a switch needing every required
// field, the URL to give the provider, who may see and change them, and turning transmission off.
import { TRANSMISSION_PROVIDERS } from '@invoiceflow/db/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  as,
  type Call,
  createTestApp,
  registerUser,
  type Session,
  type TestApp,
} from '../../../test/support/app';
import { BE_COMPANY, DE_PEPPOL_BUYER, OAK_TABLE_LINE } from '../../../test/support/companies';
import { type FakeAccessPoint, startFakeAccessPoint } from '../../../test/support/fake-phoss-ap';
import { type FakeStorecove, startFakeStorecove } from '../../../test/support/storecove-server';
import { transmitDue } from './outbox';

const SETTINGS = '/api/v1/transmission/settings';

let t: TestApp;
let ap: FakeAccessPoint;
let sc: FakeStorecove;
let owner: Session;
let c: Call;
let customerId: string;
beforeAll(async () => {
  t = await createTestApp({ TRANSMISSION_TIMEOUT_MS: 2000 });
  await t.app.ctx.jobs.start();
  ap = await startFakeAccessPoint();
  sc = await startFakeStorecove();
  owner = await registerUser(t.app, BE_COMPANY);
  c = as(t.app, owner);
  const customer = await c({ method: 'POST', url: '/api/v1/customers', payload: DE_PEPPOL_BUYER });
  expect(customer.statusCode, customer.body).toBe(201);
  customerId = customer.json().id;
});
afterAll(async () => {
  await t.close();
  await ap.close();
  await sc.close();
});

const put = (payload: object) => c({ method: 'PUT', url: SETTINGS, payload });
const read = () => c({ method: 'GET', url: SETTINGS });

async function sendInvoice(): Promise<string> {
  const issued = await c({
    method: 'POST',
    url: '/api/v1/invoices/generate',
    payload: {
      customer_id: customerId,
      buyer_reference: 'PO-7',
      due_date: '2099-12-31',
      lines: [OAK_TABLE_LINE],
    },
  });
  expect(issued.statusCode, issued.body).toBe(201);
  const id = issued.json().id as string;
  const sent = await c({ method: 'POST', url: `/api/v1/invoices/${id}/send`, payload: {} });
  expect(sent.statusCode, sent.body).toBe(202);
  return id;
}
const transmissionOf = async (id: string) =>
  (await c({ method: 'GET', url: `/api/v1/invoices/${id}/transmission` })).json();

describe('the providers a company can choose', () => {
  it('lists every provider with its label and credential fields, which are required and which secret', async () => {
    const response = await c({ method: 'GET', url: '/api/v1/transmission/providers' });
    expect(response.statusCode, response.body).toBe(200);
    const items = response.json().items as {
      provider: string;
      label: string;
      credentials: { name: string; is_required: boolean; is_secret: boolean }[];
      inbound: string;
    }[];
    expect(items.map((item) => item.provider).sort()).toEqual([...TRANSMISSION_PROVIDERS].sort());
    for (const item of items) {
      expect(item.label.length).toBeGreaterThan(0);
      expect(item.credentials.some((field) => field.is_required)).toBe(true);
    }
    const phoss = items.find((item) => item.provider === 'phoss-ap');
    expect(phoss?.inbound).toBe('forward');
    expect(phoss?.credentials).toEqual([
      { name: 'api_token', is_required: true, is_secret: true },
      { name: 'inbound_token', is_required: false, is_secret: true },
    ]);
    const storecove = items.find((item) => item.provider === 'storecove');
    expect(storecove?.credentials).toContainEqual({
      name: 'legal_entity_id',
      is_required: true,
      is_secret: false,
    });
    expect(storecove?.credentials).toContainEqual({
      name: 'webhook_secret',
      is_required: false,
      is_secret: true,
    });
  });
});

describe('saving the settings', () => {
  it('answers the names of the stored credentials, never their values, and the URL to give the provider', async () => {
    const saved = await put({
      provider: 'phoss-ap',
      base_url: ap.url,
      credentials: { api_token: ap.token, inbound_token: 'inbound-secret-42' },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const settings = await read();
    expect(settings.json()).toMatchObject({
      provider: 'phoss-ap',
      base_url: ap.url,
      credentials_set: ['api_token', 'inbound_token'],
      webhook_url: `http://localhost:${t.app.ctx.config.PORT}/api/v1/public/transmission/phoss-ap/${owner.companyId}/inbound`,
    });
    expect(settings.body).not.toContain(ap.token);
    expect(settings.body).not.toContain('inbound-secret-42');
    // The URL answered is the one that takes the forwarded documents with that token.
    const path = new URL(settings.json().webhook_url).pathname;
    const forwarded = await t.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/xml', 'x-token': 'not-the-token' },
      payload: '<Invoice/>',
    });
    expect(forwarded.statusCode).toBe(401);
  });

  it('keeps a stored secret a save to the same provider leaves out, and removes an optional one sent as null', async () => {
    const kept = await put({ provider: 'phoss-ap', base_url: `${ap.url}/`, credentials: {} });
    // The check ran with the stored token: the access point answers 401 to any other.
    expect(kept.statusCode, kept.body).toBe(200);
    expect(kept.json()).toMatchObject({
      base_url: `${ap.url}/`,
      credentials_set: ['api_token', 'inbound_token'],
    });

    const removed = await put({
      provider: 'phoss-ap',
      base_url: ap.url,
      credentials: { inbound_token: null },
    });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json().credentials_set).toEqual(['api_token']);

    const replaced = await put({
      provider: 'phoss-ap',
      base_url: ap.url,
      credentials: { api_token: 'stale' },
    });
    expect(replaced.statusCode).toBe(422);
    expect(replaced.json().errors).toEqual([
      expect.objectContaining({ path: 'base_url', code: 'PROVIDER_CHECK_FAILED' }),
    ]);
    expect(replaced.json().errors[0].message).toContain('Invalid or missing API token');
    // Refused, so the stored token still works.
    expect((await put({ provider: 'phoss-ap', base_url: ap.url })).statusCode).toBe(200);
  });

  it('needs every required field when the provider changes, and keeps the old settings when refused', async () => {
    const switched = await put({
      provider: 'storecove',
      base_url: 'https://api.storecove.test',
      credentials: {},
    });
    expect(switched.statusCode).toBe(400);
    expect(switched.headers['content-type']).toContain('application/problem+json');
    expect(switched.json().code).toBe('VALIDATION_FAILED');
    expect(
      switched
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['credentials.api_key', 'credentials.legal_entity_id']);
    expect(switched.json().errors[0].code).toBe('REQUIRED');
    expect((await read()).json().provider).toBe('phoss-ap');
  });

  it('switches provider with its own credentials and webhook URL, carrying none of the old ones over', async () => {
    const switched = await put({
      provider: 'storecove',
      base_url: `${sc.url}/api/v2`,
      credentials: { api_key: sc.apiKey, legal_entity_id: String(sc.legalEntityId) },
    });
    expect(switched.statusCode, switched.body).toBe(200);
    expect(switched.json()).toMatchObject({
      provider: 'storecove',
      credentials_set: ['api_key', 'legal_entity_id'],
      webhook_url: expect.stringMatching(
        new RegExp(`/api/v1/public/transmission/storecove/${owner.companyId}/webhook$`),
      ),
    });
    // Back to the access point: its token was not kept for it, so it is asked for again.
    const back = await put({ provider: 'phoss-ap', base_url: ap.url, credentials: {} });
    expect(back.statusCode).toBe(400);
    expect(back.json().errors).toEqual([
      expect.objectContaining({ path: 'credentials.api_token', code: 'REQUIRED' }),
    ]);
    const again = await put({ provider: 'phoss-ap', base_url: ap.url, credentials: { api_token: ap.token } });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().credentials_set).toEqual(['api_token']);
  });

  it('refuses a credential the provider does not read, and a required one sent as null, with their paths', async () => {
    const unknown = await put({ provider: 'phoss-ap', base_url: ap.url, credentials: { api_key: 'x' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual([
      expect.objectContaining({ path: 'credentials.api_key', code: 'UNKNOWN_FIELD' }),
    ]);
    const cleared = await put({ provider: 'phoss-ap', base_url: ap.url, credentials: { api_token: null } });
    expect(cleared.statusCode).toBe(400);
    expect(cleared.json().errors).toEqual([
      expect.objectContaining({ path: 'credentials.api_token', code: 'REQUIRED' }),
    ]);
    const empty = await put({ provider: 'phoss-ap', base_url: ap.url, credentials: { api_token: '' } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors[0].path).toBe('credentials.api_token');
  });

  it('is for owners and administrators: finance sees neither the providers nor the settings', async () => {
    const member = as(t.app, await addMember(t.app, owner, 'finance'));
    const admin = as(t.app, await addMember(t.app, owner, 'admin'));
    for (const request of [
      { method: 'GET' as const, url: '/api/v1/transmission/providers' },
      { method: 'GET' as const, url: SETTINGS },
      { method: 'DELETE' as const, url: SETTINGS },
      { method: 'PUT' as const, url: SETTINGS, payload: { provider: 'phoss-ap', base_url: ap.url } },
    ]) {
      const refused = await member(request);
      expect(refused.statusCode, `${request.method} ${request.url}`).toBe(403);
    }
    expect((await admin({ method: 'GET', url: '/api/v1/transmission/providers' })).statusCode).toBe(200);
    expect((await admin({ method: 'GET', url: SETTINGS })).json().provider).toBe('phoss-ap');
    expect((await read()).statusCode).toBe(200);
  });
});

describe('turning transmission off', () => {
  it('fails what is still queued with a reason, keeps what the provider has, and sends by e-mail only after', async () => {
    const atProvider = await sendInvoice();
    ap.statusOf = () => ({ status: 'sending' });
    await transmitDue(t.app.ctx);
    expect((await transmissionOf(atProvider)).exchange.status).toBe('submitted');
    const queued = await sendInvoice();
    expect((await transmissionOf(queued)).exchange.status).toBe('queued');

    const off = await c({ method: 'DELETE', url: SETTINGS });
    expect(off.statusCode, off.body).toBe(204);
    expect(off.body).toBe('');
    expect((await read()).json().code).toBe('TRANSMISSION_NOT_CONFIGURED');
    expect((await transmissionOf(queued)).exchange).toEqual({
      status: 'failed',
      reason: expect.stringContaining('turned off'),
    });
    // The provider already has this one: its status stays, and the outbox does not call it failed.
    await transmitDue(t.app.ctx, { now: new Date(Date.now() + 3600_000) });
    expect((await transmissionOf(atProvider)).exchange.status).toBe('submitted');
    const submits = ap.submits;
    await transmitDue(t.app.ctx, { now: new Date(Date.now() + 7200_000) });
    expect(ap.submits).toBe(submits);

    const later = await c({
      method: 'POST',
      url: '/api/v1/invoices/generate',
      payload: {
        customer_id: customerId,
        buyer_reference: 'PO-8',
        due_date: '2099-12-31',
        lines: [OAK_TABLE_LINE],
      },
    });
    const sent = await c({
      method: 'POST',
      url: `/api/v1/invoices/${later.json().id}/send`,
      payload: { to: 'einkauf@example.de' },
    });
    expect(sent.statusCode, sent.body).toBe(202);
    expect(sent.json().transmission_status).toBe('none');
    expect((await c({ method: 'DELETE', url: SETTINGS })).statusCode).toBe(204);

    // Set up again, the failed one goes on a resubmit and the one at the provider is read back.
    ap.statusOf = () => ({ status: 'sent' });
    expect(
      (await put({ provider: 'phoss-ap', base_url: ap.url, credentials: { api_token: ap.token } }))
        .statusCode,
    ).toBe(200);
    const again = await c({ method: 'POST', url: `/api/v1/invoices/${queued}/transmission/resubmit` });
    expect(again.statusCode, again.body).toBe(202);
    await transmitDue(t.app.ctx, { now: new Date(Date.now() + 8 * 3600_000) });
    expect((await transmissionOf(queued)).exchange.status).toBe('delivered');
    expect((await transmissionOf(atProvider)).exchange.status).toBe('delivered');
  });
});
