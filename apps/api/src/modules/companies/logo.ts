// The company logo: uploaded once per change, kept for good (company_logos), printed on the documents issued
// after it. An issued invoice's snapshot names the logo it was issued with (seller.logo_id), so its PDF — stored
// once, and re-rendered from the snapshot only if the stored copy is lost — never takes a later logo.
import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '@invoiceflow/db';
import { logoImageSize } from '@invoiceflow/pdf';
import type { AppContext } from '../../context';
import { recordAudit } from '../../lib/audit';
import { AppError, defineErrors } from '../../lib/errors';
import { sniffReceiptType } from '../files/sniff';
import { configuredStorage, type StorageConfig, storageNamed } from '../files/storage';
import { assertStorageAvailable } from '../plans/limits';
import * as q from './queries';
import type { Actor } from './service';

/** A logo is printed 90 × 40 pt: a megabyte is far more than a sharp one needs. */
export const LOGO_MAX_BYTES = 1024 * 1024;
/** Pixels per side: smaller cannot be read, larger is a photograph rather than a logo. */
const LOGO_MIN_SIDE = 16;
const LOGO_MAX_SIDE = 4096;
export const LOGO_TYPES = ['image/png', 'image/jpeg'] as const;
type LogoType = (typeof LOGO_TYPES)[number];

defineErrors({
  LOGO_TYPE_NOT_ALLOWED: [415, 'A logo is a PNG or JPEG image.'],
  LOGO_TYPE_MISMATCH: [415, 'The file is not of the type it was sent as.'],
  LOGO_UNREADABLE: [422, 'The image cannot be read: it is damaged or not a complete PNG or JPEG.'],
  LOGO_DIMENSIONS: [422, `A logo is between ${LOGO_MIN_SIDE} and ${LOGO_MAX_SIDE} pixels on each side.`],
  LOGO_NOT_FOUND: [404, 'The company has no logo.'],
});

export function presentLogo(row: q.CompanyLogoRow) {
  return {
    id: row.id,
    content_type: row.contentType,
    byte_size: row.byteSize,
    width: row.width,
    height: row.height,
    sha256: row.sha256,
    uploaded_at: row.createdAt.toISOString(),
  };
}

/** Stores a new logo and makes it the company's: its type read from its first bytes, its size and pixels checked. */
export async function putCompanyLogo(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  upload: { bytes: Buffer | undefined; declaredType: string },
) {
  const bytes = upload.bytes;
  if (!bytes || bytes.length === 0)
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', {
      message: 'Send the logo file as the body (image/png or image/jpeg).',
    });
  if (bytes.length > LOGO_MAX_BYTES)
    throw new AppError('PAYLOAD_TOO_LARGE', { extra: { limit: LOGO_MAX_BYTES } });
  const sniffed = sniffReceiptType(bytes);
  const type = (LOGO_TYPES as readonly string[]).includes(sniffed ?? '') ? (sniffed as LogoType) : undefined;
  if (!type) throw new AppError('LOGO_TYPE_NOT_ALLOWED', { extra: { allowed: LOGO_TYPES } });
  if (upload.declaredType !== 'application/octet-stream' && upload.declaredType !== type)
    throw new AppError('LOGO_TYPE_MISMATCH', { extra: { declared: upload.declaredType, detected: type } });
  const size = logoImageSize(bytes);
  if (!size) throw new AppError('LOGO_UNREADABLE');
  const isSane = (side: number) => side >= LOGO_MIN_SIDE && side <= LOGO_MAX_SIDE;
  if (!isSane(size.width) || !isSane(size.height))
    throw new AppError('LOGO_DIMENSIONS', { extra: { width: size.width, height: size.height } });

  const storage = configuredStorage(ctx.config);
  return ctx.db.transaction(async (tx) => {
    const company = await q.getCompany(tx, { companyId });
    if (company) await assertStorageAvailable(tx, company, bytes.length);
    const key = `${companyId}/${randomUUID()}`;
    await storage.put(tx, { companyId, key, bytes });
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const logo = await q.insertCompanyLogo(tx, {
      companyId,
      contentType: type,
      byteSize: bytes.length,
      width: size.width,
      height: size.height,
      sha256,
      storage: storage.kind,
      storageKey: key,
      createdBy: actor.userId,
    });
    // The old logo stays: documents issued with it still name it.
    await q.updateCompany(tx, { companyId, values: { logoId: logo.id } });
    await recordAudit(tx, {
      companyId,
      actorUserId: actor.userId,
      action: 'company.logo_changed',
      entityType: 'company',
      entityId: companyId,
      data: { logo_id: logo.id, sha256, byte_size: bytes.length },
      requestId: actor.requestId,
    });
    return presentLogo(logo);
  });
}

/** Documents issued from now on carry no logo; those issued with one keep it. */
export async function removeCompanyLogo(ctx: AppContext, companyId: string, actor: Actor): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const company = await q.getCompany(tx, { companyId });
    if (!company?.logoId) throw new AppError('LOGO_NOT_FOUND');
    await q.updateCompany(tx, { companyId, values: { logoId: null } });
    await recordAudit(tx, {
      companyId,
      actorUserId: actor.userId,
      action: 'company.logo_removed',
      entityType: 'company',
      entityId: companyId,
      data: { logo_id: company.logoId },
      requestId: actor.requestId,
    });
  });
}

/** A logo's row and bytes: the company's current one, or (logoId) the one a document was issued with. */
export async function readCompanyLogo(
  ctx: { config: StorageConfig },
  db: Db,
  { companyId, logoId }: { companyId: string; logoId?: string | null },
): Promise<{ logo: q.CompanyLogoRow; bytes: Buffer } | undefined> {
  const id = logoId === undefined ? (await q.getCompany(db, { companyId }))?.logoId : logoId;
  if (!id) return undefined;
  const logo = await q.getCompanyLogo(db, { companyId, logoId: id });
  if (!logo) return undefined;
  const bytes = await storageNamed(logo.storage, ctx.config).get(db, { companyId, key: logo.storageKey });
  if (!bytes) throw new Error(`logo ${logo.storageKey} missing from ${logo.storage} storage`);
  return { logo, bytes };
}
