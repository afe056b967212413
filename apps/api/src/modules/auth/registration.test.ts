// Who may sign up: an install's first account, then people invited, unless the deployment opens sign-up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  createTestApp,
  mailedToken,
  registerUser,
  SA_COMPANY,
  type TestApp,
  uniqueEmail,
} from '../../../test/support/app';

const signUp = (t: TestApp, email = uniqueEmail()) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: { email, password: 'a-long-password-1', full_name: 'Someone', company: SA_COMPANY },
  });

describe('ALLOW_REGISTRATION unset (the default): sign-up by invitation after the first account', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ ALLOW_REGISTRATION: false });
  });
  afterAll(() => t.close());

  it('the first account signs up and runs the install; the second sign-up is refused with a clear problem', async () => {
    const first = await signUp(t);
    expect(first.statusCode, first.body).toBe(201);
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${first.json().access_token}` },
    });
    expect(me.json().user.is_super_admin).toBe(true);

    const email = uniqueEmail();
    const second = await signUp(t, email);
    expect(second.statusCode).toBe(403);
    expect(second.headers['content-type']).toContain('application/problem+json');
    expect(second.json()).toMatchObject({
      code: 'REGISTRATION_CLOSED',
      message: expect.stringContaining('invitation'),
    });
    // Nothing was made: the address can still be invited and sign up through the link.
    const owner = { accessToken: first.json().access_token, companyId: first.json().company.id };
    const invited = await as(
      t.app,
      owner,
    )({ method: 'POST', url: '/api/v1/users/', payload: { email, role: 'finance' } });
    expect(invited.statusCode).toBe(202);
    const joined = await t.app.inject({
      method: 'POST',
      url: '/api/v1/invitations/accept',
      payload: {
        token: await mailedToken(t.app, email, 'invitation'),
        full_name: 'Invited Person',
        password: 'a-long-password-2',
      },
    });
    expect(joined.statusCode, joined.body).toBe(200);
    const signedIn = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: 'a-long-password-2' },
    });
    expect(signedIn.statusCode).toBe(200);
    const self = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${signedIn.json().access_token}` },
    });
    expect(self.json().user.is_super_admin).toBe(false);
  });
});

describe('ALLOW_REGISTRATION=true with REQUIRE_COMPANY_APPROVAL=true (a multi-tenant service)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ ALLOW_REGISTRATION: true, REQUIRE_COMPANY_APPROVAL: true });
  });
  afterAll(() => t.close());

  it('anyone signs up; each new company waits for approval', async () => {
    await registerUser(t.app);
    const later = await registerUser(t.app);
    const company = (await as(t.app, later)({ method: 'GET', url: '/api/v1/companies/current' })).json();
    expect(company).toMatchObject({ is_approved: false, approval_status: 'pending', rejection_reason: null });
  });
});
