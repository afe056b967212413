import { type Db, schema } from '@invoiceflow/db';
import { and, eq, inArray, sql } from '@invoiceflow/db/orm';
import type { AccountantScope, AssignmentStatus } from '@invoiceflow/db/schema';
import type { AppContext } from '../../context';
import type { Actor } from '../../lib/actor';
import { recordAudit } from '../../lib/audit';
import { isUniqueViolation } from '../../lib/db-errors';
import { AppError, defineErrors } from '../../lib/errors';
import { findUserById } from '../auth/queries';
import { enqueueMail } from '../mail/queries';

defineErrors({
  ASSIGNMENT_NOT_FOUND: [404, 'Accountant assignment not found.'],
  ASSIGNMENT_EXISTS: [409, 'This address already has an assignment to the company.'],
  ASSIGNMENT_TRANSITION_NOT_ALLOWED: [409, 'The assignment cannot change to this status.'],
  ACCOUNTANT_INVITATION_NOT_FOUND: [404, 'Invitation not found, or no longer open.'],
  PRACTICE_IS_CLIENT: [409, 'A practice cannot be its own client.'],
});

const INVITATION_DAYS = 14;

/** The client's own steps; `active` from `pending` is the accountant's (acceptance), never the client's. */
const TRANSITIONS: Record<AssignmentStatus, readonly AssignmentStatus[]> = {
  pending: ['revoked'],
  active: ['suspended', 'revoked'],
  suspended: ['active', 'revoked'],
  revoked: [],
};

const AUDIT_ACTION: Partial<Record<AssignmentStatus, string>> = {
  active: 'accountant.resumed',
  suspended: 'accountant.suspended',
  revoked: 'accountant.revoked',
};

type AssignmentRow = typeof schema.accountantAssignments.$inferSelect;

const isExpired = (row: Pick<AssignmentRow, 'status' | 'expiresAt'>) =>
  row.status === 'pending' && row.expiresAt.getTime() <= Date.now();

