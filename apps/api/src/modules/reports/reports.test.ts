// The period's figures a company files: a Saudi quarter's VAT return in ZATCA's boxes, hand-computed and checked
// against the issued XML documents' own tax totals; a UAE company's VAT 201 by emirate; a Dutch company's VAT by
// rate; the sales report by month, customer and product; CSV exports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Call, createTestApp, registerUser, type TestApp } from '../../../test/support/app';
import { AE_COMPANY, AE_INVOICE_BUYER } from '../../../test/support/companies';

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
const VAT_BUYER = {
  customer_name: 'Fatoora Samples LTD',
  customer_vat_number: '399999999800003',
  customer_address: NATIONAL_ADDRESS,
};
const line = (unitPrice: string, extra: object = {}) => ({
  description: 'Consulting',
  quantity: '1',
  unit_price: unitPrice,
  ...extra,
});
const zeroRated = (code: string) =>
  line('1000', { description: `Zero-rated ${code}`, vat_category: 'Z', exemption_reason_code: code });

async function created(call: Call, url: string, payload: object) {
  const response = await call({ method: 'POST', url, payload });
  if (response.statusCode !== 201) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  return response.json() as { id: string; type?: string };
}

const box = (
  result: { boxes: { box: string; amount: string; adjustment: string; vat: string }[] },
  id: string,
) => {
  const found = result.boxes.find((b) => b.box === id);
  return found && { amount: found.amount, adjustment: found.adjustment, vat: found.vat };
};

