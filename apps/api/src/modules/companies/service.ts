import { type Db, schema } from '@invoiceflow/db';
import { eq } from '@invoiceflow/db/orm';
import type { AccountantScope, Role } from '@invoiceflow/db/schema';
import { profileFor, rateListIssues } from '@invoiceflow/jurisdictions';
import type { TotalsResult } from '@invoiceflow/totals';
import type { AppContext } from '../../context';
import { recordAudit } from '../../lib/audit';
import { hashToken, randomToken } from '../../lib/crypto';
import { isUniqueViolation } from '../../lib/db-errors';
import { AppError, defineErrors, type FieldError } from '../../lib/errors';
import { findUserByEmail, findUserById } from '../auth/queries';
import { getCustomer } from '../customers/queries';
import { hasSealKey } from '../integrity/queries';
import { enqueueMail } from '../mail/queries';
import { assertCompanySlot, assertSeatAvailable } from '../plans/limits';
import * as q from './queries';
import { type CompanyCreateInput, type CompanyUpdateInput, registrationIssues } from './schemas';

defineErrors({
  INVITATION_NOT_FOUND: [404, 'Invitation not found.'],
  INVITATION_NOT_PENDING: [409, 'This invitation was already accepted, revoked, or has expired.'],
  INVITATION_SIGN_IN_REQUIRED: [409, 'This address has an account: sign in to accept the invitation.'],
  COMPANY_LIMIT_REACHED: [409, 'You have reached the number of companies one account may create.'],
  TAX_RATES_FIXED: [409, 'The tax rates of this country are set by its rules; they cannot be added to.'],
});

const INVITATION_DAYS = 7;

export interface Actor {
  userId: string;
  requestId: string;
}

function approvalStatus(row: Pick<q.CompanyRow, 'isApproved' | 'rejectedAt'>) {
  if (row.isApproved) return 'approved' as const;
  return row.rejectedAt ? ('rejected' as const) : ('pending' as const);
}

