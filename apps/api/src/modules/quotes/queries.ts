import { type Db, schema } from '@invoiceflow/db';
import { and, asc, desc, eq, sql } from '@invoiceflow/db/orm';

const { quotes, customers, companies } = schema;

export type QuoteRow = typeof quotes.$inferSelect;
export type QuoteInsert = typeof quotes.$inferInsert;
export type QuoteStatus = QuoteRow['status'];

export async function insertQuote(db: Db, values: QuoteInsert): Promise<QuoteRow> {
  const [row] = await db.insert(quotes).values(values).returning();
  if (!row) throw new Error('quote not stored');
  return row;
}

export async function getQuote(db: Db, { companyId, id }: { companyId: string; id: string }) {
  const [row] = await db
    .select()
    .from(quotes)
    .where(and(eq(quotes.companyId, companyId), eq(quotes.id, id)));
  return row;
}

/** Under this lock an edit, a send, a decision, the expiry and a conversion of one quote happen one at a time. */
export async function lockQuote(db: Db, { companyId, id }: { companyId: string; id: string }) {
  const [row] = await db
    .select()
    .from(quotes)
    .where(and(eq(quotes.companyId, companyId), eq(quotes.id, id)))
    .for('update');
  return row;
}

/**
 * The quote a public link names, locked: found by the token's hash alone (the link is the credential), so the
 * company comes from the row.
 */
export async function lockQuoteByTokenHash(db: Db, tokenHash: string) {
  const [row] = await db
    .select({ quote: quotes, timeZone: companies.timeZone })
    .from(quotes)
    .innerJoin(companies, eq(companies.id, quotes.companyId))
    .where(eq(quotes.publicTokenHash, tokenHash))
    .for('update', { of: quotes });
  return row;
}

export async function getQuoteByTokenHash(db: Db, tokenHash: string) {
  const [row] = await db
    .select({ quote: quotes, timeZone: companies.timeZone })
    .from(quotes)
    .innerJoin(companies, eq(companies.id, quotes.companyId))
    .where(eq(quotes.publicTokenHash, tokenHash));
  return row;
}

export async function updateQuote(
  db: Db,
  { companyId, id, values }: { companyId: string; id: string; values: Partial<QuoteInsert> },
): Promise<QuoteRow> {
  const [row] = await db
    .update(quotes)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(quotes.companyId, companyId), eq(quotes.id, id)))
    .returning();
  if (!row) throw new Error('quote vanished');
  return row;
}

export async function deleteQuote(db: Db, { companyId, id }: { companyId: string; id: string }) {
  await db.delete(quotes).where(and(eq(quotes.companyId, companyId), eq(quotes.id, id)));
}

export async function listQuotes(
  db: Db,
  {
    companyId,
    status,
    customerId,
    limit,
    offset,
  }: { companyId: string; status?: QuoteStatus; customerId?: string; limit: number; offset: number },
) {
  const where = and(
    eq(quotes.companyId, companyId),
    status ? eq(quotes.status, status) : undefined,
    customerId ? eq(quotes.customerId, customerId) : undefined,
  );
  const [count] = await db.select({ total: sql<number>`count(*)::int` }).from(quotes).where(where);
  const rows = await db
    .select()
    .from(quotes)
    .where(where)
    .orderBy(desc(quotes.createdAt), asc(quotes.id))
    .limit(limit)
    .offset(offset);
  return { total: count?.total ?? 0, rows };
}

/** The customer's e-mail address for the quote's mail (the customer row of the same company). */
export async function customerEmail(
  db: Db,
  { companyId, customerId }: { companyId: string; customerId: string },
) {
  const [row] = await db
    .select({ email: customers.email })
    .from(customers)
    .where(and(eq(customers.companyId, companyId), eq(customers.id, customerId)));
  return row?.email ?? null;
}

/**
 * Sent quotes whose last valid day has passed in their company's calendar, marked expired by one conditional
 * statement each (a second job, or a decision in between, finds the row no longer `sent` and changes nothing).
 */
export async function expireDueQuotes(db: Db, { now }: { now: Date }) {
  return db
    .update(quotes)
    .set({ status: 'expired', expiredAt: now, updatedAt: now })
    .where(
      and(
        eq(quotes.status, 'sent'),
        sql`${quotes.validUntil} < (${now.toISOString()}::timestamptz AT TIME ZONE (
          SELECT ${companies.timeZone} FROM ${companies} WHERE ${companies.id} = ${quotes.companyId}))::date`,
      ),
    )
    .returning({ id: quotes.id, companyId: quotes.companyId, number: quotes.number });
}
