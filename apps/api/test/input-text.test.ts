// Text and numbers a request may carry, through HTTP on the real database: control characters, broken Unicode and
// bidi controls in bodies, query strings and headers; nesting and numbers that cannot be kept. Each refusal is a
// 400 with the field's path, and nothing is written.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schema } from '@invoiceflow/db';
import { count } from '@invoiceflow/db/orm';
import { extractText, hasPoppler } from '@invoiceflow/pdf/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Call, openAppWithOwner, SA_COMPANY, type TestApp, uniqueEmail } from './support/app';

let t: TestApp;
let call: Call;
let customerId = '';
let invoiceId = '';
beforeAll(async () => {
  ({ t, call } = await openAppWithOwner());
  const customer = await call({
    method: 'POST',
    url: '/api/v1/customers',
    payload: { name_en: 'Input Test Buyer', address: { country: 'SA', city: 'Riyadh' } },
  });
  customerId = customer.json().id;
  const invoice = await call({ method: 'POST', url: '/api/v1/invoices/generate', payload: issueBody() });
  expect(invoice.statusCode).toBe(201);
  invoiceId = invoice.json().id;
});
afterAll(() => t.close());

function issueBody(line: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    customer_name: 'Walk-in buyer',
    line_items: [{ description: 'Consulting', quantity: 2, unit_price: '100.00', vat_rate: 15, ...line }],
    ...extra,
  };
}

/** Every table a refused write could have touched. */
async function rowCounts() {
  const tables = {
    users: schema.users,
    companies: schema.companies,
    customers: schema.customers,
    products: schema.products,
    drafts: schema.invoiceDrafts,
    invoices: schema.invoices,
    idempotency: schema.idempotencyKeys,
    payments: schema.payments,
    audit: schema.auditLog,
  };
  const counts: Record<string, number> = {};
  for (const [name, table] of Object.entries(tables)) {
    const [row] = await t.database.db.select({ n: count() }).from(table);
    counts[name] = Number(row?.n);
  }
  return counts;
}

interface Answer {
  statusCode: number;
  headers: Record<string, unknown>;
  json: () => { code: string; errors?: { path: string; code: string; message: string }[] };
}

/** The answer is a 400 VALIDATION_FAILED naming exactly this field and this code. */
function expectRefused(response: Answer, path: string, code: string) {
  expect(response.statusCode, JSON.stringify(response.json())).toBe(400);
  expect(response.headers['content-type']).toContain('application/problem+json');
  const body = response.json();
  expect(body.code).toBe('VALIDATION_FAILED');
  // The issuing routes answer each error in Arabic too (message_ar).
  expect(body.errors).toContainEqual(expect.objectContaining({ path, code, message: expect.any(String) }));
}

/** A JSON text sent as is, for escapes (\u0000, \ud800) and literals (1e999) a JS object cannot express. */
const raw = (
  method: 'POST' | 'PUT' | 'PATCH',
  url: string,
  payload: string,
  headers: Record<string, string> = {},
) => call({ method, url, payload, headers: { 'content-type': 'application/json', ...headers } });

