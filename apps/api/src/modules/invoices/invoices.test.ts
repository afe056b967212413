import { FIRST_PIH } from '@invoiceflow/zatca';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  type Call,
  createTestApp,
  openAppWithOwner,
  openSecondApp,
  registerUser,
  type Session,
  type TestApp,
} from '../../../test/support/app';
import { SA_BUYER } from '../../../test/support/companies';
import { dateIn } from './service';

let t: TestApp;
let owner: Session;
let call: Call;
beforeAll(async () => ({ t, owner, call } = await openAppWithOwner()));
afterAll(() => t.close());

const year = dateIn('Asia/Riyadh').slice(0, 4);
const BUYER_ADDRESS = SA_BUYER.address;
const B2B = {
  customer_name: SA_BUYER.name_en,
  customer_name_ar: SA_BUYER.name_ar,
  customer_vat_number: SA_BUYER.vat_number,
  customer_address: BUYER_ADDRESS,
  line_items: [{ description: 'Consulting', quantity: 10, unit_price: 500, vat_rate: 15 }],
};

/** A fresh company (own numbering) with its session. */
async function newCompany() {
  const session = await registerUser(t.app);
  return { session, call: as(t.app, session) };
}

const issue = (caller: ReturnType<typeof as>, payload: object, headers: Record<string, string> = {}) =>
  caller({ method: 'POST', url: '/api/v1/invoices/generate', payload, headers });

