// Invoices imported from a file: as history (their own numbers, no e-invoice of ours) or issued now through the
// one pipeline; for a Saudi company every imported invoice is signed on the company's chain, and each XML passes
// the official ZATCA validator with its predecessor's hash as its PIH.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FIRST_PIH } from '@invoiceflow/zatca';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeFailures,
  validateZatcaFiles,
  zatcaValidatorAvailability,
} from '../../../../../packages/zatca/src/test-support/validator';
import { as, type Call, createTestApp, registerUser, type TestApp } from '../../../test/support/app';
import { RUN_JOB, VALIDATE_JOB } from './service';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await t.app.ctx.jobs.start();
});
afterAll(() => t.close());

const HEADER =
  'Invoice No,Invoice Date,Customer,Customer VAT,Street,Building Number,District,City,Postal Code,Country,Item,Qty,Price,VAT %,Status';
const BUYER = 'Fatoora Samples LTD,399999999800003,Salah Al-Din,1111,Al-Murooj,Riyadh,12222,SA';

async function importFile(c: Call, csv: string, mode: 'history' | 'issue') {
  const created = await c({
    method: 'POST',
    url: `/api/v1/imports?type=invoices&mode=${mode}&file_name=invoices.csv`,
    payload: csv,
    headers: { 'content-type': 'text/csv' },
  });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id;
  expect((await c({ method: 'POST', url: `/api/v1/imports/${id}/dry-run` })).statusCode).toBe(202);
  await t.app.ctx.jobs.drain(VALIDATE_JOB);
  const checked = (await c({ method: 'GET', url: `/api/v1/imports/${id}` })).json();
  const errors = (await c({ method: 'GET', url: `/api/v1/imports/${id}/errors` })).json().errors;
  return { id, checked, errors };
}

async function runImport(c: Call, id: string) {
  expect((await c({ method: 'POST', url: `/api/v1/imports/${id}/run` })).statusCode).toBe(202);
  await t.app.ctx.jobs.drain(RUN_JOB);
  return (await c({ method: 'GET', url: `/api/v1/imports/${id}` })).json();
}

const invoicesOf = async (c: Call) =>
  (await c({ method: 'GET', url: '/api/v1/invoices?page_size=100' })).json().invoices as {
    id: string;
    invoice_number: string;
    status: string;
  }[];

