// Saudi invoices that name the buyer by an id other than a VAT number (BT-46 with its scheme), export invoices
// (KSA-2 position 5) and the seller's one legal name and registration scheme, through HTTP. Every document is
// issued by a company of its own, so each is the first of its chain and one validator run checks them all.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FIRST_PIH, parseQrPayload } from '@invoiceflow/zatca';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeFailures,
  validateZatcaFiles,
  zatcaValidatorAvailability,
} from '../../../../../packages/zatca/src/test-support/validator';
import {
  AE_COMPANY,
  as,
  createTestApp,
  registerUser,
  SA_COMPANY,
  type TestApp,
} from '../../../test/support/app';
import { SA_BUYER } from '../../../test/support/companies';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type Call = ReturnType<typeof as>;

const FOREIGN_ADDRESS = {
  street: '10 Downing Street',
  city: 'London',
  postal_code: 'SW1A 2AA',
  country: 'GB',
};
const exportedGoods = {
  description: 'Dates, 20 kg cartons',
  description_ar: 'تمور، كراتين ٢٠ كغ',
  quantity: '40',
  unit_price: '150.00',
  vat_category: 'Z',
  exemption_reason_code: 'VATEX-SA-32',
  exemption_reason: 'Export of goods',
};
const exportedServices = {
  description: 'Software consulting',
  quantity: '12',
  unit_price: '900.00',
  vat_category: 'Z',
  exemption_reason_code: 'VATEX-SA-33',
  exemption_reason: 'Export of services',
};
const healthcare = {
  description: 'Dental treatment',
  description_ar: 'علاج أسنان',
  quantity: '1',
  unit_price: '1200.00',
  vat_category: 'Z',
  exemption_reason_code: 'VATEX-SA-HEA',
  exemption_reason: 'Private healthcare to citizen',
};
const education = {
  description: 'School fees, term 1',
  quantity: '1',
  unit_price: '8500.00',
  vat_category: 'Z',
  exemption_reason_code: 'VATEX-SA-EDU',
  exemption_reason: 'Private education to citizen',
};
const standardLine = { description: 'Office chair', quantity: '2', unit_price: '450.00' };

interface AcceptedCase {
  name: string;
  company?: object;
  /** A customer record created first; the issue body then names it by customer_id. */
  customer?: object;
  body: Record<string, unknown>;
  subtype: 'standard' | 'simplified';
  /** KSA-2 */
  transactionCode: string;
  /** The buyer's BT-46 in the XML. */
  buyerId?: string;
  /** The seller's BT-29 in the XML. */
  sellerId?: string;
  hasBuyerVat: boolean;
}

const accepted: AcceptedCase[] = [
  {
    name: 'a standard export of goods to a buyer abroad, identified by its foreign tax number, without VAT number',
    body: {
      customer_name: 'Harrods Food Hall Ltd',
      customer_id_scheme: 'TIN',
      customer_id_number: 'GB123456789',
      customer_address: FOREIGN_ADDRESS,
      transaction_flags: { export: true },
      lines: [exportedGoods],
    },
    subtype: 'standard',
    transactionCode: '0100100',
    buyerId: '<cbc:ID schemeID="TIN">GB123456789</cbc:ID>',
    sellerId: '<cbc:ID schemeID="CRN">1010010000</cbc:ID>',
    hasBuyerVat: false,
  },
  {
    name: 'an export of services to a customer record abroad (its id from the record)',
    customer: {
      name_en: 'Acme Consulting Inc.',
      id_scheme: 'TIN',
      id_number: '123456789',
      address: { street: '1 Market Street', city: 'San Francisco', postal_code: '94105', country: 'US' },
    },
    body: { subtype: 'standard', transaction_flags: { export: true }, lines: [exportedServices] },
    subtype: 'standard',
    transactionCode: '0100100',
    buyerId: '<cbc:ID schemeID="TIN">123456789</cbc:ID>',
    hasBuyerVat: false,
  },
  {
    name: 'zero-rated private healthcare to a citizen named by national ID (simplified)',
    body: {
      subtype: 'simplified',
      customer_name: 'Mohammed Al-Qahtani',
      customer_id_scheme: 'NAT',
      customer_id_number: '1012345678',
      lines: [healthcare],
    },
    subtype: 'simplified',
    transactionCode: '0200000',
    buyerId: '<cbc:ID schemeID="NAT">1012345678</cbc:ID>',
    hasBuyerVat: false,
  },
  {
    name: 'zero-rated private education to a citizen customer record with a national ID',
    customer: {
      kind: 'individual',
      name_en: 'Sara Al-Otaibi',
      name_ar: 'سارة العتيبي',
      id_scheme: 'NAT',
      id_number: '1098765432',
      address: { city: 'Riyadh', country: 'SA' },
    },
    body: { subtype: 'simplified', lines: [education] },
    subtype: 'simplified',
    transactionCode: '0200000',
    buyerId: '<cbc:ID schemeID="NAT">1098765432</cbc:ID>',
    hasBuyerVat: false,
  },
  {
    name: 'a standard invoice to a Saudi buyer who is not VAT-registered, identified by its CRN; seller under MOM',
    company: { ...SA_COMPANY, registration_number: 'MOM4455', registration_scheme: 'MOM' },
    body: {
      subtype: 'standard',
      customer_name: SA_BUYER.name_en,
      customer_id_scheme: 'CRN',
      customer_id_number: '1010101010',
      customer_address: SA_BUYER.address,
      lines: [standardLine],
    },
    subtype: 'standard',
    transactionCode: '0100000',
    buyerId: '<cbc:ID schemeID="CRN">1010101010</cbc:ID>',
    sellerId: '<cbc:ID schemeID="MOM">MOM4455</cbc:ID>',
    hasBuyerVat: false,
  },
  {
    name: 'a third-party, nominal standard invoice to a VAT-registered buyer (flags in KSA-2)',
    body: {
      customer_name: SA_BUYER.name_en,
      customer_vat_number: SA_BUYER.vat_number,
      customer_address: SA_BUYER.address,
      transaction_flags: { third_party: true, nominal: true },
      lines: [standardLine],
    },
    subtype: 'standard',
    transactionCode: '0111000',
    hasBuyerVat: true,
  },
];

