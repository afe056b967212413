import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Call, createTestApp, registerUser, type TestApp } from '../../../test/support/app';

const NL_COMPANY = {
  legal_name_en: 'Jansen Design',
  country: 'NL',
  vat_number: 'NL123456789B01',
  address: { street: 'Keizersgracht 1', city: 'Amsterdam', postal_code: '1015 CJ', country: 'NL' },
};

const MAX_BYTES = 4096;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(1500)]);
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(800)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(900)]);

let t: TestApp;
let call: Call;
beforeAll(async () => {
  t = await createTestApp({ RECEIPT_MAX_BYTES: MAX_BYTES });
  call = as(t.app, await registerUser(t.app, NL_COMPANY));
});
afterAll(() => t.close());

const anExpense = async (call: Call, fields: object = {}) => {
  const response = await call({
    method: 'POST',
    url: '/api/v1/expenses',
    payload: {
      expense_date: '2026-02-10',
      vendor: 'Coolblue',
      category: 'equipment',
      amount: '121.00',
      vat_rate: '21',
      ...fields,
    },
  });
  if (response.statusCode !== 201) throw new Error(`expense: ${response.statusCode} ${response.body}`);
  return response.json();
};

const upload = (call: Call, id: string, bytes: Buffer, type: string, fileName = 'receipt.png') =>
  call({
    method: 'PUT',
    url: `/api/v1/expenses/${id}/receipt?file_name=${encodeURIComponent(fileName)}`,
    headers: { 'content-type': type },
    payload: bytes,
  });

describe('expenses', () => {
  it('records an expense with the VAT inside its amount, in cents too, and in a foreign currency at its rate', async () => {
    const expense = await anExpense(call, { description: 'Monitor', is_vat_recoverable: true });
    expect(expense).toMatchObject({
      amount: '121.00',
      amount_cents: 12100,
      vat_amount: '21.00',
      vat_amount_cents: 2100,
      net_amount: '100.00',
      vat_rate: '21',
      vat_category: 'S',
      currency: 'EUR',
      exchange_rate: '1',
      status: 'booked',
      receipt: null,
    });
    expect(await anExpense(call, { amount: undefined, amount_cents: 5000, vat_rate: '9' })).toMatchObject({
      amount: '50.00',
      vat_amount: '4.13', // 50 × 9 / 109 = 4.128…, half-up
    });
    const dollars = await anExpense(call, {
      amount: '110.00',
      vat_rate: '0',
      vat_category: 'O',
      currency: 'USD',
      exchange_rate: '0.92',
      is_vat_recoverable: false,
    });
    expect(dollars).toMatchObject({
      amount_in_company_currency: '101.20',
      vat_amount: '0.00',
      company_currency: 'EUR',
    });
  });

  it('refuses bad amounts with their field paths, and cents that disagree with the amount (422)', async () => {
    const post = (payload: object) =>
      call({
        method: 'POST',
        url: '/api/v1/expenses',
        payload: { expense_date: '2026-02-10', vendor: 'X', category: 'y', vat_rate: '21', ...payload },
      });
    const foreign = await post({ amount: '10', currency: 'USD' });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().errors).toEqual([
      expect.objectContaining({ path: 'exchange_rate', code: 'REQUIRED' }),
    ]);
    const tooMuchVat = await post({ amount: '10', vat_amount: '11' });
    expect(tooMuchVat.json().errors).toEqual([
      expect.objectContaining({ path: 'vat_amount', code: 'VAT_OUT_OF_RANGE' }),
    ]);
    const twice = await post({ amount: '10.00', amount_cents: 1001 });
    expect(twice.statusCode).toBe(422);
    expect(twice.json().errors).toEqual([
      expect.objectContaining({ path: 'amount_cents', code: 'AMOUNT_MISMATCH' }),
    ]);
    const list = (await call({ method: 'GET', url: '/api/v1/expenses?page_size=100' })).json();
    expect(list.expenses.some((e: { vendor: string }) => e.vendor === 'X')).toBe(false);
  });

  it('counts recoverable VAT of booked and paid expenses in the dashboard’s VAT per month', async () => {
    const owner = as(t.app, await registerUser(t.app, NL_COMPANY));
    await anExpense(owner, { expense_date: '2025-03-05' }); // 21.00 recoverable
    await anExpense(owner, {
      expense_date: '2025-03-06',
      status: 'paid',
      currency: 'USD',
      exchange_rate: '0.5',
    }); // 10.50
    await anExpense(owner, { expense_date: '2025-03-07', is_vat_recoverable: false });
    await anExpense(owner, { expense_date: '2025-03-08', status: 'void' });
    await anExpense(owner, { expense_date: '2025-03-09', status: 'draft' });
    const dashboard = await owner({ method: 'GET', url: '/api/v1/dashboard?from=2025-03-01&to=2025-03-31' });
    expect(dashboard.statusCode).toBe(200);
    expect(dashboard.json().vat_by_month).toEqual([
      {
        month: '2025-03',
        vat_invoiced: '0.00',
        vat_credited: '0.00',
        vat_due: '0.00',
        vat_recoverable: '31.50',
        vat_payable: '-31.50',
      },
    ]);
  });
});

