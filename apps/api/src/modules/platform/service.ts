import type { Db } from '@invoiceflow/db';
import type { AppContext } from '../../context';
import type { Actor } from '../../lib/actor';
import { recordAudit } from '../../lib/audit';
import { AppError } from '../../lib/errors';
import * as companies from '../companies/queries';
import { companyDate } from '../payments/company-date';
import { type PlanCode, planOf } from '../plans/plans';
import * as plans from '../plans/queries';
import * as q from './queries';

async function audited(
  tx: Db,
  actor: Actor,
  companyId: string,
  action: string,
  data: Record<string, unknown> = {},
) {
  await recordAudit(tx, {
    companyId,
    actorUserId: actor.userId,
    action,
    entityType: 'company',
    entityId: companyId,
    data: { by: 'super_admin', ...data },
    requestId: actor.requestId,
  });
}

/** A suspended company keeps everything; its members are refused (403 COMPANY_SUSPENDED) until reactivated. */
export async function suspendCompany(ctx: AppContext, actor: Actor, companyId: string, reason: string) {
  return ctx.db.transaction(async (tx) => {
    const company = await companies.updateCompany(tx, {
      companyId,
      values: { suspendedAt: new Date(), suspensionReason: reason },
    });
    if (!company) throw new AppError('COMPANY_NOT_FOUND');
    await audited(tx, actor, companyId, 'company.suspended', { reason });
    return company;
  });
}

export async function reactivateCompany(ctx: AppContext, actor: Actor, companyId: string) {
  return ctx.db.transaction(async (tx) => {
    const company = await companies.updateCompany(tx, {
      companyId,
      values: { suspendedAt: null, suspensionReason: null },
    });
    if (!company) throw new AppError('COMPANY_NOT_FOUND');
    await audited(tx, actor, companyId, 'company.reactivated');
    return company;
  });
}

/**
 * A plan assigned mid-month starts its monthly count from what the company already issued this month (in its own
 * calendar), so moving to a smaller plan does not hand out a fresh allowance.
 */
export async function assignPlan(ctx: AppContext, actor: Actor, companyId: string, plan: PlanCode) {
  return ctx.db.transaction(async (tx) => {
    const before = await companies.getCompany(tx, { companyId });
    if (!before) throw new AppError('COMPANY_NOT_FOUND');
    const company = await companies.updateCompany(tx, { companyId, values: { plan } });
    if (!company) throw new AppError('COMPANY_NOT_FOUND');
    const month = companyDate(company.timeZone).slice(0, 7);
    const issued = await plans.countIssuedInMonth(tx, { companyId, month });
    await plans.setInvoiceCount(tx, { companyId, month, issued });
    await audited(tx, actor, companyId, 'company.plan_assigned', { from: before.plan, to: plan });
    return company;
  });
}

/** What the company used of its plan: this month's documents, its seats, its stored bytes. */
export async function usageOf(db: Db, company: companies.CompanyRow, month: string) {
  const plan = planOf(company.plan);
  const counted =
    plan.limits.invoices_per_month === null
      ? null
      : await plans.countedInvoices(db, { companyId: company.id, month });
  const invoices = counted ?? (await plans.countIssuedInMonth(db, { companyId: company.id, month }));
  const users = await plans.countSeats(db, { companyId: company.id });
  const storageByKind = await plans.storedBytesByKind(db, { companyId: company.id });
  const storage = plans.STORED_FILE_KINDS.reduce((total, kind) => total + storageByKind[kind], 0);
  const line = (used: number, limit: number | null) => ({ used, limit });
  return {
    plan: plan.code,
    plan_name: plan.name,
    features: [...plan.features],
    month,
    usage: {
      invoices_per_month: line(invoices, plan.limits.invoices_per_month),
      users: line(users, plan.limits.users),
      companies_per_account: line(0, plan.limits.companies_per_account),
      storage_bytes: line(storage, plan.limits.storage_bytes),
    },
    storage_by_kind: storageByKind,
  };
}

export async function analytics(db: Db, { days, now }: { days: number; now: Date }) {
  const since = new Date(now.getTime() - days * 86_400_000);
  const from = since.toISOString().slice(0, 10);
  const counts = await q.companyCounts(db);
  return {
    days,
    from,
    companies: {
      total: counts.total,
      approved: counts.approved,
      pending: counts.pending,
      rejected: counts.rejected,
      suspended: counts.suspended,
      by_plan: counts.byPlan,
    },
    active_users: await q.activeUsers(db, { since }),
    invoices_issued: await q.issuedPerDayAndCountry(db, { from }),
    einvoice_failures: await q.einvoiceFailures(db, { since }),
  };
}
