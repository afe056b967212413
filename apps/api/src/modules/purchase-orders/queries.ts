import { type Db, schema } from '@invoiceflow/db';
import { and, asc, desc, eq, inArray, sql } from '@invoiceflow/db/orm';

const { purchaseOrders, purchaseOrderLines, goodsReceipts, goodsReceiptLines, vendors, stockMovements } =
  schema;

export type PurchaseOrderRow = typeof purchaseOrders.$inferSelect;
export type PurchaseOrderInsert = typeof purchaseOrders.$inferInsert;
export type PurchaseOrderStatus = PurchaseOrderRow['status'];
export type OrderLineRow = typeof purchaseOrderLines.$inferSelect;
export type OrderLineInsert = typeof purchaseOrderLines.$inferInsert;
export type GoodsReceiptRow = typeof goodsReceipts.$inferSelect;

type Tenant = { companyId: string; id: string };

export async function insertOrder(db: Db, values: PurchaseOrderInsert): Promise<PurchaseOrderRow> {
  const [row] = await db.insert(purchaseOrders).values(values).returning();
  if (!row) throw new Error('purchase order not stored');
  return row;
}

export async function getOrder(db: Db, { companyId, id }: Tenant) {
  const [row] = await db
    .select()
    .from(purchaseOrders)
    .where(and(eq(purchaseOrders.companyId, companyId), eq(purchaseOrders.id, id)));
  return row;
}

/** Under this lock an edit, a send, a cancellation, a close and a receipt of one order happen one at a time. */
export async function lockOrder(db: Db, { companyId, id }: Tenant) {
  const [row] = await db
    .select()
    .from(purchaseOrders)
    .where(and(eq(purchaseOrders.companyId, companyId), eq(purchaseOrders.id, id)))
    .for('update');
  return row;
}

export async function updateOrder(
  db: Db,
  { companyId, id, values }: Tenant & { values: Partial<PurchaseOrderInsert> },
): Promise<PurchaseOrderRow> {
  const [row] = await db
    .update(purchaseOrders)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(purchaseOrders.companyId, companyId), eq(purchaseOrders.id, id)))
    .returning();
  if (!row) throw new Error('purchase order vanished');
  return row;
}

export async function listOrders(
  db: Db,
  {
    companyId,
    status,
    vendorId,
    limit,
    offset,
  }: { companyId: string; status?: PurchaseOrderStatus; vendorId?: string; limit: number; offset: number },
) {
  const where = and(
    eq(purchaseOrders.companyId, companyId),
    status ? eq(purchaseOrders.status, status) : undefined,
    vendorId ? eq(purchaseOrders.vendorId, vendorId) : undefined,
  );
  const [count] = await db.select({ total: sql<number>`count(*)::int` }).from(purchaseOrders).where(where);
  const rows = await db
    .select()
    .from(purchaseOrders)
    .where(where)
    .orderBy(desc(purchaseOrders.createdAt), asc(purchaseOrders.id))
    .limit(limit)
    .offset(offset);
  return { total: count?.total ?? 0, rows };
}

/** The lines of the company's orders, by order id, in their order. */
export async function linesOfOrders(
  db: Db,
  { companyId, orderIds }: { companyId: string; orderIds: string[] },
) {
  const byOrder = new Map<string, OrderLineRow[]>();
  if (orderIds.length === 0) return byOrder;
  const rows = await db
    .select()
    .from(purchaseOrderLines)
    .where(
      and(eq(purchaseOrderLines.companyId, companyId), inArray(purchaseOrderLines.purchaseOrderId, orderIds)),
    )
    .orderBy(asc(purchaseOrderLines.purchaseOrderId), asc(purchaseOrderLines.position));
  for (const row of rows) {
    const list = byOrder.get(row.purchaseOrderId) ?? [];
    list.push(row);
    byOrder.set(row.purchaseOrderId, list);
  }
  return byOrder;
}

/**
 * The order's lines, locked FOR UPDATE in position order: two receipts of the same order check and move the
 * received quantities one after the other, so together they never take more than the limit.
 */
export async function lockOrderLines(db: Db, { companyId, orderId }: { companyId: string; orderId: string }) {
  return db
    .select()
    .from(purchaseOrderLines)
    .where(and(eq(purchaseOrderLines.companyId, companyId), eq(purchaseOrderLines.purchaseOrderId, orderId)))
    .orderBy(asc(purchaseOrderLines.position))
    .for('update');
}

