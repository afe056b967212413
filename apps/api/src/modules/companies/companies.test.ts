import { schema } from '@invoiceflow/db';
import { desc, eq } from '@invoiceflow/db/orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AE_COMPANY,
  addMember,
  as,
  createTestApp,
  login,
  mailedToken,
  registerUser,
  type Session,
  type TestApp,
  uniqueEmail,
  verifyEmail,
} from '../../../test/support/app';

let t: TestApp;
let owner: Session;
beforeAll(async () => {
  t = await createTestApp();
  owner = await registerUser(t.app);
});
afterAll(() => t.close());

describe('company', () => {
  it('reads and changes the active company; the change is audited', async () => {
    const call = as(t.app, owner);
    const changed = await call({
      method: 'PATCH',
      url: '/api/v1/companies/current',
      payload: { legal_name_en: 'Renamed LTD' },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().legal_name_en).toBe('Renamed LTD');
    const audit = (await call({ method: 'GET', url: '/api/v1/audit-log' })).json().entries;
    expect(audit[0]).toMatchObject({
      action: 'company.updated',
      actor_user_id: owner.userId,
      data: { fields: ['legal_name_en'] },
    });
  });

  it('creates a second company (UAE, with emirate and TRN) and switches to it per request', async () => {
    const call = as(t.app, owner);
    const created = await call({ method: 'POST', url: '/api/v1/companies', payload: AE_COMPANY });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ country: 'AE', currency: 'AED' });
    const uae = await as(t.app, { ...owner, companyId: created.json().id })({
      method: 'GET',
      url: '/api/v1/companies/current',
    });
    expect(uae.json().legal_name_en).toBe(AE_COMPANY.legal_name_en);
    const list = (await call({ method: 'GET', url: '/api/v1/companies' })).json().companies;
    expect(list).toHaveLength(2);
  });

  it('lists the companies a page at a time, and caps how many companies one account creates', async () => {
    const capped = await createTestApp({ MAX_COMPANIES_PER_USER: 3 });
    try {
      const user = await registerUser(capped.app);
      const call = as(capped.app, user);
      for (const name of ['B Co', 'C Co']) {
        const created = await call({
          method: 'POST',
          url: '/api/v1/companies',
          payload: { ...AE_COMPANY, legal_name_en: name },
        });
        expect(created.statusCode).toBe(201);
      }
      const refused = await call({ method: 'POST', url: '/api/v1/companies', payload: AE_COMPANY });
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({ code: 'COMPANY_LIMIT_REACHED', limit: 3 });
      const first = (await call({ method: 'GET', url: '/api/v1/companies?limit=2' })).json();
      expect(first.companies.map((c: { legal_name_en: string }) => c.legal_name_en)).toEqual([
        'B Co',
        'C Co',
      ]);
      expect(first.next_offset).toBe(2);
      const rest = (await call({ method: 'GET', url: '/api/v1/companies?limit=2&offset=2' })).json();
      expect(rest.companies.map((c: { legal_name_en: string }) => c.legal_name_en)).toEqual([
        'Maximum Speed Tech Supply LTD',
      ]);
      expect(rest.next_offset).toBeNull();
      const tooMany = await call({ method: 'GET', url: '/api/v1/companies?limit=5000' });
      expect(tooMany.statusCode).toBe(400);
    } finally {
      await capped.close();
    }
  });

  it('requires the emirate for a UAE company', async () => {
    const { emirate: _emirate, ...address } = AE_COMPANY.address;
    const response = await as(
      t.app,
      owner,
    )({ method: 'POST', url: '/api/v1/companies', payload: { ...AE_COMPANY, address } });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([
      expect.objectContaining({ path: 'address.emirate', code: 'EMIRATE_REQUIRED' }),
    ]);
  });
});

