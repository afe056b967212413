// EGS units through HTTP against a fake ZATCA server on 127.0.0.1 (test/support/fake-zatca.ts): onboarding
// (OTP → compliance CSID → compliance checks → production CSID), reporting and clearance jobs with retries and
// rejections, and the counter/hash chain under concurrent issues (in one API process and across two).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from '@invoiceflow/db/orm';
import { FIRST_PIH, parseQrPayload } from '@invoiceflow/zatca';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeFailures,
  validateZatcaFiles,
  zatcaValidatorAvailability,
} from '../../../../../packages/zatca/src/test-support/validator';
import {
  as,
  createTestApp,
  openSecondApp,
  registerUser,
  type Session,
  type TestApp,
} from '../../../test/support/app';
import { type FakeZatca, rejection, startFakeZatca } from '../../../test/support/fake-zatca';
import { decrypt } from '../../lib/crypto';
import { CLEARANCE_JOB, REPORTING_JOB } from '../zatca/submission';

let t: TestApp;
let fake: FakeZatca;
beforeAll(async () => {
  fake = await startFakeZatca();
  t = await createTestApp({ ZATCA_BASE_URL: fake.url, ZATCA_RETRY_DELAY_SECONDS: 0, ZATCA_RETRY_LIMIT: 3 });
  await t.app.ctx.jobs.start();
});
afterAll(async () => {
  await t.close();
  await fake.close();
});

type Call = ReturnType<typeof as>;

const BUYER = {
  customer_name: 'Fatoora Samples LTD',
  customer_name_ar: 'شركة نماذج فاتورة المحدودة',
  customer_vat_number: '399999999800003',
  customer_address: {
    street: 'Salah Al-Din',
    building_number: '1111',
    district: 'Al-Murooj',
    city: 'Riyadh',
    postal_code: '12222',
    country: 'SA',
  },
};
const lines = [{ description: 'Consulting', description_ar: 'استشارات', quantity: '2', unit_price: '500' }];

async function issue(c: Call, body: object): Promise<{ id: string; invoice_number: string }> {
  const response = await c({ method: 'POST', url: '/api/v1/invoices/generate', payload: body });
  if (response.statusCode !== 201) throw new Error(`issue: ${response.statusCode} ${response.body}`);
  return response.json();
}

/**
 * Works a job queue until `isDone`: a retried job waits out pg-boss's backoff (at least 1–2 s for the first retry),
 * so one drain is not enough. No clock of its own: the test's timeout bounds it, so a loaded machine is only slower.
 */
