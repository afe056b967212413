import { z } from 'zod';
import { businessDateSchema } from '../../lib/business-dates';
import { paginationQuerySchema } from '../../lib/pagination';
import { issueBodySchema } from '../invoices/schemas';

/**
 * The invoice issued each period: the body of an issue request, without what each period decides (its date and
 * due date, its number), the buyer (the schedule's customer) and what only notes carry.
 */
export const recurringTemplateSchema = issueBodySchema
  .omit({
    draft_id: true,
    invoice_number: true,
    invoice_date: true,
    issue_date: true,
    due_date: true,
    type: true,
    customer_id: true,
    customer_name: true,
    customer_name_ar: true,
    customer_vat_number: true,
    customer_address: true,
    customer_id_scheme: true,
    customer_id_number: true,
    original_invoice_id: true,
    reason: true,
  })
  .describe('The issue request of each period (lines, notes, currency, payment_terms_days, …)');

const frequencySchema = z.enum(['weekly', 'monthly', 'quarterly', 'yearly']);
const modeSchema = z
  .enum(['draft', 'issue'])
  .describe('draft: a draft invoice to review and issue; issue: issued at once (signed and chained)');

export const recurringCreateSchema = z.strictObject({
  name: z.string().trim().max(200).optional(),
  customer_id: z.uuid(),
  frequency: frequencySchema,
  day_of_month: z
    .number()
    .int()
    .min(1)
    .max(31)
    .optional()
    .describe(
      'Monthly and longer: the day of the month (29–31: the last day of a shorter month); default the start date’s',
    ),
  start_date: businessDateSchema.describe(
    'The first period on or after this date, in the company’s calendar',
  ),
  end_date: businessDateSchema.nullish(),
  max_count: z.number().int().min(1).max(10_000).nullish().describe('At most this many invoices'),
  mode: modeSchema.default('draft'),
  auto_send: z.boolean().default(false).describe('With mode issue: e-mail each invoice to the customer'),
  template: recurringTemplateSchema,
});
export type RecurringCreate = z.infer<typeof recurringCreateSchema>;

/** The rule (frequency, day, start) is fixed once made: the periods already invoiced remain its periods. */
export const recurringUpdateSchema = z.strictObject({
  name: z.string().trim().max(200).nullish(),
  end_date: businessDateSchema.nullish(),
  max_count: z.number().int().min(1).max(10_000).nullish(),
  mode: modeSchema.optional(),
  auto_send: z.boolean().optional(),
  template: recurringTemplateSchema.optional(),
});
export type RecurringUpdate = z.infer<typeof recurringUpdateSchema>;

export const resumeSchema = z
  .strictObject({
    catch_up: z
      .boolean()
      .default(false)
      .describe('Also invoice the periods that fell while paused (default: they are skipped)'),
  })
  .default({ catch_up: false });

export const recurringSchema = z.object({
  id: z.uuid(),
  name: z.string().nullable(),
  customer_id: z.uuid(),
  frequency: frequencySchema,
  day_of_month: z.number().int().nullable(),
  start_date: z.string(),
  end_date: z.string().nullable(),
  max_count: z.number().int().nullable(),
  mode: modeSchema,
  auto_send: z.boolean(),
  template: z.record(z.string(), z.unknown()),
  status: z.enum(['active', 'paused']),
  last_error: z.record(z.string(), z.unknown()).nullable(),
  next_period_date: z.string().nullable().describe('The next period to invoice, in the company’s calendar'),
  created_at: z.string(),
  updated_at: z.string(),
});

export const recurringListQuerySchema = z.strictObject({
  ...paginationQuerySchema,
  status: z.enum(['active', 'paused']).optional(),
});

export const recurringListSchema = z.object({
  total: z.number().int(),
  page: z.number().int(),
  page_size: z.number().int(),
  schedules: z.array(recurringSchema),
});

export const recurringRunSchema = z.object({
  period_date: z.string(),
  outcome: z.enum(['draft', 'issued', 'sent', 'skipped']),
  invoice_id: z.uuid().nullable(),
  send_error: z.string().nullable(),
  created_at: z.string(),
});

export const recurringRunListSchema = z.object({ runs: z.array(recurringRunSchema) });
