import { schema } from '@invoiceflow/db';
import { and, eq } from '@invoiceflow/db/orm';
import { ACCOUNTANT_SCOPES, type AccountantScope } from '@invoiceflow/db/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  as,
  type Call,
  createTestApp,
  registerUser,
  type Session,
  type TestApp,
  verifyEmail,
} from '../../../test/support/app';

const nlCompany = (name: string) => ({
  legal_name_en: name,
  country: 'NL',
  vat_number: 'NL123456789B01',
  address: { street: 'Keizersgracht 1', city: 'Amsterdam', postal_code: '1015 CJ', country: 'NL' },
});

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

interface Books {
  owner: Session;
  call: Call;
  customerId: string;
  invoiceId: string;
  paymentId: string;
  expenseId: string;
  timeEntryId: string;
}

/** A client company with one of everything an accountant may read, each named after the company. */
async function booksOf(name: string): Promise<Books> {
  const owner = await registerUser(t.app, nlCompany(name));
  const call = as(t.app, owner);
  const created = async (url: string, payload: object) => {
    const response = await call({ method: 'POST', url, payload });
    if (response.statusCode !== 201) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
    return response.json().id as string;
  };
  const customerId = await created('/api/v1/customers', {
    name_en: `${name} customer`,
    address: { country: 'NL', city: 'Utrecht' },
  });
  const invoiceId = await created('/api/v1/invoices/generate', {
    customer_id: customerId,
    line_items: [{ description: `${name} work`, quantity: 1, unit_price: '100', vat_rate: 21 }],
  });
  const paymentId = await created('/api/v1/payments', {
    customer_id: customerId,
    amount_cents: 5000,
    payment_method: 'ideal',
    allocations: [{ invoice_id: invoiceId, amount_cents: 5000 }],
  });
  const expenseId = await created('/api/v1/expenses', {
    expense_date: '2026-02-10',
    vendor: `${name} vendor`,
    category: 'software',
    amount: '121.00',
    vat_rate: '21',
  });
  const timeEntryId = await created('/api/v1/time-entries', {
    customer_id: customerId,
    entry_date: '2026-02-10',
    hours: '1.5',
    hourly_rate: '80',
    description: `${name} hours`,
  });
  return { owner, call, customerId, invoiceId, paymentId, expenseId, timeEntryId };
}

/** A person with an account and a verified address, as an accountant would be. */
async function person(name: string): Promise<Session> {
  const session = await registerUser(t.app, nlCompany(name));
  await verifyEmail(t.app, session.email);
  return session;
}

async function invite(client: Books, email: string, scopes: readonly AccountantScope[]) {
  const response = await client.call({
    method: 'POST',
    url: '/api/v1/companies/current/accountants',
    payload: { email, scopes },
  });
  expect(response.statusCode).toBe(202);
  return response.json().id as string;
}

