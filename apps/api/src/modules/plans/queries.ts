import { type Db, schema } from '@invoiceflow/db';
import { and, count, eq, gte, isNull, lt, ne, sql, sum } from '@invoiceflow/db/orm';

const { companies, expenseReceipts, invitations, invoices, memberships, planUsage } = schema;

/**
 * One statement, under the issuing transaction: the month's row is created at 1 or raised by one while it is
 * below the limit, and stays locked until commit, so concurrent issues at the edge queue here and the loser sees
 * the winner's count. Nothing returned: the limit is reached (the transaction is then rolled back by the refusal).
 */
export async function takeInvoiceAllowance(
  db: Db,
  { companyId, month, limit }: { companyId: string; month: string; limit: number },
): Promise<number | null> {
  const [row] = await db
    .insert(planUsage)
    .values({ companyId, month, invoicesIssued: 1 })
    .onConflictDoUpdate({
      target: [planUsage.companyId, planUsage.month],
      set: { invoicesIssued: sql`${planUsage.invoicesIssued} + 1`, updatedAt: sql`now()` },
      setWhere: sql`${planUsage.invoicesIssued} < ${limit}`,
    })
    .returning({ issued: planUsage.invoicesIssued });
  return row ? row.issued : null;
}

export async function countedInvoices(
  db: Db,
  { companyId, month }: { companyId: string; month: string },
): Promise<number | null> {
  const [row] = await db
    .select({ issued: planUsage.invoicesIssued })
    .from(planUsage)
    .where(and(eq(planUsage.companyId, companyId), eq(planUsage.month, month)));
  return row ? row.issued : null;
}

/** Documents issued in a month of the company's calendar, read from the invoices (for an unlimited plan's usage). */
export async function countIssuedInMonth(
  db: Db,
  { companyId, month }: { companyId: string; month: string },
): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(invoices)
    .where(
      and(
        eq(invoices.companyId, companyId),
        gte(invoices.issueDate, `${month}-01`),
        lt(invoices.issueDate, nextMonthStart(month)),
        ne(invoices.status, 'draft'),
      ),
    );
  return row?.n ?? 0;
}

/** Sets the month's count (a plan assigned mid-month starts from what was issued, not from zero). */
export async function setInvoiceCount(
  db: Db,
  { companyId, month, issued }: { companyId: string; month: string; issued: number },
): Promise<void> {
  await db
    .insert(planUsage)
    .values({ companyId, month, invoicesIssued: issued })
    .onConflictDoUpdate({
      target: [planUsage.companyId, planUsage.month],
      set: { invoicesIssued: issued, updatedAt: sql`now()` },
    });
}

/** Seats taken: active members and open invitations (an invitation becomes a member without another check). */
export async function countSeats(db: Db, { companyId }: { companyId: string }): Promise<number> {
  const [members] = await db
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.companyId, companyId), eq(memberships.isSuspended, false)));
  const [open] = await db
    .select({ n: count() })
    .from(invitations)
    .where(
      and(
        eq(invitations.companyId, companyId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gte(invitations.expiresAt, new Date()),
      ),
    );
  return (members?.n ?? 0) + (open?.n ?? 0);
}

export async function countStoredBytes(db: Db, { companyId }: { companyId: string }): Promise<number> {
  const [row] = await db
    .select({ bytes: sum(expenseReceipts.byteSize) })
    .from(expenseReceipts)
    .where(eq(expenseReceipts.companyId, companyId));
  return Number(row?.bytes ?? 0);
}

/** The plans of the companies an account owns (companies per account is judged on the best of them). */
export async function ownedCompanyPlans(db: Db, { userId }: { userId: string }): Promise<string[]> {
  const rows = await db
    .select({ plan: companies.plan })
    .from(memberships)
    .innerJoin(companies, eq(companies.id, memberships.companyId))
    .where(and(eq(memberships.userId, userId), eq(memberships.role, 'owner')));
  return rows.map((row) => row.plan);
}

export function nextMonthStart(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${year + 1}-01-01` : `${year}-${String(m + 1).padStart(2, '0')}-01`;
}
