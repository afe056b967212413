import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  as,
  type Call,
  openAppWithOwner,
  registerUser,
  type Session,
  type TestApp,
} from '../../../test/support/app';
import { RUN_JOB, VALIDATE_JOB } from './service';

let t: TestApp;
let owner: Session;
let call: Call;
beforeAll(async () => {
  ({ t, owner, call } = await openAppWithOwner());
  await t.app.ctx.jobs.start();
});
afterAll(() => t.close());

/** A multipart form as a browser's FormData sends it. */
function form(fields: Record<string, string>, file: { name: string; type: string; bytes: Buffer }) {
  const boundary = `----invoiceflow${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
    ),
    file.bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function upload(session: Call, type: string, csv: string | Buffer, extra: Record<string, string> = {}) {
  const bytes = Buffer.isBuffer(csv) ? csv : Buffer.from(csv);
  const { payload, headers } = form({ type, ...extra }, { name: `${type}.csv`, type: 'text/csv', bytes });
  return session({ method: 'POST', url: '/api/v1/imports', payload, headers });
}

async function dryRun(id: string) {
  const started = await call({ method: 'POST', url: `/api/v1/imports/${id}/dry-run` });
  expect(started.statusCode, started.body).toBe(202);
  await t.app.ctx.jobs.drain(VALIDATE_JOB);
  return (await call({ method: 'GET', url: `/api/v1/imports/${id}` })).json();
}

async function run(id: string) {
  const started = await call({ method: 'POST', url: `/api/v1/imports/${id}/run` });
  expect(started.statusCode).toBe(202);
  expect(started.json().status).toBe('importing');
  await t.app.ctx.jobs.drain(RUN_JOB);
  return (await call({ method: 'GET', url: `/api/v1/imports/${id}` })).json();
}

const customerCount = async (session: Call = call) =>
  (await session({ method: 'GET', url: '/api/v1/customers?page_size=1' })).json().total as number;

describe('imports', () => {
  it('suggests a mapping from the header (names and aliases, any case), dry-runs, and imports customers', async () => {
    const csv =
      '\uFEFFCustomer Name;TRN;E-mail;City;Country;Payment Terms\n' +
      'Gulf Traders;311111111111113;ap@gulf.example;Riyadh;SA;30\n' +
      '"Najd; Sons";;;Jeddah;;15\n';
    const uploaded = await upload(call, 'customers', csv);
    expect(uploaded.statusCode).toBe(201);
    const created = uploaded.json();
    expect(created).toMatchObject({ status: 'uploaded', format: 'csv', type: 'customers' });
    expect(created.header).toEqual(['Customer Name', 'TRN', 'E-mail', 'City', 'Country', 'Payment Terms']);
    expect(created.mapping).toEqual({
      name_en: 'Customer Name',
      vat_number: 'TRN',
      email: 'E-mail',
      city: 'City',
      country: 'Country',
      payment_terms_days: 'Payment Terms',
    });

    const before = await customerCount();
    const checked = await dryRun(created.id);
    expect(checked).toMatchObject({
      status: 'validated',
      error_count: 0,
      progress: { rows_done: 2, rows_total: 2 },
    });
    expect(await customerCount()).toBe(before); // a dry run writes nothing
    const done = await run(created.id);
    expect(done).toMatchObject({
      status: 'imported',
      result: { customers: 2 },
      progress: { rows_done: 2, rows_total: 2 },
    });
    const list = (await call({ method: 'GET', url: '/api/v1/customers?q=najd' })).json();
    expect(list.customers[0]).toMatchObject({
      name_en: 'Najd; Sons',
      payment_terms_days: 15,
      address: { country: 'SA', city: 'Jeddah' },
    });
    // An import runs once.
    expect((await call({ method: 'POST', url: `/api/v1/imports/${created.id}/run` })).statusCode).toBe(409);
  });

  it('reports every bad row with its row number, field and reason, and the errors CSV neutralises formulas', async () => {
    const csv = [
      'name_en,vat_number,email,country,notes',
      'Good One,,good@example.com,SA,',
      ',,,SA,no name',
      'Bad VAT,123,,SA,',
      '=HYPERLINK("http://evil.example"),,not-an-email,SA,',
      'Good Two,,,SA,',
      'Hidden\u202Eman,,,SA,',
    ].join('\r\n');
    const created = (await upload(call, 'customers', csv)).json();
    const checked = await dryRun(created.id);
    expect(checked).toMatchObject({ status: 'validated', error_count: 3, progress: { rows_total: 6 } });
    const errors = (await call({ method: 'GET', url: `/api/v1/imports/${created.id}/errors` })).json();
    expect(errors.errors).toEqual([
      { row: 3, field: 'name_en', code: 'REQUIRED', message: expect.any(String) },
      { row: 4, field: 'vat_number', code: 'VAT_NUMBER_INVALID', message: expect.any(String) },
      { row: 5, field: 'email', code: expect.any(String), message: expect.any(String) },
    ]);

    const file = await call({ method: 'GET', url: `/api/v1/imports/${created.id}/errors.csv` });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toMatch(/^text\/csv/);
    expect(file.headers['content-disposition']).toMatch(/attachment/);
    const lines = file.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('row,name_en,vat_number,email,country,notes,error');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^3,,,,SA,no name,name_en: .*\(REQUIRED\)$/);
    // The hostile name comes back as text a spreadsheet will not run.
    expect(lines[3]).toMatch(/^5,"'=HYPERLINK\(""http:\/\/evil.example""\)",,not-an-email,SA,,email: /);

    // Bad rows block the run: nothing is imported.
    const before = await customerCount();
    expect((await call({ method: 'POST', url: `/api/v1/imports/${created.id}/run` })).json().code).toBe(
      'IMPORT_HAS_ERRORS',
    );
    expect(await customerCount()).toBe(before);
  });

  it('reads an XLSX workbook (numbers and dates as typed), and refuses a file that is neither', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Products');
    sheet.addRow(['Product Name', 'SKU', 'Price', 'Tax Percent', 'Stock']);
    sheet.addRow(['Widget', 'W-1', 12.5, 15, 40]);
    sheet.addRow(['Gadget', 'G-1', '7.25', 15, null]);
    sheet.addRow(['Widget again', 'W-1', 3, 15, null]);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const { payload, headers } = form(
      { type: 'products' },
      { name: 'products.xlsx', type: 'application/octet-stream', bytes },
    );
    const created = (await call({ method: 'POST', url: '/api/v1/imports', payload, headers })).json();
    expect(created).toMatchObject({
      format: 'xlsx',
      mapping: {
        name_en: 'Product Name',
        sku: 'SKU',
        unit_price: 'Price',
        vat_rate: 'Tax Percent',
        stock_quantity: 'Stock',
      },
    });
    const checked = await dryRun(created.id);
    expect(checked.error_count).toBe(1);
    const errors = (await call({ method: 'GET', url: `/api/v1/imports/${created.id}/errors` })).json().errors;
    expect(errors).toEqual([
      { row: 4, field: 'sku', code: 'SKU_DUPLICATE', message: 'Row 2 has the same SKU.' },
    ]);

    // Mapping edited: drop the SKU column, and the rows are all good.
    const { sku, ...withoutSku } = created.mapping;
    const remapped = await call({
      method: 'PUT',
      url: `/api/v1/imports/${created.id}/mapping`,
      payload: { mapping: withoutSku },
    });
    expect(remapped.json()).toMatchObject({ status: 'mapped', error_count: null });
    expect((await dryRun(created.id)).error_count).toBe(0);
    expect((await run(created.id)).result).toEqual({ products: 3 });
    const products = (await call({ method: 'GET', url: '/api/v1/products?q=widget' })).json().products;
    expect(products.find((p: { name_en: string }) => p.name_en === 'Widget')).toMatchObject({
      unit_price: '12.50',
      stock_quantity: '40',
    });

    const pdf = Buffer.from('%PDF-1.4\n\x00\x01binary');
    const refused = await upload(call, 'customers', pdf);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0]).toMatchObject({ path: 'file', code: 'UNSUPPORTED_FILE' });
  });

  it('checks the mapping, sniffs tab delimiters, and saves and reuses mapping templates', async () => {
    const csv = 'Client\tPhone\tNotes\nTabbed Ltd\t+966511111111\thello\n';
    const created = (await upload(call, 'customers', csv)).json();
    expect(created.header).toEqual(['Client', 'Phone', 'Notes']);
    expect(created.mapping).toEqual({ phone: 'Phone', notes: 'Notes' });
    const bad = await call({
      method: 'PUT',
      url: `/api/v1/imports/${created.id}/mapping`,
      payload: { mapping: { phone: 'Nope', colour: 'Notes' } },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .errors.map((e: { path: string; code: string }) => `${e.path}:${e.code}`)
        .sort(),
    ).toEqual(['mapping.colour:UNKNOWN_FIELD', 'mapping.name_en:REQUIRED', 'mapping.phone:UNKNOWN_COLUMN']);
    const saved = await call({
      method: 'POST',
      url: '/api/v1/import-templates',
      payload: { type: 'customers', name: 'Old CRM', mapping: { name_en: 'Client', phone: 'Phone' } },
    });
    expect(saved.statusCode).toBe(201);
    const listed = (await call({ method: 'GET', url: '/api/v1/import-templates?type=customers' })).json()
      .templates;
    expect(listed.map((x: { name: string }) => x.name)).toContain('Old CRM');
    const reused = (await upload(call, 'customers', csv, { template_id: saved.json().id })).json();
    expect(reused.mapping).toEqual({ name_en: 'Client', phone: 'Phone', notes: 'Notes' });
    expect((await dryRun(reused.id)).error_count).toBe(0);
  });

  it('serves a template per type whose cells cannot run as formulas', async () => {
    const file = await call({ method: 'GET', url: '/api/v1/imports/templates/customers.csv' });
    expect(file.statusCode).toBe(200);
    const [header, example] = file.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(header?.split(',')).toEqual(expect.arrayContaining(['name_en', 'vat_number', 'postal_code']));
    expect(example).toContain('Advanced Trading Co.');
    // The phone example starts with "+": neutralised.
    expect(example).toContain("'+966500000000");
    expect((await call({ method: 'GET', url: '/api/v1/imports/templates/expenses.csv' })).statusCode).toBe(
      404,
    );
  });

  it('imports vendors: their bank account and contact from the row, a bad IBAN reported and nothing kept', async () => {
    const header = 'Supplier Name,VAT No,City,Country,IBAN,Contact Person,Contact E-mail';
    const good = [
      'Gulf Office Supplies,311111111111113,Riyadh,SA,sa03 8000 0000 6080 1016 7519,Huda,huda@gulf.example',
      'Najd Paper,,Jeddah,,,,',
    ];
    const bad = await upload(
      call,
      'vendors',
      [header, ...good, 'Broken Bank,,Dammam,SA,SA0480000000608010167519,,'].join('\n'),
    );
    expect(bad.statusCode, bad.body).toBe(201);
    expect(bad.json().mapping).toMatchObject({
      name_en: 'Supplier Name',
      vat_number: 'VAT No',
      iban: 'IBAN',
      contact_name: 'Contact Person',
      contact_email: 'Contact E-mail',
    });
    expect(await dryRun(bad.json().id)).toMatchObject({ status: 'validated', error_count: 1 });
    const errors = (await call({ method: 'GET', url: `/api/v1/imports/${bad.json().id}/errors` })).json()
      .errors;
    expect(errors).toEqual([expect.objectContaining({ row: 4, field: 'iban', code: 'IBAN_INVALID' })]);
    expect((await call({ method: 'POST', url: `/api/v1/imports/${bad.json().id}/run` })).json().code).toBe(
      'IMPORT_HAS_ERRORS',
    );
    const vendorTotal = async () =>
      (await call({ method: 'GET', url: '/api/v1/vendors?page_size=1' })).json().total as number;
    expect(await vendorTotal()).toBe(0);

    const fixed = (await upload(call, 'vendors', [header, ...good].join('\n'))).json();
    expect(await dryRun(fixed.id)).toMatchObject({ error_count: 0 });
    expect(await run(fixed.id)).toMatchObject({ status: 'imported', result: { vendors: 2 } });
    const vendors = (await call({ method: 'GET', url: '/api/v1/vendors?page_size=10' })).json().vendors;
    expect(vendors).toHaveLength(2);
    expect(vendors.find((v: { name_en: string }) => v.name_en === 'Gulf Office Supplies')).toMatchObject({
      vat_number: '311111111111113',
      iban: 'SA0380000000608010167519',
      contacts: [{ name: 'Huda', email: 'huda@gulf.example' }],
      address: { city: 'Riyadh', country: 'SA' },
    });
    // A row without a country is a vendor in the company's own country.
    expect(vendors.find((v: { name_en: string }) => v.name_en === 'Najd Paper').address.country).toBe('SA');
  });

  it('keeps imports to their company and writing to roles that may', async () => {
    const created = (await upload(call, 'customers', 'name\nA\n')).json();
    const stranger = as(t.app, await registerUser(t.app));
    expect((await stranger({ method: 'GET', url: `/api/v1/imports/${created.id}` })).statusCode).toBe(404);
    expect(
      (await stranger({ method: 'POST', url: `/api/v1/imports/${created.id}/dry-run` })).statusCode,
    ).toBe(404);
    expect(
      (await stranger({ method: 'GET', url: `/api/v1/imports/${created.id}/errors.csv` })).statusCode,
    ).toBe(404);
    const viewer = as(t.app, await addMember(t.app, owner, 'viewer'));
    expect((await upload(viewer, 'customers', 'name\nA\n')).statusCode).toBe(403);
    expect((await viewer({ method: 'GET', url: `/api/v1/imports/${created.id}` })).statusCode).toBe(200);
  });

  it('refuses hostile uploads cleanly: blank or control-character headers, an unknown type, no file', async () => {
    expect((await upload(call, 'customers', 'name,,city\nA,,B\n')).json().errors[0].code).toBe(
      'HEADER_BLANK',
    );
    expect((await upload(call, 'customers', 'na\u0007me\nA\n')).json().errors[0].code).toBe(
      'CONTROL_CHARACTER',
    );
    expect((await upload(call, 'expenses', 'name\nA\n')).statusCode).toBe(400);
    const noFile = await call({
      method: 'POST',
      url: '/api/v1/imports?type=customers',
      payload: '',
      headers: { 'content-type': 'text/csv' },
    });
    expect(noFile.statusCode).toBe(400);
    // A raw body with the fields in the query works as the form does.
    const raw = await call({
      method: 'POST',
      url: '/api/v1/imports?type=customers&file_name=c.csv',
      payload: 'name\nRaw Co\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect(raw.statusCode).toBe(201);
    expect(raw.json()).toMatchObject({ file_name: 'c.csv', mapping: { name_en: 'name' } });
  });
});
