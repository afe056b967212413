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
import { verifyChain } from './chain';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
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
    // A company whose address lacks the district (BR-KSA-09) cannot issue until it adds it.
    const { district: _, ...address } = SA_COMPANY.address;
    const incomplete = as(t.app, await registerUser(t.app, { ...SA_COMPANY, address }));
    const refused = await incomplete({
      method: 'POST',
      url: '/api/v1/invoices/generate',
      payload: { lines: [pens] },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      code: 'INVOICE_INVALID',
      errors: [{ path: 'company.address.district', code: 'BR-KSA-09' }],
    });
    // An exempt line with a zero-rating reason code.
    const wrongCode = await incomplete({
      method: 'POST',
      url: '/api/v1/invoices/generate',
      payload: { lines: [{ ...insurance, exemption_reason_code: 'VATEX-SA-35' }] },
    });
    expect(wrongCode.statusCode).toBe(422);
    expect(wrongCode.json().errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'lines.0.exemption_reason_code', code: 'BR-KSA-CL-04' }),
      ]),
    );
    // Nothing was issued, and no counter value was spent.
    expect((await incomplete({ method: 'GET', url: '/api/v1/invoices' })).json().total).toBe(0);
    expect((await incomplete({ method: 'GET', url: '/api/v1/compliance/chain/verify' })).json()).toEqual({
      ok: true,
      count: 0,
      egs_units: 0,
    });
  });

  it('answers 404 for an unknown invoice and a UAE invoice has no ZATCA XML', async () => {
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
    expect(xml.statusCode).toBe(404);
    expect(xml.json().code).toBe('ZATCA_DOCUMENT_NOT_FOUND');
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
      sql`UPDATE zatca_documents SET xml = replace(xml, ${`<cbc:ID>${target.invoice_number}</cbc:ID>`}, ${`<cbc:ID>${target.invoice_number}X</cbc:ID>`}) WHERE invoice_id = ${target.id}`,
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

    await t.database.db.execute(sql`UPDATE zatca_documents SET icv = 7 WHERE invoice_id = ${target.id}`);
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
      sql`UPDATE zatca_documents SET xml = replace(xml, ${`<cbc:ID>${target.invoice_number}</cbc:ID>`}, ${`<cbc:ID>${target.invoice_number}X</cbc:ID>`}) WHERE invoice_id = ${target.id}`,
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