export async function replaceOrderLines(
  db: Db,
  {
    companyId,
    orderId,
    lines,
  }: { companyId: string; orderId: string; lines: Omit<OrderLineInsert, 'companyId' | 'purchaseOrderId'>[] },
) {
  await db
    .delete(purchaseOrderLines)
    .where(and(eq(purchaseOrderLines.companyId, companyId), eq(purchaseOrderLines.purchaseOrderId, orderId)));
  if (lines.length === 0) return;
  await db
    .insert(purchaseOrderLines)
    .values(lines.map((line) => ({ ...line, companyId, purchaseOrderId: orderId })));
}

export async function setReceivedQuantity(
  db: Db,
  { companyId, lineId, received }: { companyId: string; lineId: string; received: string },
) {
  await db
    .update(purchaseOrderLines)
    .set({ receivedQuantity: received })
    .where(and(eq(purchaseOrderLines.companyId, companyId), eq(purchaseOrderLines.id, lineId)));
}

export async function getVendorsByIds(db: Db, { companyId, ids }: { companyId: string; ids: string[] }) {
  if (ids.length === 0) return new Map<string, typeof vendors.$inferSelect>();
  const rows = await db
    .select()
    .from(vendors)
    .where(and(eq(vendors.companyId, companyId), inArray(vendors.id, ids)));
  return new Map(rows.map((row) => [row.id, row]));
}

// ------------------------------------------------------------------------------------------ goods receipts

export async function insertReceipt(db: Db, values: typeof goodsReceipts.$inferInsert) {
  const [row] = await db.insert(goodsReceipts).values(values).returning();
  if (!row) throw new Error('goods receipt not stored');
  return row;
}

export async function insertReceiptLine(db: Db, values: typeof goodsReceiptLines.$inferInsert) {
  await db.insert(goodsReceiptLines).values(values);
}

export async function getReceipt(db: Db, { companyId, id }: Tenant) {
  const [row] = await db
    .select()
    .from(goodsReceipts)
    .where(and(eq(goodsReceipts.companyId, companyId), eq(goodsReceipts.id, id)));
  return row;
}

export async function listReceipts(
  db: Db,
  {
    companyId,
    orderId,
    limit,
    offset,
  }: { companyId: string; orderId?: string; limit: number; offset: number },
) {
  const where = and(
    eq(goodsReceipts.companyId, companyId),
    orderId ? eq(goodsReceipts.purchaseOrderId, orderId) : undefined,
  );
  const [count] = await db.select({ total: sql<number>`count(*)::int` }).from(goodsReceipts).where(where);
  const rows = await db
    .select()
    .from(goodsReceipts)
    .where(where)
    .orderBy(desc(goodsReceipts.createdAt), desc(goodsReceipts.number))
    .limit(limit)
    .offset(offset);
  return { total: count?.total ?? 0, rows };
}

/** The lines of the company's receipts with their order line's item and the stock after each movement. */
export async function linesOfReceipts(
  db: Db,
  { companyId, receiptIds }: { companyId: string; receiptIds: string[] },
) {
  const byReceipt = new Map<
    string,
    {
      id: string;
      purchaseOrderLineId: string;
      productId: string | null;
      description: string | null;
      quantity: string;
      balance: string | null;
    }[]
  >();
  if (receiptIds.length === 0) return byReceipt;
  const rows = await db
    .select({
      id: goodsReceiptLines.id,
      receiptId: goodsReceiptLines.goodsReceiptId,
      purchaseOrderLineId: goodsReceiptLines.purchaseOrderLineId,
      productId: purchaseOrderLines.productId,
      description: purchaseOrderLines.description,
      quantity: goodsReceiptLines.quantity,
      balance: stockMovements.balance,
      position: purchaseOrderLines.position,
    })
    .from(goodsReceiptLines)
    .innerJoin(
      purchaseOrderLines,
      and(
        eq(purchaseOrderLines.id, goodsReceiptLines.purchaseOrderLineId),
        eq(purchaseOrderLines.companyId, companyId),
      ),
    )
    .leftJoin(stockMovements, eq(stockMovements.id, goodsReceiptLines.stockMovementId))
    .where(
      and(eq(goodsReceiptLines.companyId, companyId), inArray(goodsReceiptLines.goodsReceiptId, receiptIds)),
    )
    .orderBy(asc(purchaseOrderLines.position));
  for (const { receiptId, position: _position, ...row } of rows) {
    const list = byReceipt.get(receiptId) ?? [];
    list.push(row);
    byReceipt.set(receiptId, list);
  }
  return byReceipt;
}

export async function orderNumbers(db: Db, { companyId, ids }: { companyId: string; ids: string[] }) {
  if (ids.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ id: purchaseOrders.id, number: purchaseOrders.number })
    .from(purchaseOrders)
    .where(and(eq(purchaseOrders.companyId, companyId), inArray(purchaseOrders.id, ids)));
  return new Map(rows.map((row) => [row.id, row.number]));
}
