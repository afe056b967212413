import type { Db } from '@invoiceflow/db';
import type { AppContext } from '../../context';
import { recordAudit } from '../../lib/audit';
import { AppError, defineErrors } from '../../lib/errors';
import { enqueueMail } from '../mail/queries';
import * as q from './queries';

defineErrors({
  COMPANY_NOT_APPROVED: [
    403,
    'This company is waiting for approval: it cannot issue, send or onboard with ZATCA until an administrator approves it.',
  ],
  SUPER_ADMIN_REQUIRED: [403, 'Only a platform administrator can do this.'],
});

/**
 * With REQUIRE_COMPANY_APPROVAL, nothing leaves the building for a company no administrator has approved: no
 * issued document (a legal record with a number), no mail to customers, no ZATCA onboarding or submission.
 */
export function assertCompanyApproved(ctx: AppContext, company: { isApproved: boolean }): void {
  if (ctx.config.REQUIRE_COMPANY_APPROVAL && !company.isApproved) throw new AppError('COMPANY_NOT_APPROVED');
}

export async function requireApprovedCompany(ctx: AppContext, db: Db, companyId: string): Promise<void> {
  if (!ctx.config.REQUIRE_COMPANY_APPROVAL) return;
  const company = await q.getCompany(db, { companyId });
  if (!company) throw new AppError('COMPANY_NOT_FOUND');
  assertCompanyApproved(ctx, company);
}

export function assertSuperAdmin(auth: { isSuperAdmin: boolean }): void {
  if (!auth.isSuperAdmin) throw new AppError('SUPER_ADMIN_REQUIRED');
}

interface SuperAdminActor {
  userId: string;
  requestId: string;
}

/** Approving clears an earlier rejection: a company that sent what was missing is approved the same way. */
export async function approveCompany(ctx: AppContext, actor: SuperAdminActor, companyId: string) {
  return ctx.db.transaction(async (tx) => {
    const company = await q.updateCompany(tx, {
      companyId,
      values: { isApproved: true, rejectedAt: null, rejectionReason: null },
    });
    if (!company) throw new AppError('COMPANY_NOT_FOUND');
    await recordAudit(tx, {
      companyId,
      actorUserId: actor.userId,
      action: 'company.approved',
      entityType: 'company',
      entityId: companyId,
      data: { by: 'super_admin' },
      requestId: actor.requestId,
    });
    await mailOwners(tx, company, 'company_approved', {
      subject: `${company.legalNameEn} is approved on InvoiceFlow`,
      text: `${company.legalNameEn} was approved: it can now issue invoices and send them.`,
    });
    return company;
  });
}

/**
 * A rejected company stays as it is (its drafts and customers kept) and cannot issue; its owners are told why, and
 * an approval later still lifts it. Rejecting an approved company withdraws the approval.
 */
export async function rejectCompany(
  ctx: AppContext,
  actor: SuperAdminActor,
  companyId: string,
  reason: string,
) {
  return ctx.db.transaction(async (tx) => {
    const company = await q.updateCompany(tx, {
      companyId,
      values: { isApproved: false, rejectedAt: new Date(), rejectionReason: reason },
    });
    if (!company) throw new AppError('COMPANY_NOT_FOUND');
    await recordAudit(tx, {
      companyId,
      actorUserId: actor.userId,
      action: 'company.rejected',
      entityType: 'company',
      entityId: companyId,
      data: { by: 'super_admin', reason },
      requestId: actor.requestId,
    });
    await mailOwners(tx, company, 'company_rejected', {
      subject: `${company.legalNameEn} was not approved on InvoiceFlow`,
      text: `${company.legalNameEn} was not approved, for this reason:\n\n${reason}\n\nIt can keep preparing drafts and customers; reply to your platform's administrators once it is put right.`,
    });
    return company;
  });
}

async function mailOwners(
  tx: Db,
  company: q.CompanyRow,
  kind: string,
  message: { subject: string; text: string },
) {
  const owners = (await q.listMembers(tx, { companyId: company.id })).filter(
    (member) => member.role === 'owner' && !member.is_suspended,
  );
  for (const owner of owners)
    await enqueueMail(tx, {
      companyId: company.id,
      to: owner.email,
      kind,
      refs: { company_id: company.id },
      ...message,
    });
}
