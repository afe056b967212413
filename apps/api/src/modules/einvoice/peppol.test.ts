// Peppol BIS Billing 3.0 through HTTP: a company of the generic profile with a Peppol address issues to a customer
// with one, and the stored document (GET /invoices/{id}/xml) passes the official Peppol validator; without the
// customer's address no Peppol document is made (a plain invoice, as before).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ublValidatorAvailable,
  validateUblFiles,
} from '../../../../../packages/ubl/src/test-support/validator';
import { as, type Call, createTestApp, registerUser, type TestApp } from '../../../test/support/app';
import { BE_COMPANY, DE_BUYER, OAK_TABLE_LINE } from '../../../test/support/companies';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('Peppol BIS 3 documents issued through the API', () => {
  let c: Call;
  beforeAll(async () => {
    c = as(t.app, await registerUser(t.app, BE_COMPANY));
  });

  async function customer(body: object) {
    const response = await c({ method: 'POST', url: '/api/v1/customers', payload: body });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: string; peppol_endpoint: unknown };
  }
  async function issue(body: object) {
    const response = await c({ method: 'POST', url: '/api/v1/invoices/generate', payload: body });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: string };
  }

  it('keeps a customer’s Peppol address and refuses one that is not an EAS code', async () => {
    const kept = await customer({ ...DE_BUYER, peppol_endpoint: { scheme: '9930', id: 'DE123456789' } });
    expect(kept.peppol_endpoint).toEqual({ scheme: '9930', id: 'DE123456789' });
    const patched = await c({
      method: 'PATCH',
      url: `/api/v1/customers/${kept.id}`,
      payload: { peppol_endpoint: null },
    });
    expect(patched.json().peppol_endpoint).toBeNull();
    const refused = await c({
      method: 'POST',
      url: '/api/v1/customers',
      payload: { ...DE_BUYER, peppol_endpoint: { scheme: 'DE', id: 'x' } },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].path).toBe('peppol_endpoint.scheme');
  });

  it('issues a Peppol document to a customer on Peppol, and none to one who is not', async () => {
    const onPeppol = await customer({
      ...DE_BUYER,
      peppol_endpoint: { scheme: '9930', id: 'DE123456789' },
    });
    const invoice = await issue({
      customer_id: onPeppol.id,
      buyer_reference: 'PO-2026-118',
      due_date: '2099-12-31',
      lines: [OAK_TABLE_LINE],
    });
    const xml = await c({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/xml` });
    expect(xml.statusCode).toBe(200);
    expect(xml.body).toContain(
      'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>',
    );
    expect(xml.body).toContain('<cbc:EndpointID schemeID="9930">DE123456789</cbc:EndpointID>');

    const offPeppol = await customer(DE_BUYER);
    const plain = await issue({ customer_id: offPeppol.id, lines: [OAK_TABLE_LINE] });
    expect((await c({ method: 'GET', url: `/api/v1/invoices/${plain.id}/xml` })).statusCode).toBe(404);

    if (!ublValidatorAvailable()) return;
    const dir = mkdtempSync(path.join(tmpdir(), 'peppol-api-'));
    try {
      const file = path.join(dir, 'invoice.xml');
      writeFileSync(file, xml.body);
      const result = (await validateUblFiles('peppol', [file])).get(file);
      expect(result?.fatal).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
  it('issues a set of Peppol documents (payment means, period, delivery, credit note): 0 fatal in one call', async () => {
    const buyer = await customer({
      ...DE_BUYER,
      name_en: 'Berliner Möbel GmbH',
      peppol_endpoint: { scheme: '9930', id: 'DE123456789' },
    });
    const B = { customer_id: buyer.id, order_reference: 'PO-77', due_date: '2099-12-31' };
    const bodies = [
      {
        ...B,
        payment_means: { code: '58', account_id: 'BE71096123456769', bank_id: 'GKCCBEBB' },
        lines: [OAK_TABLE_LINE],
      },
      { ...B, invoice_period: { start_date: '2026-01-01', end_date: '2026-01-31' }, lines: [OAK_TABLE_LINE] },
      {
        ...B,
        delivery: { date: '2026-01-15' },
        payment_terms: 'Net 30 days',
        lines: [OAK_TABLE_LINE, OAK_TABLE_LINE],
      },
    ];
    const ids: string[] = [];
    for (const body of bodies) ids.push((await issue(body)).id);
    ids.push(
      (
        await issue({
          type: 'credit_note',
          original_invoice_id: ids[0],
          reason: 'Damaged table',
          order_reference: 'PO-77',
          lines: [{ ...OAK_TABLE_LINE, quantity: '1' }],
        })
      ).id,
    );
    const xmls = await Promise.all(
      ids.map(async (id) => (await c({ method: 'GET', url: `/api/v1/invoices/${id}/xml` })).body),
    );
    expect(xmls[0]).toContain('<cbc:ID>BE71096123456769</cbc:ID>');
    expect(xmls[1]).toContain('<cbc:StartDate>2026-01-01</cbc:StartDate>');
    expect(xmls[2]).toContain('<cbc:ActualDeliveryDate>2026-01-15</cbc:ActualDeliveryDate>');
    if (!ublValidatorAvailable()) return;
    const dir = mkdtempSync(path.join(tmpdir(), 'peppol-set-'));
    try {
      const files = xmls.map((xml, n) => {
        const file = path.join(dir, `${n}.xml`);
        writeFileSync(file, xml);
        return file;
      });
      const results = await validateUblFiles('peppol', files);
      expect(files.map((f) => results.get(f)?.fatal ?? ['no result'])).toEqual(files.map(() => []));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