describe('receipts', () => {
  it('stores a receipt and downloads it byte-identical, as an attachment of its own type', async () => {
    const expense = await anExpense(call);
    const stored = await upload(call, expense.id, PNG, 'image/png', 'bon 12 €.png');
    expect(stored.statusCode).toBe(200);
    expect(stored.json()).toMatchObject({
      content_type: 'image/png',
      byte_size: PNG.length,
      file_name: 'bon 12 €.png',
    });
    const download = await call({ method: 'GET', url: `/api/v1/expenses/${expense.id}/receipt` });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(PNG)).toBe(true);
    expect(download.headers).toMatchObject({
      'content-type': 'image/png',
      'content-length': String(PNG.length),
      'x-content-type-options': 'nosniff',
    });
    expect(download.headers['content-disposition']).toMatch(
      /^attachment; filename="bon 12 _.png"; filename\*=UTF-8''/,
    );
    expect(String(download.headers['cache-control'])).toContain('no-store');
    // A PDF sent as bytes of unknown type is read for what it is and replaces the image.
    expect(
      (await upload(call, expense.id, PDF, 'application/octet-stream', 'bon.pdf')).json().content_type,
    ).toBe('application/pdf');
    const again = await call({ method: 'GET', url: `/api/v1/expenses/${expense.id}/receipt` });
    expect(again.headers['content-type']).toBe('application/pdf');
    expect(again.rawPayload.equals(PDF)).toBe(true);
    expect(
      (await call({ method: 'GET', url: `/api/v1/expenses/${expense.id}` })).json().receipt,
    ).toMatchObject({
      file_name: 'bon.pdf',
      byte_size: PDF.length,
    });
  });

  it('refuses a file that lies about its type, one that is none of the three, one over the limit, and a path', async () => {
    const expense = await anExpense(call);
    const cases: [Buffer, string, string, number, string][] = [
      [PDF, 'image/png', 'x.png', 415, 'RECEIPT_TYPE_MISMATCH'],
      [JPEG, 'application/pdf', 'x.pdf', 415, 'RECEIPT_TYPE_MISMATCH'],
      [
        Buffer.from('<html><script>alert(1)</script></html>'),
        'image/jpeg',
        'x.jpg',
        415,
        'RECEIPT_TYPE_NOT_ALLOWED',
      ],
      [
        Buffer.concat([Buffer.from('MZ'), randomBytes(100)]),
        'application/octet-stream',
        'x.exe',
        415,
        'RECEIPT_TYPE_NOT_ALLOWED',
      ],
      [Buffer.concat([PNG, randomBytes(MAX_BYTES)]), 'image/png', 'big.png', 413, 'PAYLOAD_TOO_LARGE'],
      [PNG, 'image/png', '../../etc/passwd.png', 400, 'VALIDATION_FAILED'],
      [PNG, 'image/png', 'C:\\receipts\\x.png', 400, 'VALIDATION_FAILED'],
      [PNG, 'image/png', 'folder/x.png', 400, 'VALIDATION_FAILED'],
    ];
    for (const [bytes, type, name, status, code] of cases) {
      const response = await upload(call, expense.id, bytes, type, name);
      expect({ name, status: response.statusCode, code: response.json().code }).toEqual({
        name,
        status,
        code,
      });
      if (code === 'VALIDATION_FAILED')
        expect(response.json().errors[0]).toMatchObject({
          path: 'query.file_name',
          code: 'FILE_NAME_HAS_PATH',
        });
    }
    const none = await call({ method: 'GET', url: `/api/v1/expenses/${expense.id}/receipt` });
    expect(none.statusCode).toBe(404);
    expect(none.json().code).toBe('RECEIPT_NOT_FOUND');
  });

  it('keeps receipts in DATA_DIR when configured, under names of its own, and reads them back byte-identical', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'invoiceflow-receipts-'));
    const d = await createTestApp({ FILE_STORAGE: 'directory', DATA_DIR: dataDir });
    try {
      const owner = await registerUser(d.app, NL_COMPANY);
      const dcall = as(d.app, owner);
      const expense = await anExpense(dcall);
      expect((await upload(dcall, expense.id, JPEG, 'image/jpeg', 'bon.jpg')).statusCode).toBe(200);
      const files = readdirSync(path.join(dataDir, 'files', owner.companyId));
      expect(files).toHaveLength(1);
      expect(files[0]).not.toContain('bon');
      const download = await dcall({ method: 'GET', url: `/api/v1/expenses/${expense.id}/receipt` });
      expect(download.rawPayload.equals(JPEG)).toBe(true);
      expect((await dcall({ method: 'DELETE', url: `/api/v1/expenses/${expense.id}` })).statusCode).toBe(204);
      expect(existsSync(path.join(dataDir, 'files', owner.companyId, files[0] as string))).toBe(false);
    } finally {
      await d.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
