import { type Db, schema } from '@invoiceflow/db';
import { and, asc, desc, eq, gte, inArray, lte, type SQL, sql } from '@invoiceflow/db/orm';
import type { PaymentMethod, PaymentStatus } from '@invoiceflow/db/schema';
import { emitInvoiceEvent } from '../webhooks/events';
import { ALLOCATING_STATUSES } from './payment-status';

const { payments, paymentAllocations, invoices, customers, reminderSettings } = schema;

export type PaymentRow = typeof payments.$inferSelect;
export type AllocationRow = typeof paymentAllocations.$inferSelect & { invoiceNumber: string };

/** The invoice columns a payment needs, read under the invoice's row lock. */
export interface PayableInvoice {
  id: string;
  number: string;
  type: 'invoice' | 'credit_note' | 'debit_note';
  status: 'draft' | 'issued' | 'approved' | 'sent';
  customerId: string | null;
  currency: string;
  payableAmount: string;
  creditedAmount: string;
  paidAmount: string;
}

const payableColumns = {
  id: invoices.id,
  number: invoices.number,
  type: invoices.type,
  status: invoices.status,
  customerId: invoices.customerId,
  currency: invoices.currency,
  payableAmount: invoices.payableAmount,
  creditedAmount: invoices.creditedAmount,
  paidAmount: invoices.paidAmount,
};

/**
 * Locks invoices in id order. Every path that changes allocations locks payments first, then invoices, each
 * in id order, so two transactions never wait on each other in a cycle.
 */
export async function lockInvoices(
  db: Db,
  { companyId, ids }: { companyId: string; ids: string[] },
): Promise<PayableInvoice[]> {
  if (ids.length === 0) return [];
  return db
    .select(payableColumns)
    .from(invoices)
    .where(and(eq(invoices.companyId, companyId), inArray(invoices.id, ids)))
    .orderBy(asc(invoices.id))
    .for('update');
}

export async function getPayableInvoice(
  db: Db,
  { companyId, id }: { companyId: string; id: string },
): Promise<PayableInvoice | undefined> {
  const [row] = await db
    .select(payableColumns)
    .from(invoices)
    .where(and(eq(invoices.companyId, companyId), eq(invoices.id, id)));
  return row;
}

const selectPayment = (db: Db, { companyId, id }: { companyId: string; id: string }) =>
  db
    .select()
    .from(payments)
    .where(and(eq(payments.companyId, companyId), eq(payments.id, id)));

export async function lockPayment(
  db: Db,
  key: { companyId: string; id: string },
): Promise<PaymentRow | undefined> {
  const [row] = await selectPayment(db, key).for('update');
  return row;
}

export async function getPayment(
  db: Db,
  key: { companyId: string; id: string },
): Promise<PaymentRow | undefined> {
  const [row] = await selectPayment(db, key);
  return row;
}

export async function insertPayment(
  db: Db,
  values: {
    companyId: string;
    customerId: string | null;
    bankTransactionId?: string | null;
    amount: string;
    currency: string;
    paymentDate: string;
    method: PaymentMethod;
    reference: string | null;
    status: PaymentStatus;
    notes: string | null;
    createdBy: string;
  },
): Promise<PaymentRow> {
  const [row] = await db.insert(payments).values(values).returning();
  if (!row) throw new Error('payment insert returned nothing');
  return row;
}

/** The payment a gateway reference was recorded as, row-locked. */
export async function lockPaymentByGatewayRef(
  db: Db,
  { companyId, gatewayRef }: { companyId: string; gatewayRef: string },
): Promise<PaymentRow | undefined> {
  const [row] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.companyId, companyId), eq(payments.gatewayRef, gatewayRef)))
    .for('update');
  return row;
}

/** Inserts a gateway's payment unless its reference is already recorded (then answers undefined). */
export async function insertGatewayPayment(
  db: Db,
  values: Parameters<typeof insertPayment>[1] & { gatewayRef: string },
): Promise<PaymentRow | undefined> {
  const [row] = await db
    .insert(payments)
    .values(values)
    .onConflictDoNothing({
      target: [payments.companyId, payments.gatewayRef],
      where: sql`${payments.gatewayRef} IS NOT NULL`,
    })
    .returning();
  return row;
}

