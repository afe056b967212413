/**
 * Issue 8, part 4, over HTTP against the real server, for every operation of the OpenAPI document (each names its
 * guard: x-auth or x-permission): a member of another company, a viewer where a writer is needed, an accountant
 * outside its scopes, an expired token and a revoked login are each refused, nothing of company A appears in what
 * they get back, and nothing of A changed.
 */
import type { AccountantScope, Role } from '@invoiceflow/db/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPermission, type Permission } from '../apps/api/src/lib/permissions';
import { call, type Reply } from './support/client';
import { MAY_CHANGE, type Operation } from './support/hostile';
import { SCALE } from './support/scale';
import { createWorld, type World } from './support/world';

let world: World;
beforeAll(async () => {
  world = await createWorld('walls');
}, 300_000);
afterAll(() => world?.close(), 60_000);

function urlOf(op: Operation): string {
  return op.path.replaceAll(/\{(\w+)\}/g, (_, name: string) => world.ids[`${op.path}:${name}`] as string);
}

async function request(op: Operation, token: string, companyId: string): Promise<Reply> {
  const body = world.bodies[`${op.method} ${op.path}`];
  return call(world.server.url, op.method, urlOf(op), {
    token,
    companyId,
    body: body ?? (op.body ? {} : undefined),
  });
}

/** What must never reach another company's member: A's ids, names and resource ids. */
function secretsOfA(): string[] {
  return [
    world.a.companyId,
    world.a.email,
    'Maximum Speed Tech Supply',
    'A customer',
    'A product',
    // A content block's key and language (`home.title`, `en`) are the platform's public words, not A's.
    ...new Set(
      Object.entries(world.ids)
        .filter(([route]) => !route.startsWith('/api/v1/admin/content/'))
        .map(([, id]) => id),
    ),
  ];
}

function leaks(reply: Reply): string[] {
  return secretsOfA().filter((secret) => reply.text.includes(secret));
}

describe(`tenant walls over HTTP (${SCALE} scale)`, () => {
  it('refuses every other company, role, scope, expired and revoked token on every route', async () => {
    const operations = world.operations.filter(
      (op) => op.auth === 'user' || op.auth === 'token' || op.auth === 'client' || op.permission,
    );
    expect(operations.length).toBeGreaterThan(40);
    const company = operations.filter((op) => op.permission);
    const before = await world.rowCounts();
    const snapshotOfA = await readA();
    const failures: string[] = [];
    const expectReply = (who: string, op: Operation, reply: Reply, status: number, code: string) => {
      let actual: unknown;
      try {
        actual = reply.json().code;
      } catch {
        actual = undefined;
      }
      if (reply.status !== status || actual !== code)
        failures.push(
          `${who} ${op.method} ${op.path}: ${reply.status} ${String(actual)}, expected ${status} ${code}`,
        );
    };
    let checks = 0;

    for (const op of operations) {
      // 1. B's owner naming company A: A does not exist for them.
      if (op.permission) {
        const reply = await request(op, world.b.accessToken, world.a.companyId);
        expectReply('B in A', op, reply, 404, 'COMPANY_NOT_FOUND');
        const leaked = leaks(reply);
        if (leaked.length) failures.push(`B in A ${op.method} ${op.path} leaked ${leaked.join(', ')}`);
        checks++;
      }
      // 2. B's owner in B's own company, with A's resource ids: not found, nothing of A in the answer.
      if (op.permission && op.path.includes('{')) {
        const reply = await request(op, world.b.accessToken, world.b.companyId);
        if (reply.status !== 404)
          failures.push(
            `B with A's ids ${op.method} ${op.path}: ${reply.status} ${reply.text.slice(0, 200)}`,
          );
        const leaked = leaks(reply);
        if (leaked.length)
          failures.push(`B with A's ids ${op.method} ${op.path} leaked ${leaked.join(', ')}`);
        checks++;
      }
      // 3. B's owner on the routes without a company (me, my companies, MFA): nothing of A either.
      if (op.auth === 'user' && op.method === 'GET') {
        const reply = await request(op, world.b.accessToken, world.a.companyId);
        const leaked = leaks(reply);
        if (leaked.length) failures.push(`B on ${op.method} ${op.path} leaked ${leaked.join(', ')}`);
        checks++;
      }
      // 4. A viewer where the role does not allow, an accountant outside its scopes: 403.
      const permission = op.permission as Permission | undefined;
      for (const [who, session, role, scopes] of [
        ['viewer', world.viewer, 'viewer', []],
        ['accountant(invoices)', world.accountant, 'accountant', ['invoices']],
        ['finance', world.finance, 'finance', []],
      ] as const) {
        if (!permission || hasPermission(role as Role, scopes as readonly AccountantScope[], permission))
          continue;
        expectReply(who, op, await request(op, session.accessToken, world.a.companyId), 403, 'FORBIDDEN');
        checks++;
      }
      // 4b. The portal is for clients only: B's owner naming A finds no company; staff of A get 403.
      if (op.auth === 'client') {
        expectReply(
          'B in A (portal)',
          op,
          await request(op, world.b.accessToken, world.a.companyId),
          404,
          'COMPANY_NOT_FOUND',
        );
        for (const [who, session] of [
          ['owner', world.a],
          ['viewer', world.viewer],
          ['accountant(invoices)', world.accountant],
          ['finance', world.finance],
        ] as const)
          expectReply(
            `${who} (portal)`,
            op,
            await request(op, session.accessToken, world.a.companyId),
            403,
            'FORBIDDEN',
          );
        checks += 5;
      }
      // 5. A's own owner with an expired token, or with the token of a login that was signed out.
      expectReply(
        'expired token',
        op,
        await request(op, world.expiredToken, world.a.companyId),
        401,
        'TOKEN_INVALID',
      );
      checks++;
      // A revoked login's access token is refused everywhere the database is consulted; 'token' routes (the
      // preview: arithmetic on the request, no data) check the signature only, until the token expires (≤ 15 min).
      if (op.auth !== 'token') {
        expectReply(
          'revoked login',
          op,
          await request(op, world.revokedToken, world.a.companyId),
          401,
          'TOKEN_INVALID',
        );
        checks++;
      }
    }
    console.info(
      `[reliability] tenant walls: ${checks} refusals checked over ${operations.length} operations (${company.length} company routes)`,
    );
    expect(failures).toEqual([]);

    // Nothing of A changed and nothing was written anywhere.
    expect(await readA()).toEqual(snapshotOfA);
    const after = await world.rowCounts();
    const changed = Object.keys({ ...before, ...after }).filter(
      (table) => !MAY_CHANGE.has(table) && before[table] !== after[table],
    );
    expect(changed.map((table) => `${table}: ${before[table]} → ${after[table]}`)).toEqual([]);
    expect(world.server.crashes).toEqual([]);
  }, 600_000);
});

