// A large file: 100,000 customers with 3 bad rows among them. The dry run reports exactly those rows; the import
// refuses to start, and nothing is imported. And a run that meets a row gone bad since the dry run imports nothing.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Call, openAppWithOwner, type TestApp } from '../../../test/support/app';
import { RUN_JOB, VALIDATE_JOB } from './service';

let t: TestApp;
let call: Call;
beforeAll(async () => {
  ({ t, call } = await openAppWithOwner());
  await t.app.ctx.jobs.start();
});
afterAll(() => t.close());

const ROWS = 100_000;
const BAD_ROWS = new Map([
  [1_234, 'bad-vat'],
  [50_000, 'no-name'],
  [99_999, 'control'],
]);

/** The file as an export from another system would be: header, then one customer a line. */
function writeCustomers(file: string) {
  const lines = ['name,vat_number,email,city,country,payment_terms'];
  for (let i = 1; i <= ROWS; i++) {
    const kind = BAD_ROWS.get(i);
    if (kind === 'bad-vat') lines.push(`Customer ${i},12345,c${i}@example.com,Riyadh,SA,30`);
    else if (kind === 'no-name') lines.push(`,,c${i}@example.com,Riyadh,SA,30`);
    else if (kind === 'control') lines.push(`Customer\u0001${i},,c${i}@example.com,Riyadh,SA,30`);
    else lines.push(`Customer ${i},,c${i}@example.com,Riyadh,SA,30`);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

const customerCount = async () =>
  (await call({ method: 'GET', url: '/api/v1/customers?page_size=1' })).json().total;

describe('a large import', () => {
  it('reports exactly the 3 bad rows among 100,000 and imports nothing', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'import-scale-')), 'customers.csv');
    writeCustomers(file);
    const created = await call({
      method: 'POST',
      url: '/api/v1/imports?type=customers&file_name=customers.csv',
      payload: readFileSync(file),
      headers: { 'content-type': 'text/csv' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    const before = await customerCount();
    expect((await call({ method: 'POST', url: `/api/v1/imports/${id}/dry-run` })).statusCode).toBe(202);
    await t.app.ctx.jobs.drain(VALIDATE_JOB);
    const checked = (await call({ method: 'GET', url: `/api/v1/imports/${id}` })).json();
    expect(checked).toMatchObject({ status: 'validated', error_count: 3, progress: { rows_total: ROWS } });
    const errors = (await call({ method: 'GET', url: `/api/v1/imports/${id}/errors` })).json().errors;
    // Row numbers as the file shows them: the header is row 1, so data row i is row i + 1.
    expect(
      errors.map((e: { row: number; field: string; code: string }) => `${e.row} ${e.field} ${e.code}`),
    ).toEqual([
      '1235 vat_number VAT_NUMBER_INVALID',
      '50001 name_en REQUIRED',
      '100000 name_en CONTROL_CHARACTER',
    ]);
    const refused = await call({ method: 'POST', url: `/api/v1/imports/${id}/run` });
    expect(refused.json().code).toBe('IMPORT_HAS_ERRORS');
    expect(await customerCount()).toBe(before);
  }, 600_000);

  it('imports nothing when a row went bad between the dry run and the run', async () => {
    const csv = [
      'name,sku,price',
      ...Array.from({ length: 1200 }, (_, i) => `Item ${i},SKU-${i},${i + 1}.50`),
    ].join('\n');
    const created = (
      await call({
        method: 'POST',
        url: '/api/v1/imports?type=products&file_name=p.csv',
        payload: csv,
        headers: { 'content-type': 'text/csv' },
      })
    ).json();
    await call({ method: 'POST', url: `/api/v1/imports/${created.id}/dry-run` });
    await t.app.ctx.jobs.drain(VALIDATE_JOB);
    expect((await call({ method: 'GET', url: `/api/v1/imports/${created.id}` })).json().error_count).toBe(0);
    // Meanwhile someone makes a product with the SKU of row 1,101 (after two batches were written).
    const taken = await call({
      method: 'POST',
      url: '/api/v1/products',
      payload: { name: 'Taken', sku: 'SKU-1099', price: '1' },
    });
    expect(taken.statusCode).toBe(201);
    await call({ method: 'POST', url: `/api/v1/imports/${created.id}/run` });
    await t.app.ctx.jobs.drain(RUN_JOB);
    const failed = (await call({ method: 'GET', url: `/api/v1/imports/${created.id}` })).json();
    expect(failed).toMatchObject({
      status: 'failed',
      failure: { code: 'IMPORT_ROWS_INVALID' },
      error_count: 1,
    });
    const errors = (await call({ method: 'GET', url: `/api/v1/imports/${created.id}/errors` })).json().errors;
    expect(errors).toEqual([expect.objectContaining({ row: 1101, field: 'sku', code: 'SKU_TAKEN' })]);
    const products = (await call({ method: 'GET', url: '/api/v1/products?page_size=1' })).json();
    expect(products.total).toBe(1); // only the one made by hand
  });
});
