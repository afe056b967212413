/**
 * The tenant wall. Every route guarded by a permission (a company route) joins this test by itself:
 *
 * 1. A member of company B who sends `X-Company-Id: <A>` gets 404 on every company route — A does not exist for them.
 * 2. A company route with path parameters needs a FIXTURE below: it creates a resource in company A and returns the
 *    params (and a valid body/query when the route needs one). A member of B, in B's own company, asking for A's
 *    ids gets 404 — and A's resource is unchanged afterwards (the fixture's `check`).
 *
 * Adding a route with a path parameter and no fixture fails this test: add the fixture here, keyed "METHOD /url".
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSmpCa } from '../../../packages/smp/src/test-support/smp-signing';
import { clearParticipantCache } from '../src/modules/peppol/service';
import {
  AE_COMPANY,
  addClient,
  addMember,
  as,
  createTestApp,
  registerUser,
  type Session,
  type TestApp,
  verifyEmail,
} from './support/app';
import { SA_BUYER } from './support/companies';
import { startFakeSml } from './support/fake-sml';

export interface FixtureContext {
  app: FastifyInstance;
  /** An owner of company A (the victim). */
  a: Session;
}

export interface Fixture {
  params: Record<string, string>;
  body?: unknown;
  query?: Record<string, string>;
  /** Asserts that A's resource is untouched after B's attempt. */
  check?: () => Promise<void>;
}

