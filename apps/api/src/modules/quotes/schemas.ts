import { QUOTE_STATUSES } from '@invoiceflow/db/schema';
import { z } from 'zod';
import { businessDateSchema } from '../../lib/business-dates';
import { paginationQuerySchema } from '../../lib/pagination';
import { issueBodySchema } from '../invoices/schemas';

/**
 * A quotation: the body of an invoice request for one customer of the company (lines, allowances, currency,
 * notes, …), without what only an issued document has (its number, kind, original invoice, signing unit), and
 * with the date it is valid until (by default 30 days after its date).
 */
export const quoteBodySchema = issueBodySchema
  .omit({
    draft_id: true,
    invoice_number: true,
    invoice_date: true,
    type: true,
    customer_id: true,
    customer_name: true,
    customer_name_ar: true,
    customer_vat_number: true,
    customer_address: true,
    original_invoice_id: true,
    reason: true,
    reason_code: true,
    due_date: true,
    egs_unit_id: true,
  })
  .extend({
    customer_id: z.uuid().describe('The customer the quotation is addressed to (and mailed to)'),
    issue_date: businessDateSchema
      .optional()
      .describe('The quotation’s date; by default today, company time'),
    valid_until: businessDateSchema
      .optional()
      .describe('The last day the customer may accept it; by default 30 days after its date'),
  });
export type QuoteBody = z.output<typeof quoteBodySchema>;

/** PATCH: the fields sent replace the quotation's. */
export const quotePatchSchema = quoteBodySchema.partial();
export type QuotePatch = z.output<typeof quotePatchSchema>;

const quoteLineSchema = z.object({
  description: z.string().nullable(),
  description_ar: z.string().nullable(),
  quantity: z.string(),
  unit_code: z.string(),
  unit_price: z.string(),
  vat_category: z.string(),
  vat_rate: z.string(),
  net_amount: z.string(),
  vat_amount: z.string(),
  amount_with_vat: z.string(),
});

const totalsSchema = z.object({
  subtotal: z.string(),
  vat_amount: z.string(),
  total_amount: z.string(),
});

export const quoteSchema = z.object({
  id: z.uuid(),
  quote_number: z.string(),
  status: z.enum(QUOTE_STATUSES),
  customer_id: z.uuid(),
  customer_name: z.string(),
  issue_date: z.string(),
  valid_until: z.string(),
  currency: z.string(),
  ...totalsSchema.shape,
  lines: z.array(quoteLineSchema),
  notes: z.string().nullable(),
  body: z
    .record(z.string(), z.unknown())
    .describe('The request the quotation was made from (for the editor)'),
  sent_at: z.string().nullable(),
  accepted_at: z.string().nullable(),
  declined_at: z.string().nullable(),
  decision_note: z.string().nullable(),
  expired_at: z.string().nullable(),
  converted_at: z.string().nullable(),
  invoice_id: z.uuid().nullable().describe('The draft invoice made from it'),
  created_at: z.string(),
  updated_at: z.string(),
});

export const quoteListQuerySchema = z.strictObject({
  ...paginationQuerySchema,
  status: z.enum(QUOTE_STATUSES).optional(),
  customer_id: z.uuid().optional(),
});

export const quoteListSchema = z.object({
  total: z.number().int(),
  page: z.number().int(),
  page_size: z.number().int(),
  quotes: z.array(quoteSchema),
});

export const quoteSendBodySchema = z
  .strictObject({
    to: z.email().max(320).optional().describe('By default the customer’s address'),
    message: z.string().trim().max(2000).optional(),
  })
  .default({});

export const quoteSentSchema = z.object({
  quote: quoteSchema,
  to: z.string(),
  mail_status: z.literal('queued'),
  public_url: z
    .string()
    .describe('The customer’s link to accept or decline; a new send makes a new link and ends the old one'),
});

export const tokenParamSchema = z.strictObject({
  token: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/)
    .describe('The token of the public link'),
});

export const decisionBodySchema = z
  .strictObject({ note: z.string().trim().max(2000).optional() })
  .default({});

/** What the customer sees: the offer and its seller, without the seller's internal fields. */
export const publicQuoteSchema = z.object({
  quote_number: z.string(),
  status: z.enum(QUOTE_STATUSES),
  issue_date: z.string(),
  valid_until: z.string(),
  currency: z.string(),
  seller: z.object({ name: z.string(), name_ar: z.string().nullable(), vat_number: z.string().nullable() }),
  buyer: z.object({ name: z.string(), name_ar: z.string().nullable() }),
  lines: z.array(quoteLineSchema),
  ...totalsSchema.shape,
  notes: z.string().nullable(),
  accepted_at: z.string().nullable(),
  declined_at: z.string().nullable(),
  decision_note: z.string().nullable(),
  can_decide: z.boolean().describe('Whether accept and decline are open'),
});

export const convertedSchema = z.object({
  quote: quoteSchema,
  invoice_id: z.uuid(),
});
