// The customer portal's data access: every query names the company AND the customer, and reads only issued
// documents (a draft is the seller's own business).
import { type Db, schema } from '@invoiceflow/db';
import { and, asc, desc, eq, gt, isNull, ne, sql } from '@invoiceflow/db/orm';
import { derivedStatusSql, listColumns } from '../invoices/queries';

const { invoices, payments, paymentAllocations, portalLinks, customers, companies, memberships, users } =
  schema;

export interface Customer {
  companyId: string;
  customerId: string;
}

const issuedOfCustomer = ({ companyId, customerId }: Customer) =>
  and(eq(invoices.companyId, companyId), eq(invoices.customerId, customerId), ne(invoices.status, 'draft'));

export async function getPortalParties(db: Db, { companyId, customerId }: Customer) {
  const [row] = await db
    .select({
      companyName: companies.legalNameEn,
      companyNameAr: companies.legalNameAr,
      customerName: customers.nameEn,
      customerNameAr: customers.nameAr,
    })
    .from(customers)
    .innerJoin(companies, eq(companies.id, customers.companyId))
    .where(and(eq(customers.companyId, companyId), eq(customers.id, customerId)));
  return row;
}

export async function listCustomerInvoices(
  db: Db,
  filter: Customer & { type?: 'invoice' | 'credit_note' | 'debit_note'; limit: number; offset: number },
) {
  const where = and(issuedOfCustomer(filter), filter.type ? eq(invoices.type, filter.type) : undefined);
  const [rows, [count]] = await Promise.all([
    db
      .select({ ...listColumns, status: derivedStatusSql(filter.companyId) })
      .from(invoices)
      .where(where)
      .orderBy(desc(invoices.issueDate), desc(invoices.id))
      .limit(filter.limit)
      .offset(filter.offset),
    db.select({ n: sql<number>`count(*)::int` }).from(invoices).where(where),
  ]);
  return { rows, total: Number(count?.n ?? 0) };
}

/** One issued document of the customer, or nothing (another customer's or company's id is not found). */
export async function getCustomerInvoice(db: Db, filter: Customer & { id: string }) {
  const [row] = await db
    .select({
      ...listColumns,
      status: derivedStatusSql(filter.companyId),
      payableAmount: invoices.payableAmount,
      snapshot: invoices.snapshot,
    })
    .from(invoices)
    .where(and(issuedOfCustomer(filter), eq(invoices.id, filter.id)));
  return row;
}

/** Every issued document and every payment of the customer, oldest first: the statement's movements. */
export async function statementMovements(db: Db, filter: Customer) {
  const [documents, received] = await Promise.all([
    db
      .select({
        id: invoices.id,
        number: invoices.number,
        type: invoices.type,
        date: invoices.issueDate,
        currency: invoices.currency,
        amount: invoices.payableAmount,
      })
      .from(invoices)
      .where(issuedOfCustomer(filter))
      .orderBy(asc(invoices.issueDate), asc(invoices.createdAt)),
    db
      .select({
        id: payments.id,
        reference: payments.reference,
        date: payments.paymentDate,
        currency: payments.currency,
        amount: sql<string>`${payments.amount} - ${payments.refundedAmount}`,
      })
      .from(payments)
      .where(
        and(
          eq(payments.companyId, filter.companyId),
          eq(payments.customerId, filter.customerId),
          eq(payments.status, 'completed'),
        ),
      )
      .orderBy(asc(payments.paymentDate), asc(payments.createdAt)),
  ]);
  return { documents, received };
}

export async function listCustomerPayments(db: Db, filter: Customer & { limit: number; offset: number }) {
  const where = and(eq(payments.companyId, filter.companyId), eq(payments.customerId, filter.customerId));
  const [rows, [count]] = await Promise.all([
    db
      .select({
        id: payments.id,
        amount: payments.amount,
        refundedAmount: payments.refundedAmount,
        currency: payments.currency,
        paymentDate: payments.paymentDate,
        method: payments.method,
        reference: payments.reference,
        status: payments.status,
      })
      .from(payments)
      .where(where)
      .orderBy(desc(payments.paymentDate), desc(payments.createdAt), desc(payments.id))
      .limit(filter.limit)
      .offset(filter.offset),
    db.select({ n: sql<number>`count(*)::int` }).from(payments).where(where),
  ]);
  return { rows, total: Number(count?.n ?? 0) };
}

