import { schema } from '@invoiceflow/db';
import { count, sql } from '@invoiceflow/db/orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, openAppWithOwner, SA_COMPANY, type Session, type TestApp, uniqueEmail } from './support/app';

let t: TestApp;
let owner: Session;
beforeAll(async () => ({ t, owner } = await openAppWithOwner({ BODY_LIMIT: 64 * 1024 })));
afterAll(() => t.close());

const problem = (response: {
  statusCode: number;
  headers: Record<string, unknown>;
  json: () => { code: string };
}) => {
  expect(response.headers['content-type']).toContain('application/problem+json');
  return response.json();
};

describe('bad input gets a 4xx problem with a code and the field path, never a 500', () => {
  it('malformed JSON', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": "a@b.c",',
    });
    expect(response.statusCode).toBe(400);
    expect(problem(response).code).toBe('MALFORMED_JSON');
  });

  it('wrong types, with the path of each field', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: 42, password: ['x'], full_name: {}, company: 'ACME' },
    });
    expect(response.statusCode).toBe(400);
    const body = problem(response) as unknown as { code: string; errors: { path: string; code: string }[] };
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.errors.map((e) => e.path).sort()).toEqual(['company', 'email', 'full_name', 'password']);
    expect(body.errors.every((e) => e.code === 'INVALID_TYPE')).toBe(true);
  });

  it('missing fields, nested paths included', async () => {
    const { country: _country, ...companyWithoutCountry } = SA_COMPANY;
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: uniqueEmail(), company: companyWithoutCountry },
    });
    const body = problem(response) as unknown as { errors: { path: string; code: string }[] };
    expect(response.statusCode).toBe(400);
    expect(body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'password', code: 'REQUIRED' }),
        expect.objectContaining({ path: 'full_name', code: 'REQUIRED' }),
        expect.objectContaining({ path: 'company.country', code: 'REQUIRED' }),
      ]),
    );
  });

  it('unknown fields are refused by name, not ignored', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: {
        email: uniqueEmail(),
        password: 'a long password',
        full_name: 'X',
        is_super_admin: true,
        company: { ...SA_COMPANY, is_approved: true },
      },
    });
    expect(response.statusCode).toBe(400);
    const body = problem(response) as unknown as { errors: { path: string; code: string }[] };
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { path: 'is_super_admin', code: 'UNKNOWN_FIELD', message: expect.any(String) },
        { path: 'company.is_approved', code: 'UNKNOWN_FIELD', message: expect.any(String) },
      ]),
    );
  });

  it('oversized bodies get 413', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'a@b.co', password: 'x'.repeat(70 * 1024) },
    });
    expect(response.statusCode).toBe(413);
    expect(problem(response).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('a JSON body that is not valid UTF-8 is refused, not stored with replacement characters', async () => {
    for (const bytes of [
      [0xff, 0xfe],
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
    ]) {
      const response = await as(
        t.app,
        owner,
      )({
        method: 'POST',
        url: '/api/v1/customers',
        headers: { 'content-type': 'application/json' },
        payload: Buffer.concat([
          Buffer.from('{"name_en":"'),
          Buffer.from(bytes),
          Buffer.from('Bad bytes","address":{"country":"SA","city":"Riyadh"}}'),
        ]),
      });
      expect(response.statusCode).toBe(400);
      expect(problem(response).code).toBe('MALFORMED_JSON');
    }
    const utf16 = await as(
      t.app,
      owner,
    )({
      method: 'POST',
      url: '/api/v1/customers',
      headers: { 'content-type': 'application/json; charset=utf-16' },
      payload: '{"name_en":"Bad bytes","address":{"country":"SA","city":"Riyadh"}}',
    });
    expect(utf16.statusCode).toBe(415);
    expect(problem(utf16).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const list = await as(t.app, owner)({ method: 'GET', url: '/api/v1/customers?q=Bad%20bytes' });
    expect(list.json().total).toBe(0);
    // Valid UTF-8 (Arabic, emoji) and a byte order mark still pass; prototype poisoning is still refused.
    const arabic = await as(
      t.app,
      owner,
    )({
      method: 'POST',
      url: '/api/v1/customers',
      headers: { 'content-type': 'application/json; charset=UTF-8' },
      payload: Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from('{"name_en":"Ok 😀","name_ar":"عميل","address":{"country":"SA","city":"Riyadh"}}'),
      ]),
    });
    expect(arabic.statusCode).toBe(201);
    expect(arabic.json().name_ar).toBe('عميل');
    const poisoned = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"__proto__":{"x":1},"email":"a@b.co","password":"x"}',
    });
    expect(poisoned.statusCode).toBe(400);
  });

  it('a body that is not JSON gets 415', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'text/xml' },
      payload: '<login/>',
    });
    expect(response.statusCode).toBe(415);
    expect(problem(response).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('bad query parameters and path ids', async () => {
    const query = await as(t.app, owner)({ method: 'GET', url: '/api/v1/audit-log?limit=abc&extra=1' });
    expect(query.statusCode).toBe(400);
    const body = problem(query) as unknown as { errors: { path: string }[] };
    expect(body.errors.map((e) => e.path).sort()).toEqual(['query.extra', 'query.limit']);
    const id = await as(
      t.app,
      owner,
    )({ method: 'PATCH', url: "/api/v1/companies/current/members/1' OR 1=1", payload: { role: 'viewer' } });
    expect(id.statusCode).toBe(400);
    expect(problem(id).code).toBe('VALIDATION_FAILED');
  });

  it('a malformed company header is a 404 for the company, not a database error', async () => {
    const response = await as(t.app, {
      accessToken: owner.accessToken,
      companyId: "x'; DROP TABLE users; --",
    })({ method: 'GET', url: '/api/v1/companies/current' });
    expect(response.statusCode).toBe(404);
    expect(problem(response).code).toBe('COMPANY_NOT_FOUND');
  });

  it('deeply nested JSON and huge numbers are refused cleanly', async () => {
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const nested = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: deep,
    });
    expect(nested.statusCode).toBeGreaterThanOrEqual(400);
    expect(nested.statusCode).toBeLessThan(500);
    const overflow = await as(
      t.app,
      owner,
    )({
      method: 'POST',
      url: '/api/v1/drafts',
      headers: { 'content-type': 'application/json' },
      payload: '{"draft_data":{"customer_name":1e999999},"is_auto_saved":false,"name":"x"}',
    });
    expect(overflow.statusCode).toBe(400);
    expect(problem(overflow)).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ path: 'draft_data.customer_name', code: 'NUMBER_OUT_OF_RANGE' }],
    });
    const huge = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":1e999999,"password":"x"}',
    });
    expect(huge.statusCode).toBe(400);
  });

  it("a path parameter longer than the router allows is a 414 problem, not the framework's bare JSON", async () => {
    const response = await as(t.app, owner)({ method: 'GET', url: `/api/v1/invoices/${'x'.repeat(500)}` });
    expect(response.statusCode).toBe(414);
    expect(problem(response).code).toBe('URI_TOO_LONG');
  });

  it('unknown routes answer a problem, not an HTML page', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(problem(response).code).toBe('ROUTE_NOT_FOUND');
  });

  it('a rejected registration writes nothing: no user, no company, no audit entry', async () => {
    const countRows = async () => {
      const [users] = await t.database.db.select({ n: count() }).from(schema.users);
      const [companies] = await t.database.db.select({ n: count() }).from(schema.companies);
      const [audit] = await t.database.db.select({ n: count() }).from(schema.auditLog);
      return [users?.n, companies?.n, audit?.n];
    };
    const before = await countRows();
    const email = uniqueEmail();
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: {
        email,
        password: 'a long password',
        full_name: 'X',
        company: { ...SA_COMPANY, vat_number: '1' },
      },
    });
    // Same email twice at once: one account, and the loser leaves no company behind.
    await Promise.all([
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/register',
        payload: { email, password: 'a long password', full_name: 'X', company: SA_COMPANY },
      }),
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/register',
        payload: { email, password: 'a long password', full_name: 'Y', company: SA_COMPANY },
      }),
    ]);
    const after = await countRows();
    expect(after[0]).toBe((before[0] ?? 0) + 1);
    expect(after[1]).toBe((before[1] ?? 0) + 1);
  });

  it('the audit log refuses updates and deletes', async () => {
    await expect(t.database.db.execute(sql`UPDATE audit_log SET action = 'forged'`)).rejects.toThrow();
    await expect(t.database.db.execute(sql`DELETE FROM audit_log`)).rejects.toThrow();
  });
});
