// Receivables and payables aging and payments received, against hand-computed figures; the same figures in the
// PDF (read back with pdftotext), the Excel and the CSV files; a background run with its progress and its file;
// and the pay link in the footer of an invoice's PDF where the company takes payments online.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractText, hasPoppler } from '@invoiceflow/pdf/test-support';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Call, createTestApp, registerUser, type TestApp } from '../../../test/support/app';
import { SA_BUYER } from '../../../test/support/companies';
import { type FakeStripe, startFakeStripe } from '../../../test/support/fake-stripe';
import { createCustomer, issueInvoice } from '../../../test/support/receivables';
import { REPORT_RUN_JOB } from './runs';

let t: TestApp;
let stripe: FakeStripe;
let call: Call;
const dir = mkdtempSync(join(tmpdir(), 'reports-'));
const AS_OF = '2026-06-30';

async function ok(response: Promise<{ statusCode: number; body: string; json(): unknown }>, status = 200) {
  const r = await response;
  if (r.statusCode !== status) throw new Error(`${r.statusCode} ${r.body}`);
  return r.json() as Record<string, unknown> & { id: string };
}

beforeAll(async () => {
  stripe = await startFakeStripe();
  // A threshold of 8 rows: the quarter below (5 payments) is small, the half year (6 invoices, 5 payments) large.
  t = await createTestApp({ STRIPE_API_URL: stripe.url, GATEWAY_TIMEOUT_MS: 3000, REPORT_JOB_ROWS: 8 });
  await t.app.ctx.jobs.start();
  call = as(t.app, await registerUser(t.app));

  const alpha = await createCustomer(call, { name_en: 'Alpha Trading' });
  const beta = await createCustomer(call, { name_en: 'Beta Supplies' });
  const gamma = await createCustomer(call, { name_en: 'Gamma Retail' });
  const issue = (customerId: string, net: string, dueDate: string) =>
    issueInvoice(call, { customerId, net, invoiceDate: '2026-01-15', dueDate });
  // One line at 15 % each: total = net × 1.15. Days past due on 2026-06-30:
  await issue(alpha.id, '1000', '2026-06-20'); // 1150.00, 10 days: 1–30
  await issue(alpha.id, '2000', '2026-05-16'); // 2300.00, 45 days: 31–60
  const i3 = await issue(beta.id, '4000', '2026-04-16'); // 4600.00, 75 days: 61–90, 2000.00 paid below
  await issue(beta.id, '800', '2026-03-02'); // 920.00, 120 days: over 90
  await issue(gamma.id, '3000', '2026-07-15'); // 3450.00, not due yet
  const i6 = await issue(gamma.id, '500', '2026-06-25'); // 575.00, paid in full below

  const pay = (payload: object) => ok(call({ method: 'POST', url: '/api/v1/payments', payload }), 201);
  await pay({
    customer_id: beta.id,
    amount: '2000',
    payment_date: '2026-04-20',
    payment_method: 'bank_transfer',
    allocations: [{ invoice_id: i3.id, amount: '2000' }],
  });
  await pay({
    customer_id: gamma.id,
    amount: '575',
    payment_date: '2026-06-26',
    payment_method: 'card',
    allocations: [{ invoice_id: i6.id, amount: '575' }],
  });
  // Alpha's 300.00 in cash pays no invoice (a credit): received, but the aging is unchanged.
  await pay({ customer_id: alpha.id, amount: '300', payment_date: '2026-05-05', payment_method: 'cash' });
  // Pending and reversed: not received.
  await pay({ customer_id: alpha.id, amount: '50', payment_date: '2026-05-06', status: 'pending' });
  const reversed = await pay({ customer_id: beta.id, amount: '70', payment_date: '2026-05-07' });
  await ok(
    call({ method: 'PATCH', url: `/api/v1/payments/${reversed.id}`, payload: { status: 'reversed' } }),
  );

  // Bills as typed in (no VAT on their lines): 100.00 due 2026-06-10 (20 days late) of which 40.00 is paid, 200.00
  // due 2026-08-01 (current); a third never approved.
  const vendor = await ok(
    call({
      method: 'POST',
      url: '/api/v1/vendors',
      payload: { ...SA_BUYER, vat_number: '311111111100003', name_en: 'Delta Paper Co' },
    }),
    201,
  );
  const bill = async (number: string, price: string, due: string, approve = true) => {
    const created = await ok(
      call({
        method: 'POST',
        url: '/api/v1/supplier-invoices',
        payload: {
          vendor_id: vendor.id,
          number,
          issue_date: '2026-05-01',
          due_date: due,
          lines: [{ description: 'Paper', quantity: '1', unit_price: price }],
        },
      }),
      201,
    );
    if (approve) {
      await ok(
        call({
          method: 'POST',
          url: `/api/v1/supplier-invoices/${created.id}/approve`,
          payload: { override_reason: 'Services, no order' },
        }),
      );
    }
    return created;
  };
  const b1 = await bill('B-1', '100.00', '2026-06-10');
  await bill('B-2', '200.00', '2026-08-01');
  await bill('B-3', '999.00', '2026-05-20', false);
  await ok(
    call({
      method: 'POST',
      url: '/api/v1/supplier-payments',
      payload: {
        amount: '40',
        payment_date: '2026-06-01',
        method: 'bank_transfer',
        allocations: [{ supplier_invoice_id: b1.id, amount: '40' }],
      },
    }),
    201,
  );
});
afterAll(async () => {
  await t?.close();
  await stripe?.close();
});