describe('issuing', () => {
  it("issues seed 000's example request (client number, text address, B2C by default)", async () => {
    const response = await issue(call, {
      invoice_number: 'INV-2024-001',
      customer_name: 'مؤسسة التجارة',
      customer_address: 'الرياض',
      line_items: [{ description: 'استشارات', quantity: 10, unit_price: 500 }],
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      invoice_number: 'INV-2024-001',
      type: 'invoice',
      subtype: 'simplified',
      status: 'issued',
      customer_name: 'مؤسسة التجارة',
      subtotal: '5000.00',
      vat_amount: '750.00',
      total_amount: '5750.00',
      line_items: [
        { description: 'استشارات', quantity: '10', unit_price: '500.00', vat_rate: '15', total: '5750.00' },
      ],
      // A Saudi company signs with its local sandbox EGS out of the box (modules/zatca): the QR is there.
      qr_code_data: expect.any(String),
    });
  });

  it('numbers a standard B2B invoice from the series and freezes seller, buyer, lines and totals', async () => {
    const { call: c } = await newCompany();
    const response = await issue(c, { ...B2B, due_date: '2099-01-01', notes: 'Thanks' });
    expect(response.statusCode).toBe(201);
    const invoice = response.json();
    expect(invoice).toMatchObject({
      invoice_number: `INV-${year}-000001`,
      subtype: 'standard',
      seller: { legal_name_en: 'Maximum Speed Tech Supply LTD', vat_number: '399999999900003' },
      buyer: { name_en: B2B.customer_name, vat_number: B2B.customer_vat_number, address: BUYER_ADDRESS },
      vat_breakdown: [{ category: 'S', rate: '15', taxable_amount: '5000.00', vat_amount: '750.00' }],
      totals: { payable_amount: '5750.00', currency: 'SAR' },
      notes: 'Thanks',
      due_date: '2099-01-01',
    });
    const read = await c({ method: 'GET', url: `/api/v1/invoices/${invoice.id}` });
    // The PDF (pdf_base64, seed 000) comes with the generate answer, and on a read only when asked for.
    expect(read.json()).toEqual({ ...invoice, pdf_base64: null });
    const withPdf = await c({ method: 'GET', url: `/api/v1/invoices/${invoice.id}?include=pdf` });
    expect(withPdf.json()).toEqual(invoice);
  });

  it('reports every problem with its field path (422 INVOICE_INVALID) and issues nothing', async () => {
    const { call: c } = await newCompany();
    const response = await issue(c, {
      subtype: 'standard',
      customer_name: '',
      customer_address: { country: 'SA', city: 'Riyadh', building_number: '12' },
      invoice_date: `${Number(year) + 1}-01-01`,
      lines: [
        { description: 'A', quantity: '1e3', unit_price: '10' },
        { description: 'B', quantity: 1, unit_price: -5, vat_category: 'S', vat_rate: '7' },
      ],
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe('INVOICE_INVALID');
    const paths = response.json().errors.map((e: { path: string; code: string }) => `${e.path} ${e.code}`);
    // What ZATCA only warns about (the buyer's name BR-KSA-42, the incomplete address BR-KSA-63 / BR-KSA-37)
    // does not refuse the invoice.
    expect(paths.sort()).toEqual(
      [
        'lines.0.quantity INVALID_NUMBER',
        'lines.1.unit_price BR-27',
        'lines.1.vat_rate BR-KSA-84',
        'customer_vat_number BUYER_VAT_NUMBER_REQUIRED',
        'invoice_date ISSUE_DATE_IN_FUTURE',
      ].sort(),
    );
    const list = await c({ method: 'GET', url: '/api/v1/invoices' });
    expect(list.json().total).toBe(0);
    // The failed attempt used no number.
    const next = await issue(c, B2B);
    expect(next.json().invoice_number).toBe(`INV-${year}-000001`);
  });

  it('refuses a malformed body with 400 and paths', async () => {
    const response = await issue(call, { ...B2B, type: 'receipt', due_date: 'tomorrow' });
    expect(response.statusCode).toBe(400);
    expect(
      response
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['due_date', 'type']);
  });

  it('refuses issue and due dates outside 2000–2099 with the field path, and a future issue date', async () => {
    const { call: c } = await newCompany();
    for (const [field, value] of [
      ['invoice_date', '0001-01-01'],
      ['invoice_date', '0001-01-01T00:00:00Z'],
      ['issue_date', '1999-12-31'],
      ['due_date', '9999-12-31'],
      ['due_date', '2100-01-01'],
    ] as const) {
      const response = await issue(c, { ...B2B, [field]: value });
      expect(response.statusCode, `${field} ${value}`).toBe(400);
      expect(response.json().errors, `${field} ${value}`).toEqual([
        expect.objectContaining({ path: field, code: 'DATE_OUT_OF_RANGE' }),
      ]);
    }
    const tomorrow = new Date(Date.parse(`${dateIn('Asia/Riyadh')}T00:00:00Z`) + 86_400_000)
      .toISOString()
      .slice(0, 10);
    const future = await issue(c, { ...B2B, issue_date: tomorrow });
    expect(future.statusCode).toBe(422);
    expect(future.json().errors).toEqual([
      expect.objectContaining({ path: 'issue_date', code: 'ISSUE_DATE_IN_FUTURE' }),
    ]);
    expect((await c({ method: 'GET', url: '/api/v1/invoices' })).json().total).toBe(0);
    const oldest = await issue(c, { ...B2B, issue_date: '2000-01-01', due_date: '2099-12-31' });
    expect(oldest.statusCode).toBe(201);
    expect(oldest.json()).toMatchObject({ invoice_date: '2000-01-01', due_date: '2099-12-31' });
  });

  it('gives 50 concurrent issues of one company 50 distinct consecutive numbers', async () => {
    const { call: c } = await newCompany();
    const responses = await Promise.all(Array.from({ length: 50 }, () => issue(c, B2B)));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(50).fill(201));
    const numbers = responses.map((r) => r.json().invoice_number).sort();
    expect(numbers).toEqual(
      Array.from({ length: 50 }, (_, i) => `INV-${year}-${String(i + 1).padStart(6, '0')}`),
    );
  });

  it('keeps numbering gapless across two API instances on one PostgreSQL database', async (context) => {
    const second = await openSecondApp(t);
    if (!second) return context.skip();
    try {
      const { session, call: c1 } = await newCompany();
      const c2 = as(second.app, session);
      const responses = await Promise.all(
        Array.from({ length: 40 }, (_, i) => issue(i % 2 === 0 ? c1 : c2, B2B)),
      );
      expect(responses.map((r) => r.statusCode)).toEqual(Array(40).fill(201));
      const numbers = responses.map((r) => r.json().invoice_number).sort();
      expect(numbers).toEqual(
        Array.from({ length: 40 }, (_, i) => `INV-${year}-${String(i + 1).padStart(6, '0')}`),
      );
    } finally {
      await second.close();
    }
  });

  it('refuses a client number already used (409) or shaped like the automatic series', async () => {
    const { call: c } = await newCompany();
    expect((await issue(c, { ...B2B, invoice_number: 'A-1' })).statusCode).toBe(201);
    const again = await issue(c, { ...B2B, invoice_number: 'A-1' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('INVOICE_NUMBER_TAKEN');
    const reserved = await issue(c, { ...B2B, invoice_number: `INV-${year}-000007` });
    expect(reserved.statusCode).toBe(422);
    expect(reserved.json().errors[0]).toMatchObject({
      path: 'invoice_number',
      code: 'INVOICE_NUMBER_RESERVED',
    });
    // Another company may use the same number.
    expect((await issue(call, { ...B2B, invoice_number: 'A-1' })).statusCode).toBe(201);
  });

  it('refuses lookalikes of the automatic series: other case, Arabic-Indic or full-width digits, a trailing dot', async () => {
    const { call: c } = await newCompany();
    const arabicIndic = (digits: string) =>
      digits.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)));
    const fullWidth = (text: string) =>
      text.replace(/[0-9A-Z]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0x20 + 0xff00));
    const lookalikes = [
      `inv-${year}-000001`,
      `INV-${arabicIndic(year)}-${arabicIndic('000001')}`,
      `CRN-${year}-${'000001'.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)))}`,
      `${fullWidth('INV')}-${fullWidth(year)}-${fullWidth('000001')}`,
      `INV-${year}-000001.`,
      `Dbn-${year}-000001_`,
    ];
    for (const invoice_number of lookalikes) {
      const response = await issue(c, { ...B2B, invoice_number });
      expect(response.statusCode, invoice_number).toBe(422);
      expect(response.json().errors, invoice_number).toEqual([
        expect.objectContaining({ path: 'invoice_number', code: 'INVOICE_NUMBER_RESERVED' }),
      ]);
    }
    // Numbers of the company's own scheme, in any script, are still its to choose.
    for (const invoice_number of [
      `فاتورة-${arabicIndic('42')}`,
      `INV-${year}-42`,
      `INVOICE-${year}-000001`,
    ]) {
      expect((await issue(c, { ...B2B, invoice_number })).statusCode, invoice_number).toBe(201);
    }
    const next = await issue(c, B2B);
    expect(next.json().invoice_number).toBe(`INV-${year}-000001`);
  });

  it('replays an Idempotency-Key retry with the first answer, refuses it for another body', async () => {
    const { call: c } = await newCompany();
    const headers = { 'idempotency-key': 'order-4711' };
    const first = await issue(c, B2B, headers);
    const retry = await issue(c, B2B, headers);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    const other = await issue(c, { ...B2B, notes: 'different' }, headers);
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await c({ method: 'GET', url: '/api/v1/invoices' })).json().total).toBe(1);
  });

  it('issues once for concurrent requests with one Idempotency-Key', async () => {
    const { call: c } = await newCompany();
    const headers = { 'idempotency-key': 'concurrent-1' };
    const responses = await Promise.all(Array.from({ length: 8 }, () => issue(c, B2B, headers)));
    for (const response of responses) expect([201, 409]).toContain(response.statusCode);
    const ids = new Set(responses.filter((r) => r.statusCode === 201).map((r) => r.json().id));
    expect(ids.size).toBe(1);
    expect((await c({ method: 'GET', url: '/api/v1/invoices' })).json().total).toBe(1);
  });

  it('issues from a draft and deletes the draft', async () => {
    const { call: c } = await newCompany();
    const draft = await c({
      method: 'POST',
      url: '/api/v1/drafts',
      payload: { draft_data: { ...B2B, ui: { tab: 2 } } },
    });
    const response = await issue(c, { draft_id: draft.json().id });
    expect(response.statusCode).toBe(201);
    expect(response.json().total_amount).toBe('5750.00');
    expect((await c({ method: 'GET', url: `/api/v1/drafts/${draft.json().id}` })).statusCode).toBe(404);
    expect((await issue(c, { draft_id: draft.json().id })).statusCode).toBe(404);
  });

  it('uses a customer and catalogue products, and keeps the snapshot when they change', async () => {
    const { call: c } = await newCompany();
    const customer = (
      await c({
        method: 'POST',
        url: '/api/v1/customers',
        payload: {
          name_en: 'Acme Arabia',
          name_ar: 'أكمي العربية',
          vat_number: '310122393500003',
          address: BUYER_ADDRESS,
          payment_terms_days: 30,
        },
      })
    ).json();
    const product = (
      await c({
        method: 'POST',
        url: '/api/v1/products',
        payload: {
          name_en: 'Support hour',
          name_ar: 'ساعة دعم',
          sku: 'SUP-1',
          unit_code: 'HUR',
          unit_price: '250.00',
        },
      })
    ).json();
    const response = await issue(c, {
      customer_id: customer.id,
      invoice_date: '2026-01-10',
      lines: [{ product_id: product.id, quantity: 4 }],
    });
    expect(response.statusCode).toBe(201);
    const invoice = response.json();
    expect(invoice).toMatchObject({
      customer_id: customer.id,
      customer_name: 'Acme Arabia',
      customer_name_ar: 'أكمي العربية',
      due_date: '2026-02-09',
      lines: [
        { description: 'Support hour', description_ar: 'ساعة دعم', unit_code: 'HUR', net_amount: '1000.00' },
      ],
      total_amount: '1150.00',
    });

    await c({ method: 'PATCH', url: `/api/v1/customers/${customer.id}`, payload: { name_en: 'Renamed' } });
    await c({ method: 'PATCH', url: `/api/v1/products/${product.id}`, payload: { unit_price: '999' } });
    const again = await c({ method: 'GET', url: `/api/v1/invoices/${invoice.id}` });
    expect(again.json().buyer.name_en).toBe('Acme Arabia');
    expect(again.json().lines[0].unit_price).toBe('250.00');

    // Used on an issued invoice: archived, not deleted, and hidden from lists.
    const deletedCustomer = await c({ method: 'DELETE', url: `/api/v1/customers/${customer.id}` });
    expect(deletedCustomer.statusCode).toBe(200);
    expect(deletedCustomer.json().is_archived).toBe(true);
    const deletedProduct = await c({ method: 'DELETE', url: `/api/v1/products/${product.id}` });
    expect(deletedProduct.json().is_archived).toBe(true);
    expect((await c({ method: 'GET', url: '/api/v1/customers' })).json().total).toBe(0);
    expect((await c({ method: 'GET', url: '/api/v1/customers?include_archived=true' })).json().total).toBe(1);
    expect((await c({ method: 'GET', url: '/api/v1/products' })).json().total).toBe(0);
    expect((await c({ method: 'GET', url: '/api/v1/products?include_archived=true' })).json().total).toBe(1);
    // The archived SKU is free again.
    const reused = await c({
      method: 'POST',
      url: '/api/v1/products',
      payload: { name_en: 'New', sku: 'SUP-1', unit_price: 1 },
    });
    expect(reused.statusCode).toBe(201);
  });
});

