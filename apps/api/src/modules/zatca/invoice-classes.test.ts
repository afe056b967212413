// The ordinary Saudi invoices, one class a row, issued through HTTP as a business would issue them: each is
// issued (with exactly the warnings ZATCA gives it) or refused (with exactly the rule ids and paths to fix), and
// every XML issued goes through the official ZATCA validator. The issued classes are one company's chain, in order,
// so each XML is judged with its predecessor's hash as its PIH, as ZATCA judges a real EGS's documents.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FIRST_PIH } from '@invoiceflow/zatca';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeFailures,
  validateZatcaFiles,
  zatcaValidatorAvailability,
} from '../../../../../packages/zatca/src/test-support/validator';
import { as, createTestApp, registerUser, type TestApp } from '../../../test/support/app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const NATIONAL_ADDRESS = {
  street: 'Salah Al-Din',
  building_number: '1111',
  district: 'Al-Murooj',
  city: 'Riyadh',
  postal_code: '12222',
  country: 'SA',
};
const FOREIGN_ADDRESS = {
  street: '10 Downing Street',
  city: 'London',
  postal_code: 'SW1A 2AA',
  country: 'GB',
};
const VAT_BUYER = {
  customer_name: 'Fatoora Samples LTD',
  customer_vat_number: '399999999800003',
  customer_address: NATIONAL_ADDRESS,
};
const service = { description: 'Consulting', description_ar: 'استشارات', quantity: '2', unit_price: '500' };
const zeroRated = (code: string) => ({
  description: 'Supply',
  quantity: '1',
  unit_price: '1000',
  vat_category: 'Z',
  exemption_reason_code: code,
});
const exempt = (code: string) => ({
  description: 'Financial service',
  quantity: '1',
  unit_price: '1000',
  vat_category: 'E',
  exemption_reason_code: code,
});

const codesOf = (list: { path: string; code: string }[]) => list.map((e) => `${e.path} ${e.code}`);
const newCompany = async () => as(t.app, await registerUser(t.app));
const issue = (c: Awaited<ReturnType<typeof newCompany>>, payload: object) =>
  c({ method: 'POST', url: '/api/v1/invoices/generate', payload });

interface IssuedClass {
  name: string;
  body: Record<string, unknown>;
  warnings: string[];
}

