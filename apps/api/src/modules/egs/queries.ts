import { type Db, schema } from '@invoiceflow/db';
import { and, desc, eq, sql } from '@invoiceflow/db/orm';

const { egsUnits, documentChains } = schema;

export type EgsRow = typeof egsUnits.$inferSelect;
export type NewEgs = typeof egsUnits.$inferInsert;
/** A unit with the state of its chain (what the API shows). */
export type EgsWithChain = EgsRow & { lastPosition: number; lastHash: string };

const withChain = {
  unit: egsUnits,
  lastPosition: documentChains.lastPosition,
  lastHash: documentChains.lastHash,
};
const flatten = (row: { unit: EgsRow; lastPosition: number; lastHash: string }): EgsWithChain => ({
  ...row.unit,
  lastPosition: row.lastPosition,
  lastHash: row.lastHash,
});

export async function listEgs(db: Db, { companyId }: { companyId: string }): Promise<EgsWithChain[]> {
  const rows = await db
    .select(withChain)
    .from(egsUnits)
    .innerJoin(documentChains, eq(documentChains.id, egsUnits.chainId))
    .where(eq(egsUnits.companyId, companyId))
    .orderBy(desc(egsUnits.createdAt));
  return rows.map(flatten);
}

export async function getEgsWithChain(
  db: Db,
  { companyId, id }: { companyId: string; id: string },
): Promise<EgsWithChain | undefined> {
  const [row] = await db
    .select(withChain)
    .from(egsUnits)
    .innerJoin(documentChains, eq(documentChains.id, egsUnits.chainId))
    .where(and(eq(egsUnits.companyId, companyId), eq(egsUnits.id, id)));
  return row ? flatten(row) : undefined;
}

/** The unit that signs on a chain. */
export async function getEgsOfChain(
  db: Db,
  { companyId, chainId }: { companyId: string; chainId: string },
): Promise<EgsRow | undefined> {
  const [row] = await db
    .select()
    .from(egsUnits)
    .where(and(eq(egsUnits.companyId, companyId), eq(egsUnits.chainId, chainId)));
  return row;
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

/** The company's default unit: the one an invoice is signed by when it names none. */
export async function getDefaultEgs(
  db: Db,
  { companyId }: { companyId: string },
): Promise<EgsRow | undefined> {
  const [row] = await db
    .select()
    .from(egsUnits)
    .where(and(eq(egsUnits.companyId, companyId), eq(egsUnits.isDefault, true)));
  return row;
}

export async function insertEgs(db: Db, values: NewEgs): Promise<EgsRow> {
  const [row] = await db.insert(egsUnits).values(values).returning();
  if (!row) throw new Error('EGS insert returned nothing');
  return row;
}

/**
 * Inserts the company's default unit unless another transaction did first (the partial unique index on default
 * units): a second concurrent first issue waits for the first one's commit and then uses its unit. True when
 * this one was inserted.
 */
export async function insertDefaultEgsIfAbsent(db: Db, values: NewEgs): Promise<boolean> {
  const rows = await db
    .insert(egsUnits)
    .values({ ...values, isDefault: true })
    .onConflictDoNothing({ target: egsUnits.companyId, where: sql`${egsUnits.isDefault}` })
    .returning({ id: egsUnits.id });
  return rows.length > 0;
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

/** A unit steps down (its successor takes over); it keeps its chain for verification. */
export async function retireEgs(db: Db, { companyId, id }: { companyId: string; id: string }): Promise<void> {
  await db
    .update(egsUnits)
    .set({ isDefault: false, status: 'retired', updatedAt: new Date() })
    .where(and(eq(egsUnits.companyId, companyId), eq(egsUnits.id, id)));
}

/** The default unit hands the role to `id` (in one transaction: the unique index allows one default). */
export async function makeDefaultEgs(
  db: Db,
  { companyId, id }: { companyId: string; id: string },
): Promise<void> {
  await db
    .update(egsUnits)
    .set({ isDefault: false, updatedAt: new Date() })
    .where(and(eq(egsUnits.companyId, companyId), eq(egsUnits.isDefault, true)));
  await db
    .update(egsUnits)
    .set({ isDefault: true, updatedAt: new Date() })
    .where(and(eq(egsUnits.companyId, companyId), eq(egsUnits.id, id)));
}

export type ChainRow = typeof documentChains.$inferSelect;

export async function insertChain(
  db: Db,
  { companyId, lastHash }: { companyId: string; lastHash: string },
): Promise<ChainRow> {
  const [row] = await db.insert(documentChains).values({ companyId, lastHash }).returning();
  if (!row) throw new Error('chain insert returned nothing');
  return row;
}

export async function deleteChain(
  db: Db,
  { companyId, id }: { companyId: string; id: string },
): Promise<void> {
  await db
    .delete(documentChains)
    .where(and(eq(documentChains.companyId, companyId), eq(documentChains.id, id)));
}

/**
 * A chain, locked (SELECT … FOR UPDATE) until the issuing transaction ends: concurrent issues on one signing unit,
 * in this process or another, take the position and the previous hash one after another; other units' chains
 * are not held.
 */
export async function lockChain(
  db: Db,
  { companyId, id }: { companyId: string; id: string },
): Promise<ChainRow | undefined> {
  const [row] = await db
    .select()
    .from(documentChains)
    .where(and(eq(documentChains.companyId, companyId), eq(documentChains.id, id)))
    .for('update');
  return row;
}

/** Moves the chain forward: called in the issuing transaction, under the chain's lock. */
export async function advanceChain(
  db: Db,
  { companyId, id, position, hash }: { companyId: string; id: string; position: number; hash: string },
): Promise<void> {
  await db
    .update(documentChains)
    .set({ lastPosition: position, lastHash: hash, updatedAt: new Date() })
    .where(and(eq(documentChains.companyId, companyId), eq(documentChains.id, id)));
}
