import type { Db } from '@invoiceflow/db';
import { sql } from '@invoiceflow/db/orm';
import type { AccountantScope, Role } from '@invoiceflow/db/schema';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { jwtVerify } from 'jose';
import { AppError } from '../lib/errors';
import { hasPermission, type Permission } from '../lib/permissions';
import { accountantAccess } from '../modules/accountants/access';
import { assertFeature } from '../modules/plans/limits';
import type { Feature } from '../modules/plans/plans';

/**
 * Every route under /api declares how it is guarded, in `config`:
 * - `{ auth: 'public' }` — anyone (login, register, health);
 * - `{ auth: 'token' }` — a valid access token, checked without the database (pure computations such as preview);
 * - `{ auth: 'user' }` — a signed-in, active user, no company needed (/me, MFA enrolment);
 * - `{ permission: 'invoices:write' }` — a member of the active company whose role grants the permission;
 * - `{ auth: 'client' }` — a member of the active company in the role `client`: the customer portal, bound to the
 *   membership's customer (`request.auth.customerId`); every other role is refused (403), so staff never get a
 *   portal view, and a client holds no permission of the company's own routes;
 * - `{ auth: 'user', accountantScope: 'invoices' }` — an accountant with an active assignment to the client company
 *   the path names (`:client_id`) that grants the scope; the client becomes the request's company.
 * A route that declares nothing refuses to register: forgetting the check is not possible.
 */
declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: 'public' | 'token' | 'user' | 'client';
    permission?: Permission;
    /**
     * With `auth: 'token'`: a request without an Authorization header is answered too, as an anonymous caller,
     * within a per-address budget (ANONYMOUS_PER_MINUTE); a signed-in caller has none. A header that is there
     * must still hold a valid token.
     */
    allowAnonymous?: boolean;
    /** With `auth: 'user'`: the route reads the books of the client named by `:client_id`, in this scope. */
    accountantScope?: AccountantScope;
    /** With `permission`: the company's plan must include the feature (402 PLAN_FEATURE_NOT_INCLUDED otherwise). */
    feature?: Feature;
  }
  interface FastifyRequest {
    auth: AuthContext;
  }
  interface FastifyInstance {
    /** Every /api route with its guard, for tests and tools that must cover all routes. */
    guardedRoutes: GuardedRoute[];
  }
}

export interface AuthContext {
  userId: string;
  familyId: string;
  /** Set for company routes. */
  companyId: string;
  role: Role;
  scopes: AccountantScope[];
  isSuperAdmin: boolean;
  /** Set for portal routes (`auth: 'client'`): the customer record of the company the client acts for. */
  customerId?: string;
}

export interface AccessTokenClaims {
  sub: string;
  fam: string;
}

export interface GuardedRoute {
  method: string;
  url: string;
  auth?: 'public' | 'token' | 'user' | 'client';
  permission?: Permission;
  allowAnonymous?: boolean;
  accountantScope?: AccountantScope;
  feature?: Feature;
}

/**
 * Anonymous calls per address and minute, in this process (fixed windows). Bounded: when it holds too many
 * addresses, the windows that have ended are dropped, and if that is not enough, all of them (a flood from many
 * addresses then gets one fresh window each, which the global flood guard does not spend anyway).
 */
export class AnonymousBudget {
  private readonly windows = new Map<string, { startsAt: number; count: number }>();
  constructor(
    private readonly perMinute: number,
    private readonly maxAddresses = 100_000,
  ) {}

  /** Seconds until the address may call again, or 0 when this call is within its budget. */
  take(address: string, now = Date.now()): number {
    let window = this.windows.get(address);
    if (!window || now - window.startsAt >= 60_000) {
      if (!window && this.windows.size >= this.maxAddresses) this.prune(now);
      window = { startsAt: now, count: 0 };
      this.windows.set(address, window);
    }
    window.count++;
    return window.count <= this.perMinute
      ? 0
      : Math.max(1, Math.ceil((window.startsAt + 60_000 - now) / 1000));
  }

  private prune(now: number): void {
    for (const [address, window] of this.windows)
      if (now - window.startsAt >= 60_000) this.windows.delete(address);
    if (this.windows.size >= this.maxAddresses) this.windows.clear();
  }
}

/** The caller of an `allowAnonymous` route that sent no token. */
const ANONYMOUS: AuthContext = Object.freeze({
  userId: '',
  familyId: '',
  companyId: '',
  role: 'viewer',
  scopes: [],
  isSuperAdmin: false,
}) as AuthContext;

export const COMPANY_HEADER = 'x-company-id';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Tokens already verified, until they expire: an editor sends the same token with every preview keystroke, and a
 * WebCrypto HMAC verify costs more than the preview's arithmetic. Stateless JWTs stay valid until `exp` anyway;
 * revocation (a revoked login) is checked against the database by every route that is not `auth: 'token'`.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, { claims: AccessTokenClaims; expiresAt: number }>();
  constructor(private readonly maxEntries = 10_000) {}

  get(token: string, now = Date.now()): AccessTokenClaims | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.claims;
  }

  set(token: string, claims: AccessTokenClaims, expiresAt: number): void {
    // Wholesale reset when full: simple, bounded, and re-verifying costs only one verify per token.
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(token, { claims, expiresAt });
  }
}