interface Issued {
  name: string;
  id: string;
  call: Call;
  qr: string;
}
const issued: Issued[] = [];

describe('Saudi buyers identified without a VAT number, exports and transaction flags', () => {
  for (const c of accepted) {
    it(`issues ${c.name}`, async () => {
      const call = as(t.app, await registerUser(t.app, c.company ?? SA_COMPANY));
      let body = c.body;
      if (c.customer) {
        const created = await call({ method: 'POST', url: '/api/v1/customers', payload: c.customer });
        expect(created.statusCode, created.body).toBe(201);
        body = { ...body, customer_id: created.json().id };
      }
      const response = await call({ method: 'POST', url: '/api/v1/invoices/generate', payload: body });
      expect(response.statusCode, response.body).toBe(201);
      const invoice = response.json();
      expect(invoice.subtype).toBe(c.subtype);
      const xml = (await call({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/xml` })).body;
      expect(xml).toContain(`<cbc:InvoiceTypeCode name="${c.transactionCode}">`);
      const buyerParty = xml.slice(
        xml.indexOf('<cac:AccountingCustomerParty>'),
        xml.indexOf('</cac:AccountingCustomerParty>'),
      );
      if (c.buyerId) expect(buyerParty).toContain(c.buyerId);
      // BR-KSA-46: no buyer VAT number (BT-48) where there is none, and none on an export.
      expect(buyerParty.includes('<cac:PartyTaxScheme>')).toBe(c.hasBuyerVat);
      const sellerParty = xml.slice(
        xml.indexOf('<cac:AccountingSupplierParty>'),
        xml.indexOf('</cac:AccountingSupplierParty>'),
      );
      if (c.sellerId) expect(sellerParty).toContain(c.sellerId);
      // One legal name: the Arabic one, not "Arabic | English".
      expect(sellerParty).toContain(
        `<cbc:RegistrationName>${SA_COMPANY.legal_name_ar}</cbc:RegistrationName>`,
      );
      expect(parseQrPayload(invoice.qr_code_data).sellerName).toBe(SA_COMPANY.legal_name_ar);
      // The detail keeps the buyer's id and the flags as issued.
      const detail = (await call({ method: 'GET', url: `/api/v1/invoices/${invoice.id}` })).json();
      if (c.buyerId) expect(detail.buyer.id_number).toBe(/>([^<]+)</.exec(c.buyerId)?.[1]);
      expect(detail.transaction_flags).toEqual(c.body.transaction_flags ?? {});
      issued.push({ name: c.name, id: invoice.id, call, qr: invoice.qr_code_data });
    });
  }

  it('issues a credit note of an export as an export (KSA-2 of its invoice), without a buyer VAT number', async () => {
    const exported = issued[0];
    if (!exported) throw new Error('the export invoice was not issued');
    const response = await exported.call({
      method: 'POST',
      url: '/api/v1/invoices/generate',
      payload: {
        type: 'credit_note',
        original_invoice_id: exported.id,
        reason: 'Five cartons returned damaged',
        lines: [{ ...exportedGoods, quantity: '5' }],
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    const note = response.json();
    const xml = (await exported.call({ method: 'GET', url: `/api/v1/invoices/${note.id}/xml` })).body;
    expect(xml).toContain('<cbc:InvoiceTypeCode name="0100100">381</cbc:InvoiceTypeCode>');
    expect(xml).toContain('<cbc:ID schemeID="TIN">GB123456789</cbc:ID>');
    issued.push({
      name: 'the credit note of the export',
      id: note.id,
      call: exported.call,
      qr: note.qr_code_data,
    });
  });

  const validator = zatcaValidatorAvailability();
  it.skipIf(!validator.available)(
    'every XML issued above passes the official ZATCA validator',
    async () => {
      expect(issued.length).toBe(accepted.length + 1);
      const dir = mkdtempSync(path.join(tmpdir(), 'zatca-buyer-ids-'));
      const entries: { file: string; pih: string; hash: string; name: string }[] = [];
      for (const [index, doc] of issued.entries()) {
        const status = (await doc.call({ method: 'GET', url: `/api/v1/invoices/${doc.id}/zatca` })).json();
        const xml = (await doc.call({ method: 'GET', url: `/api/v1/invoices/${doc.id}/xml` })).body;
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
      // One company per invoice: each is the first of its chain (the credit note follows its invoice).
      expect(entries.filter((e) => e.pih === FIRST_PIH)).toHaveLength(accepted.length);
    },
    300_000,
  );

  const refused: { name: string; body: Record<string, unknown>; errors: { path: string; code: string }[] }[] =
    [
      {
        name: 'an export invoice carrying a buyer VAT number (BR-KSA-46)',
        body: {
          customer_name: 'Harrods Food Hall Ltd',
          customer_vat_number: '399999999800003',
          customer_address: FOREIGN_ADDRESS,
          transaction_flags: { export: true },
          lines: [exportedGoods],
        },
        errors: [{ path: 'customer_vat_number', code: 'BR-KSA-46' }],
      },
      {
        name: 'an export invoice to a buyer in Saudi Arabia (no ZATCA rule id: the product’s own)',
        body: {
          customer_name: SA_BUYER.name_en,
          customer_id_scheme: 'CRN',
          customer_id_number: '1010101010',
          customer_address: SA_BUYER.address,
          transaction_flags: { export: true },
          lines: [exportedGoods],
        },
        errors: [{ path: 'customer_address.country', code: 'EXPORT_BUYER_IN_SA' }],
      },
      {
        name: 'a self-billed export (BR-KSA-07)',
        body: {
          customer_name: 'Harrods Food Hall Ltd',
          customer_id_scheme: 'TIN',
          customer_id_number: 'GB123456789',
          customer_address: FOREIGN_ADDRESS,
          transaction_flags: { export: true, self_billed: true },
          lines: [exportedGoods],
        },
        errors: [{ path: 'transaction_flags.self_billed', code: 'BR-KSA-07' }],
      },
      {
        name: 'citizen healthcare to a buyer named by passport, not national ID (BR-KSA-49)',
        body: {
          subtype: 'simplified',
          customer_name: 'John Smith',
          customer_id_scheme: 'PAS',
          customer_id_number: 'K1234567',
          lines: [healthcare],
        },
        errors: [{ path: 'customer_id_scheme', code: 'BR-KSA-49' }],
      },
      {
        name: 'citizen education to a buyer without any id (BR-KSA-49)',
        body: { subtype: 'simplified', customer_name: 'Sara Al-Otaibi', lines: [education] },
        errors: [{ path: 'customer_id_scheme', code: 'BR-KSA-49' }],
      },
      {
        name: 'a standard invoice to a Saudi buyer with neither VAT number nor another id',
        body: {
          subtype: 'standard',
          customer_name: SA_BUYER.name_en,
          customer_address: SA_BUYER.address,
          lines: [standardLine],
        },
        errors: [{ path: 'customer_vat_number', code: 'BUYER_VAT_NUMBER_REQUIRED' }],
      },
      {
        name: 'a buyer id scheme without its number',
        body: { customer_name: 'Mohammed', customer_id_scheme: 'NAT', lines: [standardLine] },
        errors: [{ path: 'customer_id_number', code: 'REQUIRED' }],
      },
    ];

  for (const r of refused) {
    it(`refuses ${r.name} with the rule id and the field to fix`, async () => {
      const call = as(t.app, await registerUser(t.app));
      const response = await call({ method: 'POST', url: '/api/v1/invoices/generate', payload: r.body });
      expect(response.statusCode, response.body).toBe(422);
      const errors = response.json().errors.map((e: { path: string; code: string }) => ({
        path: e.path,
        code: e.code,
      }));
      expect(errors).toEqual(r.errors);
      const list = (await call({ method: 'GET', url: '/api/v1/invoices' })).json();
      expect(list.total).toBe(0);
    });
  }

  it('refuses a ZATCA transaction flag on an invoice of a UAE company, at its path', async () => {
    const call = as(t.app, await registerUser(t.app, AE_COMPANY));
    const response = await call({
      method: 'POST',
      url: '/api/v1/invoices/generate',
      payload: { transaction_flags: { third_party: true }, lines: [{ ...standardLine, vat_rate: '5' }] },
    });
    expect(response.statusCode, response.body).toBe(422);
    expect(response.json().errors).toEqual([
      expect.objectContaining({ path: 'transaction_flags.third_party', code: 'NOT_ALLOWED' }),
    ]);
  });

  it('refuses a buyer id with other than letters and digits (BR-KSA-14), naming the field', async () => {
    const call = as(t.app, await registerUser(t.app));
    const response = await call({
      method: 'POST',
      url: '/api/v1/invoices/generate',
      payload: {
        subtype: 'simplified',
        customer_name: 'Mohammed Al-Qahtani',
        customer_id_scheme: 'NAT',
        customer_id_number: '1012-345678',
        lines: [healthcare],
      },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: { path: string }) => e.path)).toEqual(['customer_id_number']);
  });

  it('keeps a customer’s id and scheme, and refuses a scheme without its number', async () => {
    const call = as(t.app, await registerUser(t.app));
    const created = await call({
      method: 'POST',
      url: '/api/v1/customers',
      payload: {
        kind: 'individual',
        name_en: 'Sara',
        id_scheme: 'NAT',
        id_number: '1098765432',
        address: { country: 'SA' },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ id_scheme: 'NAT', id_number: '1098765432' });
    const halfId = await call({
      method: 'PATCH',
      url: `/api/v1/customers/${created.json().id}`,
      payload: { id_number: null },
    });
    expect(halfId.statusCode).toBe(400);
    expect(halfId.json().errors.map((e: { path: string }) => e.path)).toEqual(['id_number']);
    const badScheme = await call({
      method: 'POST',
      url: '/api/v1/customers',
      payload: { name_en: 'X', id_scheme: 'SSN', id_number: '1', address: { country: 'SA' } },
    });
    expect(badScheme.statusCode).toBe(400);
    expect(badScheme.json().errors.map((e: { path: string }) => e.path)).toEqual(['id_scheme']);
  });
});

describe('a Saudi company registers with its commercial registration (BR-KSA-08)', () => {
  async function register(company: object) {
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: {
        email: `crn-${Math.random()}@example.com`,
        password: 'pw-0123456789abcdef',
        full_name: 'T',
        company,
      },
    });
  }

  it('refuses a Saudi company without a registration number, naming the field', async () => {
    const { registration_number: _, ...withoutCrn } = SA_COMPANY;
    const response = await register(withoutCrn);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([
      expect.objectContaining({ path: 'company.registration_number', code: 'BR-KSA-08' }),
    ]);
  });

  it('refuses a registration number with other than letters and digits, and a scheme outside BR-KSA-08', async () => {
    const dashed = await register({ ...SA_COMPANY, registration_number: '1010-010000' });
    expect(dashed.statusCode).toBe(400);
    expect(dashed.json().errors).toEqual([
      expect.objectContaining({ path: 'company.registration_number', code: 'BR-KSA-08' }),
    ]);
    const scheme = await register({ ...SA_COMPANY, registration_scheme: 'NAT' });
    expect(scheme.statusCode).toBe(400);
    expect(scheme.json().errors.map((e: { path: string }) => e.path)).toEqual([
      'company.registration_scheme',
    ]);
  });

  it('keeps a UAE company registering without one, and without a scheme', async () => {
    expect((await register(AE_COMPANY)).statusCode).toBe(201);
    const scheme = await register({
      ...AE_COMPANY,
      registration_number: 'CN123',
      registration_scheme: 'CRN',
    });
    expect(scheme.statusCode).toBe(400);
    expect(scheme.json().errors.map((e: { path: string }) => e.path)).toEqual([
      'company.registration_scheme',
    ]);
  });

  it('refuses removing a Saudi company’s registration number, and accepts another scheme', async () => {
    const session = await registerUser(t.app);
    const call = as(t.app, session);
    const removed = await call({
      method: 'PATCH',
      url: '/api/v1/companies/current',
      payload: { registration_number: null },
    });
    expect(removed.statusCode).toBe(400);
    expect(removed.json().errors.map((e: { path: string }) => e.path)).toEqual(['registration_number']);
    const changed = await call({
      method: 'PATCH',
      url: '/api/v1/companies/current',
      payload: { registration_number: '7001234567', registration_scheme: '700' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ registration_number: '7001234567', registration_scheme: '700' });
  });
});