describe('credit and debit notes', () => {
  it('references the original, needs a reason, and never exceeds what remains', async () => {
    const { call: c } = await newCompany();
    const original = (await issue(c, B2B)).json();
    const noReason = await issue(c, {
      type: 'credit_note',
      original_invoice_id: original.id,
      line_items: [{ quantity: 1, unit_price: 100 }],
    });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().errors).toEqual([expect.objectContaining({ path: 'reason', code: 'BR-KSA-17' })]);

    const note = await issue(c, {
      type: 'credit_note',
      original_invoice_id: original.id,
      reason: 'Returned goods',
      line_items: [{ description: 'Return', quantity: 2, unit_price: 500 }],
    });
    expect(note.statusCode).toBe(201);
    expect(note.json()).toMatchObject({
      invoice_number: `CRN-${year}-000001`,
      type: 'credit_note',
      subtype: 'standard',
      original_invoice_id: original.id,
      reason: 'Returned goods',
      total_amount: '1150.00',
      customer_name: B2B.customer_name,
    });
    const tooMuch = await issue(c, {
      type: 'credit_note',
      original_invoice_id: original.id,
      reason: 'Everything',
      line_items: [{ quantity: 10, unit_price: 500 }],
    });
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.json()).toMatchObject({ code: 'CREDIT_EXCEEDS_REMAINING', remaining_amount: '4600.00' });

    const rest = await issue(c, {
      type: 'credit_note',
      original_invoice_id: original.id,
      reason: 'Cancel the rest',
      line_items: [{ quantity: 8, unit_price: 500 }],
    });
    expect(rest.statusCode).toBe(201);
    const credited = await c({ method: 'GET', url: `/api/v1/invoices/${original.id}` });
    expect(credited.json()).toMatchObject({
      status: 'credited',
      credited_amount: '5750.00',
      amount_due: '0.00',
    });

    const debit = await issue(c, {
      type: 'debit_note',
      original_invoice_id: original.id,
      reason: 'Extra hours',
      line_items: [{ quantity: 1, unit_price: 100 }],
    });
    expect(debit.json()).toMatchObject({ invoice_number: `DBN-${year}-000001`, total_amount: '115.00' });
  });

  it('lets concurrent credit notes credit at most the invoice total', async () => {
    const { call: c } = await newCompany();
    const original = (await issue(c, B2B)).json(); // 5750.00
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        issue(c, {
          type: 'credit_note',
          original_invoice_id: original.id,
          reason: `Partial ${i}`,
          line_items: [{ quantity: 2, unit_price: 500 }], // 1150.00 each: five fit
        }),
      ),
    );
    const codes = responses.map((r) => r.statusCode).sort();
    expect(codes).toEqual([...Array(5).fill(201), ...Array(5).fill(422)]);
    const after = await c({ method: 'GET', url: `/api/v1/invoices/${original.id}` });
    expect(after.json()).toMatchObject({ credited_amount: '5750.00', status: 'credited' });
  });
});

