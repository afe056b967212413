import { type Db, schema } from '@invoiceflow/db';
import type { AccountantScope, Role } from '@invoiceflow/db/schema';
import type { AppContext } from '../../context';
import { recordAudit } from '../../lib/audit';
import { hashToken, randomToken } from '../../lib/crypto';
import { isUniqueViolation } from '../../lib/db-errors';
import { AppError, defineErrors } from '../../lib/errors';
import { findUserByEmail } from '../auth/queries';
import { enqueueMail } from '../mail/queries';
import * as q from './queries';
import type { CompanyCreateInput, CompanyUpdateInput } from './schemas';

defineErrors({
  COMPANY_LIMIT_REACHED: [409, 'You have reached the number of companies one account may create.'],
});

const DEFAULT_CURRENCY = { SA: 'SAR', AE: 'AED' } as const;
const INVITATION_DAYS = 7;

export interface Actor {
  userId: string;
  requestId: string;
}

export function presentCompany(row: q.CompanyRow) {
  return {
    id: row.id,
    legal_name_en: row.legalNameEn,
    legal_name_ar: row.legalNameAr,
    country: row.country,
    vat_number: row.vatNumber,
    registration_number: row.registrationNumber,
    address: row.address as unknown as Record<string, string>,
    currency: row.currency,
    is_approved: row.isApproved,
    created_at: row.createdAt.toISOString(),
  };
}

/** Creates a company with its creator as owner, inside the caller's transaction. */
export async function createCompany(
  ctx: AppContext,
  tx: Db,
  actor: Pick<Actor, 'userId' | 'requestId'>,
  input: CompanyCreateInput,
) {
  const owned = await q.countOwnedCompaniesLocked(tx, { userId: actor.userId });
  if (owned >= ctx.config.MAX_COMPANIES_PER_USER)
    throw new AppError('COMPANY_LIMIT_REACHED', { extra: { limit: ctx.config.MAX_COMPANIES_PER_USER } });
  const company = await q.insertCompany(tx, {
    legalNameEn: input.legal_name_en,
    legalNameAr: input.legal_name_ar ?? null,
    country: input.country,
    vatNumber: input.vat_number,
    registrationNumber: input.registration_number ?? null,
    address: input.address,
    currency: input.currency ?? DEFAULT_CURRENCY[input.country],
    isApproved: !ctx.config.REQUIRE_COMPANY_APPROVAL,
  });
  await q.insertMembership(tx, { companyId: company.id, userId: actor.userId, role: 'owner' });
  await recordAudit(tx, {
    companyId: company.id,
    actorUserId: actor.userId,
    action: 'company.created',
    entityType: 'company',
    entityId: company.id,
    requestId: actor.requestId,
  });
  return company;
}

export async function updateCompany(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  input: CompanyUpdateInput,
) {
  return ctx.db.transaction(async (tx) => {
    const current = await q.getCompany(tx, { companyId });
    if (!current) throw new AppError('COMPANY_NOT_FOUND');
    if (input.address && input.address.country !== current.country) {
      throw new AppError('VALIDATION_FAILED', {
        errors: [
          {
            path: 'address.country',
            code: 'COUNTRY_MISMATCH',
            message: 'The address must be in the company country.',
          },
        ],
      });
    }
    const updated = await q.updateCompany(tx, {
      companyId,
      values: {
        legalNameEn: input.legal_name_en,
        legalNameAr: input.legal_name_ar,
        vatNumber: input.vat_number,
        registrationNumber: input.registration_number,
        address: input.address,
        currency: input.currency,
      },
    });
    await recordAudit(tx, {
      companyId,
      actorUserId: actor.userId,
      action: 'company.updated',
      entityType: 'company',
      entityId: companyId,
      data: { fields: Object.keys(input) },
      requestId: actor.requestId,
    });
    if (!updated) throw new AppError('COMPANY_NOT_FOUND');
    return updated;
  });
}

/** Only an owner hands out or takes away ownership. */
function assertMayAssignRole(actorRole: Role, targetRoles: (Role | undefined)[]): void {
  if (actorRole !== 'owner' && targetRoles.includes('owner')) {
    throw new AppError('FORBIDDEN', { message: 'Only an owner can grant or remove the owner role.' });
  }
}

