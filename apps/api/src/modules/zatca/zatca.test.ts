// Saudi issuing through HTTP: every document's signed XML through the official ZATCA validator (with --pih = the
// previous document's hash), ZATCA rule ids on refusals, the XML and status endpoints, chain verification.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from '@invoiceflow/db/orm';
import { FIRST_PIH, parseQrPayload, verifyInvoiceSignature } from '@invoiceflow/zatca';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeFailures,
  validateZatcaFiles,
  zatcaValidatorAvailability,
} from '../../../../../packages/zatca/src/test-support/validator';
import { as, createTestApp, registerUser, SA_COMPANY, type TestApp } from '../../../test/support/app';
import { chainVerifyCommand } from '../../cli/chain-verify';
import { startPdfThreads, stopPdfThreads } from '../pdf/render-pool';
import { chainPages, verifyChain } from './chain';
import { CHAIN_VERIFY_JOB } from './chain-runs';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await t.app.ctx.jobs.start();
});
afterAll(() => t.close());

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
const laptop = { description: 'Laptop', description_ar: 'حاسوب محمول', quantity: '1', unit_price: '2000' };
const pens = { description: 'Pen', description_ar: 'قلم', quantity: '3', unit_price: '34' };
const medicine = {
  description: 'Medicine',
  description_ar: 'دواء',
  quantity: '2',
  unit_price: '45.50',
  vat_category: 'Z',
  exemption_reason_code: 'VATEX-SA-35',
  exemption_reason: 'Medicines and medical equipment',
};
const insurance = {
  description: 'Life insurance premium',
  description_ar: 'قسط تأمين على الحياة',
  quantity: '1',
  unit_price: '300',
  vat_category: 'E',
  exemption_reason_code: 'VATEX-SA-29',
  exemption_reason: 'Financial services mentioned in Article 29 of the VAT Regulations',
};
const outOfScope = {
  description: 'Government fee',
  description_ar: 'رسوم حكومية',
  quantity: '1',
  unit_price: '50',
  vat_category: 'O',
  exemption_reason_code: 'VATEX-SA-OOS',
  exemption_reason: 'Out of scope of VAT',
};

async function issue(c: Call, body: object) {
  const response = await c({ method: 'POST', url: '/api/v1/invoices/generate', payload: body });
  if (response.statusCode !== 201) throw new Error(`issue: ${response.statusCode} ${response.body}`);
  return response.json() as {
    id: string;
    invoice_number: string;
    qr_code_data: string;
    total_amount: string;
  };
}

