import { type Db, schema } from '@invoiceflow/db';
import { and, asc, desc, eq, inArray, isNull, sql } from '@invoiceflow/db/orm';

const { tills, tillDenominations, sales, customers, cashSessions, cashMovements } = schema;

export type CashSessionRow = typeof cashSessions.$inferSelect;
export type CashMovementRow = typeof cashMovements.$inferSelect;

export type TillRow = typeof tills.$inferSelect;
export type DenominationRow = typeof tillDenominations.$inferSelect;
export type SaleRow = typeof sales.$inferSelect;
export type NewSale = typeof sales.$inferInsert;

const LOCK_CUSTOMER_EMAIL = 7401;

export async function getTill(db: Db, { companyId, id }: { companyId: string; id: string }) {
  const [row] = await db
    .select()
    .from(tills)
    .where(and(eq(tills.companyId, companyId), eq(tills.id, id)));
  return row;
}

export async function getDefaultTill(db: Db, { companyId }: { companyId: string }) {
  const [row] = await db
    .select()
    .from(tills)
    .where(and(eq(tills.companyId, companyId), eq(tills.isDefault, true)));
  return row;
}

/** The default till, made on first use (a concurrent first use finds the other's). */
export async function ensureDefaultTill(
  db: Db,
  { companyId }: { companyId: string },
): Promise<TillRow | undefined> {
  const found = await getDefaultTill(db, { companyId });
  if (found) return found;
  await db.execute(sql`
    INSERT INTO ${tills} (company_id, name, is_default) VALUES (${companyId}, 'Main till', true)
    ON CONFLICT DO NOTHING`);
  return getDefaultTill(db, { companyId });
}

export async function listTills(db: Db, { companyId }: { companyId: string }) {
  return db
    .select()
    .from(tills)
    .where(eq(tills.companyId, companyId))
    .orderBy(asc(tills.createdAt), asc(tills.id));
}

export async function insertTill(
  db: Db,
  values: { companyId: string; name: string; egsUnitId: string | null; isDefault: boolean },
): Promise<TillRow> {
  const [row] = await db.insert(tills).values(values).returning();
  if (!row) throw new Error('till insert returned nothing');
  return row;
}

export async function clearDefaultTill(db: Db, { companyId }: { companyId: string }) {
  await db
    .update(tills)
    .set({ isDefault: false, updatedAt: new Date() })
    .where(and(eq(tills.companyId, companyId), eq(tills.isDefault, true)));
}

/** The drawer, smallest value first; `forUpdate` holds it for the rest of the transaction (one sale at a time). */
export async function listDenominations(
  db: Db,
  { companyId, tillId, forUpdate = false }: { companyId: string; tillId: string; forUpdate?: boolean },
): Promise<DenominationRow[]> {
  const query = db
    .select()
    .from(tillDenominations)
    .where(and(eq(tillDenominations.companyId, companyId), eq(tillDenominations.tillId, tillId)))
    .orderBy(asc(tillDenominations.value));
  return forUpdate ? query.for('update') : query;
}

/** Adds a denomination; false when the till already has it. */
export async function insertDenomination(
  db: Db,
  values: { companyId: string; tillId: string; value: string; count: number },
): Promise<boolean> {
  const inserted = await db
    .insert(tillDenominations)
    .values(values)
    .onConflictDoNothing()
    .returning({ value: tillDenominations.value });
  return inserted.length > 0;
}

export async function setDenominationCount(
  db: Db,
  values: { companyId: string; tillId: string; value: string; count: number },
): Promise<void> {
  await db
    .insert(tillDenominations)
    .values(values)
    .onConflictDoUpdate({
      target: [tillDenominations.tillId, tillDenominations.value],
      set: { count: values.count, updatedAt: new Date() },
    });
}

/**
 * Moves a denomination's count by `delta`: pieces put in (a new value gets its row) or handed out (the CHECK
 * keeps the count at zero or above).
 */
export async function moveDenominationCount(
  db: Db,
  values: { companyId: string; tillId: string; value: string; delta: number },
): Promise<void> {
  if (values.delta < 0) {
    await db
      .update(tillDenominations)
      .set({ count: sql`${tillDenominations.count} + ${values.delta}`, updatedAt: new Date() })
      .where(
        and(
          eq(tillDenominations.companyId, values.companyId),
          eq(tillDenominations.tillId, values.tillId),
          eq(tillDenominations.value, values.value),
        ),
      );
    return;
  }
  await db.execute(sql`
    INSERT INTO ${tillDenominations} (company_id, till_id, value, count)
    VALUES (${values.companyId}, ${values.tillId}, ${values.value}::numeric, ${values.delta})
    ON CONFLICT (till_id, value) DO UPDATE
      SET count = ${tillDenominations}.count + ${values.delta}, updated_at = now()`);
}

export async function getOpenSession(
  db: Db,
  { companyId, tillId, forUpdate = false }: { companyId: string; tillId: string; forUpdate?: boolean },
) {
  const query = db
    .select()
    .from(cashSessions)
    .where(
      and(
        eq(cashSessions.companyId, companyId),
        eq(cashSessions.tillId, tillId),
        eq(cashSessions.status, 'open'),
      ),
    );
  const [row] = forUpdate ? await query.for('update') : await query;
  return row;
}

/**
 * The customer with this e-mail (the oldest, when the company has several), under a lock on the address for
 * the rest of the transaction, so two tills selling to a new address at once make one customer, not two.
 */
