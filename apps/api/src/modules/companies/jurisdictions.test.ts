// Companies of any country: a Dutch and an Indian company register, keep their own tax rates, issue invoices and
// download PDFs without any ZATCA element; the Saudi and UAE rates stay fixed by their rules.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeQr, detachAll, extractText, hasPoppler } from '@invoiceflow/pdf/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  createTestApp,
  registerUser,
  SA_COMPANY,
  type TestApp,
  uniqueEmail,
} from '../../../test/support/app';

const NL_COMPANY = {
  legal_name_en: 'Jansen Design',
  country: 'NL',
  vat_number: 'NL123456789B01',
  address: { street: 'Keizersgracht 1', city: 'Amsterdam', postal_code: '1015 CJ', country: 'NL' },
};
const IN_COMPANY = {
  legal_name_en: 'Sharma Stores',
  country: 'IN',
  vat_number: '27AAPFU0939F1ZV',
  address: { street: 'MG Road 12', city: 'Pune', postal_code: '411001', country: 'IN' },
};

let t: TestApp;
let dir = '';
beforeAll(async () => {
  t = await createTestApp();
  dir = mkdtempSync(join(tmpdir(), 'invoiceflow-profiles-'));
});
afterAll(async () => {
  await t.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const printed = (amount: string) => amount.replace(/\B(?=(\d{3})+(?!\d))/, ',');

describe('companies outside Saudi Arabia and the UAE', () => {
  for (const [company, currency, timeZone, rate, expected] of [
    [NL_COMPANY, 'EUR', 'Europe/Amsterdam', '21', { net: '1250.00', vat: '262.50', total: '1512.50' }],
    [IN_COMPANY, 'INR', 'Asia/Kolkata', '18', { net: '1250.00', vat: '225.00', total: '1475.00' }],
  ] as const) {
    it(`${company.country}: registers with ${currency}, issues a ${rate} % invoice and downloads a PDF without ZATCA elements`, async () => {
      const session = await registerUser(t.app, company);
      const call = as(t.app, session);
      const current = (await call({ method: 'GET', url: '/api/v1/companies/current' })).json();
      expect(current).toMatchObject({ country: company.country, currency, time_zone: timeZone });
      const rates = await call({ method: 'GET', url: '/api/v1/companies/current/tax-rates' });
      expect(rates.json()).toMatchObject({ kind: 'company' });
      expect(rates.json().rates).toContain(rate);

      const issued = await call({
        method: 'POST',
        url: '/api/v1/invoices/generate',
        payload: {
          customer_name: 'Acme Buyer',
          customer_address: { street: 'Main Street 5', city: 'Utrecht', country: company.country },
          lines: [
            {
              description: 'Design work',
              quantity: '10',
              unit_price: '100',
              vat_category: 'S',
              vat_rate: rate,
            },
            { description: 'Prints', quantity: '5', unit_price: '50', vat_category: 'S', vat_rate: rate },
          ],
        },
      });
      expect(issued.statusCode, issued.body).toBe(201);
      const invoice = issued.json();
      expect(invoice.currency).toBe(currency);
      expect(invoice.totals).toMatchObject({
        tax_exclusive_amount: expected.net,
        tax_amount: expected.vat,
        payable_amount: expected.total,
      });

      const pdf = await call({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/pdf` });
      expect(pdf.statusCode).toBe(200);
      const xml = await call({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/xml` });
      expect(xml.statusCode).toBe(404);
      expect(xml.headers['content-type']).toContain('application/problem+json');
      expect(xml.json().code).toBe('ZATCA_DOCUMENT_NOT_FOUND');
      if (!hasPoppler) return;
      const path = join(dir, `${company.country}.pdf`);
      writeFileSync(path, pdf.rawPayload);
      const text = extractText(path, '-layout');
      expect(text).toContain(invoice.invoice_number);
      expect(text).toContain(company.legal_name_en);
      for (const amount of [expected.net, expected.vat, expected.total])
        expect(text).toContain(printed(amount));
      expect(text).toContain(`${rate}`);
      expect(text).toContain(currency);
      expect(decodeQr(path)).toBeUndefined();
      expect([...detachAll(path, join(dir, `${company.country}-files`)).keys()]).toEqual([]);
    });
  }

  for (const [company, rate, total] of [
    [NL_COMPANY, '21', '1210.00'],
    [IN_COMPANY, '18', '1180.00'],
  ] as const) {
    it(`${company.country}: a draft made with POST /invoices, edited with PUT, issued; PUT after issue is 409`, async () => {
      const call = as(t.app, await registerUser(t.app, company));
      const buyer = { street: 'Main Street 5', city: 'Utrecht', country: company.country };
      const draft = await call({
        method: 'POST',
        url: '/api/v1/invoices/',
        payload: { customer_name: 'Acme Buyer', customer_address: buyer, lines: [{ description: 'Design' }] },
      });
      expect(draft.statusCode, draft.body).toBe(201);
      expect(draft.json().stored_status).toBe('draft');
      const id = draft.json().id;
      const line = { description: 'Design work', quantity: '10', unit_price: '100', vat_rate: rate };
      const edited = await call({
        method: 'PUT',
        url: `/api/v1/invoices/${id}/`,
        payload: { customer_name: 'Acme Buyer', customer_address: buyer, lines: [line] },
      });
      expect(edited.statusCode, edited.body).toBe(200);
      const issued = await call({ method: 'POST', url: `/api/v1/invoices/${id}/issue` });
      expect(issued.statusCode, issued.body).toBe(200);
      expect(issued.json()).toMatchObject({ id, totals: { payable_amount: total } });
      const pdf = await call({ method: 'GET', url: `/api/v1/invoices/${id}/pdf` });
      expect(pdf.statusCode).toBe(200);
      if (hasPoppler) {
        const path = join(dir, `${company.country}-draft.pdf`);
        writeFileSync(path, pdf.rawPayload);
        expect(extractText(path, '-layout')).toContain(printed(total));
        expect(decodeQr(path)).toBeUndefined();
      }
      const late = await call({
        method: 'PUT',
        url: `/api/v1/invoices/${id}`,
        payload: { customer_name: 'Someone else', customer_address: buyer, lines: [line] },
      });
      expect(late.statusCode).toBe(409);
      expect(late.json().code).toBe('INVOICE_ISSUED');
    });
  }

  it('refuses a rate not in the company list with its path, and takes it once the company adds it', async () => {
    const call = as(t.app, await registerUser(t.app, NL_COMPANY));
    const payload = {
      customer_name: 'Acme Buyer',
      lines: [
        { description: 'Design work', quantity: '1', unit_price: '100', vat_category: 'S', vat_rate: '21' },
        { description: 'Books', quantity: '1', unit_price: '10', vat_category: 'S', vat_rate: '19' },
      ],
    };
    const refused = await call({ method: 'POST', url: '/api/v1/invoices/generate', payload });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors).toEqual([
      expect.objectContaining({ path: 'lines.1.vat_rate', code: 'VAT_RATE_NOT_IN_COMPANY_LIST' }),
    ]);

    const bad = await call({
      method: 'POST',
      url: '/api/v1/companies/current/tax-rates',
      payload: { rate: '101' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([expect.objectContaining({ path: 'rate' })]);
    const added = await call({
      method: 'POST',
      url: '/api/v1/companies/current/tax-rates',
      payload: { rate: '19.00' },
    });
    expect(added.statusCode).toBe(200);
    expect(added.json().rates).toEqual(['21', '19', '9', '0']);
    const issued = await call({ method: 'POST', url: '/api/v1/invoices/generate', payload });
    expect(issued.statusCode, issued.body).toBe(201);
  });

  it('asks for the currency and time zone of a country that has no defaults', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: {
        email: uniqueEmail(),
        password: 'a-long-password-1',
        full_name: 'Ana',
        company: { ...NL_COMPANY, country: 'BR', address: { ...NL_COMPANY.address, country: 'BR' } },
      },
    });
    expect(response.statusCode).toBe(400);
    const paths = response.json().errors.map((e: { path: string; code: string }) => `${e.path} ${e.code}`);
    expect(paths).toEqual(
      expect.arrayContaining(['company.currency CURRENCY_REQUIRED', 'company.time_zone TIME_ZONE_REQUIRED']),
    );
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: {
        email: uniqueEmail(),
        password: 'a-long-password-1',
        full_name: 'Ana',
        company: { ...NL_COMPANY, country: 'XX', address: { ...NL_COMPANY.address, country: 'XX' } },
      },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'company.country' })]),
    );
  });

  it('keeps Saudi rates fixed by their rules: listed, never added to', async () => {
    const call = as(t.app, await registerUser(t.app, SA_COMPANY));
    const current = (await call({ method: 'GET', url: '/api/v1/companies/current' })).json();
    expect(current).toMatchObject({ currency: 'SAR', time_zone: 'Asia/Riyadh' });
    const rates = await call({ method: 'GET', url: '/api/v1/companies/current/tax-rates' });
    expect(rates.json()).toEqual({ kind: 'fixed', rates: ['15', '0'] });
    const add = await call({
      method: 'POST',
      url: '/api/v1/companies/current/tax-rates',
      payload: { rate: '10' },
    });
    expect(add.statusCode).toBe(409);
    expect(add.json().code).toBe('TAX_RATES_FIXED');
  });
});
