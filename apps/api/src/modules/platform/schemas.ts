import { z } from 'zod';
import { LIMIT_NAMES, PLAN_CODES } from '../plans/plans';
import { STORED_FILE_KINDS } from '../plans/queries';

export const planSchema = z.object({
  code: z.enum(PLAN_CODES),
  name: z.string(),
  limits: z.record(z.enum(LIMIT_NAMES), z.number().int().nullable()),
  features: z.array(z.string()),
});

const usageLineSchema = z.object({ used: z.number().int(), limit: z.number().int().nullable() });

export const usageSchema = z.object({
  plan: z.enum(PLAN_CODES),
  plan_name: z.string(),
  features: z.array(z.string()),
  /** The month of the company's calendar the invoice count is for (YYYY-MM). */
  month: z.string(),
  usage: z.object({
    invoices_per_month: usageLineSchema,
    users: usageLineSchema,
    companies_per_account: usageLineSchema,
    storage_bytes: usageLineSchema,
  }),
  /** What the stored bytes are: receipts, logos, registration documents, supplier invoice originals, imports. */
  storage_by_kind: z.record(z.enum(STORED_FILE_KINDS), z.number().int()),
});

export const suspendBodySchema = z.strictObject({ reason: z.string().trim().min(1).max(1000) });
export const assignPlanBodySchema = z.strictObject({ plan: z.enum(PLAN_CODES) });

export const analyticsSchema = z.object({
  days: z.number().int(),
  from: z.string(),
  companies: z.object({
    total: z.number().int(),
    approved: z.number().int(),
    pending: z.number().int(),
    rejected: z.number().int(),
    suspended: z.number().int(),
    by_plan: z.array(z.object({ plan: z.string(), companies: z.number().int() })),
  }),
  active_users: z.number().int(),
  invoices_issued: z.array(z.object({ day: z.string(), country: z.string(), issued: z.number().int() })),
  einvoice_failures: z.object({ zatca: z.number().int(), transmission: z.number().int() }),
});

export const adminAuditEntrySchema = z.object({
  id: z.number(),
  company_id: z.string().nullable(),
  actor_user_id: z.string().nullable(),
  action: z.string(),
  entity_type: z.string(),
  entity_id: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  created_at: z.string(),
});
