// The papers a company registers with (trade licence, VAT certificate, anything else asked for): uploaded by its
// owners and administrators through the file storage receipts and logos use, read by a platform administrator in
// the approval queue. Once an approval rests on them (REQUIRE_COMPANY_APPROVAL on and the company approved) they
// stay: a document can be added, not taken away.
import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '@invoiceflow/db';
import { COMPANY_DOCUMENT_KINDS, type CompanyDocumentKind } from '@invoiceflow/db/schema';
import type { AppContext } from '../../context';
import type { Actor } from '../../lib/actor';
import { recordAudit } from '../../lib/audit';
import { AppError, defineErrors } from '../../lib/errors';
import { checkedFileName } from '../files/file-name';
import { RECEIPT_TYPES, sniffReceiptType } from '../files/sniff';
import { configuredStorage, storageNamed } from '../files/storage';
import { assertStorageAvailable } from '../plans/limits';
import * as q from './queries';

/** A scan or a PDF: the types a receipt may be, known by their first bytes. */
export const COMPANY_DOCUMENT_TYPES = RECEIPT_TYPES;
export { COMPANY_DOCUMENT_KINDS, type CompanyDocumentKind };

defineErrors({
  COMPANY_DOCUMENT_TYPE_NOT_ALLOWED: [415, 'A company document is a PDF, or a PNG or JPEG scan.'],
  COMPANY_DOCUMENT_TYPE_MISMATCH: [415, 'The file is not of the type it was sent as.'],
  COMPANY_DOCUMENT_NOT_FOUND: [404, 'The company has no such document.'],
  COMPANY_DOCUMENT_LOCKED: [
    409,
    'The company was approved on these documents: they are kept. Upload a newer one instead.',
  ],
});

export function presentCompanyDocument(row: q.CompanyDocumentRow) {
  return {
    id: row.id,
    kind: row.kind,
    file_name: row.fileName,
    content_type: row.contentType,
    byte_size: row.byteSize,
    sha256: row.sha256,
    uploaded_by: row.uploadedBy,
    uploaded_at: row.createdAt.toISOString(),
  };
}

export async function uploadCompanyDocument(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  upload: {
    bytes: Buffer | undefined;
    declaredType: string;
    kind: CompanyDocumentKind;
    fileName: string | undefined;
  },
) {
  const fileName = checkedFileName(upload.fileName);
  const bytes = upload.bytes;
  if (!bytes || bytes.length === 0)
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', {
      message: 'Send the document file as the body (application/pdf, image/png or image/jpeg).',
    });
  if (bytes.length > ctx.config.COMPANY_DOCUMENT_MAX_BYTES)
    throw new AppError('PAYLOAD_TOO_LARGE', { extra: { limit: ctx.config.COMPANY_DOCUMENT_MAX_BYTES } });
  const type = sniffReceiptType(bytes);
  if (!type)
    throw new AppError('COMPANY_DOCUMENT_TYPE_NOT_ALLOWED', { extra: { allowed: COMPANY_DOCUMENT_TYPES } });
  if (upload.declaredType !== 'application/octet-stream' && upload.declaredType !== type)
    throw new AppError('COMPANY_DOCUMENT_TYPE_MISMATCH', {
      extra: { declared: upload.declaredType, detected: type },
    });

  const storage = configuredStorage(ctx.config);
  return ctx.db.transaction(async (tx) => {
    const company = await q.getCompany(tx, { companyId });
    if (!company) throw new AppError('COMPANY_NOT_FOUND');
    await assertStorageAvailable(tx, company, bytes.length);
    const key = `${companyId}/${randomUUID()}`;
    await storage.put(tx, { companyId, key, bytes });
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const row = await q.insertCompanyDocument(tx, {
      companyId,
      kind: upload.kind,
      fileName,
      contentType: type,
      byteSize: bytes.length,
      sha256,
      storage: storage.kind,
      storageKey: key,
      uploadedBy: actor.userId,
    });
    await recordAudit(tx, {
      companyId,
      actorUserId: actor.userId,
      action: 'company.document_uploaded',
      entityType: 'company_document',
      entityId: row.id,
      data: { kind: row.kind, sha256, byte_size: bytes.length },
      requestId: actor.requestId,
    });
    return presentCompanyDocument(row);
  });
}

export async function listCompanyDocuments(db: Db, { companyId }: { companyId: string }) {
  return (await q.listCompanyDocuments(db, { companyId })).map(presentCompanyDocument);
}

/** A document's row and bytes, from the storage its row names. */
export async function readCompanyDocument(
  ctx: AppContext,
  db: Db,
  { companyId, id }: { companyId: string; id: string },
): Promise<{ row: q.CompanyDocumentRow; bytes: Buffer }> {
  const row = await q.getCompanyDocument(db, { companyId, id });
  if (!row) throw new AppError('COMPANY_DOCUMENT_NOT_FOUND');
  const bytes = await storageNamed(row.storage, ctx.config).get(db, { companyId, key: row.storageKey });
  if (!bytes) throw new Error(`company document ${row.storageKey} missing from ${row.storage} storage`);
  return { row, bytes };
}

/**
 * A platform administrator reading a company's document: a look at a tenant's papers, so it is in the audit log
 * (the company's own, where its owners can see it) like every other super-admin action.
 */
export async function readCompanyDocumentAsSuperAdmin(
  ctx: AppContext,
  actor: Actor,
  { companyId, id }: { companyId: string; id: string },
) {
  return ctx.db.transaction(async (tx) => {
    const found = await readCompanyDocument(ctx, tx, { companyId, id });
    await recordAudit(tx, {
      companyId,
      actorUserId: actor.userId,
      action: 'company.document_viewed',
      entityType: 'company_document',
      entityId: id,
      data: { by: 'super_admin', kind: found.row.kind },
      requestId: actor.requestId,
    });
    return found;
  });
}

/** Taken away while no approval rests on it; the stored bytes go in the same transaction as the row. */
export async function deleteCompanyDocument(ctx: AppContext, companyId: string, actor: Actor, id: string) {
  await ctx.db.transaction(async (tx) => {
    const company = await q.getCompany(tx, { companyId });
    if (!company) throw new AppError('COMPANY_NOT_FOUND');
    const row = await q.getCompanyDocument(tx, { companyId, id });
    if (!row) throw new AppError('COMPANY_DOCUMENT_NOT_FOUND');
    if (ctx.config.REQUIRE_COMPANY_APPROVAL && company.isApproved)
      throw new AppError('COMPANY_DOCUMENT_LOCKED');
    await q.deleteCompanyDocument(tx, { companyId, id });
    await storageNamed(row.storage, ctx.config).delete(tx, { companyId, key: row.storageKey });
    await recordAudit(tx, {
      companyId,
      actorUserId: actor.userId,
      action: 'company.document_deleted',
      entityType: 'company_document',
      entityId: id,
      data: { kind: row.kind, sha256: row.sha256 },
      requestId: actor.requestId,
    });
  });
}