export const FIXTURES: Record<string, (ctx: FixtureContext) => Promise<Fixture>> = {
  'PATCH /api/v1/companies/current/members/:userId': async ({ app, a }) => {
    const member = await addMember(app, a, 'finance');
    return {
      params: { userId: member.userId },
      body: { role: 'viewer' },
      check: async () => {
        const members = (await as(app, a)({ method: 'GET', url: '/api/v1/companies/current/members' })).json()
          .members;
        expect(members.find((m: { user_id: string }) => m.user_id === member.userId)?.role).toBe('finance');
      },
    };
  },
  'DELETE /api/v1/companies/current/members/:userId': async ({ app, a }) => {
    const member = await addMember(app, a, 'viewer');
    return {
      params: { userId: member.userId },
      check: async () => {
        const members = (await as(app, a)({ method: 'GET', url: '/api/v1/companies/current/members' })).json()
          .members;
        expect(members.some((m: { user_id: string }) => m.user_id === member.userId)).toBe(true);
      },
    };
  },

  'GET /api/v1/users/:id': async ({ app, a }) => ({
    params: { id: (await addMember(app, a, 'viewer')).userId },
  }),
  'PUT /api/v1/users/:id': async ({ app, a }) => usersFixture(app, a, { role: 'admin' }),
  'PATCH /api/v1/users/:id': async ({ app, a }) => usersFixture(app, a, { role: 'admin' }),
  'DELETE /api/v1/users/:id': async ({ app, a }) => usersFixture(app, a),
  'DELETE /api/v1/companies/current/invitations/:invitationId': async ({ app, a }) => {
    const invite = await as(
      app,
      a,
    )({
      method: 'POST',
      url: '/api/v1/companies/current/members',
      payload: { email: `invitee-${Date.now()}@example.com`, role: 'viewer' },
    });
    const id = invite.json().invitation_id;
    return {
      params: { invitationId: id },
      check: async () => {
        const invitations = (
          await as(app, a)({ method: 'GET', url: '/api/v1/companies/current/invitations' })
        ).json().invitations;
        expect(invitations.find((i: { id: string }) => i.id === id)?.status).toBe('pending');
      },
    };
  },

  // Customers (and seed 001's alias /clients), products, drafts, invoices: A's resource must stay as it was.
  ...customerFixtures('/api/v1/customers'),
  ...recurringFixtures(),
  ...webhookFixtures(),
  ...importFixtures(),
  ...quoteFixtures(),
  ...customerFixtures('/api/v1/clients'),
  ...vendorFixtures(),
  ...purchaseOrderFixtures(),
  ...supplierInvoiceFixtures('/api/v1/supplier-invoices'),
  ...supplierInvoiceFixtures('/api/v1/inward-invoices'),
  ...bankingFixtures(),
  ...reportRunFixtures(),
  'GET /api/v1/purchases/:id/receipt.pdf': async ({ app, a }) => ({
    params: { id: (await aSale(app, a)).sale.id },
  }),
  // A's sale with a credit note id: B is refused on the sale before any credit note is looked up.
  'GET /api/v1/purchases/:id/returns/:credit_note_id/receipt.pdf': async ({ app, a }) => ({
    params: { id: (await aSale(app, a)).sale.id, credit_note_id: randomUUID() },
  }),

  'GET /api/v1/cash-sessions/:id/x-report.pdf': async ({ app, a }) => ({
    params: { id: (await aSession(app, a)).id },
  }),
  'GET /api/v1/cash-sessions/:id/z-report.pdf': async ({ app, a }) => ({
    params: { id: (await aSession(app, a)).id },
  }),
  'GET /api/v1/tills/:id/session': async ({ app, a }) => ({
    params: { id: (await aSession(app, a)).till_id },
  }),
  'GET /api/v1/products/:id': async ({ app, a }) => ({ params: { id: (await aProduct(app, a)).id } }),
  'PATCH /api/v1/products/:id': async ({ app, a }) => {
    const product = await aProduct(app, a);
    return {
      params: { id: product.id },
      body: { unit_price: '1' },
      check: async () =>
        expect((await readAs(app, a, `/api/v1/products/${product.id}`)).unit_price).toBe('10.00'),
    };
  },
  'PUT /api/v1/products/:id': async ({ app, a }) => {
    const product = await aProduct(app, a);
    return {
      params: { id: product.id },
      body: { price: '1', stock: 0 },
      check: async () =>
        expect(await readAs(app, a, `/api/v1/products/${product.id}`)).toMatchObject({
          unit_price: '10.00',
          stock: null,
        }),
    };
  },
  'GET /api/v1/products/:id/stock-movements': async ({ app, a }) => ({
    params: { id: (await aStockedProduct(app, a)).id },
  }),
  'POST /api/v1/products/:id/stock-movements': async ({ app, a }) => {
    const product = await aStockedProduct(app, a);
    return {
      params: { id: product.id },
      body: { kind: 'adjustment', quantity: -1 },
      check: async () => expect((await readAs(app, a, `/api/v1/products/${product.id}`)).stock).toBe('5'),
    };
  },
  'GET /api/v1/tills/:id': async ({ app, a }) => ({ params: { id: (await aTill(app, a)).id } }),
  'PUT /api/v1/denominations/:value': async ({ app, a }) => {
    const till = await aTill(app, a);
    await createAs(app, a, '/api/v1/denominations', { value: 500, available_count: 3, till_id: till.id });
    return {
      params: { value: '500' },
      body: { available_count: 0, till_id: till.id },
      check: async () =>
        expect((await readAs(app, a, `/api/v1/denominations?till_id=${till.id}`)).denominations).toEqual([
          { value: '500.00', available_count: 3 },
        ]),
    };
  },
  'POST /api/v1/tills/:id/sessions': async ({ app, a }) => {
    const till = await aTill(app, a);
    return {
      params: { id: till.id },
      body: { counts: [{ value: 1, count: 1 }] },
      check: async () => {
        const session = await as(
          app,
          a,
        )({ method: 'POST', url: `/api/v1/tills/${till.id}/sessions`, payload: { counts: [] } });
        expect(session.statusCode).toBe(201);
      },
    };
  },
  'GET /api/v1/cash-sessions/:id': async ({ app, a }) => ({ params: { id: (await aSession(app, a)).id } }),
  'POST /api/v1/cash-sessions/:id/movements': async ({ app, a }) => {
    const session = await aSession(app, a);
    return {
      params: { id: session.id },
      body: { kind: 'cash_in', counts: [{ value: 1, count: 1 }] },
      check: async () =>
        expect((await readAs(app, a, `/api/v1/cash-sessions/${session.id}`)).cash_in).toBe('0.00'),
    };
  },
  'POST /api/v1/cash-sessions/:id/close': async ({ app, a }) => {
    const session = await aSession(app, a);
    return {
      params: { id: session.id },
      body: { counts: [] },
      check: async () =>
        expect((await readAs(app, a, `/api/v1/cash-sessions/${session.id}`)).status).toBe('open'),
    };
  },
  'POST /api/v1/purchases/:id/returns': async ({ app, a }) => {
    const product = await aStockedProduct(app, a);
    const sale = await createAs(app, a, '/api/v1/purchases', {
      items: [{ product_id: product.id, quantity: 1 }],
      paid_amount: '11.50',
    });
    return {
      params: { id: sale.id },
      body: { items: [{ product_id: product.id, quantity: 1 }] },
      check: async () => expect((await readAs(app, a, `/api/v1/products/${product.id}`)).stock).toBe('4'),
    };
  },
  'GET /api/v1/purchases/:id': async ({ app, a }) => {
    const product = await aStockedProduct(app, a);
    const sale = await createAs(app, a, '/api/v1/purchases', {
      items: [{ product_id: product.id, quantity: 1 }],
      paid_amount: '11.50',
    });
    return { params: { id: sale.id } };
  },
  'DELETE /api/v1/products/:id': async ({ app, a }) => {
    const product = await aProduct(app, a);
    return {
      params: { id: product.id },
      check: async () =>
        expect((await readAs(app, a, `/api/v1/products/${product.id}`)).is_archived).toBe(false),
    };
  },
  'GET /api/v1/drafts/:id': async ({ app, a }) => ({ params: { id: (await aDraft(app, a)).id } }),
  'PUT /api/v1/drafts/:id': async ({ app, a }) => {
    const draft = await aDraft(app, a);
    return {
      params: { id: draft.id },
      body: { draft_data: { customer_name: 'overwritten' } },
      check: async () =>
        expect((await readAs(app, a, `/api/v1/drafts/${draft.id}`)).draft_data.customer_name).toBe('A'),
    };
  },
  'DELETE /api/v1/drafts/:id': async ({ app, a }) => {
    const draft = await aDraft(app, a);
    return {
      params: { id: draft.id },
      check: async () => expect((await readAs(app, a, `/api/v1/drafts/${draft.id}`)).id).toBe(draft.id),
    };
  },
  'GET /api/v1/invoices/:id': async ({ app, a }) => ({ params: { id: (await anInvoice(app, a)).id } }),
  // A's invoice: B reads no transmission of it and resubmits none (404 INVOICE_NOT_FOUND before any state check).
  // Not tenant data: a participant is the Peppol network's, looked up alike for every company. Here an SML on
  // 127.0.0.1 knows nobody, so B finds nothing, and A asking the same gets the same answer.
  'GET /api/v1/peppol/participants/:participant': async ({ app, a }) => {
    const sml = await startFakeSml();
    Object.assign(app.ctx.config, {
      PEPPOL_DNS_SERVER: sml.server,
      PEPPOL_SML_ZONE: 'sml.tenant-walls.test',
      PEPPOL_SMP_TRUST_PEM: createTestSmpCa().certificatePem,
    });
    clearParticipantCache(app.ctx);
    return {
      params: { participant: '0088:5790000435975' },
      check: async () => {
        const own = await as(
          app,
          a,
        )({ method: 'GET', url: '/api/v1/peppol/participants/0088:5790000435975' });
        expect(own.json().code).toBe('PARTICIPANT_NOT_FOUND');
        await sml.close();
      },
    };
  },
  'GET /api/v1/invoices/:id/transmission': async ({ app, a }) => ({
    params: { id: (await anInvoice(app, a)).id },
  }),
  'POST /api/v1/invoices/:id/transmission/resubmit': async ({ app, a }) => ({
    params: { id: (await anInvoice(app, a)).id },
  }),
  // A's invoice: B reads none of its history.
  'GET /api/v1/invoices/:id/timeline': async ({ app, a }) => ({
    params: { id: (await anInvoice(app, a)).id },
  }),
  // A's invoice: B gets no pay link of it, opens no checkout on it and lists none of its checkouts.
  'GET /api/v1/invoices/:id/pay-link': async ({ app, a }) => ({
    params: { id: (await anInvoice(app, a)).id },
  }),
  'GET /api/v1/invoices/:id/checkouts': async ({ app, a }) => ({
    params: { id: (await anInvoice(app, a)).id },
  }),
  'POST /api/v1/invoices/:id/checkouts': async ({ app, a }) => ({
    params: { id: (await anInvoice(app, a)).id },
    body: {},
  }),
  'POST /api/v1/invoices/:id/mark-sent': async ({ app, a }) => {
    const invoice = await anInvoice(app, a);
    return {
      params: { id: invoice.id },
      check: async () =>
        expect((await readAs(app, a, `/api/v1/invoices/${invoice.id}`)).stored_status).toBe('issued'),
    };
  },
  'POST /api/v1/invoices/:id/approve': async ({ app, a }) => {
    const invoice = await anInvoice(app, a);
    return {
      params: { id: invoice.id },
      check: async () =>
        expect((await readAs(app, a, `/api/v1/invoices/${invoice.id}`)).stored_status).toBe('issued'),
    };
  },
  'DELETE /api/v1/invoices/:id': async ({ app, a }) => {
    const invoice = await anInvoice(app, a);
    return {
      params: { id: invoice.id },
      check: async () => expect((await readAs(app, a, `/api/v1/invoices/${invoice.id}`)).id).toBe(invoice.id),
    };
  },
  ...draftInvoiceFixtures(),
  // ZATCA: A's invoice documents and EGS units (an onboarding unit that must stay where it was).
  'GET /api/v1/invoices/:id/xml': async ({ app, a }) => ({ params: { id: (await anInvoice(app, a)).id } }),
  'GET /api/v1/invoices/:id/pdf': async ({ app, a }) => ({ params: { id: (await anInvoice(app, a)).id } }),
  'GET /api/v1/invoices/:id/zatca': async ({ app, a }) => ({ params: { id: (await anInvoice(app, a)).id } }),
  'POST /api/v1/invoices/:id/zatca/resubmit': async ({ app, a }) => {
    const invoice = await anInvoice(app, a);
    return {
      params: { id: invoice.id },
      check: async () =>
        expect((await readAs(app, a, `/api/v1/invoices/${invoice.id}/zatca`)).attempts).toBe(0),
    };
  },
  'GET /api/v1/compliance/chain/runs/:id': async ({ app, a }) => {
    await anInvoice(app, a);
    const answer = await as(app, a)({ method: 'GET', url: '/api/v1/compliance/chain/verify' });
    return { params: { id: String(answer.headers['content-location']).split('/').at(-1) as string } };
  },
  'GET /api/v1/egs/:id': async ({ app, a }) => ({ params: { id: (await anEgs(app, a)).id } }),
  ...Object.fromEntries(
    ['compliance-csid', 'compliance-checks', 'production-csid'].map((step) => [
      `POST /api/v1/egs/:id/${step}`,
      async ({ app, a }: FixtureContext): Promise<Fixture> => {
        const egs = await anEgs(app, a);
        return {
          params: { id: egs.id },
          ...(step === 'compliance-csid' ? { body: { otp: '123456' } } : {}),
          check: async () => expect((await readAs(app, a, `/api/v1/egs/${egs.id}`)).status).toBe('new'),
        };
      },
    ]),
  ),
  'POST /api/v1/egs/:id/default': async ({ app, a }) => {
    const egs = (
      await as(
        app,
        a,
      )({ method: 'POST', url: '/api/v1/egs', payload: { environment: 'local', replaces_egs_id: null } })
    ).json();
    const defaultBefore = await readAs(app, a, '/api/v1/egs');
    return {
      params: { id: egs.id },
      check: async () => expect(await readAs(app, a, '/api/v1/egs')).toEqual(defaultBefore),
    };
  },
  // Payments: A's payments, allocations and invoice payment state must stay as they were.
  'GET /api/v1/payments/:id': async ({ app, a }) => ({ params: { id: (await aPayment(app, a)).id } }),
  'PATCH /api/v1/payments/:id': async ({ app, a }) => {
    const payment = await aPayment(app, a);
    return {
      params: { id: payment.id },
      body: { status: 'reversed' },
      check: async () =>
        expect((await readAs(app, a, `/api/v1/payments/${payment.id}`)).status).toBe('completed'),
    };
  },
  'POST /api/v1/payments/:id/allocations': async ({ app, a }) => {
    const [payment, invoice] = await Promise.all([aPayment(app, a), anInvoice(app, a)]);
    return {
      params: { id: payment.id },
      body: { allocations: [{ invoice_id: invoice.id, amount: '1' }] },
      check: async () =>
        expect((await readAs(app, a, `/api/v1/payments/${payment.id}`)).allocated_amount).toBe('0.00'),
    };
  },
  'DELETE /api/v1/payments/:id/allocations/:allocationId': async ({ app, a }) => {
    const invoice = await anInvoice(app, a);
    const payment = await aPayment(app, a, [{ invoice_id: invoice.id, amount: '1' }]);
    return {
      params: { id: payment.id, allocationId: payment.allocations[0].id },
      check: async () =>
        expect((await readAs(app, a, `/api/v1/payments/${payment.id}`)).allocated_amount).toBe('1.00'),
    };
  },
  // The invoice payment actions, also under /api/v1/zzp.
  ...Object.fromEntries(
    ['/api/v1', '/api/v1/zzp'].flatMap((base) =>
      Object.entries({
        ...Object.fromEntries(
          [
            ['mark-paid', {}],
            ['partial-payment', { amount: '1' }],
          ].map(([action, body]) => [
            `POST ${base}/invoices/:id/${action}`,
            async ({ app, a }: FixtureContext): Promise<Fixture> => {
              const invoice = await anInvoice(app, a);
              return {
                params: { id: invoice.id },
                body,
                check: async () =>
                  expect((await readAs(app, a, `/api/v1/invoices/${invoice.id}/payments`)).total_paid).toBe(
                    '0.00',
                  ),
              };
            },
          ]),
        ),
        [`POST ${base}/invoices/:id/mark-unpaid`]: async ({ app, a }) => {
          const invoice = await anInvoice(app, a);
          await aPayment(app, a, [{ invoice_id: invoice.id, amount: '1' }]);
          return {
            params: { id: invoice.id },
            check: async () =>
              expect((await readAs(app, a, `/api/v1/invoices/${invoice.id}/payments`)).total_paid).toBe(
                '1.00',
              ),
          };
        },
        [`GET ${base}/invoices/:id/payments`]: async ({ app, a }) => ({
          params: { id: (await anInvoice(app, a)).id },
        }),
      }),
    ),
  ),
  // Company documents (what the company registered with): A's stay listed, with their bytes.
  'GET /api/v1/companies/current/documents/:id': async ({ app, a }) => ({
    params: { id: (await aCompanyDocument(app, a)).id },
  }),
  'DELETE /api/v1/companies/current/documents/:id': async ({ app, a }) => {
    const document = await aCompanyDocument(app, a);
    return {
      params: { id: document.id },
      check: async () =>
        expect(
          (await readAs(app, a, '/api/v1/companies/current/documents')).documents.map(
            (d: { id: string }) => d.id,
          ),
        ).toContain(document.id),
    };
  },
  // Expenses, receipts, time entries: A's stay as they were.
  'GET /api/v1/expenses/:id': async ({ app, a }) => ({ params: { id: (await anExpense(app, a)).id } }),
  'PATCH /api/v1/expenses/:id': async ({ app, a }) => {
    const expense = await anExpense(app, a);
    return {
      params: { id: expense.id },
      body: { vendor: 'Renamed by B' },
      check: async () =>
        expect((await readAs(app, a, `/api/v1/expenses/${expense.id}`)).vendor).toBe('A vendor'),
    };
  },
  'DELETE /api/v1/expenses/:id': async ({ app, a }) => {
    const expense = await anExpense(app, a);
    return {
      params: { id: expense.id },
      check: async () => expect((await readAs(app, a, `/api/v1/expenses/${expense.id}`)).id).toBe(expense.id),
    };
  },
  'PUT /api/v1/expenses/:id/receipt': async ({ app, a }) => {
    const expense = await anExpense(app, a);
    return {
      params: { id: expense.id },
      query: { file_name: 'b.png' },
      check: async () => expect((await readAs(app, a, `/api/v1/expenses/${expense.id}`)).receipt).toBeNull(),
    };
  },
  'GET /api/v1/expenses/:id/receipt': async ({ app, a }) => {
    const expense = await anExpense(app, a);
    const stored = await as(
      app,
      a,
    )({
      method: 'PUT',
      url: `/api/v1/expenses/${expense.id}/receipt?file_name=a.pdf`,
      headers: { 'content-type': 'application/pdf' },
      payload: Buffer.from('%PDF-1.7 A receipt'),
    });
    expect(stored.statusCode).toBe(200);
    return { params: { id: expense.id } };
  },
  'GET /api/v1/time-entries/:id': async ({ app, a }) => ({ params: { id: (await aTimeEntry(app, a)).id } }),
  'PATCH /api/v1/time-entries/:id': async ({ app, a }) => {
    const entry = await aTimeEntry(app, a);
    return {
      params: { id: entry.id },
      body: { hours: '9' },
      check: async () => expect((await readAs(app, a, `/api/v1/time-entries/${entry.id}`)).hours).toBe('2'),
    };
  },
  'DELETE /api/v1/time-entries/:id': async ({ app, a }) => {
    const entry = await aTimeEntry(app, a);
    return {
      params: { id: entry.id },
      check: async () => expect((await readAs(app, a, `/api/v1/time-entries/${entry.id}`)).id).toBe(entry.id),
    };
  },
  // Accountants: A's assignment keeps its status; the staff of A's practice stay as they were.
  'PATCH /api/v1/companies/current/accountants/:assignmentId': async ({ app, a }) => {
    const assignment = (
      await as(
        app,
        a,
      )({
        method: 'POST',
        url: '/api/v1/companies/current/accountants',
        payload: { email: `accountant-${Date.now()}@example.com`, scopes: ['invoices'] },
      })
    ).json();
    return {
      params: { assignmentId: assignment.id },
      body: { status: 'revoked' },
      check: async () => {
        const listed = (await readAs(app, a, '/api/v1/companies/current/accountants')).accountants;
        expect(listed.find((x: { id: string }) => x.id === assignment.id)?.status).toBe('pending');
      },
    };
  },
  'PUT /api/v1/practice/clients/:client_id/staff': async ({ app, a }) => {
    // A is a practice: a client invites A's owner, who accepts for A and assigns a member.
    const client = await registerUser(app);
    await verifyEmail(app, a.email);
    const staff = await addMember(app, a, 'viewer');
    const assignment = (
      await as(
        app,
        client,
      )({
        method: 'POST',
        url: '/api/v1/companies/current/accountants',
        payload: { email: a.email, scopes: ['invoices'] },
      })
    ).json();
    await app.inject({
      method: 'POST',
      url: `/api/v1/accountant/invitations/${assignment.id}/accept`,
      headers: { authorization: `Bearer ${a.accessToken}` },
      payload: { practice_company_id: a.companyId },
    });
    const staffed = await as(
      app,
      a,
    )({
      method: 'PUT',
      url: `/api/v1/practice/clients/${client.companyId}/staff`,
      payload: { user_ids: [staff.userId] },
    });
    expect(staffed.statusCode).toBe(200);
    return {
      params: { client_id: client.companyId },
      body: { user_ids: [] },
      check: async () => {
        const clients = (
          await app.inject({
            method: 'GET',
            url: '/api/v1/accountant/clients',
            headers: { authorization: `Bearer ${a.accessToken}` },
          })
        ).json().clients;
        expect(
          clients.find((c: { client_id: string }) => c.client_id === client.companyId)?.staff_user_ids,
        ).toEqual([staff.userId]);
      },
    };
  },
  'POST /api/v1/invoices/:id/send': async ({ app, a }) => {
    const invoice = await anInvoice(app, a);
    return {
      params: { id: invoice.id },
      body: { to: 'b@example.com' },
      check: async () =>
        expect((await readAs(app, a, `/api/v1/invoices/${invoice.id}`)).stored_status).toBe('issued'),
    };
  },
};

