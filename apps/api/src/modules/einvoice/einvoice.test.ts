// UAE issuing through HTTP: every invoice's stored PINT AE document (GET /invoices/{id}/xml) through the official
// validator in one call, its hash and its place on the company's chain; the refusal of a debit note and of what
// the PINT AE rules would reject, at the field to fix.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from '@invoiceflow/db/orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ublValidatorAvailable,
  validateUblFiles,
} from '../../../../../packages/ubl/src/test-support/validator';
import {
  AE_COMPANY,
  as,
  type Call,
  createTestApp,
  registerUser,
  type TestApp,
} from '../../../test/support/app';
import { CHAIN_START_HASH } from './queries';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const UAE_SELLER = {
  ...AE_COMPANY,
  legal_name_en: 'Falcon Trading LLC',
  vat_number: '100123456700003',
  registration_number: 'TL778899',
  registration_scheme: 'TL',
  registration_authority: 'Department of Economy and Tourism',
};
const BUYER = {
  customer_name: 'Noor Electronics LLC',
  customer_vat_number: '100987654300003',
  customer_address: { street: 'Corniche Road 4', city: 'Abu Dhabi', country: 'AE', emirate: 'AUH' },
  due_date: '2099-12-31',
};
const phone = { description: 'Mobile phone', quantity: '2', unit_price: '1499.00' };

async function issue(c: Call, body: object) {
  const response = await c({ method: 'POST', url: '/api/v1/invoices/generate', payload: body });
  if (response.statusCode !== 201) throw new Error(`issue: ${response.statusCode} ${response.body}`);
  return response.json() as {
    id: string;
    invoice_number: string;
    warnings: { path: string; code: string }[];
  };
}

