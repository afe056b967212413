import { createHash, randomBytes } from 'node:crypto';
import { schema } from '@invoiceflow/db';
import { and, eq } from '@invoiceflow/db/orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  as,
  createTestApp,
  registerUser,
  type Session,
  type TestApp,
} from '../../../test/support/app';
import { superAdminCommand } from '../../cli/super-admin';

const MAX = 64 * 1024;
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2000), Buffer.from('\n%%EOF\n')]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(500)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(700)]);

let t: TestApp;
let admin: Session;
beforeAll(async () => {
  // A multi-tenant deployment: companies wait for approval and start on the free plan (100 MiB of files).
  t = await createTestApp({
    REQUIRE_COMPANY_APPROVAL: true,
    DEFAULT_PLAN: 'free',
    COMPANY_DOCUMENT_MAX_BYTES: MAX,
  });
  admin = await registerUser(t.app);
  expect((await superAdminCommand(t.database.db, ['--grant', admin.email])).exitCode).toBe(0);
});
afterAll(() => t.close());

const call = (session: Session) => as(t.app, session);
const upload = (
  session: Session,
  body: Buffer | string,
  { kind = 'trade_licence', name = 'licence.pdf', type = 'application/octet-stream' } = {},
) =>
  call(session)({
    method: 'POST',
    url: `/api/v1/companies/current/documents?kind=${kind}&file_name=${encodeURIComponent(name)}`,
    headers: { 'content-type': type },
    payload: body,
  });

