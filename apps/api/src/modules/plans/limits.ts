import type { Db } from '@invoiceflow/db';
import type { AppContext } from '../../context';
import { AppError, defineErrors } from '../../lib/errors';
import { type Feature, type LimitName, mostGenerous, planLifting, planOf, planWithFeature } from './plans';
import * as q from './queries';

defineErrors({
  PLAN_LIMIT_REACHED: [402, "This is beyond what the company's plan allows."],
  PLAN_FEATURE_NOT_INCLUDED: [402, "The company's plan does not include this."],
});

const LIMIT_WORDING: Record<LimitName, string> = {
  invoices_per_month: 'invoices issued this month',
  users: 'users',
  companies_per_account: 'companies of this account',
  storage_bytes: 'bytes of stored files',
};

/** 402 naming the limit, the usage, the plan and the plan that lifts it, in the problem body. */
export function planLimitReached(plan: string, limit: LimitName, usage: number): AppError {
  const allowed = planOf(plan).limits[limit] ?? 0;
  const upgrade = planLifting(plan, limit);
  return new AppError('PLAN_LIMIT_REACHED', {
    message: `The ${planOf(plan).name} plan allows ${allowed} ${LIMIT_WORDING[limit]}${upgrade ? `; the ${planOf(upgrade).name} plan allows more` : ''}.`,
    extra: { limit, allowed, usage, plan: planOf(plan).code, upgrade_plan: upgrade },
  });
}

const FEATURE_WORDING: Record<Feature, string> = {
  e_invoicing: 'e-invoicing',
  recurring: 'recurring invoices',
  webhooks: 'webhooks',
  online_payments: 'online payments',
  pos: 'the point of sale',
  imports: 'imports',
};

/** 402 naming the feature, the plan that lacks it and the plan that includes it. */
export function planFeatureNotIncluded(plan: string, feature: Feature): AppError {
  const upgrade = planWithFeature(plan, feature);
  return new AppError('PLAN_FEATURE_NOT_INCLUDED', {
    message: `The ${planOf(plan).name} plan does not include ${FEATURE_WORDING[feature]}${upgrade ? `; the ${planOf(upgrade).name} plan does` : ''}.`,
    extra: { feature, plan: planOf(plan).code, upgrade_plan: upgrade },
  });
}

export function assertFeature(company: { plan: string }, feature: Feature): void {
  if (!planOf(company.plan).features.includes(feature)) throw planFeatureNotIncluded(company.plan, feature);
}

/**
 * Counts a document against its month (the company's calendar: the issue date's month). Nothing at all for an
 * unlimited plan, one statement otherwise: issuing is the hot path.
 */
export async function takeInvoiceAllowance(
  tx: Db,
  company: { id: string; plan: string },
  issueDate: string,
): Promise<void> {
  const limit = planOf(company.plan).limits.invoices_per_month;
  if (limit === null) return;
  const taken = await q.takeInvoiceAllowance(tx, {
    companyId: company.id,
    month: issueDate.slice(0, 7),
    limit,
  });
  if (taken === null) throw planLimitReached(company.plan, 'invoices_per_month', limit);
}

/**
 * Before an invitation or a membership: members and open invitations together stay within the plan's users,
 * counted under the company's row lock so that concurrent invitations and acceptances at the edge queue.
 */
export async function assertSeatAvailable(tx: Db, company: { id: string; plan: string }): Promise<void> {
  const limit = planOf(company.plan).limits.users;
  if (limit === null) return;
  await q.lockCompanyForLimits(tx, { companyId: company.id });
  const seats = await q.countSeats(tx, { companyId: company.id });
  if (seats >= limit) throw planLimitReached(company.plan, 'users', seats);
}

export async function assertStorageAvailable(
  tx: Db,
  company: { id: string; plan: string },
  addedBytes: number,
): Promise<void> {
  const limit = planOf(company.plan).limits.storage_bytes;
  if (limit === null) return;
  await q.lockCompanyForLimits(tx, { companyId: company.id });
  const stored = await q.countStoredBytes(tx, { companyId: company.id });
  if (stored + addedBytes > limit) throw planLimitReached(company.plan, 'storage_bytes', stored);
}

/**
 * A new company: the account's best plan among the companies it owns (and the plan the new one would get) sets how
 * many it may own. `owned` was counted under the account's row lock by the caller.
 */
export async function assertCompanySlot(
  ctx: AppContext,
  tx: Db,
  userId: string,
  owned: number,
): Promise<void> {
  const plans = [...(await q.ownedCompanyPlans(tx, { userId })), ctx.config.DEFAULT_PLAN];
  const limit = mostGenerous(plans.map((plan) => planOf(plan).limits.companies_per_account));
  if (limit === null || owned < limit) return;
  const best =
    plans.find((plan) => planOf(plan).limits.companies_per_account === limit) ?? ctx.config.DEFAULT_PLAN;
  throw planLimitReached(best, 'companies_per_account', owned);
}