const get = (url: string) => call({ method: 'GET', url });

describe('aging', () => {
  it('buckets what customers owe by days past due, per customer, as computed by hand', async () => {
    const aging = await ok(get(`/api/v1/reports/receivables-aging?as_of=${AS_OF}`));
    const row = (label: string, documents: number, buckets: string[], total: string) => ({
      key: expect.any(String),
      label,
      documents,
      current: buckets[0],
      days_1_30: buckets[1],
      days_31_60: buckets[2],
      days_61_90: buckets[3],
      days_90_plus: buckets[4],
      total,
    });
    expect(aging).toEqual({
      side: 'receivable',
      currency: 'SAR',
      as_of: AS_OF,
      rows: [
        // Beta: 4600 − 2000 = 2600.00 (75 days) and 920.00 (120 days).
        row('Beta Supplies', 2, ['0.00', '0.00', '0.00', '2600.00', '920.00'], '3520.00'),
        // Alpha: 1150.00 (10 days) and 2300.00 (45 days); its 300.00 credit pays no invoice.
        row('Alpha Trading', 2, ['0.00', '1150.00', '2300.00', '0.00', '0.00'], '3450.00'),
        // Gamma: 3450.00 not due; 575.00 paid.
        row('Gamma Retail', 1, ['3450.00', '0.00', '0.00', '0.00', '0.00'], '3450.00'),
      ],
      total: {
        documents: 5,
        current: '3450.00',
        days_1_30: '1150.00',
        days_31_60: '2300.00',
        days_61_90: '2600.00',
        days_90_plus: '920.00',
        total: '10420.00',
      },
      not_in_company_currency: 0,
    });
    // The dashboard reads the same computation: its aging today is these documents aged on another day.
    const dashboard = await ok(get('/api/v1/dashboard'));
    expect((dashboard.outstanding as { amount: string }).amount).toBe('10420.00');
  });

  it('buckets approved bills the company owes, by vendor', async () => {
    const aging = await ok(get(`/api/v1/reports/payables-aging?as_of=${AS_OF}`));
    expect(aging.rows).toEqual([
      {
        key: expect.any(String),
        label: 'Delta Paper Co',
        documents: 2,
        current: '200.00',
        days_1_30: '60.00', // 100.00 − 40.00 paid, 20 days late
        days_31_60: '0.00',
        days_61_90: '0.00',
        days_90_plus: '0.00',
        total: '260.00',
      },
    ]);
    const payables = await ok(get(`/api/v1/payables/aging?as_of=${AS_OF}`));
    expect(payables.currencies).toEqual([
      expect.objectContaining({
        currency: 'SAR',
        bills: 2,
        current: '200.00',
        days_1_30: '60.00',
        total: '260.00',
      }),
    ]);
  });
});

