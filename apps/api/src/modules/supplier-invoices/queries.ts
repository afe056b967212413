import { type Db, schema } from '@invoiceflow/db';
import { and, asc, desc, eq, inArray, notInArray, or, sql } from '@invoiceflow/db/orm';

const {
  supplierInvoices,
  supplierInvoiceLines,
  purchaseOrders,
  purchaseOrderLines,
  supplierPayments,
  supplierPaymentAllocations,
  vendors,
} = schema;

export type SupplierInvoiceRow = typeof supplierInvoices.$inferSelect;
export type SupplierInvoiceInsert = typeof supplierInvoices.$inferInsert;
export type SupplierInvoiceLineRow = typeof supplierInvoiceLines.$inferSelect;
export type SupplierInvoiceLineInsert = typeof supplierInvoiceLines.$inferInsert;
export type SupplierPaymentRow = typeof supplierPayments.$inferSelect;

type Tenant = { companyId: string; id: string };

export async function insertInvoice(db: Db, values: SupplierInvoiceInsert): Promise<SupplierInvoiceRow> {
  const [row] = await db.insert(supplierInvoices).values(values).returning();
  if (!row) throw new Error('supplier invoice not stored');
  return row;
}

export async function insertLines(db: Db, lines: SupplierInvoiceLineInsert[]) {
  if (lines.length === 0) return [];
  return db.insert(supplierInvoiceLines).values(lines).returning();
}

export async function getInvoice(db: Db, { companyId, id }: Tenant) {
  const [row] = await db
    .select()
    .from(supplierInvoices)
    .where(and(eq(supplierInvoices.companyId, companyId), eq(supplierInvoices.id, id)));
  return row;
}

/** Under this lock a match, an approval, a dispute and an allocation of one invoice happen one at a time. */
export async function lockInvoice(db: Db, { companyId, id }: Tenant) {
  const [row] = await db
    .select()
    .from(supplierInvoices)
    .where(and(eq(supplierInvoices.companyId, companyId), eq(supplierInvoices.id, id)))
    .for('update');
  return row;
}

/** Bills locked in id order, so two payments of the same bills queue instead of deadlocking. */
export async function lockInvoices(db: Db, { companyId, ids }: { companyId: string; ids: string[] }) {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(supplierInvoices)
    .where(and(eq(supplierInvoices.companyId, companyId), inArray(supplierInvoices.id, ids)))
    .orderBy(asc(supplierInvoices.id))
    .for('update');
}

export async function updateInvoice(
  db: Db,
  { companyId, id, values }: Tenant & { values: Partial<SupplierInvoiceInsert> },
): Promise<SupplierInvoiceRow> {
  const [row] = await db
    .update(supplierInvoices)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(supplierInvoices.companyId, companyId), eq(supplierInvoices.id, id)))
    .returning();
  if (!row) throw new Error('supplier invoice vanished');
  return row;
}

export async function linesOfInvoices(db: Db, { companyId, ids }: { companyId: string; ids: string[] }) {
  const byInvoice = new Map<string, SupplierInvoiceLineRow[]>();
  if (ids.length === 0) return byInvoice;
  const rows = await db
    .select()
    .from(supplierInvoiceLines)
    .where(
      and(
        eq(supplierInvoiceLines.companyId, companyId),
        inArray(supplierInvoiceLines.supplierInvoiceId, ids),
      ),
    )
    .orderBy(asc(supplierInvoiceLines.supplierInvoiceId), asc(supplierInvoiceLines.position));
  for (const row of rows) {
    const list = byInvoice.get(row.supplierInvoiceId) ?? [];
    list.push(row);
    byInvoice.set(row.supplierInvoiceId, list);
  }
  return byInvoice;
}

export async function setLineOrderLine(
  db: Db,
  { companyId, id, purchaseOrderLineId }: Tenant & { purchaseOrderLineId: string | null },
) {
  await db
    .update(supplierInvoiceLines)
    .set({ purchaseOrderLineId })
    .where(and(eq(supplierInvoiceLines.companyId, companyId), eq(supplierInvoiceLines.id, id)));
}

export async function listInvoices(
  db: Db,
  {
    companyId,
    status,
    vendorId,
    matchStatus,
    limit,
    offset,
  }: {
    companyId: string;
    status?: SupplierInvoiceRow['status'];
    vendorId?: string;
    matchStatus?: NonNullable<SupplierInvoiceRow['matchStatus']>;
    limit: number;
    offset: number;
  },
) {
  const where = and(
    eq(supplierInvoices.companyId, companyId),
    status ? eq(supplierInvoices.status, status) : undefined,
    vendorId ? eq(supplierInvoices.vendorId, vendorId) : undefined,
    matchStatus ? eq(supplierInvoices.matchStatus, matchStatus) : undefined,
  );
  const [count] = await db.select({ total: sql<number>`count(*)::int` }).from(supplierInvoices).where(where);
  const rows = await db
    .select()
    .from(supplierInvoices)
    .where(where)
    .orderBy(desc(supplierInvoices.createdAt), asc(supplierInvoices.id))
    .limit(limit)
    .offset(offset);
  return { total: count?.total ?? 0, rows };
}

export async function vendorNames(db: Db, { companyId, ids }: { companyId: string; ids: string[] }) {
  const names = new Map<string, string>();
  if (ids.length === 0) return names;
  const rows = await db
    .select({ id: vendors.id, name: vendors.nameEn })
    .from(vendors)
    .where(and(eq(vendors.companyId, companyId), inArray(vendors.id, ids)));
  for (const row of rows) names.set(row.id, row.name);
  return names;
}

