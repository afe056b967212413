import { schema } from '@invoiceflow/db';
import { desc, eq } from '@invoiceflow/db/orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestApp, registerUser, type Session, type TestApp } from '../../../test/support/app';
import { superAdminCommand } from '../../cli/super-admin';

const IN_COMPANY = {
  legal_name_en: 'Sharma Stores',
  country: 'IN',
  vat_number: '27AAPFU0939F1ZV',
  address: { street: 'MG Road 12', city: 'Pune', postal_code: '411001', country: 'IN' },
};

const invoice = {
  customer_name: 'Walk-in',
  line_items: [{ description: 'Service', quantity: 1, unit_price: 100, vat_rate: 15 }],
};
describe('REQUIRE_COMPANY_APPROVAL=true', () => {
  let t: TestApp;
  let admin: Session;
  beforeAll(async () => {
    // An address nothing listens on: an onboarding call that got through would fail there, not with our code.
    t = await createTestApp({ REQUIRE_COMPANY_APPROVAL: true, ZATCA_BASE_URL: 'http://127.0.0.1:9' });
    admin = await registerUser(t.app);
    // The first administrator is named by whoever runs the deployment, with the command line.
    expect(await superAdminCommand(t.database.db, ['--grant', admin.email.toUpperCase()])).toEqual({
      exitCode: 0,
      output: 'Granted.',
    });
    expect((await superAdminCommand(t.database.db, ['--grant', 'nobody@example.com'])).exitCode).toBe(1);
    expect((await superAdminCommand(t.database.db, [])).exitCode).toBe(2);
  });
  afterAll(() => t.close());
  const call = (session: Session) => as(t.app, session);
  const issueAs = (session: Session) =>
    call(session)({ method: 'POST', url: '/api/v1/invoices/generate', payload: invoice });

  it('a new company waits: it cannot issue, send or onboard with ZATCA until approved', async () => {
    const owner = await registerUser(t.app);
    const company = (await call(owner)({ method: 'GET', url: '/api/v1/companies/current' })).json();
    expect(company.is_approved).toBe(false);
    const refused = await issueAs(owner);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('COMPANY_NOT_APPROVED');
    const credit = await call(owner)({
      method: 'POST',
      url: '/api/v1/invoices/generate',
      payload: { ...invoice, type: 'credit_note', original_invoice_id: owner.companyId, reason: 'Returned' },
    });
    expect(credit.json().code).toBe('COMPANY_NOT_APPROVED');
    const unit = await call(owner)({
      method: 'POST',
      url: '/api/v1/egs',
      payload: { environment: 'simulation' },
    });
    expect(unit.statusCode).toBe(201);
    const onboarding = await call(owner)({
      method: 'POST',
      url: `/api/v1/egs/${unit.json().id}/compliance-csid`,
      payload: { otp: '123456' },
    });
    expect(onboarding.statusCode).toBe(403);
    expect(onboarding.json().code).toBe('COMPANY_NOT_APPROVED');
    const invoices = (await call(owner)({ method: 'GET', url: '/api/v1/invoices' })).json();
    expect(invoices.invoices).toEqual([]);
  });

  it('a super admin lists waiting companies and approves one; then it issues and sends', async () => {
    const owner = await registerUser(t.app);
    const notAdmin = await call(owner)({
      method: 'POST',
      url: `/api/v1/admin/companies/${owner.companyId}/approve`,
    });
    expect(notAdmin.statusCode).toBe(403);
    expect(notAdmin.json().code).toBe('SUPER_ADMIN_REQUIRED');
    expect((await call(owner)({ method: 'GET', url: '/api/v1/admin/companies' })).statusCode).toBe(403);
    const waiting = (await call(admin)({ method: 'GET', url: '/api/v1/admin/companies' })).json().companies;
    expect(waiting.map((c: { id: string }) => c.id)).toContain(owner.companyId);
    const approved = await call(admin)({
      method: 'POST',
      url: `/api/v1/admin/companies/${owner.companyId}/approve`,
    });
    expect(approved.statusCode).toBe(200);
    expect(approved.json().is_approved).toBe(true);
    const issued = await issueAs(owner);
    expect(issued.statusCode).toBe(201);
    const sent = await call(owner)({
      method: 'POST',
      url: `/api/v1/invoices/${issued.json().id}/send`,
      payload: { to: 'buyer@example.com' },
    });
    expect(sent.statusCode).toBeLessThan(300);
    const audit = (await call(owner)({ method: 'GET', url: '/api/v1/audit-log' })).json().entries;
    expect(audit.map((e: { action: string }) => e.action)).toContain('company.approved');
  });

  it('a pending company prepares (customers, drafts, products) but its till cannot sell until approved', async () => {
    const owner = await registerUser(t.app, IN_COMPANY);
    const shop = call(owner);
    const customer = await shop({
      method: 'POST',
      url: '/api/v1/customers',
      payload: {
        name_en: 'Asha Traders',
        address: { street: 'FC Road 4', city: 'Pune', postal_code: '411004', country: 'IN' },
      },
    });
    expect(customer.statusCode, customer.body).toBe(201);
    const draft = await shop({ method: 'POST', url: '/api/v1/drafts', payload: { draft_data: invoice } });
    expect(draft.statusCode, draft.body).toBeLessThan(300);
    const product = await shop({
      method: 'POST',
      url: '/api/v1/products',
      payload: { name: 'Tea', stock: 5, price: 100, tax_percent: 18 },
    });
    expect(product.statusCode, product.body).toBe(201);
    const sale = { items: [{ product_id: product.json().id, quantity: 2 }], paid_amount: 236 };
    const refused = await shop({ method: 'POST', url: '/api/v1/purchases', payload: sale });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('COMPANY_NOT_APPROVED');
    // Nothing of the refused sale is left: the stock did not move.
    expect((await shop({ method: 'GET', url: `/api/v1/products/${product.json().id}` })).json().stock).toBe(
      '5',
    );

    await call(admin)({ method: 'POST', url: `/api/v1/admin/companies/${owner.companyId}/approve` });
    const sold = await shop({ method: 'POST', url: '/api/v1/purchases', payload: sale });
    expect(sold.statusCode, sold.body).toBe(201);
    expect((await shop({ method: 'GET', url: `/api/v1/products/${product.json().id}` })).json().stock).toBe(
      '3',
    );
  });

  it('a super admin rejects with a reason: the owners are mailed it, issuing stays closed, approval later lifts it', async () => {
    const owner = await registerUser(t.app);
    const reject = (payload: object) =>
      call(admin)({ method: 'POST', url: `/api/v1/admin/companies/${owner.companyId}/reject`, payload });
    const noReason = await reject({ reason: '  ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0].path).toBe('reason');
    const byOwner = await call(owner)({
      method: 'POST',
      url: `/api/v1/admin/companies/${owner.companyId}/reject`,
      payload: { reason: 'No' },
    });
    expect(byOwner.json().code).toBe('SUPER_ADMIN_REQUIRED');

    const rejected = await reject({ reason: 'The trade licence is missing.' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json()).toMatchObject({
      is_approved: false,
      approval_status: 'rejected',
      rejection_reason: 'The trade licence is missing.',
    });
    const [mail] = await t.database.db
      .select()
      .from(schema.mailOutbox)
      .where(eq(schema.mailOutbox.toAddress, owner.email))
      .orderBy(desc(schema.mailOutbox.createdAt))
      .limit(1);
    expect(mail?.kind).toBe('company_rejected');
    expect(mail?.textBody).toContain('The trade licence is missing.');
    expect((await issueAs(owner)).json().code).toBe('COMPANY_NOT_APPROVED');
    // Rejected is not waiting: it leaves the pending queue for the rejected one.
    const queue = async (status: string) =>
      (await call(admin)({ method: 'GET', url: `/api/v1/admin/companies?status=${status}` }))
        .json()
        .companies.map((c: { id: string }) => c.id);
    expect(await queue('pending')).not.toContain(owner.companyId);
    expect(await queue('rejected')).toContain(owner.companyId);

    const approved = await call(admin)({
      method: 'POST',
      url: `/api/v1/admin/companies/${owner.companyId}/approve`,
    });
    expect(approved.json()).toMatchObject({ approval_status: 'approved', rejection_reason: null });
    expect((await issueAs(owner)).statusCode).toBe(201);
    const audit = await t.database.db
      .select()
      .from(schema.auditLog)
      .where(eq(schema.auditLog.actorUserId, admin.userId));
    const actions = audit.map((entry) => `${entry.action}:${entry.entityId ?? ''}`);
    expect(actions).toContain(`company.rejected:${owner.companyId}`);
    expect(actions).toContain(`company.approved:${owner.companyId}`);
    expect(audit.find((entry) => entry.action === 'company.rejected')?.data).toMatchObject({
      reason: 'The trade licence is missing.',
    });
  });

  it('sending stays closed for a company whose approval is withdrawn', async () => {
    const owner = await registerUser(t.app);
    await call(admin)({ method: 'POST', url: `/api/v1/admin/companies/${owner.companyId}/approve` });
    const issued = await issueAs(owner);
    await t.database.db
      .update(schema.companies)
      .set({ isApproved: false })
      .where(eq(schema.companies.id, owner.companyId));
    const sent = await call(owner)({
      method: 'POST',
      url: `/api/v1/invoices/${issued.json().id}/send`,
      payload: { to: 'buyer@example.com' },
    });
    expect(sent.statusCode).toBe(403);
    expect(sent.json().code).toBe('COMPANY_NOT_APPROVED');
  });
});

describe('REQUIRE_COMPANY_APPROVAL=false (the default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('a new company is approved at once and issues', async () => {
    const owner = await registerUser(t.app);
    const company = (await as(t.app, owner)({ method: 'GET', url: '/api/v1/companies/current' })).json();
    expect(company.is_approved).toBe(true);
    const issued = await as(
      t.app,
      owner,
    )({ method: 'POST', url: '/api/v1/invoices/generate', payload: invoice });
    expect(issued.statusCode).toBe(201);
  });
});