async function createAs(app: FastifyInstance, a: Session, url: string, payload: object) {
  const response = await as(app, a)({ method: 'POST', url, payload });
  if (response.statusCode !== 201) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  return response.json();
}

async function readAs(app: FastifyInstance, a: Session, url: string) {
  const response = await as(app, a)({ method: 'GET', url });
  expect(response.statusCode).toBe(200);
  return response.json();
}

const aCustomer = (app: FastifyInstance, a: Session) =>
  createAs(app, a, '/api/v1/customers', {
    name_en: 'A customer',
    address: { country: 'SA', city: 'Riyadh' },
  });
const aProduct = (app: FastifyInstance, a: Session) =>
  createAs(app, a, '/api/v1/products', { name_en: 'A product', unit_price: '10' });
const aStockedProduct = (app: FastifyInstance, a: Session) =>
  createAs(app, a, '/api/v1/products', { name: 'A stocked product', price: '10', stock: 5 });
let tills = 0;
const aTill = (app: FastifyInstance, a: Session) =>
  createAs(app, a, '/api/v1/tills', { name: `A till ${++tills}` });
const aSession = async (app: FastifyInstance, a: Session) =>
  createAs(app, a, `/api/v1/tills/${(await aTill(app, a)).id}/sessions`, {
    counts: [{ value: 5, count: 2 }],
  });