describe('roles', () => {
  it('a viewer reads but cannot write', async () => {
    const viewer = await addMember(t.app, owner, 'viewer');
    const call = as(t.app, viewer);
    expect((await call({ method: 'GET', url: '/api/v1/companies/current' })).statusCode).toBe(200);
    const write = await call({
      method: 'PATCH',
      url: '/api/v1/companies/current',
      payload: { legal_name_en: 'Hijacked' },
    });
    expect(write.statusCode).toBe(403);
    expect(write.json().code).toBe('FORBIDDEN');
    expect((await call({ method: 'GET', url: '/api/v1/audit-log' })).statusCode).toBe(403);
  });

  it('an accountant cannot manage or even list members, and reads only its scopes', async () => {
    const accountant = await addMember(t.app, owner, 'accountant', ['invoices']);
    const call = as(t.app, accountant);
    const invite = await call({
      method: 'POST',
      url: '/api/v1/companies/current/members',
      payload: { email: uniqueEmail(), role: 'admin' },
    });
    expect(invite.statusCode).toBe(403);
    expect((await call({ method: 'GET', url: '/api/v1/companies/current/members' })).statusCode).toBe(403);
    expect(
      (await call({ method: 'PATCH', url: '/api/v1/companies/current', payload: { legal_name_en: 'X' } }))
        .statusCode,
    ).toBe(403);
    expect((await call({ method: 'GET', url: '/api/v1/companies/current' })).statusCode).toBe(200);
  });

  it('a finance user cannot manage members; an admin can, but cannot make owners', async () => {
    const finance = await addMember(t.app, owner, 'finance');
    const admin = await addMember(t.app, owner, 'admin');
    expect(
      (
        await as(
          t.app,
          finance,
        )({
          method: 'PATCH',
          url: `/api/v1/companies/current/members/${admin.userId}`,
          payload: { role: 'viewer' },
        })
      ).statusCode,
    ).toBe(403);
    const demote = await as(
      t.app,
      admin,
    )({
      method: 'PATCH',
      url: `/api/v1/companies/current/members/${finance.userId}`,
      payload: { role: 'viewer' },
    });
    expect(demote.statusCode).toBe(200);
    expect(demote.json().role).toBe('viewer');
    const promote = await as(
      t.app,
      admin,
    )({
      method: 'PATCH',
      url: `/api/v1/companies/current/members/${finance.userId}`,
      payload: { role: 'owner' },
    });
    expect(promote.statusCode).toBe(403);
    const removeOwner = await as(
      t.app,
      admin,
    )({ method: 'DELETE', url: `/api/v1/companies/current/members/${owner.userId}` });
    expect(removeOwner.statusCode).toBe(403);
  });

  it('keeps at least one owner', async () => {
    const solo = await registerUser(t.app);
    const call = as(t.app, solo);
    const demote = await call({
      method: 'PATCH',
      url: `/api/v1/companies/current/members/${solo.userId}`,
      payload: { role: 'admin' },
    });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().code).toBe('LAST_OWNER');
    expect(
      (await call({ method: 'DELETE', url: `/api/v1/companies/current/members/${solo.userId}` })).json().code,
    ).toBe('LAST_OWNER');
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'two owners demoting or removing each other at once: one wins, one owner remains, never a 500 (PostgreSQL)',
    async () => {
      for (let trial = 0; trial < 12; trial++) {
        const first = await registerUser(t.app);
        const second = await addMember(t.app, first, 'owner');
        const demoteOrRemove = (actor: Session, target: Session) =>
          as(
            t.app,
            actor,
          )(
            trial % 2 === 0
              ? {
                  method: 'PATCH',
                  url: `/api/v1/companies/current/members/${target.userId}`,
                  payload: { role: 'admin' },
                }
              : { method: 'DELETE', url: `/api/v1/companies/current/members/${target.userId}` },
          );
        const answers = await Promise.all([demoteOrRemove(first, second), demoteOrRemove(second, first)]);
        // One wins. The other is refused as the last owner — or, once the winner's change committed, as no
        // longer an owner (403) or no longer a member at all (404): never a 500.
        const success = trial % 2 === 0 ? 200 : 204;
        expect(answers.filter((a) => a.statusCode === success)).toHaveLength(1);
        const [lost] = answers.filter((a) => a.statusCode !== success);
        expect([
          ['409', 'LAST_OWNER'],
          ['403', 'FORBIDDEN'],
          ['404', 'COMPANY_NOT_FOUND'],
        ]).toContainEqual([String(lost?.statusCode), lost?.json().code]);
        const members = (
          await t.database.db
            .select()
            .from(schema.memberships)
            .where(eq(schema.memberships.companyId, first.companyId))
        ).filter((m) => m.role === 'owner');
        expect(members).toHaveLength(1);
      }
    },
  );

  it('a suspended or removed member loses access at once, with 404 for the company', async () => {
    const member = await addMember(t.app, owner, 'finance');
    await as(
      t.app,
      owner,
    )({
      method: 'PATCH',
      url: `/api/v1/companies/current/members/${member.userId}`,
      payload: { is_suspended: true },
    });
    const suspended = await as(t.app, member)({ method: 'GET', url: '/api/v1/companies/current' });
    expect(suspended.statusCode).toBe(404);
    await as(
      t.app,
      owner,
    )({
      method: 'PATCH',
      url: `/api/v1/companies/current/members/${member.userId}`,
      payload: { is_suspended: false },
    });
    expect((await as(t.app, member)({ method: 'GET', url: '/api/v1/companies/current' })).statusCode).toBe(
      200,
    );
    expect(
      (
        await as(
          t.app,
          owner,
        )({ method: 'DELETE', url: `/api/v1/companies/current/members/${member.userId}` })
      ).statusCode,
    ).toBe(204);
    expect((await as(t.app, member)({ method: 'GET', url: '/api/v1/companies/current' })).statusCode).toBe(
      404,
    );
  });
});

