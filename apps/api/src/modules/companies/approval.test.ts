import { schema } from '@invoiceflow/db';
import { eq } from '@invoiceflow/db/orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestApp, registerUser, type Session, type TestApp } from '../../../test/support/app';
import { superAdminCommand } from '../../cli/super-admin';

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