describe('invoice imports', () => {
  it('stores history under its own numbers, issued or paid, with no e-invoice, and refuses our series', async () => {
    const c = as(t.app, await registerUser(t.app));
    const csv = [
      HEADER,
      `OLD-1,2025-03-01,${BUYER},Consulting,2,500,15,paid`,
      `OLD-1,,${BUYER},Training,1,250.50,15,`,
      `OLD-2,2025-03-02,${BUYER},Support,1,100,15,issued`,
    ].join('\n');
    const { id, checked, errors } = await importFile(c, csv, 'history');
    expect(errors).toEqual([]);
    expect(checked).toMatchObject({ status: 'validated', error_count: 0, progress: { rows_total: 3 } });
    const done = await runImport(c, id);
    expect(done).toMatchObject({ status: 'imported', result: { invoices: 2 } });
    const invoices = await invoicesOf(c);
    const old1 = invoices.find((i) => i.invoice_number === 'OLD-1');
    expect(old1).toMatchObject({ status: 'paid' });
    expect(invoices.find((i) => i.invoice_number === 'OLD-2')).toMatchObject({ status: 'issued' });
    const one = (await c({ method: 'GET', url: `/api/v1/invoices/${old1?.id}` })).json();
    expect(one).toMatchObject({
      invoice_date: expect.stringMatching(/^2025-03-01/),
      payable_amount: '1438.08',
    });
    // No e-invoice of ours for an invoice issued elsewhere.
    expect((await c({ method: 'GET', url: `/api/v1/invoices/${old1?.id}/xml` })).statusCode).toBe(404);

    // A number already used, and one that reads as our own series: refused, and nothing of the file imported.
    const again = [
      HEADER,
      `OLD-3,2025-03-03,${BUYER},Support,1,100,15,issued`,
      `OLD-2,2025-03-02,${BUYER},Support,1,100,15,issued`,
      `INV-2025-000001,2025-03-02,${BUYER},Support,1,100,15,issued`,
    ].join('\n');
    const second = await importFile(c, again, 'history');
    expect(second.errors).toEqual([
      expect.objectContaining({ row: 4, field: 'invoice_number', code: 'INVOICE_NUMBER_RESERVED' }),
    ]);
    const fixed = await importFile(c, again.split('\n').slice(0, 3).join('\n'), 'history');
    expect(fixed.errors).toEqual([]);
    const failed = await runImport(c, fixed.id);
    expect(failed).toMatchObject({
      status: 'failed',
      failure: { code: 'IMPORT_ROWS_INVALID' },
      error_count: 1,
    });
    const report = (await c({ method: 'GET', url: `/api/v1/imports/${fixed.id}/errors` })).json().errors;
    expect(report).toEqual([
      expect.objectContaining({ row: 3, field: 'invoice_number', code: 'INVOICE_NUMBER_TAKEN' }),
    ]);
    expect((await invoicesOf(c)).map((i) => i.invoice_number).sort()).toEqual(['OLD-1', 'OLD-2']);
  });

  it('reports bad lines at their rows: a bad quantity, a rate the category forbids, fields that disagree', async () => {
    const c = as(t.app, await registerUser(t.app));
    const csv = [
      HEADER,
      `A-1,2025-04-01,${BUYER},Consulting,two,500,15,`,
      `A-1,2025-04-02,${BUYER},Training,1,100,15,`,
      `A-2,2025-04-01,${BUYER},Support,1,100,7,`,
    ].join('\n');
    const { errors } = await importFile(c, csv, 'issue');
    expect(
      errors.map((e: { row: number; field: string; code: string }) => `${e.row} ${e.field} ${e.code}`),
    ).toEqual(['2 quantity INVALID_NUMBER', '3 issue_date INVOICE_FIELDS_DIFFER', '4 vat_rate BR-KSA-84']);
  });

  const issuedXml: { name: string; xml: string; pih: string }[] = [];

  it('issues each invoice of the file through the pipeline: numbered, signed and chained', async () => {
    const c = as(t.app, await registerUser(t.app));
    const today = new Date().toISOString().slice(0, 10);
    const csv = [
      HEADER,
      `X-9,${today},${BUYER},Consulting,2,500,15,`,
      `X-9,,${BUYER},Training,3,99.99,15,`,
      `X-10,${today},${BUYER},Support,1,1000,5,`,
      `X-11,${today},Walk-in buyer,,,,,,,SA,Coffee,4,12.5,15,`,
    ].join('\n');
    const { id, errors } = await importFile(c, csv, 'issue');
    expect(errors).toEqual([]);
    const done = await runImport(c, id);
    expect(done).toMatchObject({ status: 'imported', result: { invoices: 3 } });
    const invoices = await invoicesOf(c);
    expect(invoices.map((i) => i.invoice_number).sort()).toEqual(
      [1, 2, 3].map((n) => `INV-${today.slice(0, 4)}-${String(n).padStart(6, '0')}`),
    );
    // Follow the chain from the first PIH: each document's previous hash is its predecessor's hash.
    const signed = await Promise.all(
      invoices.map(async (invoice) => ({
        invoice,
        zatca: (await c({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/zatca` })).json(),
        xml: (await c({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/xml` })).body,
      })),
    );
    let pih = FIRST_PIH;
    for (let i = 0; i < signed.length; i++) {
      const next = signed.find((doc) => doc.zatca.previous_hash === pih);
      expect(next, `a document chained on ${pih}`).toBeDefined();
      issuedXml.push({ name: next?.invoice.invoice_number ?? '', xml: next?.xml ?? '', pih });
      pih = next?.zatca.invoice_hash;
    }
  });

  const validator = zatcaValidatorAvailability();
  it.skipIf(!validator.available)(
    'passes every imported invoice through the official ZATCA validator, chained',
    async () => {
      expect(issuedXml).toHaveLength(3);
      const dir = mkdtempSync(path.join(tmpdir(), 'zatca-import-'));
      const entries = issuedXml.map((doc, index) => {
        const file = path.join(dir, `${index}.xml`);
        writeFileSync(file, doc.xml);
        return { file, name: doc.name, pih: doc.pih };
      });
      const results = await validateZatcaFiles(entries);
      const failed = entries
        .map((e) => ({ e, r: results.get(e.file) }))
        .filter(({ r }) => r?.global !== 'PASSED')
        .map(({ e, r }) => `${e.name}: ${r ? describeFailures(r) : 'no result'}`);
      expect(failed).toEqual([]);
    },
    300_000,
  );
  if (!validator.available) {
    it('finds the ZATCA validator (CI)', () => {
      expect(process.env.CI === 'true' ? validator.reason : 'skipped visibly').toBe('skipped visibly');
    });
  }
});
