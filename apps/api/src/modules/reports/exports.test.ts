// A period's exports as a user downloads them: the e-invoice ZIP holds each issued document's XML and PDF exactly
// as the single downloads give them (and nothing of another period or company); documents and payments come as
// CSV and as Excel with numbers a spreadsheet can sum; hostile names stay text.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { as, type Call, createTestApp, registerUser, type TestApp } from '../../../test/support/app';

let t: TestApp;
let call: Call;
const ids: { id: string; number: string }[] = [];
beforeAll(async () => {
  t = await createTestApp();
  call = as(t.app, await registerUser(t.app));
  const issue = async (invoiceDate: string, body: object) => {
    const response = await call({
      method: 'POST',
      url: '/api/v1/invoices/generate',
      payload: { invoice_date: invoiceDate, ...body },
    });
    if (response.statusCode !== 201) throw new Error(`${response.statusCode} ${response.body}`);
    return response.json() as { id: string; invoice_number: string };
  };
  const buyer = {
    customer_name: '=HYPERLINK("http://evil.example","Fatoora Samples")',
    customer_vat_number: '399999999800003',
    customer_address: {
      street: 'Salah Al-Din',
      building_number: '1111',
      district: 'Al-Murooj',
      city: 'Riyadh',
      postal_code: '12222',
      country: 'SA',
    },
  };
  const line = (price: string) => ({ description: 'Consulting', quantity: '1', unit_price: price });
  const first = await issue('2026-03-02', { ...buyer, lines: [line('1000')] });
  const second = await issue('2026-03-10', { ...buyer, lines: [line('200.50')] });
  const credit = await issue('2026-03-20', {
    ...buyer,
    type: 'credit_note',
    original_invoice_id: first.id,
    reason: 'Part of the service was not delivered',
    lines: [line('400')],
  });
  await issue('2026-04-01', { ...buyer, lines: [line('999')] });
  for (const doc of [first, second, credit]) ids.push({ id: doc.id, number: doc.invoice_number });
  const paid = await call({
    method: 'POST',
    url: `/api/v1/invoices/${second.id}/partial-payment`,
    payload: { amount: '100.00', payment_date: '2026-03-12', payment_method: 'bank_transfer' },
  });
  if (paid.statusCode >= 300) throw new Error(`${paid.statusCode} ${paid.body}`);
});
afterAll(() => t.close());

/** Every entry of a ZIP by name, read with yauzl (which checks each entry's CRC-32 and sizes). */
function entriesOf(zip: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, file) => {
      if (error || !file) return reject(error);
      const out = new Map<string, Buffer>();
      file.on('error', reject);
      file.on('end', () => resolve(out));
      file.on('entry', (entry: yauzl.Entry) => {
        file.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            file.readEntry();
          });
        });
      });
      file.readEntry();
    });
  });
}

describe('e-invoice ZIP', () => {
  it("holds each issued document's XML and PDF of the period as the downloads give them, and an index", async () => {
    const response = await call({
      method: 'GET',
      url: '/api/v1/exports/e-invoices?from=2026-03-01&to=2026-03-31',
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/zip');
    expect(response.headers['content-disposition']).toContain('e-invoices-2026-03-01-2026-03-31.zip');
    const entries = await entriesOf(response.rawPayload);
    expect([...entries.keys()].sort()).toEqual(
      [...ids.flatMap((d) => [`xml/${d.number}.xml`, `pdf/${d.number}.pdf`]), 'index.csv'].sort(),
    );
    for (const doc of ids) {
      const xml = await call({ method: 'GET', url: `/api/v1/invoices/${doc.id}/xml` });
      expect(entries.get(`xml/${doc.number}.xml`)?.toString('utf8')).toBe(xml.body);
      const pdf = await call({ method: 'GET', url: `/api/v1/invoices/${doc.id}/pdf` });
      expect(entries.get(`pdf/${doc.number}.pdf`)?.equals(pdf.rawPayload)).toBe(true);
    }
    const index = entries.get('index.csv')?.toString('utf8').trim().split('\r\n') ?? [];
    expect(index).toHaveLength(4);
    expect(index[1]).toContain(`${ids[0]?.number},invoice,2026-03-02,SAR,1150.00`);
  });

  it("answers an empty ZIP for a period without documents, and nothing of another company's", async () => {
    const other = as(t.app, await registerUser(t.app));
    const response = await other({
      method: 'GET',
      url: '/api/v1/exports/e-invoices?from=2026-03-01&to=2026-03-31',
    });
    expect(response.statusCode).toBe(200);
    expect([...(await entriesOf(response.rawPayload)).keys()]).toEqual(['index.csv']);
  });

  it('refuses a reversed or over-long period with the field named', async () => {
    const reversed = await call({
      method: 'GET',
      url: '/api/v1/exports/e-invoices?from=2026-03-31&to=2026-03-01',
    });
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().errors[0]).toMatchObject({ path: 'query.from', code: 'RANGE_INVALID' });
    const long = await call({
      method: 'GET',
      url: '/api/v1/exports/documents?from=2025-01-01&to=2026-03-31',
    });
    expect(long.statusCode).toBe(422);
    expect(long.json().errors[0]).toMatchObject({ path: 'query.to', code: 'PERIOD_TOO_LONG' });
  });
});

describe('documents and payments', () => {
  it('lists the documents of the period as CSV with paid and outstanding, a formula-like name kept as text', async () => {
    const response = await call({
      method: 'GET',
      url: '/api/v1/exports/documents?from=2026-03-01&to=2026-03-31',
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    const lines = response.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'number,type,subtype,issue_date,due_date,customer,customer_vat_number,currency,net,vat,total,paid,outstanding,status',
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain('1000.00,150.00,1150.00,0.00,690.00');
    expect(lines[2]).toContain('200.50,30.08,230.58,100.00,130.58');
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil.example"",""Fatoora Samples"")"`);
  });

  it('gives the same as Excel, with amounts as numbers and the name as text', async () => {
    const response = await call({
      method: 'GET',
      url: '/api/v1/exports/documents?from=2026-03-01&to=2026-03-31&format=xlsx',
    });
    expect(response.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Documents');
    expect(sheet?.rowCount).toBe(4);
    expect(sheet?.getRow(2).getCell(11).value).toBe(1150);
    expect(sheet?.getRow(3).getCell(10).value).toBe(30.08);
    expect(String(sheet?.getRow(2).getCell(6).value)).toMatch(/^'=HYPERLINK/);
  });

  it('lists the payments of the period with the invoices they pay', async () => {
    const response = await call({
      method: 'GET',
      url: '/api/v1/exports/payments?from=2026-03-01&to=2026-03-31',
    });
    const lines = response.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('2026-03-12');
    expect(lines[1]).toContain('SAR,100.00,0.00,100.00,bank_transfer,completed');
    expect(lines[1]).toContain(ids[1]?.number);
  });
});
