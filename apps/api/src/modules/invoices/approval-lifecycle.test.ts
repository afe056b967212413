// Where invoices are approved before they are sent (the UAE): draft → finalized → approved → sent, through HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AE_COMPANY,
  AE_INVOICE_BUYER,
  addMember,
  as,
  type Call,
  createTestApp,
  registerUser,
  type Session,
  type TestApp,
} from '../../../test/support/app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const LINES = { line_items: [{ description: 'Consulting', quantity: 2, unit_price: 500, vat_rate: 5 }] };
const DRAFT = { ...AE_INVOICE_BUYER, ...LINES };

async function uaeCompany(): Promise<{ owner: Session; c: Call }> {
  const owner = await registerUser(t.app, AE_COMPANY);
  return { owner, c: as(t.app, owner) };
}

const step = (c: Call, id: string, name: string, headers: Record<string, string> = {}) =>
  c({ method: 'POST', url: `/api/v1/invoices/${id}/${name}`, headers });

async function draftOf(c: Call, payload: object = DRAFT): Promise<string> {
  const created = await c({ method: 'POST', url: '/api/v1/invoices', payload });
  expect(created.statusCode).toBe(201);
  return created.json().id;
}

async function auditOf(c: Call, id: string): Promise<string[]> {
  const log = await c({ method: 'GET', url: '/api/v1/audit-log?limit=200' });
  expect(log.statusCode).toBe(200);
  return log
    .json()
    .entries.filter((entry: { entity_id: string }) => entry.entity_id === id)
    .map((entry: { action: string }) => entry.action)
    .reverse();
}