describe('control characters and broken Unicode are refused with the field path, in one place', () => {
  it('a NUL in a body field of register, customers, products, drafts, generate and payments', async () => {
    const before = await rowCounts();
    const cases: [Promise<Answer>, string][] = [
      [
        t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/register',
          payload: {
            email: uniqueEmail(),
            password: 'a long password',
            full_name: 'Nul\u0000Name',
            company: SA_COMPANY,
          },
        }),
        'full_name',
      ],
      [
        t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/register',
          payload: {
            email: uniqueEmail(),
            password: 'a long password',
            full_name: 'X',
            company: { ...SA_COMPANY, address: { ...SA_COMPANY.address, city: 'Riy\u0000adh' } },
          },
        }),
        'company.address.city',
      ],
      [
        call({
          method: 'POST',
          url: '/api/v1/customers',
          payload: { name_en: 'A', notes: 'x\u0000y', address: { country: 'SA', city: 'Riyadh' } },
        }),
        'notes',
      ],
      [
        call({
          method: 'PATCH',
          url: `/api/v1/customers/${customerId}`,
          payload: { name_en: 'Renamed\u0000' },
        }),
        'name_en',
      ],
      [
        call({
          method: 'POST',
          url: '/api/v1/products',
          payload: { name_en: 'Widget', description: 'Nul \u0000 inside', unit_price: '10' },
        }),
        'description',
      ],
      [
        call({
          method: 'POST',
          url: '/api/v1/drafts',
          payload: { draft_data: { lines: [{ description: 'a\u0000b' }] }, is_auto_saved: false, name: 'D' },
        }),
        'draft_data.lines.0.description',
      ],
      [
        call({
          method: 'POST',
          url: '/api/v1/invoices/generate',
          payload: issueBody({ description: 'Bad\u0000' }),
        }),
        'line_items.0.description',
      ],
      [
        call({
          method: 'POST',
          url: '/api/v1/payments',
          payload: { amount: '10.00', currency: 'SAR', reference: 'REF\u00001' },
        }),
        'reference',
      ],
      [
        call({
          method: 'POST',
          url: `/api/v1/invoices/${invoiceId}/partial-payment`,
          payload: { amount: '1.00', notes: 'x\u0007' },
        }),
        'notes',
      ],
    ];
    for (const [request, path] of cases) expectRefused(await request, path, 'CONTROL_CHARACTER');
    expect(await rowCounts()).toEqual(before);
  });

  it('a NUL in the search text of /invoices/search, /customers and /products', async () => {
    for (const url of [
      '/api/v1/invoices/search?q=INV%00',
      '/api/v1/customers?q=Input%00',
      '/api/v1/products?q=%00',
    ]) {
      expectRefused(await call({ method: 'GET', url }), 'query.q', 'CONTROL_CHARACTER');
    }
  });

  it('DEL, C1 controls, lone surrogates and noncharacters, in text columns and in jsonb drafts', async () => {
    const before = await rowCounts();
    const address = '"address":{"country":"SA","city":"Riyadh"}';
    expectRefused(
      await raw('POST', '/api/v1/customers', `{"name_en":"Lone \\ud800 high",${address}}`),
      'name_en',
      'INVALID_UNICODE',
    );
    expectRefused(
      await raw('POST', '/api/v1/customers', `{"name_en":"Lone \\udc00 low",${address}}`),
      'name_en',
      'INVALID_UNICODE',
    );
    expectRefused(
      await raw(
        'POST',
        '/api/v1/drafts',
        '{"draft_data":{"customer_name":"\\udfff"},"is_auto_saved":false,"name":"d"}',
      ),
      'draft_data.customer_name',
      'INVALID_UNICODE',
    );
    expectRefused(
      await raw('POST', '/api/v1/drafts', '{"draft_data":{"k\\u0000ey":1},"is_auto_saved":false,"name":"d"}'),
      'draft_data.k\\u0000ey',
      'CONTROL_CHARACTER',
    );
    expectRefused(
      await raw('POST', '/api/v1/products', '{"name_en":"Non \\uffff char","unit_price":"1"}'),
      'name_en',
      'INVALID_UNICODE',
    );
    expectRefused(
      await raw('POST', '/api/v1/products', '{"name_en":"Plane 1 \\ud83f\\udffe","unit_price":"1"}'),
      'name_en',
      'INVALID_UNICODE',
    );
    expectRefused(
      await call({
        method: 'POST',
        url: '/api/v1/products',
        payload: { name_en: 'C1 \u0085', unit_price: '1' },
      }),
      'name_en',
      'CONTROL_CHARACTER',
    );
    expectRefused(
      await call({
        method: 'POST',
        url: '/api/v1/products',
        payload: { name_en: 'DEL \u007f', unit_price: '1' },
      }),
      'name_en',
      'CONTROL_CHARACTER',
    );
    expect(await rowCounts()).toEqual(before);
    // Emoji (a surrogate pair) and Arabic are characters like any other.
    const ok = await call({
      method: 'POST',
      url: '/api/v1/products',
      payload: { name_en: 'Cake 🎂', name_ar: 'كعكة', unit_price: '1' },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().name_en).toBe('Cake 🎂');
  });

  it('line breaks are kept in notes, descriptions and addresses, and refused in names and codes', async () => {
    const kept = await call({
      method: 'POST',
      url: '/api/v1/customers',
      payload: {
        name_en: 'Multi-line Buyer',
        notes: 'First line\nSecond line\r\n\tindented',
        address: { country: 'SA', city: 'Riyadh', street: 'Building 5\nKing Fahd Road' },
      },
    });
    expect(kept.statusCode).toBe(201);
    expect(kept.json().notes).toBe('First line\nSecond line\r\n\tindented');
    expect(kept.json().address.street).toBe('Building 5\nKing Fahd Road');
    const before = await rowCounts();
    expectRefused(
      await call({
        method: 'POST',
        url: '/api/v1/customers',
        payload: { name_en: 'Two\nLines', address: { country: 'SA', city: 'Riyadh' } },
      }),
      'name_en',
      'CONTROL_CHARACTER',
    );
    expectRefused(
      await call({
        method: 'POST',
        url: '/api/v1/invoices/generate',
        payload: issueBody({}, { invoice_number: 'INV\t7' }),
      }),
      'invoice_number',
      'CONTROL_CHARACTER',
    );
    expect(await rowCounts()).toEqual(before);
  });

  it('a header the API reads and a path parameter get the same check', async () => {
    expectRefused(
      await call({
        method: 'POST',
        url: '/api/v1/invoices/generate',
        headers: { 'idempotency-key': 'key\u0085' },
        payload: issueBody(),
      }),
      'headers.idempotency-key',
      'CONTROL_CHARACTER',
    );
    expectRefused(
      await call({ method: 'GET', url: '/api/v1/customers/%00' }),
      'params.id',
      'CONTROL_CHARACTER',
    );
  });
});

