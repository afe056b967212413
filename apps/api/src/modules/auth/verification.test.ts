import { schema } from '@invoiceflow/db';
import { eq } from '@invoiceflow/db/orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  createTestApp,
  mailedToken,
  registerUser,
  type TestApp,
  verifyEmail,
} from '../../../test/support/app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ VERIFICATION_MAILS_PER_HOUR: 2 });
});
afterAll(() => t.close());

const me = async (session: { accessToken: string; companyId: string }) =>
  (await as(t.app, session)({ method: 'GET', url: '/api/v1/me' })).json().user;
const verify = (token: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/email/verify', payload: { token } });
const resend = (session: { accessToken: string; companyId: string }) =>
  as(t.app, session)({ method: 'POST', url: '/api/v1/auth/email/resend' });

describe('e-mail verification', () => {
  it('registration mails a single-use link; /me shows the address unverified until it is opened', async () => {
    const user = await registerUser(t.app);
    expect((await me(user)).email_verified).toBe(false);
    const token = await mailedToken(t.app, user.email, 'email_verification');
    const [stored] = await t.database.db
      .select()
      .from(schema.emailVerificationTokens)
      .where(eq(schema.emailVerificationTokens.userId, user.userId));
    expect(stored?.tokenHash).not.toContain(token);
    const first = await verify(token);
    expect(first.statusCode).toBe(200);
    expect((await me(user)).email_verified).toBe(true);
    const again = await verify(token);
    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe('VERIFICATION_TOKEN_INVALID');
    const resent = await resend(user);
    expect(resent.statusCode).toBe(409);
    expect(resent.json().code).toBe('EMAIL_ALREADY_VERIFIED');
  });

  it('refuses an expired or unknown link', async () => {
    const user = await registerUser(t.app);
    const token = await mailedToken(t.app, user.email, 'email_verification');
    await t.database.db
      .update(schema.emailVerificationTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.emailVerificationTokens.userId, user.userId));
    expect((await verify(token)).json().code).toBe('VERIFICATION_TOKEN_INVALID');
    expect((await verify('not-a-token')).statusCode).toBe(400);
    expect((await me(user)).email_verified).toBe(false);
  });

  it('resends a new link, a few an hour', async () => {
    const user = await registerUser(t.app);
    const first = await mailedToken(t.app, user.email, 'email_verification');
    const resent = await resend(user);
    expect(resent.statusCode).toBe(202);
    const second = await mailedToken(t.app, user.email, 'email_verification');
    expect(second).not.toBe(first);
    const limited = await resend(user);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('TOO_MANY_VERIFICATION_MAILS');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await verifyEmail(t.app, user.email);
    expect((await me(user)).email_verified).toBe(true);
  });

  it('an unverified account still runs its own company: it issues an invoice', async () => {
    const user = await registerUser(t.app);
    const issued = await as(
      t.app,
      user,
    )({
      method: 'POST',
      url: '/api/v1/invoices/generate',
      headers: { 'idempotency-key': 'unverified-first' },
      payload: {
        customer_name: 'Walk-in',
        line_items: [{ description: 'Service', quantity: 1, unit_price: 100, vat_rate: 15 }],
      },
    });
    expect(issued.statusCode).toBe(201);
  });
});
