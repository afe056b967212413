import { schema } from '@invoiceflow/db';
import { and, count, desc, eq, sql } from '@invoiceflow/db/orm';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  createTestApp,
  login as loginAs,
  openSecondApp,
  registerUser,
  SA_COMPANY,
  type Session,
  type TestApp,
  uniqueEmail,
} from '../../../test/support/app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    LOGIN_MAX_FAILURES_PER_ACCOUNT: 5,
    LOGIN_MAX_FAILURES_PER_ADDRESS: 50,
    ACCOUNT_MAIL_MAX_PER_RECIPIENT: 3,
    ACCOUNT_MAIL_MAX_PER_ADDRESS: 10,
  });
});
afterAll(() => t.close());

const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload, headers });

/** A request from a given client address (each test its own, so address limits do not leak between tests). */
const postFrom = (remoteAddress: string, url: string, payload: object, app = t.app) =>
  app.inject({ method: 'POST', url, payload, remoteAddress });

/** Turns two-factor on for a session (with its password) and returns the authenticator and backup codes. */
async function enableMfa(user: Session, app = t.app) {
  const call = as(app, user);
  const enrol = await call({
    method: 'POST',
    url: '/api/v1/auth/mfa/totp/enroll',
    payload: { password: user.password },
  });
  expect(enrol.statusCode).toBe(200);
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(enrol.json().secret) });
  const confirm = await call({
    method: 'POST',
    url: '/api/v1/auth/mfa/totp/confirm',
    payload: { code: totp.generate(), password: user.password },
  });
  expect(confirm.statusCode).toBe(200);
  return { totp, backupCodes: confirm.json().backup_codes as string[] };
}

/** The token of the newest mail of a kind sent to an address. */
async function mailedToken(to: string, kind: string): Promise<string> {
  const [mail] = await t.database.db
    .select()
    .from(schema.mailOutbox)
    .where(and(eq(schema.mailOutbox.toAddress, to), eq(schema.mailOutbox.kind, kind)))
    .orderBy(desc(schema.mailOutbox.createdAt));
  return decodeURIComponent(/token=([^\s]+)/.exec(mail?.textBody ?? '')?.[1] ?? '');
}

const mailsTo = async (to: string, kind: string) =>
  (
    await t.database.db
      .select()
      .from(schema.mailOutbox)
      .where(and(eq(schema.mailOutbox.toAddress, to), eq(schema.mailOutbox.kind, kind)))
  ).length;

describe('registration and login', () => {
  it('registers a user with a company, logs in and reads /me', async () => {
    const email = uniqueEmail();
    const registered = await post('/api/v1/auth/register', {
      email,
      password: 'a long password',
      full_name: 'Sara',
      company: SA_COMPANY,
    });
    expect(registered.statusCode).toBe(201);
    const body = registered.json();
    expect(body.company).toMatchObject({
      legal_name_en: SA_COMPANY.legal_name_en,
      currency: 'SAR',
      country: 'SA',
    });

    const login = await post('/api/v1/auth/login', {
      email: email.toUpperCase(),
      password: 'a long password',
    });
    expect(login.statusCode).toBe(200);
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${login.json().access_token}` },
    });
    expect(me.json()).toMatchObject({
      user: { email, full_name: 'Sara', mfa_enabled: false },
      companies: [{ id: body.company.id, role: 'owner' }],
      current_company_id: body.company.id,
    });
  });

  it('refuses a second account with the same email, whatever its case', async () => {
    const email = uniqueEmail();
    await post('/api/v1/auth/register', {
      email,
      password: 'a long password',
      full_name: 'A',
      company: SA_COMPANY,
    });
    const again = await post('/api/v1/auth/register', {
      email: email.toUpperCase(),
      password: 'another password',
      full_name: 'B',
      company: SA_COMPANY,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'EMAIL_TAKEN', errors: [{ path: 'email' }] });
  });

  it('validates the company VAT number and Saudi address per country', async () => {
    const response = await post('/api/v1/auth/register', {
      email: uniqueEmail(),
      password: 'a long password',
      full_name: 'A',
      company: {
        ...SA_COMPANY,
        vat_number: '123456789012345',
        address: { ...SA_COMPANY.address, building_number: '12', postal_code: '1234' },
      },
    });
    expect(response.statusCode).toBe(400);
    const paths = response.json().errors.map((e: { path: string; code: string }) => `${e.path}:${e.code}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'company.vat_number:VAT_NUMBER_INVALID',
        'company.address.building_number:BR-KSA-37',
        'company.address.postal_code:BR-KSA-66',
      ]),
    );
  });

  it('rejects a wrong password and an unknown account alike', async () => {
    const user = await registerUser(t.app);
    const wrong = await post('/api/v1/auth/login', { email: user.email, password: 'not the password' });
    const unknown = await post('/api/v1/auth/login', { email: uniqueEmail(), password: 'whatever123' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().code).toBe('INVALID_CREDENTIALS');
    expect(unknown.json().code).toBe('INVALID_CREDENTIALS');
  });
});