describe('bidi controls never reorder what the PDF shows against what the XML signs', () => {
  it('are refused in identifiers and codes', async () => {
    const before = await rowCounts();
    expectRefused(
      await call({
        method: 'POST',
        url: '/api/v1/invoices/generate',
        payload: issueBody({}, { invoice_number: 'INV\u202e-001' }),
      }),
      'invoice_number',
      'BIDI_CONTROL',
    );
    expectRefused(
      await call({
        method: 'POST',
        url: '/api/v1/products',
        payload: { name_en: 'Widget', sku: 'SKU\u200f1', unit_price: '1' },
      }),
      'sku',
      'BIDI_CONTROL',
    );
    expect(await rowCounts()).toEqual(before);
  });

  it('are removed from free text, so the PDF and the XML read the same, in the order it was written', async () => {
    const issued = await call({
      method: 'POST',
      url: '/api/v1/invoices/generate',
      payload: issueBody(
        { description: 'Service \u202e0001\u202c units' },
        { notes: 'IBAN \u202e1234 5678 AS\u202c', customer_name: '\u200fBidi \u2067Buyer\u2069' },
      ),
    });
    expect(issued.statusCode).toBe(201);
    const invoice = issued.json();
    expect(invoice.line_items[0].description).toBe('Service 0001 units');
    expect(invoice.notes).toBe('IBAN 1234 5678 AS');
    expect(invoice.customer_name).toBe('Bidi Buyer');
    const xml = await call({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/xml` });
    expect(xml.statusCode).toBe(200);
    expect(xml.body).toContain('Service 0001 units');
    expect(xml.body).not.toMatch(/\p{Bidi_Control}/u);
    // The search text is free text too: a pasted mark does not hide the invoice.
    const found = await call({
      method: 'GET',
      url: `/api/v1/invoices/search?q=${encodeURIComponent('\u200fBidi Buyer')}`,
    });
    expect(found.statusCode).toBe(200);
    expect(found.json().invoices.map((row: { id: string }) => row.id)).toContain(invoice.id);

    if (!hasPoppler) return;
    const pdf = await call({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/pdf` });
    expect(pdf.statusCode).toBe(200);
    const dir = mkdtempSync(join(tmpdir(), 'invoiceflow-bidi-'));
    try {
      const path = join(dir, 'bidi.pdf');
      writeFileSync(path, pdf.rawPayload);
      for (const mode of ['-layout', '-raw'] as const) {
        const text = extractText(path, mode);
        expect(text).toContain('Service 0001 units');
        expect(text).toContain('IBAN 1234 5678 AS');
        expect(text).not.toContain('Service 1000');
        expect(text).not.toContain('SA 8765 4321');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('nesting and numbers that cannot be kept are refused before anything walks them', () => {
  const deep = (levels: number, leaf = '1') => `${'{"a":'.repeat(levels)}${leaf}${'}'.repeat(levels)}`;

  it('a draft 5,000 levels deep and a line 4,000 deep with an Idempotency-Key', async () => {
    const before = await rowCounts();
    const draft = await raw(
      'POST',
      '/api/v1/drafts',
      `{"draft_data":{"x":${deep(5000)}},"is_auto_saved":false,"name":"deep"}`,
    );
    expect(draft.statusCode).toBe(400);
    const draftError = draft.json().errors?.[0];
    expect(draftError?.code).toBe('NESTED_TOO_DEEP');
    expect(draftError?.path).toMatch(/^draft_data\.x(\.a)+$/);
    const line = await raw(
      'POST',
      '/api/v1/invoices/generate',
      JSON.stringify(issueBody()).replace('"Consulting"', `"Consulting","extra":${deep(4000)}`),
      { 'idempotency-key': 'deep-line-1' },
    );
    expect(line.statusCode).toBe(400);
    expect(line.json().errors?.[0]?.code).toBe('NESTED_TOO_DEEP');
    expect(line.json().errors?.[0]?.path).toMatch(/^line_items\.0\.extra(\.a)+$/);
    expect(await rowCounts()).toEqual(before);
    // A draft as deep as the editor's and then some is kept.
    const shallow = await raw(
      'POST',
      '/api/v1/drafts',
      `{"draft_data":{"x":${deep(40)}},"is_auto_saved":false,"name":"d"}`,
    );
    expect(shallow.statusCode).toBe(201);
  });

  it('a draft version beyond the integer column', async () => {
    const created = await call({
      method: 'POST',
      url: '/api/v1/drafts',
      payload: { draft_data: { notes: 'v' }, is_auto_saved: false, name: 'versioned' },
    });
    expect(created.statusCode).toBe(201);
    const before = await rowCounts();
    expectRefused(
      await call({
        method: 'PUT',
        url: `/api/v1/drafts/${created.json().id}`,
        payload: { draft_data: { notes: 'w' }, version: 2 ** 31 },
      }),
      'version',
      'TOO_BIG',
    );
    expectRefused(
      await call({
        method: 'POST',
        url: '/api/v1/drafts',
        payload: { draft_data: {}, name: 'd', is_auto_saved: false, version: 2 ** 31 },
      }),
      'version',
      'TOO_BIG',
    );
    expect(await rowCounts()).toEqual(before);
  });

  it('a quantity of 9007199254740993 and a price with more digits than a double keeps', async () => {
    const before = await rowCounts();
    const body = (line: string) =>
      `{"customer_name":"Walk-in","line_items":[{"description":"Bolts",${line},"vat_rate":15}]}`;
    expectRefused(
      await raw('POST', '/api/v1/invoices/generate', body('"quantity":9007199254740993,"unit_price":"1"')),
      'line_items.0.quantity',
      'NUMBER_OUT_OF_RANGE',
    );
    expectRefused(
      await raw(
        'POST',
        '/api/v1/invoices/generate',
        body('"quantity":1,"unit_price":0.10000000000000000555'),
      ),
      'line_items.0.unit_price',
      'NUMBER_TOO_PRECISE',
    );
    expectRefused(
      await raw('POST', '/api/v1/products', '{"name_en":"Tiny","unit_price":1e-400}'),
      'unit_price',
      'NUMBER_OUT_OF_RANGE',
    );
    expect(await rowCounts()).toEqual(before);
    // As a decimal string the same quantity is kept to the last digit; a number in exponent form that a double
    // holds exactly is the same number.
    const exact = await raw(
      'POST',
      '/api/v1/invoices/generate',
      body('"quantity":"9007199254740993","unit_price":"1"'),
    );
    expect(exact.statusCode).toBe(201);
    expect(exact.json().line_items[0].quantity).toMatch(/^9007199254740993(\.0+)?$/);
    const plain = await raw('POST', '/api/v1/invoices/generate', body('"quantity":2.50,"unit_price":1.5E2'));
    expect(plain.statusCode).toBe(201);
  });

  it('1e999 at depth 300 and at depth 30', async () => {
    const before = await rowCounts();
    const at300 = await raw(
      'POST',
      '/api/v1/drafts',
      `{"draft_data":{"x":${deep(300, '1e999')}},"is_auto_saved":false,"name":"d"}`,
    );
    expect(at300.statusCode).toBe(400);
    expect(at300.json().code).toBe('VALIDATION_FAILED');
    expectRefused(
      await raw(
        'POST',
        '/api/v1/drafts',
        `{"draft_data":{"x":${deep(30, '1e999')}},"is_auto_saved":false,"name":"d"}`,
      ),
      `draft_data.x${'.a'.repeat(30)}`,
      'NUMBER_OUT_OF_RANGE',
    );
    expectRefused(
      await raw('POST', '/api/v1/payments', '{"amount_cents":1e999,"currency":"SAR"}'),
      'amount_cents',
      'NUMBER_OUT_OF_RANGE',
    );
    expect(await rowCounts()).toEqual(before);
  });
});
