// HTTP as a client of the real server sees it: register, sign in, and issue invoices with idempotency keys,
// retrying through another process when one dies under it.
import { randomBytes } from 'node:crypto';

export interface Session {
  email: string;
  password: string;
  userId: string;
  companyId: string;
  accessToken: string;
  refreshToken: string;
}

export { AE_COMPANY, SA_COMPANY } from '../../apps/api/test/support/companies';

import { AE_COMPANY, SA_COMPANY } from '../../apps/api/test/support/companies';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: a JSON answer, read by the tests field by field
  json: () => any;
}

export async function call(
  baseUrl: string,
  method: string,
  url: string,
  options: {
    token?: string;
    companyId?: string;
    body?: unknown;
    headers?: Record<string, string>;
    timeoutMs?: number;
  } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.companyId) headers['x-company-id'] = options.companyId;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${baseUrl}${url}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

/** A request as this session, in its company. */
export function as(baseUrl: string, session: Pick<Session, 'accessToken' | 'companyId'>) {
  return (method: string, url: string, body?: unknown, headers?: Record<string, string>) =>
    call(baseUrl, method, url, { token: session.accessToken, companyId: session.companyId, body, headers });
}

let counter = 0;
export const uniqueEmail = (prefix = 'rel') =>
  `${prefix}-${Date.now()}-${++counter}-${randomBytes(3).toString('hex')}@example.com`;

export async function register(baseUrl: string, company: object = SA_COMPANY): Promise<Session> {
  const email = uniqueEmail();
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const reply = await call(baseUrl, 'POST', '/api/v1/auth/register', {
    body: { email, password, full_name: 'Reliability Owner', company },
  });
  if (reply.status !== 201) throw new Error(`register: ${reply.status} ${reply.text}`);
  const body = reply.json();
  return {
    email,
    password,
    userId: body.user.id,
    companyId: body.company.id,
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
  };
}

export async function login(
  baseUrl: string,
  email: string,
  password: string,
  companyId: string,
): Promise<Session> {
  const reply = await call(baseUrl, 'POST', '/api/v1/auth/login', { body: { email, password } });
  if (reply.status !== 200) throw new Error(`login: ${reply.status} ${reply.text}`);
  const body = reply.json();
  const me = await call(baseUrl, 'GET', '/api/v1/me', { token: body.access_token });
  return {
    email,
    password,
    userId: me.json().user.id,
    companyId,
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
  };
}

/** Registers another person (with a company of their own) who is to join the owner's company. */
export function registerPerson(baseUrl: string, role: string): Promise<Session> {
  return register(baseUrl, { ...AE_COMPANY, legal_name_en: `Member ${role} Co` });
}

/**
 * The person joins the owner's company as people do: they open the verification link mailed at registration
 * (its token read from the outbox by the caller), are invited, and accept signed in.
 */
export async function joinCompany(
  baseUrl: string,
  owner: Session,
  person: Session,
  verificationToken: string,
  role: string,
  scopes?: string[],
): Promise<Session> {
  const verified = await call(baseUrl, 'POST', '/api/v1/auth/email/verify', {
    body: { token: verificationToken },
  });
  if (verified.status !== 200) throw new Error(`verify: ${verified.status} ${verified.text}`);
  const invite = await as(baseUrl, owner)('POST', '/api/v1/companies/current/members', {
    email: person.email,
    role,
    ...(scopes ? { scopes } : {}),
  });
  if (invite.status !== 202) throw new Error(`invite: ${invite.status} ${invite.text}`);
  const accept = await call(baseUrl, 'POST', `/api/v1/me/invitations/${invite.json().invitation_id}/accept`, {
    token: person.accessToken,
  });
  if (accept.status !== 200) throw new Error(`accept: ${accept.status} ${accept.text}`);
  return { ...person, companyId: owner.companyId };
}

/** A simplified (B2C) invoice, different for each i: 1–3 lines, mixed quantities and prices. */
export function simplifiedInvoice(i: number) {
  const lines = Array.from({ length: 1 + (i % 3) }, (_, n) => ({
    description: `Item ${n + 1} of sale ${i}`,
    quantity: String(1 + ((i + n) % 7)),
    unit_price: `${10 + ((i * 7 + n * 13) % 490)}.${String((i + n) % 100).padStart(2, '0')}`,
  }));
  return { customer_name: `Walk-in customer ${i}`, subtype: 'simplified', line_items: lines };
}