export async function updatePayment(
  db: Db,
  {
    companyId,
    id,
    values,
  }: {
    companyId: string;
    id: string;
    values: Partial<Pick<PaymentRow, 'status' | 'reference' | 'notes' | 'refundedAmount'>>;
  },
): Promise<PaymentRow> {
  const [row] = await db
    .update(payments)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(payments.companyId, companyId), eq(payments.id, id)))
    .returning();
  if (!row) throw new Error('payment update returned nothing');
  return row;
}

export async function getCustomerCurrency(
  db: Db,
  { companyId, id }: { companyId: string; id: string },
): Promise<{ currency: string | null } | undefined> {
  const [row] = await db
    .select({ currency: customers.currency })
    .from(customers)
    .where(and(eq(customers.companyId, companyId), eq(customers.id, id)));
  return row;
}

/** Sum of a payment's allocations (what it already pays). */
export async function allocatedOnPayment(
  db: Db,
  { companyId, paymentId }: { companyId: string; paymentId: string },
): Promise<string> {
  const [row] = await db
    .select({ total: sql<string>`coalesce(sum(${paymentAllocations.amount}), 0)` })
    .from(paymentAllocations)
    .where(and(eq(paymentAllocations.companyId, companyId), eq(paymentAllocations.paymentId, paymentId)));
  return row?.total ?? '0';
}

/** Per invoice, the allocations of payments that pay it or may still (completed and pending). */
export async function committedOnInvoices(
  db: Db,
  { companyId, invoiceIds }: { companyId: string; invoiceIds: string[] },
): Promise<Map<string, string>> {
  if (invoiceIds.length === 0) return new Map();
  const rows = await db
    .select({
      invoiceId: paymentAllocations.invoiceId,
      total: sql<string>`sum(${paymentAllocations.amount})`,
    })
    .from(paymentAllocations)
    .innerJoin(payments, eq(payments.id, paymentAllocations.paymentId))
    .where(
      and(
        eq(paymentAllocations.companyId, companyId),
        inArray(paymentAllocations.invoiceId, invoiceIds),
        inArray(payments.status, [...ALLOCATING_STATUSES]),
      ),
    )
    .groupBy(paymentAllocations.invoiceId);
  return new Map(rows.map((row) => [row.invoiceId, row.total]));
}

/** Adds to the allocation of this payment to this invoice, creating it the first time. */
export async function addAllocation(
  db: Db,
  values: {
    companyId: string;
    paymentId: string;
    invoiceId: string;
    amount: string;
    notes: string | null;
    createdBy: string;
  },
): Promise<void> {
  await db
    .insert(paymentAllocations)
    .values(values)
    .onConflictDoUpdate({
      target: [paymentAllocations.paymentId, paymentAllocations.invoiceId],
      set: { amount: sql`${paymentAllocations.amount} + excluded.amount` },
    });
}

const allocationAmountColumns = {
  id: paymentAllocations.id,
  paymentId: paymentAllocations.paymentId,
  amount: paymentAllocations.amount,
};

export async function deleteInvoiceAllocations(
  db: Db,
  { companyId, invoiceId }: { companyId: string; invoiceId: string },
): Promise<{ id: string; paymentId: string; amount: string }[]> {
  return db
    .delete(paymentAllocations)
    .where(and(eq(paymentAllocations.companyId, companyId), eq(paymentAllocations.invoiceId, invoiceId)))
    .returning(allocationAmountColumns);
}

/**
 * The allocations that pay an invoice or may still (completed and pending payments), in the order they give way
 * when less is due: pending before completed (nothing was received on them yet), then the newest first.
 */
export async function liveAllocationsOfInvoice(
  db: Db,
  { companyId, invoiceId }: { companyId: string; invoiceId: string },
): Promise<{ id: string; paymentId: string; amount: string }[]> {
  return db
    .select(allocationAmountColumns)
    .from(paymentAllocations)
    .innerJoin(payments, eq(payments.id, paymentAllocations.paymentId))
    .where(
      and(
        eq(paymentAllocations.companyId, companyId),
        eq(paymentAllocations.invoiceId, invoiceId),
        inArray(payments.status, [...ALLOCATING_STATUSES]),
      ),
    )
    .orderBy(
      desc(sql`${payments.status} = 'pending'`),
      desc(paymentAllocations.createdAt),
      desc(paymentAllocations.id),
    );
}

