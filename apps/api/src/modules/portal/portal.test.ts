// The customer portal through HTTP: a client of a company reads exactly its own customer's issued documents,
// their PDF and XML, its statement and payments; staff get no portal view and a client no company route; the
// invoice mail's portal link signs its recipient in once, or opens that one invoice read-only.
import { schema } from '@invoiceflow/db';
import { eq, sql } from '@invoiceflow/db/orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addClient,
  addMember,
  as,
  type Call,
  createTestApp,
  registerUser,
  type Session,
  type TestApp,
} from '../../../test/support/app';
import { createCustomer, issueInvoice } from '../../../test/support/receivables';

let t: TestApp;
let owner: Session;
let call: Call;
let mine: { id: string; email: string };
let theirs: { id: string; email: string };
let client: Session;
let asClient: Call;
beforeAll(async () => {
  t = await createTestApp();
  owner = await registerUser(t.app);
  call = as(t.app, owner);
  mine = await createCustomer(call);
  theirs = await createCustomer(call);
  client = await addClient(t.app, owner, mine.id, mine.email);
  asClient = as(t.app, client);
});
afterAll(() => t.close());

const get = (c: Call, url: string) => c({ method: 'GET', url });

/** The portal link of the newest invoice mail to this address. */
async function mailedPortalToken(to: string): Promise<string> {
  const [mail] = await t.app.ctx.db
    .select({ text: schema.mailOutbox.textBody })
    .from(schema.mailOutbox)
    .where(sql`${schema.mailOutbox.toAddress} = ${to} AND ${schema.mailOutbox.kind} = 'invoice'`)
    .orderBy(sql`${schema.mailOutbox.createdAt} DESC`)
    .limit(1);
  const token = /\/portal\/link\?token=(\S+)/.exec(mail?.text ?? '')?.[1];
  if (!token) throw new Error(`no portal link in the invoice mail to ${to}`);
  return decodeURIComponent(token);
}

