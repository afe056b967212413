import type { ContentLanguage } from '@invoiceflow/db/schema';
import type { AppContext } from '../../context';
import type { Actor } from '../../lib/actor';
import { recordAudit } from '../../lib/audit';
import { AppError, defineErrors } from '../../lib/errors';
import * as q from './queries';

defineErrors({
  CONTENT_VERSION_NOT_FOUND: [404, 'This block has no such version.'],
});

/**
 * Every edit is a version (1, 2, …) kept in the history; a restore writes the old body as the next version, so the
 * history only grows and shows who restored what.
 */
export async function editBlock(
  ctx: AppContext,
  actor: Actor,
  input: { key: string; lang: ContentLanguage; body: string; restoredFrom?: number },
) {
  return ctx.db.transaction(async (tx) => {
    const block = await q.writeBlock(tx, {
      key: input.key,
      lang: input.lang,
      body: input.body,
      updatedBy: actor.userId,
    });
    const version = block.version;
    await q.insertVersion(tx, {
      key: input.key,
      lang: input.lang,
      version,
      body: input.body,
      createdBy: actor.userId,
      restoredFrom: input.restoredFrom ?? null,
    });
    await recordAudit(tx, {
      companyId: null,
      actorUserId: actor.userId,
      action: input.restoredFrom ? 'content.restored' : 'content.edited',
      entityType: 'content_block',
      entityId: `${input.key}:${input.lang}`,
      data: {
        by: 'super_admin',
        version,
        ...(input.restoredFrom ? { restored_from: input.restoredFrom } : {}),
      },
      requestId: actor.requestId,
    });
    return block;
  });
}

export async function restoreBlock(
  ctx: AppContext,
  actor: Actor,
  input: { key: string; lang: ContentLanguage; version: number },
) {
  const old = await q.getVersion(ctx.db, input);
  if (!old) throw new AppError('CONTENT_VERSION_NOT_FOUND');
  return editBlock(ctx, actor, {
    key: input.key,
    lang: input.lang,
    body: old.body,
    restoredFrom: old.version,
  });
}