export async function setAllocationAmount(
  db: Db,
  { companyId, id, amount }: { companyId: string; id: string; amount: string },
): Promise<void> {
  await db
    .update(paymentAllocations)
    .set({ amount })
    .where(and(eq(paymentAllocations.companyId, companyId), eq(paymentAllocations.id, id)));
}

export async function getAllocation(
  db: Db,
  { companyId, paymentId, id }: { companyId: string; paymentId: string; id: string },
) {
  const [row] = await db
    .select()
    .from(paymentAllocations)
    .where(
      and(
        eq(paymentAllocations.companyId, companyId),
        eq(paymentAllocations.paymentId, paymentId),
        eq(paymentAllocations.id, id),
      ),
    );
  return row;
}

export async function deleteAllocation(db: Db, { companyId, id }: { companyId: string; id: string }) {
  await db
    .delete(paymentAllocations)
    .where(and(eq(paymentAllocations.companyId, companyId), eq(paymentAllocations.id, id)));
}

export async function invoiceIdsOfPayment(
  db: Db,
  { companyId, paymentId }: { companyId: string; paymentId: string },
): Promise<string[]> {
  const rows = await db
    .select({ invoiceId: paymentAllocations.invoiceId })
    .from(paymentAllocations)
    .where(and(eq(paymentAllocations.companyId, companyId), eq(paymentAllocations.paymentId, paymentId)));
  return rows.map((row) => row.invoiceId);
}

/**
 * Rewrites the paid_amount cache of invoices from their completed allocations. Called under the invoices' row
 * locks, in the transaction that changed the allocations or a payment's status, so the cache always equals the sum.
 * An invoice this change paid in full is announced (invoice.paid), whichever change it was.
 */
export async function recomputePaidAmounts(
  db: Db,
  { companyId, invoiceIds }: { companyId: string; invoiceIds: string[] },
): Promise<void> {
  if (invoiceIds.length === 0) return;
  // The FROM subquery reads the rows as they were before this statement; RETURNING reads them after it.
  const { rows } = (await db.execute(sql`
    UPDATE ${invoices} SET
      paid_amount = coalesce((
        SELECT sum(a.amount) FROM ${paymentAllocations} a JOIN ${payments} p ON p.id = a.payment_id
        WHERE a.invoice_id = ${invoices.id} AND p.status = 'completed'), 0),
      updated_at = now()
    FROM (SELECT id, paid_amount FROM ${invoices}
          WHERE company_id = ${companyId} AND id IN (${sql.join(
            invoiceIds.map((id) => sql`${id}`),
            sql`, `,
          )})) AS before
    WHERE ${invoices.companyId} = ${companyId} AND ${invoices.id} = before.id
    RETURNING ${invoices.id} AS id,
      (${invoices.payableAmount} - ${invoices.creditedAmount} - before.paid_amount > 0
        AND ${invoices.payableAmount} - ${invoices.creditedAmount} - ${invoices.paidAmount} <= 0) AS is_newly_paid`)) as unknown as {
    rows: { id: string; is_newly_paid: boolean }[];
  };
  for (const row of rows) {
    if (row.is_newly_paid) await emitInvoiceEvent(db, { companyId, invoiceId: row.id, type: 'invoice.paid' });
  }
}

export async function allocationsOfPayments(
  db: Db,
  { companyId, paymentIds }: { companyId: string; paymentIds: string[] },
): Promise<AllocationRow[]> {
  if (paymentIds.length === 0) return [];
  const rows = await db
    .select({ allocation: paymentAllocations, invoiceNumber: invoices.number })
    .from(paymentAllocations)
    .innerJoin(invoices, eq(invoices.id, paymentAllocations.invoiceId))
    .where(
      and(eq(paymentAllocations.companyId, companyId), inArray(paymentAllocations.paymentId, paymentIds)),
    )
    .orderBy(asc(paymentAllocations.createdAt), asc(invoices.number));
  return rows.map((row) => ({ ...row.allocation, invoiceNumber: row.invoiceNumber }));
}