describe('issuing for a Saudi company (local sandbox EGS, out of the box)', () => {
  let c: Call;
  const issued: { name: string; id: string; number: string }[] = [];
  beforeAll(async () => {
    c = as(t.app, await registerUser(t.app));
  });

  it('issues standard and simplified invoices, credit and debit notes with S/Z/E/O, allowances, Arabic, USD', async () => {
    const add = async (name: string, body: object) => {
      const invoice = await issue(c, body);
      issued.push({ name, id: invoice.id, number: invoice.invoice_number });
      return invoice;
    };
    const b2c = await add('simplified invoice, Arabic buyer', {
      customer_name: 'مؤسسة النخيل للتجارة',
      lines: [laptop, pens],
      notes: 'شكراً لتعاملكم معنا',
    });
    const b2b = await add('standard invoice S/Z/E, document allowance and charge', {
      ...BUYER,
      lines: [laptop, medicine, insurance],
      allowances_charges: [
        { is_charge: false, amount: '100', reason: 'Discount', vat_category: 'S', vat_rate: '15' },
        {
          is_charge: true,
          amount: '20',
          reason: 'Freight',
          reason_code: 'FC',
          vat_category: 'S',
          vat_rate: '15',
        },
      ],
    });
    await add('standard credit note', {
      type: 'credit_note',
      original_invoice_id: b2b.id,
      reason: 'Returned one item',
      lines: [{ ...pens, quantity: '1' }],
    });
    await add('standard debit note', {
      type: 'debit_note',
      original_invoice_id: b2b.id,
      reason: 'Price adjustment',
      lines: [
        { description: 'Price difference', description_ar: 'فرق السعر', quantity: '1', unit_price: '25' },
      ],
    });
    await add('simplified credit note', {
      type: 'credit_note',
      original_invoice_id: b2c.id,
      reason: 'Damaged pen',
      lines: [{ ...pens, quantity: '1' }],
    });
    await add('simplified debit note', {
      type: 'debit_note',
      original_invoice_id: b2c.id,
      reason: 'Delivery added',
      lines: [{ description: 'Delivery', description_ar: 'توصيل', quantity: '1', unit_price: '15' }],
    });
    await add('standard invoice with O and a line allowance', {
      ...BUYER,
      lines: [
        { ...laptop, allowances_charges: [{ is_charge: false, amount: '200', reason: 'Loyalty discount' }] },
        outOfScope,
      ],
    });
    await add('standard invoice in USD with VAT in SAR', {
      ...BUYER,
      currency: 'USD',
      tax_currency: 'SAR',
      exchange_rate: '3.75',
      lines: [laptop, pens],
    });
    const customer = await c({
      method: 'POST',
      url: '/api/v1/customers',
      payload: {
        kind: 'company',
        name_en: 'Al Nakheel Trading',
        name_ar: 'مؤسسة النخيل للتجارة',
        vat_number: '300000000000003',
        address: {
          street: 'طريق الملك فهد',
          building_number: '4321',
          district: 'العليا',
          city: 'الرياض',
          postal_code: '12211',
          country: 'SA',
        },
      },
    });
    expect(customer.statusCode).toBe(201);
    await add('standard invoice to a customer with an Arabic address', {
      customer_id: customer.json().id,
      lines: [pens, { ...medicine, quantity: '1' }],
    });
    await add('simplified invoice without a buyer name', { lines: [pens] });
    expect(issued).toHaveLength(10);
  });

  it('keeps the XML, QR, hash, ICV and PIH with each invoice; the chain is unbroken', async () => {
    let previous = FIRST_PIH;
    for (const [index, doc] of issued.entries()) {
      const status = (await c({ method: 'GET', url: `/api/v1/invoices/${doc.id}/zatca` })).json();
      expect(status).toMatchObject({
        icv: index + 1,
        previous_hash: previous,
        uuid: doc.id,
        environment: 'local',
        is_simulated: true,
        signature_status: 'signed',
      });
      expect(status.status).toBe(status.submission === 'clearance' ? 'cleared' : 'reported');
      const xml = await c({ method: 'GET', url: `/api/v1/invoices/${doc.id}/xml` });
      expect(xml.statusCode).toBe(200);
      expect(xml.headers['content-type']).toMatch(/^application\/xml/);
      expect(xml.headers['content-disposition']).toContain(`filename="${doc.number}.xml"`);
      expect(verifyInvoiceSignature(xml.body).valid).toBe(true);
      expect(parseQrPayload(status.qr_payload).invoiceHash).toBe(status.invoice_hash);
      previous = status.invoice_hash;
    }
    const chain = await c({ method: 'GET', url: '/api/v1/compliance/chain/verify' });
    expect(chain.json()).toEqual({ ok: true, count: 10, egs_units: 1 });
    // The local sandbox is labelled as such on the unit.
    const units = (await c({ method: 'GET', url: '/api/v1/egs' })).json().egs_units;
    expect(units).toHaveLength(1);
    expect(units[0]).toMatchObject({
      environment: 'local',
      is_local_sandbox: true,
      is_current: true,
      last_icv: 10,
    });
    expect(units[0].notice).toMatch(/NOT from ZATCA/);
    expect(units[0].certificate).toMatch(/BEGIN CERTIFICATE/);
  });

  const validator = zatcaValidatorAvailability();
  it.skipIf(!validator.available)(
    'every XML passes the official ZATCA validator (GLOBAL VALIDATION RESULT = PASSED)',
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'zatca-api-'));
      const entries: { file: string; pih: string; hash: string; name: string }[] = [];
      for (const [index, doc] of issued.entries()) {
        const status = (await c({ method: 'GET', url: `/api/v1/invoices/${doc.id}/zatca` })).json();
        const xml = (await c({ method: 'GET', url: `/api/v1/invoices/${doc.id}/xml` })).body;
        const file = path.join(dir, `${String(index).padStart(2, '0')}.xml`);
        writeFileSync(file, xml);
        entries.push({ file, pih: status.previous_hash, hash: status.invoice_hash, name: doc.name });
      }
      const results = await validateZatcaFiles(entries);
      const failed = entries
        .map((e) => ({ e, r: results.get(e.file) }))
        .filter(({ r }) => r?.global !== 'PASSED')
        .map(({ e, r }) => `${e.name}: ${r ? describeFailures(r) : 'no result'}`);
      expect(failed).toEqual([]);
      for (const e of entries) expect(results.get(e.file)?.invoiceHash, e.name).toBe(e.hash);
    },
    300_000,
  );

  it('refuses what ZATCA would reject, with the official rule ids and the field to fix (422)', async () => {
    const { district: _, ...address } = SA_COMPANY.address;
    const incomplete = as(t.app, await registerUser(t.app, { ...SA_COMPANY, address }));
    // An exempt line at 15 % (BR-E-05): ZATCA rejects it.
    const refused = await incomplete({
      method: 'POST',
      url: '/api/v1/invoices/generate',
      payload: { lines: [{ ...insurance, vat_rate: '15' }] },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      code: 'INVOICE_INVALID',
      errors: [{ path: 'lines.0.vat_rate', code: 'BR-E-05' }],
    });
    // Nothing was issued, and no counter value was spent.
    expect((await incomplete({ method: 'GET', url: '/api/v1/invoices' })).json().total).toBe(0);
    expect((await incomplete({ method: 'GET', url: '/api/v1/compliance/chain/verify' })).json()).toEqual({
      ok: true,
      count: 0,
      egs_units: 0,
    });
    // A company address without the district (BR-KSA-09) and an exempt line with a zero-rating reason code
    // (BR-KSA-CL-04): ZATCA only warns, so the invoice is issued and says what to fix.
    const warned = await incomplete({
      method: 'POST',
      url: '/api/v1/invoices/generate',
      payload: { lines: [{ ...insurance, exemption_reason_code: 'VATEX-SA-35' }] },
    });
    expect(warned.statusCode).toBe(201);
    expect(warned.json().warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'company.address.district', code: 'BR-KSA-09' }),
        expect.objectContaining({ path: 'lines.0.exemption_reason_code', code: 'BR-KSA-CL-04' }),
      ]),
    );
  });

  it('answers 404 for an unknown invoice; a UAE invoice has its PINT AE XML and no ZATCA document', async () => {
    const missing = await c({
      method: 'GET',
      url: '/api/v1/invoices/00000000-0000-4000-8000-000000000000/xml',
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('INVOICE_NOT_FOUND');
    const uae = as(
      t.app,
      await registerUser(t.app, {
        legal_name_en: 'Gulf Trading LLC',
        country: 'AE',
        vat_number: '100000000000003',
        address: { street: 'Sheikh Zayed Road', city: 'Dubai', country: 'AE', emirate: 'DXB' },
      }),
    );
    const invoice = await issue(uae, {
      customer_name: 'Buyer',
      lines: [{ description: 'x', quantity: 1, unit_price: 10 }],
    });
    const xml = await uae({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/xml` });
    expect(xml.statusCode).toBe(200);
    expect(xml.body).toContain('<cbc:CustomizationID>urn:peppol:pint:billing-1@ae-1</cbc:CustomizationID>');
    const status = await uae({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/zatca` });
    expect(status.statusCode).toBe(404);
    expect(status.json().code).toBe('ZATCA_DOCUMENT_NOT_FOUND');
  });
});