describe('refresh tokens', () => {
  it('rotates, and reuse of a rotated token revokes the whole family', async () => {
    const user = await registerUser(t.app);
    const first = await post('/api/v1/auth/refresh', { refresh_token: user.refreshToken });
    expect(first.statusCode).toBe(200);
    const rotated = first.json();
    expect(rotated.refresh_token).not.toBe(user.refreshToken);

    const reuse = await post('/api/v1/auth/refresh', { refresh_token: user.refreshToken });
    expect(reuse.statusCode).toBe(401);
    expect(reuse.json().code).toBe('TOKEN_REUSED');

    // The thief's reuse killed the legitimate successor too, and its access token.
    const successor = await post('/api/v1/auth/refresh', { refresh_token: rotated.refresh_token });
    expect(successor.statusCode).toBe(401);
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${rotated.access_token}` },
    });
    expect(me.statusCode).toBe(401);
  });

  it('lets only one of two simultaneous refreshes with one token succeed', async () => {
    const user = await registerUser(t.app);
    const results = await Promise.all([
      post('/api/v1/auth/refresh', { refresh_token: user.refreshToken }),
      post('/api/v1/auth/refresh', { refresh_token: user.refreshToken }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 401]);
  });

  it('logout revokes the refresh token and the access tokens of that login', async () => {
    const user = await registerUser(t.app);
    const out = await post('/api/v1/auth/logout', { refresh_token: user.refreshToken });
    expect(out.statusCode).toBe(204);
    expect((await post('/api/v1/auth/refresh', { refresh_token: user.refreshToken })).statusCode).toBe(401);
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${user.accessToken}` },
    });
    expect(me.statusCode).toBe(401);
  });

  it('refuses forged, malformed and missing access tokens', async () => {
    const user = await registerUser(t.app);
    const [header, payload] = user.accessToken.split('.');
    for (const authorization of [`Bearer ${header}.${payload}.forged`, 'Bearer nonsense', 'Basic abc', '']) {
      const response = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization } });
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
  });
});