/** Verifies through the cache; a cache entry lives until the token's own expiry. */
export async function verifyAccessTokenCached(
  cache: VerifiedTokenCache,
  jwtKey: Uint8Array | CryptoKey,
  token: string,
): Promise<AccessTokenClaims> {
  const cached = cache.get(token);
  if (cached) return cached;
  try {
    const { payload } = await jwtVerify(token, jwtKey, { algorithms: ['HS256'], typ: 'access' });
    if (typeof payload.sub !== 'string' || typeof payload.fam !== 'string' || typeof payload.exp !== 'number')
      throw new Error('claims');
    const claims = { sub: payload.sub, fam: payload.fam };
    cache.set(token, claims, payload.exp * 1000);
    return claims;
  } catch {
    throw new AppError('TOKEN_INVALID');
  }
}

/** A token route's caller: known by the token alone, no company. */
function tokenAuth(claims: AccessTokenClaims): AuthContext {
  return {
    userId: claims.sub,
    familyId: claims.fam,
    companyId: '',
    role: 'viewer',
    scopes: [],
    isSuperAdmin: false,
  };
}

function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (!header) throw new AppError('UNAUTHENTICATED');
  const [scheme, token] = header.split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !token) throw new AppError('UNAUTHENTICATED');
  return token;
}

interface SessionRow extends Record<string, unknown> {
  is_active: boolean;
  is_super_admin: boolean;
  default_company_id: string | null;
  session_live: boolean;
  company_id: string | null;
  role: Role | null;
  scopes: AccountantScope[] | null;
  is_suspended: boolean | null;
  customer_id: string | null;
  company_suspended: boolean | null;
  company_plan: string | null;
}

/** One query: the user is active, the login (token family) is not revoked, and the membership if any. */
async function loadSession(
  db: Db,
  userId: string,
  familyId: string,
  companyId: string | null,
): Promise<SessionRow | undefined> {
  const result = (await db.execute(sql`
    SELECT u.is_active, u.is_super_admin, u.default_company_id,
      EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.family_id = ${familyId} AND r.user_id = u.id AND r.revoked_at IS NULL) AS session_live,
      m.company_id, m.role, m.scopes, m.is_suspended, m.customer_id,
      c.suspended_at IS NOT NULL AS company_suspended, c.plan AS company_plan
    FROM users u
    LEFT JOIN memberships m ON m.user_id = u.id AND m.company_id = COALESCE(${companyId}::uuid, u.default_company_id)
    LEFT JOIN companies c ON c.id = m.company_id
    WHERE u.id = ${userId}`)) as unknown as { rows: SessionRow[] };
  return result.rows[0];
}