describe('lifecycle', () => {
  it('marks an invoice sent, derives overdue from the due date, and never deletes an issued invoice', async () => {
    const { call: c } = await newCompany();
    const invoice = (await issue(c, { ...B2B, invoice_date: '2025-01-01', payment_terms_days: 30 })).json();
    expect(invoice).toMatchObject({ due_date: '2025-01-31', status: 'overdue', stored_status: 'issued' });
    const current = (await issue(c, { ...B2B, due_date: '2099-12-31' })).json();
    const sent = await c({ method: 'POST', url: `/api/v1/invoices/${current.id}/mark-sent` });
    expect(sent.statusCode).toBe(200);
    expect(sent.json()).toMatchObject({ status: 'sent', stored_status: 'sent' });
    expect(sent.json().sent_at).toEqual(expect.any(String));
    const overdueList = await c({ method: 'GET', url: '/api/v1/invoices?status=overdue' });
    expect(overdueList.json().invoices.map((i: { id: string }) => i.id)).toEqual([invoice.id]);

    const deleted = await c({ method: 'DELETE', url: `/api/v1/invoices/${invoice.id}` });
    expect(deleted.statusCode).toBe(409);
    expect(deleted.json().code).toBe('INVOICE_ISSUED');
    expect(deleted.json().message).toMatch(/credit note/);
  });

  it('writes an audit entry with every issue', async () => {
    const { call: c } = await newCompany();
    const invoice = (await issue(c, B2B)).json();
    const audit = await c({ method: 'GET', url: '/api/v1/audit-log' });
    expect(audit.json().entries[0]).toMatchObject({ action: 'invoice.issued', entity_id: invoice.id });
  });

  it('rolls everything back when an issue extension fails (no invoice, no number used)', async () => {
    const { call: c } = await newCompany();
    const extensions = t.app.ctx.issueExtensions;
    t.app.ctx.issueExtensions = [
      ...(extensions ?? []),
      {
        name: 'signer',
        async onIssue() {
          throw new Error('signer offline');
        },
      },
    ];
    try {
      expect((await issue(c, B2B)).statusCode).toBe(500);
    } finally {
      t.app.ctx.issueExtensions = extensions;
    }
    // The ZATCA document written before the failing step went with the rollback: the next issue is ICV 1.
    const ok = (await issue(c, B2B)).json();
    expect(ok).toMatchObject({ invoice_number: `INV-${year}-000001`, qr_code_data: expect.any(String) });
    const zatca = (await c({ method: 'GET', url: `/api/v1/invoices/${ok.id}/zatca` })).json();
    expect(zatca).toMatchObject({ icv: 1, previous_hash: FIRST_PIH });
  });

  it('limits issues per company with 429 and Retry-After', async () => {
    const limited = await createTestApp({ ISSUE_RATE_LIMIT_PER_MINUTE: 3 });
    try {
      const session = await registerUser(limited.app);
      const c = as(limited.app, session);
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await issue(c, B2B));
      expect(answers.map((answer) => answer.statusCode)).toEqual([201, 201, 201, 429]);
      // The limit is told with the refusal, not on every answer.
      expect(answers[0]?.headers['x-ratelimit-remaining']).toBeUndefined();
      const refused = await issue(c, B2B);
      expect(refused.headers['retry-after']).toEqual(expect.any(String));
      expect(refused.headers['x-ratelimit-limit']).toBe('3');
      // Another company has its own allowance.
      const other = as(limited.app, await registerUser(limited.app));
      expect((await issue(other, B2B)).statusCode).toBe(201);
    } finally {
      await limited.close();
    }
  });
});