const aSale = async (app: FastifyInstance, a: Session) => {
  const product = await aStockedProduct(app, a);
  const sale = await createAs(app, a, '/api/v1/purchases', {
    items: [{ product_id: product.id, quantity: 1 }],
    paid_amount: '11.50',
  });
  return { sale, product };
};

/** A's vendor keeps its name and stays unarchived, whatever B sends. */
function vendorFixtures(): Record<string, (ctx: FixtureContext) => Promise<Fixture>> {
  const base = '/api/v1/vendors';
  const fixture =
    (body?: unknown) =>
    async ({ app, a }: FixtureContext): Promise<Fixture> => {
      const vendor = await createAs(app, a, base, { ...SA_BUYER, name_en: 'A supplier' });
      return {
        params: { id: vendor.id },
        ...(body === undefined ? {} : { body }),
        check: async () =>
          expect(await readAs(app, a, `${base}/${vendor.id}`)).toMatchObject({
            name_en: 'A supplier',
            is_archived: false,
          }),
      };
    };
  return {
    [`GET ${base}/:id`]: fixture(),
    [`PATCH ${base}/:id`]: fixture({ name_en: 'Taken over' }),
    [`POST ${base}/:id/archive`]: fixture({}),
    [`POST ${base}/:id/restore`]: fixture({}),
    [`DELETE ${base}/:id`]: fixture(),
  };
}