const accept = (session: Session, assignmentId: string, payload: object = {}) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/accountant/invitations/${assignmentId}/accept`,
    headers: { authorization: `Bearer ${session.accessToken}` },
    payload,
  });

const asUser = (session: Session) => (method: string, url: string, payload?: object) =>
  t.app.inject({
    method: method as 'GET',
    url,
    headers: { authorization: `Bearer ${session.accessToken}` },
    ...(payload ? { payload } : {}),
  });

async function auditActions(companyId: string, entityId: string): Promise<string[]> {
  const rows = await t.app.ctx.db
    .select({ action: schema.auditLog.action })
    .from(schema.auditLog)
    .where(and(eq(schema.auditLog.companyId, companyId), eq(schema.auditLog.entityId, entityId)))
    .orderBy(schema.auditLog.id);
  return rows.map((row) => row.action);
}

describe('accountant assignments', () => {
  let client: Books;
  let accountant: Session;
  let assignmentId: string;
  beforeAll(async () => {
    client = await booksOf('Jansen Design');
    accountant = await person('De Boer Administratie');
  });

  it('mails the invitation through the outbox and lists it as pending', async () => {
    assignmentId = await invite(client, accountant.email, ['invoices', 'expenses']);
    const [mail] = await t.app.ctx.db
      .select()
      .from(schema.mailOutbox)
      .where(
        and(
          eq(schema.mailOutbox.toAddress, accountant.email),
          eq(schema.mailOutbox.kind, 'accountant_invitation'),
        ),
      );
    expect(mail?.subject).toContain('Jansen Design');
    const listed = (
      await client.call({ method: 'GET', url: '/api/v1/companies/current/accountants' })
    ).json();
    expect(listed.accountants).toEqual([
      expect.objectContaining({ id: assignmentId, status: 'pending', scopes: ['invoices', 'expenses'] }),
    ]);
    const twice = await client.call({
      method: 'POST',
      url: '/api/v1/companies/current/accountants',
      payload: { email: accountant.email.toUpperCase(), scopes: ['invoices'] },
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('ASSIGNMENT_EXISTS');
  });

  it('refuses to let a finance user or viewer invite, and the client to activate a pending invitation', async () => {
    const finance = await addMember(t.app, client.owner, 'finance');
    const refused = await as(
      t.app,
      finance,
    )({
      method: 'POST',
      url: '/api/v1/companies/current/accountants',
      payload: { email: 'someone@example.com', scopes: ['invoices'] },
    });
    expect(refused.statusCode).toBe(403);
    const early = await client.call({
      method: 'PATCH',
      url: `/api/v1/companies/current/accountants/${assignmentId}`,
      payload: { status: 'active' },
    });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: 'ASSIGNMENT_TRANSITION_NOT_ALLOWED', from: 'pending' });
  });

  it('lets only the invited address accept; the accountant then sees the client', async () => {
    const stranger = await person('Stranger BV');
    expect((await accept(stranger, assignmentId)).statusCode).toBe(404);
    const invitations = (await asUser(accountant)('GET', '/api/v1/accountant/invitations')).json();
    expect(invitations.invitations).toEqual([
      expect.objectContaining({ id: assignmentId, client_name: 'Jansen Design' }),
    ]);
    const accepted = await accept(accountant, assignmentId);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'active', accountant_user_id: accountant.userId });
    const clients = (await asUser(accountant)('GET', '/api/v1/accountant/clients')).json().clients;
    expect(clients).toEqual([
      expect.objectContaining({
        client_id: client.owner.companyId,
        legal_name_en: 'Jansen Design',
        status: 'active',
        access: 'self',
        scopes: ['invoices', 'expenses'],
      }),
    ]);
    expect((await asUser(stranger)('GET', '/api/v1/accountant/clients')).json().clients).toEqual([]);
  });

  it('suspends, resumes, changes scopes and revokes, each change audited; revoked is final', async () => {
    const patch = (payload: object) =>
      client.call({ method: 'PATCH', url: `/api/v1/companies/current/accountants/${assignmentId}`, payload });
    expect((await patch({ status: 'suspended' })).json().status).toBe('suspended');
    expect((await patch({ status: 'active' })).json().status).toBe('active');
    expect((await patch({ scopes: ['invoices'] })).json().scopes).toEqual(['invoices']);
    expect((await patch({ status: 'revoked' })).json().status).toBe('revoked');
    const again = await patch({ status: 'active' });
    expect(again.statusCode).toBe(409);
    expect(await auditActions(client.owner.companyId, assignmentId)).toEqual([
      'accountant.invited',
      'accountant.accepted',
      'accountant.suspended',
      'accountant.resumed',
      'accountant.scopes_changed',
      'accountant.revoked',
    ]);
    expect((await asUser(accountant)('GET', '/api/v1/accountant/clients')).json().clients).toEqual([]);
    // After a revocation the client may invite the same address again.
    await invite(client, accountant.email, ['customers']);
  });
});

describe('a practice and its staff', () => {
  let client: Books;
  let practiceOwner: Session;
  let staff: Session;
  let assignmentId: string;
  beforeAll(async () => {
    client = await booksOf('Visser Fotografie');
    practiceOwner = await person('Bakker & Partners Accountants');
    staff = await addMember(t.app, practiceOwner, 'viewer');
    assignmentId = await invite(client, practiceOwner.email, ['invoices', 'hours']);
  });

  it('accepts for the practice only as its owner or admin', async () => {
    const staffPractice = await accept(practiceOwner, assignmentId, {
      practice_company_id: client.owner.companyId,
    });
    expect(staffPractice.statusCode).toBe(409); // the client cannot be its own practice
    const accepted = await accept(practiceOwner, assignmentId, {
      practice_company_id: practiceOwner.companyId,
    });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({
      status: 'active',
      practice_company_id: practiceOwner.companyId,
      accountant_user_id: null,
    });
  });

  it('shows the client to the practice, and to staff only once assigned', async () => {
    const invoicesUrl = `/api/v1/accountant/clients/${client.owner.companyId}/invoices`;
    const owners = (await asUser(practiceOwner)('GET', '/api/v1/accountant/clients')).json().clients;
    expect(owners).toEqual([
      expect.objectContaining({ client_id: client.owner.companyId, access: 'practice', staff_user_ids: [] }),
    ]);
    expect((await asUser(staff)('GET', invoicesUrl)).statusCode).toBe(404);

    const assign = (userIds: string[]) =>
      as(
        t.app,
        practiceOwner,
      )({
        method: 'PUT',
        url: `/api/v1/practice/clients/${client.owner.companyId}/staff`,
        payload: { user_ids: userIds },
      });
    const stranger = await person('Not Staff');
    const refused = await assign([stranger.userId]);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors).toEqual([
      expect.objectContaining({ path: 'user_ids.0', code: 'NOT_A_MEMBER' }),
    ]);

    expect((await assign([staff.userId])).json().staff_user_ids).toEqual([staff.userId]);
    const staffClients = (await asUser(staff)('GET', '/api/v1/accountant/clients')).json().clients;
    expect(staffClients).toEqual([
      expect.objectContaining({ client_id: client.owner.companyId, access: 'staff' }),
    ]);
    expect(staffClients[0].staff_user_ids).toBeUndefined();
    const read = await asUser(staff)('GET', invoicesUrl);
    expect(read.statusCode).toBe(200);
    expect(read.json().invoices.map((i: { id: string }) => i.id)).toEqual([client.invoiceId]);

    expect((await assign([])).statusCode).toBe(200);
    expect((await asUser(staff)('GET', invoicesUrl)).statusCode).toBe(404);
    expect(await auditActions(client.owner.companyId, assignmentId)).toEqual([
      'accountant.invited',
      'accountant.accepted',
      'accountant.staff_changed',
      'accountant.staff_changed',
    ]);
  });

  it('lets a staff member of another practice assign nothing to a client that is not its own', async () => {
    const otherPractice = await person('Other Practice');
    const response = await as(
      t.app,
      otherPractice,
    )({
      method: 'PUT',
      url: `/api/v1/practice/clients/${client.owner.companyId}/staff`,
      payload: { user_ids: [] },
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('CLIENT_NOT_FOUND');
  });
});

/**
 * Every accountant route (taken from the app, so a new one joins by itself) × with and without its scope ×
 * active, suspended and revoked × the assigned client and another one × a write attempt.
 */
describe('the scope matrix of the accountant routes', () => {
  let assigned: Books;
  let other: Books;
  let accountant: Session;
  let assignmentId: string;
  const routes = () => t.app.guardedRoutes.filter((route) => route.accountantScope);
  const urlOf = (url: string, books: Books) =>
    url.replace(':client_id', books.owner.companyId).replace(':invoice_id', books.invoiceId);
  /** Every id of a company's books: none may appear in an answer about another company. */
  const idsOf = (books: Books) => [
    books.owner.companyId,
    books.customerId,
    books.invoiceId,
    books.paymentId,
    books.expenseId,
    books.timeEntryId,
  ];
  const setState = async (status: 'active' | 'suspended' | 'revoked', scopes?: AccountantScope[]) => {
    const response = await assigned.call({
      method: 'PATCH',
      url: `/api/v1/companies/current/accountants/${assignmentId}`,
      payload: { status, ...(scopes ? { scopes } : {}) },
    });
    expect(response.statusCode).toBe(200);
  };
  const countsOf = async () => ({
    assigned: JSON.stringify(await readAll(assigned)),
    other: JSON.stringify(await readAll(other)),
  });
  const readAll = async (books: Books) =>
    Promise.all(
      [
        '/api/v1/invoices',
        '/api/v1/customers',
        '/api/v1/payments',
        '/api/v1/expenses',
        '/api/v1/time-entries',
      ].map(async (url) => (await books.call({ method: 'GET', url })).json()),
    );

  beforeAll(async () => {
    assigned = await booksOf('Assigned Client BV');
    other = await booksOf('Other Client BV');
    accountant = await person('Matrix Accountants');
    assignmentId = await invite(assigned, accountant.email, ACCOUNTANT_SCOPES);
    expect((await accept(accountant, assignmentId)).statusCode).toBe(200);
  });

  it('covers the six read-only views of a client', () => {
    expect(
      routes()
        .map((route) => `${route.method} ${route.url} ${route.accountantScope}`)
        .sort(),
    ).toEqual([
      'GET /api/v1/accountant/clients/:client_id/customers customers',
      'GET /api/v1/accountant/clients/:client_id/expenses expenses',
      'GET /api/v1/accountant/clients/:client_id/invoices invoices',
      'GET /api/v1/accountant/clients/:client_id/invoices/:invoice_id invoices',
      'GET /api/v1/accountant/clients/:client_id/payments payments',
      'GET /api/v1/accountant/clients/:client_id/time-entries hours',
    ]);
  });

  it('answers every cell as specified and leaks nothing of another client', async () => {
    const before = await countsOf();
    const cells: unknown[] = [];
    const expected: unknown[] = [];
    const check = async (
      label: string,
      route: { method: string; url: string },
      books: Books,
      want: { status: number; code?: string },
    ) => {
      const response = await asUser(accountant)(route.method, urlOf(route.url, books));
      const body = response.body;
      cells.push({
        label,
        route: route.url,
        status: response.statusCode,
        code: want.code && response.json().code,
      });
      expected.push({ label, route: route.url, ...want });
      const foreign = idsOf(books === assigned ? other : assigned);
      for (const id of foreign) expect(body, `${label} ${route.url}`).not.toContain(id);
      if (want.status !== 200) for (const id of idsOf(books).slice(1)) expect(body).not.toContain(id);
      // A write at the same path: there is none, whatever the method.
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        const write = await asUser(accountant)(method, urlOf(route.url, books), {});
        expect([404, 405], `${label} ${method} ${route.url}`).toContain(write.statusCode);
      }
    };

    for (const route of routes()) {
      const scope = route.accountantScope as AccountantScope;
      await setState('active', [scope]);
      await check('active, with scope', route, assigned, { status: 200 });
      await check('active, other client', route, other, { status: 404, code: 'CLIENT_NOT_FOUND' });
      await setState(
        'active',
        ACCOUNTANT_SCOPES.filter((s) => s !== scope),
      );
      await check('active, without scope', route, assigned, { status: 403, code: 'SCOPE_NOT_GRANTED' });
      await setState('suspended', [scope]);
      await check('suspended, with scope', route, assigned, { status: 403, code: 'ASSIGNMENT_SUSPENDED' });
      await check('suspended, other client', route, other, { status: 404, code: 'CLIENT_NOT_FOUND' });
      await setState(
        'suspended',
        ACCOUNTANT_SCOPES.filter((s) => s !== scope),
      );
      await check('suspended, without scope', route, assigned, { status: 403, code: 'ASSIGNMENT_SUSPENDED' });
    }
    await setState('revoked');
    for (const route of routes()) {
      await check('revoked', route, assigned, { status: 404, code: 'CLIENT_NOT_FOUND' });
      await check('revoked, other client', route, other, { status: 404, code: 'CLIENT_NOT_FOUND' });
    }
    expect(cells).toEqual(expected);
    expect(await countsOf()).toEqual(before);
  });
});

describe('what an accountant reads', () => {
  let client: Books;
  let other: Books;
  let accountant: Session;
  beforeAll(async () => {
    client = await booksOf('Reader Client BV');
    other = await booksOf('Unrelated BV');
    accountant = await person('Reader Accountants');
    const id = await invite(client, accountant.email, ACCOUNTANT_SCOPES);
    expect((await accept(accountant, id)).statusCode).toBe(200);
  });
  const get = (url: string) =>
    asUser(accountant)('GET', `/api/v1/accountant/clients/${client.owner.companyId}${url}`);

  it("answers the client's own records, with the client's name beside them", async () => {
    const invoices = (await get('/invoices')).json();
    expect(invoices.client).toEqual({
      id: client.owner.companyId,
      legal_name_en: 'Reader Client BV',
      legal_name_ar: null,
    });
    expect(invoices.invoices.map((i: { id: string }) => i.id)).toEqual([client.invoiceId]);
    expect((await get(`/invoices/${client.invoiceId}`)).json()).toMatchObject({
      id: client.invoiceId,
      client: { legal_name_en: 'Reader Client BV' },
    });
    expect((await get('/customers')).json().customers.map((c: { id: string }) => c.id)).toEqual([
      client.customerId,
    ]);
    expect((await get('/payments')).json().payments).toEqual([
      expect.objectContaining({ id: client.paymentId, amount_cents: 5000, payment_method: 'ideal' }),
    ]);
    expect((await get('/expenses')).json().expenses).toEqual([
      expect.objectContaining({ id: client.expenseId, amount: '121.00', vat_amount: '21.00' }),
    ]);
    expect((await get('/time-entries')).json().time_entries).toEqual([
      expect.objectContaining({ id: client.timeEntryId, hours: '1.5', amount: '120.00' }),
    ]);
  });

  it("answers 404 for another client's invoice id under the assigned client", async () => {
    const response = await get(`/invoices/${other.invoiceId}`);
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('INVOICE_NOT_FOUND');
  });

  it("gives no way into the client's own company routes: not a member, so no company", async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/invoices'],
      ['POST', `/api/v1/invoices/${client.invoiceId}/mark-paid`],
      ['DELETE', `/api/v1/expenses/${client.expenseId}`],
    ] as const) {
      const response = await as(t.app, {
        accessToken: accountant.accessToken,
        companyId: client.owner.companyId,
      })({
        method,
        url,
        ...(method === 'POST' ? { payload: {} } : {}),
      });
      expect({ url, status: response.statusCode, code: response.json().code }).toEqual({
        url,
        status: 404,
        code: 'COMPANY_NOT_FOUND',
      });
    }
  });
});
