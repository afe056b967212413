import { schema } from '@invoiceflow/db';
import { and, eq } from '@invoiceflow/db/orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestApp, registerUser, type Session, type TestApp } from '../../../test/support/app';
import { describeDevice } from './device';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const CHROME_ANDROID =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';

/** A sign-in from a browser (its User-Agent); the session it starts. */
async function signIn(user: Session, userAgent: string): Promise<Session> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: user.email, password: user.password },
    headers: { 'user-agent': userAgent },
  });
  expect(response.statusCode).toBe(200);
  const body = response.json();
  return { ...user, accessToken: body.access_token, refreshToken: body.refresh_token };
}

const refresh = (refreshToken: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refresh_token: refreshToken } });

interface SessionBody {
  id: string;
  device: string | null;
  started_at: string;
  last_used_at: string;
  expires_at: string;
  current: boolean;
}

async function sessionsOf(session: Session): Promise<SessionBody[]> {
  const response = await as(t.app, session)({ method: 'GET', url: '/api/v1/me/sessions' });
  expect(response.statusCode).toBe(200);
  return response.json().sessions;
}

describe('signed-in sessions', () => {
  it('lists one session per sign-in with the current one marked and a coarse device only', async () => {
    const user = await registerUser(t.app);
    const laptop = await signIn(user, FIREFOX_WINDOWS);
    const phone = await signIn(user, CHROME_ANDROID);

    const seen = await sessionsOf(laptop);
    // The registration's own login is one too.
    expect(seen).toHaveLength(3);
    expect(seen.filter((s) => s.current)).toHaveLength(1);
    const current = seen.find((s) => s.current);
    expect(current?.device).toBe('Firefox on Windows');
    expect(seen.map((s) => s.device)).toContain('Chrome on Android');
    for (const s of seen) {
      expect(Date.parse(s.expires_at)).toBeGreaterThan(Date.now());
      expect(Date.parse(s.last_used_at)).toBeGreaterThanOrEqual(Date.parse(s.started_at));
    }
    // From the phone, the phone's login is the current one.
    const fromPhone = await sessionsOf(phone);
    expect(fromPhone.find((s) => s.current)?.device).toBe('Chrome on Android');
    expect(fromPhone.find((s) => s.current)?.id).not.toBe(current?.id);

    // Only the short description is stored, never the User-Agent.
    const rows = await t.database.db
      .select({ device: schema.refreshTokens.device })
      .from(schema.refreshTokens)
      .where(eq(schema.refreshTokens.userId, user.userId));
    expect(rows.map((r) => r.device).sort()).toEqual(
      ['Chrome on Android', 'Firefox on Windows', null].sort(),
    );
  });

  it('a refresh keeps the session and its device, and moves its last use', async () => {
    const user = await registerUser(t.app);
    const laptop = await signIn(user, FIREFOX_WINDOWS);
    const before = (await sessionsOf(laptop)).find((s) => s.current);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const refreshed = await refresh(laptop.refreshToken);
    expect(refreshed.statusCode).toBe(200);
    const next = { ...laptop, accessToken: refreshed.json().access_token };
    const after = await sessionsOf(next);
    expect(after).toHaveLength(2);
    const current = after.find((s) => s.current);
    expect(current).toMatchObject({
      id: before?.id,
      device: 'Firefox on Windows',
      started_at: before?.started_at,
    });
    expect(Date.parse(current?.last_used_at ?? '')).toBeGreaterThan(Date.parse(before?.last_used_at ?? ''));
  });

  it('signing another session out stops its refresh and its access, and is audited; this one keeps working', async () => {
    const user = await registerUser(t.app);
    const laptop = await signIn(user, FIREFOX_WINDOWS);
    const phone = await signIn(user, CHROME_ANDROID);
    const phoneId = (await sessionsOf(phone)).find((s) => s.current)?.id;
    expect(phoneId).toBeDefined();

    const revoked = await as(t.app, laptop)({ method: 'DELETE', url: `/api/v1/me/sessions/${phoneId}` });
    expect(revoked.statusCode).toBe(204);
    expect((await refresh(phone.refreshToken)).statusCode).toBe(401);
    expect((await as(t.app, phone)({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
    const left = await sessionsOf(laptop);
    expect(left.map((s) => s.id)).not.toContain(phoneId);
    expect(left).toHaveLength(2);
    expect((await refresh(laptop.refreshToken)).statusCode).toBe(200);

    // A second time it is gone.
    const again = await as(t.app, laptop)({ method: 'DELETE', url: `/api/v1/me/sessions/${phoneId}` });
    expect(again.statusCode).toBe(404);

    const audit = await t.database.db
      .select()
      .from(schema.auditLog)
      .where(
        and(eq(schema.auditLog.actorUserId, user.userId), eq(schema.auditLog.action, 'user.session_revoked')),
      );
    expect(audit).toHaveLength(1);
    expect(audit[0]?.data).toMatchObject({ session_id: phoneId, current: false });
  });

  it("another user's session, an unknown id and a malformed id are not found or refused", async () => {
    const owner = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    const ownerSessionId = (await sessionsOf(owner))[0]?.id;
    expect(ownerSessionId).toBeDefined();

    const call = as(t.app, stranger);
    const foreign = await call({ method: 'DELETE', url: `/api/v1/me/sessions/${ownerSessionId}` });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.headers['content-type']).toContain('application/problem+json');
    expect(foreign.json().code).toBe('SESSION_NOT_FOUND');
    const unknown = await call({
      method: 'DELETE',
      url: '/api/v1/me/sessions/4f1a2b3c-0000-4000-8000-000000000000',
    });
    expect(unknown.statusCode).toBe(404);
    const malformed = await call({ method: 'DELETE', url: '/api/v1/me/sessions/not-an-id' });
    expect(malformed.statusCode).toBe(400);
    // The owner's session was untouched, and a stranger never sees it.
    expect((await refresh(owner.refreshToken)).statusCode).toBe(200);
    expect((await sessionsOf(stranger)).map((s) => s.id)).not.toContain(ownerSessionId);
    expect(await sessionsOf(stranger)).toHaveLength(1);
  });

  it('signing out every other session keeps the current one working', async () => {
    const user = await registerUser(t.app);
    const laptop = await signIn(user, FIREFOX_WINDOWS);
    const phone = await signIn(user, CHROME_ANDROID);
    const other = await registerUser(t.app);

    const response = await as(t.app, laptop)({ method: 'DELETE', url: '/api/v1/me/sessions' });
    expect(response.statusCode).toBe(204);
    expect((await refresh(phone.refreshToken)).statusCode).toBe(401);
    expect((await refresh(user.refreshToken)).statusCode).toBe(401);
    const left = await sessionsOf(laptop);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ current: true, device: 'Firefox on Windows' });
    expect((await as(t.app, laptop)({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200);
    expect((await refresh(laptop.refreshToken)).statusCode).toBe(200);
    // Another user's sessions are not touched.
    expect((await refresh(other.refreshToken)).statusCode).toBe(200);
  });

  it('needs a signed-in user', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/me/sessions' });
    expect(response.statusCode).toBe(401);
  });
});

describe('device description', () => {
  it('names the browser and system, and nothing it does not recognize', () => {
    expect(describeDevice(FIREFOX_WINDOWS)).toBe('Firefox on Windows');
    expect(describeDevice(CHROME_ANDROID)).toBe('Chrome on Android');
    expect(
      describeDevice(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
      ),
    ).toBe('Chromium on Linux');
    expect(
      describeDevice(
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
      ),
    ).toBe('Safari on macOS');
    expect(
      describeDevice(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
      ),
    ).toBe('Safari on iOS');
    expect(
      describeDevice(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
      ),
    ).toBe('Edge on Windows');
    expect(describeDevice('lightMyRequest')).toBeNull();
    expect(describeDevice(undefined)).toBeNull();
  });
});
