import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AE_COMPANY,
  addMember,
  as,
  createTestApp,
  registerUser,
  type Session,
  type TestApp,
  uniqueEmail,
  verifyEmail,
} from '../../../test/support/app';

const invoice = {
  customer_name: 'Walk-in Buyer Confidential',
  line_items: [{ description: 'Secret consulting line', quantity: 1, unit_price: 100, vat_rate: 15 }],
};

let t: TestApp;
let admin: Session;
beforeAll(async () => {
  // A multi-tenant deployment: new companies start on the free plan (20 invoices a month, 2 users, 1 company).
  t = await createTestApp({ DEFAULT_PLAN: 'free' });
  // The install's first account is its super admin.
  admin = await registerUser(t.app);
});
afterAll(() => t.close());

const call = (session: Session) => as(t.app, session);
const issue = (session: Session) =>
  call(session)({ method: 'POST', url: '/api/v1/invoices/generate', payload: invoice });

async function issueMany(session: Session, n: number) {
  for (let i = 0; i < n; i++) {
    const response = await issue(session);
    expect(response.statusCode, response.body).toBe(201);
  }
}

describe('plans and limits', () => {
  it('the free plan refuses the 21st invoice of the month, naming the limit, usage and the plan that lifts it', async () => {
    const owner = await registerUser(t.app);
    const company = (await call(owner)({ method: 'GET', url: '/api/v1/companies/current' })).json();
    expect(company.plan).toBe('free');
    await issueMany(owner, 20);
    const refused = await issue(owner);
    expect(refused.statusCode).toBe(402);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({
      code: 'PLAN_LIMIT_REACHED',
      limit: 'invoices_per_month',
      allowed: 20,
      usage: 20,
      plan: 'free',
      upgrade_plan: 'pro',
    });
    expect(refused.json().message).toContain('Pro');
    const usage = (await call(owner)({ method: 'GET', url: '/api/v1/companies/current/usage' })).json();
    expect(usage.plan).toBe('free');
    expect(usage.usage.invoices_per_month).toEqual({ used: 20, limit: 20 });
    const list = (await call(owner)({ method: 'GET', url: '/api/v1/invoices?page_size=100' })).json();
    expect(list.invoices).toHaveLength(20);

    // A super admin moves it to Pro: it issues again; back to Free, the month's 21 count and it is refused.
    const notAdmin = await call(owner)({
      method: 'PUT',
      url: `/api/v1/admin/companies/${owner.companyId}/plan`,
      payload: { plan: 'pro' },
    });
    expect(notAdmin.statusCode).toBe(403);
    expect(notAdmin.json().code).toBe('SUPER_ADMIN_REQUIRED');
    const assigned = await call(admin)({
      method: 'PUT',
      url: `/api/v1/admin/companies/${owner.companyId}/plan`,
      payload: { plan: 'pro' },
    });
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect(assigned.json().plan).toBe('pro');
    expect((await issue(owner)).statusCode).toBe(201);
    await call(admin)({
      method: 'PUT',
      url: `/api/v1/admin/companies/${owner.companyId}/plan`,
      payload: { plan: 'free' },
    });
    const again = await issue(owner);
    expect(again.statusCode).toBe(402);
    expect(again.json().usage).toBe(20);
    const audit = (await call(owner)({ method: 'GET', url: '/api/v1/audit-log' })).json().entries;
    expect(audit.filter((e: { action: string }) => e.action === 'company.plan_assigned')).toHaveLength(2);
  });

  it('50 concurrent issues at the edge of the limit never exceed it', async () => {
    const owner = await registerUser(t.app);
    await issueMany(owner, 15);
    const responses = await Promise.all(Array.from({ length: 50 }, () => issue(owner)));
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 402)).toHaveLength(45);
    for (const refused of responses.filter((r) => r.statusCode === 402))
      expect(refused.json().limit).toBe('invoices_per_month');
    const list = (await call(owner)({ method: 'GET', url: '/api/v1/invoices?page_size=100' })).json();
    expect(list.invoices).toHaveLength(20);
    // Gapless numbering held too: the refusals took no number.
    const numbers = list.invoices.map((i: { invoice_number: string }) => i.invoice_number);
    expect(new Set(numbers).size).toBe(20);
    const counters = numbers
      .map((n: string) => Number(n.split('-').at(-1)))
      .sort((x: number, y: number) => x - y);
    expect(counters).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const usage = (await call(owner)({ method: 'GET', url: '/api/v1/companies/current/usage' })).json();
    expect(usage.usage.invoices_per_month.used).toBe(20);
  });

  it('the free plan holds two users (members and open invitations) and one company per account', async () => {
    const owner = await registerUser(t.app);
    const invited = await call(owner)({
      method: 'POST',
      url: '/api/v1/companies/current/members',
      payload: { email: uniqueEmail('second'), role: 'viewer' },
    });
    expect(invited.statusCode, invited.body).toBe(202);
    const third = await call(owner)({
      method: 'POST',
      url: '/api/v1/companies/current/members',
      payload: { email: uniqueEmail('third'), role: 'viewer' },
    });
    expect(third.statusCode).toBe(402);
    expect(third.json()).toMatchObject({ limit: 'users', usage: 2, plan: 'free', upgrade_plan: 'pro' });
    const another = await call(owner)({ method: 'POST', url: '/api/v1/companies', payload: AE_COMPANY });
    expect(another.statusCode).toBe(402);
    expect(another.json()).toMatchObject({ limit: 'companies_per_account', usage: 1, upgrade_plan: 'pro' });
    const usage = (await call(owner)({ method: 'GET', url: '/api/v1/companies/current/usage' })).json();
    expect(usage.usage.users).toEqual({ used: 2, limit: 2 });
  });

  it('20 concurrent invitations at the edge of the users limit hand out the one seat left, once', async () => {
    const owner = await registerUser(t.app);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(owner)({
          method: 'POST',
          url: '/api/v1/companies/current/members',
          payload: { email: uniqueEmail(`race${i}`), role: 'viewer' },
        }),
      ),
    );
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 202)).toHaveLength(1);
    expect(statuses.filter((s) => s === 402)).toHaveLength(19);
    for (const refused of responses.filter((r) => r.statusCode === 402))
      expect(refused.json()).toMatchObject({ code: 'PLAN_LIMIT_REACHED', limit: 'users', usage: 2 });
    const usage = (await call(owner)({ method: 'GET', url: '/api/v1/companies/current/usage' })).json();
    expect(usage.usage.users).toEqual({ used: 2, limit: 2 });
  });

  it('a feature outside the plan is refused where it is used, naming the feature and the plan that has it', async () => {
    const owner = await registerUser(t.app);
    const webhook = () =>
      call(owner)({
        method: 'POST',
        url: '/api/v1/webhooks',
        payload: { url: 'https://hooks.example.com/invoiceflow', events: ['invoice.issued'] },
      });
    const refused = await webhook();
    expect(refused.statusCode).toBe(402);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({
      code: 'PLAN_FEATURE_NOT_INCLUDED',
      feature: 'webhooks',
      plan: 'free',
      upgrade_plan: 'pro',
    });
    expect(refused.json().message).toContain('Pro');
    const imports = await call(owner)({
      method: 'POST',
      url: '/api/v1/import-templates',
      payload: { name: 'x', type: 'customers', mapping: {} },
    });
    expect(imports.json()).toMatchObject({ status: 402, feature: 'imports' });
    // Reading what the company has stays open: the list of its endpoints is there, empty.
    expect((await call(owner)({ method: 'GET', url: '/api/v1/webhooks' })).statusCode).toBe(200);
    // A viewer is told it may not, not that the plan could be upgraded.
    const viewer = await addMember(t.app, owner, 'viewer');
    expect((await call(viewer)({ method: 'POST', url: '/api/v1/webhooks', payload: {} })).statusCode).toBe(
      403,
    );

    const assigned = await call(admin)({
      method: 'PUT',
      url: `/api/v1/admin/companies/${owner.companyId}/plan`,
      payload: { plan: 'pro' },
    });
    expect(assigned.statusCode).toBe(200);
    // On Pro the request reaches the endpoint's own checks (this host does not resolve here).
    const created = await webhook();
    expect(created.json()).toMatchObject({ status: 422, code: 'WEBHOOK_URL_REFUSED' });
  });

  it('an unlimited install counts nothing on the hot path and shows its usage', async () => {
    const selfHosted = await createTestApp();
    try {
      const owner = await registerUser(selfHosted.app);
      const company = (
        await as(selfHosted.app, owner)({ method: 'GET', url: '/api/v1/companies/current' })
      ).json();
      expect(company.plan).toBe('unlimited');
      for (let i = 0; i < 3; i++)
        expect(
          (
            await as(
              selfHosted.app,
              owner,
            )({ method: 'POST', url: '/api/v1/invoices/generate', payload: invoice })
          ).statusCode,
        ).toBe(201);
      const usage = (
        await as(selfHosted.app, owner)({ method: 'GET', url: '/api/v1/companies/current/usage' })
      ).json();
      expect(usage.usage.invoices_per_month).toEqual({ used: 3, limit: null });
    } finally {
      await selfHosted.close();
    }
  });
});