async function workUntil(name: string, isDone: () => Promise<boolean>): Promise<void> {
  for (;;) {
    await t.app.ctx.jobs.drain(name);
    if (await isDone()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const zatcaOf = async (c: Call, id: string) =>
  (await c({ method: 'GET', url: `/api/v1/invoices/${id}/zatca` })).json();

/** Produced XML to run through the official validator at the end: file, expected PIH, name. */
const produced: { xml: string; pih: string; name: string }[] = [];

describe('onboarding an EGS unit with ZATCA (fake server)', () => {
  let owner: Session;
  let c: Call;
  let egsId: string;
  beforeAll(async () => {
    owner = await registerUser(t.app);
    c = as(t.app, owner);
    // A first invoice: the company gets its local sandbox unit automatically.
    await issue(c, { lines });
  });

  it('creates a unit from the company data: CSR, and a private key encrypted at rest', async () => {
    const created = await c({
      method: 'POST',
      url: '/api/v1/egs',
      payload: { environment: 'simulation', branch_name: 'Riyadh Branch', industry: 'Consulting' },
    });
    expect(created.statusCode).toBe(201);
    const egs = created.json();
    egsId = egs.id;
    expect(egs).toMatchObject({
      environment: 'simulation',
      status: 'new',
      is_current: false,
      organization_identifier: '399999999900003',
      organization_name: 'Maximum Speed Tech Supply LTD',
      organization_unit_name: 'Riyadh Branch',
      registration_number: '1010010000',
      industry: 'Consulting',
      invoice_type: '1100',
      certificate: null,
    });
    expect(egs.csr_pem).toMatch(/BEGIN CERTIFICATE REQUEST/);
    expect(egs.serial_number).toBe(`1-InvoiceFlow|2-API|3-${egs.id}`);
    expect(JSON.stringify(egs)).not.toMatch(/PRIVATE KEY/);
    const rows = (await t.database.db.execute(
      sql`SELECT private_key_enc FROM egs_units WHERE company_id = ${owner.companyId}`,
    )) as unknown as { rows: { private_key_enc: string }[] };
    expect(rows.rows).toHaveLength(2);
    for (const row of rows.rows) {
      expect(row.private_key_enc).not.toMatch(/PRIVATE KEY/);
      expect(decrypt(t.app.ctx.secrets.dataKey, row.private_key_enc)).toMatch(/BEGIN PRIVATE KEY/);
    }
    // Onboarding steps out of order are refused.
    const early = await c({ method: 'POST', url: `/api/v1/egs/${egsId}/production-csid` });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('EGS_WRONG_STEP');
  });

  it('refuses a wrong OTP with ZATCA’s message, then gets the compliance CSID with the right one', async () => {
    const wrong = await c({
      method: 'POST',
      url: `/api/v1/egs/${egsId}/compliance-csid`,
      payload: { otp: '000000' },
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json()).toMatchObject({ code: 'ZATCA_REFUSED', errors: [{ code: 'Invalid-OTP' }] });

    const ok = await c({
      method: 'POST',
      url: `/api/v1/egs/${egsId}/compliance-csid`,
      payload: { otp: fake.otp },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      status: 'compliance',
      has_compliance_csid: true,
      has_production_csid: false,
    });
    const call = fake.calls('/compliance').at(-1);
    expect(call?.headers.otp).toBe(fake.otp);
    expect(call?.headers['accept-version']).toBe('V2');
    expect(Buffer.from(String(call?.body?.csr), 'base64').toString('utf8')).toMatch(
      /BEGIN CERTIFICATE REQUEST/,
    );
  });

  it('passes the compliance checks: six sample documents signed with the compliance CSID', async () => {
    const checked = await c({ method: 'POST', url: `/api/v1/egs/${egsId}/compliance-checks` });
    expect(checked.statusCode).toBe(200);
    expect(checked.json().status).toBe('compliance_checked');
    expect(
      checked
        .json()
        .compliance_checks.map(
          (r: { subtype: string; type: string; status: string }) => `${r.subtype} ${r.type} ${r.status}`,
        ),
    ).toEqual([
      'standard invoice passed',
      'standard credit_note passed',
      'standard debit_note passed',
      'simplified invoice passed',
      'simplified credit_note passed',
      'simplified debit_note passed',
    ]);
    const calls = fake.calls('/compliance/invoices');
    expect(calls).toHaveLength(6);
    expect(calls[0]?.headers.authorization).toMatch(/^Basic /);
    let pih = FIRST_PIH;
    for (const [i, call] of calls.entries()) {
      produced.push({
        xml: Buffer.from(String(call.body?.invoice), 'base64').toString('utf8'),
        pih,
        name: `compliance sample ${i + 1}`,
      });
      pih = String(call.body?.invoiceHash);
    }
  });

  it('gets the production CSID: the unit becomes current with a fresh chain, the local one retires', async () => {
    const active = await c({ method: 'POST', url: `/api/v1/egs/${egsId}/production-csid` });
    expect(active.statusCode).toBe(200);
    expect(active.json()).toMatchObject({
      status: 'active',
      is_current: true,
      has_production_csid: true,
      last_icv: 0,
      last_invoice_hash: FIRST_PIH,
    });
    expect(active.json().certificate).toMatch(/BEGIN CERTIFICATE/);
    const production = fake.calls('/production/csids').at(-1);
    expect(production?.body?.compliance_request_id).toBe(active.json().compliance_request_id);
    const units = (await c({ method: 'GET', url: '/api/v1/egs' })).json().egs_units;
    expect(
      units.map(
        (u: { environment: string; status: string; is_current: boolean }) =>
          `${u.environment} ${u.status} ${u.is_current}`,
      ),
    ).toEqual(['simulation active true', 'local retired false']);
  });

  it('reports a simplified invoice in a job: 503 first, retried, then REPORTED', async () => {
    // A public address literal: the endpoint is accepted without DNS; its deliveries are not sent here.
    const hook = await c({
      method: 'POST',
      url: '/api/v1/webhooks',
      payload: { url: 'https://93.184.215.14/hooks', events: ['einvoice.reported', 'einvoice.rejected'] },
    });
    expect(hook.statusCode, hook.body).toBe(201);
    const invoice = await issue(c, { customer_name: 'Walk-in', lines });
    const queued = await zatcaOf(c, invoice.id);
    expect(queued).toMatchObject({
      egs_id: egsId,
      environment: 'simulation',
      is_simulated: false,
      icv: 1,
      previous_hash: FIRST_PIH,
      submission: 'reporting',
      status: 'pending',
    });
    produced.push({
      xml: (await c({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/xml` })).body,
      pih: FIRST_PIH,
      name: 'reported simplified invoice',
    });
    // The QR of a simplified invoice carries tag 9, the CA's signature of the production certificate.
    expect(parseQrPayload(queued.qr_payload).certificateSignature).toBeDefined();

    const before = fake.calls('/invoices/reporting/single').length;
    fake.script('/invoices/reporting/single', { status: 503, body: { message: 'Service Unavailable' } });
    await t.app.ctx.jobs.drain(REPORTING_JOB);
    const waiting = await zatcaOf(c, invoice.id);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, http_status: 503 });
    expect(waiting.last_error).toMatch(/503/);
    await workUntil(REPORTING_JOB, async () => (await zatcaOf(c, invoice.id)).status !== 'pending');
    const calls = fake.calls('/invoices/reporting/single').slice(before);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.body).toEqual({
      invoiceHash: queued.invoice_hash,
      uuid: invoice.id,
      invoice: expect.any(String),
    });
    expect(calls[1]?.headers.authorization).toMatch(/^Basic /);
    expect(calls[1]?.headers['accept-language']).toBe('en');
    const reported = await zatcaOf(c, invoice.id);
    expect(reported).toMatchObject({
      status: 'reported',
      zatca_status: 'REPORTED',
      http_status: 200,
      attempts: 2,
      last_error: null,
    });
    // The authority's answer is announced once, though the submission took two attempts.
    const hooks = await c({ method: 'GET', url: `/api/v1/webhooks/${hook.json().id}/deliveries` });
    const delivery = hooks.json().deliveries as { id: string; event_type: string }[];
    expect(delivery.map((d) => d.event_type)).toEqual(['einvoice.reported']);
    const sent = await c({ method: 'GET', url: `/api/v1/webhooks/deliveries/${delivery[0]?.id}` });
    expect(sent.json().payload.data).toMatchObject({
      invoice: { id: invoice.id },
      einvoice: { format: 'zatca', status: 'reported', authority_status: 'REPORTED' },
    });
  });

  it('records a 400 rejection with ZATCA’s messages (no retry); a resubmit clears it', async () => {
    const invoice = await issue(c, { ...BUYER, lines });
    const before = fake.calls('/invoices/clearance/single').length;
    fake.script(
      '/invoices/clearance/single',
      rejection('clearance', { code: 'BR-KSA-98', message: 'The buyer is wrong' }),
    );
    await t.app.ctx.jobs.drain(CLEARANCE_JOB);
    expect(fake.calls('/invoices/clearance/single').slice(before)).toHaveLength(1);
    expect(fake.calls('/invoices/clearance/single').at(-1)?.headers['clearance-status']).toBe('1');
    const rejected = await zatcaOf(c, invoice.id);
    expect(rejected).toMatchObject({
      submission: 'clearance',
      status: 'rejected',
      zatca_status: 'NOT_CLEARED',
      http_status: 400,
      attempts: 1,
      errors: [{ code: 'BR-KSA-98', message: 'The buyer is wrong', type: 'ERROR' }],
      has_cleared_xml: false,
    });
    const issued = await c({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/xml` });
    produced.push({ xml: issued.body, pih: rejected.previous_hash, name: 'cleared standard invoice' });
    expect(
      (await c({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/xml?variant=cleared` })).statusCode,
    ).toBe(404);

    const resubmitted = await c({ method: 'POST', url: `/api/v1/invoices/${invoice.id}/zatca/resubmit` });
    expect(resubmitted.statusCode).toBe(202);
    expect(resubmitted.json()).toMatchObject({ status: 'pending', attempts: 0 });
    await t.app.ctx.jobs.drain(CLEARANCE_JOB);
    const cleared = await zatcaOf(c, invoice.id);
    expect(cleared).toMatchObject({
      status: 'cleared',
      zatca_status: 'CLEARED',
      errors: [],
      has_cleared_xml: true,
    });
    const xml = await c({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/xml` });
    expect(xml.body).toBe(issued.body); // the fake stamps nothing: ZATCA's cleared XML is what it returned
    const again = await c({ method: 'POST', url: `/api/v1/invoices/${invoice.id}/zatca/resubmit` });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('ZATCA_NOT_RESUBMITTABLE');
  });

  it('keeps warnings (202), gives up after the retry limit, and does not retry a 401', async () => {
    const warned = await issue(c, { customer_name: 'Walk-in', lines });
    fake.script(
      '/invoices/reporting/single',
      { status: 429 },
      {
        status: 202,
        body: {
          validationResults: {
            infoMessages: [],
            warningMessages: [
              {
                type: 'WARNING',
                code: 'BR-KSA-80',
                category: 'KSA',
                message: 'A warning',
                status: 'WARNING',
              },
            ],
            errorMessages: [],
            status: 'WARNING',
          },
          reportingStatus: 'REPORTED',
        },
      },
    );
    await workUntil(REPORTING_JOB, async () => (await zatcaOf(c, warned.id)).status !== 'pending');
    expect(await zatcaOf(c, warned.id)).toMatchObject({
      status: 'reported',
      http_status: 202,
      warnings: [{ code: 'BR-KSA-80', message: 'A warning' }],
    });

    // Out of attempts: three already failed (as if ZATCA was down for hours); the last one gives up.
    const down = await issue(c, { customer_name: 'Walk-in', lines });
    await t.database.db.execute(
      sql`UPDATE einvoice_documents SET attempts = 3 WHERE invoice_id = ${down.id}`,
    );
    fake.script('/invoices/reporting/single', { status: 500 });
    await t.app.ctx.jobs.drain(REPORTING_JOB);
    expect(await zatcaOf(c, down.id)).toMatchObject({ status: 'failed', attempts: 4, http_status: 500 });

    const unauthorized = await issue(c, { customer_name: 'Walk-in', lines });
    const before = fake.calls('/invoices/reporting/single').length;
    fake.script('/invoices/reporting/single', { status: 401 });
    await t.app.ctx.jobs.drain(REPORTING_JOB);
    expect(fake.calls('/invoices/reporting/single').length - before).toBe(1);
    expect(await zatcaOf(c, unauthorized.id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      http_status: 401,
    });
    // Resubmitted once ZATCA answers again.
    expect(
      (await c({ method: 'POST', url: `/api/v1/invoices/${unauthorized.id}/zatca/resubmit` })).statusCode,
    ).toBe(202);
    expect((await c({ method: 'POST', url: `/api/v1/invoices/${down.id}/zatca/resubmit` })).statusCode).toBe(
      202,
    );
    await t.app.ctx.jobs.drain(REPORTING_JOB);
    expect((await zatcaOf(c, unauthorized.id)).status).toBe('reported');
    expect((await zatcaOf(c, down.id)).status).toBe('reported');

    const chain = (await c({ method: 'GET', url: '/api/v1/compliance/chain/verify' })).json();
    expect(chain).toEqual({ ok: true, count: 6, egs_units: 2 });
  });
});

describe('the counter and the hash chain under concurrent issues', () => {
  it('gives 50 concurrent issues on one EGS the counters 1..50 and an unbroken chain', async () => {
    const c = as(t.app, await registerUser(t.app));
    const invoices = await Promise.all(
      Array.from({ length: 50 }, (_, i) => issue(c, { customer_name: `Buyer ${i}`, lines })),
    );
    const statuses = await Promise.all(invoices.map((invoice) => zatcaOf(c, invoice.id)));
    expect(statuses.map((s) => s.icv).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    expect(new Set(statuses.map((s) => s.egs_id)).size).toBe(1);
    expect((await c({ method: 'GET', url: '/api/v1/compliance/chain/verify' })).json()).toEqual({
      ok: true,
      count: 50,
      egs_units: 1,
    });
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'keeps one chain when two API processes issue for one company at once (PostgreSQL)',
    async () => {
      const second = await openSecondApp(t);
      if (!second) throw new Error('no second app');
      try {
        const session = await registerUser(t.app);
        const c1 = as(t.app, session);
        const c2 = as(second.app, session);
        const invoices = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            issue(i % 2 ? c1 : c2, { customer_name: `Buyer ${i}`, lines }),
          ),
        );
        const icvs = (await Promise.all(invoices.map((invoice) => zatcaOf(c1, invoice.id)))).map(
          (s) => s.icv,
        );
        expect(icvs.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
        expect((await c2({ method: 'GET', url: '/api/v1/compliance/chain/verify' })).json()).toEqual({
          ok: true,
          count: 50,
          egs_units: 1,
        });
      } finally {
        await second.close();
      }
    },
  );
});

describe('official validator', () => {
  it.skipIf(!zatcaValidatorAvailability().available)(
    'passes every XML signed with ZATCA-onboarded certificates (compliance samples, reported, cleared)',
    async () => {
      expect(produced).toHaveLength(8);
      const dir = mkdtempSync(path.join(tmpdir(), 'zatca-egs-'));
      const entries = produced.map((p, i) => {
        const file = path.join(dir, `${String(i).padStart(2, '0')}.xml`);
        writeFileSync(file, p.xml);
        return { file, pih: p.pih, name: p.name };
      });
      const results = await validateZatcaFiles(entries);
      const failed = entries
        .map((e) => ({ e, r: results.get(e.file) }))
        .filter(({ r }) => r?.global !== 'PASSED')
        .map(({ e, r }) => `${e.name}: ${r ? describeFailures(r) : 'no result'}`);
      expect(failed).toEqual([]);
    },
    300_000,
  );
});
