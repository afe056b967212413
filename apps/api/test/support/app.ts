import { randomBytes } from 'node:crypto';
import { openDb, schema } from '@invoiceflow/db';
import { and, desc, eq } from '@invoiceflow/db/orm';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../../src/app';
import { type Config, loadConfig } from '../../src/config';
import { SA_COMPANY } from './companies';
import { createTestDatabase, type TestDatabase } from './database';

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  config: Config;
  close(): Promise<void>;
}

export async function createTestApp(
  overrides: Partial<Config> = {},
  { logStream }: { logStream?: NodeJS.WritableStream } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig(
    {},
    {
      DATA_KEY: randomBytes(32).toString('base64'),
      JWT_SECRET: randomBytes(32).toString('hex'),
      WEB_DIST: '/nonexistent',
      // The suites sign up a person per role and company, as a multi-tenant service lets them; the policy of a
      // closed install is tested by passing ALLOW_REGISTRATION: false.
      ALLOW_REGISTRATION: true,
      ...overrides,
    },
  );
  // TEST_LOG=1 shows the server's logs (errors behind a 500, for one) while a test runs.
  const app = await buildApp({ config, database, logger: logStream ?? process.env.TEST_LOG === '1' });
  await app.ready();
  return {
    app,
    database,
    config,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/**
 * A second API instance on the SAME PostgreSQL database, with its own connection pool and the same keys, as a
 * second process behind a load balancer would be. Only on PostgreSQL (PGlite has one connection): undefined there.
 */
export async function openSecondApp(first: TestApp): Promise<TestApp | undefined> {
  if (!first.database.url) return undefined;
  const database = await openDb({ databaseUrl: first.database.url, maxConnections: 20 });
  const app = await buildApp({ config: first.config, database, logger: false });
  await app.ready();
  return {
    app,
    database,
    config: first.config,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

let counter = 0;
export const uniqueEmail = (prefix = 'user') => `${prefix}-${Date.now()}-${++counter}@example.com`;

export { AE_COMPANY, AE_INVOICE_BUYER, SA_COMPANY } from './companies';

export interface Session {
  userId: string;
  email: string;
  password: string;
  companyId: string;
  accessToken: string;
  refreshToken: string;
}

/** Registers a user with a company through the API, as a person would. */
export async function registerUser(app: FastifyInstance, company: object = SA_COMPANY): Promise<Session> {
  const email = uniqueEmail();
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: { email, password, full_name: 'Test User', company },
  });
  if (response.statusCode !== 201)
    throw new Error(`register failed: ${response.statusCode} ${response.body}`);
  const body = response.json();
  return {
    userId: body.user.id,
    email,
    password,
    companyId: body.company.id,
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
  };
}

/** Signs in an existing account (after an invitation or member add) and returns a session for a company. */
export async function login(
  app: FastifyInstance,
  email: string,
  password: string,
  companyId: string,
): Promise<Session> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password },
  });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  const body = response.json();
  const me = await app.inject({
    method: 'GET',
    url: '/api/v1/me',
    headers: { authorization: `Bearer ${body.access_token}` },
  });
  return {
    userId: me.json().user.id,
    email,
    password,
    companyId,
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
  };
}

/** A request as this session, in its company. */
export function as(app: FastifyInstance, session: Pick<Session, 'accessToken' | 'companyId'>) {
  return (options: InjectOptions) =>
    app.inject({
      ...options,
      headers: {
        authorization: `Bearer ${session.accessToken}`,
        'x-company-id': session.companyId,
        ...options.headers,
      },
    });
}

export type Call = ReturnType<typeof as>;

/**
 * A module's usual start: a test app and the owner of a newly registered Saudi company, with requests as that
 * owner. `beforeAll(async () => ({ t, owner, call } = await openAppWithOwner()))`, and `t.close()` after.
 */
export async function openAppWithOwner(
  overrides: Partial<Config> = {},
): Promise<{ t: TestApp; owner: Session; call: Call }> {
  const t = await createTestApp(overrides);
  const owner = await registerUser(t.app);
  return { t, owner, call: as(t.app, owner) };
}

/** The token of the newest mail of this kind to this address (the link the person would open). */
export async function mailedToken(app: FastifyInstance, to: string, kind: string): Promise<string> {
  const [mail] = await app.ctx.db
    .select({ text: schema.mailOutbox.textBody })
    .from(schema.mailOutbox)
    .where(and(eq(schema.mailOutbox.toAddress, to), eq(schema.mailOutbox.kind, kind)))
    .orderBy(desc(schema.mailOutbox.createdAt))
    .limit(1);
  const token = /token=(\S+)/.exec(mail?.text ?? '')?.[1];
  if (!token) throw new Error(`no ${kind} mail to ${to}`);
  return decodeURIComponent(token);
}

/** Opens the verification link mailed at registration. */
export async function verifyEmail(app: FastifyInstance, email: string): Promise<void> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/email/verify',
    payload: { token: await mailedToken(app, email, 'email_verification') },
  });
  if (response.statusCode !== 200) throw new Error(`verify failed: ${response.statusCode} ${response.body}`);
}

/**
 * Another person joins the owner's company with a role, as people do: they register, verify their address, are
 * invited, and accept signed in. Returns their session there.
 */
export async function addMember(
  app: FastifyInstance,
  owner: Session,
  role: string,
  scopes?: string[],
): Promise<Session> {
  const other = await registerUser(app);
  await verifyEmail(app, other.email);
  const invite = await as(
    app,
    owner,
  )({
    method: 'POST',
    url: '/api/v1/companies/current/members',
    payload: { email: other.email, role, ...(scopes ? { scopes } : {}) },
  });
  if (invite.statusCode !== 202) throw new Error(`invite failed: ${invite.statusCode} ${invite.body}`);
  const accept = await app.inject({
    method: 'POST',
    url: `/api/v1/me/invitations/${invite.json().invitation_id}/accept`,
    headers: { authorization: `Bearer ${other.accessToken}` },
  });
  if (accept.statusCode !== 200) throw new Error(`accept failed: ${accept.statusCode} ${accept.body}`);
  return { ...other, companyId: owner.companyId };
}

/**
 * A person of one of the owner's customers joins as its portal user, as people do: invited with the role
 * `client` for that customer, they sign up through the mailed link with their own password. Returns their session.
 */
export async function addClient(
  app: FastifyInstance,
  owner: Session,
  customerId: string,
  email = uniqueEmail('client'),
): Promise<Session> {
  const invite = await as(
    app,
    owner,
  )({
    method: 'POST',
    url: '/api/v1/users/',
    payload: { email, role: 'client', customer_id: customerId, full_name: 'Portal Person' },
  });
  if (invite.statusCode !== 202) throw new Error(`invite failed: ${invite.statusCode} ${invite.body}`);
  const password = 'a-long-password-1';
  const accepted = await app.inject({
    method: 'POST',
    url: '/api/v1/invitations/accept',
    payload: { token: await mailedToken(app, email, 'invitation'), password },
  });
  if (accepted.statusCode !== 200) throw new Error(`accept failed: ${accepted.statusCode} ${accepted.body}`);
  return login(app, email, password, owner.companyId);
}