const ISSUED: IssuedClass[] = [
  {
    name: 'a standard-rated line at 5 % (BR-KSA-84 allows 5 or 15)',
    body: { ...VAT_BUYER, lines: [{ ...service, vat_rate: '5' }] },
    warnings: [],
  },
  {
    name: 'a B2B export with the export flag, a foreign buyer without VAT number, zero-rated (VATEX-SA-32)',
    body: {
      customer_name: 'Harrods Food Hall Ltd',
      customer_id_scheme: 'TIN',
      customer_id_number: 'GB123456789',
      customer_address: FOREIGN_ADDRESS,
      transaction_flags: { export: true },
      lines: [zeroRated('VATEX-SA-32')],
    },
    warnings: [],
  },
  {
    name: 'a buyer named by another id (CRN) instead of a VAT number',
    body: {
      customer_name: 'Al Noor Trading',
      customer_id_scheme: 'CRN',
      customer_id_number: '1010101010',
      customer_address: NATIONAL_ADDRESS,
      lines: [service],
    },
    warnings: [],
  },
  ...['VATEX-SA-29', 'VATEX-SA-29-7', 'VATEX-SA-30'].map((code) => ({
    name: `an exempt line with ${code} and only its code (the text written from it)`,
    body: { ...VAT_BUYER, lines: [service, exempt(code)] },
    warnings: [],
  })),
  ...['VATEX-SA-DIPLOMAT', 'VATEX-SA-DUTYFREE', 'VATEX-SA-ROYALDECREE', 'VATEX-SA-MLTRY', 'VATEX-SA-35'].map(
    (code) => ({
      name: `a zero-rated line with ${code} and only its code`,
      body: { ...VAT_BUYER, lines: [zeroRated(code)] },
      warnings: [],
    }),
  ),
  ...['VATEX-SA-HEA', 'VATEX-SA-EDU'].map((code) => ({
    name: `citizen ${code === 'VATEX-SA-HEA' ? 'healthcare' : 'education'} to a buyer with a national ID (NAT)`,
    body: {
      subtype: 'simplified',
      customer_name: 'Mohammed Al-Harbi',
      customer_id_scheme: 'NAT',
      customer_id_number: '1023456789',
      lines: [zeroRated(code)],
    },
    warnings: [],
  })),
  {
    name: 'a simplified invoice without a buyer name',
    body: { subtype: 'simplified', lines: [service] },
    warnings: [],
  },
  {
    name: 'a third-party invoice (KSA-2 position 3)',
    body: { ...VAT_BUYER, transaction_flags: { third_party: true }, lines: [service] },
    warnings: [],
  },
  {
    name: 'a nominal supply (KSA-2 position 4)',
    body: { ...VAT_BUYER, transaction_flags: { nominal: true }, lines: [service] },
    warnings: [],
  },
  {
    name: 'a summary invoice (KSA-2 position 6)',
    body: { ...VAT_BUYER, transaction_flags: { summary: true }, lines: [service] },
    warnings: [],
  },
  {
    name: 'a self-billed invoice (KSA-2 position 7)',
    body: { ...VAT_BUYER, transaction_flags: { self_billed: true }, lines: [service] },
    warnings: [],
  },
  {
    name: 'a charge with a free-text reason and no code (BR-KSA-19 warns)',
    body: {
      ...VAT_BUYER,
      lines: [service],
      allowances_charges: [
        {
          is_charge: true,
          amount: '20',
          reason: 'Weekend courier premium',
          vat_category: 'S',
          vat_rate: '15',
        },
      ],
    },
    warnings: ['allowances_charges.0.reason_code BR-KSA-19'],
  },
  {
    name: 'a document allowance without a reason (ZATCA has no rule on it)',
    body: {
      ...VAT_BUYER,
      lines: [service],
      allowances_charges: [{ is_charge: false, amount: '50', vat_category: 'S', vat_rate: '15' }],
    },
    warnings: [],
  },
  {
    name: 'a one-line address for a Saudi B2B buyer (BR-KSA-63 warns)',
    body: { ...VAT_BUYER, customer_address: 'Salah Al-Din 1111, Al-Murooj, Riyadh 12222', lines: [service] },
    warnings: ['customer_address BR-KSA-63'],
  },
  {
    name: 'a standard invoice without the buyer name (BR-KSA-42 warns, once)',
    body: { ...VAT_BUYER, customer_name: undefined, lines: [service] },
    warnings: ['customer_name BR-KSA-42'],
  },
];

const xmls: { name: string; xml: string; pih: string }[] = [];
let previousHash = FIRST_PIH;