describe('two-factor authentication', () => {
  it('enrols TOTP, then requires the second step, accepts each code once and each backup code once', async () => {
    const user = await registerUser(t.app);
    const call = as(t.app, user);
    const enrol = await call({
      method: 'POST',
      url: '/api/v1/auth/mfa/totp/enroll',
      payload: { password: user.password },
    });
    expect(enrol.statusCode).toBe(200);
    const { secret, otpauth_uri, qr_svg } = enrol.json();
    expect(otpauth_uri).toMatch(/^otpauth:\/\/totp\/InvoiceFlow:/);
    expect(qr_svg).toContain('<svg');
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), period: 30, digits: 6 });

    expect(
      (
        await call({
          method: 'POST',
          url: '/api/v1/auth/mfa/totp/confirm',
          payload: { code: '000000', password: user.password },
        })
      ).statusCode,
    ).toBe(401);
    const confirm = await call({
      method: 'POST',
      url: '/api/v1/auth/mfa/totp/confirm',
      payload: { code: totp.generate(), password: user.password },
    });
    expect(confirm.statusCode).toBe(200);
    const backupCodes: string[] = confirm.json().backup_codes;
    expect(backupCodes).toHaveLength(10);
    expect(new Set(backupCodes).size).toBe(10);
    const stored = await t.database.db
      .select()
      .from(schema.backupCodes)
      .where(eq(schema.backupCodes.userId, user.userId));
    expect(stored.map((row) => row.codeHash)).not.toContain(backupCodes[0]);

    const challenge = await post('/api/v1/auth/login', { email: user.email, password: user.password });
    expect(challenge.json()).toMatchObject({ mfa_required: true });
    expect(challenge.json().access_token).toBeUndefined();
    const mfaToken = challenge.json().mfa_token;

    // The code used to confirm enrolment is spent: the same time step is not accepted twice.
    const next = totp.generate({ timestamp: Date.now() + 30_000 });
    const ok = await post('/api/v1/auth/login/mfa', { mfa_token: mfaToken, code: next });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().access_token).toBeTruthy();
    expect((await post('/api/v1/auth/login/mfa', { mfa_token: mfaToken, code: next })).json().code).toBe(
      'MFA_CODE_INVALID',
    );

    const backup = await post('/api/v1/auth/login/mfa', { mfa_token: mfaToken, code: backupCodes[3] });
    expect(backup.statusCode).toBe(200);
    const backupAgain = await post('/api/v1/auth/login/mfa', { mfa_token: mfaToken, code: backupCodes[3] });
    expect(backupAgain.statusCode).toBe(401);
  });

  it('refuses an MFA token used as an access token', async () => {
    const user = await registerUser(t.app);
    await enableMfa(user);
    const { mfa_token } = (
      await post('/api/v1/auth/login', { email: user.email, password: user.password })
    ).json();
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${mfa_token}` },
    });
    expect(me.statusCode).toBe(401);
  });
});

describe('brute-force throttling', () => {
  it('answers 429 with Retry-After after five failures on one account, even with the right password', async () => {
    const user = await registerUser(t.app);
    for (let i = 0; i < 5; i++) {
      expect(
        (await post('/api/v1/auth/login', { email: user.email, password: `wrong-${i}-password` })).statusCode,
      ).toBe(401);
    }
    const blocked = await post('/api/v1/auth/login', { email: user.email, password: user.password });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().code).toBe('TOO_MANY_LOGIN_ATTEMPTS');
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(900);
    // Another account from the same address is not locked by it.
    const other = await registerUser(t.app);
    expect(
      (await post('/api/v1/auth/login', { email: other.email, password: other.password })).statusCode,
    ).toBe(200);
  });

  it('throttles one address that tries many accounts', async () => {
    const local = await createTestApp({ LOGIN_MAX_FAILURES_PER_ADDRESS: 3 });
    try {
      const user = await registerUser(local.app);
      for (let i = 0; i < 3; i++) {
        await local.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: uniqueEmail(), password: 'guessing-123' },
        });
      }
      const blocked = await local.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: user.email, password: user.password },
      });
      expect(blocked.statusCode).toBe(429);
      expect(blocked.headers['retry-after']).toBeDefined();
    } finally {
      await local.close();
    }
  });
});

describe('password reset', () => {
  it('mails a single-use link that sets a new password and signs out other sessions', async () => {
    const user = await registerUser(t.app);
    expect((await post('/api/v1/auth/password/forgot', { email: uniqueEmail() })).statusCode).toBe(202);
    expect((await post('/api/v1/auth/password/forgot', { email: user.email })).statusCode).toBe(202);
    const [mail] = await t.database.db
      .select()
      .from(schema.mailOutbox)
      .where(eq(schema.mailOutbox.toAddress, user.email))
      .orderBy(desc(schema.mailOutbox.createdAt));
    expect(mail?.kind).toBe('password_reset');
    const token = decodeURIComponent(/token=([^\s]+)/.exec(mail?.textBody ?? '')?.[1] ?? '');
    expect(token).not.toBe('');

    expect(
      (await post('/api/v1/auth/password/reset', { token, password: 'a brand new password' })).statusCode,
    ).toBe(204);
    expect(
      (await post('/api/v1/auth/password/reset', { token, password: 'yet another password' })).json().code,
    ).toBe('RESET_TOKEN_INVALID');
    expect((await post('/api/v1/auth/refresh', { refresh_token: user.refreshToken })).statusCode).toBe(401);
    expect(
      (await post('/api/v1/auth/login', { email: user.email, password: user.password })).statusCode,
    ).toBe(401);
    const signedIn = await post('/api/v1/auth/login', {
      email: user.email,
      password: 'a brand new password',
    });
    expect(signedIn.statusCode).toBe(200);
    // The link reached the mailbox: the address counts as verified (it may now join other companies).
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${signedIn.json().access_token}` },
    });
    expect(me.json().user.email_verified).toBe(true);
  });
});

