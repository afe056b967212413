// What an invoice answer says about money and time: every amount with its currency's digits, unit prices with at
// least them, and the PDF dated in real UTC.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Call, createTestApp, registerUser, type TestApp } from '../../../test/support/app';
import { SA_BUYER } from '../../../test/support/companies';

let t: TestApp;
let call: Call;
beforeAll(async () => {
  t = await createTestApp();
  call = as(t.app, await registerUser(t.app));
});
afterAll(() => t.close());

const B2B = {
  customer_name: SA_BUYER.name_en,
  customer_vat_number: SA_BUYER.vat_number,
  customer_address: SA_BUYER.address,
};

async function issue(body: object) {
  const response = await call({ method: 'POST', url: '/api/v1/invoices/generate', payload: body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

describe('amounts in invoice answers', () => {
  it('prints stored amounts and unit prices with the currency’s digits', async () => {
    const issued = await issue({
      ...B2B,
      lines: [
        { description: 'Consulting', quantity: '2', unit_price: '45' },
        { description: 'Screws', quantity: '8', unit_price: '0.125' },
        { description: 'Server', quantity: '1', unit_price: '80000' },
      ],
    });
    const detail = (await call({ method: 'GET', url: `/api/v1/invoices/${issued.id}` })).json();
    const list = (await call({ method: 'GET', url: '/api/v1/invoices' })).json();
    const item = list.invoices.find((row: { id: string }) => row.id === issued.id);
    for (const answer of [issued, detail, item]) {
      expect(answer).toMatchObject({
        subtotal: '80091.00',
        vat_amount: '12013.65',
        total_amount: '92104.65',
        paid_amount: '0.00',
        credited_amount: '0.00',
        amount_due: '92104.65',
      });
    }
    for (const answer of [issued, detail]) {
      expect(answer.lines.map((l: { unit_price: string }) => l.unit_price)).toEqual([
        '45.00',
        '0.125',
        '80000.00',
      ]);
      expect(answer.line_items.map((l: { unit_price: string }) => l.unit_price)).toEqual([
        '45.00',
        '0.125',
        '80000.00',
      ]);
      expect(answer.payable_amount).toBe('92104.65');
    }
  });

  it('uses three digits for a three-digit currency', async () => {
    const issued = await issue({
      ...B2B,
      currency: 'KWD',
      exchange_rate: '12.2',
      lines: [{ description: 'Consulting', quantity: '1', unit_price: '45' }],
    });
    expect(issued).toMatchObject({ paid_amount: '0.000', credited_amount: '0.000', total_amount: '51.750' });
    expect(issued.lines[0].unit_price).toBe('45.000');
  });
});

describe('the PDF of an invoice', () => {
  it('dates its metadata by the moment of issue in UTC, not Riyadh time labelled UTC', async () => {
    const issued = await issue({
      ...B2B,
      lines: [{ description: 'Consulting', quantity: '1', unit_price: '45' }],
    });
    const pdf = Buffer.from(issued.pdf_base64, 'base64').toString('latin1');
    const utc = (issued.issued_at as string).replace(/[-:]/g, '').slice(0, 15).replace('T', '');
    expect(pdf).toContain(`/CreationDate (D:${utc}Z)`);
    const xmp = `${(issued.issued_at as string).slice(0, 19)}Z`;
    expect(pdf).toContain(`<xmp:CreateDate>${xmp}</xmp:CreateDate>`);
  });
});