describe('suspension', () => {
  it("a suspended company's members get a clear 403 until it is reactivated; every step is audited", async () => {
    const owner = await registerUser(t.app);
    const viewer = await call(admin)({
      method: 'PUT',
      url: `/api/v1/admin/companies/${owner.companyId}/plan`,
      payload: { plan: 'pro' },
    });
    expect(viewer.statusCode).toBe(200);
    const member = await addMember(t.app, owner, 'finance');
    const byOwner = await call(owner)({
      method: 'POST',
      url: `/api/v1/admin/companies/${owner.companyId}/suspend`,
      payload: { reason: 'Unpaid' },
    });
    expect(byOwner.statusCode).toBe(403);
    expect(byOwner.json().code).toBe('SUPER_ADMIN_REQUIRED');
    const suspended = await call(admin)({
      method: 'POST',
      url: `/api/v1/admin/companies/${owner.companyId}/suspend`,
      payload: { reason: 'Terms of service' },
    });
    expect(suspended.statusCode, suspended.body).toBe(200);
    expect(suspended.json().is_suspended).toBe(true);
    for (const session of [owner, member]) {
      const refused = await call(session)({ method: 'GET', url: '/api/v1/invoices' });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().code).toBe('COMPANY_SUSPENDED');
      expect((await issue(session)).json().code).toBe('COMPANY_SUSPENDED');
    }
    // The account itself still works: it sees the company, marked suspended, in its list.
    const mine = (await call(owner)({ method: 'GET', url: '/api/v1/companies' })).json().companies;
    expect(mine[0]).toMatchObject({ id: owner.companyId, is_suspended: true });
    const listed = (
      await call(admin)({ method: 'GET', url: '/api/v1/admin/companies?status=suspended' })
    ).json().companies;
    expect(listed.map((c: { id: string }) => c.id)).toContain(owner.companyId);

    const back = await call(admin)({
      method: 'POST',
      url: `/api/v1/admin/companies/${owner.companyId}/reactivate`,
    });
    expect(back.json().is_suspended).toBe(false);
    expect((await call(member)({ method: 'GET', url: '/api/v1/invoices' })).statusCode).toBe(200);
    const actions = (await call(owner)({ method: 'GET', url: '/api/v1/audit-log' })).json().entries;
    expect(actions.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['company.suspended', 'company.reactivated']),
    );
    const platformLog = (await call(admin)({ method: 'GET', url: '/api/v1/admin/audit-log' })).json().entries;
    expect(platformLog.find((e: { action: string }) => e.action === 'company.suspended')).toMatchObject({
      company_id: owner.companyId,
      actor_user_id: admin.userId,
      data: { by: 'super_admin', reason: 'Terms of service' },
    });
  });

  it("a suspended client's accountant cannot read its books either", async () => {
    const client = await registerUser(t.app);
    const accountant = await registerUser(t.app, { ...AE_COMPANY, legal_name_en: 'Ledger Partners LLC' });
    await verifyEmail(t.app, accountant.email);
    const invited = await call(client)({
      method: 'POST',
      url: '/api/v1/companies/current/accountants',
      payload: { email: accountant.email, scopes: ['invoices'] },
    });
    expect(invited.statusCode, invited.body).toBe(202);
    const accepted = await t.app.inject({
      method: 'POST',
      url: `/api/v1/accountant/invitations/${invited.json().id}/accept`,
      headers: { authorization: `Bearer ${accountant.accessToken}` },
      payload: {},
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const books = () =>
      t.app.inject({
        method: 'GET',
        url: `/api/v1/accountant/clients/${client.companyId}/invoices`,
        headers: { authorization: `Bearer ${accountant.accessToken}` },
      });
    expect((await books()).statusCode).toBe(200);
    await call(admin)({
      method: 'POST',
      url: `/api/v1/admin/companies/${client.companyId}/suspend`,
      payload: { reason: 'Checks' },
    });
    const refused = await books();
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('COMPANY_SUSPENDED');
    // The accountant's own company is not suspended: it keeps working there.
    expect((await call(accountant)({ method: 'GET', url: '/api/v1/invoices' })).statusCode).toBe(200);
  });

  it('a super admin searches companies by name or VAT number', async () => {
    const owner = await registerUser(t.app, { ...AE_COMPANY, legal_name_en: 'Zubair Unique Trading LLC' });
    const found = (
      await call(admin)({ method: 'GET', url: '/api/v1/admin/companies?status=all&q=zubair%20unique' })
    ).json().companies;
    expect(found.map((c: { id: string }) => c.id)).toEqual([owner.companyId]);
    const none = (
      await call(admin)({ method: 'GET', url: '/api/v1/admin/companies?status=all&q=%25' })
    ).json();
    expect(none.companies).toEqual([]);
    expect((await call(owner)({ method: 'GET', url: '/api/v1/admin/companies?q=x' })).statusCode).toBe(403);
  });
});

