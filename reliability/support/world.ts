// One running product with two companies and the people the walls are tested with: company A (Saudi) with one of
// each resource, its owner, a viewer, a finance member, an accountant with the invoices scope only, a revoked login
// and an expired token of A's owner; company B (UAE) and its owner.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDb } from '@invoiceflow/db';
import { decodeJwt, SignJWT } from 'jose';
import { startFakeSml } from '../../apps/api/test/support/fake-sml';
import { createTestSmpCa } from '../../packages/smp/src/test-support/smp-signing';
import { ApiProcess, deploymentSecrets } from './api-process';
import {
  AE_COMPANY,
  as,
  call,
  joinCompany,
  login,
  register,
  registerPerson,
  type Session,
  simplifiedInvoice,
} from './client';
import { LOAD_ENV } from './cluster';
import { AUDITED_READS, type Context, type OpenApiDocument, type Operation } from './hostile';
import { createScratchDatabase, type ScratchDatabase } from './postgres';
import { postgresUrl } from './scale';

export interface World {
  server: ApiProcess;
  kind: 'postgres' | 'pglite';
  a: Session;
  b: Session;
  viewer: Session;
  finance: Session;
  accountant: Session;
  /** A's portal user, bound to A's customer "A customer". */
  client: Session;
  /** The portal's walls: the client's own invoice, one of another customer of A, one of company B. */
  portal: { ownInvoiceId: string; otherCustomerInvoiceId: string; otherCompanyInvoiceId: string };
  revokedToken: string;
  expiredToken: string;
  /** A's resource ids by "path:param" for every operation of the OpenAPI document. */
  ids: Record<string, string>;
  bodies: Record<string, unknown>;
  operations: Operation[];
  openapi: OpenApiDocument;
  /** Row counts of every table (PGlite: the server is stopped for the count and started again). */
  rowCounts(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** What the hostile and mutated requests are made from: company A's tokens and ids, company B as the foreign one. */
export function requestContextOf(world: World): Context {
  return {
    token: world.a.accessToken,
    companyId: world.a.companyId,
    ids: world.ids,
    bodies: world.bodies,
    revokedToken: world.revokedToken,
    expiredToken: world.expiredToken,
    foreignCompanyId: world.b.companyId,
  };
}

export async function createWorld(name: string): Promise<World> {
  const secrets = deploymentSecrets();
  const adminUrl = postgresUrl();
  let scratch: ScratchDatabase | undefined;
  let dataDir: string | undefined;
  if (adminUrl) scratch = await createScratchDatabase(adminUrl);
  else dataDir = mkdtempSync(path.join(tmpdir(), 'invoiceflow-rel-world-'));
  // A's webhook receiver on 127.0.0.1 (allowed here), answering 200: the world's one delivery ends at once.
  const receiver = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200).end('ok'));
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  // An SML on 127.0.0.1 that knows no participant: the Peppol lookup answers 404, and never asks the real network.
  const sml = await startFakeSml();
  const server = new ApiProcess({
    name,
    env: {
      ...secrets,
      ...LOAD_ENV,
      WEBHOOKS_ALLOW_PRIVATE: 'true',
      WEBHOOK_POLL_SECONDS: '1',
      PEPPOL_DNS_SERVER: sml.server,
      PEPPOL_SML_ZONE: 'sml.reliability.test',
      PEPPOL_SMP_TRUST_PEM: createTestSmpCa().certificatePem,
      ...(scratch ? { DATABASE_URL: scratch.url } : { DATABASE_URL: '', DATA_DIR: dataDir as string }),
    },
  });
  await server.start();
  const url = server.url;
  type Query = (text: string) => Promise<{ rows: Record<string, unknown>[] }>;
  /** Reads the database directly (PGlite has one writer: the server is stopped for it and started again). */
  const withDatabase = async <T>(read: (query: Query) => Promise<T>): Promise<T> => {
    if (scratch) return read((text) => (scratch as ScratchDatabase).pool.query(text));
    await server.stop();
    const database = await openDb({ dataDir: dataDir as string });
    try {
      return await read((text) => database.execute(text) as unknown as ReturnType<Query>);
    } finally {
      await database.close();
      await server.start();
    }
  };