describe('the ordinary Saudi invoices', () => {
  let chain: Awaited<ReturnType<typeof newCompany>>;
  beforeAll(async () => {
    chain = await newCompany();
  });

  it.each(ISSUED)('issues $name', async ({ name, body, warnings }) => {
    const c = chain;
    const response = await issue(c, body);
    expect(response.statusCode, response.body).toBe(201);
    const invoice = response.json();
    expect(codesOf(invoice.warnings)).toEqual(warnings);
    const xml = await c({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/xml` });
    expect(xml.statusCode).toBe(200);
    const signed = (await c({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/zatca` })).json();
    expect(signed.previous_hash).toBe(xmls.length === 0 ? FIRST_PIH : previousHash);
    previousHash = signed.invoice_hash;
    xmls.push({ name, xml: xml.body, pih: signed.previous_hash });
  });

  it.each([
    {
      name: 'an export invoice carrying a buyer VAT number (BR-KSA-46)',
      body: {
        ...VAT_BUYER,
        customer_address: FOREIGN_ADDRESS,
        transaction_flags: { export: true },
        lines: [zeroRated('VATEX-SA-32')],
      },
      errors: ['customer_vat_number BR-KSA-46'],
    },
    {
      name: 'citizen healthcare to a buyer named by passport (BR-KSA-49)',
      body: {
        subtype: 'simplified',
        customer_name: 'John Smith',
        customer_id_scheme: 'PAS',
        customer_id_number: 'K1234567',
        lines: [zeroRated('VATEX-SA-HEA')],
      },
      errors: ['customer_id_scheme BR-KSA-49'],
    },
    {
      name: 'a standard rate that is neither 5 nor 15 (BR-KSA-84)',
      body: { ...VAT_BUYER, lines: [service, { ...service, vat_rate: '7' }] },
      errors: ['lines.1.vat_rate BR-KSA-84'],
    },
    {
      name: 'a self-billed simplified invoice (BR-KSA-31)',
      body: { subtype: 'simplified', transaction_flags: { self_billed: true }, lines: [service] },
      errors: ['transaction_flags.self_billed BR-KSA-31'],
    },
  ])('refuses $name with exactly its rule id and path', async ({ body, errors }) => {
    const c = await newCompany();
    const response = await issue(c, body);
    expect(response.statusCode).toBe(422);
    expect(codesOf(response.json().errors)).toEqual(errors);
    expect((await c({ method: 'GET', url: '/api/v1/invoices' })).json().total).toBe(0);
  });

  it('reports a customer’s incomplete national address once, at the customer', async () => {
    const c = await newCompany();
    const { district: _, postal_code: __, ...partial } = NATIONAL_ADDRESS;
    const customer = await c({
      method: 'POST',
      url: '/api/v1/customers',
      payload: { name_en: 'Buyer Co', vat_number: '399999999800003', address: partial },
    });
    expect(customer.statusCode, customer.body).toBe(201);
    const response = await issue(c, { customer_id: customer.json().id, lines: [service] });
    expect(response.statusCode, response.body).toBe(201);
    expect(codesOf(response.json().warnings)).toEqual(['customer_id.address.district BR-KSA-63']);
  });

  it('answers every refusal of an issue in Arabic too, whatever stage refused it', async () => {
    const c = await newCompany();
    const arabic = /[\u0600-\u06FF]/;
    // The request's own validation (the issue body's schema).
    const invalid = await issue(c, { customer_id_scheme: 'XXX', lines: [service] });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().message_ar).toMatch(arabic);
    expect(invalid.json().errors).toEqual([
      expect.objectContaining({ path: 'customer_id_scheme', message_ar: expect.stringMatching(arabic) }),
    ]);
    // A draft's body, the same way.
    const draft = await c({ method: 'POST', url: '/api/v1/invoices', payload: { lines: 'none' } });
    expect(draft.statusCode).toBe(400);
    expect(draft.json().errors[0].message_ar).toMatch(arabic);
    // A credit note beyond what remains of its invoice.
    const invoice = (await issue(c, { ...VAT_BUYER, lines: [service] })).json();
    const credit = await issue(c, {
      type: 'credit_note',
      original_invoice_id: invoice.id,
      reason: 'Returned',
      lines: [{ ...service, quantity: '5' }],
    });
    expect(credit.statusCode).toBe(422);
    expect(credit.json().code).toBe('CREDIT_EXCEEDS_REMAINING');
    expect(credit.json().message_ar).toMatch(arabic);
    expect(credit.json().errors[0].message_ar).toMatch(arabic);
  });

  const validator = zatcaValidatorAvailability();
  it.skipIf(!validator.available)(
    'passes every XML issued through the official ZATCA validator, chained by its predecessor’s hash',
    async () => {
      expect(xmls).toHaveLength(ISSUED.length);
      const dir = mkdtempSync(path.join(tmpdir(), 'zatca-classes-'));
      const entries = xmls.map((doc, index) => {
        const file = path.join(dir, `${index}.xml`);
        writeFileSync(file, doc.xml);
        return { file, name: doc.name, pih: doc.pih };
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
