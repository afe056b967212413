import { type Db, schema } from '@invoiceflow/db';
import { and, asc, count, eq, ilike, isNull, or, type SQL, sql } from '@invoiceflow/db/orm';
import { escapeLike } from '../../lib/pagination';

const { customers, invoices } = schema;

export type CustomerRow = typeof customers.$inferSelect;
type CustomerValues = Omit<typeof customers.$inferInsert, 'id' | 'companyId'>;

export async function getCustomer(
  db: Db,
  { companyId, id, forUpdate = false }: { companyId: string; id: string; forUpdate?: boolean },
): Promise<CustomerRow | undefined> {
  const query = db
    .select()
    .from(customers)
    .where(and(eq(customers.companyId, companyId), eq(customers.id, id)));
  const [row] = forUpdate ? await query.for('update') : await query;
  return row;
}

export async function insertCustomer(
  db: Db,
  { companyId, values }: { companyId: string; values: CustomerValues },
): Promise<CustomerRow> {
  const [row] = await db
    .insert(customers)
    .values({ ...values, companyId })
    .returning();
  if (!row) throw new Error('customer insert returned nothing');
  return row;
}

export async function updateCustomer(
  db: Db,
  { companyId, id, values }: { companyId: string; id: string; values: Partial<CustomerValues> },
): Promise<CustomerRow | undefined> {
  const [row] = await db
    .update(customers)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(customers.companyId, companyId), eq(customers.id, id)))
    .returning();
  return row;
}

export async function listCustomers(
  db: Db,
  {
    companyId,
    q,
    kind,
    includeArchived,
    limit,
    offset,
  }: {
    companyId: string;
    q?: string;
    kind?: 'company' | 'individual';
    includeArchived: boolean;
    limit: number;
    offset: number;
  },
): Promise<{ total: number; rows: CustomerRow[] }> {
  const conditions: SQL[] = [eq(customers.companyId, companyId)];
  if (!includeArchived) conditions.push(isNull(customers.archivedAt));
  if (kind) conditions.push(eq(customers.kind, kind));
  if (q) {
    const pattern = `%${escapeLike(q)}%`;
    const match = or(
      ilike(customers.nameEn, pattern),
      ilike(customers.nameAr, pattern),
      ilike(customers.vatNumber, pattern),
      ilike(customers.email, pattern),
    );
    if (match) conditions.push(match);
  }
  const where = and(...conditions);
  const [rows, [counted]] = await Promise.all([
    db
      .select()
      .from(customers)
      .where(where)
      .orderBy(asc(customers.nameEn), asc(customers.id))
      .limit(limit)
      .offset(offset),
    db.select({ n: count() }).from(customers).where(where),
  ]);
  return { total: Number(counted?.n ?? 0), rows };
}

/**
 * Deletes a customer that no issued invoice names. `used_at IS NULL` is re-checked after any row lock a
 * concurrent issue holds, so a customer that just became used is never deleted.
 */
export async function deleteUnusedCustomer(
  db: Db,
  { companyId, id }: { companyId: string; id: string },
): Promise<boolean> {
  const deleted = await db
    .delete(customers)
    .where(
      and(
        eq(customers.companyId, companyId),
        eq(customers.id, id),
        isNull(customers.usedAt),
        sql`NOT EXISTS (SELECT 1 FROM ${invoices} WHERE ${invoices.companyId} = ${companyId} AND ${invoices.customerId} = ${id})`,
      ),
    )
    .returning({ id: customers.id });
  return deleted.length > 0;
}

export async function markCustomerUsed(db: Db, { companyId, id }: { companyId: string; id: string }) {
  await db
    .update(customers)
    .set({ usedAt: new Date() })
    .where(and(eq(customers.companyId, companyId), eq(customers.id, id), isNull(customers.usedAt)));
}