export default fp(
  async (app: FastifyInstance, options: { db: Db; jwtKey: Uint8Array; anonymousPerMinute: number }) => {
    // Imported once: jose given raw bytes imports a WebCrypto key on every call, half the cost of a verify
    // (the preview route, checked by token alone, has a throughput target).
    const verifyKey = await crypto.subtle.importKey(
      'raw',
      new Uint8Array(options.jwtKey),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['verify'],
    );
    const verified = new VerifiedTokenCache();
    const anonymousBudget = new AnonymousBudget(options.anonymousPerMinute);
    app.decorateRequest('auth', null as unknown as AuthContext);

    const guardedRoutes: GuardedRoute[] = [];
    app.decorate('guardedRoutes', guardedRoutes);
    app.addHook('onRoute', (route) => {
      if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
      const config = route.config as
        | Pick<GuardedRoute, 'auth' | 'permission' | 'allowAnonymous' | 'accountantScope' | 'feature'>
        | undefined;
      if (!config?.auth && !config?.permission) {
        throw new Error(
          `Route ${route.method} ${route.url} declares neither config.auth nor config.permission`,
        );
      }
      // The OpenAPI document names each operation's guard, so clients and tools (the reliability suite's tenant
      // walls) know who may call what without reading the code.
      if (config.allowAnonymous && config.auth !== 'token') {
        throw new Error(`Route ${route.method} ${route.url}: allowAnonymous needs auth: 'token'`);
      }
      if (config.accountantScope && (config.auth !== 'user' || !route.url.includes(':client_id'))) {
        throw new Error(
          `Route ${route.method} ${route.url}: accountantScope needs auth: 'user' and :client_id`,
        );
      }
      route.schema = {
        ...route.schema,
        ...(config.auth ? { 'x-auth': config.auth } : {}),
        ...(config.permission ? { 'x-permission': config.permission } : {}),
        ...(config.allowAnonymous ? { 'x-anonymous': true } : {}),
        ...(config.accountantScope ? { 'x-accountant-scope': config.accountantScope } : {}),
        ...(config.feature ? { 'x-plan-feature': config.feature } : {}),
      };
      for (const method of [route.method].flat()) {
        if (method !== 'HEAD')
          guardedRoutes.push({
            method,
            url: route.url,
            auth: config.auth,
            permission: config.permission,
            allowAnonymous: config.allowAnonymous,
            accountantScope: config.accountantScope,
            feature: config.feature,
          });
      }
    });

    // onRequest: who may call is settled before the body is even read. A callback hook: a token route whose
    // token is already verified (the preview, on every keystroke) is answered without a promise.
    // The guard is the matched route's declaration, never the URL's text: the router decodes `/%61pi/…` and reads
    // `GET http://host/api/…`, so a test on `request.url` would let those spellings through unguarded.
    app.addHook('onRequest', (request, _reply, done) => {
      const config = request.routeOptions.config;
      if (config.auth === 'public' || (config.auth === undefined && config.permission === undefined))
        return done();
      if (config.allowAnonymous && request.headers.authorization === undefined) {
        const retryAfter = anonymousBudget.take(request.ip);
        if (retryAfter > 0)
          return done(new AppError('TOO_MANY_REQUESTS', { headers: { 'retry-after': String(retryAfter) } }));
        request.auth = ANONYMOUS;
        return done();
      }
      let token: string;
      try {
        token = bearerToken(request);
      } catch (error) {
        return done(error as AppError);
      }
      const cached = config.auth === 'token' ? verified.get(token) : undefined;
      if (cached) {
        request.auth = tokenAuth(cached);
        return done();
      }
      authenticate(request, token).then(() => done(), done);
    });

    async function authenticate(request: FastifyRequest, token: string): Promise<void> {
      const config = request.routeOptions.config;
      const claims = await verifyAccessTokenCached(verified, verifyKey, token);
      if (config.auth === 'token') {
        request.auth = tokenAuth(claims);
        return;
      }
      const header = request.headers[COMPANY_HEADER];
      const requestedCompany = typeof header === 'string' && header !== '' ? header : null;
      if (requestedCompany !== null && !UUID.test(requestedCompany)) throw new AppError('COMPANY_NOT_FOUND');
      const session = await loadSession(options.db, claims.sub, claims.fam, requestedCompany);
      if (!session?.is_active || !session.session_live) throw new AppError('TOKEN_INVALID');
      const base = { userId: claims.sub, familyId: claims.fam, isSuperAdmin: session.is_super_admin };
      if (config.accountantScope) {
        // Decided on the assignment, never on a membership of the client: an accountant reads the client's books
        // only while the client keeps the assignment active, and only in its scopes.
        const clientId = (request.params as { client_id?: string }).client_id ?? '';
        if (!UUID.test(clientId)) throw new AppError('CLIENT_NOT_FOUND');
        const access = await accountantAccess(options.db, { userId: claims.sub, clientCompanyId: clientId });
        if (!access) throw new AppError('CLIENT_NOT_FOUND');
        if (access.status === 'suspended') throw new AppError('ASSIGNMENT_SUSPENDED');
        if (access.isClientSuspended) throw new AppError('COMPANY_SUSPENDED');
        if (!access.scopes.includes(config.accountantScope))
          throw new AppError('SCOPE_NOT_GRANTED', { extra: { required_scope: config.accountantScope } });
        request.auth = { ...base, companyId: clientId, role: 'accountant', scopes: access.scopes };
        return;
      }
      if (config.auth === 'user') {
        request.auth = {
          ...base,
          companyId: session.company_id ?? '',
          role: session.role ?? 'viewer',
          scopes: session.scopes ?? [],
        };
        return;
      }
      // Not a member, or suspended: the company does not exist for this user (404, never 403).
      if (!session.company_id || !session.role || session.is_suspended)
        throw new AppError('COMPANY_NOT_FOUND');
      // A member of a suspended company is told so (403): the company exists for them, they may not use it.
      if (session.company_suspended) throw new AppError('COMPANY_SUSPENDED');
      const scopes = session.scopes ?? [];
      if (config.auth === 'client') {
        // Bound to the membership, never to anything the request names: the customer is the one the company gave.
        if (session.role !== 'client' || !session.customer_id) throw new AppError('FORBIDDEN');
        request.auth = {
          ...base,
          companyId: session.company_id,
          role: 'client',
          scopes: [],
          customerId: session.customer_id,
        };
        return;
      }
      if (config.permission && !hasPermission(session.role, scopes, config.permission))
        throw new AppError('FORBIDDEN');
      // After the permission: a viewer is told it may not, not that the plan could be upgraded.
      if (config.feature) assertFeature({ plan: session.company_plan ?? '' }, config.feature);
      request.auth = { ...base, companyId: session.company_id, role: session.role, scopes };
    }
  },
  { name: 'auth' },
);
