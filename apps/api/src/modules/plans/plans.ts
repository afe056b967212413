/**
 * The platform's plans: what a company may use in a month or at once. `null` is no limit. A self-hosted install
 * runs everything on `unlimited` (the default of DEFAULT_PLAN); a multi-tenant deployment sets DEFAULT_PLAN=free
 * and its administrators move companies up. Ordered from the smallest: the plan that lifts a limit is the first
 * after the company's own whose limit is larger.
 */
export const PLAN_CODES = ['free', 'pro', 'unlimited'] as const;
export type PlanCode = (typeof PLAN_CODES)[number];

export const LIMIT_NAMES = ['invoices_per_month', 'users', 'companies_per_account', 'storage_bytes'] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];

export const FEATURES = [
  'e_invoicing',
  'recurring',
  'webhooks',
  'online_payments',
  'pos',
  'imports',
] as const;
export type Feature = (typeof FEATURES)[number];

export interface Plan {
  code: PlanCode;
  name: string;
  limits: Record<LimitName, number | null>;
  features: readonly Feature[];
}

const MIB = 1024 * 1024;

export const PLANS: Record<PlanCode, Plan> = {
  free: {
    code: 'free',
    name: 'Free',
    limits: { invoices_per_month: 20, users: 2, companies_per_account: 1, storage_bytes: 100 * MIB },
    features: ['e_invoicing'],
  },
  pro: {
    code: 'pro',
    name: 'Pro',
    limits: { invoices_per_month: 2000, users: 25, companies_per_account: 5, storage_bytes: 10 * 1024 * MIB },
    features: FEATURES,
  },
  unlimited: {
    code: 'unlimited',
    name: 'Unlimited',
    limits: { invoices_per_month: null, users: null, companies_per_account: null, storage_bytes: null },
    features: FEATURES,
  },
};

export function planOf(code: string): Plan {
  return PLANS[code as PlanCode] ?? PLANS.unlimited;
}

/** The smallest plan above `code` whose limit is larger (null: none is, or the limit is already unlimited). */
export function planLifting(code: string, limit: LimitName): PlanCode | null {
  const current = planOf(code).limits[limit];
  if (current === null) return null;
  for (const next of PLAN_CODES.slice(PLAN_CODES.indexOf(planOf(code).code) + 1)) {
    const value = PLANS[next].limits[limit];
    if (value === null || value > current) return next;
  }
  return null;
}

/** A larger-or-equal comparison of limits where null (no limit) is the largest. */
export function mostGenerous(values: (number | null)[]): number | null {
  if (values.includes(null)) return null;
  return Math.max(...(values as number[]));
}

/** The plans that do not include a feature (a company on one of them is refused the feature's routes). */
export function plansWithout(feature: Feature): PlanCode[] {
  return PLAN_CODES.filter((code) => !PLANS[code].features.includes(feature));
}

/** The smallest plan above `code` that includes the feature (null: the plan has it, or none does). */
export function planWithFeature(code: string, feature: Feature): PlanCode | null {
  if (planOf(code).features.includes(feature)) return null;
  return (
    PLAN_CODES.slice(PLAN_CODES.indexOf(planOf(code).code) + 1).find((next) =>
      PLANS[next].features.includes(feature),
    ) ?? null
  );
}
