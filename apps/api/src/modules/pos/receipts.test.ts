// The till's printouts read back with poppler as the cashier and the customer read them: the 80 mm receipt of a
// Saudi sale (bilingual, its e-invoice QR), of a return, of a foreign sale (English, no QR), and the X and Z
// reports of a shift with a counted difference.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasArabic } from '@invoiceflow/pdf';
import { decodeQr, extractText, hasPoppler } from '@invoiceflow/pdf/test-support';
import { parseQrPayload } from '@invoiceflow/zatca';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  type Call,
  createTestApp,
  registerUser,
  SA_COMPANY,
  type TestApp,
} from '../../../test/support/app';

if (!hasPoppler) {
  if (process.env.CI === 'true') throw new Error('poppler-utils (pdftotext, pdftoppm) is required in CI');
  console.warn('SKIPPED: receipt checks need poppler-utils (apt-get install poppler-utils)');
}

const IN_COMPANY = {
  legal_name_en: 'Sharma Stores',
  country: 'IN',
  vat_number: '27AAPFU0939F1ZV',
  address: { street: 'MG Road 12', city: 'Pune', postal_code: '411001', country: 'IN' },
};

let t: TestApp;
let sa: Call;
let india: Call;
let dir = '';
beforeAll(async () => {
  t = await createTestApp();
  sa = as(t.app, await registerUser(t.app));
  india = as(t.app, await registerUser(t.app, IN_COMPANY));
  dir = mkdtempSync(join(tmpdir(), 'invoiceflow-receipts-'));
});
afterAll(async () => {
  await t.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function created(call: Call, url: string, payload: object) {
  const response = await call({ method: 'POST', url, payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

let saved = 0;
/** GETs a slip, checks it is an 80 mm PDF, and gives its file. */
async function slip(call: Call, url: string): Promise<string> {
  const response = await call({ method: 'GET', url });
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toBe('application/pdf');
  expect(response.headers['cache-control']).toContain('no-store');
  const path = join(dir, `slip-${++saved}.pdf`);
  writeFileSync(path, response.rawPayload);
  const size = /Page size:\s+([\d.]+) x ([\d.]+)/.exec(execFileSync('pdfinfo', [path], { encoding: 'utf8' }));
  // 80 mm wide (226.77 pt), as tall as its content: one page, no A4 of blank paper.
  expect(Number(size?.[1])).toBeCloseTo(226.77, 1);
  expect(Number(size?.[2])).toBeLessThan(842);
  return path;
}

describe.skipIf(!hasPoppler)('receipts and reports (poppler)', () => {
  const shop: { till: string; session: string; sale: string; dates: string; water: string } = {
    till: '',
    session: '',
    sale: '',
    dates: '',
    water: '',
  };
  let sale: Record<string, unknown> & { qr_code_data: string; invoice_number: string };

  it('prints a Saudi sale bilingual: seller, number, till, lines, VAT, cash, change by piece and the QR', async () => {
    const unit = (await created(sa, '/api/v1/egs', { environment: 'local', branch_name: 'Front' })).id;
    shop.till = (await created(sa, '/api/v1/tills', { name: 'Front till', egs_unit_id: unit })).id;
    shop.dates = (
      await created(sa, '/api/v1/products', {
        name_en: 'Dates 1 kg',
        name_ar: 'تمر مجدول',
        unit_price: '34',
        stock: 50,
      })
    ).id;
    shop.water = (await created(sa, '/api/v1/products', { name: 'Water 1.5 L', price: '2', stock: 50 })).id;
    shop.session = (
      await created(sa, `/api/v1/tills/${shop.till}/sessions`, {
        counts: [
          { value: 50, count: 1 },
          { value: 10, count: 3 },
          { value: 1, count: 20 },
          { value: '0.10', count: 20 },
        ],
      })
    ).id;
    // Float 50 + 3 × 10 + 20 × 1 + 20 × 0.10 = 102.00. 2 × 34 + 3 × 2 = 74.00 + 15 % = 85.10; two 100s paid.
    sale = await created(sa, '/api/v1/purchases', {
      customer_email: 'walk-in@example.com',
      items: [
        { product_id: shop.dates, quantity: 2 },
        { product_id: shop.water, quantity: 3 },
      ],
      paid_amount: '200',
      tendered: [{ value: 100, count: 2 }],
      till_id: shop.till,
    });
    shop.sale = sale.id as string;
    expect(sale).toMatchObject({ total_amount: '85.10', change_amount: '114.90' });
    const change = sale.change as { value: string; count: number }[];
    expect(change.length).toBeGreaterThan(0);

    const path = await slip(sa, `/api/v1/purchases/${shop.sale}/receipt.pdf`);
    const text = extractText(path);
    for (const expected of [
      'Simplified Tax Invoice',
      'فاتورة ضريبية مبسطة',
      SA_COMPANY.legal_name_en,
      SA_COMPANY.legal_name_ar,
      SA_COMPANY.vat_number,
      sale.invoice_number,
      'Front till',
      'Dates 1 kg',
      'تمر مجدول',
      'Water 1.5 L',
      '2 × 34.00',
      '3 × 2.00',
      '78.20', // 2 × 34 with VAT
      '6.90', // 3 × 2 with VAT
      'VAT 15% on 74.00',
      '11.10 SAR',
      '85.10 SAR',
      '200.00 SAR',
      '114.90 SAR',
      'Change',
      'الباقي',
    ]) {
      expect(text).toContain(expected);
    }
    for (const piece of change) expect(text).toContain(`× ${piece.count}`);
    // The QR scans to the signed e-invoice's own QR: ZATCA Phase 2, tags 1–9.
    expect(decodeQr(path)).toBe(sale.qr_code_data);
    expect([...parseQrPayload(sale.qr_code_data).tags.keys()]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('gives the sale’s A4 tax invoice on its first download, rendered then (the till prints only the slip)', async () => {
    const invoiceId = sale.invoice_id as string;
    const response = await sa({ method: 'GET', url: `/api/v1/invoices/${invoiceId}/pdf` });
    expect(response.statusCode, response.body).toBe(200);
    const path = join(dir, 'sale-a4.pdf');
    writeFileSync(path, response.rawPayload);
    const text = extractText(path);
    expect(text).toContain(sale.invoice_number);
    expect(text).toContain('85.10');
    expect(decodeQr(path)).toBe(sale.qr_code_data);
  });

  it('prints one language when asked (?lang=en, ?lang=ar) and refuses an unknown one', async () => {
    const english = extractText(await slip(sa, `/api/v1/purchases/${shop.sale}/receipt.pdf?lang=en`));
    expect(english).toContain('Simplified Tax Invoice');
    expect(english).toContain('85.10 SAR');
    expect(hasArabic(english)).toBe(false);
    const arabic = extractText(await slip(sa, `/api/v1/purchases/${shop.sale}/receipt.pdf?lang=ar`));
    expect(arabic).toContain('فاتورة ضريبية مبسطة');
    expect(arabic).toContain('الإجمالي شامل الضريبة');
    expect(arabic).not.toContain('Simplified Tax Invoice');
    const refused = await sa({ method: 'GET', url: `/api/v1/purchases/${shop.sale}/receipt.pdf?lang=fr` });
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['content-type']).toContain('application/problem+json');
  });

  it('prints a return as a credit note against the sale with the cash paid back', async () => {
    const returned = await created(sa, `/api/v1/purchases/${shop.sale}/returns`, {
      items: [{ product_id: shop.water, quantity: 1 }],
      reason: 'Damaged bottle',
    });
    expect(returned.refund_amount).toBe('2.30');
    const path = await slip(
      sa,
      `/api/v1/purchases/${shop.sale}/returns/${returned.credit_note_id}/receipt.pdf`,
    );
    const text = extractText(path);
    for (const expected of [
      'Credit Note',
      'إشعار دائن',
      returned.credit_note_number,
      sale.invoice_number,
      'Water 1.5 L',
      '1 × 2.00',
      'Cash refunded',
      '2.30 SAR',
    ]) {
      expect(text).toContain(expected);
    }
    expect(decodeQr(path)).toBe(returned.qr_code_data);
    // Another sale's id with this credit note: not its return.
    const other = await sa({
      method: 'GET',
      url: `/api/v1/purchases/${returned.credit_note_id}/returns/${returned.credit_note_id}/receipt.pdf`,
    });
    expect(other.statusCode).toBe(404);
  });

  it('prints the X report mid-shift and, after a count one piece short, the Z report with the difference', async () => {
    const early = await sa({ method: 'GET', url: `/api/v1/cash-sessions/${shop.session}/z-report.pdf` });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('Z_REPORT_NOT_YET');

    const json = (await sa({ method: 'GET', url: `/api/v1/cash-sessions/${shop.session}` })).json();
    // Float 102.00 + 85.10 kept − 2.30 refunded.
    expect(json).toMatchObject({ opening_float: '102.00', expected_cash: '184.80' });
    const x = extractText(await slip(sa, `/api/v1/cash-sessions/${shop.session}/x-report.pdf`));
    for (const expected of [
      'X Report',
      'تقرير X',
      'Front till',
      '102.00 SAR',
      '200.00 SAR', // cash received
      '114.90 SAR', // change given
      '11.10 SAR', // VAT at 15 %
      '2.30 SAR',
      'Expected cash',
      '184.80 SAR',
    ]) {
      expect(x).toContain(expected);
    }
    // The counts stand after both labels (English, then Arabic).
    expect(x).toMatch(/Number of sales \S+ \S+ 1 /);
    expect(x).toMatch(/Number of returns \S+ \S+ 1 /);

    // The drawer now: what the JSON drawer holds; count it with one 1.00 coin missing.
    const drawer = (await sa({ method: 'GET', url: `/api/v1/denominations?till_id=${shop.till}` })).json();
    const counts = drawer.denominations.map((d: { value: string; available_count: number }) => ({
      value: d.value,
      count: d.value === '1.00' ? d.available_count - 1 : d.available_count,
    }));
    const ones = drawer.denominations.find((d: { value: string }) => d.value === '1.00').available_count;
    const closed = await sa({
      method: 'POST',
      url: `/api/v1/cash-sessions/${shop.session}/close`,
      payload: { counts },
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ counted_cash: '183.80', difference: '-1.00' });

    const zPath = await slip(sa, `/api/v1/cash-sessions/${shop.session}/z-report.pdf`);
    const z = extractText(zPath);
    for (const expected of ['Z Report', 'تقرير Z', 'Counted cash', '183.80 SAR', 'Difference', '-1.00 SAR']) {
      expect(z).toContain(expected);
    }
    // Per piece: 1.00 expected `ones`, counted one less, difference −1.
    expect(extractText(zPath, '-layout')).toMatch(new RegExp(`1\\.00\\s+${ones}\\s+${ones - 1}\\s+-1`));
    const lateX = await sa({ method: 'GET', url: `/api/v1/cash-sessions/${shop.session}/x-report.pdf` });
    expect(lateX.statusCode).toBe(409);
  });

  it('prints a plain English receipt without a QR for a company outside the Gulf', async () => {
    const pen = await created(india, '/api/v1/products', {
      name: 'Pen',
      price: 100,
      tax_percent: 18,
      stock: 5,
    });
    await created(india, '/api/v1/denominations', { value: 2, available_count: 10 });
    const sold = await created(india, '/api/v1/purchases', {
      customer_email: 'ravi@example.com',
      items: [{ product_id: pen.id, quantity: 1 }],
      paid_amount: 120,
    });
    expect(sold.change_amount).toBe('2.00');
    const path = await slip(india, `/api/v1/purchases/${sold.id}/receipt.pdf`);
    const text = extractText(path);
    expect(text).toContain('Receipt');
    expect(text).toContain('Sharma Stores');
    expect(text).toContain('VAT 18% on 100.00');
    expect(text).toContain('118.00 INR');
    expect(text).not.toContain('Tax Invoice');
    expect(hasArabic(text)).toBe(false);
    expect(decodeQr(path)).toBeUndefined();
  });

  it("answers 404 for another company's sale, return and session", async () => {
    for (const url of [
      `/api/v1/purchases/${shop.sale}/receipt.pdf`,
      `/api/v1/cash-sessions/${shop.session}/z-report.pdf`,
    ]) {
      const response = await india({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
  });
});