/** What the payments paid, per payment: only the customer's own issued documents (the join names both). */
export async function allocationsOf(
  db: Db,
  filter: Customer & { paymentIds?: string[]; invoiceId?: string },
) {
  if (filter.paymentIds?.length === 0) return [];
  return db
    .select({
      paymentId: paymentAllocations.paymentId,
      invoiceId: paymentAllocations.invoiceId,
      invoiceNumber: invoices.number,
      amount: paymentAllocations.amount,
      paymentDate: payments.paymentDate,
      paymentStatus: payments.status,
      method: payments.method,
      currency: payments.currency,
    })
    .from(paymentAllocations)
    .innerJoin(
      payments,
      and(eq(payments.id, paymentAllocations.paymentId), eq(payments.companyId, filter.companyId)),
    )
    .innerJoin(invoices, and(eq(invoices.id, paymentAllocations.invoiceId), issuedOfCustomer(filter)))
    .where(
      and(
        eq(paymentAllocations.companyId, filter.companyId),
        eq(payments.customerId, filter.customerId),
        filter.paymentIds ? sql`${paymentAllocations.paymentId} IN ${filter.paymentIds}` : undefined,
        filter.invoiceId ? eq(paymentAllocations.invoiceId, filter.invoiceId) : undefined,
      ),
    )
    .orderBy(asc(payments.paymentDate));
}

// The e-mailed link.

export async function insertPortalLink(
  db: Db,
  values: {
    companyId: string;
    invoiceId: string;
    customerId: string;
    recipient: string;
    tokenHash: string;
    expiresAt: Date;
  },
) {
  await db.insert(portalLinks).values(values);
}

/**
 * Spends the link: one conditional update, so two clicks racing spend it once. Answers the link when this call
 * spent it, or nothing (unknown, used or expired — `findPortalLink` tells which).
 */
export async function spendPortalLink(db: Db, { tokenHash }: { tokenHash: string }) {
  const [row] = await db
    .update(portalLinks)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(portalLinks.tokenHash, tokenHash),
        isNull(portalLinks.usedAt),
        gt(portalLinks.expiresAt, sql`now()`),
      ),
    )
    .returning();
  return row;
}

export async function findPortalLink(db: Db, { tokenHash }: { tokenHash: string }) {
  const [row] = await db.select().from(portalLinks).where(eq(portalLinks.tokenHash, tokenHash));
  return row;
}

export async function setLinkOutcome(
  db: Db,
  {
    companyId,
    id,
    usedBy,
    grantHash,
    grantExpiresAt,
  }: { companyId: string; id: string; usedBy?: string; grantHash?: string; grantExpiresAt?: Date },
) {
  await db
    .update(portalLinks)
    .set({ usedBy: usedBy ?? null, grantHash: grantHash ?? null, grantExpiresAt: grantExpiresAt ?? null })
    .where(and(eq(portalLinks.companyId, companyId), eq(portalLinks.id, id)));
}

/** A read-only grant: the invoice it opens, with its company, customer and end. */
export async function findGrant(db: Db, { grantHash }: { grantHash: string }) {
  const [row] = await db
    .select({
      companyId: portalLinks.companyId,
      customerId: portalLinks.customerId,
      invoiceId: portalLinks.invoiceId,
      expiresAt: portalLinks.grantExpiresAt,
    })
    .from(portalLinks)
    .where(eq(portalLinks.grantHash, grantHash));
  return row;
}

/**
 * The client user the link may sign in: an active account with the recipient's address, a live client
 * membership of this company bound to this customer.
 */
export async function findClientUser(db: Db, filter: Customer & { email: string }) {
  const [row] = await db
    .select({ userId: users.id, mfaEnabled: users.mfaEnabled })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.companyId, filter.companyId),
        eq(memberships.customerId, filter.customerId),
        eq(memberships.role, 'client'),
        eq(memberships.isSuspended, false),
        eq(users.isActive, true),
        sql`lower(${users.email}) = lower(${filter.email})`,
      ),
    );
  return row;
}
