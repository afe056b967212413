import { schema } from '@invoiceflow/db';
import { desc, eq } from '@invoiceflow/db/orm';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  createTestApp,
  registerUser,
  SA_COMPANY,
  type TestApp,
  uniqueEmail,
} from '../../../test/support/app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: 5, LOGIN_MAX_FAILURES_PER_ADDRESS: 50 });
});
afterAll(() => t.close());

const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload, headers });

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
    const enrol = await call({ method: 'POST', url: '/api/v1/auth/mfa/totp/enroll' });
    expect(enrol.statusCode).toBe(200);
    const { secret, otpauth_uri, qr_svg } = enrol.json();
    expect(otpauth_uri).toMatch(/^otpauth:\/\/totp\/InvoiceFlow:/);
    expect(qr_svg).toContain('<svg');
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), period: 30, digits: 6 });

    expect(
      (await call({ method: 'POST', url: '/api/v1/auth/mfa/totp/confirm', payload: { code: '000000' } }))
        .statusCode,
    ).toBe(401);
    const confirm = await call({
      method: 'POST',
      url: '/api/v1/auth/mfa/totp/confirm',
      payload: { code: totp.generate() },
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
    const call = as(t.app, user);
    const { secret } = (await call({ method: 'POST', url: '/api/v1/auth/mfa/totp/enroll' })).json();
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) });
    await call({ method: 'POST', url: '/api/v1/auth/mfa/totp/confirm', payload: { code: totp.generate() } });
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
    expect(
      (await post('/api/v1/auth/login', { email: user.email, password: 'a brand new password' })).statusCode,
    ).toBe(200);
  });
});