describe('content', () => {
  it('a super admin edits blocks per language with history and restore; anyone reads them', async () => {
    const put = (session: Session, key: string, lang: string, body: string) =>
      call(session)({ method: 'PUT', url: `/api/v1/admin/content/${key}/${lang}`, payload: { body } });
    expect((await put(admin, 'home.title', 'en', 'Invoicing for the Gulf')).statusCode).toBe(200);
    expect((await put(admin, 'home.title', 'ar', 'الفوترة للخليج')).statusCode).toBe(200);
    const second = await put(admin, 'home.title', 'ar', 'فواتير إلكترونية بسهولة');
    expect(second.json()).toMatchObject({ version: 2, body: 'فواتير إلكترونية بسهولة' });

    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/content/public?lang=ar' });
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json()).toEqual({ lang: 'ar', blocks: { 'home.title': 'فواتير إلكترونية بسهولة' } });
    const english = await t.app.inject({ method: 'GET', url: '/api/v1/content/public?lang=en' });
    expect(english.json().blocks['home.title']).toBe('Invoicing for the Gulf');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/content/public?lang=fr' })).statusCode).toBe(
      400,
    );

    const history = (
      await call(admin)({ method: 'GET', url: '/api/v1/admin/content/home.title/ar/history' })
    ).json().versions;
    expect(history.map((v: { version: number; body: string }) => [v.version, v.body])).toEqual([
      [2, 'فواتير إلكترونية بسهولة'],
      [1, 'الفوترة للخليج'],
    ]);
    const restored = await call(admin)({
      method: 'POST',
      url: '/api/v1/admin/content/home.title/ar/restore',
      payload: { version: 1 },
    });
    expect(restored.json()).toMatchObject({ version: 3, body: 'الفوترة للخليج' });
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/content/public?lang=ar' });
    expect(after.json().blocks['home.title']).toBe('الفوترة للخليج');
    const missing = await call(admin)({
      method: 'POST',
      url: '/api/v1/admin/content/home.title/ar/restore',
      payload: { version: 9 },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('CONTENT_VERSION_NOT_FOUND');

    // Concurrent edits of a new block: consecutive versions, none lost.
    const edits = await Promise.all(
      Array.from({ length: 6 }, (_, i) => put(admin, 'home.body', 'en', `Edit ${i}`)),
    );
    expect(edits.map((e) => e.statusCode)).toEqual(Array(6).fill(200));
    expect(edits.map((e) => e.json().version).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    const bodyHistory = (
      await call(admin)({ method: 'GET', url: '/api/v1/admin/content/home.body/en/history' })
    ).json().versions;
    expect(bodyHistory).toHaveLength(6);

    const owner = await registerUser(t.app);
    const refused = await put(owner, 'home.title', 'en', 'Hijacked');
    expect(refused.statusCode).toBe(403);
    expect((await call(owner)({ method: 'GET', url: '/api/v1/admin/content' })).statusCode).toBe(403);
    expect(
      (await call(owner)({ method: 'GET', url: '/api/v1/admin/content/home.title/en/history' })).statusCode,
    ).toBe(403);
    expect((await put(admin, 'Home Title', 'en', 'x')).statusCode).toBe(400);
    expect((await put(admin, 'null', 'en', 'x')).statusCode).toBe(400);
    const log = (await call(admin)({ method: 'GET', url: '/api/v1/admin/audit-log' })).json().entries;
    expect(
      log
        .filter((e: { action: string }) => e.action.startsWith('content.'))
        .map((e: { action: string }) => e.action),
    ).toEqual([
      // Newest first: the restore came before the six concurrent edits of home.body.
      ...Array(6).fill('content.edited'),
      'content.restored',
      'content.edited',
      'content.edited',
      'content.edited',
    ]);
  });
});

describe('analytics', () => {
  it('counts companies, active users, documents per day and country and failures, and reads no invoice', async () => {
    const fresh = await createTestApp({ DEFAULT_PLAN: 'free' });
    try {
      const root = await registerUser(fresh.app);
      const sa = await registerUser(fresh.app);
      const ae = await registerUser(fresh.app, AE_COMPANY);
      const post = (s: Session, payload: object) =>
        as(fresh.app, s)({ method: 'POST', url: '/api/v1/invoices/generate', payload });
      for (let i = 0; i < 3; i++) expect((await post(sa, invoice)).statusCode).toBe(201);
      await as(
        fresh.app,
        root,
      )({
        method: 'POST',
        url: `/api/v1/admin/companies/${ae.companyId}/suspend`,
        payload: { reason: 'Checks' },
      });
      const refused = await as(fresh.app, sa)({ method: 'GET', url: '/api/v1/admin/analytics' });
      expect(refused.statusCode).toBe(403);
      const response = await as(fresh.app, root)({ method: 'GET', url: '/api/v1/admin/analytics?days=7' });
      expect(response.statusCode, response.body).toBe(200);
      const figures = response.json();
      expect(figures.companies).toMatchObject({ total: 3, approved: 3, pending: 0, suspended: 1 });
      expect(figures.companies.by_plan).toEqual([{ plan: 'free', companies: 3 }]);
      expect(figures.active_users).toBe(3);
      const sum = figures.invoices_issued
        .filter((row: { country: string }) => row.country === 'SA')
        .reduce((n: number, row: { issued: number }) => n + row.issued, 0);
      expect(sum).toBe(3);
      expect(
        figures.invoices_issued.every((row: { day: string }) => /^\d{4}-\d{2}-\d{2}$/.test(row.day)),
      ).toBe(true);
      expect(figures.einvoice_failures).toEqual({ zatca: 0, transmission: 0 });
      expect(response.body).not.toContain('Walk-in');
      expect(response.body).not.toContain('Secret');
    } finally {
      await fresh.close();
    }
  });
});
