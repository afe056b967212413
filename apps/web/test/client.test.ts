import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient } from '../src/api/client';
import { createTokenStore, type KeyValueStorage, REFRESH_TOKEN_KEY } from '../src/api/token-store';

/** A fake server: access tokens "a1", "a2"…, refresh tokens "r1", "r2"…; each refresh token works once. */
function fakeServer() {
  let generation = 1;
  const log: { path: string; auth: string | null; company: string | null }[] = [];
  let refreshCalls = 0;
  const json = (status: number, body: unknown, type = 'application/json') =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = String(input);
    const headers = new Headers(init?.headers);
    log.push({ path, auth: headers.get('authorization'), company: headers.get('x-company-id') });
    await new Promise((r) => setTimeout(r, 5));
    if (path === '/api/v1/auth/refresh') {
      refreshCalls++;
      const { refresh_token } = JSON.parse(String(init?.body));
      if (refresh_token !== `r${generation}`) {
        return json(
          401,
          { code: 'TOKEN_REUSED', status: 401, message: 'reused' },
          'application/problem+json',
        );
      }
      generation++;
      return json(200, {
        access_token: `a${generation}`,
        refresh_token: `r${generation}`,
        token_type: 'Bearer',
        expires_in: 900,
      });
    }
    if (path === '/api/v1/invalid') {
      return json(
        400,
        {
          type: 'about:blank',
          title: 'Bad Request',
          status: 400,
          code: 'VALIDATION_FAILED',
          message: 'The request is not valid.',
          errors: [{ path: 'company.vat_number', code: 'VAT_NUMBER_INVALID', message: 'Bad VAT' }],
        },
        'application/problem+json',
      );
    }
    if (headers.get('authorization') !== `Bearer a${generation}`) {
      return json(
        401,
        { code: 'UNAUTHENTICATED', status: 401, message: 'Sign in' },
        'application/problem+json',
      );
    }
    if (path === '/api/v1/accepted') return json(202, { public_url: 'https://example.test/q/x' });
    if (path === '/api/v1/accepted-empty') return new Response(null, { status: 202 });
    return json(200, { ok: true, path });
  };
  return { fetch, log, refreshCalls: () => refreshCalls, rotate: () => generation };
}

function memoryStorage(): KeyValueStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

describe('API client', () => {
  it('reads the JSON body of a 202 (a sent quotation answers its link), and nothing from an empty one', async () => {
    const server = fakeServer();
    const tokens = createTokenStore(memoryStorage());
    tokens.setTokens({ access_token: 'a1', refresh_token: 'r1' });
    const api = createApiClient({ tokens, fetch: server.fetch });
    expect(await api.post('/api/v1/accepted', {})).toEqual({ public_url: 'https://example.test/q/x' });
    expect(await api.post('/api/v1/accepted-empty', {})).toBeUndefined();
  });

  it('refreshes once for a burst of concurrent 401s and retries each request', async () => {
    const server = fakeServer();
    const storage = memoryStorage();
    const tokens = createTokenStore(storage);
    tokens.setTokens({ access_token: 'stale', refresh_token: 'r1' });
    const api = createApiClient({ tokens, fetch: server.fetch, getCompanyId: () => 'company-1' });

    const results = await Promise.all([api.get('/api/v1/a'), api.get('/api/v1/b'), api.get('/api/v1/c')]);

    expect(results).toHaveLength(3);
    expect(server.refreshCalls()).toBe(1);
    expect(tokens.getAccessToken()).toBe('a2');
    // Rotation: the new refresh token replaced the old one in storage.
    expect(storage.map.get(REFRESH_TOKEN_KEY)).toBe('r2');
    expect(
      server.log.filter((l) => l.path !== '/api/v1/auth/refresh').every((l) => l.company === 'company-1'),
    ).toBe(true);
  });

  it('gets an access token from the stored refresh token after a reload, once for concurrent calls', async () => {
    const server = fakeServer();
    const storage = memoryStorage();
    storage.setItem(REFRESH_TOKEN_KEY, 'r1');
    const api = createApiClient({ tokens: createTokenStore(storage), fetch: server.fetch });

    await Promise.all([api.get('/api/v1/me'), api.get('/api/v1/me')]);

    expect(server.refreshCalls()).toBe(1);
    expect(server.log.filter((l) => l.path === '/api/v1/me').map((l) => l.auth)).toEqual([
      'Bearer a2',
      'Bearer a2',
    ]);
  });

  it('ends the session when the refresh token is rejected', async () => {
    const server = fakeServer();
    const storage = memoryStorage();
    const tokens = createTokenStore(storage);
    tokens.setTokens({ access_token: 'stale', refresh_token: 'dead' });
    let expired = 0;
    const api = createApiClient({ tokens, fetch: server.fetch, onSessionExpired: () => expired++ });

    const error = await api.get('/api/v1/me').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect(expired).toBe(1);
    expect(storage.map.has(REFRESH_TOKEN_KEY)).toBe(false);
  });

  it('does not refresh for auth endpoints (a 401 from login means a wrong password)', async () => {
    const server = fakeServer();
    const tokens = createTokenStore(memoryStorage());
    tokens.setTokens({ access_token: 'stale', refresh_token: 'r1' });
    const api = createApiClient({ tokens, fetch: server.fetch });

    await expect(api.post('/api/v1/auth/login', {}, { auth: false })).rejects.toMatchObject({ status: 401 });
    expect(server.refreshCalls()).toBe(0);
  });

  it('turns problem+json into a typed ApiError with field errors by path', async () => {
    const server = fakeServer();
    const api = createApiClient({ tokens: createTokenStore(null), fetch: server.fetch });

    const error = (await api
      .post('/api/v1/invalid', {}, { auth: false })
      .catch((e: unknown) => e)) as ApiError;

    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.fieldErrors()['company.vat_number']?.code).toBe('VAT_NUMBER_INVALID');
  });

  it('reports an unreachable server as NETWORK_ERROR', async () => {
    const api = createApiClient({
      tokens: createTokenStore(null),
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    await expect(api.get('/api/v1/me', { auth: false })).rejects.toMatchObject({
      status: 0,
      code: 'NETWORK_ERROR',
    });
  });
});