describe('PINT AE documents issued through the API', () => {
  let c: Call;
  const issued: { name: string; id: string; number: string; warnings: { code: string }[] }[] = [];

  beforeAll(async () => {
    c = as(t.app, await registerUser(t.app, UAE_SELLER));
    const add = async (name: string, body: object) => {
      const invoice = await issue(c, body);
      issued.push({ name, id: invoice.id, number: invoice.invoice_number, warnings: invoice.warnings });
    };
    await add('standard rated', { ...BUYER, lines: [phone] });
    await add('zero rated', { ...BUYER, lines: [{ ...phone, vat_category: 'Z' }] });
    await add('standard and exempt lines', {
      ...BUYER,
      lines: [
        phone,
        {
          description: 'Loan arrangement fee',
          quantity: '1',
          unit_price: '250',
          vat_category: 'E',
          exemption_reason_code: 'VATEX-AE-FIN',
          exemption_reason: 'Financial services',
        },
      ],
    });
    await add('in USD with AED tax amounts', {
      ...BUYER,
      currency: 'USD',
      exchange_rate: '3.6725',
      lines: [{ description: 'Consulting day', quantity: '3', unit_price: '410.25' }],
    });
    await add('free zone supply', {
      ...BUYER,
      transaction_flags: { free_zone: true },
      beneficiary_id: '100444555600003',
      lines: [phone],
    });
    await add('disclosed agent billing', {
      ...BUYER,
      transaction_flags: { disclosed_agent: true },
      principal_id: '100555666700003',
      lines: [phone],
    });
    await add('margin scheme', {
      ...BUYER,
      transaction_flags: { margin_scheme: true },
      lines: [{ description: 'Used car', quantity: '1', unit_price: '42000', vat_category: 'N' }],
    });
    await add('deemed supply', { ...BUYER, transaction_flags: { deemed_supply: true }, lines: [phone] });
    await add('document allowance and charge', {
      ...BUYER,
      lines: [phone, { description: 'Charger', quantity: '5', unit_price: '49.90' }],
      allowances_charges: [
        { is_charge: false, amount: '100', reason: 'Discount', reason_code: '95', vat_category: 'S' },
        { is_charge: true, amount: '35', reason: 'Freight', reason_code: 'FC', vat_category: 'S' },
      ],
    });
  });

  it('issues a credit note with its reason code', async () => {
    const original = issued[0];
    if (!original) throw new Error('nothing issued');
    const credit = await issue(c, {
      type: 'credit_note',
      original_invoice_id: original.id,
      reason: 'Goods returned',
      reason_code: 'DL8.61.1.B',
      lines: [{ ...phone, quantity: '1' }],
    });
    issued.push({
      name: 'credit note DL8.61.1.B',
      id: credit.id,
      number: credit.invoice_number,
      warnings: credit.warnings,
    });
    const xml = await c({ method: 'GET', url: `/api/v1/invoices/${credit.id}/xml` });
    expect(xml.body).toContain('<cac:DiscrepancyResponse><cbc:ResponseCode>DL8.61.1.B</cbc:ResponseCode>');
    expect(xml.body).toContain('<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>');
  });

  it('refuses a PINT AE field on a Saudi invoice, at its path', async () => {
    const saudi = as(t.app, await registerUser(t.app));
    const response = await saudi({
      method: 'POST',
      url: '/api/v1/invoices/generate',
      payload: { out_of_scope: true, transaction_flags: { free_zone: true }, lines: [phone] },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'transaction_flags.free_zone', code: 'NOT_ALLOWED' }),
        expect.objectContaining({ path: 'out_of_scope', code: 'NOT_ALLOWED' }),
      ]),
    );
  });

  it('stores each one with no warning, and answers it at GET /invoices/{id}/xml', async () => {
    expect(issued.map((i) => [i.name, i.warnings])).toEqual(issued.map((i) => [i.name, []]));
    for (const invoice of issued) {
      const xml = await c({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/xml` });
      expect(xml.statusCode, invoice.name).toBe(200);
      expect(xml.headers['content-type']).toContain('application/xml');
      expect(xml.body).toContain('<cbc:CustomizationID>urn:peppol:pint:billing-1@ae-1</cbc:CustomizationID>');
      expect(xml.body).toContain(`<cbc:ID>${invoice.number}</cbc:ID><cbc:UUID>${invoice.id}</cbc:UUID>`);
    }
  });

  it('chains them per company: position, previous hash, hash = SHA-256 of the XML', async () => {
    const list = (
      (await t.database.db.execute(
        sql`SELECT invoice_id, position::int AS position, hash, previous_hash, xml, format FROM einvoice_documents
             WHERE format = 'pint-ae' AND invoice_id IN (${sql.join(
               issued.map((i) => sql`${i.id}`),
               sql`, `,
             )}) ORDER BY position`,
      )) as unknown as {
        rows: {
          invoice_id: string;
          position: number;
          hash: string;
          previous_hash: string;
          xml: string;
          format: string;
        }[];
      }
    ).rows;
    expect(list.map((r) => r.invoice_id)).toEqual(issued.map((i) => i.id));
    let previous = CHAIN_START_HASH;
    list.forEach((row, i) => {
      expect(row.format).toBe('pint-ae');
      expect(row.position).toBe(i + 1);
      expect(row.previous_hash).toBe(previous);
      expect(row.hash).toBe(createHash('sha256').update(row.xml, 'utf8').digest('base64'));
      previous = row.hash;
    });
  });

  it.skipIf(!ublValidatorAvailable())(
    'every stored document gives 0 fatal on the official PINT AE validator',
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'pint-ae-api-'));
      const files: { name: string; file: string }[] = [];
      for (const invoice of issued) {
        const xml = await c({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/xml` });
        const file = path.join(dir, `${invoice.number}.xml`);
        writeFileSync(file, xml.body);
        files.push({ name: invoice.name, file });
      }
      const results = await validateUblFiles(
        'pint-ae',
        files.map((f) => f.file),
      );
      const failures = files
        .map(({ name, file }) => ({ name, r: results.get(file) }))
        .filter(({ r }) => !r || r.fatal.length > 0)
        .map(({ name, r }) => `${name}: ${r ? r.fatal.join(' | ') : 'no result'}`);
      expect(failures).toEqual([]);
    },
    300_000,
  );

  it('refuses a debit note for a UAE company, with a coded field error', async () => {
    const original = issued[0];
    if (!original) throw new Error('nothing issued');
    const debit = await c({
      method: 'POST',
      url: '/api/v1/invoices/generate',
      payload: { type: 'debit_note', original_invoice_id: original.id, reason: 'Extra', lines: [phone] },
    });
    expect(debit.statusCode).toBe(422);
    expect(debit.json()).toMatchObject({
      code: 'INVOICE_INVALID',
      errors: [expect.objectContaining({ path: 'type', code: 'DEBIT_NOTE_NOT_ALLOWED' })],
    });
  });

  it('refuses what PINT AE would reject, at the field to fix, using no number', async () => {
    const refused = await c({
      method: 'POST',
      url: '/api/v1/invoices/generate',
      payload: {
        customer_name: 'Walk-in buyer',
        customer_vat_number: '100987654300003',
        customer_address: { city: 'Abu Dhabi', country: 'AE' },
        lines: [phone],
      },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({
      code: 'INVOICE_INVALID',
      errors: expect.arrayContaining([
        expect.objectContaining({ path: 'customer_address', code: 'ibr-144-ae' }),
        expect.objectContaining({ path: 'due_date', code: 'ibr-127-ae' }),
      ]),
    });
    // The refusal took no number: the next invoice follows the last one issued.
    const next = await issue(c, { ...BUYER, lines: [phone] });
    const last =
      issued
        .map((i) => i.number)
        .filter((n) => n.startsWith('INV-'))
        .sort()
        .at(-1) ?? '';
    expect(Number(next.invoice_number.slice(-6))).toBe(Number(last.slice(-6)) + 1);
  });
});