describe('invitations', () => {
  it('invites an address without an account; accepting creates the account as a member with the role', async () => {
    const email = uniqueEmail('invitee');
    const invite = await as(
      t.app,
      owner,
    )({ method: 'POST', url: '/api/v1/companies/current/members', payload: { email, role: 'finance' } });
    expect(invite.statusCode).toBe(202);
    const [mail] = await t.database.db
      .select()
      .from(schema.mailOutbox)
      .where(eq(schema.mailOutbox.toAddress, email))
      .orderBy(desc(schema.mailOutbox.createdAt));
    const token = decodeURIComponent(/token=(\S+)/.exec(mail?.textBody ?? '')?.[1] ?? '');
    const missing = await t.app.inject({
      method: 'POST',
      url: '/api/v1/invitations/accept',
      payload: { token },
    });
    expect(missing.statusCode).toBe(400);
    expect(
      missing
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['full_name', 'password']);
    // The refused attempt rolled back whole: the invitation is still open.
    const accept = await t.app.inject({
      method: 'POST',
      url: '/api/v1/invitations/accept',
      payload: { token, full_name: 'New Finance', password: 'a long password' },
    });
    expect(accept.statusCode).toBe(200);
    expect(accept.json().company_id).toBe(owner.companyId);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/invitations/accept',
      payload: { token, full_name: 'X', password: 'a long password' },
    });
    expect(again.json().code).toBe('INVITATION_INVALID');
    const session = await login(t.app, email, 'a long password', owner.companyId);
    // Signing up through the mailed link proved the address.
    expect((await as(t.app, session)({ method: 'GET', url: '/api/v1/me' })).json().user.email_verified).toBe(
      true,
    );
    const members = (
      await as(t.app, owner)({ method: 'GET', url: '/api/v1/companies/current/members' })
    ).json().members;
    expect(members).toEqual(expect.arrayContaining([expect.objectContaining({ email, role: 'finance' })]));
    expect(
      (
        await as(
          t.app,
          session,
        )({ method: 'PATCH', url: '/api/v1/companies/current', payload: { legal_name_en: 'X' } })
      ).statusCode,
    ).toBe(403);
  });
});