describe('two-factor changes need the password', () => {
  it('refuses enrolment without the password or with a wrong one; turning it on signs out every other session', async () => {
    const user = await registerUser(t.app);
    const elsewhere = await loginAs(t.app, user.email, user.password, user.companyId);
    const call = as(t.app, user);
    const enroll = (payload: object) =>
      call({ method: 'POST', url: '/api/v1/auth/mfa/totp/enroll', payload });
    expect((await enroll({})).statusCode).toBe(400);
    const wrong = await enroll({ password: 'not the password' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('INVALID_CREDENTIALS');
    const started = await enroll({ password: user.password });
    expect(started.statusCode).toBe(200);
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(started.json().secret) });
    const confirm = (password: string) =>
      call({
        method: 'POST',
        url: '/api/v1/auth/mfa/totp/confirm',
        payload: { code: totp.generate(), password },
      });
    const wrongConfirm = await confirm('not the password');
    expect(wrongConfirm.statusCode).toBe(401);
    expect(wrongConfirm.json().code).toBe('INVALID_CREDENTIALS');
    expect((await confirm(user.password)).statusCode).toBe(200);

    // The session that turned it on goes on; the other one must sign in again, now with the second factor.
    expect((await call({ method: 'GET', url: '/api/v1/me' })).json().user.mfa_enabled).toBe(true);
    expect((await as(t.app, elsewhere)({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
    expect((await post('/api/v1/auth/refresh', { refresh_token: elsewhere.refreshToken })).statusCode).toBe(
      401,
    );
    expect((await post('/api/v1/auth/refresh', { refresh_token: user.refreshToken })).statusCode).toBe(200);
    expect(await mailsTo(user.email, 'security_notice')).toBe(1);
  });

  it('keeps two-factor on through a password reset; the link in the "turned on" notice removes it', async () => {
    const owner = await registerUser(t.app);
    await enableMfa(owner);
    expect(
      (await postFrom('10.6.0.1', '/api/v1/auth/password/forgot', { email: owner.email })).statusCode,
    ).toBe(202);
    const reset = await post('/api/v1/auth/password/reset', {
      token: await mailedToken(owner.email, 'password_reset'),
      password: 'a brand new password',
    });
    expect(reset.statusCode).toBe(204);
    const afterReset = await post('/api/v1/auth/login', {
      email: owner.email,
      password: 'a brand new password',
    });
    expect(afterReset.json()).toMatchObject({ mfa_required: true });

    // Someone who had the password turned two-factor on: the owner's way back is the link in the notice.
    const victim = await registerUser(t.app);
    await enableMfa(victim);
    const recovered = await post('/api/v1/auth/password/reset', {
      token: await mailedToken(victim.email, 'security_notice'),
      password: 'mine again, for good',
    });
    expect(recovered.statusCode).toBe(204);
    expect((await post('/api/v1/auth/refresh', { refresh_token: victim.refreshToken })).statusCode).toBe(401);
    const signedIn = await post('/api/v1/auth/login', {
      email: victim.email,
      password: 'mine again, for good',
    });
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().access_token).toBeTruthy();
  });

  it('lets only the newest "turned on" notice remove the second factor', async () => {
    const user = await registerUser(t.app);
    const { totp } = await enableMfa(user);
    const firstNotice = await mailedToken(user.email, 'security_notice');
    const off = await as(
      t.app,
      user,
    )({
      method: 'POST',
      url: '/api/v1/auth/mfa/totp/disable',
      payload: { password: user.password, code: totp.generate({ timestamp: Date.now() + 30_000 }) },
    });
    expect(off.statusCode).toBe(204);
    await enableMfa(user);
    const stale = await post('/api/v1/auth/password/reset', {
      token: firstNotice,
      password: 'from an old mail',
    });
    expect(stale.json().code).toBe('RESET_TOKEN_INVALID');
    const afterStale = await post('/api/v1/auth/login', { email: user.email, password: user.password });
    expect(afterStale.json()).toMatchObject({ mfa_required: true });
  });

  it('does not count a mistyped code while confirming enrolment as a failed sign-in', async () => {
    const user = await registerUser(t.app);
    const call = as(t.app, user);
    const started = await call({
      method: 'POST',
      url: '/api/v1/auth/mfa/totp/enroll',
      payload: { password: user.password },
      remoteAddress: '10.7.0.1',
    });
    expect(started.statusCode).toBe(200);
    for (let i = 0; i < 6; i++) {
      const typo = await call({
        method: 'POST',
        url: '/api/v1/auth/mfa/totp/confirm',
        payload: { code: '000000', password: user.password },
        remoteAddress: '10.7.0.1',
      });
      expect(typo.json().code).toBe('MFA_CODE_INVALID');
    }
    expect(
      (await postFrom('10.7.0.2', '/api/v1/auth/login', { email: user.email, password: user.password }))
        .statusCode,
    ).toBe(200);
  });
});

describe('sign-in hardening', () => {
  it('lets fifty simultaneous wrong passwords make at most five guesses, across processes', async () => {
    const user = await registerUser(t.app);
    // On PostgreSQL half of the guesses go to a second API process on the same database.
    const second = await openSecondApp(t);
    try {
      const apps = second ? [t.app, second.app] : [t.app];
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          postFrom(
            '10.2.0.1',
            '/api/v1/auth/login',
            { email: user.email, password: `wrong-${i}-password` },
            apps[i % apps.length],
          ),
        ),
      );
      const statuses = answers.map((a) => a.statusCode);
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(45);
      const [recorded] = await t.database.db
        .select({ n: count() })
        .from(schema.loginAttempts)
        .where(sql`lower(${schema.loginAttempts.email}) = ${user.email}`);
      expect(recorded?.n).toBe(5);
    } finally {
      await second?.close();
    }
  });

  it('after a lockout, the right password works from an address that signed in before, not from a new one', async () => {
    const user = await registerUser(t.app);
    const signIn = (address: string, password: string) =>
      postFrom(address, '/api/v1/auth/login', { email: user.email, password });
    expect((await signIn('10.3.0.1', user.password)).statusCode).toBe(200);
    for (let i = 0; i < 5; i++)
      expect((await signIn('10.3.0.66', `wrong-${i}-password`)).statusCode).toBe(401);
    expect((await signIn('10.3.0.66', user.password)).statusCode).toBe(429);
    expect((await signIn('10.3.0.9', user.password)).statusCode).toBe(429);
    const owner = await signIn('10.3.0.1', user.password);
    expect(owner.statusCode).toBe(200);
    expect(owner.json().access_token).toBeTruthy();
    // From the known address the account's limit still holds, counted for that address alone.
    for (let i = 0; i < 5; i++) expect((await signIn('10.3.0.1', `again-${i}-wrong`)).statusCode).toBe(401);
    expect((await signIn('10.3.0.1', user.password)).statusCode).toBe(429);
  });

  it('throttles turning two-factor off like sign-in: wrong passwords count as failures', async () => {
    const user = await registerUser(t.app);
    const { totp } = await enableMfa(user);
    const disable = (password: string, code: string) =>
      as(
        t.app,
        user,
      )({
        method: 'POST',
        url: '/api/v1/auth/mfa/totp/disable',
        payload: { password, code },
        remoteAddress: '10.4.0.1',
      });
    for (let i = 0; i < 5; i++) {
      const guess = await disable(`guess-${i}-password`, '123456');
      expect(guess.statusCode).toBe(401);
      expect(guess.json().code).toBe('INVALID_CREDENTIALS');
    }
    const blocked = await disable(user.password, totp.generate({ timestamp: Date.now() + 30_000 }));
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().code).toBe('TOO_MANY_LOGIN_ATTEMPTS');
    expect(blocked.headers['retry-after']).toBeDefined();
  });
});

