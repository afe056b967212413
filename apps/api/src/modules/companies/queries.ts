import { type Db, schema } from '@invoiceflow/db';
import { and, count, desc, eq, gt, inArray, isNotNull, isNull, lt, sql } from '@invoiceflow/db/orm';
import type { AccountantScope, CompanyDocumentRow, CompanyLogoRow, Role } from '@invoiceflow/db/schema';

const {
  companies,
  companyDocuments,
  companyLogos,
  memberships,
  users,
  invitations,
  auditLog,
  invoiceNumberCounters,
} = schema;

export type CompanyRow = typeof companies.$inferSelect;
export type { CompanyDocumentRow, CompanyLogoRow };

export async function getCompany(
  db: Db,
  { companyId }: { companyId: string },
): Promise<CompanyRow | undefined> {
  const [row] = await db.select().from(companies).where(eq(companies.id, companyId));
  return row;
}

/** The user's companies (not those where they are suspended), one page, in one query. */
export async function listUserCompanyRows(
  db: Db,
  { userId, limit, offset }: { userId: string; limit: number; offset: number },
): Promise<CompanyRow[]> {
  const rows = await db
    .select({ company: companies })
    .from(memberships)
    .innerJoin(companies, eq(companies.id, memberships.companyId))
    .where(and(eq(memberships.userId, userId), eq(memberships.isSuspended, false)))
    .orderBy(companies.legalNameEn, companies.id)
    .limit(limit)
    .offset(offset);
  return rows.map((row) => row.company);
}

/**
 * Companies the user owns, counted after locking the user's row: two creations at once by one user queue here,
 * so the cap cannot be passed by racing it.
 */
export async function countOwnedCompaniesLocked(db: Db, { userId }: { userId: string }): Promise<number> {
  await db.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('no key update');
  const [row] = await db
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.role, 'owner')));
  return row?.n ?? 0;
}