export async function addMember(
  ctx: AppContext,
  companyId: string,
  actor: Actor & { role: Role },
  input: { email: string; role: Role; scopes?: AccountantScope[] },
  publicUrl: string,
) {
  assertMayAssignRole(actor.role, [input.role]);
  const scopes = input.role === 'accountant' ? (input.scopes ?? []) : [];
  return ctx.db.transaction(async (tx) => {
    const user = await findUserByEmail(tx, input.email);
    if (user) {
      try {
        await q.insertMembership(tx, { companyId, userId: user.id, role: input.role, scopes });
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError('ALREADY_MEMBER');
        throw error;
      }
      await recordAudit(tx, {
        companyId,
        actorUserId: actor.userId,
        action: 'member.added',
        entityType: 'membership',
        entityId: user.id,
        data: { role: input.role, scopes },
        requestId: actor.requestId,
      });
      return { status: 'added' as const, member: await q.getMember(tx, { companyId, userId: user.id }) };
    }
    const token = randomToken();
    const invitation = await q.insertInvitation(tx, {
      companyId,
      email: input.email,
      role: input.role,
      scopes,
      tokenHash: hashToken(token),
      invitedBy: actor.userId,
      expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
    });
    const company = await q.getCompany(tx, { companyId });
    await enqueueMail(tx, {
      companyId,
      to: input.email,
      subject: `You are invited to ${company?.legalNameEn ?? 'a company'} on InvoiceFlow`,
      text: `You were invited to join ${company?.legalNameEn} as ${input.role}.\nAccept within ${INVITATION_DAYS} days: ${publicUrl}/accept-invitation?token=${encodeURIComponent(token)}`,
      kind: 'invitation',
      refs: { invitation_id: invitation.id },
    });
    await recordAudit(tx, {
      companyId,
      actorUserId: actor.userId,
      action: 'member.invited',
      entityType: 'invitation',
      entityId: invitation.id,
      data: { role: input.role, scopes },
      requestId: actor.requestId,
    });
    return {
      status: 'invited' as const,
      invitation_id: invitation.id,
      expires_at: invitation.expiresAt.toISOString(),
    };
  });
}

export async function updateMember(
  ctx: AppContext,
  companyId: string,
  actor: Actor & { role: Role },
  userId: string,
  input: { role?: Role; scopes?: AccountantScope[]; is_suspended?: boolean },
) {
  return ctx.db.transaction(async (tx) => {
    const activeOwners = await q.lockOwners(tx, { companyId });
    const member = await q.getMember(tx, { companyId, userId });
    if (!member) throw new AppError('MEMBER_NOT_FOUND');
    assertMayAssignRole(actor.role, [member.role, input.role]);
    const role = input.role ?? member.role;
    const losesOwnership =
      member.role === 'owner' && !member.is_suspended && (role !== 'owner' || input.is_suspended === true);
    if (losesOwnership && activeOwners <= 1) throw new AppError('LAST_OWNER');
    await q.updateMembership(tx, {
      companyId,
      userId,
      values: {
        role: input.role,
        scopes: role === 'accountant' ? (input.scopes ?? member.scopes) : [],
        isSuspended: input.is_suspended,
      },
    });
    await recordAudit(tx, {
      companyId,
      actorUserId: actor.userId,
      action: 'member.updated',
      entityType: 'membership',
      entityId: userId,
      data: input,
      requestId: actor.requestId,
    });
    const updated = await q.getMember(tx, { companyId, userId });
    if (!updated) throw new AppError('MEMBER_NOT_FOUND');
    return updated;
  });
}

export async function removeMember(
  ctx: AppContext,
  companyId: string,
  actor: Actor & { role: Role },
  userId: string,
) {
  await ctx.db.transaction(async (tx) => {
    const activeOwners = await q.lockOwners(tx, { companyId });
    const member = await q.getMember(tx, { companyId, userId });
    if (!member) throw new AppError('MEMBER_NOT_FOUND');
    assertMayAssignRole(actor.role, [member.role]);
    if (member.role === 'owner' && !member.is_suspended && activeOwners <= 1)
      throw new AppError('LAST_OWNER');
    await q.deleteMembership(tx, { companyId, userId });
    await recordAudit(tx, {
      companyId,
      actorUserId: actor.userId,
      action: 'member.removed',
      entityType: 'membership',
      entityId: userId,
      requestId: actor.requestId,
    });
  });
}

export async function acceptInvitation(
  ctx: AppContext,
  input: { token: string; full_name?: string; password?: string },
  hashPassword: (password: string) => Promise<string>,
  requestId: string,
) {
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return ctx.db.transaction(async (tx) => {
    const invitation = await q.consumeInvitation(tx, hashToken(input.token));
    if (!invitation)
      throw new AppError('INVITATION_INVALID', {
        status: 400,
        message: 'The invitation is invalid, expired or already used.',
      });
    let user = await findUserByEmail(tx, invitation.email);
    if (!user) {
      if (!passwordHash || !input.full_name) {
        throw new AppError('VALIDATION_FAILED', {
          errors: [
            ...(input.full_name
              ? []
              : [{ path: 'full_name', code: 'REQUIRED', message: 'Required for a new account.' }]),
            ...(passwordHash
              ? []
              : [{ path: 'password', code: 'REQUIRED', message: 'Required for a new account.' }]),
          ],
        });
      }
      [user] = await tx
        .insert(schema.users)
        .values({
          email: invitation.email,
          passwordHash,
          fullName: input.full_name,
          defaultCompanyId: invitation.companyId,
        })
        .returning();
      if (!user) throw new Error('user insert returned nothing');
    }
    try {
      await q.insertMembership(tx, {
        companyId: invitation.companyId,
        userId: user.id,
        role: invitation.role,
        scopes: invitation.scopes,
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('ALREADY_MEMBER');
      throw error;
    }
    await recordAudit(tx, {
      companyId: invitation.companyId,
      actorUserId: user.id,
      action: 'member.joined',
      entityType: 'membership',
      entityId: user.id,
      data: { invitation_id: invitation.id },
      requestId,
    });
    return { company_id: invitation.companyId, user_id: user.id };
  });
}
