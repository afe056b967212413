import { type Db, schema } from '@invoiceflow/db';
import { and, asc, count, eq, ilike, isNull, or, type SQL } from '@invoiceflow/db/orm';
import { escapeLike } from '../../lib/pagination';

const { vendors } = schema;

export type VendorRow = typeof vendors.$inferSelect;
type VendorValues = Omit<typeof vendors.$inferInsert, 'id' | 'companyId'>;

export async function getVendor(
  db: Db,
  { companyId, id, forUpdate = false }: { companyId: string; id: string; forUpdate?: boolean },
): Promise<VendorRow | undefined> {
  const query = db
    .select()
    .from(vendors)
    .where(and(eq(vendors.companyId, companyId), eq(vendors.id, id)));
  const [row] = forUpdate ? await query.for('update') : await query;
  return row;
}

/** The company's vendor with this VAT number/TRN (how a supplier's uploaded invoice finds its vendor). */
export async function findVendorByVatNumber(
  db: Db,
  { companyId, vatNumber }: { companyId: string; vatNumber: string },
): Promise<VendorRow | undefined> {
  const [row] = await db
    .select()
    .from(vendors)
    .where(and(eq(vendors.companyId, companyId), eq(vendors.vatNumber, vatNumber)))
    .orderBy(asc(vendors.archivedAt), asc(vendors.createdAt))
    .limit(1);
  return row;
}

export async function insertVendor(
  db: Db,
  { companyId, values }: { companyId: string; values: VendorValues },
): Promise<VendorRow> {
  const [row] = await db
    .insert(vendors)
    .values({ ...values, companyId })
    .returning();
  if (!row) throw new Error('vendor insert returned nothing');
  return row;
}

export async function updateVendor(
  db: Db,
  { companyId, id, values }: { companyId: string; id: string; values: Partial<VendorValues> },
): Promise<VendorRow | undefined> {
  const [row] = await db
    .update(vendors)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(vendors.companyId, companyId), eq(vendors.id, id)))
    .returning();
  return row;
}

export async function listVendors(
  db: Db,
  {
    companyId,
    q,
    includeArchived,
    limit,
    offset,
  }: { companyId: string; q?: string; includeArchived: boolean; limit: number; offset: number },
): Promise<{ total: number; rows: VendorRow[] }> {
  const conditions: SQL[] = [eq(vendors.companyId, companyId)];
  if (!includeArchived) conditions.push(isNull(vendors.archivedAt));
  if (q) {
    const pattern = `%${escapeLike(q)}%`;
    const match = or(
      ilike(vendors.nameEn, pattern),
      ilike(vendors.nameAr, pattern),
      ilike(vendors.vatNumber, pattern),
      ilike(vendors.email, pattern),
    );
    if (match) conditions.push(match);
  }
  const where = and(...conditions);
  const [rows, [counted]] = await Promise.all([
    db
      .select()
      .from(vendors)
      .where(where)
      .orderBy(asc(vendors.nameEn), asc(vendors.id))
      .limit(limit)
      .offset(offset),
    db.select({ n: count() }).from(vendors).where(where),
  ]);
  return { total: Number(counted?.n ?? 0), rows };
}