/** A sent order of A's (one line of 10) and a receipt of 4 against it. */
const aPurchaseOrder = async (app: FastifyInstance, a: Session) => {
  const vendor = await createAs(app, a, '/api/v1/vendors', {
    ...SA_BUYER,
    name_en: 'A supplier',
    email: 'po@example.com',
  });
  const order = await createAs(app, a, '/api/v1/purchase-orders', {
    vendor_id: vendor.id,
    lines: [{ description: 'x', quantity: '10', unit_price: '1' }],
  });
  return order;
};

/** A's order stays a draft with nothing received, and its receipts stay as they were, whatever B sends. */
function purchaseOrderFixtures(): Record<string, (ctx: FixtureContext) => Promise<Fixture>> {
  const base = '/api/v1/purchase-orders';
  const fixture =
    (body?: unknown) =>
    async ({ app, a }: FixtureContext): Promise<Fixture> => {
      const order = await aPurchaseOrder(app, a);
      return {
        params: { id: order.id },
        ...(body === undefined ? {} : { body: typeof body === 'function' ? body(order) : body }),
        check: async () =>
          expect(await readAs(app, a, `${base}/${order.id}`)).toMatchObject({
            status: 'draft',
            total_amount: order.total_amount,
            lines: [{ received_quantity: '0' }],
          }),
      };
    };
  return {
    [`GET ${base}/:id`]: fixture(),
    [`PATCH ${base}/:id`]: fixture({ notes: 'Taken over' }),
    [`POST ${base}/:id/send`]: fixture({}),
    [`POST ${base}/:id/cancel`]: fixture(),
    [`POST ${base}/:id/close`]: fixture(),
    [`GET ${base}/:id/pdf`]: fixture(),
    [`GET ${base}/:id/receipts`]: fixture(),
    [`POST ${base}/:id/receipts`]: fixture((order: { lines: { id: string }[] }) => ({
      lines: [{ purchase_order_line_id: order.lines[0]?.id, quantity: '1' }],
    })),
    'GET /api/v1/goods-receipts/:id': async ({ app, a }) => {
      const order = await aPurchaseOrder(app, a);
      await as(app, a)({ method: 'POST', url: `${base}/${order.id}/send`, payload: {} });
      const receipt = await createAs(app, a, `${base}/${order.id}/receipts`, {
        lines: [{ purchase_order_line_id: order.lines[0].id, quantity: '4' }],
      });
      return {
        params: { id: receipt.id },
        check: async () =>
          expect(await readAs(app, a, `/api/v1/goods-receipts/${receipt.id}`)).toMatchObject({
            number: receipt.number,
            lines: [{ quantity: '4' }],
          }),
      };
    },
  };
}

/** A's supplier invoice (typed in, no order) stays received, unapproved and undisputed, whatever B sends. */
function supplierInvoiceFixtures(base: string): Record<string, (ctx: FixtureContext) => Promise<Fixture>> {
  const fixture =
    (body?: unknown) =>
    async ({ app, a }: FixtureContext): Promise<Fixture> => {
      const vendor = await createAs(app, a, '/api/v1/vendors', { ...SA_BUYER, name_en: 'A supplier' });
      const invoice = await createAs(app, a, '/api/v1/supplier-invoices', {
        vendor_id: vendor.id,
        number: `A-${randomUUID()}`,
        issue_date: '2026-11-01',
        lines: [{ description: 'x', quantity: '1', unit_price: '10' }],
      });
      return {
        params: { id: invoice.id },
        ...(body === undefined ? {} : { body }),
        check: async () =>
          expect(await readAs(app, a, `/api/v1/supplier-invoices/${invoice.id}`)).toMatchObject({
            status: 'received',
            override_reason: null,
            dispute_reason: null,
            total_amount: '10.00',
          }),
      };
    };
  return {
    ...(base.endsWith('supplier-invoices')
      ? {
          'GET /api/v1/supplier-payments/:id': async ({ app, a }: FixtureContext): Promise<Fixture> => {
            const vendor = await createAs(app, a, '/api/v1/vendors', { ...SA_BUYER, name_en: 'A payee' });
            const bill = await createAs(app, a, '/api/v1/supplier-invoices', {
              vendor_id: vendor.id,
              number: `A-${randomUUID()}`,
              issue_date: '2026-11-01',
              lines: [{ description: 'x', quantity: '1', unit_price: '10' }],
            });
            await as(
              app,
              a,
            )({
              method: 'POST',
              url: `/api/v1/supplier-invoices/${bill.id}/approve`,
              payload: { override_reason: 'No order' },
            });
            const payment = await createAs(app, a, '/api/v1/supplier-payments', {
              amount: '5',
              payment_date: '2026-11-02',
              method: 'bank_transfer',
              allocations: [{ supplier_invoice_id: bill.id, amount: '5' }],
            });
            return { params: { id: payment.id } };
          },
        }
      : {}),
    [`GET ${base}/:id`]: fixture(),
    [`GET ${base}/:id/original`]: fixture(),
    [`GET ${base}/:id/match`]: fixture(),
    [`POST ${base}/:id/match`]: fixture(),
    [`POST ${base}/:id/approve`]: fixture({ override_reason: 'Taken over' }),
    [`POST ${base}/:id/dispute`]: fixture({ reason: 'Taken over' }),
  };
}

/** A's report run: B sees neither its status nor its file, and the run is as A left it. */
function reportRunFixtures(): Record<string, (ctx: FixtureContext) => Promise<Fixture>> {
  const aRun = async ({ app, a }: FixtureContext): Promise<Fixture> => {
    // A run is queued with its job: the queue is started, as every server process starts it.
    await app.ctx.jobs.start();
    const started = await as(
      app,
      a,
    )({
      method: 'POST',
      url: '/api/v1/reports/runs',
      payload: { kind: 'receivables-aging', format: 'csv' },
    });
    expect(started.statusCode, started.body).toBe(202);
    const run = started.json() as { id: string };
    return {
      params: { id: run.id },
      check: async () =>
        expect(await readAs(app, a, `/api/v1/reports/runs/${run.id}`)).toMatchObject({
          id: run.id,
          status: 'queued',
        }),
    };
  };
  return {
    'GET /api/v1/reports/runs/:id': aRun,
    'GET /api/v1/reports/runs/:id/file': aRun,
  };
}

