// Saudi issuing judged at ZATCA's severities, through HTTP: what ZATCA only warns about is issued, with the
// warnings in the answer and in the invoice; what it rejects is refused with exactly the rule ids and paths to fix,
// in English and Arabic, lines counted from 1. Every issued XML goes through the official validator (one company
// per document: each is its chain's first, so one validator run judges them all).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from '@invoiceflow/db/orm';
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

const SAUDI_BUYER = {
  customer_name: 'Fatoora Samples LTD',
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
const service = { description: 'Consulting', description_ar: 'استشارات', quantity: '2', unit_price: '500' };

interface Issued {
  name: string;
  xml: string;
}
const issued: Issued[] = [];

const codesOf = (list: { path: string; code: string }[]) => list.map((e) => `${e.path} ${e.code}`);

async function newCompany() {
  return as(t.app, await registerUser(t.app));
}

describe('Saudi invoices at ZATCA’s severities', () => {
  // The other ordinary classes (5 %, a free-text charge reason, a one-line address, …) are issued through the
  // validator by invoice-classes.test.ts.
  it.each([
    {
      name: 'a line discount whose amount is not its percentage of the line (BR-KSA-EN16931-03 warns)',
      body: {
        ...SAUDI_BUYER,
        lines: [
          service,
          {
            ...service,
            allowances_charges: [{ is_charge: false, percent: '10', amount: '150', reason: 'Loyalty' }],
          },
        ],
      },
      warnings: ['lines.1.allowances_charges.0.amount BR-KSA-EN16931-03'],
      vat: '277.50',
    },
  ])('issues $name, with its warnings', async ({ name, body, warnings, vat }) => {
    const c = await newCompany();
    const response = await c({ method: 'POST', url: '/api/v1/invoices/generate', payload: body });
    expect(response.statusCode, response.body).toBe(201);
    const invoice = response.json();
    expect(invoice.vat_amount).toBe(vat);
    expect(codesOf(invoice.warnings)).toEqual(warnings);
    for (const warning of invoice.warnings) expect(warning.message_ar).toMatch(/[\u0600-\u06FF]/);
    // The invoice keeps them: its detail shows what was warned about when it was issued.
    const detail = (await c({ method: 'GET', url: `/api/v1/invoices/${invoice.id}` })).json();
    expect(detail.warnings).toEqual(invoice.warnings);
    const xml = await c({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/xml` });
    issued.push({ name, xml: xml.body });
  });

  it('says what is wrong with a one-line address and names the missing parts of a national address', async () => {
    const c = await newCompany();
    const oneLine = (
      await c({
        method: 'POST',
        url: '/api/v1/invoices/generate',
        payload: { ...SAUDI_BUYER, customer_address: 'King Fahd Road, Riyadh', lines: [service] },
      })
    ).json();
    expect(oneLine.warnings[0].message).toMatch(/one-line address cannot be used for a standard invoice/);
    const { district: _, postal_code: __, ...partial } = SAUDI_BUYER.customer_address;
    const incomplete = (
      await c({
        method: 'POST',
        url: '/api/v1/invoices/generate',
        payload: { ...SAUDI_BUYER, customer_address: partial, lines: [service] },
      })
    ).json();
    expect(incomplete.warnings).toEqual([
      {
        path: 'customer_address.district',
        code: 'BR-KSA-63',
        message: expect.stringContaining('lacks the district and postal code'),
        message_ar: expect.stringContaining('الحي والرمز البريدي'),
      },
    ]);
  });

  it.each([
    {
      name: 'a negative quantity: one error, not also "allowances exceed the lines"',
      lines: [{ ...service, quantity: '-1' }],
      errors: ['lines.0.quantity BR-KSA-F-04'],
    },
    {
      name: 'a standard rate that is neither 5 nor 15',
      lines: [service, { ...service, vat_rate: '7' }],
      errors: ['lines.1.vat_rate BR-KSA-84'],
    },
  ])('refuses $name (422, exactly these rule ids and paths)', async ({ lines, errors }) => {
    const c = await newCompany();
    const response = await c({
      method: 'POST',
      url: '/api/v1/invoices/generate',
      payload: { ...SAUDI_BUYER, lines },
    });
    expect(response.statusCode).toBe(422);
    const problem = response.json();
    expect(codesOf(problem.errors)).toEqual(errors);
    // Paths count from 0 as the request does; messages count lines as people do.
    const line = Number(errors[0]?.split('.')[1]) + 1;
    expect(problem.errors[0].message).toMatch(new RegExp(`^Line ${line}: `));
    expect(problem.errors[0].message_ar).toMatch(new RegExp(`^السطر ${line}: `));
    expect((await c({ method: 'GET', url: '/api/v1/invoices' })).json().total).toBe(0);
  });

  it('shows no warnings for an invoice issued before warnings were kept', async () => {
    const c = await newCompany();
    const invoice = (
      await c({
        method: 'POST',
        url: '/api/v1/invoices/generate',
        payload: { ...SAUDI_BUYER, lines: [service] },
      })
    ).json();
    await t.app.ctx.db.execute(
      sql`update invoices set snapshot = snapshot - 'warnings' where id = ${invoice.id}`,
    );
    const detail = await c({ method: 'GET', url: `/api/v1/invoices/${invoice.id}` });
    expect(detail.statusCode).toBe(200);
    expect(detail.json().warnings).toEqual([]);
  });

  const validator = zatcaValidatorAvailability();
  it.skipIf(!validator.available)(
    'every XML issued with warnings passes the official ZATCA validator',
    async () => {
      expect(issued.length).toBeGreaterThan(0);
      const dir = mkdtempSync(path.join(tmpdir(), 'zatca-severity-'));
      const entries = issued.map((doc, index) => {
        const file = path.join(dir, `${index}.xml`);
        writeFileSync(file, doc.xml);
        return { file, name: doc.name };
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