/**
 * The orders a supplier invoice may be matched against: the vendor's, and any the document names by number (so
 * an order of another vendor is reported as such), except drafts and cancelled ones. Their lines are locked —
 * shared to match, for update to approve — ordered by order and position, the order goods receipts lock them in.
 */
export async function ordersForMatch(
  db: Db,
  {
    companyId,
    vendorId,
    numbers,
    lock,
  }: { companyId: string; vendorId: string; numbers: string[]; lock: 'share' | 'update' },
) {
  const orders = await db
    .select()
    .from(purchaseOrders)
    .where(
      and(
        eq(purchaseOrders.companyId, companyId),
        notInArray(purchaseOrders.status, ['draft', 'cancelled']),
        numbers.length > 0
          ? or(eq(purchaseOrders.vendorId, vendorId), inArray(purchaseOrders.number, numbers))
          : eq(purchaseOrders.vendorId, vendorId),
      ),
    )
    .orderBy(asc(purchaseOrders.id));
  if (orders.length === 0) return [];
  const lines = await db
    .select()
    .from(purchaseOrderLines)
    .where(
      and(
        eq(purchaseOrderLines.companyId, companyId),
        inArray(
          purchaseOrderLines.purchaseOrderId,
          orders.map((o) => o.id),
        ),
      ),
    )
    .orderBy(asc(purchaseOrderLines.purchaseOrderId), asc(purchaseOrderLines.position))
    .for(lock);
  return orders.map((order) => ({
    order,
    lines: lines.filter((line) => line.purchaseOrderId === order.id),
  }));
}

export async function addBilledQuantity(
  db: Db,
  { companyId, lineId, quantity }: { companyId: string; lineId: string; quantity: string },
) {
  await db
    .update(purchaseOrderLines)
    .set({ billedQuantity: sql`${purchaseOrderLines.billedQuantity} + ${quantity}::numeric` })
    .where(and(eq(purchaseOrderLines.companyId, companyId), eq(purchaseOrderLines.id, lineId)));
}

// Bills and supplier payments.

export async function listBills(
  db: Db,
  {
    companyId,
    vendorId,
    state,
    limit,
    offset,
  }: { companyId: string; vendorId?: string; state: 'open' | 'paid' | 'all'; limit: number; offset: number },
) {
  const where = and(
    eq(supplierInvoices.companyId, companyId),
    eq(supplierInvoices.status, 'approved'),
    eq(supplierInvoices.kind, 'invoice'),
    vendorId ? eq(supplierInvoices.vendorId, vendorId) : undefined,
    state === 'open'
      ? sql`${supplierInvoices.paidAmount} < ${supplierInvoices.payableAmount}`
      : state === 'paid'
        ? sql`${supplierInvoices.paidAmount} >= ${supplierInvoices.payableAmount}`
        : undefined,
  );
  const [count] = await db.select({ total: sql<number>`count(*)::int` }).from(supplierInvoices).where(where);
  const rows = await db
    .select()
    .from(supplierInvoices)
    .where(where)
    .orderBy(asc(supplierInvoices.dueDate), asc(supplierInvoices.id))
    .limit(limit)
    .offset(offset);
  return { total: count?.total ?? 0, rows };
}

export async function insertPayment(db: Db, values: typeof supplierPayments.$inferInsert) {
  const [row] = await db.insert(supplierPayments).values(values).returning();
  if (!row) throw new Error('supplier payment not stored');
  return row;
}

export async function insertAllocation(db: Db, values: typeof supplierPaymentAllocations.$inferInsert) {
  await db.insert(supplierPaymentAllocations).values(values);
}

export async function getPayment(db: Db, { companyId, id }: Tenant) {
  const [row] = await db
    .select()
    .from(supplierPayments)
    .where(and(eq(supplierPayments.companyId, companyId), eq(supplierPayments.id, id)));
  return row;
}

export async function listPayments(
  db: Db,
  { companyId, limit, offset }: { companyId: string; limit: number; offset: number },
) {
  const where = eq(supplierPayments.companyId, companyId);
  const [count] = await db.select({ total: sql<number>`count(*)::int` }).from(supplierPayments).where(where);
  const rows = await db
    .select()
    .from(supplierPayments)
    .where(where)
    .orderBy(desc(supplierPayments.paymentDate), desc(supplierPayments.id))
    .limit(limit)
    .offset(offset);
  return { total: count?.total ?? 0, rows };
}

export async function allocationsOf(
  db: Db,
  { companyId, paymentIds }: { companyId: string; paymentIds: string[] },
) {
  if (paymentIds.length === 0) return [];
  return db
    .select({
      paymentId: supplierPaymentAllocations.supplierPaymentId,
      invoiceId: supplierPaymentAllocations.supplierInvoiceId,
      number: supplierInvoices.number,
      amount: supplierPaymentAllocations.amount,
    })
    .from(supplierPaymentAllocations)
    .innerJoin(supplierInvoices, eq(supplierInvoices.id, supplierPaymentAllocations.supplierInvoiceId))
    .where(
      and(
        eq(supplierPaymentAllocations.companyId, companyId),
        inArray(supplierPaymentAllocations.supplierPaymentId, paymentIds),
      ),
    )
    .orderBy(asc(supplierPaymentAllocations.createdAt), asc(supplierPaymentAllocations.id));
}
