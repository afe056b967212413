// The users API as the seed writes it (/api/v1/users/ with trailing slashes): a company's members for its
// owners and admins, added by invitation, changed and deactivated under the member rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  as,
  type Call,
  createTestApp,
  mailedToken,
  registerUser,
  type Session,
  type TestApp,
  uniqueEmail,
  verifyEmail,
} from '../../../test/support/app';
import { SA_BUYER } from '../../../test/support/companies';

let t: TestApp;
let owner: Session;
let call: Call;
beforeAll(async () => {
  t = await createTestApp();
  owner = await registerUser(t.app);
  call = as(t.app, owner);
});
afterAll(() => t.close());

async function customer(c: Call): Promise<string> {
  const created = await c({
    method: 'POST',
    url: '/api/v1/customers',
    payload: { kind: 'company', ...SA_BUYER },
  });
  expect(created.statusCode, created.body).toBe(201);
  return created.json().id;
}

/** Opens the invitation link as a new person: signs up with their own password. */
async function acceptAsNewPerson(email: string, extra: object = {}) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/invitations/accept',
    payload: {
      token: await mailedToken(t.app, email, 'invitation'),
      password: 'a-long-password-1',
      ...extra,
    },
  });
}

describe('users, as the seed writes them', () => {
  it('POST /api/v1/users/ invites; the person sets their password, then GET, PUT and PATCH /api/v1/users/{id}/ work', async () => {
    const email = uniqueEmail('accountant');
    const created = await call({
      method: 'POST',
      url: '/api/v1/users/',
      payload: { username: email, email, first_name: 'Noura', last_name: 'Al Saud', role: 'Accountant' },
    });
    expect(created.statusCode, created.body).toBe(202);
    expect(created.json()).toMatchObject({ status: 'invited', email, role: 'accountant', customer_id: null });
    // Not a member yet: an invitation is not a user.
    const before = (await call({ method: 'GET', url: '/api/v1/users/' })).json().users;
    expect(before.map((u: { email: string }) => u.email)).not.toContain(email);

    // The name the admin gave is offered: the person only chooses a password.
    const accepted = await acceptAsNewPerson(email);
    expect(accepted.statusCode, accepted.body).toBe(200);
    const id = accepted.json().user_id;

    const list = await call({ method: 'GET', url: '/api/v1/users/' });
    expect(list.statusCode).toBe(200);
    const listed = list.json().users.find((u: { id: string }) => u.id === id);
    expect(listed).toMatchObject({
      email,
      username: email,
      first_name: 'Noura',
      last_name: 'Al Saud',
      full_name: 'Noura Al Saud',
      role: 'accountant',
      is_active: true,
    });
    const one = await call({ method: 'GET', url: `/api/v1/users/${id}/` });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual(listed);
    // Without the slash too.
    expect((await call({ method: 'GET', url: `/api/v1/users/${id}` })).json()).toEqual(listed);

    // PUT what GET answered with another role: the person's own fields come back unchanged and are accepted.
    const { id: _id, joined_at: _joined, scopes: _scopes, customer_id: _customer, ...editable } = listed;
    const put = await call({
      method: 'PUT',
      url: `/api/v1/users/${id}/`,
      payload: { ...editable, role: 'viewer' },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ id, role: 'viewer', first_name: 'Noura' });

    const renamed = await call({
      method: 'PUT',
      url: `/api/v1/users/${id}/`,
      payload: { ...editable, first_name: 'Someone', role: 'viewer' },
    });
    expect(renamed.statusCode).toBe(400);
    expect(renamed.json().errors).toEqual([
      expect.objectContaining({ path: 'first_name', code: 'OWNED_BY_USER' }),
    ]);

    const patched = await call({
      method: 'PATCH',
      url: `/api/v1/users/${id}/`,
      payload: { role: 'finance' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().role).toBe('finance');
    const audit = (await call({ method: 'GET', url: '/api/v1/audit-log' })).json().entries;
    expect(audit.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['member.invited', 'member.joined', 'member.updated']),
    );
  });

  it('DELETE /api/v1/users/{id}/ deactivates: the person loses the company, PATCH is_active brings them back', async () => {
    const member = await addMember(t.app, owner, 'finance');
    const asMember = as(t.app, member);
    expect((await asMember({ method: 'GET', url: '/api/v1/invoices' })).statusCode).toBe(200);
    const deactivated = await call({ method: 'DELETE', url: `/api/v1/users/${member.userId}/` });
    expect(deactivated.statusCode, deactivated.body).toBe(204);
    expect((await call({ method: 'GET', url: `/api/v1/users/${member.userId}/` })).json().is_active).toBe(
      false,
    );
    expect((await asMember({ method: 'GET', url: '/api/v1/invoices' })).statusCode).toBe(404);
    const back = await call({
      method: 'PATCH',
      url: `/api/v1/users/${member.userId}/`,
      payload: { is_active: true },
    });
    expect(back.json().is_active).toBe(true);
    expect((await asMember({ method: 'GET', url: '/api/v1/invoices' })).statusCode).toBe(200);
  });

  it('an existing account invited through /users/ joins only once it accepts, signed in', async () => {
    const other = await registerUser(t.app);
    await verifyEmail(t.app, other.email);
    const invited = await call({
      method: 'POST',
      url: '/api/v1/users/',
      payload: { email: other.email, role: 'viewer' },
    });
    expect(invited.statusCode).toBe(202);
    const ids = async () =>
      (await call({ method: 'GET', url: '/api/v1/users/' })).json().users.map((u: { id: string }) => u.id);
    expect(await ids()).not.toContain(other.userId);
    expect((await call({ method: 'GET', url: `/api/v1/users/${other.userId}/` })).statusCode).toBe(404);
    // The link alone does not hand an existing account the membership.
    const byLink = await acceptAsNewPerson(other.email, { full_name: 'Someone' });
    expect(byLink.json().code).toBe('INVITATION_SIGN_IN_REQUIRED');
    expect(await ids()).not.toContain(other.userId);
    const accepted = await t.app.inject({
      method: 'POST',
      url: `/api/v1/me/invitations/${invited.json().invitation_id}/accept`,
      headers: { authorization: `Bearer ${other.accessToken}` },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(await ids()).toContain(other.userId);
  });

  it('a viewer, finance member or accountant gets 403 on every users route', async () => {
    for (const role of ['viewer', 'finance', 'accountant']) {
      const member = as(
        t.app,
        await addMember(t.app, owner, role, role === 'accountant' ? ['invoices'] : undefined),
      );
      const requests = [
        { method: 'GET', url: '/api/v1/users/' },
        { method: 'POST', url: '/api/v1/users/', payload: { email: uniqueEmail(), role: 'admin' } },
        { method: 'GET', url: `/api/v1/users/${owner.userId}/` },
        { method: 'PUT', url: `/api/v1/users/${owner.userId}/`, payload: { role: 'viewer' } },
        { method: 'PATCH', url: `/api/v1/users/${owner.userId}/`, payload: { role: 'viewer' } },
        { method: 'DELETE', url: `/api/v1/users/${owner.userId}/` },
      ] as const;
      for (const request of requests) {
        const response = await member(request);
        expect(response.statusCode, `${role} ${request.method} ${request.url}`).toBe(403);
      }
    }
    expect((await call({ method: 'GET', url: `/api/v1/users/${owner.userId}/` })).json().role).toBe('owner');
  });

  it('keeps the last owner: it cannot be deactivated or demoted', async () => {
    const deactivate = await call({ method: 'DELETE', url: `/api/v1/users/${owner.userId}/` });
    expect(deactivate.statusCode).toBe(409);
    expect(deactivate.json().code).toBe('LAST_OWNER');
    const demote = await call({
      method: 'PATCH',
      url: `/api/v1/users/${owner.userId}/`,
      payload: { role: 'admin' },
    });
    expect(demote.json().code).toBe('LAST_OWNER');
    // An admin cannot hand out ownership.
    const admin = as(t.app, await addMember(t.app, owner, 'admin'));
    const grant = await admin({
      method: 'POST',
      url: '/api/v1/users/',
      payload: { email: uniqueEmail(), role: 'owner' },
    });
    expect(grant.statusCode).toBe(403);
  });

  it('refuses a password (the person sets their own) and a sign-in name that is not the address', async () => {
    const email = uniqueEmail();
    const withPassword = await call({
      method: 'POST',
      url: '/api/v1/users/',
      payload: { email, role: 'viewer', password: 'chosen-by-admin' },
    });
    expect(withPassword.statusCode).toBe(400);
    expect(withPassword.json().errors).toEqual([
      expect.objectContaining({ path: 'password', code: 'SET_BY_INVITEE' }),
    ]);
    const mismatch = await call({
      method: 'POST',
      url: '/api/v1/users/',
      payload: { email, username: uniqueEmail(), role: 'viewer' },
    });
    expect(mismatch.json().errors).toEqual([expect.objectContaining({ path: 'username' })]);
    const nothing = await call({ method: 'POST', url: '/api/v1/users/', payload: { role: 'viewer' } });
    expect(nothing.json().errors).toEqual([expect.objectContaining({ path: 'email', code: 'REQUIRED' })]);
  });
});

describe('the client role', () => {
  it("is bound to one customer of the company and opens none of the company's own routes", async () => {
    const customerId = await customer(call);
    const email = uniqueEmail('client');
    const unbound = await call({ method: 'POST', url: '/api/v1/users/', payload: { email, role: 'client' } });
    expect(unbound.json().errors).toEqual([
      expect.objectContaining({ path: 'customer_id', code: 'REQUIRED' }),
    ]);
    const elsewhere = as(t.app, await registerUser(t.app));
    const foreign = await call({
      method: 'POST',
      url: '/api/v1/users/',
      payload: { email, role: 'client', customer_id: await customer(elsewhere) },
    });
    expect(foreign.json().errors).toEqual([
      expect.objectContaining({ path: 'customer_id', code: 'CUSTOMER_NOT_FOUND' }),
    ]);
    const notClient = await call({
      method: 'POST',
      url: '/api/v1/users/',
      payload: { email, role: 'viewer', customer_id: customerId },
    });
    expect(notClient.json().errors).toEqual([
      expect.objectContaining({ path: 'customer_id', code: 'NOT_A_CLIENT' }),
    ]);

    const invited = await call({
      method: 'POST',
      url: '/api/v1/users/',
      payload: { email, role: 'Client', customer_id: customerId, first_name: 'Omar' },
    });
    expect(invited.statusCode, invited.body).toBe(202);
    expect(invited.json()).toMatchObject({ role: 'client', customer_id: customerId });
    const accepted = await acceptAsNewPerson(email);
    expect(accepted.statusCode, accepted.body).toBe(200);
    const user = (await call({ method: 'GET', url: `/api/v1/users/${accepted.json().user_id}/` })).json();
    expect(user).toMatchObject({ role: 'client', customer_id: customerId, full_name: 'Omar' });

    const signedIn = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: 'a-long-password-1' },
    });
    const client = as(t.app, { accessToken: signedIn.json().access_token, companyId: owner.companyId });
    for (const url of [
      '/api/v1/invoices',
      '/api/v1/customers',
      '/api/v1/companies/current',
      '/api/v1/users/',
    ])
      expect((await client({ method: 'GET', url })).statusCode, url).toBe(403);

    // Another role drops the customer; back to client, a customer must be named again.
    const viewer = await call({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}/`,
      payload: { role: 'viewer' },
    });
    expect(viewer.json()).toMatchObject({ role: 'viewer', customer_id: null });
    const again = await call({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}/`,
      payload: { role: 'client' },
    });
    expect(again.json().errors).toEqual([expect.objectContaining({ path: 'customer_id', code: 'REQUIRED' })]);
  });
});