/** A's bank account gets no line from B, and A's line stays unmatched and not ignored. */
function bankingFixtures(): Record<string, (ctx: FixtureContext) => Promise<Fixture>> {
  const statement =
    ':20:A\n:25:A-ACCOUNT\n:60F:C261130SAR0,00\n:61:261201C10,00NTRFNONREF\n:62F:C261201SAR10,00\n';
  const aLine = async (app: FastifyInstance, a: Session) => {
    const account = await createAs(app, a, '/api/v1/bank-accounts', {
      name: `A bank ${++tills}`,
      currency: 'SAR',
    });
    await createAs(app, a, `/api/v1/bank-accounts/${account.id}/statements`, {
      format: 'mt940',
      content: statement,
    });
    const lines = await readAs(app, a, `/api/v1/bank-transactions?bank_account_id=${account.id}`);
    return { account, line: lines[0] as { id: string } };
  };
  const lineUntouched = (app: FastifyInstance, a: Session, accountId: string) => async () =>
    expect(
      (await readAs(app, a, `/api/v1/bank-transactions?bank_account_id=${accountId}`)).map(
        (l: { status: string; matched_amount: string }) => [l.status, l.matched_amount],
      ),
    ).toEqual([['unmatched', '0.00']]);
  const onLine =
    (body?: unknown) =>
    async ({ app, a }: FixtureContext): Promise<Fixture> => {
      const { account, line } = await aLine(app, a);
      return {
        params: { id: line.id },
        ...(body === undefined ? {} : { body }),
        check: lineUntouched(app, a, account.id),
      };
    };
  return {
    'POST /api/v1/bank-accounts/:id/statements': async ({ app, a }) => {
      const { account } = await aLine(app, a);
      return {
        params: { id: account.id },
        body: {
          format: 'mt940',
          content: statement.replace('10,00NTRF', '10,00NTRFX').replace(':20:A', ':20:B'),
        },
        check: lineUntouched(app, a, account.id),
      };
    },
    'POST /api/v1/bank-transactions/:id/match': async (ctx) => {
      const invoice = await anInvoice(ctx.app, ctx.a);
      return onLine({ allocations: [{ invoice_id: invoice.id, amount: '1.00' }] })(ctx);
    },
    'POST /api/v1/bank-transactions/:id/ignore': onLine(),
    'POST /api/v1/bank-transactions/:id/restore': onLine(),
  };
}

const aDraft = (app: FastifyInstance, a: Session) =>
  createAs(app, a, '/api/v1/drafts', { draft_data: { customer_name: 'A' }, is_auto_saved: false, name: 'A' });
const anInvoice = (app: FastifyInstance, a: Session) =>
  createAs(app, a, '/api/v1/invoices/generate', {
    customer_name: 'A buyer',
    line_items: [{ description: 'x', quantity: 1, unit_price: 10 }],
  });

const aDraftInvoice = (app: FastifyInstance, a: Session) =>
  createAs(app, a, '/api/v1/invoices', {
    customer_name: 'A buyer',
    line_items: [{ description: 'x', quantity: 1, unit_price: 10 }],
  });

/** A's draft invoice stays a draft, with its own buyer, whatever B sends. */
function draftInvoiceFixtures(): Record<string, (ctx: FixtureContext) => Promise<Fixture>> {
  const unchanged = async (app: FastifyInstance, a: Session, id: string) =>
    expect(await readAs(app, a, `/api/v1/invoices/${id}`)).toMatchObject({
      stored_status: 'draft',
      customer_name: 'A buyer',
    });
  const editing = async ({ app, a }: FixtureContext) => {
    const draft = await aDraftInvoice(app, a);
    return {
      params: { id: draft.id },
      body: { customer_name: 'Renamed by B' },
      check: () => unchanged(app, a, draft.id),
    };
  };
  return {
    'PUT /api/v1/invoices/:id': editing,
    'PATCH /api/v1/invoices/:id': editing,
    'POST /api/v1/invoices/:id/issue': async ({ app, a }) => {
      const draft = await aDraftInvoice(app, a);
      return { params: { id: draft.id }, check: () => unchanged(app, a, draft.id) };
    },
    'POST /api/v1/invoices/:id/finalize': async ({ app, a }) => {
      const draft = await aDraftInvoice(app, a);
      return { params: { id: draft.id }, check: () => unchanged(app, a, draft.id) };
    },
  };
}

const anExpense = (app: FastifyInstance, a: Session) =>
  createAs(app, a, '/api/v1/expenses', {
    expense_date: '2026-02-10',
    vendor: 'A vendor',
    category: 'office',
    amount: '115.00',
    vat_rate: '15',
  });
const aTimeEntry = async (app: FastifyInstance, a: Session) =>
  createAs(app, a, '/api/v1/time-entries', {
    customer_id: (await aCustomer(app, a)).id,
    entry_date: '2026-02-10',
    hours: '2',
    hourly_rate: '100',
  });

/** A walk-in payment (no customer), as anInvoice's invoices are walk-in sales. */
const aPayment = (app: FastifyInstance, a: Session, allocations?: object[]) =>
  createAs(app, a, '/api/v1/payments', { amount: '5', ...(allocations ? { allocations } : {}) });

const anEgs = (app: FastifyInstance, a: Session) =>
  createAs(app, a, '/api/v1/egs', { environment: 'simulation' });

const aSchedule = async (app: FastifyInstance, a: Session) =>
  createAs(app, a, '/api/v1/recurring-invoices', {
    customer_id: (await aCustomer(app, a)).id,
    frequency: 'monthly',
    start_date: '2030-01-01',
    template: { line_items: [{ description: 'x', quantity: 1, unit_price: 10 }] },
  });

/** A's recurring invoice stays active, monthly, with its own template and no period made, whatever B sends. */
function recurringFixtures(): Record<string, (ctx: FixtureContext) => Promise<Fixture>> {
  const base = '/api/v1/recurring-invoices';
  const fixture =
    (body?: unknown) =>
    async ({ app, a }: FixtureContext): Promise<Fixture> => {
      const schedule = await aSchedule(app, a);
      return {
        params: { id: schedule.id },
        ...(body === undefined ? {} : { body }),
        check: async () => {
          expect(await readAs(app, a, `${base}/${schedule.id}`)).toMatchObject({
            status: 'active',
            mode: 'draft',
            template: schedule.template,
          });
          expect((await readAs(app, a, `${base}/${schedule.id}/runs`)).runs).toEqual([]);
        },
      };
    };
  return {
    [`GET ${base}/:id`]: fixture(),
    [`GET ${base}/:id/runs`]: fixture(),
    [`PATCH ${base}/:id`]: fixture({ mode: 'issue', template: { line_items: [] } }),
    [`DELETE ${base}/:id`]: fixture(),
    [`POST ${base}/:id/pause`]: fixture({}),
    [`POST ${base}/:id/resume`]: fixture({ catch_up: true }),
  };
}