describe('payments received', () => {
  it('totals completed payments by month, method and customer', async () => {
    const report = (groupBy: string) =>
      ok(get(`/api/v1/reports/payments-received?from=2026-04-01&to=2026-06-30&group_by=${groupBy}`));
    const pairs = (r: Record<string, unknown>) =>
      (r.rows as { label: string; payments: number; amount: string }[]).map((x) => [
        x.label,
        x.payments,
        x.amount,
      ]);
    const byMonth = await report('month');
    expect(pairs(byMonth)).toEqual([
      ['2026-04', 1, '2000.00'],
      ['2026-05', 1, '300.00'],
      ['2026-06', 1, '575.00'],
    ]);
    // 2000.00 + 300.00 + 575.00; the pending 50.00 and the reversed 70.00 are not received.
    expect(byMonth.total).toEqual({ payments: 3, amount: '2875.00', refunded: '0.00', net: '2875.00' });
    expect(pairs(await report('method'))).toEqual([
      ['bank_transfer', 1, '2000.00'],
      ['card', 1, '575.00'],
      ['cash', 1, '300.00'],
    ]);
    expect(pairs(await report('customer'))).toEqual([
      ['Beta Supplies', 1, '2000.00'],
      ['Gamma Retail', 1, '575.00'],
      ['Alpha Trading', 1, '300.00'],
    ]);
  });
});