const follow = (token: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/portal/link', payload: { token } });

describe("a client's portal", () => {
  it("lists only its customer's issued documents, with status and amounts, newest first", async () => {
    const invoice = await issueInvoice(call, { customerId: mine.id, net: '1000', invoiceDate: '2026-03-01' });
    const note = await issueInvoice(call, {
      customerId: mine.id,
      type: 'credit_note',
      originalInvoiceId: invoice.id,
      reason: 'Returned goods',
      net: '100',
      invoiceDate: '2026-03-02',
    });
    const other = await issueInvoice(call, { customerId: theirs.id, net: '777' });
    const draft = await call({
      method: 'POST',
      url: '/api/v1/invoices',
      payload: { customer_id: mine.id, line_items: [{ description: 'x', quantity: 1, unit_price: '5' }] },
    });
    expect(draft.statusCode, draft.body).toBeLessThan(300);

    const list = await get(asClient, '/api/v1/portal/invoices?page_size=100');
    expect(list.statusCode, list.body).toBe(200);
    const ids = list.json().invoices.map((row: { id: string }) => row.id);
    expect(ids).toContain(invoice.id);
    expect(ids).toContain(note.id);
    expect(ids).not.toContain(other.id);
    expect(ids).not.toContain(draft.json().id);
    expect(list.body).not.toContain('777');
    const row = list.json().invoices.find((r: { id: string }) => r.id === invoice.id);
    expect(row).toMatchObject({
      number: invoice.invoice_number,
      type: 'invoice',
      total_amount: '1150.00',
      credited_amount: '115.00',
      amount_due: '1035.00',
    });
    const notes = await get(asClient, '/api/v1/portal/invoices?type=credit_note');
    expect(notes.json().invoices.map((r: { id: string }) => r.id)).toEqual([note.id]);

    const detail = await get(asClient, `/api/v1/portal/invoices/${invoice.id}`);
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json()).toMatchObject({
      number: invoice.invoice_number,
      lines: [expect.objectContaining({ description: 'Consulting', net_amount: '1000.00' })],
      // The seller takes no payments online: no Pay now.
      pay_link: null,
    });
    for (const id of [other.id, draft.json().id]) {
      for (const suffix of ['', '/pdf', '/xml']) {
        const refused = await get(asClient, `/api/v1/portal/invoices/${id}${suffix}`);
        expect({ suffix, status: refused.statusCode, code: refused.json().code }).toEqual({
          suffix,
          status: 404,
          code: 'INVOICE_NOT_FOUND',
        });
      }
    }
  });

  it("downloads the PDF the seller has, and the XML the seller's e-invoice is", async () => {
    const invoice = await issueInvoice(call, { customerId: mine.id, net: '250' });
    const pdf = await get(asClient, `/api/v1/portal/invoices/${invoice.id}/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.rawPayload.equals((await get(call, `/api/v1/invoices/${invoice.id}/pdf`)).rawPayload)).toBe(
      true,
    );
    const xml = await get(asClient, `/api/v1/portal/invoices/${invoice.id}/xml`);
    const staffXml = await get(call, `/api/v1/invoices/${invoice.id}/xml`);
    if (staffXml.statusCode === 200) {
      expect(xml.statusCode).toBe(200);
      expect(xml.body).toBe(staffXml.body);
    } else expect(xml.json().code).toBe('INVOICE_XML_NOT_FOUND');
  });

  it('gives the statement with a running balance, and only its own payments', async () => {
    const fresh = await createCustomer(call);
    const person = as(t.app, await addClient(t.app, owner, fresh.id));
    const invoice = await issueInvoice(call, {
      customerId: fresh.id,
      net: '1000',
      invoiceDate: '2026-04-01',
    });
    const paid = await call({
      method: 'POST',
      url: '/api/v1/payments',
      payload: {
        customer_id: fresh.id,
        amount: '400.00',
        payment_date: '2026-04-05',
        payment_method: 'bank_transfer',
        reference: 'TRX-PORTAL',
        allocations: [{ invoice_id: invoice.id, amount: '400.00' }],
      },
    });
    expect(paid.statusCode, paid.body).toBe(201);
    const foreignPayment = await call({
      method: 'POST',
      url: '/api/v1/payments',
      payload: {
        customer_id: theirs.id,
        amount: '99.00',
        payment_date: '2026-04-05',
        reference: 'TRX-THEIRS',
      },
    });
    expect(foreignPayment.statusCode, foreignPayment.body).toBe(201);

    const statement = (await get(person, '/api/v1/portal/statement')).json();
    expect(statement.accounts).toEqual([
      expect.objectContaining({
        currency: 'SAR',
        total_debit: '1150.00',
        total_credit: '400.00',
        balance: '750.00',
      }),
    ]);
    expect(
      statement.accounts[0].entries.map((e: { kind: string; balance: string }) => [e.kind, e.balance]),
    ).toEqual([
      ['invoice', '1150.00'],
      ['payment', '750.00'],
    ]);
    const payments = await get(person, '/api/v1/portal/payments');
    expect(payments.json().payments).toEqual([
      expect.objectContaining({
        amount: '400.00',
        reference: 'TRX-PORTAL',
        allocations: [{ invoice_id: invoice.id, invoice_number: invoice.invoice_number, amount: '400.00' }],
      }),
    ]);
    expect(payments.body).not.toContain('TRX-THEIRS');
    expect((await get(person, `/api/v1/portal/invoices/${invoice.id}`)).json()).toMatchObject({
      amount_due: '750.00',
      payments: [expect.objectContaining({ amount: '400.00' })],
    });
  });

  it("another company's client, ids or header find nothing", async () => {
    const b = await registerUser(t.app);
    const bCustomer = await createCustomer(as(t.app, b), { email: mine.email });
    const bInvoice = await issueInvoice(as(t.app, b), { customerId: bCustomer.id });
    for (const suffix of ['', '/pdf', '/xml'])
      expect((await get(asClient, `/api/v1/portal/invoices/${bInvoice.id}${suffix}`)).statusCode).toBe(404);
    // Naming company B: the client is not a member of it.
    const named = await get(as(t.app, { ...client, companyId: b.companyId }), '/api/v1/portal/invoices');
    expect(named.statusCode).toBe(404);
    expect(named.json().code).toBe('COMPANY_NOT_FOUND');
  });
});

describe('roles', () => {
  it('refuses staff on every portal route, and a client on every company route', async () => {
    const viewer = as(t.app, await addMember(t.app, owner, 'viewer'));
    const portal = t.app.guardedRoutes.filter((r) => r.auth === 'client');
    expect(portal.map((r) => r.url)).toEqual(
      expect.arrayContaining([
        '/api/v1/portal/invoices',
        '/api/v1/portal/statement',
        '/api/v1/portal/payments',
      ]),
    );
    const company = t.app.guardedRoutes.filter((r) => r.permission);
    expect(company.length).toBeGreaterThan(100);
    const fill = (url: string) => url.replaceAll(/:(\w+)/g, '00000000-0000-4000-8000-000000000000');
    for (const who of [call, viewer])
      for (const route of portal) {
        const reply = await who({ method: route.method as 'GET', url: fill(route.url) });
        expect({ url: route.url, status: reply.statusCode, code: reply.json().code }).toEqual({
          url: route.url,
          status: 403,
          code: 'FORBIDDEN',
        });
      }
    for (const route of company) {
      const reply = await asClient({ method: route.method as 'GET', url: fill(route.url) });
      expect({ route: `${route.method} ${route.url}`, status: reply.statusCode }).toEqual({
        route: `${route.method} ${route.url}`,
        status: 403,
      });
    }
  });

  it('a deactivated client is signed out of the portal', async () => {
    const fresh = await createCustomer(call);
    const person = await addClient(t.app, owner, fresh.id);
    expect((await get(as(t.app, person), '/api/v1/portal/me')).json()).toMatchObject({
      customer_id: fresh.id,
      customer_name: expect.stringContaining('Buyer'),
    });
    await call({ method: 'DELETE', url: `/api/v1/users/${person.userId}/` });
    expect((await get(as(t.app, person), '/api/v1/portal/invoices')).statusCode).toBe(404);
  });
});

describe("the invoice mail's portal link", () => {
  it('signs the recipient in as the portal user, once; a used, expired or unknown link is a clear 4xx', async () => {
    const invoice = await issueInvoice(call, { customerId: mine.id, net: '300' });
    const sent = await call({ method: 'POST', url: `/api/v1/invoices/${invoice.id}/send`, payload: {} });
    expect(sent.statusCode, sent.body).toBe(202);
    const token = await mailedPortalToken(mine.email);
    const stored = await t.app.ctx.db
      .select()
      .from(schema.portalLinks)
      .where(eq(schema.portalLinks.invoiceId, invoice.id));
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(token);

    const followed = await follow(token);
    expect(followed.statusCode, followed.body).toBe(200);
    expect(followed.json()).toMatchObject({
      kind: 'session',
      company_id: owner.companyId,
      invoice_id: invoice.id,
    });
    const signedIn = as(t.app, { accessToken: followed.json().access_token, companyId: owner.companyId });
    const me = await get(signedIn, '/api/v1/me');
    expect(me.json().user.id).toBe(client.userId);
    expect((await get(signedIn, `/api/v1/portal/invoices/${invoice.id}`)).statusCode).toBe(200);

    const again = await follow(token);
    expect([again.statusCode, again.json().code]).toEqual([410, 'PORTAL_LINK_USED']);
    const unknown = await follow('x'.repeat(43));
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'PORTAL_LINK_NOT_FOUND']);
    expect((await follow('short')).statusCode).toBe(400);

    await call({ method: 'POST', url: `/api/v1/invoices/${invoice.id}/send`, payload: {} });
    const late = await mailedPortalToken(mine.email);
    expect(late).not.toBe(token);
    await t.app.ctx.db
      .update(schema.portalLinks)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(sql`${schema.portalLinks.invoiceId} = ${invoice.id} AND ${schema.portalLinks.usedAt} IS NULL`);
    const expired = await follow(late);
    expect([expired.statusCode, expired.json().code]).toEqual([410, 'PORTAL_LINK_EXPIRED']);
  });

  it('two clicks racing spend the link once', async () => {
    const invoice = await issueInvoice(call, { customerId: mine.id, net: '310' });
    await call({ method: 'POST', url: `/api/v1/invoices/${invoice.id}/send`, payload: {} });
    const token = await mailedPortalToken(mine.email);
    const answers = await Promise.all([follow(token), follow(token), follow(token)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 410, 410]);
  });

  it('opens only that invoice, read-only, where the customer has no portal user (or another address got it)', async () => {
    const invoice = await issueInvoice(call, { customerId: theirs.id, net: '400' });
    const other = await issueInvoice(call, { customerId: theirs.id, net: '401' });
    await call({ method: 'POST', url: `/api/v1/invoices/${invoice.id}/send`, payload: {} });
    const followed = await follow(await mailedPortalToken(theirs.email));
    expect(followed.statusCode, followed.body).toBe(200);
    const answer = followed.json();
    expect(answer).toMatchObject({ kind: 'invoice', invoice_id: invoice.id, can_sign_in: false });
    expect(answer).not.toHaveProperty('access_token');
    const view = `/api/v1/public/portal/${answer.view_token}/invoice`;
    const read = await t.app.inject({ method: 'GET', url: view });
    expect(read.json()).toMatchObject({ id: invoice.id, total_amount: '460.00' });
    expect(read.body).not.toContain(other.id);
    const pdf = await t.app.inject({ method: 'GET', url: `${view}/pdf` });
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The view is no session: the company's and the portal's routes still want a sign-in.
    const withView = as(t.app, { accessToken: answer.view_token, companyId: owner.companyId });
    expect((await get(withView, '/api/v1/portal/invoices')).statusCode).toBe(401);

    // Sent to an address that is not the portal user's: the link does not sign the portal user in.
    const mineInvoice = await issueInvoice(call, { customerId: mine.id, net: '402' });
    await call({
      method: 'POST',
      url: `/api/v1/invoices/${mineInvoice.id}/send`,
      payload: { to: 'someone-else@example.com' },
    });
    const forwarded = await follow(await mailedPortalToken('someone-else@example.com'));
    expect(forwarded.json()).toMatchObject({ kind: 'invoice', invoice_id: mineInvoice.id });

    await t.app.ctx.db
      .update(schema.portalLinks)
      .set({ grantExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.portalLinks.invoiceId, invoice.id));
    const ended = await t.app.inject({ method: 'GET', url: view });
    expect([ended.statusCode, ended.json().code]).toEqual([410, 'PORTAL_VIEW_EXPIRED']);
    const unknown = await t.app.inject({
      method: 'GET',
      url: `/api/v1/public/portal/${'y'.repeat(43)}/invoice`,
    });
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'PORTAL_VIEW_NOT_FOUND']);
  });

  it('a walk-in buyer gets no portal link', async () => {
    const invoice = await issueInvoice(call, {});
    await call({
      method: 'POST',
      url: `/api/v1/invoices/${invoice.id}/send`,
      payload: { to: 'walkin@example.com' },
    });
    const stored = await t.app.ctx.db
      .select()
      .from(schema.portalLinks)
      .where(eq(schema.portalLinks.invoiceId, invoice.id));
    expect(stored).toEqual([]);
  });
});