const aQuote = async (app: FastifyInstance, a: Session) =>
  createAs(app, a, '/api/v1/quotes', {
    customer_id: (await aCustomer(app, a)).id,
    line_items: [{ description: 'x', quantity: 1, unit_price: '10' }],
  });

/** A's quotation stays a draft with its own lines and no invoice, whatever B sends. */
function quoteFixtures(): Record<string, (ctx: FixtureContext) => Promise<Fixture>> {
  const base = '/api/v1/quotes';
  const fixture =
    (body?: unknown) =>
    async ({ app, a }: FixtureContext): Promise<Fixture> => {
      const quote = await aQuote(app, a);
      return {
        params: { id: quote.id },
        ...(body === undefined ? {} : { body }),
        check: async () => {
          expect(await readAs(app, a, `${base}/${quote.id}`)).toMatchObject({
            status: 'draft',
            total_amount: quote.total_amount,
            invoice_id: null,
            sent_at: null,
          });
        },
      };
    };
  return {
    [`GET ${base}/:id`]: fixture(),
    [`GET ${base}/:id/pdf`]: fixture(),
    [`PATCH ${base}/:id`]: fixture({ line_items: [] }),
    [`DELETE ${base}/:id`]: fixture(),
    [`POST ${base}/:id/send`]: fixture({}),
    [`POST ${base}/:id/convert`]: fixture(),
  };
}

/** A public address literal: the endpoint is accepted without a DNS lookup, and no delivery is made here. */
const aWebhook = (app: FastifyInstance, a: Session) =>
  createAs(app, a, '/api/v1/webhooks', { url: 'https://93.184.215.14/hooks', events: ['invoice.issued'] });

/** A's endpoint keeps its URL, events and secret; its delivery stays one, unreplayed, whatever B sends. */
function webhookFixtures(): Record<string, (ctx: FixtureContext) => Promise<Fixture>> {
  const base = '/api/v1/webhooks';
  const unchanged = async (app: FastifyInstance, a: Session, endpoint: { id: string; url: string }) => {
    expect(await readAs(app, a, `${base}/${endpoint.id}`)).toMatchObject({
      url: endpoint.url,
      events: ['invoice.issued'],
      is_enabled: true,
    });
    expect((await readAs(app, a, `${base}/${endpoint.id}/deliveries`)).deliveries.length).toBeLessThanOrEqual(
      1,
    );
  };
  const onEndpoint =
    (body?: unknown) =>
    async ({ app, a }: FixtureContext): Promise<Fixture> => {
      const endpoint = await aWebhook(app, a);
      return {
        params: { id: endpoint.id },
        ...(body === undefined ? {} : { body }),
        check: () => unchanged(app, a, endpoint),
      };
    };
  const onDelivery = async ({ app, a }: FixtureContext): Promise<Fixture> => {
    const endpoint = await aWebhook(app, a);
    await anInvoice(app, a);
    const [delivery] = (await readAs(app, a, `${base}/${endpoint.id}/deliveries`)).deliveries;
    return { params: { id: delivery.id }, check: () => unchanged(app, a, endpoint) };
  };
  return {
    [`GET ${base}/:id`]: onEndpoint(),
    [`PATCH ${base}/:id`]: onEndpoint({
      url: 'https://93.184.215.15/b',
      events: ['invoice.paid'],
      is_enabled: false,
    }),
    [`DELETE ${base}/:id`]: onEndpoint(),
    [`POST ${base}/:id/rotate-secret`]: onEndpoint(),
    [`GET ${base}/:id/deliveries`]: onEndpoint(),
    [`GET ${base}/deliveries/:id`]: onDelivery,
    [`POST ${base}/deliveries/:id/replay`]: onDelivery,
  };
}

/** A's import stays uploaded with its mapping, its dry run never run, whatever B sends. */
function importFixtures(): Record<string, (ctx: FixtureContext) => Promise<Fixture>> {
  const base = '/api/v1/imports';
  const fixture =
    (body?: unknown) =>
    async ({ app, a }: FixtureContext): Promise<Fixture> => {
      const created = (
        await as(
          app,
          a,
        )({
          method: 'POST',
          url: `${base}?type=customers&file_name=a.csv`,
          payload: 'name\nA customer\n',
          headers: { 'content-type': 'text/csv' },
        })
      ).json();
      return {
        params: { id: created.id },
        ...(body === undefined ? {} : { body }),
        check: async () =>
          expect(await readAs(app, a, `${base}/${created.id}`)).toMatchObject({
            status: 'uploaded',
            mapping: { name_en: 'name' },
          }),
      };
    };
  return {
    [`GET ${base}/:id`]: fixture(),
    [`PUT ${base}/:id/mapping`]: fixture({ mapping: { name_en: 'name' } }),
    [`POST ${base}/:id/dry-run`]: fixture(),
    [`GET ${base}/:id/errors`]: fixture(),
    [`GET ${base}/:id/errors.csv`]: fixture(),
    [`POST ${base}/:id/run`]: fixture(),
  };
}

/** A viewer of A; B's change of role or deactivation must leave them a viewer, active. */
async function usersFixture(app: FastifyInstance, a: Session, body?: object): Promise<Fixture> {
  const member = await addMember(app, a, 'viewer');
  return {
    params: { id: member.userId },
    body,
    check: async () =>
      expect(await readAs(app, a, `/api/v1/users/${member.userId}/`)).toMatchObject({
        role: 'viewer',
        is_active: true,
      }),
  };
}

function customerFixtures(base: string): Record<string, (ctx: FixtureContext) => Promise<Fixture>> {
  return {
    [`GET ${base}/:id`]: async ({ app, a }) => ({ params: { id: (await aCustomer(app, a)).id } }),
    [`PATCH ${base}/:id`]: async ({ app, a }) => {
      const customer = await aCustomer(app, a);
      return {
        params: { id: customer.id },
        body: { name_en: 'Renamed by B' },
        check: async () =>
          expect((await readAs(app, a, `${base}/${customer.id}`)).name_en).toBe('A customer'),
      };
    },
    [`DELETE ${base}/:id`]: async ({ app, a }) => {
      const customer = await aCustomer(app, a);
      return {
        params: { id: customer.id },
        check: async () => expect((await readAs(app, a, `${base}/${customer.id}`)).is_archived).toBe(false),
      };
    },
  };
}