describe('VAT return', () => {
  it('boxes a Saudi quarter as ZATCA’s return does, and agrees with the issued XML documents’ tax totals', async () => {
    const owner = await registerUser(t.app);
    const call = as(t.app, owner);
    const issue = (invoiceDate: string, body: object) =>
      created(call, '/api/v1/invoices/generate', { invoice_date: invoiceDate, ...body });

    const docs = [
      // Standard: 1000 at 15 % = 150.
      await issue('2026-01-15', { ...VAT_BUYER, lines: [line('1000')] }),
      // Standard 1000 (150) beside medicines, zero-rated domestic (VATEX-SA-35).
      await issue('2026-02-01', { ...VAT_BUYER, lines: [line('1000'), zeroRated('VATEX-SA-35')] }),
      // An export of goods (VATEX-SA-32) to a foreign buyer.
      await issue('2026-02-10', {
        customer_name: 'Harrods Food Hall Ltd',
        customer_id_scheme: 'TIN',
        customer_id_number: 'GB123456789',
        customer_address: {
          street: '87 Brompton Road',
          city: 'London',
          postal_code: 'SW1X 7XL',
          country: 'GB',
        },
        transaction_flags: { export: true },
        lines: [zeroRated('VATEX-SA-32')],
      }),
      // Private healthcare to a citizen (VATEX-SA-HEA), simplified.
      await issue('2026-02-20', {
        subtype: 'simplified',
        customer_name: 'Mohammed Al-Harbi',
        customer_id_scheme: 'NAT',
        customer_id_number: '1023456789',
        lines: [zeroRated('VATEX-SA-HEA')],
      }),
      // Standard 1000 (150) beside an exempt financial service (VATEX-SA-29).
      await issue('2026-03-01', {
        ...VAT_BUYER,
        lines: [
          line('1000'),
          line('1000', {
            description: 'Financial service',
            vat_category: 'E',
            exemption_reason_code: 'VATEX-SA-29',
          }),
        ],
      }),
    ];
    // A credit note of 400 (60 VAT) on the first invoice: the adjustment column.
    docs.push(
      await issue('2026-03-15', {
        ...VAT_BUYER,
        type: 'credit_note',
        original_invoice_id: docs[0]?.id,
        reason: 'Part of the service was not delivered',
        lines: [line('400')],
      }),
    );
    // After the quarter: not in it.
    await issue('2026-04-02', { ...VAT_BUYER, lines: [line('1000')] });
    // Purchases: 115.00 with 15.00 recoverable VAT; 230.00 whose VAT may not be deducted; 50.00 zero-rated.
    await created(call, '/api/v1/expenses', {
      expense_date: '2026-02-10',
      vendor: 'Jarir Bookstore',
      category: 'office',
      amount: '115.00',
      vat_rate: '15',
    });
    await created(call, '/api/v1/expenses', {
      expense_date: '2026-03-05',
      vendor: 'Al Baik',
      category: 'entertainment',
      amount: '230.00',
      vat_rate: '15',
      is_vat_recoverable: false,
    });
    await created(call, '/api/v1/expenses', {
      expense_date: '2026-03-20',
      vendor: 'Nahdi Pharmacy',
      category: 'supplies',
      amount: '50.00',
      vat_rate: '0',
      vat_category: 'Z',
    });

    const response = await call({
      method: 'GET',
      url: '/api/v1/reports/vat-return?from=2026-01-01&to=2026-03-31',
    });
    expect(response.statusCode).toBe(200);
    const vat = response.json();
    expect(vat).toMatchObject({ form: 'zatca-vat-return', currency: 'SAR' });
    const z = '0.00';
    expect(box(vat, '1')).toEqual({ amount: '3000.00', adjustment: '-400.00', vat: '390.00' });
    expect(box(vat, '2')).toEqual({ amount: '1000.00', adjustment: z, vat: z });
    expect(box(vat, '3')).toEqual({ amount: '1000.00', adjustment: z, vat: z });
    expect(box(vat, '4')).toEqual({ amount: '1000.00', adjustment: z, vat: z });
    expect(box(vat, '5')).toEqual({ amount: '1000.00', adjustment: z, vat: z });
    expect(box(vat, '6')).toEqual({ amount: '7000.00', adjustment: '-400.00', vat: '390.00' });
    // 100.00 net with 15.00 recoverable, 200.00 net whose 30.00 is not recoverable.
    expect(box(vat, '7')).toEqual({ amount: '300.00', adjustment: z, vat: '15.00' });
    expect(box(vat, '8')).toEqual({ amount: z, adjustment: z, vat: z });
    expect(box(vat, '10')).toEqual({ amount: '50.00', adjustment: z, vat: z });
    expect(box(vat, '12')).toEqual({ amount: '350.00', adjustment: z, vat: '15.00' });
    expect(vat).toMatchObject({
      output_vat: '390.00',
      input_vat: '15.00',
      net_vat_due: '375.00',
      documents: { invoice: 5, credit_note: 1, debit_note: 0, expense: 3, not_in_company_currency: 0 },
    });
    expect(vat.boxes.map((b: { box: string }) => b.box)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '10',
      '11',
      '12',
    ]);

    // The same output VAT as the documents ZATCA received: each XML's tax total in SAR (BT-110), credit notes less.
    let fromXml = 0n; // in halalas
    for (const doc of docs) {
      const xml = (await call({ method: 'GET', url: `/api/v1/invoices/${doc.id}/xml` })).body;
      const total = /<cac:TaxTotal>\s*<cbc:TaxAmount currencyID="SAR">(\d+)\.(\d{2})<\/cbc:TaxAmount>/.exec(
        xml,
      );
      expect(total, `tax total of ${doc.id}`).not.toBeNull();
      const halalas = BigInt(`${total?.[1]}${total?.[2]}`);
      const isCredit = /<cbc:InvoiceTypeCode[^>]*>381</.test(xml);
      fromXml += isCredit ? -halalas : halalas;
    }
    expect(fromXml).toBe(39000n);

    const csv = await call({
      method: 'GET',
      url: '/api/v1/reports/vat-return?from=2026-01-01&to=2026-03-31&format=csv',
    });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('vat-return-2026-01-01-2026-03-31.csv');
    // A negative adjustment stays a number in the spreadsheet.
    expect(csv.body).toMatch(/\r\n1,Standard rated sales,[^,\r\n]+,3000\.00,-400\.00,390\.00\r\n/);
    expect(csv.body).toContain(',Net VAT due,صافي الضريبة المستحقة,,,375.00\r\n');
  });

  it('boxes a UAE company’s standard-rated supplies under its emirate (VAT 201)', async () => {
    const owner = await registerUser(t.app, AE_COMPANY);
    const call = as(t.app, owner);
    await created(call, '/api/v1/invoices/generate', {
      ...AE_INVOICE_BUYER,
      invoice_date: '2026-02-01',
      lines: [line('2000', { vat_rate: '5' })],
    });
    const vat = (
      await call({ method: 'GET', url: '/api/v1/reports/vat-return?from=2026-01-01&to=2026-03-31' })
    ).json();
    expect(vat.form).toBe('fta-vat-201');
    // The company is in Dubai (DXB): box 1b.
    expect(box(vat, '1b')).toEqual({ amount: '2000.00', adjustment: '0.00', vat: '100.00' });
    expect(box(vat, '1a')).toEqual({ amount: '0.00', adjustment: '0.00', vat: '0.00' });
    expect(box(vat, '8')).toEqual({ amount: '2000.00', adjustment: '0.00', vat: '100.00' });
    expect(vat.net_vat_due).toBe('100.00');
  });

  it('gives a company elsewhere its VAT by rate, and refuses a period that ends before it starts', async () => {
    const owner = await registerUser(t.app, {
      legal_name_en: 'Visser Fotografie',
      country: 'NL',
      vat_number: 'NL123456789B01',
      address: { street: 'Keizersgracht 1', city: 'Amsterdam', postal_code: '1015 CJ', country: 'NL' },
    });
    const call = as(t.app, owner);
    const issue = (unitPrice: string, rate: string) =>
      created(call, '/api/v1/invoices/generate', {
        customer_name: 'De Bakker BV',
        invoice_date: '2026-05-04',
        lines: [line(unitPrice, { vat_rate: rate })],
      });
    await issue('100', '21');
    await issue('300', '21');
    await issue('50', '9');
    const vat = (
      await call({ method: 'GET', url: '/api/v1/reports/vat-return?from=2026-04-01&to=2026-06-30' })
    ).json();
    expect(vat).toMatchObject({ form: 'vat-by-rate', currency: 'EUR', output_vat: '88.50' });
    expect(box(vat, 'output-S-21')).toEqual({ amount: '400.00', adjustment: '0.00', vat: '84.00' });
    expect(box(vat, 'output-S-9')).toEqual({ amount: '50.00', adjustment: '0.00', vat: '4.50' });

    const backwards = await call({
      method: 'GET',
      url: '/api/v1/reports/vat-return?from=2026-06-30&to=2026-04-01',
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors[0]).toMatchObject({ path: 'query.from', code: 'RANGE_INVALID' });
    const missing = await call({ method: 'GET', url: '/api/v1/reports/vat-return?from=2026-04-01' });
    expect(missing.statusCode).toBe(400);
  });
});

