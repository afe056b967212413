import { CHECKOUT_STATUSES, GATEWAY_PROVIDERS, PAYMENT_STATUSES } from '@invoiceflow/db/schema';
import { z } from 'zod';
import { decimalSchema, moneySchema } from '../../lib/decimal-input';

export const settingsInputSchema = z.strictObject({
  provider: z.enum(GATEWAY_PROVIDERS),
  secret_key: z
    .string()
    .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]{8,250}$/, 'A Stripe secret or restricted key (sk_… or rk_…)')
    .describe('Stored encrypted, never answered'),
  webhook_secret: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/=]{8,250}$/, "The webhook endpoint's signing secret (whsec_…)")
    .describe('Stored encrypted, never answered'),
});

export const settingsSchema = z.object({
  provider: z.enum(GATEWAY_PROVIDERS),
  account_name: z.string().nullable(),
  has_credentials: z.boolean(),
  webhook_url: z.string().describe('Give this URL to the gateway as the webhook endpoint'),
  updated_at: z.string(),
});

export const checkoutInputSchema = z.strictObject({
  amount: decimalSchema.optional().describe('Part of what is outstanding (default: all of it)'),
});

export const payLinkSchema = z.object({
  invoice_id: z.string(),
  url: z.string().describe('Stable: opens a checkout for what is outstanding when followed'),
  outstanding_amount: moneySchema,
  currency: z.string(),
});

export const checkoutSchema = z.object({
  id: z.string(),
  invoice_id: z.string(),
  provider: z.enum(GATEWAY_PROVIDERS),
  url: z.string(),
  amount: moneySchema,
  currency: z.string(),
  status: z.enum(CHECKOUT_STATUSES),
  expires_at: z.string(),
  failure_message: z.string().nullable().describe('The gateway on the last declined attempt'),
  payment_id: z.string().nullable(),
  payment_status: z.enum(PAYMENT_STATUSES).nullable(),
  refunded_amount: moneySchema.nullable(),
  created_at: z.string(),
});

export const checkoutListSchema = z.object({ items: z.array(checkoutSchema) });

export const payTokenParamSchema = z.strictObject({
  token: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/)
    .describe('The token of the pay link'),
});

export const webhookParamSchema = z.strictObject({
  provider: z.enum(GATEWAY_PROVIDERS),
  companyId: z.uuid(),
});

export const payStatusSchema = z.object({
  invoice_number: z.string(),
  currency: z.string(),
  outstanding_amount: moneySchema,
  is_paid: z.boolean(),
});

export const webhookAnswerSchema = z.object({
  received: z.literal(true),
  duplicate: z.boolean(),
  outcome: z.enum(['recorded', 'pending', 'refunded', 'failed', 'expired', 'unchanged', 'ignored']),
});