describe('history', () => {
  let c: ReturnType<typeof as>;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    ({ call: c } = await newCompany());
    const make = async (key: string, body: object) => {
      const response = await issue(c, { ...B2B, ...body });
      if (response.statusCode !== 201) throw new Error(response.body);
      ids[key] = response.json().id;
    };
    await make('a', {
      invoice_date: '2025-03-01',
      customer_name: 'Alpha Trading',
      customer_name_ar: 'شركة ألفا',
      line_items: [{ quantity: 1, unit_price: 100 }],
    });
    await make('b', {
      invoice_date: '2025-04-01',
      customer_name: 'Beta Foods',
      customer_name_ar: 'أغذية بيتا',
      line_items: [{ quantity: 1, unit_price: 2000 }],
    });
    await make('c', {
      invoice_date: '2025-05-01',
      customer_name: 'Gamma Steel',
      customer_name_ar: 'حديد جاما',
      line_items: [{ quantity: 1, unit_price: 50 }],
    });
  });

  const list = async (query: string) => (await c({ method: 'GET', url: `/api/v1/invoices${query}` })).json();

  it('pages and sorts', async () => {
    const page1 = await list('?page_size=2');
    expect(page1).toMatchObject({ total: 3, total_is_exact: true, page: 1, page_size: 2 });
    expect(page1.invoices.map((i: { id: string }) => i.id)).toEqual([ids.c, ids.b]);
    expect((await list('?page_size=2&page=2')).invoices.map((i: { id: string }) => i.id)).toEqual([ids.a]);
    expect((await list('?sort=total&order=desc')).invoices.map((i: { id: string }) => i.id)).toEqual([
      ids.b,
      ids.a,
      ids.c,
    ]);
    expect((await list('?sort=number&order=asc')).invoices.map((i: { id: string }) => i.id)).toEqual([
      ids.a,
      ids.b,
      ids.c,
    ]);
    expect((await c({ method: 'GET', url: '/api/v1/invoices?page_size=101' })).statusCode).toBe(400);
  });

  it('filters by dates, amounts, type and status', async () => {
    expect(
      (await list('?date_from=2025-04-01&date_to=2025-04-30')).invoices.map((i: { id: string }) => i.id),
    ).toEqual([ids.b]);
    expect((await list('?amount_min=100&amount_max=200')).invoices.map((i: { id: string }) => i.id)).toEqual([
      ids.a,
    ]);
    expect((await list('?amount_min=2300.00')).invoices.map((i: { id: string }) => i.id)).toEqual([ids.b]);
    expect((await list('?type=credit_note')).total).toBe(0);
    expect((await list('?status=issued')).total).toBe(3);
    expect((await list('?status=paid')).total).toBe(0);
  });

  it('searches by partial number and by Arabic or Latin customer name', async () => {
    const search = async (q: string) =>
      (await list(`/search?q=${encodeURIComponent(q)}`)).invoices.map((i: { id: string }) => i.id);
    expect(await search('000002')).toEqual([ids.b]);
    expect(await search('beta')).toEqual([ids.b]);
    expect(await search('GAMMA ste')).toEqual([ids.c]);
    expect(await search('بيتا')).toEqual([ids.b]);
    // Hamza folded: "الفا" finds "ألفا".
    expect(await search('الفا')).toEqual([ids.a]);
    expect(await search('100%')).toEqual([]);
    expect(await search('trading')).toEqual([ids.a]);
    expect(await search('310122393500003')).toHaveLength(3);
    // One or two characters: looked for among the first invoices of the list only (here all of them), so the
    // total says whether it is exact.
    expect(await list('/search?q=ga')).toMatchObject({
      total: 1,
      total_is_exact: true,
      invoices: [{ id: ids.c }],
    });
    expect(await search('a')).toEqual([ids.c, ids.b, ids.a]);
    expect(
      (await list('/search?q=a&sort=number&order=asc&page_size=2')).invoices.map((i: { id: string }) => i.id),
    ).toEqual([ids.a, ids.b]);
  });

  it("does not show another company's invoices", async () => {
    const stranger = as(t.app, await registerUser(t.app));
    expect((await stranger({ method: 'GET', url: `/api/v1/invoices/${ids.a}` })).statusCode).toBe(404);
    expect((await stranger({ method: 'POST', url: `/api/v1/invoices/${ids.a}/mark-sent` })).statusCode).toBe(
      404,
    );
    expect((await stranger({ method: 'DELETE', url: `/api/v1/invoices/${ids.a}` })).statusCode).toBe(404);
    expect((await stranger({ method: 'GET', url: '/api/v1/invoices/search?q=Alpha' })).json().total).toBe(0);
    const note = await issue(stranger, {
      type: 'credit_note',
      original_invoice_id: ids.a,
      reason: 'x',
      line_items: [{ quantity: 1, unit_price: 1 }],
    });
    expect(note.statusCode).toBe(422);
    expect(note.json().errors[0]).toMatchObject({ path: 'original_invoice_id', code: 'ORIGINAL_NOT_FOUND' });
  });
});