describe('chain verification', () => {
  it('reports the first break: a tampered XML (hash), then an out-of-order counter', async () => {
    const session = await registerUser(t.app);
    const c = as(t.app, session);
    const invoices = [];
    for (let i = 0; i < 4; i++)
      invoices.push(await issue(c, { lines: [{ ...pens, quantity: String(i + 1) }] }));
    expect((await c({ method: 'GET', url: '/api/v1/compliance/chain/verify' })).json()).toMatchObject({
      ok: true,
      count: 4,
    });

    const target = invoices[2];
    if (!target) throw new Error('no invoice');
    // Someone edits the stored XML of the third invoice (its number): its hash no longer matches.
    await t.database.db.execute(
      sql`UPDATE einvoice_documents SET xml = replace(xml, ${`<cbc:ID>${target.invoice_number}</cbc:ID>`}, ${`<cbc:ID>${target.invoice_number}X</cbc:ID>`}) WHERE invoice_id = ${target.id}`,
    );
    const broken = (await c({ method: 'GET', url: '/api/v1/compliance/chain/verify' })).json();
    expect(broken).toMatchObject({
      ok: false,
      count: 2,
      break: { kind: 'hash', invoice_id: target.id, invoice_number: target.invoice_number, icv: 3 },
    });

    // The CLI says the same, with a non-zero exit code.
    const cli = await chainVerifyCommand(t.database.db, ['--company', session.companyId]);
    expect(cli.exitCode).toBe(1);
    expect(JSON.parse(cli.output)).toMatchObject({ ok: false, break: { kind: 'hash', icv: 3 } });
    const usage = await chainVerifyCommand(t.database.db, []);
    expect(usage.exitCode).toBe(2);

    await t.database.db.execute(
      sql`UPDATE einvoice_documents SET position = 7 WHERE invoice_id = ${target.id}`,
    );
    const counter = (await c({ method: 'GET', url: '/api/v1/compliance/chain/verify' })).json();
    expect(counter).toMatchObject({ ok: false, count: 2, break: { kind: 'counter', expected: '3' } });
  });

  it('reads the chain a page at a time and still finds a break on a later page', async () => {
    const session = await registerUser(t.app);
    const c = as(t.app, session);
    const issued = [];
    for (let i = 0; i < 9; i++)
      issued.push(await issue(c, { lines: [{ ...pens, quantity: String(i + 1) }] }));
    const byPages = { pageBytes: 1 };
    expect(await verifyChain(t.database.db, { companyId: session.companyId }, byPages)).toEqual({
      ok: true,
      count: 9,
      egs_units: 1,
    });
    const target = issued[6];
    if (!target) throw new Error('no invoice');
    await t.database.db.execute(
      sql`UPDATE einvoice_documents SET xml = replace(xml, ${`<cbc:ID>${target.invoice_number}</cbc:ID>`}, ${`<cbc:ID>${target.invoice_number}X</cbc:ID>`}) WHERE invoice_id = ${target.id}`,
    );
    expect(await verifyChain(t.database.db, { companyId: session.companyId }, byPages)).toMatchObject({
      ok: false,
      count: 6,
      break: { kind: 'hash', invoice_id: target.id, icv: 7 },
    });
  });

  it('the CLI reports { ok, count } for an intact chain', async () => {
    const session = await registerUser(t.app);
    await issue(as(t.app, session), { lines: [pens] });
    const cli = await chainVerifyCommand(t.database.db, ['--company', session.companyId]);
    expect(cli.exitCode).toBe(0);
    expect(JSON.parse(cli.output)).toEqual({ ok: true, count: 1, egs_units: 1 });
  });
});

