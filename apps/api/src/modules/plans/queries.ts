import { type Db, schema } from '@invoiceflow/db';
import { and, count, eq, gte, isNull, lt, ne, sql } from '@invoiceflow/db/orm';

const {
  companies,
  companyDocuments,
  companyLogos,
  expenseReceipts,
  imports,
  invitations,
  invoices,
  memberships,
  planUsage,
  supplierInvoices,
} = schema;

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

/** Every kind of file a company stores (uploaded by its people): what the plan's storage limit counts. */
export const STORED_FILE_KINDS = [
  'receipts',
  'logos',
  'company_documents',
  'supplier_invoices',
  'imports',
] as const;
export type StoredFileKind = (typeof STORED_FILE_KINDS)[number];

/**
 * The bytes the company keeps in the file storage, by kind, in one statement. Generated files (invoice PDFs,
 * report downloads) are not counted: the product makes them, the company did not choose to store them.
 */
export async function storedBytesByKind(
  db: Db,
  { companyId }: { companyId: string },
): Promise<Record<StoredFileKind, number>> {
  const result = (await db.execute(sql`SELECT
      (SELECT coalesce(sum(byte_size), 0) FROM ${expenseReceipts} WHERE company_id = ${companyId})::bigint AS receipts,
      (SELECT coalesce(sum(byte_size), 0) FROM ${companyLogos} WHERE company_id = ${companyId})::bigint AS logos,
      (SELECT coalesce(sum(byte_size), 0) FROM ${companyDocuments} WHERE company_id = ${companyId})::bigint AS company_documents,
      (SELECT coalesce(sum(byte_size), 0) FROM ${supplierInvoices} WHERE company_id = ${companyId} AND storage_key IS NOT NULL)::bigint AS supplier_invoices,
      (SELECT coalesce(sum(byte_size), 0) FROM ${imports} WHERE company_id = ${companyId})::bigint AS imports`)) as unknown as {
    rows: Record<StoredFileKind, string | number>[];
  };
  const row = result.rows[0];
  return Object.fromEntries(STORED_FILE_KINDS.map((kind) => [kind, Number(row?.[kind] ?? 0)])) as Record<
    StoredFileKind,
    number
  >;
}

export async function countStoredBytes(db: Db, { companyId }: { companyId: string }): Promise<number> {
  const byKind = await storedBytesByKind(db, { companyId });
  return STORED_FILE_KINDS.reduce((total, kind) => total + byKind[kind], 0);
}

/**
 * Locks the company's row for the rest of the transaction: checks of a limit counted from several rows (seats,
 * stored bytes) queue here, so two at the edge cannot both see room for one.
 */
export async function lockCompanyForLimits(db: Db, { companyId }: { companyId: string }): Promise<void> {
  await db
    .select({ id: companies.id })
    .from(companies)
    .where(eq(companies.id, companyId))
    .for('no key update');
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