describe('password reset hardening', () => {
  it('refuses an older reset link once a newer one has been used', async () => {
    const user = await registerUser(t.app);
    await postFrom('10.1.0.1', '/api/v1/auth/password/forgot', { email: user.email });
    const older = await mailedToken(user.email, 'password_reset');
    await postFrom('10.1.0.1', '/api/v1/auth/password/forgot', { email: user.email });
    const newer = await mailedToken(user.email, 'password_reset');
    expect(newer).not.toBe(older);
    expect(
      (await post('/api/v1/auth/password/reset', { token: newer, password: 'the new password' })).statusCode,
    ).toBe(204);
    const stale = await post('/api/v1/auth/password/reset', {
      token: older,
      password: 'an attacker password',
    });
    expect(stale.statusCode).toBe(400);
    expect(stale.json().code).toBe('RESET_TOKEN_INVALID');
    // The reset ended the sessions that existed before it, access tokens included.
    expect((await as(t.app, user)({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
    expect((await post('/api/v1/auth/refresh', { refresh_token: user.refreshToken })).statusCode).toBe(401);
    expect(
      (await post('/api/v1/auth/login', { email: user.email, password: 'the new password' })).statusCode,
    ).toBe(200);
  });

  it('limits reset mails per recipient and per requesting address, answering the same either way', async () => {
    const user = await registerUser(t.app);
    const forgot = (address: string, email: string) =>
      postFrom(address, '/api/v1/auth/password/forgot', { email });
    const answers = await Promise.all(Array.from({ length: 30 }, () => forgot('10.5.0.1', user.email)));
    const unknown = await forgot('10.5.0.1', uniqueEmail());
    for (const answer of [...answers, unknown]) {
      expect(answer.statusCode).toBe(202);
      expect(answer.body).toBe(answers[0]?.body);
    }
    expect(await mailsTo(user.email, 'password_reset')).toBe(3);

    // One address asking for many recipients is cut off too, for accounts that exist as for those that do not.
    const other = await registerUser(t.app);
    for (let i = 0; i < 10; i++) expect((await forgot('10.5.0.2', uniqueEmail())).statusCode).toBe(202);
    const refused = await forgot('10.5.0.2', other.email);
    expect(refused.statusCode).toBe(202);
    expect(refused.body).toBe(answers[0]?.body);
    expect(await mailsTo(other.email, 'password_reset')).toBe(0);
    await forgot('10.5.0.3', other.email);
    expect(await mailsTo(other.email, 'password_reset')).toBe(1);
  });
});