describe('chain verification runs', () => {
  const tamper = (invoice: { id: string; invoice_number: string }) =>
    t.database.db.execute(
      sql`UPDATE einvoice_documents SET xml = replace(xml, ${`<cbc:ID>${invoice.invoice_number}</cbc:ID>`}, ${`<cbc:ID>${invoice.invoice_number}X</cbc:ID>`}) WHERE invoice_id = ${invoice.id}`,
    );

  it('runs in the background with its progress, a second start answers the same run, and the break is found', async () => {
    const session = await registerUser(t.app);
    const c = as(t.app, session);
    const invoices = [];
    for (let i = 0; i < 5; i++)
      invoices.push(await issue(c, { lines: [{ ...pens, quantity: String(i + 1) }] }));

    const started = await c({ method: 'POST', url: '/api/v1/compliance/chain/runs' });
    expect(started.statusCode).toBe(202);
    const run = started.json();
    expect(run).toMatchObject({ status: 'queued', checked: 0, total: 5, result: null });
    expect(started.headers.location).toBe(`/api/v1/compliance/chain/runs/${run.id}`);
    const again = await c({ method: 'POST', url: '/api/v1/compliance/chain/runs' });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(run.id);

    await t.app.ctx.jobs.drain(CHAIN_VERIFY_JOB);
    const done = (await c({ method: 'GET', url: `/api/v1/compliance/chain/runs/${run.id}` })).json();
    expect(done).toMatchObject({
      status: 'done',
      checked: 5,
      total: 5,
      result: { ok: true, count: 5, egs_units: 1 },
      error: null,
    });
    expect(done.finished_at).not.toBeNull();

    const target = invoices[3];
    if (!target) throw new Error('no invoice');
    await tamper(target);
    const second = (await c({ method: 'POST', url: '/api/v1/compliance/chain/runs' })).json();
    expect(second.id).not.toBe(run.id);
    await t.app.ctx.jobs.drain(CHAIN_VERIFY_JOB);
    expect(
      (await c({ method: 'GET', url: `/api/v1/compliance/chain/runs/${second.id}` })).json(),
    ).toMatchObject({
      status: 'done',
      checked: 3,
      result: { ok: false, count: 3, break: { kind: 'hash', invoice_id: target.id, icv: 4 } },
    });

    // Another company cannot read the run.
    const other = as(t.app, await registerUser(t.app));
    const foreign = await other({ method: 'GET', url: `/api/v1/compliance/chain/runs/${run.id}` });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('CHAIN_RUN_NOT_FOUND');
  });

  it('a run whose process died is taken over by the job and resumes after its last verified document', async () => {
    const session = await registerUser(t.app);
    const c = as(t.app, session);
    const invoices = [];
    for (let i = 0; i < 4; i++)
      invoices.push(await issue(c, { lines: [{ ...pens, quantity: String(i + 1) }] }));
    const run = (await c({ method: 'POST', url: '/api/v1/compliance/chain/runs' })).json();
    const second = (await c({ method: 'GET', url: `/api/v1/invoices/${invoices[1]?.id}/zatca` })).json();
    // A process took the run, verified two documents, wrote its progress and died (its heartbeat stopped).
    await t.database.db.execute(
      sql`UPDATE zatca_chain_runs SET status = 'running', checked = 2, heartbeat_at = now() - interval '1 hour',
          cursor = jsonb_build_object('chainId', (SELECT chain_id FROM einvoice_documents WHERE invoice_id = ${second.invoice_id}),
            'position', 2, 'hash', ${second.invoice_hash}::text)
          WHERE id = ${run.id}`,
    );
    // The first document changed since it was verified: a resumed run does not read it again.
    const first = invoices[0];
    if (!first) throw new Error('no invoice');
    await tamper(first);
    await t.app.ctx.jobs.drain(CHAIN_VERIFY_JOB);
    expect((await c({ method: 'GET', url: `/api/v1/compliance/chain/runs/${run.id}` })).json()).toMatchObject(
      {
        status: 'done',
        checked: 4,
        result: { ok: true, count: 4 },
      },
    );
  });

  it('a company starts a limited number of verifications an hour: then 429 with Retry-After', async () => {
    const c = as(t.app, await registerUser(t.app));
    await issue(c, { lines: [pens] });
    for (let i = 0; i < t.config.CHAIN_VERIFY_RUNS_PER_HOUR; i++) {
      const started = await c({ method: 'POST', url: '/api/v1/compliance/chain/runs' });
      expect(started.statusCode).toBe(202);
      await t.app.ctx.jobs.drain(CHAIN_VERIFY_JOB);
    }
    const refused = await c({ method: 'POST', url: '/api/v1/compliance/chain/runs' });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.json().code).toBe('TOO_MANY_REQUESTS');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // The synchronous check is the same work and counts against the same limit.
    expect((await c({ method: 'GET', url: '/api/v1/compliance/chain/verify' })).statusCode).toBe(429);
  });

  it('reads the chain in pages bounded by bytes, a document larger than a page alone', async () => {
    const session = await registerUser(t.app);
    const c = as(t.app, session);
    for (let i = 0; i < 6; i++) {
      const lines = Array.from({ length: 1 + i * 3 }, (_, n) => ({ ...pens, quantity: String(n + 1) }));
      await issue(c, { lines });
    }
    const sizes = (await t.database.db.execute(
      sql`SELECT position AS icv, octet_length(xml) AS bytes FROM einvoice_documents WHERE company_id = ${session.companyId} ORDER BY position`,
    )) as unknown as { rows: { icv: number; bytes: number }[] };
    const bytesOf = new Map(sizes.rows.map((row) => [Number(row.icv), Number(row.bytes)]));
    const [chainId] = (
      (await t.database.db.execute(
        sql`SELECT DISTINCT chain_id FROM einvoice_documents WHERE company_id = ${session.companyId}`,
      )) as unknown as { rows: { chain_id: string }[] }
    ).rows.map((row) => row.chain_id);
    if (!chainId) throw new Error('no chain');
    // A page holds the first two documents (the smallest); the larger ones come fewer per page.
    const pageBytes = (bytesOf.get(1) ?? 0) + (bytesOf.get(2) ?? 0);
    const pages: number[][] = [];
    for await (const page of chainPages(t.database.db, {
      companyId: session.companyId,
      chainId,
      afterIcv: 0,
      pageBytes,
    })) {
      pages.push(page.map((row) => row.position));
      const bytes = page.reduce((sum, row) => sum + (bytesOf.get(row.position) ?? 0), 0);
      expect(page.length === 1 || bytes <= pageBytes).toBe(true);
    }
    expect(pages.flat()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(pages[0]).toEqual([1, 2]);
    // Every document larger than half a page is alone on its page.
    for (const page of pages.slice(1)) if (page.length > 1) expect(page.length).toBeLessThan(3);
  });

  it('GET /compliance/chain/verify answers a chain longer than the synchronous limit with 202 and its run', async () => {
    const small = await createTestApp({ CHAIN_VERIFY_SYNC_MAX_DOCUMENTS: 2 });
    try {
      await small.app.ctx.jobs.start();
      const c = as(small.app, await registerUser(small.app));
      for (let i = 0; i < 3; i++) await issue(c, { lines: [{ ...pens, quantity: String(i + 1) }] });
      const answer = await c({ method: 'GET', url: '/api/v1/compliance/chain/verify' });
      expect(answer.statusCode).toBe(202);
      const run = answer.json();
      expect(run).toMatchObject({ status: 'queued', total: 3 });
      expect(answer.headers.location).toBe(`/api/v1/compliance/chain/runs/${run.id}`);
      await small.app.ctx.jobs.drain(CHAIN_VERIFY_JOB);
      expect(
        (await c({ method: 'GET', url: `/api/v1/compliance/chain/runs/${run.id}` })).json(),
      ).toMatchObject({ status: 'done', result: { ok: true, count: 3 } });
    } finally {
      await small.close();
    }
  });

  it('with worker threads, invoices are signed and chain documents checked on them, and the chain verifies', async () => {
    await startPdfThreads(1);
    try {
      const c = as(t.app, await registerUser(t.app));
      const invoices = [];
      for (let i = 0; i < 3; i++)
        invoices.push(await issue(c, { lines: [{ ...pens, quantity: String(i + 1) }] }));
      const xml = (await c({ method: 'GET', url: `/api/v1/invoices/${invoices[2]?.id}/xml` })).body;
      expect(verifyInvoiceSignature(xml)).toMatchObject({ valid: true });
      expect((await c({ method: 'GET', url: '/api/v1/compliance/chain/verify' })).json()).toEqual({
        ok: true,
        count: 3,
        egs_units: 1,
      });
      const target = invoices[1];
      if (!target) throw new Error('no invoice');
      await tamper(target);
      expect((await c({ method: 'GET', url: '/api/v1/compliance/chain/verify' })).json()).toMatchObject({
        ok: false,
        break: { kind: 'hash', icv: 2 },
      });
    } finally {
      await stopPdfThreads();
    }
  });
});
