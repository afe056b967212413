import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestApp, registerUser, type TestApp } from '../../../test/support/app';
import { SA_BUYER, SA_COMPANY } from '../../../test/support/companies';
import { dateIn } from './service';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const year = dateIn('Asia/Riyadh').slice(0, 4);
const BUYER_ADDRESS = SA_BUYER.address;
const B2B = {
  customer_name: SA_BUYER.name_en,
  customer_vat_number: SA_BUYER.vat_number,
  customer_address: BUYER_ADDRESS,
  line_items: [{ description: 'Consulting', quantity: 10, unit_price: 500, vat_rate: 15 }],
};

async function newCompany() {
  return as(t.app, await registerUser(t.app));
}
type Call = Awaited<ReturnType<typeof newCompany>>;

const createDraft = (c: Call, payload: object, headers: Record<string, string> = {}) =>
  c({ method: 'POST', url: '/api/v1/invoices/', payload, headers });
const issueDraft = (c: Call, id: string, headers: Record<string, string> = {}) =>
  c({ method: 'POST', url: `/api/v1/invoices/${id}/issue`, headers });
const zatcaOf = async (c: Call, id: string) =>
  (await c({ method: 'GET', url: `/api/v1/invoices/${id}/zatca` })).json();

describe('draft invoices', () => {
  it('creates a draft with incomplete lines, edits it with PUT and PATCH, then issues it (same record)', async () => {
    const c = await newCompany();
    const created = await createDraft(c, {
      customer_name: 'Advanced Trading Est.',
      line_items: [{ description: 'Consulting', quantity: 10 }],
    });
    expect(created.statusCode).toBe(201);
    const draft = created.json();
    expect(draft).toMatchObject({
      status: 'draft',
      stored_status: 'draft',
      invoice_number: `DRAFT-${draft.id}`,
      qr_code_data: null,
      issued_at: null,
      total_amount: '0.00',
      draft_body: { customer_name: 'Advanced Trading Est.' },
    });

    const put = await c({ method: 'PUT', url: `/api/v1/invoices/${draft.id}/`, payload: B2B });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ status: 'draft', subtype: 'standard', total_amount: '5750.00' });
    const patch = await c({
      method: 'PATCH',
      url: `/api/v1/invoices/${draft.id}`,
      payload: { notes: 'Thank you', due_date: '2099-01-31' },
    });
    expect(patch.statusCode).toBe(200);
    expect(patch.json()).toMatchObject({
      notes: 'Thank you',
      due_date: '2099-01-31',
      customer_vat_number: B2B.customer_vat_number,
      total_amount: '5750.00',
    });

    const issued = await issueDraft(c, draft.id);
    expect(issued.statusCode).toBe(200);
    expect(issued.json()).toMatchObject({
      id: draft.id,
      status: 'issued',
      invoice_number: `INV-${year}-000001`,
      subtype: 'standard',
      notes: 'Thank you',
      due_date: '2099-01-31',
      total_amount: '5750.00',
      qr_code_data: expect.any(String),
      pdf_base64: expect.any(String),
      issued_at: expect.any(String),
      draft_body: null,
    });
    expect((await zatcaOf(c, draft.id)).icv).toBe(1);
    expect((await c({ method: 'GET', url: '/api/v1/invoices' })).json().total).toBe(1);
  });

  it('refuses to edit, delete or issue again an issued invoice (409 INVOICE_ISSUED)', async () => {
    const c = await newCompany();
    const draft = (await createDraft(c, B2B)).json();
    expect((await issueDraft(c, draft.id)).statusCode).toBe(200);
    for (const method of ['PUT', 'PATCH'] as const) {
      const edit = await c({ method, url: `/api/v1/invoices/${draft.id}`, payload: { notes: 'changed' } });
      expect(edit.statusCode, method).toBe(409);
      expect(edit.json().code, method).toBe('INVOICE_ISSUED');
    }
    const deleted = await c({ method: 'DELETE', url: `/api/v1/invoices/${draft.id}` });
    expect(deleted.statusCode).toBe(409);
    expect(deleted.json().code).toBe('INVOICE_ISSUED');
    const again = await issueDraft(c, draft.id);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('INVOICE_ISSUED');
    const read = (await c({ method: 'GET', url: `/api/v1/invoices/${draft.id}` })).json();
    expect(read).toMatchObject({ invoice_number: `INV-${year}-000001`, notes: null });
  });

  it('deletes a draft', async () => {
    const c = await newCompany();
    const draft = (await createDraft(c, B2B)).json();
    const deleted = await c({ method: 'DELETE', url: `/api/v1/invoices/${draft.id}/` });
    expect(deleted.statusCode).toBe(204);
    expect((await c({ method: 'GET', url: `/api/v1/invoices/${draft.id}` })).statusCode).toBe(404);
    expect((await issueDraft(c, draft.id)).statusCode).toBe(404);
  });

  it('refuses a draft naming a customer or product that does not exist, with the path', async () => {
    const c = await newCompany();
    const response = await createDraft(c, {
      customer_id: '00000000-0000-4000-8000-000000000000',
      lines: [{ product_id: '00000000-0000-4000-8000-000000000001', quantity: 1 }],
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors.map((e: { path: string; code: string }) => `${e.path} ${e.code}`)).toEqual([
      'customer_id CUSTOMER_NOT_FOUND',
      'lines.0.product_id PRODUCT_NOT_FOUND',
    ]);
  });

  it('is not numbered, listed, receivable, overdue, payable, creditable, sendable or a PDF', async () => {
    const c = await newCompany();
    const draft = (
      await createDraft(c, { ...B2B, invoice_date: '2025-01-01', due_date: '2025-01-31' })
    ).json();
    expect(draft).toMatchObject({ status: 'draft', total_amount: '5750.00', amount_due: '0.00' });

    expect((await c({ method: 'GET', url: '/api/v1/invoices' })).json()).toMatchObject({
      total: 0,
      invoices: [],
    });
    expect((await c({ method: 'GET', url: '/api/v1/invoices/search?q=Advanced' })).json().total).toBe(0);
    expect((await c({ method: 'GET', url: '/api/v1/invoices?status=overdue' })).json().total).toBe(0);
    const drafts = (await c({ method: 'GET', url: '/api/v1/invoices?status=draft' })).json();
    expect(drafts.invoices.map((i: { id: string }) => i.id)).toEqual([draft.id]);
    const dashboard = (await c({ method: 'GET', url: '/api/v1/dashboard' })).json();
    expect(dashboard.outstanding).toMatchObject({ count: 0 });

    const pay = await c({
      method: 'POST',
      url: `/api/v1/invoices/${draft.id}/partial-payment`,
      payload: { amount: '1' },
    });
    expect(pay.statusCode).toBe(409);
    expect(pay.json().code).toBe('INVOICE_NOT_PAYABLE');
    const credit = await c({
      method: 'POST',
      url: '/api/v1/invoices/generate',
      payload: {
        type: 'credit_note',
        original_invoice_id: draft.id,
        reason: 'Returned',
        line_items: [{ quantity: 1, unit_price: 1 }],
      },
    });
    expect(credit.statusCode).toBe(422);
    expect(credit.json().errors[0]).toMatchObject({
      path: 'original_invoice_id',
      code: 'ORIGINAL_NOT_FOUND',
    });
    const sent = await c({ method: 'POST', url: `/api/v1/invoices/${draft.id}/mark-sent` });
    expect(sent.statusCode).toBe(409);
    expect(sent.json().code).toBe('INVOICE_NOT_ISSUED');
    const mailed = await c({ method: 'POST', url: `/api/v1/invoices/${draft.id}/send`, payload: {} });
    expect(mailed.statusCode).toBe(409);
    expect(mailed.json().code).toBe('INVOICE_NOT_SENDABLE');
    const pdf = await c({ method: 'GET', url: `/api/v1/invoices/${draft.id}/pdf` });
    expect(pdf.statusCode).toBe(409);
    expect(pdf.json().code).toBe('INVOICE_PDF_NOT_ISSUED');
    expect((await c({ method: 'GET', url: `/api/v1/invoices/${draft.id}/zatca` })).statusCode).toBe(404);

    // The draft took no number and no place in the ZATCA chain.
    const first = (await c({ method: 'POST', url: '/api/v1/invoices/generate', payload: B2B })).json();
    expect(first.invoice_number).toBe(`INV-${year}-000001`);
    expect((await zatcaOf(c, first.id)).icv).toBe(1);
    // A client number cannot take a draft's provisional shape.
    const lookalike = await c({
      method: 'POST',
      url: '/api/v1/invoices/generate',
      payload: { ...B2B, invoice_number: `draft-${draft.id}` },
    });
    expect(lookalike.statusCode).toBe(422);
    expect(lookalike.json().errors[0]).toMatchObject({ code: 'INVOICE_NUMBER_RESERVED' });
  });

  it('issues once for the same Idempotency-Key, and answers the first issue again', async () => {
    const c = await newCompany();
    const draft = (await createDraft(c, B2B)).json();
    const other = (await createDraft(c, B2B)).json();
    const headers = { 'idempotency-key': 'issue-draft-1' };
    const first = await issueDraft(c, draft.id, headers);
    const retry = await issueDraft(c, draft.id, headers);
    expect(first.statusCode).toBe(200);
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    const reused = await issueDraft(c, other.id, headers);
    expect(reused.statusCode).toBe(422);
    expect(reused.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await c({ method: 'GET', url: '/api/v1/invoices' })).json().total).toBe(1);
    const concurrent = await Promise.all(
      Array.from({ length: 4 }, () => issueDraft(c, other.id, { 'idempotency-key': 'issue-draft-2' })),
    );
    for (const response of concurrent) expect([200, 409]).toContain(response.statusCode);
    expect(
      new Set(concurrent.filter((r) => r.statusCode === 200).map((r) => r.json().invoice_number)),
    ).toEqual(new Set([`INV-${year}-000002`]));
  });

  it('refuses at issue what ZATCA would reject, using no number and no ICV', async () => {
    const c = await newCompany();
    const before = (await c({ method: 'POST', url: '/api/v1/invoices/generate', payload: B2B })).json();
    expect((await zatcaOf(c, before.id)).icv).toBe(1);
    // The buyer's VAT number is the seller's own: ZATCA rejects it (BR-CUSTOM-VALIDATION-01).
    const draft = (await createDraft(c, { ...B2B, customer_vat_number: SA_COMPANY.vat_number })).json();
    const refused = await issueDraft(c, draft.id);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors).toEqual([
      expect.objectContaining({ code: 'BR-CUSTOM-VALIDATION-01', path: 'customer_vat_number' }),
    ]);
    expect((await c({ method: 'GET', url: `/api/v1/invoices/${draft.id}` })).json().status).toBe('draft');

    // A foreign buyer without a street: ZATCA only warns (BR-KSA-10), so the draft is issued, saying so.
    const fixed = await c({
      method: 'PATCH',
      url: `/api/v1/invoices/${draft.id}`,
      payload: {
        customer_vat_number: B2B.customer_vat_number,
        customer_address: { city: 'Dubai', country: 'AE' },
      },
    });
    expect(fixed.statusCode).toBe(200);
    const issued = await issueDraft(c, draft.id);
    expect(issued.statusCode).toBe(200);
    expect(issued.json().invoice_number).toBe(`INV-${year}-000002`);
    expect(issued.json().warnings).toEqual([
      expect.objectContaining({ code: 'BR-KSA-10', path: 'customer_address.street' }),
    ]);
    const zatca = await zatcaOf(c, draft.id);
    expect(zatca).toMatchObject({ icv: 2, previous_hash: (await zatcaOf(c, before.id)).invoice_hash });
  });

  it("does not let another company read, edit, delete or issue a company's draft", async () => {
    const c = await newCompany();
    const stranger = await newCompany();
    const draft = (await createDraft(c, B2B)).json();
    for (const [method, url] of [
      ['GET', `/api/v1/invoices/${draft.id}`],
      ['PUT', `/api/v1/invoices/${draft.id}`],
      ['PATCH', `/api/v1/invoices/${draft.id}`],
      ['DELETE', `/api/v1/invoices/${draft.id}`],
      ['POST', `/api/v1/invoices/${draft.id}/issue`],
    ] as const) {
      const response = await stranger({ method, url, ...(method.startsWith('P') ? { payload: B2B } : {}) });
      expect(response.statusCode, `${method} ${url}`).toBe(404);
    }
    expect((await c({ method: 'GET', url: `/api/v1/invoices/${draft.id}` })).json()).toMatchObject({
      status: 'draft',
      customer_name: B2B.customer_name,
    });
  });
});