describe('the approval lifecycle (UAE)', () => {
  it('walks draft → finalized → approved → sent, each step audited once however often it is repeated', async () => {
    const { c } = await uaeCompany();
    const id = await draftOf(c);
    const draft = (await c({ method: 'GET', url: `/api/v1/invoices/${id}` })).json();
    expect(draft).toMatchObject({ lifecycle_status: 'draft', next_steps: ['finalize'] });

    const finalized = await step(c, id, 'finalize');
    expect(finalized.statusCode).toBe(200);
    expect(finalized.json()).toMatchObject({
      id,
      lifecycle_status: 'finalized',
      invoice_number: expect.stringMatching(/^INV-\d{4}-000001$/),
      next_steps: ['approve'],
      pdf_base64: expect.any(String),
    });
    const again = await step(c, id, 'finalize');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({
      lifecycle_status: 'finalized',
      invoice_number: finalized.json().invoice_number,
    });

    // Immutable from finalized.
    const edit = await c({ method: 'PATCH', url: `/api/v1/invoices/${id}`, payload: { notes: 'changed' } });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().code).toBe('INVOICE_ISSUED');

    const approved = await step(c, id, 'approve');
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({
      lifecycle_status: 'approved',
      stored_status: 'approved',
      next_steps: ['send'],
    });
    expect((await step(c, id, 'approve')).json().lifecycle_status).toBe('approved');

    const sent = await c({ method: 'POST', url: `/api/v1/invoices/${id}/send`, payload: {} });
    expect(sent.statusCode).toBe(202);
    expect(sent.json()).toMatchObject({ status: 'sent', to: null, mail_status: 'none' });
    const resent = await c({ method: 'POST', url: `/api/v1/invoices/${id}/send`, payload: {} });
    expect(resent.statusCode).toBe(202);
    expect(resent.json().sent_at).toBe(sent.json().sent_at);
    // A later step's repeat answers the invoice as it is.
    expect((await step(c, id, 'approve')).json()).toMatchObject({ lifecycle_status: 'sent', next_steps: [] });
    expect((await step(c, id, 'finalize')).json().lifecycle_status).toBe('sent');

    expect(await auditOf(c, id)).toEqual([
      'invoice.draft_created',
      'invoice.finalized',
      'invoice.approved',
      'invoice.sent',
    ]);
  });

  it('refuses steps out of order with a coded 409 and changes nothing', async () => {
    const { c } = await uaeCompany();
    const id = await draftOf(c);
    for (const [name, code] of [
      ['approve', 'INVOICE_NOT_FINALIZED'],
      ['send', 'INVOICE_NOT_FINALIZED'],
      ['mark-sent', 'INVOICE_NOT_FINALIZED'],
    ] as const) {
      const refused = await c({ method: 'POST', url: `/api/v1/invoices/${id}/${name}`, payload: {} });
      expect(refused.statusCode, name).toBe(409);
      expect(refused.json().code, name).toBe(code);
    }
    await step(c, id, 'finalize');
    for (const name of ['send', 'mark-sent']) {
      const refused = await c({ method: 'POST', url: `/api/v1/invoices/${id}/${name}`, payload: {} });
      expect(refused.statusCode, name).toBe(409);
      expect(refused.json().code, name).toBe('INVOICE_NOT_APPROVED');
    }
    const read = (await c({ method: 'GET', url: `/api/v1/invoices/${id}` })).json();
    expect(read).toMatchObject({ lifecycle_status: 'finalized', sent_at: null });
    expect(await auditOf(c, id)).toEqual(['invoice.draft_created', 'invoice.finalized']);
  });

  it('lets owners and admins approve, finance only when the company allows it, never viewers or accountants', async () => {
    const { owner, c } = await uaeCompany();
    const finance = as(t.app, await addMember(t.app, owner, 'finance'));
    const viewer = as(t.app, await addMember(t.app, owner, 'viewer'));
    const accountant = as(t.app, await addMember(t.app, owner, 'accountant', ['invoices']));
    const admin = as(t.app, await addMember(t.app, owner, 'admin'));
    const id = await draftOf(c);
    await step(c, id, 'finalize');

    for (const [who, call] of [
      ['viewer', viewer],
      ['accountant', accountant],
    ] as const) {
      const refused = await step(call, id, 'approve');
      expect(refused.statusCode, who).toBe(403);
      const finalize = await step(call, id, 'finalize');
      expect(finalize.statusCode, who).toBe(403);
    }
    const byFinance = await step(finance, id, 'approve');
    expect(byFinance.statusCode).toBe(403);
    expect(byFinance.json().code).toBe('APPROVAL_NOT_ALLOWED');
    expect((await c({ method: 'GET', url: `/api/v1/invoices/${id}` })).json().lifecycle_status).toBe(
      'finalized',
    );

    const allow = await c({
      method: 'PATCH',
      url: '/api/v1/companies/current',
      payload: { is_finance_approver: true },
    });
    expect(allow.statusCode).toBe(200);
    expect(allow.json().is_finance_approver).toBe(true);
    expect((await step(finance, id, 'approve')).json().lifecycle_status).toBe('approved');

    const other = await draftOf(c);
    await step(c, other, 'finalize');
    expect((await step(admin, other, 'approve')).json().lifecycle_status).toBe('approved');
  });

  it('approves once when two approvals arrive together (one audit entry)', async () => {
    const { c } = await uaeCompany();
    const id = await draftOf(c);
    await step(c, id, 'finalize');
    const answers = await Promise.all([
      step(c, id, 'approve'),
      step(c, id, 'approve'),
      step(c, id, 'approve'),
    ]);
    for (const answer of answers) {
      expect(answer.statusCode).toBe(200);
      expect(answer.json().lifecycle_status).toBe('approved');
    }
    expect((await auditOf(c, id)).filter((action) => action === 'invoice.approved')).toHaveLength(1);
  });

  it('replays the first answer for a repeated Idempotency-Key', async () => {
    const { c } = await uaeCompany();
    const id = await draftOf(c);
    const first = await step(c, id, 'finalize', { 'idempotency-key': 'finalize-1' });
    const replay = await step(c, id, 'finalize', { 'idempotency-key': 'finalize-1' });
    expect(replay.statusCode).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json().invoice_number).toBe(first.json().invoice_number);
    const approve = await step(c, id, 'approve', { 'idempotency-key': 'approve-1' });
    const approveReplay = await step(c, id, 'approve', { 'idempotency-key': 'approve-1' });
    expect(approveReplay.headers['idempotent-replayed']).toBe('true');
    expect(approveReplay.json().lifecycle_status).toBe(approve.json().lifecycle_status);
  });

  it('takes credit notes through the same steps', async () => {
    const { c } = await uaeCompany();
    const invoice = await c({ method: 'POST', url: '/api/v1/invoices/generate', payload: DRAFT });
    expect(invoice.statusCode).toBe(201);
    expect(invoice.json().lifecycle_status).toBe('finalized');
    const noteId = await draftOf(c, {
      type: 'credit_note',
      original_invoice_id: invoice.json().id,
      reason: 'Returned goods',
      reason_code: 'DL8.61.1.B',
      ...LINES,
    });
    expect((await step(c, noteId, 'approve')).json().code).toBe('INVOICE_NOT_FINALIZED');
    const finalized = await step(c, noteId, 'finalize');
    expect(finalized.statusCode).toBe(200);
    expect(finalized.json()).toMatchObject({
      type: 'credit_note',
      lifecycle_status: 'finalized',
      invoice_number: expect.stringMatching(/^CRN-/),
    });
    const refused = await c({ method: 'POST', url: `/api/v1/invoices/${noteId}/send`, payload: {} });
    expect(refused.json().code).toBe('INVOICE_NOT_APPROVED');
    expect((await step(c, noteId, 'approve')).json().lifecycle_status).toBe('approved');
    expect(
      (await c({ method: 'POST', url: `/api/v1/invoices/${noteId}/send`, payload: {} })).statusCode,
    ).toBe(202);
    expect(await auditOf(c, noteId)).toEqual([
      'invoice.draft_created',
      'credit_note.finalized',
      'credit_note.approved',
      'invoice.sent',
    ]);
  });

  it('leaves Saudi invoices on issue and mark-sent: the approval steps answer 409', async () => {
    const owner = await registerUser(t.app);
    const c = as(t.app, owner);
    const id = await draftOf(c, {
      customer_name: 'Walk-in',
      line_items: [{ description: 'Tea', quantity: 1, unit_price: 10, vat_rate: 15 }],
    });
    for (const name of ['finalize', 'approve']) {
      const refused = await step(c, id, name);
      expect(refused.statusCode, name).toBe(409);
      expect(refused.json().code, name).toBe('LIFECYCLE_STEP_NOT_AVAILABLE');
    }
    const issued = await step(c, id, 'issue');
    expect(issued.json()).toMatchObject({ lifecycle_status: 'issued', next_steps: [] });
    expect((await step(c, id, 'mark-sent')).json().stored_status).toBe('sent');
  });
});