const fillParams = (url: string, params: Record<string, string>) =>
  url.replaceAll(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (!value) throw new Error(`fixture for ${url} lacks param ${name}`);
    return value;
  });

let t: TestApp;
let a: Session;
let b: Session;
beforeAll(async () => {
  t = await createTestApp();
  a = await registerUser(t.app);
  b = await registerUser(t.app, AE_COMPANY);
});
afterAll(() => t.close());

async function aCompanyDocument(app: FastifyInstance, a: Session) {
  const stored = await as(
    app,
    a,
  )({
    method: 'POST',
    url: '/api/v1/companies/current/documents?kind=trade_licence&file_name=licence.pdf',
    headers: { 'content-type': 'application/pdf' },
    payload: Buffer.from('%PDF-1.7 A trade licence'),
  });
  expect(stored.statusCode, stored.body).toBe(201);
  return stored.json() as { id: string };
}

describe('tenant isolation', () => {
  it('answers 404 on every company route when a member of B names company A', async () => {
    const companyRoutes = t.app.guardedRoutes.filter((route) => route.permission);
    expect(companyRoutes.length).toBeGreaterThan(3);
    for (const route of companyRoutes) {
      const url = route.url.replaceAll(/:(\w+)/g, '00000000-0000-4000-8000-000000000000');
      const response = await as(t.app, { accessToken: b.accessToken, companyId: a.companyId })({
        method: route.method as 'GET',
        url,
      });
      expect({
        route: `${route.method} ${route.url}`,
        status: response.statusCode,
        code: response.json().code,
      }).toEqual({
        route: `${route.method} ${route.url}`,
        status: 404,
        code: 'COMPANY_NOT_FOUND',
      });
    }
  });

  it('has a fixture for every company route with a path parameter', () => {
    const missing = t.app.guardedRoutes
      .filter((route) => route.permission && route.url.includes(':'))
      .map((route) => `${route.method} ${route.url}`)
      .filter((key) => !FIXTURES[key]);
    expect(missing, 'add fixtures to apps/api/test/tenant-isolation.test.ts').toEqual([]);
  });

  it("answers 404 when a member of B, in B's own company, uses the ids of A's resources", async () => {
    for (const route of t.app.guardedRoutes.filter((r) => r.permission && r.url.includes(':'))) {
      const key = `${route.method} ${route.url}`;
      const fixture = await FIXTURES[key]?.({ app: t.app, a });
      if (!fixture) continue;
      const response = await as(
        t.app,
        b,
      )({
        method: route.method as 'GET',
        url: fillParams(route.url, fixture.params),
        query: fixture.query,
        ...(fixture.body === undefined ? {} : { payload: fixture.body as object }),
      });
      expect({ key, status: response.statusCode }).toEqual({ key, status: 404 });
      expect(response.body).not.toContain(a.companyId);
      await fixture.check?.();
    }
    // Every guarded route with an id, each with its own fixture: a few hundred requests, not a time limit's matter.
  }, 300_000);

  it("runs every portal route with another customer's and another company's ids, and finds nothing", async () => {
    const callA = as(t.app, a);
    const customer = async (call: typeof callA, name: string) => {
      const created = await call({
        method: 'POST',
        url: '/api/v1/customers',
        payload: { name_en: name, address: { country: 'SA', city: 'Riyadh' } },
      });
      expect(created.statusCode, created.body).toBe(201);
      return created.json().id as string;
    };
    const invoiceOf = async (call: typeof callA, customerId: string | undefined, payload: object) => {
      const issued = await call({
        method: 'POST',
        url: '/api/v1/invoices/generate',
        payload: {
          ...(customerId ? { customer_id: customerId } : {}),
          line_items: [{ description: 'Portal wall', quantity: 1, unit_price: '10' }],
          ...payload,
        },
      });
      expect(issued.statusCode, issued.body).toBe(201);
      return issued.json().id as string;
    };
    const own = await customer(callA, 'Portal customer');
    const other = await customer(callA, 'Portal other customer');
    const clientSession = await addClient(t.app, a, own);
    const client = as(t.app, clientSession);
    const clientInB = as(t.app, { ...clientSession, companyId: b.companyId });
    const ownInvoice = await invoiceOf(callA, own, {});
    const foreign = {
      'another customer of A': await invoiceOf(callA, other, {}),
      'company B': await invoiceOf(as(t.app, b), undefined, {
        customer_name: 'Emirates Buyer LLC',
        customer_vat_number: '100987654300003',
        customer_address: { street: 'Corniche Road 4', city: 'Abu Dhabi', country: 'AE', emirate: 'AUH' },
        due_date: '2099-12-31',
        line_items: [{ description: 'B item', quantity: 1, unit_price: '10', vat_rate: 5 }],
      }),
    };
    const portal = t.app.guardedRoutes.filter((route) => route.auth === 'client');
    expect(portal.length).toBeGreaterThan(5);
    for (const route of portal) {
      expect(route.method, `${route.url}: a portal route that writes needs its wall here`).toBe('GET');
      expect(
        route.url.replaceAll(':id', ''),
        `${route.url}: a parameter the portal wall does not know`,
      ).not.toContain(':');
      if (route.url.includes(':id')) {
        const mine = await client({ method: 'GET', url: route.url.replace(':id', ownInvoice) });
        if (!route.url.endsWith('/xml'))
          expect({ url: route.url, status: mine.statusCode }).toEqual({ url: route.url, status: 200 });
        for (const [whose, id] of Object.entries(foreign)) {
          const reply = await client({ method: 'GET', url: route.url.replace(':id', id) });
          expect({ url: route.url, whose, status: reply.statusCode, code: reply.json().code }).toEqual({
            url: route.url,
            whose,
            status: 404,
            code: 'INVOICE_NOT_FOUND',
          });
        }
      } else {
        const reply = await client({ method: 'GET', url: route.url });
        expect(reply.statusCode, route.url).toBe(200);
        for (const id of Object.values(foreign)) expect(reply.body, route.url).not.toContain(id);
        expect(reply.body).not.toContain('Portal other customer');
      }
      // The client naming company B: not a member there.
      const inB = await clientInB({ method: 'GET', url: route.url.replace(':id', foreign['company B']) });
      expect({ url: route.url, status: inB.statusCode }).toEqual({ url: route.url, status: 404 });
    }
  });

  it('never lists the other company among mine', async () => {
    const companies = (await as(t.app, b)({ method: 'GET', url: '/api/v1/companies' })).json().companies;
    expect(companies.map((c: { id: string }) => c.id)).toEqual([b.companyId]);
    const me = (await as(t.app, b)({ method: 'GET', url: '/api/v1/me' })).json();
    expect(JSON.stringify(me)).not.toContain(a.companyId);
  });
});