/** Every company of the platform (not tenant-scoped): for its administrators only. */
export const REVIEW_STATUSES = ['pending', 'rejected', 'approved', 'suspended', 'all'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

const reviewFilter = {
  pending: () => and(eq(companies.isApproved, false), isNull(companies.rejectedAt)),
  rejected: () => and(eq(companies.isApproved, false), isNotNull(companies.rejectedAt)),
  approved: () => eq(companies.isApproved, true),
  suspended: () => isNotNull(companies.suspendedAt),
  all: () => sql`true`,
};

/** A name (either language), VAT number or registration number containing the text, case-insensitive. */
function searchFilter(text: string | undefined) {
  if (!text) return sql`true`;
  const pattern = `%${text.replaceAll(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql`(${companies.legalNameEn} ILIKE ${pattern} OR ${companies.legalNameAr} ILIKE ${pattern} OR ${companies.vatNumber} ILIKE ${pattern} OR ${companies.registrationNumber} ILIKE ${pattern})`;
}

/** Platform administrators' queue: not one company's data, so no company filter (the caller is a super admin). */
export async function listCompaniesForReview(
  db: Db,
  { status, search, limit, offset }: { status: ReviewStatus; search?: string; limit: number; offset: number },
): Promise<CompanyRow[]> {
  return db
    .select()
    .from(companies)
    .where(and(reviewFilter[status](), searchFilter(search)))
    .orderBy(desc(companies.createdAt), companies.id)
    .limit(limit)
    .offset(offset);
}

export async function insertCompany(db: Db, values: typeof companies.$inferInsert): Promise<CompanyRow> {
  const [row] = await db.insert(companies).values(values).returning();
  if (!row) throw new Error('company insert returned nothing');
  return row;
}

export async function updateCompany(
  db: Db,
  { companyId, values }: { companyId: string; values: Partial<typeof companies.$inferInsert> },
): Promise<CompanyRow | undefined> {
  const [row] = await db
    .update(companies)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(companies.id, companyId))
    .returning();
  return row;
}

export async function insertMembership(
  db: Db,
  values: {
    companyId: string;
    userId: string;
    role: Role;
    scopes?: AccountantScope[];
    customerId?: string | null;
  },
): Promise<void> {
  await db.insert(memberships).values({ ...values, scopes: values.scopes ?? [] });
}

const memberColumns = {
  user_id: memberships.userId,
  email: users.email,
  full_name: users.fullName,
  role: memberships.role,
  scopes: memberships.scopes,
  customer_id: memberships.customerId,
  is_suspended: memberships.isSuspended,
  joined_at: memberships.createdAt,
};

export async function listMembers(db: Db, { companyId }: { companyId: string }) {
  return db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.companyId, companyId))
    .orderBy(users.email);
}

export async function getMember(
  db: Db,
  { companyId, userId, forUpdate = true }: { companyId: string; userId: string; forUpdate?: boolean },
) {
  const query = db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.companyId, companyId), eq(memberships.userId, userId)));
  const [row] = forUpdate ? await query.for('update', { of: memberships }) : await query;
  return row;
}

export type MemberRow = NonNullable<Awaited<ReturnType<typeof getMember>>>;

export async function updateMembership(
  db: Db,
  {
    companyId,
    userId,
    values,
  }: {
    companyId: string;
    userId: string;
    values: { role?: Role; scopes?: AccountantScope[]; customerId?: string | null; isSuspended?: boolean };
  },
): Promise<void> {
  await db
    .update(memberships)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(memberships.companyId, companyId), eq(memberships.userId, userId)));
}

export async function deleteMembership(
  db: Db,
  { companyId, userId }: { companyId: string; userId: string },
): Promise<void> {
  await db
    .delete(memberships)
    .where(and(eq(memberships.companyId, companyId), eq(memberships.userId, userId)));
}

/**
 * Locks every owner row of the company, in one order, and returns them. Every path that changes a
 * role or removes a member takes this lock BEFORE the target's row: two owners demoting each other at once then
 * queue on the same rows in the same order instead of each holding the other's row (a deadlock), and the second
 * one sees the first one's change when it counts (the last-owner guard holds).
 */
export async function lockOwners(
  db: Db,
  { companyId }: { companyId: string },
): Promise<{ userId: string; isSuspended: boolean }[]> {
  return db
    .select({ userId: memberships.userId, isSuspended: memberships.isSuspended })
    .from(memberships)
    .where(and(eq(memberships.companyId, companyId), eq(memberships.role, 'owner')))
    .orderBy(memberships.userId)
    .for('update');
}

export async function insertInvitation(db: Db, values: typeof invitations.$inferInsert) {
  const [row] = await db.insert(invitations).values(values).returning();
  if (!row) throw new Error('invitation insert returned nothing');
  return row;
}

const isPending = () =>
  and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, new Date()));

/** Marks an open invitation accepted (once: the UPDATE matches only while it is open); by its mailed token. */
export async function consumeInvitation(db: Db, tokenHash: string) {
  const [row] = await db
    .update(invitations)
    .set({ acceptedAt: new Date() })
    .where(and(eq(invitations.tokenHash, tokenHash), isPending()))
    .returning();
  return row;
}

/** The same, by id, for the signed-in owner of the invited address. */
export async function consumeInvitationFor(db: Db, { id, email }: { id: string; email: string }) {
  const [row] = await db
    .update(invitations)
    .set({ acceptedAt: new Date() })
    .where(
      and(eq(invitations.id, id), sql`lower(${invitations.email}) = ${email.toLowerCase()}`, isPending()),
    )
    .returning();
  return row;
}

export async function isMemberByEmail(
  db: Db,
  { companyId, email }: { companyId: string; email: string },
): Promise<boolean> {
  const [row] = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.companyId, companyId), sql`lower(${users.email}) = ${email.toLowerCase()}`));
  return row !== undefined;
}

export async function listInvitations(db: Db, { companyId }: { companyId: string }) {
  return db
    .select()
    .from(invitations)
    .where(eq(invitations.companyId, companyId))
    .orderBy(desc(invitations.createdAt), invitations.id)
    .limit(500);
}

export async function getInvitation(db: Db, { companyId, id }: { companyId: string; id: string }) {
  const [row] = await db
    .select()
    .from(invitations)
    .where(and(eq(invitations.companyId, companyId), eq(invitations.id, id)))
    .for('update');
  return row;
}

export async function revokeInvitation(db: Db, { companyId, id }: { companyId: string; id: string }) {
  const [row] = await db
    .update(invitations)
    .set({ revokedAt: new Date() })
    .where(and(eq(invitations.companyId, companyId), eq(invitations.id, id), isPending()))
    .returning({ id: invitations.id });
  return row !== undefined;
}

/** Open invitations to an address, with the inviting company's name. */
export async function listPendingInvitationsFor(db: Db, { email }: { email: string }) {
  return db
    .select({
      id: invitations.id,
      company_id: invitations.companyId,
      company_name: companies.legalNameEn,
      role: invitations.role,
      expires_at: invitations.expiresAt,
    })
    .from(invitations)
    .innerJoin(companies, eq(companies.id, invitations.companyId))
    .where(and(sql`lower(${invitations.email}) = ${email.toLowerCase()}`, isPending()))
    .orderBy(desc(invitations.createdAt))
    .limit(100);
}

export async function listAudit(
  db: Db,
  { companyId, before, limit }: { companyId: string; before?: number; limit: number },
) {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.companyId, companyId), before ? lt(auditLog.id, before) : sql`true`))
    .orderBy(desc(auditLog.id))
    .limit(limit);
}

/** A company's own tax rates, highest first. */
export async function listTaxRates(db: Db, { companyId }: { companyId: string }): Promise<string[]> {
  const rows = await db
    .select({ rate: schema.companyTaxRates.rate })
    .from(schema.companyTaxRates)
    .where(eq(schema.companyTaxRates.companyId, companyId))
    .orderBy(desc(sql`${schema.companyTaxRates.rate}::numeric`));
  return rows.map((row) => row.rate);
}

/** Adds rates to a company's list (a rate it has stays once); returns how many were new. */
export async function insertTaxRates(
  db: Db,
  { companyId, rates }: { companyId: string; rates: readonly string[] },
): Promise<number> {
  if (rates.length === 0) return 0;
  const rows = await db
    .insert(schema.companyTaxRates)
    .values(rates.map((rate) => ({ companyId, rate })))
    .onConflictDoNothing()
    .returning({ rate: schema.companyTaxRates.rate });
  return rows.length;
}

export async function insertCompanyLogo(
  db: Db,
  values: typeof companyLogos.$inferInsert,
): Promise<CompanyLogoRow> {
  const [row] = await db.insert(companyLogos).values(values).returning();
  if (!row) throw new Error('company_logos insert returned no row');
  return row;
}

/** One of the company's logos, current or one an issued document was issued with. */
export async function getCompanyLogo(
  db: Db,
  { companyId, logoId }: { companyId: string; logoId: string },
): Promise<CompanyLogoRow | undefined> {
  const [row] = await db
    .select()
    .from(companyLogos)
    .where(and(eq(companyLogos.companyId, companyId), eq(companyLogos.id, logoId)));
  return row;
}

/** The company's number series and the last number each gave, by series. */
export async function listNumberCounters(
  db: Db,
  { companyId }: { companyId: string },
): Promise<{ series: string; lastValue: number; updatedAt: Date }[]> {
  return db
    .select({
      series: invoiceNumberCounters.series,
      lastValue: invoiceNumberCounters.lastValue,
      updatedAt: invoiceNumberCounters.updatedAt,
    })
    .from(invoiceNumberCounters)
    .where(eq(invoiceNumberCounters.companyId, companyId))
    .orderBy(invoiceNumberCounters.series);
}

export async function insertCompanyDocument(
  db: Db,
  values: typeof companyDocuments.$inferInsert,
): Promise<CompanyDocumentRow> {
  const [row] = await db.insert(companyDocuments).values(values).returning();
  if (!row) throw new Error('company document not inserted');
  return row;
}

/** The company's documents, oldest first (the order they were sent in). */
export async function listCompanyDocuments(
  db: Db,
  { companyId }: { companyId: string },
): Promise<CompanyDocumentRow[]> {
  return db
    .select()
    .from(companyDocuments)
    .where(eq(companyDocuments.companyId, companyId))
    .orderBy(companyDocuments.createdAt, companyDocuments.id);
}

/** The documents of several companies at once (the approval queue's page), by company. */
export async function listDocumentsOfCompanies(
  db: Db,
  { companyIds }: { companyIds: string[] },
): Promise<Map<string, CompanyDocumentRow[]>> {
  const byCompany = new Map<string, CompanyDocumentRow[]>();
  if (companyIds.length === 0) return byCompany;
  const rows = await db
    .select()
    .from(companyDocuments)
    .where(inArray(companyDocuments.companyId, companyIds))
    .orderBy(companyDocuments.createdAt, companyDocuments.id);
  for (const row of rows) byCompany.set(row.companyId, [...(byCompany.get(row.companyId) ?? []), row]);
  return byCompany;
}

export async function getCompanyDocument(
  db: Db,
  { companyId, id }: { companyId: string; id: string },
): Promise<CompanyDocumentRow | undefined> {
  const [row] = await db
    .select()
    .from(companyDocuments)
    .where(and(eq(companyDocuments.companyId, companyId), eq(companyDocuments.id, id)));
  return row;
}

export async function deleteCompanyDocument(
  db: Db,
  { companyId, id }: { companyId: string; id: string },
): Promise<CompanyDocumentRow | undefined> {
  const [row] = await db
    .delete(companyDocuments)
    .where(and(eq(companyDocuments.companyId, companyId), eq(companyDocuments.id, id)))
    .returning();
  return row;
}
