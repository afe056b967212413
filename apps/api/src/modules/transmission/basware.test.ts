// Transmission through Basware over real HTTP, against a server on 127.0.0.1 that follows its API's contract:
// OAuth2 client-credential tokens (Basic on /v1/tokens, Bearer after), the invoice posted as one record named by
// our instance id (a repeat is Basware's CONFLICT_IN_POST, never a second document), the Network system's request
// status read back, 503 and 429 retried (Retry-After honoured), a 4xx kept with Basware's errors, and push
// notifications checked against the subscription's token before their request status is read.

import { schema } from '@invoiceflow/db';
import { and, eq } from '@invoiceflow/db/orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Call, createTestApp, registerUser, type TestApp } from '../../../test/support/app';
import { type FakeBasware, startFakeBasware } from '../../../test/support/basware-server';
import { BE_COMPANY, DE_PEPPOL_BUYER, OAK_TABLE_LINE } from '../../../test/support/companies';
import { baswareAdapter } from './adapters/basware';
import { transmitDue } from './outbox';

const after = (seconds: number) => new Date(Date.now() + seconds * 1000);

let t: TestApp;
let bw: FakeBasware;
let c: Call;
let companyId: string;
let customerId: string;
beforeAll(async () => {
  t = await createTestApp({ TRANSMISSION_TIMEOUT_MS: 2000 });
  await t.app.ctx.jobs.start();
  bw = await startFakeBasware();
  const session = await registerUser(t.app, BE_COMPANY);
  companyId = session.companyId;
  c = as(t.app, session);
  const customer = await c({ method: 'POST', url: '/api/v1/customers', payload: DE_PEPPOL_BUYER });
  expect(customer.statusCode, customer.body).toBe(201);
  customerId = customer.json().id;
});
afterAll(async () => {
  await t.close();
  await bw.close();
});

