// Saudi invoices ZATCA only warns about, issued through HTTP: an exemption code without its text, a charge with a
// free-text reason, a simplified invoice without a buyer name. One company per document, so every XML has the
// first-invoice PIH and one validator run judges them all.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeFailures,
  validateZatcaFiles,
  zatcaValidatorAvailability,
} from '../../../../../packages/zatca/src/test-support/validator';
import { as, type Call, createTestApp, registerUser, type TestApp } from '../../../test/support/app';
import { SA_BUYER } from '../../../test/support/companies';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const B2B = {
  customer_name: SA_BUYER.name_en,
  customer_name_ar: SA_BUYER.name_ar,
  customer_vat_number: SA_BUYER.vat_number,
  customer_address: SA_BUYER.address,
};
const laptop = { description: 'Laptop', description_ar: 'حاسوب محمول', quantity: '1', unit_price: '2000' };

interface Case {
  name: string;
  body: object;
  /** Fragments the signed XML must carry. */
  xml: string[];
}

const CASES: Case[] = [
  {
    name: 'zero-rated and exempt lines with only the exemption codes',
    body: {
      ...B2B,
      lines: [
        laptop,
        {
          description: 'Medicine',
          quantity: '2',
          unit_price: '45.50',
          vat_category: 'Z',
          exemption_reason_code: 'VATEX-SA-35',
        },
        {
          description: 'Life insurance',
          quantity: '1',
          unit_price: '300',
          vat_category: 'E',
          exemption_reason_code: 'VATEX-SA-29-7',
        },
      ],
    },
    xml: [
      '<cbc:TaxExemptionReason>Medicines and medical equipment</cbc:TaxExemptionReason>',
      '<cbc:TaxExemptionReason>Life insurance services mentioned in Article 29 of the VAT Regulations</cbc:TaxExemptionReason>',
    ],
  },
  {
    name: 'a document charge with a free-text reason and no code',
    body: {
      ...B2B,
      lines: [laptop],
      allowances_charges: [
        { is_charge: true, amount: '25', reason: 'Delivery', vat_category: 'S', vat_rate: '15' },
        { is_charge: false, amount: '100', reason: 'discount', vat_category: 'S', vat_rate: '15' },
      ],
    },
    xml: [
      '<cbc:AllowanceChargeReasonCode>DL</cbc:AllowanceChargeReasonCode>',
      '<cbc:AllowanceChargeReason>Delivery</cbc:AllowanceChargeReason>',
      '<cbc:AllowanceChargeReasonCode>95</cbc:AllowanceChargeReasonCode>',
    ],
  },
  {
    name: 'a charge with a code and no text',
    body: {
      ...B2B,
      lines: [laptop],
      allowances_charges: [
        { is_charge: true, amount: '40', reason_code: 'FC', vat_category: 'S', vat_rate: '15' },
      ],
    },
    xml: ['<cbc:AllowanceChargeReason>Freight service</cbc:AllowanceChargeReason>'],
  },
  {
    name: 'a simplified invoice to a buyer known by VAT number, without a name',
    body: { subtype: 'simplified', customer_vat_number: SA_BUYER.vat_number, lines: [laptop] },
    xml: ['<cbc:CompanyID>310122393500003</cbc:CompanyID>'],
  },
];

describe('Saudi invoices that ZATCA only warns about are issued', () => {
  const issued: { name: string; id: string; call: Call }[] = [];

  it.each(CASES)('$name', async ({ name, body, xml }) => {
    const call = as(t.app, await registerUser(t.app));
    const response = await call({ method: 'POST', url: '/api/v1/invoices/generate', payload: body });
    expect(response.statusCode, response.body).toBe(201);
    const { id } = response.json() as { id: string };
    issued.push({ name, id, call });
    const text = (await call({ method: 'GET', url: `/api/v1/invoices/${id}/xml` })).body;
    for (const fragment of xml) expect(text).toContain(fragment);
  });

  it('issues a charge reason code outside UNTDID 7161 with the warning at the code (ZATCA only warns)', async () => {
    const call = as(t.app, await registerUser(t.app));
    const response = await call({
      method: 'POST',
      url: '/api/v1/invoices/generate',
      payload: {
        ...B2B,
        lines: [laptop],
        allowances_charges: [{ is_charge: true, amount: '5', reason_code: 'XYZ', vat_category: 'S' }],
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().warnings).toEqual([
      expect.objectContaining({ path: 'allowances_charges.0.reason_code', code: 'BR-KSA-CL-06' }),
    ]);
  });

  const validator = zatcaValidatorAvailability();
  it.skipIf(!validator.available)('every XML passes the official ZATCA validator', async () => {
    expect(issued).toHaveLength(CASES.length);
    const dir = mkdtempSync(path.join(tmpdir(), 'zatca-reasons-'));
    const entries: { file: string; pih: string; name: string }[] = [];
    for (const [index, doc] of issued.entries()) {
      const status = (await doc.call({ method: 'GET', url: `/api/v1/invoices/${doc.id}/zatca` })).json();
      const file = path.join(dir, `${index}.xml`);
      writeFileSync(file, (await doc.call({ method: 'GET', url: `/api/v1/invoices/${doc.id}/xml` })).body);
      entries.push({ file, pih: status.previous_hash, name: doc.name });
    }
    const results = await validateZatcaFiles(entries);
    const failed = entries
      .map((e) => ({ e, r: results.get(e.file) }))
      .filter(({ r }) => r?.global !== 'PASSED')
      .map(({ e, r }) => `${e.name}: ${r ? describeFailures(r) : 'no result'}`);
    expect(failed).toEqual([]);
  });
});