describe('report files', () => {
  it.skipIf(!hasPoppler)('writes the aging as a PDF whose text carries the figures', async () => {
    const response = await get(`/api/v1/reports/receivables-aging?as_of=${AS_OF}&format=pdf`);
    expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toContain(`receivables-aging-${AS_OF}.pdf`);
    const path = join(dir, 'aging.pdf');
    writeFileSync(path, response.rawPayload);
    const text = extractText(path, '-layout');
    expect(text).toContain('Receivables aging');
    expect(text).toContain(`As of ${AS_OF}`);
    expect(text).toMatch(/Beta Supplies 2 0\.00 0\.00 0\.00 2600\.00 920\.00 3520\.00/);
    expect(text).toMatch(/Total 5 3450\.00 1150\.00 2300\.00 2600\.00 920\.00 10420\.00/);
  });

  it('writes the same figures as Excel numbers and as CSV', async () => {
    const xlsx = await get(`/api/v1/reports/payments-received?from=2026-04-01&to=2026-06-30&format=xlsx`);
    expect(xlsx.statusCode, xlsx.body.slice(0, 300)).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const values = book.worksheets[0]?.getSheetValues().filter(Boolean) as unknown[][];
    expect(values.at(-1)?.slice(1)).toEqual(['Total', 3, 2875, 0, 2875]);
    const csv = await get(`/api/v1/reports/payables-aging?as_of=${AS_OF}&format=csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('Delta Paper Co,2,200.00,60.00,0.00,0.00,0.00,260.00\r\n');
    expect(csv.body).toContain('Total,2,200.00,60.00,0.00,0.00,0.00,260.00\r\n');
  });

  it('refuses to write a large period on the request and writes it in a background run with progress', async () => {
    const large = await get('/api/v1/reports/sales?from=2026-01-01&to=2026-06-30&format=pdf');
    expect(large.statusCode).toBe(422);
    expect(large.json().code).toBe('REPORT_TOO_LARGE');
    // The figures themselves are still answered: they are summed in the database.
    expect((await get('/api/v1/reports/sales?from=2026-01-01&to=2026-06-30')).statusCode).toBe(200);

    const run = await ok(
      call({
        method: 'POST',
        url: '/api/v1/reports/runs',
        payload: { kind: 'sales', format: 'csv', from: '2026-01-01', to: '2026-06-30', group_by: 'customer' },
      }),
      202,
    );
    expect(run).toMatchObject({ status: 'queued', progress: 0, file_name: null });
    const notYet = await get(`/api/v1/reports/runs/${run.id}/file`);
    expect(notYet.statusCode).toBe(409);

    // Every progress the job writes, as the database sees it (a trigger keeps each update).
    const sql = (text: string) => t.database.execute(text);
    await sql('CREATE TABLE IF NOT EXISTS test_progress (run_id uuid, progress int, status text, n serial)');
    await sql(`CREATE OR REPLACE FUNCTION test_progress_log() RETURNS trigger AS $$
      BEGIN INSERT INTO test_progress (run_id, progress, status) VALUES (NEW.id, NEW.progress, NEW.status);
      RETURN NEW; END $$ LANGUAGE plpgsql`);
    await sql(`CREATE OR REPLACE TRIGGER test_progress_log AFTER UPDATE ON report_runs
      FOR EACH ROW EXECUTE FUNCTION test_progress_log()`);
    // The job works while the run is polled, as the web page does.
    const seen: number[] = [];
    let isWorking = true;
    const working = t.app.ctx.jobs.drain(REPORT_RUN_JOB).finally(() => {
      isWorking = false;
    });
    let status: Record<string, unknown> = run;
    for (;;) {
      const wasWorking = isWorking;
      status = await ok(get(`/api/v1/reports/runs/${run.id}`));
      seen.push(status.progress as number);
      // One last look after the job ended, then stop.
      if (!wasWorking || status.status === 'done' || status.status === 'failed') break;
    }
    await working;
    expect(status).toMatchObject({
      status: 'done',
      progress: 100,
      file_name: 'sales-by-customer-2026-01-01-2026-06-30.csv',
    });
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    // Six months read one at a time, each a sixth of the first 90 %; then the file is written: 100 %.
    const written = await sql(
      `SELECT progress, status FROM test_progress WHERE run_id = '${run.id}' ORDER BY n`,
    );
    expect(written.rows.map((r) => `${r.status} ${r.progress}`)).toEqual([
      'running 0',
      'running 15',
      'running 30',
      'running 45',
      'running 60',
      'running 75',
      'running 90',
      'done 100',
    ]);

    const file = await get(`/api/v1/reports/runs/${run.id}/file`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('text/csv');
    // 1000 + 2000 net for Alpha, 4000 + 800 for Beta, 3000 + 500 for Gamma (all issued in January).
    expect(file.body).toBe(
      '\uFEFFlabel,documents,net,vat,total\r\n' +
        'Beta Supplies,2,4800.00,720.00,5520.00\r\n' +
        'Gamma Retail,2,3500.00,525.00,4025.00\r\n' +
        'Alpha Trading,2,3000.00,450.00,3450.00\r\n' +
        'Total,6,11300.00,1695.00,12995.00\r\n',
    );
    const other = as(t.app, await registerUser(t.app));
    expect((await other({ method: 'GET', url: `/api/v1/reports/runs/${run.id}` })).statusCode).toBe(404);
    expect((await other({ method: 'GET', url: `/api/v1/reports/runs/${run.id}/file` })).statusCode).toBe(404);
  });
});

describe('the pay link in the invoice PDF', () => {
  it.skipIf(!hasPoppler)(
    'prints the stable pay link in the footer once the company takes payments online',
    async () => {
      const owner = as(t.app, await registerUser(t.app));
      const before = await issueInvoice(owner, { net: '100' });
      await ok(
        owner({
          method: 'PUT',
          url: '/api/v1/payment-gateway/settings',
          payload: { provider: 'stripe', secret_key: stripe.secretKey, webhook_secret: stripe.webhookSecret },
        }),
      );
      const invoice = await issueInvoice(owner, { net: '200' });
      const textOf = async (id: string, name: string) => {
        const pdf = await owner({ method: 'GET', url: `/api/v1/invoices/${id}/pdf` });
        expect(pdf.statusCode).toBe(200);
        const path = join(dir, `${name}.pdf`);
        writeFileSync(path, pdf.rawPayload);
        return { text: extractText(path, '-raw'), bytes: pdf.rawPayload };
      };
      const link = (await ok(owner({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/pay-link` })))
        .url as string;
      const first = await textOf(invoice.id, 'paid-online');
      expect(first.text).toContain(`Pay online: ${link}`);
      // Stored once: the next download is the same bytes, link included.
      expect((await textOf(invoice.id, 'again')).bytes.equals(first.bytes)).toBe(true);
      // Made before the gateway was connected: its stored PDF stays as it was issued.
      expect((await textOf(before.id, 'before')).text).not.toContain('Pay online');
    },
  );
});