/** Payments with at least one allocation to the invoice, oldest first. */
export async function paymentsOfInvoice(
  db: Db,
  { companyId, invoiceId }: { companyId: string; invoiceId: string },
): Promise<PaymentRow[]> {
  return db
    .select()
    .from(payments)
    .where(
      and(
        eq(payments.companyId, companyId),
        sql`EXISTS (SELECT 1 FROM ${paymentAllocations} a WHERE a.payment_id = ${payments.id} AND a.invoice_id = ${invoiceId})`,
      ),
    )
    .orderBy(asc(payments.paymentDate), asc(payments.createdAt));
}

/** Completed allocations of one invoice: the source of truth for what is paid on it. */
export async function completedAllocationAmounts(
  db: Db,
  { companyId, invoiceId }: { companyId: string; invoiceId: string },
): Promise<string[]> {
  const rows = await db
    .select({ amount: paymentAllocations.amount })
    .from(paymentAllocations)
    .innerJoin(payments, eq(payments.id, paymentAllocations.paymentId))
    .where(
      and(
        eq(paymentAllocations.companyId, companyId),
        eq(paymentAllocations.invoiceId, invoiceId),
        eq(payments.status, 'completed'),
      ),
    );
  return rows.map((row) => row.amount);
}

export interface PaymentFilters {
  companyId: string;
  customerId?: string;
  status?: PaymentStatus;
  fromDate?: string;
  toDate?: string;
  hasCredit?: boolean;
}

const allocatedSql = sql<string>`coalesce((SELECT sum(a.amount) FROM ${paymentAllocations} a WHERE a.payment_id = ${payments.id}), 0)`;

export async function listPayments(
  db: Db,
  filters: PaymentFilters & { limit: number; offset: number },
): Promise<{ rows: PaymentRow[]; total: number }> {
  const conditions: (SQL | undefined)[] = [eq(payments.companyId, filters.companyId)];
  if (filters.customerId) conditions.push(eq(payments.customerId, filters.customerId));
  if (filters.status) conditions.push(eq(payments.status, filters.status));
  if (filters.fromDate) conditions.push(gte(payments.paymentDate, filters.fromDate));
  if (filters.toDate) conditions.push(lte(payments.paymentDate, filters.toDate));
  if (filters.hasCredit !== undefined) {
    // Credit is what a completed payment does not pay yet; a pending, reversed or failed one holds none.
    const hasCredit = sql`(${payments.status} = 'completed' AND ${payments.amount} - ${payments.refundedAmount} > ${allocatedSql})`;
    conditions.push(filters.hasCredit ? hasCredit : sql`NOT ${hasCredit}`);
  }
  const where = and(...conditions);
  const [rows, [count]] = await Promise.all([
    db
      .select()
      .from(payments)
      .where(where)
      .orderBy(desc(payments.paymentDate), desc(payments.createdAt), desc(payments.id))
      .limit(filters.limit)
      .offset(filters.offset),
    db.select({ n: sql<number>`count(*)::int` }).from(payments).where(where),
  ]);
  return { rows, total: Number(count?.n ?? 0) };
}

export type ReminderSettingsRow = typeof reminderSettings.$inferSelect;

export async function getReminderSettings(
  db: Db,
  { companyId }: { companyId: string },
): Promise<ReminderSettingsRow | undefined> {
  const [row] = await db.select().from(reminderSettings).where(eq(reminderSettings.companyId, companyId));
  return row;
}

export async function upsertReminderSettings(
  db: Db,
  values: { companyId: string; isEnabled: boolean; days: number[]; isOverdueNoticeEnabled: boolean },
): Promise<ReminderSettingsRow> {
  const [row] = await db
    .insert(reminderSettings)
    .values(values)
    .onConflictDoUpdate({
      target: reminderSettings.companyId,
      set: {
        isEnabled: values.isEnabled,
        days: values.days,
        isOverdueNoticeEnabled: values.isOverdueNoticeEnabled,
        updatedAt: new Date(),
      },
    })
    .returning();
  if (!row) throw new Error('reminder settings upsert returned nothing');
  return row;
}
