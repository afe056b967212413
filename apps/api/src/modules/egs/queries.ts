import { type Db, schema } from '@invoiceflow/db';
import { and, desc, eq, sql } from '@invoiceflow/db/orm';

const { egsUnits } = schema;

export type EgsRow = typeof egsUnits.$inferSelect;
export type NewEgs = typeof egsUnits.$inferInsert;

export async function listEgs(db: Db, { companyId }: { companyId: string }): Promise<EgsRow[]> {
  return db
    .select()
    .from(egsUnits)
    .where(eq(egsUnits.companyId, companyId))
    .orderBy(desc(egsUnits.createdAt));
}

export async function getEgs(
  db: Db,
  { companyId, id }: { companyId: string; id: string },
): Promise<EgsRow | undefined> {
  const [row] = await db
    .select()
    .from(egsUnits)
    .where(and(eq(egsUnits.companyId, companyId), eq(egsUnits.id, id)));
  return row;
}

/** Locks one unit for the rest of the transaction (onboarding steps of one unit run one at a time). */
export async function lockEgs(
  db: Db,
  { companyId, id }: { companyId: string; id: string },
): Promise<EgsRow | undefined> {
  const [row] = await db
    .select()
    .from(egsUnits)
    .where(and(eq(egsUnits.companyId, companyId), eq(egsUnits.id, id)))
    .for('update');
  return row;
}

/**
 * The unit the company issues with, locked (SELECT … FOR UPDATE) until the issuing transaction ends: concurrent
 * issues, in this process or another, take the counter and the previous hash one after another.
 */
export async function lockCurrentEgs(
  db: Db,
  { companyId }: { companyId: string },
): Promise<EgsRow | undefined> {
  const [row] = await db
    .select()
    .from(egsUnits)
    .where(and(eq(egsUnits.companyId, companyId), eq(egsUnits.isCurrent, true)))
    .for('update');
  return row;
}

export async function getCurrentEgs(
  db: Db,
  { companyId }: { companyId: string },
): Promise<EgsRow | undefined> {
  const [row] = await db
    .select()
    .from(egsUnits)
    .where(and(eq(egsUnits.companyId, companyId), eq(egsUnits.isCurrent, true)));
  return row;
}

export async function insertEgs(db: Db, values: NewEgs): Promise<EgsRow> {
  const [row] = await db.insert(egsUnits).values(values).returning();
  if (!row) throw new Error('EGS insert returned nothing');
  return row;
}

/**
 * Inserts the company's current unit unless another transaction did first (the partial unique index on current
 * units): a second concurrent first issue waits for the first one's commit and then uses its unit.
 */
export async function insertCurrentEgsIfAbsent(db: Db, values: NewEgs): Promise<void> {
  await db
    .insert(egsUnits)
    .values({ ...values, isCurrent: true })
    .onConflictDoNothing({ target: egsUnits.companyId, where: sql`${egsUnits.isCurrent}` });
}

export async function updateEgs(
  db: Db,
  { companyId, id, values }: { companyId: string; id: string; values: Partial<NewEgs> },
): Promise<EgsRow> {
  const [row] = await db
    .update(egsUnits)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(egsUnits.companyId, companyId), eq(egsUnits.id, id)))
    .returning();
  if (!row) throw new Error('EGS vanished');
  return row;
}

/** The current unit steps down (a newly onboarded one takes over); it keeps its chain for verification. */
export async function retireCurrentEgs(db: Db, { companyId }: { companyId: string }): Promise<void> {
  await db
    .update(egsUnits)
    .set({ isCurrent: false, status: 'retired', updatedAt: new Date() })
    .where(and(eq(egsUnits.companyId, companyId), eq(egsUnits.isCurrent, true)));
}

/** Moves the chain forward: called in the issuing transaction, under the row lock. */
export async function advanceChain(
  db: Db,
  { companyId, id, icv, invoiceHash }: { companyId: string; id: string; icv: number; invoiceHash: string },
): Promise<void> {
  await db
    .update(egsUnits)
    .set({ lastIcv: icv, lastInvoiceHash: invoiceHash, updatedAt: new Date() })
    .where(and(eq(egsUnits.companyId, companyId), eq(egsUnits.id, id)));
}
