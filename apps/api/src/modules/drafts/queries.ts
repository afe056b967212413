import { type Db, schema } from '@invoiceflow/db';
import { and, desc, eq, sql } from '@invoiceflow/db/orm';

const { invoiceDrafts } = schema;

export type DraftRow = typeof invoiceDrafts.$inferSelect;
interface Owner {
  companyId: string;
  userId: string;
}

/** A draft belongs to its author in one company: nobody else reads, changes or issues it. */
const ownedBy = ({ companyId, userId }: Owner) =>
  and(eq(invoiceDrafts.companyId, companyId), eq(invoiceDrafts.userId, userId));
const ownDraft = ({ id, ...owner }: Owner & { id: string }) => and(ownedBy(owner), eq(invoiceDrafts.id, id));

export async function getDraft(
  db: Db,
  { companyId, userId, id }: Owner & { id: string },
): Promise<DraftRow | undefined> {
  const [row] = await db.select().from(invoiceDrafts).where(ownDraft({ companyId, userId, id }));
  return row;
}

export async function getAutoSave(db: Db, { companyId, userId }: Owner): Promise<DraftRow | undefined> {
  const [row] = await db
    .select()
    .from(invoiceDrafts)
    .where(and(ownedBy({ companyId, userId }), eq(invoiceDrafts.isAutoSaved, true)));
  return row;
}

export async function listNamedDrafts(db: Db, { companyId, userId }: Owner): Promise<DraftRow[]> {
  return db
    .select()
    .from(invoiceDrafts)
    .where(and(ownedBy({ companyId, userId }), eq(invoiceDrafts.isAutoSaved, false)))
    .orderBy(desc(invoiceDrafts.updatedAt))
    .limit(200);
}

/**
 * One statement for the auto-save: insert the user's single auto-save draft, or update it in place when the
 * caller's version is the current one (or the caller gave none). No row back means the version was stale.
 */
export async function upsertAutoSave(
  db: Db,
  {
    companyId,
    userId,
    draftData,
    name,
    expectedVersion,
  }: Owner & { draftData: Record<string, unknown>; name: string | null; expectedVersion?: number },
): Promise<(DraftRow & { inserted: boolean }) | undefined> {
  const [row] = await db
    .insert(invoiceDrafts)
    .values({ companyId, userId, draftData, name, isAutoSaved: true })
    .onConflictDoUpdate({
      target: [invoiceDrafts.companyId, invoiceDrafts.userId],
      targetWhere: sql`${invoiceDrafts.isAutoSaved}`,
      set: {
        draftData: sql`excluded.draft_data`,
        name: sql`excluded.name`,
        version: sql`${invoiceDrafts.version} + 1`,
        updatedAt: sql`now()`,
      },
      setWhere:
        expectedVersion === undefined ? undefined : sql`${invoiceDrafts.version} = ${expectedVersion}`,
    })
    .returning();
  if (!row) return undefined;
  // Only an insert leaves version 1: every update bumps it.
  return { ...row, inserted: row.version === 1 };
}

export async function insertNamedDraft(
  db: Db,
  { companyId, userId, draftData, name }: Owner & { draftData: Record<string, unknown>; name: string },
): Promise<DraftRow> {
  const [row] = await db
    .insert(invoiceDrafts)
    .values({ companyId, userId, draftData, name, isAutoSaved: false })
    .returning();
  if (!row) throw new Error('draft insert returned nothing');
  return row;
}

/** Updates when the version matches (or none is given); undefined when stale or absent. */
export async function updateDraft(
  db: Db,
  {
    companyId,
    userId,
    id,
    draftData,
    name,
    expectedVersion,
  }: Owner & {
    id: string;
    draftData: Record<string, unknown>;
    name?: string | null;
    expectedVersion?: number;
  },
): Promise<DraftRow | undefined> {
  const [row] = await db
    .update(invoiceDrafts)
    .set({ draftData, name, version: sql`${invoiceDrafts.version} + 1`, updatedAt: new Date() })
    .where(
      and(
        ownDraft({ companyId, userId, id }),
        expectedVersion === undefined ? undefined : eq(invoiceDrafts.version, expectedVersion),
      ),
    )
    .returning();
  return row;
}

export async function deleteDraft(
  db: Db,
  { companyId, userId, id }: Owner & { id: string },
): Promise<boolean> {
  const rows = await db
    .delete(invoiceDrafts)
    .where(ownDraft({ companyId, userId, id }))
    .returning({ id: invoiceDrafts.id });
  return rows.length > 0;
}

/** The draft being issued, locked: two concurrent issues of one draft make one invoice (the other finds none). */
export async function lockDraft(
  db: Db,
  { companyId, userId, id }: Owner & { id: string },
): Promise<DraftRow | undefined> {
  const [row] = await db
    .select()
    .from(invoiceDrafts)
    .where(ownDraft({ companyId, userId, id }))
    .for('update');
  return row;
}
