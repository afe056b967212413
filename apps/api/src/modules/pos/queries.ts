import { type Db, schema } from '@invoiceflow/db';
import { and, asc, desc, eq, inArray, isNull, sql } from '@invoiceflow/db/orm';

const {
  tills,
  tillDenominations,
  sales,
  customers,
  cashSessions,
  cashMovements,
  invoices,
  einvoiceDocuments,
} = schema;

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
  values: {
    companyId: string;
    name: string;
    egsUnitId: string | null;
    isDefault: boolean;
    seriesCode: string | null;
  },
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
 * Moves pieces into (+) and out of (−) a till's drawer, in two statements at most whatever the count of values:
 * the moves of one value are added up first (a note tendered and given back as change is one row's change); a
 * value the drawer does not hold yet gets its row. Taking out more than is there breaks the count's check, so
 * callers take out only what they counted under the till's lock.
 */
export async function moveDenominations(
  db: Db,
  {
    companyId,
    tillId,
    moves,
  }: { companyId: string; tillId: string; moves: { value: string; delta: number }[] },
): Promise<void> {
  const net = new Map<string, number>();
  for (const move of moves) net.set(move.value, (net.get(move.value) ?? 0) + move.delta);
  const rowsOf = (keep: (delta: number) => boolean) =>
    [...net].filter(([, delta]) => keep(delta)).map(([value, delta]) => ({ value, delta }));
  const into = rowsOf((delta) => delta > 0);
  const out = rowsOf((delta) => delta < 0);
  if (into.length > 0) {
    const values = sql.join(
      into.map(
        ({ value, delta }) =>
          sql`(${companyId}::uuid, ${tillId}::uuid, ${value}::numeric, ${delta}::integer)`,
      ),
      sql`, `,
    );
    await db.execute(sql`
      INSERT INTO ${tillDenominations} (company_id, till_id, value, count)
      VALUES ${values}
      ON CONFLICT (till_id, value) DO UPDATE
        SET count = ${tillDenominations}.count + excluded.count, updated_at = now()`);
  }
  if (out.length > 0) {
    const values = sql.join(
      out.map(({ value, delta }) => sql`(${value}::numeric, ${delta}::integer)`),
      sql`, `,
    );
    await db.execute(sql`
      UPDATE ${tillDenominations} AS d
         SET count = d.count + m.delta, updated_at = now()
        FROM (VALUES ${values}) AS m (value, delta)
       WHERE d.company_id = ${companyId} AND d.till_id = ${tillId} AND d.value = m.value`);
  }
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
/**
 * The products of a sale or return, locked in id order (FOR UPDATE) before the till: every sale and return takes
 * its products first, then the till, the number and the chain, so none waits for a lock another one holds while
 * waiting for one of its own. Two tills selling the same goods queue here.
 */
/** The products of a sale or return, unlocked (their stock moves last, under its own lock: `moveStocks`). */
export async function productsForSale(
  db: Db,
  { companyId, ids }: { companyId: string; ids: string[] },
): Promise<(typeof schema.products.$inferSelect)[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(schema.products)
    .where(and(eq(schema.products.companyId, companyId), inArray(schema.products.id, ids)))
    .orderBy(asc(schema.products.id));
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

/** The cash paid out for a return (its credit note), when the refund came out of a session's drawer. */
export async function getRefundMovement(
  db: Db,
  { companyId, creditNoteId }: { companyId: string; creditNoteId: string },
): Promise<CashMovementRow | undefined> {
  const [row] = await db
    .select()
    .from(cashMovements)
    .where(and(eq(cashMovements.companyId, companyId), eq(cashMovements.creditNoteId, creditNoteId)))
    .limit(1);
  return row;
}

/** A session's sales by VAT category and rate, from their invoices as issued (decimal text). */
export async function sessionVatByRate(
  db: Db,
  { companyId, sessionId }: { companyId: string; sessionId: string },
): Promise<{ category: string; rate: string; taxable: string; vat: string }[]> {
  const { rows } = (await db.execute(sql`
    SELECT category, rate::text AS rate, sum(taxable)::text AS taxable, sum(vat)::text AS vat FROM (
      SELECT vb->>'category' AS category, (vb->>'rate')::numeric AS rate,
        (vb->>'taxable_amount')::numeric AS taxable, (vb->>'vat_amount')::numeric AS vat
      FROM ${sales} s
      JOIN ${schema.invoices} i ON i.id = s.invoice_id AND i.company_id = s.company_id
      CROSS JOIN LATERAL jsonb_array_elements(i.snapshot->'totals'->'vat_breakdown') vb
      WHERE s.company_id = ${companyId} AND s.session_id = ${sessionId}
    ) lines
    GROUP BY category, rate
    ORDER BY rate DESC, category`)) as unknown as {
    rows: { category: string; rate: string; taxable: string; vat: string }[];
  };
  return rows;
}

/** The returns refunded from a session's drawer: how many, and the cash paid back. */
export async function sessionReturns(
  db: Db,
  { companyId, sessionId }: { companyId: string; sessionId: string },
): Promise<{ count: number; total: string }> {
  const { rows } = (await db.execute(sql`
    SELECT count(*)::int AS count, coalesce(sum(amount), 0)::text AS total FROM ${cashMovements}
    WHERE company_id = ${companyId} AND session_id = ${sessionId} AND credit_note_id IS NOT NULL`)) as unknown as {
    rows: { count: number; total: string }[];
  };
  return rows[0] ?? { count: 0, total: '0' };
}

/**
 * What the drawer should hold per piece: the float, the customers' counted pieces in, the change out, cash in and
 * out (refunds included). Sales whose pieces were not counted add to the expected total only (see below).
 */
export async function sessionExpectedPieces(
  db: Db,
  { companyId, sessionId }: { companyId: string; sessionId: string },
): Promise<{ value: string; count: number }[]> {
  const { rows } = (await db.execute(sql`
    SELECT value::text AS value, sum(delta)::int AS count FROM (
      SELECT (e->>'value')::numeric AS value, (e->>'count')::int AS delta
        FROM ${cashSessions} cs, jsonb_array_elements(cs.opening_counts) e
        WHERE cs.company_id = ${companyId} AND cs.id = ${sessionId}
      UNION ALL
      SELECT (e->>'value')::numeric, (e->>'count')::int
        FROM ${sales} s, jsonb_array_elements(coalesce(s.tendered, '[]'::jsonb)) e
        WHERE s.company_id = ${companyId} AND s.session_id = ${sessionId}
      UNION ALL
      SELECT (e->>'value')::numeric, -(e->>'count')::int
        FROM ${sales} s, jsonb_array_elements(s.change) e
        WHERE s.company_id = ${companyId} AND s.session_id = ${sessionId}
      UNION ALL
      SELECT (e->>'value')::numeric, CASE WHEN m.kind = 'cash_in' THEN 1 ELSE -1 END * (e->>'count')::int
        FROM ${cashMovements} m, jsonb_array_elements(m.counts) e
        WHERE m.company_id = ${companyId} AND m.session_id = ${sessionId}
    ) pieces
    GROUP BY value
    ORDER BY value DESC`)) as unknown as { rows: { value: string; count: number }[] };
  return rows;
}

/** Cash of a session's sales taken without counting the pieces handed over (no `tendered`). */
export async function sessionUncountedCash(
  db: Db,
  { companyId, sessionId }: { companyId: string; sessionId: string },
): Promise<string> {
  const { rows } = (await db.execute(sql`
    SELECT coalesce(sum(paid_amount), 0)::text AS amount FROM ${sales}
    WHERE company_id = ${companyId} AND session_id = ${sessionId} AND tendered IS NULL`)) as unknown as {
    rows: { amount: string }[];
  };
  return rows[0]?.amount ?? '0';
}

/** What a sale's receipt prints, in one statement: the sale, its invoice as issued (with the stored QR), the till. */
export async function getSaleReceipt(db: Db, { companyId, id }: { companyId: string; id: string }) {
  const [row] = await db
    .select({
      sale: {
        tillId: sales.tillId,
        paidAmount: sales.paidAmount,
        changeAmount: sales.changeAmount,
        change: sales.change,
      },
      invoice: {
        number: invoices.number,
        currency: invoices.currency,
        snapshot: invoices.snapshot,
        createdAt: invoices.createdAt,
        qrPayload: sql<string | null>`(SELECT ${einvoiceDocuments.qrPayload} FROM ${einvoiceDocuments}
          WHERE ${einvoiceDocuments.companyId} = ${companyId} AND ${einvoiceDocuments.invoiceId} = ${invoices.id}
          AND ${einvoiceDocuments.qrPayload} IS NOT NULL LIMIT 1)`,
      },
      tillName: tills.name,
    })
    .from(sales)
    .innerJoin(invoices, and(eq(invoices.companyId, companyId), eq(invoices.id, sales.invoiceId)))
    .leftJoin(tills, and(eq(tills.companyId, companyId), eq(tills.id, sales.tillId)))
    .where(and(eq(sales.companyId, companyId), eq(sales.id, id)));
  return row;
}