describe('sales report', () => {
  it('sums a period by month, customer and product, credit notes taken away, and as CSV', async () => {
    const owner = await registerUser(t.app);
    const call = as(t.app, owner);
    const product = await created(call, '/api/v1/products', {
      name_en: 'Network audit',
      unit_price: '800',
      vat_rate: '15',
    });
    const a = await created(call, '/api/v1/invoices/generate', {
      ...VAT_BUYER,
      invoice_date: '2026-01-10',
      lines: [line('1000'), { product_id: product.id, quantity: '2' }],
    });
    await created(call, '/api/v1/invoices/generate', {
      ...VAT_BUYER,
      customer_name: 'Second Buyer LLC',
      invoice_date: '2026-02-10',
      lines: [{ product_id: product.id, quantity: '1' }],
    });
    await created(call, '/api/v1/invoices/generate', {
      ...VAT_BUYER,
      type: 'credit_note',
      original_invoice_id: a.id,
      reason: 'Discount agreed',
      invoice_date: '2026-02-20',
      lines: [line('200')],
    });
    const report = async (groupBy: string) =>
      (
        await call({
          method: 'GET',
          url: `/api/v1/reports/sales?from=2026-01-01&to=2026-03-31&group_by=${groupBy}`,
        })
      ).json();

    const byMonth = await report('month');
    // January: 1000 + 1600 = 2600 net, 390 VAT; February: 800 − 200 = 600 net, 90 VAT.
    expect(byMonth.rows).toEqual([
      { key: '2026-01', label: '2026-01', documents: 1, net: '2600.00', vat: '390.00', total: '2990.00' },
      { key: '2026-02', label: '2026-02', documents: 2, net: '600.00', vat: '90.00', total: '690.00' },
    ]);
    expect(byMonth.total).toEqual({ net: '3200.00', vat: '480.00', total: '3680.00' });

    const byCustomer = await report('customer');
    expect(byCustomer.rows.map((r: { label: string; net: string }) => [r.label, r.net])).toEqual([
      ['Fatoora Samples LTD', '2400.00'],
      ['Second Buyer LLC', '800.00'],
    ]);

    const byProduct = await report('product');
    expect(byProduct.rows.map((r: { key: string | null; net: string }) => [r.key, r.net])).toEqual([
      [product.id, '2400.00'],
      [null, '800.00'], // the typed-in lines: 1000 less the credit note's 200
    ]);

    const csv = await call({
      method: 'GET',
      url: '/api/v1/reports/sales?from=2026-01-01&to=2026-03-31&group_by=month&format=csv',
    });
    expect(csv.body).toBe(
      '\uFEFFlabel,documents,net,vat,total\r\n' +
        '2026-01,1,2600.00,390.00,2990.00\r\n' +
        '2026-02,2,600.00,90.00,690.00\r\n' +
        'Total,3,3200.00,480.00,3680.00\r\n',
    );
  });

  it('shows nothing of another company', async () => {
    const owner = await registerUser(t.app);
    const other = await registerUser(t.app);
    await created(as(t.app, other), '/api/v1/invoices/generate', {
      ...VAT_BUYER,
      invoice_date: '2026-01-10',
      lines: [line('1000')],
    });
    const mine = (
      await as(t.app, owner)({ method: 'GET', url: '/api/v1/reports/sales?from=2026-01-01&to=2026-03-31' })
    ).json();
    expect(mine.rows).toEqual([]);
    const vat = (
      await as(
        t.app,
        owner,
      )({ method: 'GET', url: '/api/v1/reports/vat-return?from=2026-01-01&to=2026-03-31' })
    ).json();
    expect(vat.output_vat).toBe('0.00');
  });
});