  const a = await register(url);
  const b = await register(url, AE_COMPANY);
  // The people who join A: registered first, so the verification links mailed to them are read in one go.
  const people = {
    viewer: await registerPerson(url, 'viewer'),
    finance: await registerPerson(url, 'finance'),
    accountant: await registerPerson(url, 'accountant'),
    member: await registerPerson(url, 'viewer'),
  };
  const links = await withDatabase((query) =>
    query(
      "SELECT to_address, text_body FROM mail_outbox WHERE kind = 'email_verification' ORDER BY created_at",
    ),
  );
  const verificationToken = (email: string) => {
    const mail = links.rows.filter((row) => row.to_address === email).at(-1);
    const token = /token=(\S+)/.exec(String(mail?.text_body ?? ''))?.[1];
    if (!token) throw new Error(`no verification mail to ${email}`);
    return decodeURIComponent(token);
  };
  const join = (person: Session, role: string, scopes?: string[]) =>
    joinCompany(url, a, person, verificationToken(person.email), role, scopes);
  const viewer = await join(people.viewer, 'viewer');
  const finance = await join(people.finance, 'finance');
  const accountant = await join(people.accountant, 'accountant', ['invoices']);
  const asA = as(url, a);
  const created = async (method: string, route: string, body?: unknown) => {
    const reply = await asA(method, route, body);
    if (reply.status >= 300) throw new Error(`${route}: ${reply.status} ${reply.text}`);
    return reply.json();
  };
  const customer = await created('POST', '/api/v1/customers', {
    name_en: 'A customer',
    address: { country: 'SA', city: 'Riyadh' },
  });
  const product = await created('POST', '/api/v1/products', { name_en: 'A product', unit_price: '10' });
  // The portal: a person of "A customer" invited as its client, an invoice of theirs, one of another customer of
  // A, and one of company B.
  const clientEmail = `client-${Date.now()}@example.com`;
  await created('POST', '/api/v1/users/', {
    email: clientEmail,
    role: 'client',
    customer_id: customer.id,
    full_name: 'A client person',
  });
  const invitationMail = await withDatabase((query) =>
    query(`SELECT text_body FROM mail_outbox WHERE kind = 'invitation' AND to_address = '${clientEmail}'`),
  );
  const invitationToken = /token=(\S+)/.exec(String(invitationMail.rows[0]?.text_body ?? ''))?.[1];
  if (!invitationToken) throw new Error('no invitation mail to the client');
  const clientPassword = 'a-long-password-1';
  const accepted = await call(url, 'POST', '/api/v1/invitations/accept', {
    body: { token: decodeURIComponent(invitationToken), password: clientPassword },
  });
  if (accepted.status !== 200) throw new Error(`client accept: ${accepted.status} ${accepted.text}`);
  const client = await login(url, clientEmail, clientPassword, a.companyId);
  const otherCustomer = await created('POST', '/api/v1/customers', {
    name_en: 'A second customer',
    address: { country: 'SA', city: 'Jeddah' },
  });
  const ownInvoice = await created('POST', '/api/v1/invoices/generate', {
    ...simplifiedInvoice(6),
    customer_id: customer.id,
  });
  const otherCustomerInvoice = await created('POST', '/api/v1/invoices/generate', {
    ...simplifiedInvoice(7),
    customer_id: otherCustomer.id,
  });
  const bInvoice = await as(url, b)('POST', '/api/v1/invoices/generate', {
    customer_name: 'Emirates Buyer LLC',
    customer_vat_number: '100987654300003',
    customer_address: { street: 'Corniche Road 4', city: 'Abu Dhabi', country: 'AE', emirate: 'AUH' },
    due_date: '2099-12-31',
    line_items: [{ description: 'B item', quantity: 1, unit_price: '10', vat_rate: 5 }],
  });
  if (bInvoice.status !== 201) throw new Error(`B invoice: ${bInvoice.status} ${bInvoice.text}`);
  const draft = await created('POST', '/api/v1/drafts', {
    draft_data: { customer_name: 'A' },
    is_auto_saved: false,
    name: 'A',
  });
  const webhook = await created('POST', '/api/v1/webhooks', {
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`,
    events: ['invoice.issued'],
  });
  const invoice = await created('POST', '/api/v1/invoices/generate', simplifiedInvoice(1));
  const [delivery] = (await created('GET', `/api/v1/webhooks/${webhook.id}/deliveries`)).deliveries;
  // Settled before the suites look (a delivery in flight would change rows under them), and then subscribed to
  // an event nothing here fires: later requests make no deliveries.
  for (let wait = 0; ; wait++) {
    const state = await created('GET', `/api/v1/webhooks/deliveries/${delivery.id}`);
    if (state.status === 'succeeded') break;
    if (wait > 600) throw new Error(`webhook delivery: ${state.status} ${state.last_error}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await created('PATCH', `/api/v1/webhooks/${webhook.id}`, { events: ['import.finished'] });
  const payment = await created('POST', '/api/v1/payments', {
    amount: '5',
    allocations: [{ invoice_id: invoice.id, amount: '1' }],
  });
  const egs = await created('POST', '/api/v1/egs', { environment: 'simulation' });
  const schedule = await created('POST', '/api/v1/recurring-invoices', {
    customer_id: customer.id,
    frequency: 'monthly',
    start_date: '2030-01-01',
    template: { line_items: [{ description: 'x', quantity: 1, unit_price: 10 }] },
  });
  const till = await created('POST', '/api/v1/tills', { name: 'A till' });
  // A face value no answer holds by chance: the walls treat every fixture id as a secret of A's.
  await created('POST', '/api/v1/denominations', { value: '987.65', available_count: 2, till_id: till.id });
  const shiftTill = await created('POST', '/api/v1/tills', { name: 'A shift till' });
  const session = await created('POST', `/api/v1/tills/${shiftTill.id}/sessions`, {
    counts: [{ value: 5, count: 2 }],
  });
  const sale = await created('POST', '/api/v1/purchases', {
    items: [{ product_id: product.id, quantity: 1 }],
    paid_amount: '11.50',
    till_id: till.id,
  });
  const chainRun = await created('POST', '/api/v1/compliance/chain/runs');
  const expense = await created('POST', '/api/v1/expenses', {
    expense_date: '2026-02-10',
    vendor: 'A vendor',
    category: 'office',
    amount: '115.00',
    vat_rate: '15',
  });
  // A registration document of A's: the body is the file itself, not JSON.
  const documentUpload = await fetch(
    `${url}/api/v1/companies/current/documents?kind=trade_licence&file_name=licence.pdf`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${a.accessToken}`,
        'x-company-id': a.companyId,
        'content-type': 'application/pdf',
      },
      body: Buffer.from('%PDF-1.7 A trade licence'),
    },
  );
  if (documentUpload.status !== 201)
    throw new Error(`company document: ${documentUpload.status} ${await documentUpload.text()}`);
  const companyDocument = (await documentUpload.json()) as { id: string };
  const timeEntry = await created('POST', '/api/v1/time-entries', {
    customer_id: customer.id,
    entry_date: '2026-02-10',
    hours: '2',
    hourly_rate: '100',
  });
  const assignment = await created('POST', '/api/v1/companies/current/accountants', {
    email: `accountant-${Date.now()}@example.com`,
    scopes: ['invoices'],
  });
  const vendor = await created('POST', '/api/v1/vendors', {
    name_en: 'A vendor',
    vat_number: '310122393500003',
    address: {
      street: 'King Fahd Road',
      building_number: '1234',
      district: 'Al Olaya',
      city: 'Riyadh',
      postal_code: '12345',
      country: 'SA',
    },
  });
  const purchaseOrder = await created('POST', '/api/v1/purchase-orders', {
    vendor_id: vendor.id,
    lines: [{ description: 'x', quantity: '10', unit_price: '1' }],
  });
  await created('POST', `/api/v1/purchase-orders/${purchaseOrder.id}/send`, { to: 'vendor@example.com' });
  const goodsReceipt = await created('POST', `/api/v1/purchase-orders/${purchaseOrder.id}/receipts`, {
    lines: [{ purchase_order_line_id: purchaseOrder.lines[0].id, quantity: '1' }],
  });
  const supplierInvoice = await created('POST', '/api/v1/supplier-invoices', {
    vendor_id: vendor.id,
    number: 'SUP-1',
    issue_date: '2026-02-10',
    lines: [{ description: 'x', quantity: '1', unit_price: '1' }],
  });
  const quote = await created('POST', '/api/v1/quotes', {
    customer_id: customer.id,
    line_items: [{ description: 'x', quantity: 1, unit_price: '10' }],
  });
  const bankAccount = await created('POST', '/api/v1/bank-accounts', { name: 'A bank', currency: 'SAR' });
  await created('POST', `/api/v1/bank-accounts/${bankAccount.id}/statements`, {
    format: 'mt940',
    content: ':20:A\n:25:A\n:60F:C261130SAR0,00\n:61:261201C10,00NTRFNONREF\n:62F:C261201SAR10,00\n',
  });
  const [bankLine] = await created('GET', `/api/v1/bank-transactions?bank_account_id=${bankAccount.id}`);
  const reportRun = await created('POST', '/api/v1/reports/runs', {
    kind: 'receivables-aging',
    format: 'csv',
  });
  // The run is written by the job queue: waited for, so the walls' before-and-after reads see one state.
  for (let i = 0; i < 300; i++) {
    const run = await created('GET', `/api/v1/reports/runs/${reportRun.id}`);
    if (run.status === 'done' || run.status === 'failed') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // Ids of records the walls need not create (an import, a credit note of a return): unknown to everyone.
  const unknownId = randomUUID();
  const member = await join(people.member, 'viewer');
  const invitation = await created('POST', '/api/v1/companies/current/members', {
    email: `invitee-${Date.now()}@example.com`,
    role: 'viewer',
  });

  // A second login of A's owner, then logged out: its access token belongs to a revoked family.
  const second = await login(url, a.email, a.password, a.companyId);
  const logout = await call(url, 'POST', '/api/v1/auth/logout', {
    body: { refresh_token: second.refreshToken },
  });
  if (logout.status !== 204) throw new Error(`logout: ${logout.status} ${logout.text}`);
  // A spare live login of A's owner: the session a DELETE /me/sessions/{id} may sign out, A's own staying live.
  const spare = await login(url, a.email, a.password, a.companyId);
  const spareSession = String(decodeJwt(spare.accessToken).fam);
  // A's live login, re-signed with the deployment's key but expired a minute ago.
  const claims = decodeJwt(a.accessToken);
  const expiredToken = await new SignJWT({ fam: claims.fam })
    .setProtectedHeader({ alg: 'HS256', typ: 'access' })
    .setSubject(String(claims.sub))
    .setIssuedAt(Math.floor(Date.now() / 1000) - 960)
    .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
    .sign(new TextEncoder().encode(secrets.JWT_SECRET));

  const openapi = (await call(url, 'GET', '/api/openapi.json')).json();
  const { operationsOf } = await import('./hostile');
  const operations = operationsOf(openapi);
  const ids: Record<string, string> = {};
  for (const op of operations) {
    const idFor = (param: string): string | undefined => {
      if (param === 'userId') return member.userId;
      if (param === 'invitationId') return invitation.invitation_id;
      if (param === 'companyId') return a.companyId;
      if (param === 'allocationId') return payment.allocations?.[0]?.id;
      if (param === 'assignmentId') return assignment.id;
      // A's own company as an accountant's client (nobody of the walls is assigned to it) and A's invoice.
      if (param === 'client_id') return a.companyId;
      if (param === 'invoice_id') return invoice.id;
      if (param === 'value') return '987.65';
      const p = op.path;
      if (p.startsWith('/api/v1/users')) return member.userId;
      if (p.startsWith('/api/v1/me/sessions')) return spareSession;
      if (p.startsWith('/api/v1/customers') || p.startsWith('/api/v1/clients')) return customer.id;
      if (p.startsWith('/api/v1/products')) return product.id;
      if (p.startsWith('/api/v1/drafts')) return draft.id;
      if (p.startsWith('/api/v1/invoices')) return invoice.id;
      // The portal with its own invoice: the walls then name the others' ids (tenant-walls.test.ts).
      if (p.startsWith('/api/v1/portal/invoices')) return ownInvoice.id;
      if (p.startsWith('/api/v1/payments')) return payment.id;
      if (p.startsWith('/api/v1/expenses')) return expense.id;
      if (p.startsWith('/api/v1/companies/current/documents')) return companyDocument.id;
      if (/^\/api\/v1\/admin\/companies\/\{companyId\}\/documents/.test(p)) return companyDocument.id;
      if (p.startsWith('/api/v1/time-entries')) return timeEntry.id;
      if (p.startsWith('/api/v1/egs')) return egs.id;
      if (p.startsWith('/api/v1/recurring-invoices')) return schedule.id;
      if (p.startsWith('/api/v1/webhooks/deliveries')) return delivery.id;
      if (p.startsWith('/api/v1/webhooks')) return webhook.id;
      if (p.startsWith('/api/v1/tills')) return till.id;
      if (p.startsWith('/api/v1/cash-sessions')) return session.id;
      if (p.startsWith('/api/v1/purchases')) return sale.id;
      if (p.startsWith('/api/v1/compliance/chain/runs')) return chainRun.id;
      if (param === 'credit_note_id') return unknownId;
      if (param === 'token') return 'q'.repeat(43);
      if (param === 'type') return 'customers';
      if (param === 'provider') return 'stripe';
      // A Peppol participant (not tenant data: the network's, the same for every company).
      if (param === 'participant') return '0088:5790000435975';
      // Platform content: a block's key and language (not tenant data; super-admin routes).
      if (param === 'key') return 'home.title';
      if (param === 'lang') return 'en';
      if (p.startsWith('/api/v1/vendors')) return vendor.id;
      if (p.startsWith('/api/v1/quotes')) return quote.id;
      if (p.startsWith('/api/v1/purchase-orders')) return purchaseOrder.id;
      if (p.startsWith('/api/v1/goods-receipts')) return goodsReceipt.id;
      if (p.startsWith('/api/v1/supplier-payments')) return unknownId;
      if (p.startsWith('/api/v1/supplier-invoices') || p.startsWith('/api/v1/inward-invoices')) {
        return supplierInvoice.id;
      }
      if (p.startsWith('/api/v1/reports/runs')) return reportRun.id;
      if (p.startsWith('/api/v1/bank-accounts')) return bankAccount.id;
      if (p.startsWith('/api/v1/bank-transactions')) return bankLine.id;
      if (p.startsWith('/api/v1/imports') || p.startsWith('/api/v1/import-templates')) return unknownId;
      return undefined;
    };
    for (const param of op.parameters.filter((p) => p.in === 'path')) {
      const id = idFor(param.name);
      if (!id) throw new Error(`no fixture id for ${op.method} ${op.path} {${param.name}}`);
      ids[`${op.path}:${param.name}`] = id;
    }
  }
  const bodies: Record<string, unknown> = {
    'POST /api/v1/invoices/generate': simplifiedInvoice(2),
    'POST /api/v1/invoices': simplifiedInvoice(4),
    'PUT /api/v1/invoices/{id}': simplifiedInvoice(5),
    'PATCH /api/v1/invoices/{id}': { notes: 'Edited' },
    'POST /api/v1/customers': { name_en: 'Hostile customer', address: { country: 'SA', city: 'Riyadh' } },
    'PATCH /api/v1/customers/{id}': { name_en: 'Renamed' },
    'POST /api/v1/products': { name_en: 'Hostile product', unit_price: '10' },
    'PATCH /api/v1/products/{id}': { unit_price: '11' },
    'POST /api/v1/tills': { name: 'Hostile till' },
    'POST /api/v1/purchases/{id}/returns': { items: [{ product_id: product.id, quantity: 1 }] },
    'POST /api/v1/tills/{id}/sessions': { counts: [{ value: 1, count: 1 }] },
    'POST /api/v1/cash-sessions/{id}/movements': { kind: 'cash_in', counts: [{ value: 1, count: 1 }] },
    'POST /api/v1/cash-sessions/{id}/close': { counts: [] },
    'POST /api/v1/denominations': { value: 200, available_count: 1 },
    'PUT /api/v1/denominations/{value}': { available_count: 1, till_id: till.id },
    'POST /api/v1/purchases': { items: [{ product_id: product.id, quantity: 1 }], paid_amount: '11.50' },
    'PUT /api/v1/products/{id}': { price: '12' },
    'POST /api/v1/products/{id}/stock-movements': { kind: 'adjustment', quantity: 1 },
    'POST /api/v1/payments': { amount: '5' },
    'PATCH /api/v1/payments/{id}': { status: 'reversed' },
    'POST /api/v1/supplier-invoices/{id}/dispute': { reason: 'Billed above the order price' },
    'POST /api/v1/inward-invoices/{id}/dispute': { reason: 'Billed above the order price' },
    'POST /api/v1/payments/{id}/allocations': { allocations: [{ invoice_id: invoice.id, amount: '1' }] },
    'POST /api/v1/invoices/{id}/partial-payment': { amount: '1' },
    'POST /api/v1/drafts': { draft_data: { customer_name: 'B' }, is_auto_saved: false, name: 'B' },
    'PUT /api/v1/drafts/{id}': { draft_data: { customer_name: 'C' } },
    'POST /api/v1/preview/calculate': simplifiedInvoice(3),
    'POST /api/v1/auth/login': { email: a.email, password: 'wrong password' },
    'POST /api/v1/companies/current/members': { email: b.email, role: 'viewer' },
    'PATCH /api/v1/companies/current/members/{userId}': { role: 'finance' },
    'POST /api/v1/users': { email: b.email, role: 'viewer' },
    'PUT /api/v1/users/{id}': { role: 'finance' },
    'PATCH /api/v1/users/{id}': { role: 'finance' },
    'POST /api/v1/admin/companies/{companyId}/reject': { reason: 'Documents missing' },
    'POST /api/v1/admin/companies/{companyId}/suspend': { reason: 'Terms of service' },
    'PUT /api/v1/admin/companies/{companyId}/plan': { plan: 'pro' },
    'PUT /api/v1/admin/content/{key}/{lang}': { body: 'Hostile text' },
    'POST /api/v1/admin/content/{key}/{lang}/restore': { version: 1 },
    'POST /api/v1/egs': { environment: 'simulation' },
    'POST /api/v1/egs/{id}/compliance-csid': { otp: '123456' },
    'POST /api/v1/invoices/{id}/send': { to: 'someone@example.com' },
    'POST /api/v1/expenses': {
      expense_date: '2026-02-11',
      vendor: 'Hostile vendor',
      category: 'office',
      amount: '11.50',
      vat_rate: '15',
    },
    'PATCH /api/v1/expenses/{id}': { vendor: 'Renamed' },
    'POST /api/v1/time-entries': {
      customer_id: customer.id,
      entry_date: '2026-02-11',
      hours: '1',
      hourly_rate: '10',
    },
    'PATCH /api/v1/time-entries/{id}': { hours: '3' },
    'POST /api/v1/time-entries/invoice': { customer_id: customer.id },
    'POST /api/v1/companies/current/accountants': { email: b.email, scopes: ['invoices'] },
    'PATCH /api/v1/companies/current/accountants/{assignmentId}': { status: 'revoked' },
    'PUT /api/v1/practice/clients/{client_id}/staff': { user_ids: [] },
    'POST /api/v1/recurring-invoices': {
      customer_id: customer.id,
      frequency: 'weekly',
      start_date: '2030-01-01',
      template: { line_items: [{ description: 'x', quantity: 1, unit_price: 10 }] },
    },
    'PATCH /api/v1/recurring-invoices/{id}': { name: 'Renamed' },
    'POST /api/v1/webhooks': { url: 'https://93.184.215.16/hooks', events: ['invoice.paid'] },
    'PATCH /api/v1/webhooks/{id}': { description: 'Renamed' },
    'PATCH /api/v1/vendors/{id}': { name_en: 'Renamed' },
    'POST /api/v1/purchase-orders': {
      vendor_id: vendor.id,
      lines: [{ description: 'y', quantity: '1', unit_price: '1' }],
    },
    'PATCH /api/v1/purchase-orders/{id}': { notes: 'Renamed' },
    'POST /api/v1/purchase-orders/{id}/receipts': {
      lines: [{ purchase_order_line_id: purchaseOrder.lines[0].id, quantity: '1' }],
    },
    'POST /api/v1/goods-receipts': {
      purchase_order_id: purchaseOrder.id,
      lines: [{ purchase_order_line_id: purchaseOrder.lines[0].id, quantity: '1' }],
    },
    'POST /api/v1/bank-accounts/{id}/statements': {
      format: 'mt940',
      content: ':20:B\n:25:B\n:60F:C261130SAR0,00\n:61:261202C20,00NTRFNONREF\n:62F:C261202SAR20,00\n',
    },
    'POST /api/v1/bank-transactions/{id}/match': {
      allocations: [{ invoice_id: invoice.id, amount: '1.00' }],
    },
    'PUT /api/v1/imports/{id}/mapping': { mapping: { name_en: 'Name' } },
    'POST /api/v1/reports/runs': {
      kind: 'sales',
      format: 'csv',
      from: '2026-01-01',
      to: '2026-01-31',
    },
  };

  const countRows = async (query: (text: string) => Promise<{ rows: Record<string, unknown>[] }>) => {
    const tables = await query(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE '\\_\\_%' ORDER BY tablename",
    );
    const out: Record<string, number> = {};
    for (const row of tables.rows) {
      const table = String(row.tablename);
      const reads = AUDITED_READS.map((action) => `'${action}'`).join(', ');
      const where = table === 'audit_log' ? ` WHERE action NOT IN (${reads})` : '';
      const result = await query(`SELECT count(*)::int AS n FROM "${table}"${where}`);
      out[table] = Number(result.rows[0]?.n);
    }
    return out;
  };

  return {
    server,
    kind: scratch ? 'postgres' : 'pglite',
    a,
    b,
    viewer,
    finance,
    accountant,
    client,
    portal: {
      ownInvoiceId: ownInvoice.id,
      otherCustomerInvoiceId: otherCustomerInvoice.id,
      otherCompanyInvoiceId: bInvoice.json().id,
    },
    revokedToken: second.accessToken,
    expiredToken,
    ids,
    bodies,
    operations,
    openapi,
    async rowCounts() {
      if (scratch) return countRows((text) => (scratch as ScratchDatabase).pool.query(text));
      await server.stop();
      const database = await openDb({ dataDir: dataDir as string });
      try {
        return await countRows((text) => database.execute(text));
      } finally {
        await database.close();
        await server.start();
      }
    },
    async close() {
      await server.kill();
      receiver.close();
      await sml.close();
      await scratch?.drop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
