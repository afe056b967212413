import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestApp, login, registerUser, type TestApp } from '../../../test/support/app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('password change', () => {
  it('needs the current password; the new one signs in, the old one and other sessions no longer do', async () => {
    const user = await registerUser(t.app);
    const other = await login(t.app, user.email, user.password, user.companyId);
    const call = as(t.app, user);
    const wrong = await call({
      method: 'POST',
      url: '/api/v1/auth/password/change',
      payload: { current_password: 'not the password', new_password: 'a brand new passphrase' },
    });
    expect(wrong.statusCode).toBe(401);
    const short = await call({
      method: 'POST',
      url: '/api/v1/auth/password/change',
      payload: { current_password: user.password, new_password: 'short' },
    });
    expect(short.json().errors[0]).toMatchObject({ path: 'new_password' });

    const changed = await call({
      method: 'POST',
      url: '/api/v1/auth/password/change',
      payload: { current_password: user.password, new_password: 'a brand new passphrase' },
    });
    expect(changed.statusCode).toBe(204);
    // This session stays; the other one's refresh token is revoked.
    expect((await call({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200);
    const refreshed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refresh_token: other.refreshToken },
    });
    expect(refreshed.statusCode).toBe(401);
    const old = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: user.password },
    });
    expect(old.statusCode).toBe(401);
    await expect(login(t.app, user.email, 'a brand new passphrase', user.companyId)).resolves.toBeTruthy();
  });
});
