import type { Db } from '@invoiceflow/db';
import type { AppContext } from '../../context';
import { recordAudit } from '../../lib/audit';
import { AppError, defineErrors } from '../../lib/errors';
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

export async function approveCompany(
  ctx: AppContext,
  actor: { userId: string; requestId: string },
  companyId: string,
) {
  return ctx.db.transaction(async (tx) => {
    const company = await q.updateCompany(tx, { companyId, values: { isApproved: true } });
    if (!company) throw new AppError('COMPANY_NOT_FOUND');
    await recordAudit(tx, {
      companyId,
      actorUserId: actor.userId,
      action: 'company.approved',
      entityType: 'company',
      entityId: companyId,
      requestId: actor.requestId,
    });
    return company;
  });
}
