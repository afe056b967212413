// The UAE tax invoice PDF of a finalized invoice, read back with poppler: bilingual title, the TRNs, and for a
// foreign-currency invoice the VAT in AED with the exchange rate (UAE VAT Executive Regulation art. 59(1)(l)).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractText, hasPoppler } from '@invoiceflow/pdf/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AE_COMPANY,
  as,
  type Call,
  createTestApp,
  registerUser,
  type TestApp,
} from '../../../test/support/app';

let t: TestApp;
let c: Call;
let dir = '';
beforeAll(async () => {
  t = await createTestApp();
  c = as(t.app, await registerUser(t.app, AE_COMPANY));
  dir = mkdtempSync(join(tmpdir(), 'invoiceflow-uae-pdf-'));
});
afterAll(async () => {
  await t.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const BUYER_TRN = '100234567890003';

async function finalizedPdfText(payload: object): Promise<{ invoice: Record<string, string>; text: string }> {
  const draft = await c({ method: 'POST', url: '/api/v1/invoices', payload });
  expect(draft.statusCode, draft.body).toBe(201);
  const finalized = await c({ method: 'POST', url: `/api/v1/invoices/${draft.json().id}/finalize` });
  expect(finalized.statusCode, finalized.body).toBe(200);
  const pdf = await c({ method: 'GET', url: `/api/v1/invoices/${draft.json().id}/pdf` });
  expect(pdf.statusCode).toBe(200);
  const path = join(dir, `${draft.json().id}.pdf`);
  writeFileSync(path, pdf.rawPayload);
  return { invoice: finalized.json(), text: extractText(path, '-raw') };
}

describe.skipIf(!hasPoppler)('the UAE tax invoice PDF', () => {
  it('is titled Tax Invoice / فاتورة ضريبية with both TRNs, and totals in AED', async () => {
    const { invoice, text } = await finalizedPdfText({
      customer_name: 'Desert Rose Trading',
      customer_vat_number: BUYER_TRN,
      customer_address: { street: 'Sheikh Zayed Road 1', city: 'Dubai', emirate: 'DXB', country: 'AE' },
      due_date: '2099-12-31',
      line_items: [{ description: 'Design work', quantity: 2, unit_price: 500, vat_rate: 5 }],
    });
    expect(text).toContain('Tax Invoice');
    expect(text).toContain('فاتورة ضريبية');
    expect(text).toContain(invoice.invoice_number);
    expect(text).toContain('TRN');
    expect(text).toContain('رقم التسجيل الضريبي');
    expect(text).toContain(AE_COMPANY.vat_number);
    expect(text).toContain(BUYER_TRN);
    expect(text).toContain('AED 1,050.00');
    expect(text).toContain('50.00');
  });

  it('prints the VAT in AED and the exchange rate for an invoice in US dollars', async () => {
    const { text } = await finalizedPdfText({
      customer_name: 'Desert Rose Trading',
      customer_vat_number: BUYER_TRN,
      customer_address: { street: 'Sheikh Zayed Road 1', city: 'Dubai', emirate: 'DXB', country: 'AE' },
      due_date: '2099-12-31',
      currency: 'USD',
      tax_currency: 'AED',
      exchange_rate: '3.6725',
      line_items: [{ description: 'Design work', quantity: 2, unit_price: 500, vat_rate: 5 }],
    });
    expect(text).toContain('USD 1,050.00');
    // 50.00 USD of VAT at 3.6725 AED per USD.
    expect(text).toContain('VAT in AED');
    expect(text).toContain('183.63');
    expect(text).toContain('1 USD = 3.6725 AED');
  });
});