export function presentCompany(row: q.CompanyRow) {
  return {
    id: row.id,
    legal_name_en: row.legalNameEn,
    legal_name_ar: row.legalNameAr,
    country: row.country,
    vat_number: row.vatNumber,
    registration_number: row.registrationNumber,
    registration_scheme: row.registrationScheme,
    registration_authority: row.registrationAuthority,
    peppol_endpoint:
      row.peppolEndpointScheme && row.peppolEndpointId
        ? { scheme: row.peppolEndpointScheme, id: row.peppolEndpointId }
        : null,
    bank_account: row.bankIban
      ? { iban: row.bankIban, account_name: row.bankAccountName, bic: row.bankBic }
      : null,
    address: row.address as unknown as Record<string, string>,
    currency: row.currency,
    time_zone: row.timeZone,
    is_approved: row.isApproved,
    approval_status: approvalStatus(row),
    rejection_reason: row.isApproved ? null : row.rejectionReason,
    plan: row.plan,
    is_suspended: row.suspendedAt !== null,
    is_finance_approver: row.isFinanceApprover,
    seal_algorithm: row.sealAlgorithm,
    logo_id: row.logoId,
    default_language: row.defaultLanguage,
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
  await assertCompanySlot(ctx, tx, actor.userId, owned);
  const profile = profileFor(input.country);
  const company = await q.insertCompany(tx, {
    legalNameEn: input.legal_name_en,
    legalNameAr: input.legal_name_ar ?? null,
    country: input.country,
    vatNumber: input.vat_number,
    registrationNumber: input.registration_number ?? null,
    registrationScheme: input.registration_scheme ?? null,
    registrationAuthority: input.registration_authority ?? null,
    peppolEndpointScheme: input.peppol_endpoint?.scheme ?? null,
    peppolEndpointId: input.peppol_endpoint?.id ?? null,
    bankIban: input.bank_account?.iban ?? null,
    bankAccountName: input.bank_account?.account_name ?? null,
    bankBic: input.bank_account?.bic ?? null,
    address: input.address,
    // The schema refused a company whose country has no default currency or time zone and that named none.
    currency: input.currency ?? profile.currency ?? '',
    timeZone: input.time_zone ?? profile.timeZone ?? '',
    isApproved: !ctx.config.REQUIRE_COMPANY_APPROVAL,
    plan: ctx.config.DEFAULT_PLAN,
  });
  await q.insertMembership(tx, { companyId: company.id, userId: actor.userId, role: 'owner' });
  if (profile.taxRates.kind === 'company') {
    const rates = [...new Set(input.tax_rates ?? profile.taxRates.rates)];
    await q.insertTaxRates(tx, { companyId: company.id, rates });
  }
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
    // Checked when the registration changes: a company registered before it was asked for keeps working.
    if (input.registration_number !== undefined || input.registration_scheme !== undefined) {
      const registration = registrationIssues(profileFor(current.country), {
        number:
          input.registration_number !== undefined ? input.registration_number : current.registrationNumber,
        scheme:
          input.registration_scheme !== undefined ? input.registration_scheme : current.registrationScheme,
      });
      if (registration.length > 0) throw new AppError('VALIDATION_FAILED', { errors: registration });
    }
    // The seal key is made once, with the algorithm of that day; its chain is verified with that key ever after.
    if (
      input.seal_algorithm !== undefined &&
      input.seal_algorithm !== current.sealAlgorithm &&
      (await hasSealKey(tx, { companyId }))
    ) {
      throw new AppError('SEAL_ALGORITHM_FIXED');
    }
    const updated = await q.updateCompany(tx, {
      companyId,
      values: {
        isFinanceApprover: input.is_finance_approver,
        sealAlgorithm: input.seal_algorithm,
        defaultLanguage: input.default_language,
        legalNameEn: input.legal_name_en,
        legalNameAr: input.legal_name_ar,
        vatNumber: input.vat_number,
        registrationNumber: input.registration_number,
        registrationScheme: input.registration_scheme,
        registrationAuthority: input.registration_authority,
        ...(input.peppol_endpoint !== undefined
          ? {
              peppolEndpointScheme: input.peppol_endpoint?.scheme ?? null,
              peppolEndpointId: input.peppol_endpoint?.id ?? null,
            }
          : {}),
        ...(input.bank_account !== undefined
          ? {
              bankIban: input.bank_account?.iban ?? null,
              bankAccountName: input.bank_account?.account_name ?? null,
              bankBic: input.bank_account?.bic ?? null,
            }
          : {}),
        address: input.address,
        currency: input.currency,
        timeZone: input.time_zone,
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

/**
 * The owner rows, locked (see lockOwners), and how many are active. An actor signed in as an owner who lost that
 * role while the request waited for the lock is refused: the role it was authorised with is no longer its own.
 */
async function lockOwnersFor(tx: Db, companyId: string, actor: Actor & { role: Role }): Promise<number> {
  const owners = (await q.lockOwners(tx, { companyId })).filter((owner) => !owner.isSuspended);
  if (actor.role === 'owner' && !owners.some((owner) => owner.userId === actor.userId))
    throw new AppError('FORBIDDEN');
  return owners.length;
}

/** Only an owner hands out or takes away ownership. */
function assertMayAssignRole(actorRole: Role, targetRoles: (Role | undefined)[]): void {
  if (actorRole !== 'owner' && targetRoles.includes('owner')) {
    throw new AppError('FORBIDDEN', { message: 'Only an owner can grant or remove the owner role.' });
  }
}

/**
 * A `client` acts for exactly one customer record of this company; no other role names one. The customer is
 * looked up in this company only, so another company's customer id reads as unknown.
 */
async function clientCustomerFor(
  tx: Db,
  companyId: string,
  role: Role,
  customerId: string | null | undefined,
): Promise<string | null> {
  if (role !== 'client') {
    if (customerId)
      throw new AppError('VALIDATION_FAILED', {
        errors: [
          { path: 'customer_id', code: 'NOT_A_CLIENT', message: 'Only the client role acts for a customer.' },
        ],
      });
    return null;
  }
  if (!customerId)
    throw new AppError('VALIDATION_FAILED', {
      errors: [
        { path: 'customer_id', code: 'REQUIRED', message: 'A client acts for one customer: name it.' },
      ],
    });
  if (!(await getCustomer(tx, { companyId, id: customerId })))
    throw new AppError('VALIDATION_FAILED', {
      errors: [{ path: 'customer_id', code: 'CUSTOMER_NOT_FOUND', message: 'No such customer.' }],
    });
  return customerId;
}

/**
 * Adding a member is always an invitation mailed to the address, accepted by whoever proves that address: an
 * account registered in advance under a colleague's address gains nothing. The answer is the same whether or not
 * the address has an account (no name, no hint).
 */
export async function inviteMember(
  ctx: AppContext,
  companyId: string,
  actor: Actor & { role: Role },
  input: {
    email: string;
    role: Role;
    scopes?: AccountantScope[];
    customer_id?: string;
    full_name?: string;
  },
  publicUrl: string,
) {
  assertMayAssignRole(actor.role, [input.role]);
  const scopes = input.role === 'accountant' ? (input.scopes ?? []) : [];
  return ctx.db.transaction(async (tx) => {
    const customerId = await clientCustomerFor(tx, companyId, input.role, input.customer_id);
    // Members of this company are on its own member list already: saying so reveals nothing new.
    if (await q.isMemberByEmail(tx, { companyId, email: input.email })) throw new AppError('ALREADY_MEMBER');
    const seatsOf = await q.getCompany(tx, { companyId });
    if (seatsOf) await assertSeatAvailable(tx, seatsOf);
    const token = randomToken();
    const invitation = await q.insertInvitation(tx, {
      companyId,
      email: input.email,
      role: input.role,
      scopes,
      customerId,
      fullName: input.full_name ?? null,
      tokenHash: hashToken(token),
      invitedBy: actor.userId,
      expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
    });
    const company = await q.getCompany(tx, { companyId });
    await enqueueMail(tx, {
      companyId,
      to: input.email,
      subject: `You are invited to ${company?.legalNameEn ?? 'a company'} on InvoiceFlow`,
      text: `You were invited to join ${company?.legalNameEn} as ${input.role}.\nAccept within ${INVITATION_DAYS} days: ${publicUrl}/accept-invitation?token=${encodeURIComponent(token)}\nIf you already have an InvoiceFlow account with this address, sign in and accept it there.`,
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

function invitationStatus(row: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }) {
  if (row.acceptedAt) return 'accepted' as const;
  if (row.revokedAt) return 'revoked' as const;
  if (row.expiresAt.getTime() <= Date.now()) return 'expired' as const;
  return 'pending' as const;
}

export async function listInvitations(ctx: AppContext, companyId: string) {
  const rows = await q.listInvitations(ctx.db, { companyId });
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    role: row.role,
    scopes: row.scopes,
    customer_id: row.customerId,
    status: invitationStatus(row),
    invited_by: row.invitedBy,
    expires_at: row.expiresAt.toISOString(),
    created_at: row.createdAt.toISOString(),
  }));
}

export async function revokeInvitation(
  ctx: AppContext,
  companyId: string,
  actor: Actor & { role: Role },
  id: string,
) {
  await ctx.db.transaction(async (tx) => {
    const invitation = await q.getInvitation(tx, { companyId, id });
    if (!invitation) throw new AppError('INVITATION_NOT_FOUND');
    assertMayAssignRole(actor.role, [invitation.role]);
    if (!(await q.revokeInvitation(tx, { companyId, id })))
      throw new AppError('INVITATION_NOT_PENDING', {
        extra: { invitation_status: invitationStatus(invitation) },
      });
    await recordAudit(tx, {
      companyId,
      actorUserId: actor.userId,
      action: 'invitation.revoked',
      entityType: 'invitation',
      entityId: id,
      requestId: actor.requestId,
    });
  });
}

export async function updateMember(
  ctx: AppContext,
  companyId: string,
  actor: Actor & { role: Role },
  userId: string,
  input: { role?: Role; scopes?: AccountantScope[]; customer_id?: string; is_suspended?: boolean },
) {
  return ctx.db.transaction(async (tx) => {
    const activeOwners = await lockOwnersFor(tx, companyId, actor);
    const member = await q.getMember(tx, { companyId, userId });
    if (!member) throw new AppError('MEMBER_NOT_FOUND');
    assertMayAssignRole(actor.role, [member.role, input.role]);
    const role = input.role ?? member.role;
    const customerId = await clientCustomerFor(
      tx,
      companyId,
      role,
      input.customer_id ?? (role === member.role ? member.customer_id : undefined),
    );
    const losesOwnership =
      member.role === 'owner' && !member.is_suspended && (role !== 'owner' || input.is_suspended === true);
    if (losesOwnership && activeOwners <= 1) throw new AppError('LAST_OWNER');
    // A suspended member holds no seat: taking one back is a seat like an invitation's.
    if (member.is_suspended && input.is_suspended === false) {
      const seatsOf = await q.getCompany(tx, { companyId });
      if (seatsOf) await assertSeatAvailable(tx, seatsOf);
    }
    await q.updateMembership(tx, {
      companyId,
      userId,
      values: {
        role: input.role,
        scopes: role === 'accountant' ? (input.scopes ?? member.scopes) : [],
        customerId,
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
    const activeOwners = await lockOwnersFor(tx, companyId, actor);
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

async function joinCompany(
  tx: Db,
  invitation: {
    id: string;
    companyId: string;
    role: Role;
    scopes: AccountantScope[];
    customerId: string | null;
  },
  userId: string,
  requestId: string,
) {
  try {
    await q.insertMembership(tx, {
      companyId: invitation.companyId,
      userId,
      role: invitation.role,
      scopes: invitation.scopes,
      customerId: invitation.customerId,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('ALREADY_MEMBER');
    throw error;
  }
  await recordAudit(tx, {
    companyId: invitation.companyId,
    actorUserId: userId,
    action: 'member.joined',
    entityType: 'membership',
    entityId: userId,
    data: { invitation_id: invitation.id },
    requestId,
  });
  return { company_id: invitation.companyId, user_id: userId };
}

/**
 * Accepting by the mailed link signs up a new account: the link proves the address, so the account starts
 * verified. An address that already has an account accepts signed in (acceptInvitationAsUser) — the link alone
 * would hand the membership to whoever registered the address first.
 */
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
    if (await findUserByEmail(tx, invitation.email)) throw new AppError('INVITATION_SIGN_IN_REQUIRED');
    // The inviter may have given the person's name; the person's own wins.
    const fullName = input.full_name ?? invitation.fullName;
    if (!passwordHash || !fullName) {
      throw new AppError('VALIDATION_FAILED', {
        errors: [
          ...(fullName
            ? []
            : [{ path: 'full_name', code: 'REQUIRED', message: 'Required for a new account.' }]),
          ...(passwordHash
            ? []
            : [{ path: 'password', code: 'REQUIRED', message: 'Required for a new account.' }]),
        ],
      });
    }
    let user: typeof schema.users.$inferSelect | undefined;
    try {
      [user] = await tx
        .insert(schema.users)
        .values({
          email: invitation.email,
          passwordHash,
          fullName,
          defaultCompanyId: invitation.companyId,
          emailVerifiedAt: new Date(),
        })
        .returning();
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_key')) throw new AppError('INVITATION_SIGN_IN_REQUIRED');
      throw error;
    }
    if (!user) throw new Error('user insert returned nothing');
    return joinCompany(tx, invitation, user.id, requestId);
  });
}

/** The signed-in account accepts an invitation to its own, verified address. */
export async function acceptInvitationAsUser(
  ctx: AppContext,
  userId: string,
  invitationId: string,
  requestId: string,
) {
  return ctx.db.transaction(async (tx) => {
    const user = await findUserById(tx, userId);
    if (!user) throw new AppError('USER_NOT_FOUND');
    if (!user.emailVerifiedAt) throw new AppError('EMAIL_NOT_VERIFIED');
    const invitation = await q.consumeInvitationFor(tx, { id: invitationId, email: user.email });
    if (!invitation) throw new AppError('INVITATION_NOT_FOUND');
    const joined = await joinCompany(tx, invitation, user.id, requestId);
    if (!user.defaultCompanyId)
      await tx
        .update(schema.users)
        .set({ defaultCompanyId: invitation.companyId })
        .where(eq(schema.users.id, user.id));
    return joined;
  });
}

/** Open invitations to the signed-in account's address; shown only once the address is proved its own. */
export async function listMyInvitations(ctx: AppContext, userId: string) {
  const user = await findUserById(ctx.db, userId);
  if (!user) throw new AppError('USER_NOT_FOUND');
  if (!user.emailVerifiedAt) throw new AppError('EMAIL_NOT_VERIFIED');
  const rows = await q.listPendingInvitationsFor(ctx.db, { email: user.email });
  return rows.map((row) => ({ ...row, expires_at: row.expires_at.toISOString() }));
}

/** The rates a company may charge: its country's fixed ones, or the company's own list (generic profile). */
export async function companyTaxRates(db: Db, { companyId }: { companyId: string }) {
  const company = await q.getCompany(db, { companyId });
  if (!company) throw new AppError('COMPANY_NOT_FOUND');
  const policy = profileFor(company.country).taxRates;
  if (policy.kind === 'fixed') return { kind: policy.kind, rates: [...policy.rates] };
  return { kind: policy.kind, rates: await q.listTaxRates(db, { companyId }) };
}

/** Adds a rate to a company's own list; a country whose rules fix the rates has no list to add to. */
export async function addCompanyTaxRate(ctx: AppContext, companyId: string, actor: Actor, rate: string) {
  return ctx.db.transaction(async (tx) => {
    const company = await q.getCompany(tx, { companyId });
    if (!company) throw new AppError('COMPANY_NOT_FOUND');
    if (profileFor(company.country).taxRates.kind === 'fixed') throw new AppError('TAX_RATES_FIXED');
    const added = await q.insertTaxRates(tx, { companyId, rates: [rate] });
    if (added > 0) {
      await recordAudit(tx, {
        companyId,
        actorUserId: actor.userId,
        action: 'company.tax_rate_added',
        entityType: 'company',
        entityId: companyId,
        data: { rate },
        requestId: actor.requestId,
      });
    }
    return { kind: 'company' as const, rates: await q.listTaxRates(tx, { companyId }) };
  });
}

/**
 * The lines and document allowances/charges whose rate is not one the company charges (generic profile: its own
 * list; SA and AE rates are judged by the totals engine's rule sets). Paths as the request named them.
 */
export async function rateListErrors(
  db: Db,
  company: Pick<q.CompanyRow, 'id' | 'country'>,
  totals: Pick<TotalsResult, 'lines' | 'allowances_charges'>,
  linesKey: string,
): Promise<FieldError[]> {
  if (profileFor(company.country).taxRates.kind !== 'company') return [];
  return rateListIssues(new Set(await q.listTaxRates(db, { companyId: company.id })), totals, linesKey);
}

/** The prefixes of the company's profile and every series it has numbered in, with its last number. */
export async function numberSeries(db: Db, { companyId }: { companyId: string }) {
  const company = await q.getCompany(db, { companyId });
  if (!company) throw new AppError('COMPANY_NOT_FOUND');
  const profile = profileFor(company.country);
  const counters = await q.listNumberCounters(db, { companyId });
  return {
    prefixes: { ...profile.numberSeries, quote: profile.quoteSeries },
    series: counters.map((c) => ({
      series: c.series,
      last_number: c.lastValue,
      updated_at: c.updatedAt.toISOString(),
    })),
  };
}