export function presentAssignment(
  row: AssignmentRow,
  extra: { practice_name?: string | null; accountant_name?: string | null } = {},
) {
  return {
    id: row.id,
    email: row.email,
    scopes: row.scopes,
    status: row.status,
    is_expired: isExpired(row),
    accountant_user_id: row.accountantUserId,
    accountant_name: extra.accountant_name ?? null,
    practice_company_id: row.practiceCompanyId,
    practice_name: extra.practice_name ?? null,
    expires_at: row.expiresAt.toISOString(),
    accepted_at: row.acceptedAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

const uniqueScopes = (scopes: AccountantScope[]) => [...new Set(scopes)];

/**
 * The client invites an accountant by address; a person or a practice accepts. Mailed through the outbox in the
 * same transaction, so a refused invitation sends nothing.
 */
export async function inviteAccountant(
  ctx: AppContext,
  clientCompanyId: string,
  actor: Actor,
  input: { email: string; scopes: AccountantScope[] },
  publicUrl: string,
) {
  return ctx.db.transaction(async (tx) => {
    let row: AssignmentRow | undefined;
    try {
      [row] = await tx
        .insert(schema.accountantAssignments)
        .values({
          clientCompanyId,
          email: input.email,
          scopes: uniqueScopes(input.scopes),
          invitedBy: actor.userId,
          expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
        })
        .returning();
    } catch (error) {
      if (isUniqueViolation(error, 'accountant_assignments_client_email_key'))
        throw new AppError('ASSIGNMENT_EXISTS');
      throw error;
    }
    if (!row) throw new Error('assignment insert returned nothing');
    const [company] = await tx
      .select({ name: schema.companies.legalNameEn })
      .from(schema.companies)
      .where(eq(schema.companies.id, clientCompanyId));
    await enqueueMail(tx, {
      companyId: clientCompanyId,
      to: input.email,
      subject: `${company?.name ?? 'A company'} invites you as its accountant on InvoiceFlow`,
      text: `${company?.name} would like you to keep its books, with read access to: ${row.scopes.join(', ') || 'nothing yet'}.\nSign in (or sign up) with this address within ${INVITATION_DAYS} days and accept it, for yourself or for your practice: ${publicUrl}/accountant/invitations`,
      kind: 'accountant_invitation',
      refs: { assignment_id: row.id },
    });
    await recordAudit(tx, {
      companyId: clientCompanyId,
      actorUserId: actor.userId,
      action: 'accountant.invited',
      entityType: 'accountant_assignment',
      entityId: row.id,
      data: { scopes: row.scopes },
      requestId: actor.requestId,
    });
    return presentAssignment(row);
  });
}

/** The client's accountants, newest first, with the practice's and the person's names. */
export async function listAssignments(db: Db, clientCompanyId: string) {
  const rows = await db
    .select({
      assignment: schema.accountantAssignments,
      practiceName: schema.companies.legalNameEn,
      accountantName: schema.users.fullName,
    })
    .from(schema.accountantAssignments)
    .leftJoin(schema.companies, eq(schema.companies.id, schema.accountantAssignments.practiceCompanyId))
    .leftJoin(schema.users, eq(schema.users.id, schema.accountantAssignments.accountantUserId))
    .where(eq(schema.accountantAssignments.clientCompanyId, clientCompanyId))
    .orderBy(sql`${schema.accountantAssignments.createdAt} DESC`, schema.accountantAssignments.id);
  return rows.map((row) =>
    presentAssignment(row.assignment, {
      practice_name: row.practiceName,
      accountant_name: row.accountantName,
    }),
  );
}

async function lockAssignment(tx: Db, clientCompanyId: string, id: string) {
  const [row] = await tx
    .select()
    .from(schema.accountantAssignments)
    .where(
      and(
        eq(schema.accountantAssignments.id, id),
        eq(schema.accountantAssignments.clientCompanyId, clientCompanyId),
      ),
    )
    .for('update');
  if (!row) throw new AppError('ASSIGNMENT_NOT_FOUND');
  return row;
}

/** Suspend, resume, revoke, or change the scopes; every change is audited in its transaction. */
export async function updateAssignment(
  ctx: AppContext,
  clientCompanyId: string,
  actor: Actor,
  id: string,
  input: { status?: AssignmentStatus; scopes?: AccountantScope[] },
) {
  return ctx.db.transaction(async (tx) => {
    const current = await lockAssignment(tx, clientCompanyId, id);
    const status = input.status ?? current.status;
    if (status !== current.status && !TRANSITIONS[current.status].includes(status))
      throw new AppError('ASSIGNMENT_TRANSITION_NOT_ALLOWED', {
        extra: { from: current.status, to: status },
      });
    if (current.status === 'revoked')
      throw new AppError('ASSIGNMENT_TRANSITION_NOT_ALLOWED', {
        extra: { from: current.status, to: status },
      });
    const scopes = input.scopes ? uniqueScopes(input.scopes) : current.scopes;
    const [updated] = await tx
      .update(schema.accountantAssignments)
      .set({ status, scopes, updatedAt: new Date() })
      .where(eq(schema.accountantAssignments.id, id))
      .returning();
    if (!updated) throw new AppError('ASSIGNMENT_NOT_FOUND');
    const audit = (action: string, data: Record<string, unknown>) =>
      recordAudit(tx, {
        companyId: clientCompanyId,
        actorUserId: actor.userId,
        action,
        entityType: 'accountant_assignment',
        entityId: id,
        data,
        requestId: actor.requestId,
      });
    if (status !== current.status)
      await audit(AUDIT_ACTION[status] ?? 'accountant.updated', { from: current.status, to: status });
    if (input.scopes && JSON.stringify([...scopes].sort()) !== JSON.stringify([...current.scopes].sort()))
      await audit('accountant.scopes_changed', { from: current.scopes, to: scopes });
    return presentAssignment(updated);
  });
}

async function verifiedUser(db: Db, userId: string) {
  const user = await findUserById(db, userId);
  if (!user) throw new AppError('USER_NOT_FOUND');
  if (!user.emailVerifiedAt) throw new AppError('EMAIL_NOT_VERIFIED');
  return user;
}

/** Open invitations to the signed-in account's proved address. */
export async function listMyInvitations(db: Db, userId: string) {
  const user = await verifiedUser(db, userId);
  const rows = await db
    .select({ assignment: schema.accountantAssignments, clientName: schema.companies.legalNameEn })
    .from(schema.accountantAssignments)
    .innerJoin(schema.companies, eq(schema.companies.id, schema.accountantAssignments.clientCompanyId))
    .where(
      and(
        sql`lower(${schema.accountantAssignments.email}) = lower(${user.email})`,
        eq(schema.accountantAssignments.status, 'pending'),
        sql`${schema.accountantAssignments.expiresAt} > now()`,
      ),
    )
    .orderBy(sql`${schema.accountantAssignments.createdAt} DESC`);
  return rows.map((row) => ({
    id: row.assignment.id,
    client_company_id: row.assignment.clientCompanyId,
    client_name: row.clientName,
    scopes: row.assignment.scopes,
    expires_at: row.assignment.expiresAt.toISOString(),
  }));
}

/**
 * The invited address's owner accepts, for themself or for a practice they own or run (owner or admin of it):
 * a practice's assignment follows the practice, so staff who leave it lose the client's books with it.
 */
export async function acceptAssignment(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { practice_company_id?: string | null },
) {
  return ctx.db.transaction(async (tx) => {
    const user = await verifiedUser(tx, actor.userId);
    const [row] = await tx
      .select()
      .from(schema.accountantAssignments)
      .where(
        and(
          eq(schema.accountantAssignments.id, id),
          sql`lower(${schema.accountantAssignments.email}) = lower(${user.email})`,
          eq(schema.accountantAssignments.status, 'pending'),
          sql`${schema.accountantAssignments.expiresAt} > now()`,
        ),
      )
      .for('update');
    if (!row) throw new AppError('ACCOUNTANT_INVITATION_NOT_FOUND');
    const practiceId = input.practice_company_id ?? null;
    if (practiceId) {
      if (practiceId === row.clientCompanyId) throw new AppError('PRACTICE_IS_CLIENT');
      const [membership] = await tx
        .select({ role: schema.memberships.role, isSuspended: schema.memberships.isSuspended })
        .from(schema.memberships)
        .where(and(eq(schema.memberships.companyId, practiceId), eq(schema.memberships.userId, user.id)));
      if (!membership || membership.isSuspended) throw new AppError('COMPANY_NOT_FOUND');
      if (membership.role !== 'owner' && membership.role !== 'admin')
        throw new AppError('FORBIDDEN', { message: 'Only an owner or admin accepts for the practice.' });
    }
    const [updated] = await tx
      .update(schema.accountantAssignments)
      .set({
        status: 'active',
        accountantUserId: practiceId ? null : user.id,
        practiceCompanyId: practiceId,
        acceptedAt: new Date(),
        updatedAt: new Date(),
      })
      .where(eq(schema.accountantAssignments.id, id))
      .returning();
    if (!updated) throw new AppError('ACCOUNTANT_INVITATION_NOT_FOUND');
    await recordAudit(tx, {
      companyId: row.clientCompanyId,
      actorUserId: user.id,
      action: 'accountant.accepted',
      entityType: 'accountant_assignment',
      entityId: id,
      data: { practice_company_id: practiceId },
      requestId: actor.requestId,
    });
    return presentAssignment(updated);
  });
}

interface ClientRow extends Record<string, unknown> {
  assignment_id: string;
  client_company_id: string;
  legal_name_en: string;
  legal_name_ar: string | null;
  country: string;
  currency: string;
  status: 'active' | 'suspended';
  scopes: AccountantScope[];
  practice_company_id: string | null;
  practice_name: string | null;
  access: 'self' | 'practice' | 'staff';
  staff_user_ids: string[] | null;
}

/**
 * Every client whose books the caller may open (or could, once resumed): in person, as an owner or admin of the
 * practice (with the staff it assigned), or as assigned staff.
 */
export async function listMyClients(db: Db, userId: string) {
  const result = (await db.execute(sql`
    SELECT a.id AS assignment_id, a.client_company_id, c.legal_name_en, c.legal_name_ar, c.country, c.currency,
      a.status, a.scopes, a.practice_company_id, p.legal_name_en AS practice_name,
      CASE WHEN a.accountant_user_id = ${userId} THEN 'self'
           WHEN m.role IN ('owner', 'admin') THEN 'practice' ELSE 'staff' END AS access,
      CASE WHEN m.role IN ('owner', 'admin') THEN
        (SELECT coalesce(array_agg(s.user_id::text ORDER BY s.user_id), '{}') FROM accountant_assignment_staff s
         WHERE s.assignment_id = a.id) END AS staff_user_ids
    FROM accountant_assignments a
    JOIN companies c ON c.id = a.client_company_id
    LEFT JOIN companies p ON p.id = a.practice_company_id
    LEFT JOIN memberships m ON m.company_id = a.practice_company_id AND m.user_id = ${userId} AND NOT m.is_suspended
    WHERE a.status IN ('active', 'suspended')
      AND (a.accountant_user_id = ${userId}
        OR m.role IN ('owner', 'admin')
        OR (m.user_id IS NOT NULL AND EXISTS (SELECT 1 FROM accountant_assignment_staff s
                                              WHERE s.assignment_id = a.id AND s.user_id = ${userId})))
    ORDER BY c.legal_name_en, a.id`)) as unknown as { rows: ClientRow[] };
  return result.rows.map((row) => ({
    client_id: row.client_company_id,
    assignment_id: row.assignment_id,
    legal_name_en: row.legal_name_en,
    legal_name_ar: row.legal_name_ar,
    country: row.country,
    currency: row.currency,
    status: row.status,
    scopes: row.scopes,
    practice_company_id: row.practice_company_id,
    practice_name: row.practice_name,
    access: row.access,
    ...(row.staff_user_ids ? { staff_user_ids: row.staff_user_ids } : {}),
  }));
}

/** The practice (the request's company) names which of its members work on one of its clients. */
export async function setClientStaff(
  ctx: AppContext,
  practiceCompanyId: string,
  actor: Actor,
  clientCompanyId: string,
  userIds: string[],
) {
  const wanted = [...new Set(userIds)];
  return ctx.db.transaction(async (tx) => {
    const [assignment] = await tx
      .select()
      .from(schema.accountantAssignments)
      .where(
        and(
          eq(schema.accountantAssignments.practiceCompanyId, practiceCompanyId),
          eq(schema.accountantAssignments.clientCompanyId, clientCompanyId),
          inArray(schema.accountantAssignments.status, ['active', 'suspended']),
        ),
      )
      .for('update');
    if (!assignment) throw new AppError('CLIENT_NOT_FOUND');
    const members =
      wanted.length === 0
        ? []
        : await tx
            .select({ userId: schema.memberships.userId })
            .from(schema.memberships)
            .where(
              and(
                eq(schema.memberships.companyId, practiceCompanyId),
                inArray(schema.memberships.userId, wanted),
              ),
            );
    const memberIds = new Set(members.map((m) => m.userId));
    const strangers = userIds.flatMap((userId, index) =>
      memberIds.has(userId)
        ? []
        : [{ path: `user_ids.${index}`, code: 'NOT_A_MEMBER', message: 'Not a member of the practice.' }],
    );
    if (strangers.length > 0) throw new AppError('VALIDATION_FAILED', { status: 422, errors: strangers });
    const before = (
      await tx
        .select({ userId: schema.accountantAssignmentStaff.userId })
        .from(schema.accountantAssignmentStaff)
        .where(eq(schema.accountantAssignmentStaff.assignmentId, assignment.id))
    ).map((row) => row.userId);
    await tx
      .delete(schema.accountantAssignmentStaff)
      .where(eq(schema.accountantAssignmentStaff.assignmentId, assignment.id));
    if (wanted.length > 0)
      await tx
        .insert(schema.accountantAssignmentStaff)
        .values(wanted.map((userId) => ({ assignmentId: assignment.id, practiceCompanyId, userId })));
    const added = wanted.filter((u) => !before.includes(u));
    const removed = before.filter((u) => !wanted.includes(u));
    if (added.length > 0 || removed.length > 0) {
      for (const companyId of [clientCompanyId, practiceCompanyId])
        await recordAudit(tx, {
          companyId,
          actorUserId: actor.userId,
          action: 'accountant.staff_changed',
          entityType: 'accountant_assignment',
          entityId: assignment.id,
          data: { added, removed },
          requestId: actor.requestId,
        });
    }
    return { client_id: clientCompanyId, assignment_id: assignment.id, staff_user_ids: wanted.sort() };
  });
}
