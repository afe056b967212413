import type { AppContext } from '../../context';
import { AppError, defineErrors } from '../../lib/errors';
import * as q from './queries';
import { DRAFT_MAX_BYTES, type DraftSaveInput, type DraftUpdateInput } from './schemas';

defineErrors({
  DRAFT_NOT_FOUND: [404, 'Draft not found.'],
  DRAFT_CONFLICT: [409, 'The draft was changed elsewhere (another tab?) since you loaded it.'],
  DRAFT_TOO_LARGE: [413, 'The draft is too large.'],
  DRAFT_NAME_REQUIRED: [400, 'A saved (not auto-saved) draft needs a name.'],
});

interface Owner {
  companyId: string;
  userId: string;
}

export function presentDraft(row: q.DraftRow) {
  return {
    id: row.id,
    draft_data: row.draftData,
    name: row.name,
    is_auto_saved: row.isAutoSaved,
    version: row.version,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export const etagOf = (row: q.DraftRow) => `"v${row.version}"`;

/** No draft exists yet: a first save made with `If-None-Match: *` loses to one that got there first. */
export const NO_DRAFT_YET = 0;

/**
 * The version a write is based on: the body's `version`, else an If-Match header holding an ETag, else
 * `If-None-Match: *` (RFC 9110 13.1.2) for "create only": two tabs that both start with no draft cannot overwrite
 * each other's first save.
 */
export function expectedVersion(
  bodyVersion: number | undefined,
  ifMatch: string | undefined,
  ifNoneMatch?: string,
): number | undefined {
  if (bodyVersion !== undefined) return bodyVersion;
  if (ifNoneMatch?.trim() === '*') return NO_DRAFT_YET;
  if (!ifMatch || ifMatch.trim() === '*') return undefined;
  const match = /^(?:W\/)?"v(\d{1,9})"$/.exec(ifMatch.trim());
  if (!match)
    throw new AppError('PRECONDITION_INVALID', {
      status: 400,
      message: 'If-Match takes the ETag "v<version>".',
    });
  return Number(match[1]);
}

function checkSize(draftData: Record<string, unknown>): void {
  const bytes = Buffer.byteLength(JSON.stringify(draftData));
  if (bytes > DRAFT_MAX_BYTES) {
    throw new AppError('DRAFT_TOO_LARGE', {
      message: `The draft is ${bytes} bytes; at most ${DRAFT_MAX_BYTES} are kept.`,
    });
  }
}

function conflict(current: q.DraftRow | undefined): AppError {
  if (!current) return new AppError('DRAFT_NOT_FOUND');
  return new AppError('DRAFT_CONFLICT', {
    headers: { etag: etagOf(current) },
    extra: { current_version: current.version, current: presentDraft(current) },
  });
}

/**
 * Auto-save updates the user's one auto-save draft in this company in place (created on first save); a named
 * save creates a new draft. A stale version is refused so two tabs never silently overwrite each other.
 */
export async function saveDraft(
  ctx: AppContext,
  owner: Owner,
  input: DraftSaveInput,
  version: number | undefined,
): Promise<{ row: q.DraftRow; created: boolean }> {
  checkSize(input.draft_data);
  if (!input.is_auto_saved) {
    if (!input.name)
      throw new AppError('DRAFT_NAME_REQUIRED', {
        errors: [{ path: 'name', code: 'REQUIRED', message: 'Required.' }],
      });
    const row = await q.insertNamedDraft(ctx.db, { ...owner, draftData: input.draft_data, name: input.name });
    return { row, created: true };
  }
  const row = await q.upsertAutoSave(ctx.db, {
    ...owner,
    draftData: input.draft_data,
    name: input.name ?? null,
    expectedVersion: version,
  });
  if (!row) throw conflict(await q.getAutoSave(ctx.db, owner));
  return { row, created: row.inserted };
}

export async function updateDraft(
  ctx: AppContext,
  owner: Owner,
  id: string,
  input: DraftUpdateInput,
  version: number | undefined,
): Promise<q.DraftRow> {
  checkSize(input.draft_data);
  const row = await q.updateDraft(ctx.db, {
    ...owner,
    id,
    draftData: input.draft_data,
    name: input.name,
    expectedVersion: version,
  });
  if (!row) throw conflict(await q.getDraft(ctx.db, { ...owner, id }));
  return row;
}