export async function lockCustomerByEmail(
  db: Db,
  { companyId, email }: { companyId: string; email: string },
) {
  await db.execute(
    sql`SELECT pg_advisory_xact_lock(${LOCK_CUSTOMER_EMAIL}, hashtext(${`${companyId}:${email.toLowerCase()}`}))`,
  );
  const [row] = await db
    .select()
    .from(customers)
    .where(
      and(
        eq(customers.companyId, companyId),
        sql`lower(${customers.email}) = ${email.toLowerCase()}`,
        isNull(customers.archivedAt),
      ),
    )
    .orderBy(asc(customers.createdAt))
    .limit(1);
  return row;
}

/**
 * The products of a sale, locked for update in id order before any of their stock moves: two sales of the same
 * products queue on the first one they share instead of each holding one the other needs.
 */
export async function lockProductsForSale(
  db: Db,
  { companyId, ids }: { companyId: string; ids: string[] },
): Promise<(typeof schema.products.$inferSelect)[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(schema.products)
    .where(and(eq(schema.products.companyId, companyId), inArray(schema.products.id, ids)))
    .orderBy(asc(schema.products.id))
    .for('update');
}

export async function insertSale(db: Db, values: NewSale): Promise<SaleRow> {
  const [row] = await db.insert(sales).values(values).returning();
  if (!row) throw new Error('sale insert returned nothing');
  return row;
}

export async function getSale(db: Db, { companyId, id }: { companyId: string; id: string }) {
  const [row] = await db
    .select()
    .from(sales)
    .where(and(eq(sales.companyId, companyId), eq(sales.id, id)));
  return row;
}

export async function listSales(
  db: Db,
  { companyId, tillId, limit, offset }: { companyId: string; tillId?: string; limit: number; offset: number },
): Promise<SaleRow[]> {
  return db
    .select()
    .from(sales)
    .where(and(eq(sales.companyId, companyId), tillId ? eq(sales.tillId, tillId) : undefined))
    .orderBy(desc(sales.createdAt), desc(sales.id))
    .limit(limit)
    .offset(offset);
}

export async function linkStockMovements(
  db: Db,
  { companyId, ids, invoiceId }: { companyId: string; ids: string[]; invoiceId: string },
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(schema.stockMovements)
    .set({ invoiceId })
    .where(and(eq(schema.stockMovements.companyId, companyId), inArray(schema.stockMovements.id, ids)));
}

/** Holds the till for the rest of the transaction: its sales, counts and session changes happen one at a time. */
export async function lockTill(db: Db, { companyId, id }: { companyId: string; id: string }) {
  const [row] = await db
    .select()
    .from(tills)
    .where(and(eq(tills.companyId, companyId), eq(tills.id, id)))
    .for('no key update');
  return row;
}

export async function insertSession(
  db: Db,
  values: typeof cashSessions.$inferInsert,
): Promise<CashSessionRow> {
  const [row] = await db.insert(cashSessions).values(values).returning();
  if (!row) throw new Error('session insert returned nothing');
  return row;
}

export async function getSession(
  db: Db,
  { companyId, id, forUpdate = false }: { companyId: string; id: string; forUpdate?: boolean },
) {
  const query = db
    .select()
    .from(cashSessions)
    .where(and(eq(cashSessions.companyId, companyId), eq(cashSessions.id, id)));
  const [row] = forUpdate ? await query.for('update') : await query;
  return row;
}

export async function closeSession(
  db: Db,
  {
    companyId,
    id,
    values,
  }: { companyId: string; id: string; values: Partial<typeof cashSessions.$inferInsert> },
): Promise<CashSessionRow> {
  const [row] = await db
    .update(cashSessions)
    .set({ ...values, status: 'closed' })
    .where(and(eq(cashSessions.companyId, companyId), eq(cashSessions.id, id)))
    .returning();
  if (!row) throw new Error('session vanished');
  return row;
}

export async function insertCashMovement(
  db: Db,
  values: typeof cashMovements.$inferInsert,
): Promise<CashMovementRow> {
  const [row] = await db.insert(cashMovements).values(values).returning();
  if (!row) throw new Error('cash movement insert returned nothing');
  return row;
}

/** What a session's sales and cash movements add up to (decimal text, as PostgreSQL sums numerics). */
export async function sessionTotals(
  db: Db,
  { companyId, sessionId }: { companyId: string; sessionId: string },
) {
  const { rows } = (await db.execute(sql`
    SELECT
      (SELECT count(*)::int FROM ${sales} WHERE company_id = ${companyId} AND session_id = ${sessionId}) AS sales,
      (SELECT coalesce(sum(total_amount), 0)::text FROM ${sales}
        WHERE company_id = ${companyId} AND session_id = ${sessionId}) AS sold,
      (SELECT coalesce(sum(paid_amount), 0)::text FROM ${sales}
        WHERE company_id = ${companyId} AND session_id = ${sessionId}) AS received,
      (SELECT coalesce(sum(change_amount), 0)::text FROM ${sales}
        WHERE company_id = ${companyId} AND session_id = ${sessionId}) AS change,
      (SELECT coalesce(sum(amount), 0)::text FROM ${cashMovements}
        WHERE company_id = ${companyId} AND session_id = ${sessionId} AND kind = 'cash_in') AS cash_in,
      (SELECT coalesce(sum(amount), 0)::text FROM ${cashMovements}
        WHERE company_id = ${companyId} AND session_id = ${sessionId} AND kind = 'cash_out') AS cash_out`)) as unknown as {
    rows: {
      sales: number;
      sold: string;
      received: string;
      change: string;
      cash_in: string;
      cash_out: string;
    }[];
  };
  const row = rows[0];
  if (!row) throw new Error('session totals returned nothing');
  return row;
}
