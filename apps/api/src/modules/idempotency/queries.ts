import { type Db, schema } from '@invoiceflow/db';
import { and, eq, sql } from '@invoiceflow/db/orm';

const { idempotencyKeys } = schema;

export interface IdempotencyRecord {
  requestHash: string;
  statusCode: number | null;
  response: unknown;
}

interface KeyRef {
  companyId: string;
  scope: string;
  key: string;
}

/**
 * Claims a key by inserting its row in the caller's transaction. A concurrent request with the same key blocks
 * on the unique row until the first commits (then finds it) or rolls back (then claims it).
 */
export async function claimIdempotencyKey(
  db: Db,
  values: KeyRef & { userId: string; requestHash: string },
): Promise<boolean> {
  const rows = await db
    .insert(idempotencyKeys)
    .values(values)
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  return rows.length > 0;
}

export async function getIdempotencyKey(
  db: Db,
  { companyId, scope, key }: KeyRef,
): Promise<IdempotencyRecord | undefined> {
  const [row] = await db
    .select({
      requestHash: idempotencyKeys.requestHash,
      statusCode: idempotencyKeys.statusCode,
      response: idempotencyKeys.response,
    })
    .from(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.companyId, companyId),
        eq(idempotencyKeys.scope, scope),
        eq(idempotencyKeys.key, key),
      ),
    );
  return row;
}

export async function completeIdempotencyKey(
  db: Db,
  { companyId, scope, key, statusCode, response }: KeyRef & { statusCode: number; response: unknown },
): Promise<void> {
  await db
    .update(idempotencyKeys)
    .set({ statusCode, response })
    .where(
      and(
        eq(idempotencyKeys.companyId, companyId),
        eq(idempotencyKeys.scope, scope),
        eq(idempotencyKeys.key, key),
      ),
    );
}

/** Deletes the rows of every company older than `days` days; returns how many. */
export async function purgeIdempotencyKeys(db: Db, { days }: { days: number }): Promise<number> {
  const rows = await db
    .delete(idempotencyKeys)
    .where(sql`${idempotencyKeys.createdAt} < now() - make_interval(days => ${days}::int)`)
    .returning({ key: idempotencyKeys.key });
  return rows.length;
}
