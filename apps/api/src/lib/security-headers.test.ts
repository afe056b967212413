// Security headers on every answer: helmet's (computed once) on documents, the OWASP REST set on API answers.
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createTestApp,
  registerUser,
  SA_COMPANY,
  type Session,
  type TestApp,
  uniqueEmail,
} from '../../test/support/app';
import {
  API_SECURITY_HEADERS,
  computeSecurityHeaders,
  registerResponseHeaders,
  securityHeaders,
} from './security-headers';

let t: TestApp;
let session: Session;
beforeAll(async () => {
  t = await createTestApp();
  session = await registerUser(t.app);
});
afterAll(() => t.close());

describe('security headers', () => {
  it('are what helmet sets with the app policy', async () => {
    const headers = await securityHeaders();
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['content-security-policy']).toContain("img-src 'self' data:");
    expect(headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'strict-transport-security': expect.stringContaining('max-age='),
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
    });
    // Nothing Fastify itself sets (content-type, content-length, date, connection) is taken for helmet's.
    expect(Object.keys(headers)).not.toContain('content-type');
    expect(Object.keys(headers)).not.toContain('content-length');
    const framed = await computeSecurityHeaders({ frameguard: { action: 'deny' } });
    expect(framed['x-frame-options']).toBe('DENY');
  });

  it("are on every answer, with the request id: the API set on API answers, helmet's on documents", async () => {
    const documentHeaders = await securityHeaders();
    const documents = [
      await t.app.inject({ method: 'GET', url: '/health' }),
      await t.app.inject({ method: 'GET', url: '/api/docs/' }),
    ];
    const api = [
      await t.app.inject({ method: 'GET', url: '/api/v1/no-such-route' }),
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/preview/calculate',
        payload: { lines: [] },
        headers: { authorization: 'Bearer not-a-token' },
      }),
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/preview/calculate',
        payload: { line_items: [{ quantity: 1, unit_price: 10, vat_rate: 15 }] },
        headers: { authorization: `Bearer ${session.accessToken}`, 'x-request-id': 'trace-42' },
      }),
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { authorization: `Bearer ${session.accessToken}` },
      }),
    ];
    expect(documents.map((answer) => answer.statusCode)).toEqual([200, 200]);
    expect(api.map((answer) => answer.statusCode)).toEqual([404, 401, 200, 200]);
    expect(documents[0]?.headers).toMatchObject(documentHeaders);
    // Swagger UI sends its own CSP (staticCSP); the rest of helmet's set is there.
    expect(documents[1]?.headers).toMatchObject({
      'x-frame-options': 'SAMEORIGIN',
      'x-dns-prefetch-control': 'off',
    });
    for (const answer of api) {
      expect(answer.headers).toMatchObject(API_SECURITY_HEADERS);
      // Document-only policies stay off API answers.
      expect(answer.headers['x-dns-prefetch-control']).toBeUndefined();
      expect(answer.headers['x-xss-protection']).toBeUndefined();
    }
    for (const answer of [...documents, ...api]) {
      expect(answer.headers['x-request-id']).toEqual(expect.any(String));
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
    }
    expect(api[2]?.headers['x-request-id']).toBe('trace-42');
    expect(api[2]?.json()).toMatchObject({ total_amount: '11.50', is_valid: true });
  });

  it('leave CORS out unless origins are configured', async () => {
    const preflight = {
      method: 'OPTIONS' as const,
      url: '/api/v1/preview/calculate',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
    };
    const closed = await t.app.inject(preflight);
    expect(closed.headers['access-control-allow-origin']).toBeUndefined();

    const open = await createTestApp({ CORS_ORIGINS: ['https://app.example.com'] });
    try {
      const answer = await open.app.inject(preflight);
      expect(answer.statusCode).toBe(204);
      expect(answer.headers['access-control-allow-origin']).toBe('https://app.example.com');
    } finally {
      await open.close();
    }
  });
});

describe('answers that carry credentials', () => {
  it('are never stored by a browser, proxy or CDN: Cache-Control no-store', async () => {
    const me = await registerUser(t.app);
    const post = (url: string, payload: object, token?: string) =>
      t.app.inject({
        method: 'POST',
        url,
        payload,
        ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
      });
    const answers: Record<string, { statusCode: number; headers: Record<string, unknown> }> = {};
    answers.register = await post('/api/v1/auth/register', {
      email: uniqueEmail(),
      password: 'a long enough password',
      full_name: 'Nora',
      company: SA_COMPANY,
    });
    answers.login = await post('/api/v1/auth/login', { email: me.email, password: me.password });
    answers.refresh = await post('/api/v1/auth/refresh', { refresh_token: me.refreshToken });
    const enrol = await post('/api/v1/auth/mfa/totp/enroll', { password: me.password }, me.accessToken);
    answers.enrol = enrol;
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(enrol.json().secret) });
    answers.confirm = await post(
      '/api/v1/auth/mfa/totp/confirm',
      { code: totp.generate(), password: me.password },
      me.accessToken,
    );
    const challenge = await post('/api/v1/auth/login', { email: me.email, password: me.password });
    expect(challenge.json()).toMatchObject({ mfa_required: true });
    answers.challenge = challenge;
    answers.mfa = await post('/api/v1/auth/login/mfa', {
      mfa_token: challenge.json().mfa_token,
      code: totp.generate({ timestamp: Date.now() + 30_000 }),
    });
    // Refused sign-ins too: whatever a credential route answers is not kept.
    answers.refused = await post('/api/v1/auth/login', { email: me.email, password: 'wrong password!' });
    expect(Object.fromEntries(Object.entries(answers).map(([name, a]) => [name, a.statusCode]))).toEqual({
      register: 201,
      login: 200,
      refresh: 200,
      enrol: 200,
      confirm: 200,
      challenge: 200,
      mfa: 200,
      refused: 401,
    });
    for (const [name, answer] of Object.entries(answers))
      expect(answer.headers['cache-control'], name).toBe('no-store');
    // Other answers keep their caching to HTTP's defaults.
    const other = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${session.accessToken}` },
    });
    expect(other.headers['cache-control']).toBeUndefined();
  });

  it('must be declared: a route answering with a token and no noStore refuses to start', async () => {
    const app = Fastify({ logger: false });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerResponseHeaders(app, await securityHeaders());
    expect(() =>
      app.post(
        '/api/v1/auth/token',
        { schema: { response: { 200: z.object({ session: z.object({ refresh_token: z.string() }) }) } } },
        async () => ({ session: { refresh_token: 'x' } }),
      ),
    ).toThrow(/refresh_token but does not declare config.noStore/);
    await app.close();
  });
});