async function issue() {
  const response = await c({
    method: 'POST',
    url: '/api/v1/invoices/generate',
    payload: {
      customer_id: customerId,
      buyer_reference: 'PO-121',
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
  provider: 'basware',
  base_url: bw.url,
  credentials,
});

describe('Basware settings', () => {
  it('refuses a client secret Basware’s token endpoint does not accept, and keeps nothing', async () => {
    const refused = await c({
      method: 'PUT',
      url: '/api/v1/transmission/settings',
      payload: settingsOf({ ...bw.credentials, client_secret: 'not-the-secret' }),
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('TRANSMISSION_SETTINGS_REJECTED');
    expect(refused.body).toContain('invalid_client');
    expect(refused.body).not.toContain('not-the-secret');
    expect((await c({ method: 'GET', url: '/api/v1/transmission/settings' })).statusCode).toBe(404);
  });

  it('names a missing credential field with a coded 4xx', async () => {
    const { client_secret: _, ...partial } = bw.credentials;
    const refused = await c({
      method: 'PUT',
      url: '/api/v1/transmission/settings',
      payload: settingsOf(partial),
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors).toEqual([expect.objectContaining({ path: 'credentials.client_secret' })]);
  });

  it('saves working credentials after a read-only call, sealed, and answers them without the secrets', async () => {
    const tokens = bw.tokensIssued;
    const saved = await c({
      method: 'PUT',
      url: '/api/v1/transmission/settings',
      payload: settingsOf({ ...bw.credentials }),
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(bw.tokensIssued).toBe(tokens + 1);
    expect(bw.submits).toBe(0);
    const read = await c({ method: 'GET', url: '/api/v1/transmission/settings' });
    expect(read.json()).toMatchObject({ provider: 'basware', base_url: bw.url, has_credentials: true });
    expect(read.body).not.toContain(bw.credentials.client_secret);
    const rows = await t.database.db.execute('select credentials_sealed from transmission_settings');
    expect(JSON.stringify(rows)).not.toContain(bw.credentials.client_secret);
    expect(JSON.stringify(rows)).not.toContain(bw.credentials.webhook_secret);
  });
});

describe('sending an invoice through Basware', () => {
  it('send → one record under the instance id, routed to the buyer → delivered when the Network says Success', async () => {
    const id = await issue();
    expect((await transmission(id)).exchange.status).toBe('queued');
    await drain();
    const done = await transmission(id);
    expect(done.exchange).toEqual({ status: 'delivered', reason: null });
    expect(done.reporting.status).toBe('not_applicable');
    expect(done.attempts.map((a: { action: string }) => a.action)).toEqual(['submit', 'status']);
    const document = bw.documents.get(done.instance_id);
    expect(document?.receiverId).toBe('9930:DE123456789');
    expect(document?.senderId).toBe('9925:BE0123456749');
    expect(document?.xml).toContain('<cbc:EndpointID schemeID="9930">DE123456789</cbc:EndpointID>');
    expect(await drain(after(3600))).toBe(0);
  });

  it('a 503 then a 200 leaves one document at Basware, not two', async () => {
    const id = await issue();
    const before = bw.documents.size;
    bw.script.push({ status: 503, body: { message: 'Service Unavailable' } });
    await drain();
    const waiting = await transmission(id);
    expect(waiting.exchange.status).toBe('queued');
    expect(waiting.attempts[0]).toMatchObject({
      action: 'submit',
      status_code: 503,
      outcome: 'retry',
      reason: 'Service Unavailable',
    });
    await drain(after(31));
    await drain(after(3600));
    expect(bw.documents.size).toBe(before + 1);
    expect((await transmission(id)).exchange.status).toBe('delivered');
  });

  it('a 503 whose document Basware in fact kept is found by its externalCode and not posted again', async () => {
    const id = await issue();
    const before = bw.documents.size;
    bw.script.push({ status: 503, body: { message: 'Service Unavailable' }, store: true });
    await drain();
    const submits = bw.submits;
    await drain(after(31));
    await drain(after(3600));
    const done = await transmission(id);
    expect(done.exchange.status).toBe('delivered');
    expect(bw.submits).toBe(submits);
    expect(bw.documents.size).toBe(before + 1);
  });

  it('a repeat Basware answers with CONFLICT_IN_POST is the same document, acknowledged', async () => {
    const adapter = baswareAdapter({
      base_url: bw.url,
      credentials: { ...bw.credentials },
      timeout_ms: 2000,
    });
    const id = await issue();
    await drain();
    const done = await transmission(id);
    const document = bw.documents.get(done.instance_id);
    expect(document).toBeDefined();
    const before = bw.documents.size;
    const again = await adapter.submit({
      instance_id: done.instance_id,
      xml: document?.xml ?? '',
      envelope: {
        sender: `iso6523-actorid-upis::${document?.senderId}`,
        receiver: `iso6523-actorid-upis::${document?.receiverId}`,
        document_type: document?.documentTypeId ?? '',
        process: 'cenbii-procid-ubl::urn:fdc:peppol.eu:2017:poacc:billing:01:1.0',
      },
      sender_country: 'BE',
    });
    expect(again).toEqual({
      outcome: 'acknowledged',
      status_code: 409,
      provider_reference: done.instance_id,
    });
    expect(bw.documents.size).toBe(before);
  });

  it('honours a 429’s Retry-After before it posts again', async () => {
    const id = await issue();
    bw.script.push({
      status: 429,
      headers: { 'retry-after': '600' },
      body: { message: 'Too Many Requests' },
    });
    await drain();
    const submits = bw.submits;
    expect((await transmission(id)).attempts[0]).toMatchObject({
      status_code: 429,
      reason: 'Too Many Requests',
    });
    await drain(after(300));
    expect(bw.submits).toBe(submits);
    expect((await transmission(id)).exchange.status).toBe('queued');
    await drain(after(601));
    expect(bw.submits).toBeGreaterThan(submits);
    expect((await transmission(id)).exchange.status).toBe('delivered');
  });

  it('stops on a 400 keeping Basware’s errors as the reason, and posts nothing more', async () => {
    const id = await issue();
    bw.script.push({
      status: 400,
      body: {
        requestId: 'fbc082a2-65a4-469c-b230-d84a252f18fc',
        hasErrors: true,
        errors: [
          {
            externalCode: null,
            type: 'VALIDATION',
            code: 'DATA_VALIDATION_FAILED',
            message: 'Receiver 9930:DE123456789 is not reachable on the network',
            info: null,
          },
        ],
      },
    });
    await drain();
    const failed = await transmission(id);
    expect(failed.exchange).toEqual({
      status: 'failed',
      reason: 'DATA_VALIDATION_FAILED: Receiver 9930:DE123456789 is not reachable on the network',
    });
    const submits = bw.submits;
    await drain(after(7200));
    expect(bw.submits).toBe(submits);
    expect(bw.documents.has(failed.instance_id)).toBe(false);
  });

  it('an Error from the Network system is kept failed with its message; InProgress is asked again later', async () => {
    const failing = await issue();
    bw.statusOf = () => ({ error: 'Receiver rejected the document: BR-CO-15 total mismatch' });
    await drain();
    expect((await transmission(failing)).exchange).toEqual({
      status: 'failed',
      reason: 'Receiver rejected the document: BR-CO-15 total mismatch',
    });

    const slow = await issue();
    bw.statusOf = () => 'InProgress';
    await drain();
    expect((await transmission(slow)).exchange.status).toBe('submitted');
    bw.statusOf = () => 'Success';
    await drain(after(3600));
    expect((await transmission(slow)).exchange.status).toBe('delivered');
  });

  it('a token Basware stopped accepting is replaced once, and the call goes through', async () => {
    const id = await issue();
    bw.revokeTokens();
    const tokens = bw.tokensIssued;
    await drain();
    expect((await transmission(id)).exchange.status).toBe('delivered');
    expect(bw.tokensIssued).toBe(tokens + 1);
  });
});

describe('Basware push notifications, through the webhook route', () => {
  const url = () => `/api/v1/public/transmission/basware/${companyId}/webhook`;
  const post = (notification: { body: string; headers: Record<string, string> }) =>
    t.app.inject({ method: 'POST', url: url(), payload: notification.body, headers: notification.headers });
  const eventCount = async () =>
    (
      await t.database.db
        .select({ id: schema.transmissionEvents.id })
        .from(schema.transmissionEvents)
        .where(
          and(
            eq(schema.transmissionEvents.companyId, companyId),
            eq(schema.transmissionEvents.provider, 'basware'),
          ),
        )
    ).length;
  const requestStatusTask = (requestId: string, taskId = '9b1f4c1e-8d3e-4f5a-9a1a-0c6d2f1e0001') => ({
    taskId,
    taskStatus: 'New',
    taskType: 'RequestStatus',
    taskSubType: 'Success',
    documentId: requestId,
    expirationTime: after(3600).toISOString(),
  });

  it('refuses a notification without the subscription’s signature, or signed with another token, recording nothing', async () => {
    const before = await eventCount();
    const unsigned = bw.notification(requestStatusTask('06ca6901-f728-489b-a827-704f5048858c'));
    const { 'x-basware-signature': _, ...headers } = unsigned.headers;
    for (const notification of [
      { body: unsigned.body, headers },
      bw.notification(requestStatusTask('06ca6901-f728-489b-a827-704f5048858c'), 'not-the-token'),
    ]) {
      const refused = await post(notification);
      expect(refused.statusCode).toBe(401);
      expect(refused.json().code).toBe('WEBHOOK_SIGNATURE_INVALID');
      expect(refused.body).not.toContain(bw.credentials.webhook_secret);
    }
    expect(await eventCount()).toBe(before);
  });

  it('refuses a correctly signed notification past its expirationTime (a replay)', async () => {
    const before = await eventCount();
    const refused = await post(
      bw.notification({
        ...requestStatusTask('06ca6901-f728-489b-a827-704f5048858c'),
        expirationTime: '2021-12-11T08:53:31Z',
      }),
    );
    expect(refused.statusCode).toBe(401);
    expect(await eventCount()).toBe(before);
  });

  it('answers Basware’s ConnectionTest with 200 and records nothing', async () => {
    const before = await eventCount();
    const answered = await post(
      bw.notification({
        taskId: '9b1f4c1e-8d3e-4f5a-9a1a-0c6d2f1e00ff',
        taskStatus: 'New',
        taskType: 'ConnectionTest',
        documentId: 'test',
      }),
    );
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json()).toEqual({ received: 0, duplicates: 0 });
    expect(await eventCount()).toBe(before);
  });

  it('a RequestStatus notification moves its transmission once; the same notification again is recorded once', async () => {
    bw.statusOf = () => 'InProgress';
    const id = await issue();
    await drain();
    const submitted = await transmission(id);
    expect(submitted.exchange.status).toBe('submitted');
    const requestId = bw.documents.get(submitted.instance_id)?.requestId ?? '';
    expect(requestId).toBeTruthy();

    bw.statusOf = () => 'Success';
    const notification = bw.notification(requestStatusTask(requestId));
    const first = await post(notification);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ received: 1, duplicates: 0 });
    expect((await transmission(id)).exchange).toEqual({ status: 'delivered', reason: null });
    const before = await eventCount();
    const again = await post(notification);
    expect(again.json()).toEqual({ received: 0, duplicates: 1 });
    expect(await eventCount()).toBe(before);
  });
});