describe('the customer portal over HTTP', () => {
  it("runs every portal route with another customer's and another company's ids, and finds nothing", async () => {
    const portal = world.operations.filter((op) => op.auth === 'client');
    expect(portal.map((op) => `${op.method} ${op.path}`)).toEqual(
      expect.arrayContaining(['GET /api/v1/portal/invoices', 'GET /api/v1/portal/invoices/{id}/pdf']),
    );
    const { ownInvoiceId, otherCustomerInvoiceId, otherCompanyInvoiceId } = world.portal;
    const foreign = [otherCustomerInvoiceId, otherCompanyInvoiceId];
    const failures: string[] = [];
    const asClient = (url: string, companyId = world.a.companyId) =>
      call(world.server.url, 'GET', url, { token: world.client.accessToken, companyId });
    for (const op of portal) {
      if (op.method !== 'GET') throw new Error(`a portal route that writes needs its wall here: ${op.path}`);
      if (op.path.includes('{')) {
        // Its own invoice opens (so the walls below can fail); the others' ids are not found.
        const own = await asClient(op.path.replace('{id}', ownInvoiceId));
        const isXml = op.path.endsWith('/xml');
        if (
          own.status !== 200 &&
          !(isXml && own.status === 404 && own.json().code === 'INVOICE_XML_NOT_FOUND')
        )
          failures.push(`own ${op.path}: ${own.status} ${own.text.slice(0, 200)}`);
        for (const id of foreign) {
          const reply = await asClient(op.path.replace('{id}', id));
          if (reply.status !== 404 || reply.json().code !== 'INVOICE_NOT_FOUND')
            failures.push(`${op.path} with ${id}: ${reply.status} ${reply.text.slice(0, 200)}`);
        }
      } else {
        const reply = await asClient(op.path);
        if (reply.status !== 200) failures.push(`${op.path}: ${reply.status} ${reply.text.slice(0, 200)}`);
        for (const id of foreign) if (reply.text.includes(id)) failures.push(`${op.path} shows ${id}`);
        if (reply.text.includes('A second customer')) failures.push(`${op.path} names the other customer`);
      }
      // Naming company B (or a made-up one): the client is no member there.
      const elsewhere = await asClient(op.path.replace('{id}', otherCompanyInvoiceId), world.b.companyId);
      if (elsewhere.status !== 404 || elsewhere.json().code !== 'COMPANY_NOT_FOUND')
        failures.push(`${op.path} in B: ${elsewhere.status}`);
    }
    const list = await asClient('/api/v1/portal/invoices');
    expect(list.json().invoices.map((row: { id: string }) => row.id)).toEqual([ownInvoiceId]);
    expect(failures).toEqual([]);
  }, 300_000);

  it('refuses the client on every company route', async () => {
    const failures: string[] = [];
    for (const op of world.operations.filter((o) => o.permission)) {
      const reply = await request(op, world.client.accessToken, world.a.companyId);
      if (reply.status !== 403) failures.push(`${op.method} ${op.path}: ${reply.status}`);
      const leaked = leaks(reply);
      if (leaked.length) failures.push(`client ${op.method} ${op.path} leaked ${leaked.join(', ')}`);
    }
    expect(failures).toEqual([]);
  }, 300_000);
});

/** A's resources as A's owner reads them (every GET route with A's ids, and the lists). */
async function readA(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const op of world.operations.filter(
    (o) => o.method === 'GET' && o.permission && !o.path.includes('audit') && !o.path.includes('pdf'),
  )) {
    const reply = await call(world.server.url, 'GET', urlOf(op), {
      token: world.a.accessToken,
      companyId: world.a.companyId,
    });
    out[op.path] =
      `${reply.status} ${reply.text.replaceAll(/"(request_id|last_used_at|updated_at|generated_at|as_of|now)":"[^"]*"/g, '')}`;
  }
  return out;
}