describe('joining needs the consent of the address', () => {
  const invite = (email: string, role = 'finance') =>
    as(t.app, owner)({ method: 'POST', url: '/api/v1/companies/current/members', payload: { email, role } });
  const memberEmails = async () =>
    (await as(t.app, owner)({ method: 'GET', url: '/api/v1/companies/current/members' }))
      .json()
      .members.map((m: { email: string }) => m.email);

  it('an account registered in advance under the address gains nothing, and learns nothing', async () => {
    const squatter = await registerUser(t.app);
    const forSquatter = await invite(squatter.email);
    const forNobody = await invite(uniqueEmail('nobody'));
    // The same answer whether or not the address has an account: no name, no member, no hint.
    expect(forSquatter.statusCode).toBe(202);
    expect(forNobody.statusCode).toBe(202);
    expect(Object.keys(forSquatter.json()).sort()).toEqual(Object.keys(forNobody.json()).sort());
    expect(forSquatter.body).not.toContain('Test User');
    expect(await memberEmails()).not.toContain(squatter.email);
    const inOwnersCompany = as(t.app, { ...squatter, companyId: owner.companyId });
    expect((await inOwnersCompany({ method: 'GET', url: '/api/v1/invoices' })).statusCode).toBe(404);
    // Its address is not verified: it neither sees the invitation nor accepts it.
    const mine = await as(t.app, squatter)({ method: 'GET', url: '/api/v1/me/invitations' });
    expect(mine.statusCode).toBe(403);
    expect(mine.json().code).toBe('EMAIL_NOT_VERIFIED');
    const accept = await as(
      t.app,
      squatter,
    )({ method: 'POST', url: `/api/v1/me/invitations/${forSquatter.json().invitation_id}/accept` });
    expect(accept.statusCode).toBe(403);
    expect(accept.json().code).toBe('EMAIL_NOT_VERIFIED');
    // The mailed link, even in other hands, does not attach the membership to the existing account.
    const token = await mailedToken(t.app, squatter.email, 'invitation');
    const byLink = await t.app.inject({
      method: 'POST',
      url: '/api/v1/invitations/accept',
      payload: { token },
    });
    expect(byLink.statusCode).toBe(409);
    expect(byLink.json().code).toBe('INVITATION_SIGN_IN_REQUIRED');
    expect(await memberEmails()).not.toContain(squatter.email);
  });

  it('a verified account accepts its own invitation signed in; nobody else can', async () => {
    const person = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    await verifyEmail(t.app, person.email);
    await verifyEmail(t.app, stranger.email);
    const invitationId = (await invite(person.email, 'viewer')).json().invitation_id;
    expect(await memberEmails()).not.toContain(person.email);
    const byStranger = await as(
      t.app,
      stranger,
    )({ method: 'POST', url: `/api/v1/me/invitations/${invitationId}/accept` });
    expect(byStranger.statusCode).toBe(404);
    const listed = (await as(t.app, person)({ method: 'GET', url: '/api/v1/me/invitations' })).json();
    expect(listed.invitations).toEqual([
      expect.objectContaining({ id: invitationId, company_id: owner.companyId, role: 'viewer' }),
    ]);
    const accepted = await as(
      t.app,
      person,
    )({ method: 'POST', url: `/api/v1/me/invitations/${invitationId}/accept` });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toEqual({ company_id: owner.companyId, user_id: person.userId });
    expect(await memberEmails()).toContain(person.email);
    const inCompany = as(t.app, { ...person, companyId: owner.companyId });
    expect((await inCompany({ method: 'GET', url: '/api/v1/invoices' })).statusCode).toBe(200);
    const twice = await as(
      t.app,
      person,
    )({ method: 'POST', url: `/api/v1/me/invitations/${invitationId}/accept` });
    expect(twice.statusCode).toBe(404);
    expect((await invite(person.email)).json().code).toBe('ALREADY_MEMBER');
  });

  it('invitations are listed with their status, can be revoked, and expire', async () => {
    const revokedFor = await registerUser(t.app);
    const expiredFor = await registerUser(t.app);
    await verifyEmail(t.app, revokedFor.email);
    await verifyEmail(t.app, expiredFor.email);
    const revokedId = (await invite(revokedFor.email)).json().invitation_id;
    const expiredId = (await invite(expiredFor.email)).json().invitation_id;
    const revoke = await as(
      t.app,
      owner,
    )({ method: 'DELETE', url: `/api/v1/companies/current/invitations/${revokedId}` });
    expect(revoke.statusCode).toBe(204);
    const again = await as(
      t.app,
      owner,
    )({ method: 'DELETE', url: `/api/v1/companies/current/invitations/${revokedId}` });
    expect(again.json().code).toBe('INVITATION_NOT_PENDING');
    await t.database.db
      .update(schema.invitations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.invitations.id, expiredId));
    for (const [person, id] of [
      [revokedFor, revokedId],
      [expiredFor, expiredId],
    ] as const) {
      const accept = await as(t.app, person)({ method: 'POST', url: `/api/v1/me/invitations/${id}/accept` });
      expect(accept.statusCode).toBe(404);
      expect(
        (await as(t.app, person)({ method: 'GET', url: '/api/v1/me/invitations' })).json().invitations,
      ).toEqual([]);
    }
    const token = await mailedToken(t.app, revokedFor.email, 'invitation');
    const byLink = await t.app.inject({
      method: 'POST',
      url: '/api/v1/invitations/accept',
      payload: { token, full_name: 'X', password: 'a long password' },
    });
    expect(byLink.json().code).toBe('INVITATION_INVALID');
    const listed = (
      await as(t.app, owner)({ method: 'GET', url: '/api/v1/companies/current/invitations' })
    ).json().invitations;
    expect(listed.find((i: { id: string }) => i.id === revokedId)?.status).toBe('revoked');
    expect(listed.find((i: { id: string }) => i.id === expiredId)?.status).toBe('expired');
    const finance = await addMember(t.app, owner, 'finance');
    const byFinance = await as(
      t.app,
      finance,
    )({ method: 'GET', url: '/api/v1/companies/current/invitations' });
    expect(byFinance.statusCode).toBe(403);
  });
});

it('members of the company are listed with their roles', async () => {
  const member = await addMember(t.app, owner, 'viewer');
  const members = (await as(t.app, owner)({ method: 'GET', url: '/api/v1/companies/current/members' })).json()
    .members;
  expect(members).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ user_id: member.userId, role: 'viewer', email: member.email }),
    ]),
  );
  const session = await login(t.app, member.email, member.password, owner.companyId);
  expect((await as(t.app, session)({ method: 'GET', url: '/api/v1/companies/current' })).statusCode).toBe(
    200,
  );
});
