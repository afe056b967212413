import { PAYMENT_METHODS, PAYMENT_STATUSES } from '@invoiceflow/db/schema';
import { z } from 'zod';
import { businessDateOrDateTimeSchema } from '../../lib/business-dates';
import { decimalSchema, moneySchema } from '../../lib/decimal-input';
import { paginationQuerySchema } from '../../lib/pagination';
import { optionalTextSchema } from '../../lib/schemas';

/** Seed 003 sends "2026-02-10"; a date-time is read as its date. */
const paymentDateSchema = businessDateOrDateTimeSchema.transform((value) => value.slice(0, 10));

/**
 * An amount as a decimal (`amount: "500.00"`) or, as seed 003 sends it, in integer minor units
 * (`amount_cents: 50000`); at least one, and both only when they agree (checked against the currency's digits).
 */
const amountFields = {
  amount: decimalSchema.optional(),
  amount_cents: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
};

function someAmount(value: { amount?: string; amount_cents?: number }, ctx: z.RefinementCtx) {
  if (value.amount === undefined && value.amount_cents === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['amount'],
      message: 'Send the amount as `amount` (decimal) or `amount_cents` (minor units).',
      params: { code: 'REQUIRED' },
    });
  }
}

const paymentDetails = {
  payment_date: paymentDateSchema.optional().describe('Defaults to today in the company’s time zone'),
  payment_method: z.enum(PAYMENT_METHODS).default('bank_transfer'),
  reference: optionalTextSchema(200),
  notes: optionalTextSchema(2000),
};

export const allocationInputSchema = z
  .strictObject({ invoice_id: z.uuid(), ...amountFields, notes: optionalTextSchema(500) })
  .superRefine(someAmount);
export type AllocationInput = z.output<typeof allocationInputSchema>;

export const paymentCreateSchema = z
  .strictObject({
    customer_id: z.uuid().nullish().describe('Null for a walk-in buyer (pays invoices without a customer)'),
    ...amountFields,
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. SAR')
      .optional()
      .describe('Defaults to the customer’s currency, else the company’s'),
    status: z.enum(['pending', 'completed']).default('completed'),
    ...paymentDetails,
    bank_transaction_id: z.uuid().nullish().describe('The bank statement line the payment was received in'),
    allocations: z.array(allocationInputSchema).max(100).optional().describe('Allocate at once (optional)'),
  })
  .superRefine(someAmount);
export type PaymentCreateInput = z.output<typeof paymentCreateSchema>;

export const paymentUpdateSchema = z.strictObject({
  status: z.enum(PAYMENT_STATUSES).optional(),
  reference: optionalTextSchema(200),
  notes: optionalTextSchema(2000),
});
export type PaymentUpdateInput = z.output<typeof paymentUpdateSchema>;

export const allocateBodySchema = z.strictObject({
  allocations: z.array(allocationInputSchema).min(1).max(100),
});

export const markPaidBodySchema = z.strictObject(paymentDetails);
export type MarkPaidInput = z.output<typeof markPaidBodySchema>;

export const partialPaymentBodySchema = z
  .strictObject({ ...amountFields, ...paymentDetails })
  .superRefine(someAmount);
export type PartialPaymentInput = z.output<typeof partialPaymentBodySchema>;

export const paymentListQuerySchema = z.strictObject({
  customer_id: z.uuid().optional(),
  status: z.enum(PAYMENT_STATUSES).optional(),
  from_date: z.iso.date().optional(),
  to_date: z.iso.date().optional(),
  has_credit: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .describe('Only payments with an unallocated amount (customer credit)'),
  ...paginationQuerySchema,
});

export const allocationIdParamsSchema = z.strictObject({ id: z.uuid(), allocationId: z.uuid() });

export const allocationSchema = z.object({
  id: z.string(),
  payment_id: z.string(),
  invoice_id: z.string(),
  invoice_number: z.string(),
  amount: moneySchema,
  amount_cents: z.number().int().nullable().describe('The same amount in minor units (null beyond 2^53)'),
  notes: z.string().nullable(),
  created_at: z.string(),
});

export const paymentSchema = z.object({
  id: z.string(),
  customer_id: z.string().nullable(),
  amount: moneySchema,
  amount_cents: z.number().int().nullable().describe('The same amount in minor units (null beyond 2^53)'),
  allocated_amount: moneySchema,
  unallocated_amount: moneySchema.describe('Customer credit left on this payment (after refunds)'),
  refunded_amount: moneySchema.describe('Paid back through the online payment gateway'),
  currency: z.string(),
  payment_date: z.string(),
  payment_method: z.enum(PAYMENT_METHODS),
  reference: z.string().nullable(),
  status: z.enum(PAYMENT_STATUSES),
  notes: z.string().nullable(),
  bank_transaction_id: z.string().nullable().describe('The bank statement line it was received in'),
  allocations: z.array(allocationSchema),
  created_at: z.string(),
  updated_at: z.string(),
});

export const paymentListSchema = z.object({
  total: z.number().int(),
  page: z.number().int(),
  page_size: z.number().int(),
  payments: z.array(paymentSchema),
});

/** The payment summary: decimal strings, and the same amounts in minor units (`*_cents`) beside them. */
export const invoicePaymentSummarySchema = z.object({
  invoice_id: z.string(),
  invoice_number: z.string(),
  currency: z.string(),
  invoice_total: moneySchema.describe('Payable amount of the invoice'),
  invoice_total_cents: z
    .number()
    .int()
    .nullable()
    .describe('The same amount in minor units (null beyond 2^53)'),
  credited_amount: moneySchema,
  total_paid: moneySchema,
  total_paid_cents: z.number().int().nullable().describe('The same amount in minor units (null beyond 2^53)'),
  total_outstanding: moneySchema,
  total_outstanding_cents: z
    .number()
    .int()
    .nullable()
    .describe('The same amount in minor units (null beyond 2^53)'),
  is_fully_paid: z.boolean(),
  payment_status: z.enum(['unpaid', 'partially_paid', 'paid']),
  payments: z.array(paymentSchema),
});

export const paymentOutcomeSchema = invoicePaymentSummarySchema.extend({
  payment: paymentSchema.nullable().describe('The payment this request recorded, if any'),
});

export const reminderSettingsSchema = z.object({
  is_enabled: z.boolean(),
  days: z.array(z.number().int()),
  is_overdue_notice_enabled: z.boolean(),
});

export const reminderSettingsBodySchema = z.strictObject({
  is_enabled: z.boolean().optional(),
  days: z
    .array(z.number().int().min(-60).max(365))
    .max(10)
    .refine((days) => new Set(days).size === days.length, 'Each day once.')
    .optional()
    .describe('Days relative to the due date: −3 is three days before, 7 a week after'),
  is_overdue_notice_enabled: z.boolean().optional(),
});