describe('company documents', () => {
  it('stores a PDF, a PNG and a JPEG as sent, lists them and gives the same bytes back', async () => {
    const owner = await registerUser(t.app);
    const sent = [
      { body: PDF, kind: 'trade_licence', name: 'Trade licence 2026.pdf', type: 'application/pdf' },
      { body: PNG, kind: 'vat_certificate', name: 'vat.png', type: 'image/png' },
      { body: JPEG, kind: 'other', name: 'chamber.jpg', type: 'application/octet-stream' },
    ];
    const ids: string[] = [];
    for (const file of sent) {
      const stored = await upload(owner, file.body, file);
      expect(stored.statusCode, stored.body).toBe(201);
      expect(stored.json()).toMatchObject({
        kind: file.kind,
        file_name: file.name,
        byte_size: file.body.length,
        sha256: createHash('sha256').update(file.body).digest('hex'),
        uploaded_by: owner.userId,
      });
      ids.push(stored.json().id);
    }
    expect(
      (await call(owner)({ method: 'GET', url: '/api/v1/companies/current/documents' }))
        .json()
        .documents.map((d: { kind: string; content_type: string }) => [d.kind, d.content_type]),
    ).toEqual([
      ['trade_licence', 'application/pdf'],
      ['vat_certificate', 'image/png'],
      ['other', 'image/jpeg'],
    ]);
    for (const [i, file] of sent.entries()) {
      const download = await call(owner)({
        method: 'GET',
        url: `/api/v1/companies/current/documents/${ids[i]}`,
      });
      expect(download.statusCode).toBe(200);
      expect(download.rawPayload.equals(file.body)).toBe(true);
      expect(download.headers['content-disposition']).toContain('attachment');
      expect(download.headers['x-content-type-options']).toBe('nosniff');
    }
    // A viewer reads them; only those who manage the settings add or take away.
    const viewer = await addMember(t.app, owner, 'viewer');
    expect(
      (await call(viewer)({ method: 'GET', url: '/api/v1/companies/current/documents' })).statusCode,
    ).toBe(200);
    expect((await upload(viewer, PDF)).statusCode).toBe(403);
    const notAllowed = await call(viewer)({
      method: 'DELETE',
      url: `/api/v1/companies/current/documents/${ids[2]}`,
    });
    expect(notAllowed.statusCode).toBe(403);
  });

  it('refuses what is not a PDF, PNG or JPEG, a type that lies, a file too big, and a name with a folder', async () => {
    const owner = await registerUser(t.app);
    const html = await upload(owner, '<!doctype html><script>alert(1)</script>');
    expect(html.statusCode).toBe(415);
    expect(html.json().code).toBe('COMPANY_DOCUMENT_TYPE_NOT_ALLOWED');
    const exe = await upload(owner, Buffer.concat([Buffer.from('MZ'), randomBytes(200)]));
    expect(exe.json()).toMatchObject({ status: 415, code: 'COMPANY_DOCUMENT_TYPE_NOT_ALLOWED' });
    const lying = await upload(owner, PNG, { type: 'application/pdf' });
    expect(lying.json()).toMatchObject({ status: 415, code: 'COMPANY_DOCUMENT_TYPE_MISMATCH' });
    const declaredHtml = await upload(owner, '<html></html>', { type: 'text/html' });
    expect(declaredHtml.statusCode).toBe(415);
    const tooBig = await upload(owner, Buffer.concat([PDF, randomBytes(MAX)]));
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.headers['content-type']).toContain('application/problem+json');
    const pathName = await upload(owner, PDF, { name: '../../etc/passwd' });
    expect(pathName.statusCode).toBe(400);
    expect(pathName.json().errors[0]).toMatchObject({ path: 'query.file_name', code: 'FILE_NAME_HAS_PATH' });
    const kind = await upload(owner, PDF, { kind: 'passport' });
    expect(kind.statusCode).toBe(400);
    const listed = await call(owner)({ method: 'GET', url: '/api/v1/companies/current/documents' });
    expect(listed.json().documents).toEqual([]);
  });

  it('another company can neither list, read nor delete them', async () => {
    const owner = await registerUser(t.app);
    const other = await registerUser(t.app);
    const id = (await upload(owner, PDF)).json().id;
    expect((await call(other)({ method: 'GET', url: '/api/v1/companies/current/documents' })).json()).toEqual(
      {
        documents: [],
      },
    );
    const read = await call(other)({ method: 'GET', url: `/api/v1/companies/current/documents/${id}` });
    expect(read.json()).toMatchObject({ status: 404, code: 'COMPANY_DOCUMENT_NOT_FOUND' });
    const removed = await call(other)({ method: 'DELETE', url: `/api/v1/companies/current/documents/${id}` });
    expect(removed.statusCode).toBe(404);
    // Nor through the administrators' door: it is for platform administrators only.
    const adminDoor = await call(other)({
      method: 'GET',
      url: `/api/v1/admin/companies/${owner.companyId}/documents/${id}`,
    });
    expect(adminDoor.json()).toMatchObject({ status: 403, code: 'SUPER_ADMIN_REQUIRED' });
    expect(
      (await call(owner)({ method: 'GET', url: `/api/v1/companies/current/documents/${id}` })).statusCode,
    ).toBe(200);
  });

  it('the approval queue shows each pending company’s documents; the super admin reads them (audited) and approves', async () => {
    const owner = await registerUser(t.app);
    const licence = (await upload(owner, PDF, { name: 'licence.pdf' })).json();
    const certificate = (await upload(owner, PNG, { kind: 'vat_certificate', name: 'vat.png' })).json();
    const queue = await call(admin)({
      method: 'GET',
      url: '/api/v1/admin/companies?status=pending&limit=200',
    });
    expect(queue.statusCode, queue.body).toBe(200);
    const pending = queue.json().companies.find((c: { id: string }) => c.id === owner.companyId);
    expect(pending.documents.map((d: { id: string; kind: string }) => [d.id, d.kind])).toEqual([
      [licence.id, 'trade_licence'],
      [certificate.id, 'vat_certificate'],
    ]);
    const download = await call(admin)({
      method: 'GET',
      url: `/api/v1/admin/companies/${owner.companyId}/documents/${licence.id}`,
    });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(PDF)).toBe(true);
    const [viewed] = await t.database.db
      .select()
      .from(schema.auditLog)
      .where(
        and(
          eq(schema.auditLog.companyId, owner.companyId),
          eq(schema.auditLog.action, 'company.document_viewed'),
        ),
      );
    expect(viewed).toMatchObject({ actorUserId: admin.userId, entityId: licence.id });
    // The company's owner sees who looked, in its own audit log.
    const log = (await call(owner)({ method: 'GET', url: '/api/v1/audit-log' })).json();
    expect(log.entries.map((e: { action: string }) => e.action)).toContain('company.document_viewed');
    // Another company's id with this document's id is not found.
    const other = await registerUser(t.app);
    const crossed = await call(admin)({
      method: 'GET',
      url: `/api/v1/admin/companies/${other.companyId}/documents/${licence.id}`,
    });
    expect(crossed.statusCode).toBe(404);

    // Before approval the owner may take one away; after it, what the approval rested on stays.
    const extra = (await upload(owner, JPEG, { kind: 'other', name: 'extra.jpg' })).json();
    expect(
      (await call(owner)({ method: 'DELETE', url: `/api/v1/companies/current/documents/${extra.id}` }))
        .statusCode,
    ).toBe(204);
    const approved = await call(admin)({
      method: 'POST',
      url: `/api/v1/admin/companies/${owner.companyId}/approve`,
    });
    expect(approved.statusCode).toBe(200);
    const kept = await call(owner)({
      method: 'DELETE',
      url: `/api/v1/companies/current/documents/${licence.id}`,
    });
    expect(kept.json()).toMatchObject({ status: 409, code: 'COMPANY_DOCUMENT_LOCKED' });
    const after = (await call(owner)({ method: 'GET', url: '/api/v1/companies/current/documents' })).json();
    expect(after.documents.map((d: { id: string }) => d.id)).toEqual([licence.id, certificate.id]);
  });

  it('counts every stored file kind in the plan’s storage, and refuses a document beyond it', async () => {
    const owner = await registerUser(t.app);
    await upload(owner, PDF);
    const expense = await call(owner)({
      method: 'POST',
      url: '/api/v1/expenses',
      payload: {
        expense_date: '2026-03-01',
        vendor: 'Jarir',
        category: 'office',
        amount: '115.00',
        vat_rate: '15',
      },
    });
    expect(expense.statusCode, expense.body).toBe(201);
    const receipt = await call(owner)({
      method: 'PUT',
      url: `/api/v1/expenses/${expense.json().id}/receipt?file_name=receipt.jpg`,
      headers: { 'content-type': 'image/jpeg' },
      payload: JPEG,
    });
    expect(receipt.statusCode, receipt.body).toBe(200);
    const usage = (await call(owner)({ method: 'GET', url: '/api/v1/companies/current/usage' })).json();
    expect(usage.storage_by_kind).toMatchObject({ company_documents: PDF.length, receipts: JPEG.length });
    expect(usage.usage.storage_bytes).toEqual({ used: PDF.length + JPEG.length, limit: 100 * 1024 * 1024 });

    // Fill the plan to a few bytes short of its 100 MiB (the row's size is what is counted).
    const limit = 100 * 1024 * 1024;
    await t.database.db.insert(schema.companyDocuments).values({
      companyId: owner.companyId,
      kind: 'other',
      fileName: 'archive.pdf',
      contentType: 'application/pdf',
      byteSize: limit - PDF.length - JPEG.length - 10,
      sha256: '0'.repeat(64),
      storage: 'database',
      storageKey: `${owner.companyId}/00000000-0000-0000-0000-000000000000`,
    });
    const refused = await upload(owner, PDF);
    expect(refused.statusCode).toBe(402);
    expect(refused.json()).toMatchObject({
      code: 'PLAN_LIMIT_REACHED',
      limit: 'storage_bytes',
      usage: limit - 10,
      plan: 'free',
      upgrade_plan: 'pro',
    });
    const after = (await call(owner)({ method: 'GET', url: '/api/v1/companies/current/documents' })).json();
    expect(after.documents).toHaveLength(2);
  });
});
