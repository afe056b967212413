import { z } from 'zod';
import { businessDateSchema } from '../../lib/business-dates';
import { decimalSchema, moneySchema } from '../../lib/decimal-input';
import { paginationQuerySchema } from '../../lib/pagination';
import { optionalTextSchema } from '../../lib/schemas';

const booleanQuery = z
  .enum(['true', 'false'])
  .transform((value) => value === 'true')
  .optional();

export const timeEntryCreateSchema = z.strictObject({
  customer_id: z.uuid(),
  project: optionalTextSchema(200),
  entry_date: businessDateSchema,
  hours: decimalSchema.describe('Decimal hours, e.g. "1.5" (at most 2 decimals, above 0, up to 24)'),
  hourly_rate: decimalSchema.describe('Price of one hour in the company’s currency'),
  is_billable: z.boolean().default(true),
  description: optionalTextSchema(2000),
});
export type TimeEntryCreateInput = z.output<typeof timeEntryCreateSchema>;

export const timeEntryUpdateSchema = timeEntryCreateSchema
  .partial()
  .refine((body) => Object.keys(body).length > 0, { message: 'Nothing to change.' });
export type TimeEntryUpdateInput = z.output<typeof timeEntryUpdateSchema>;

export const timeEntryListQuerySchema = z.strictObject({
  customer_id: z.uuid().optional(),
  project: z.string().trim().max(200).optional(),
  from_date: z.iso.date().optional(),
  to_date: z.iso.date().optional(),
  is_billable: booleanQuery,
  is_invoiced: booleanQuery.describe('false: the unbilled entries'),
  ...paginationQuerySchema,
});
export type TimeEntryListQuery = z.output<typeof timeEntryListQuerySchema>;

export const invoiceTimeBodySchema = z.strictObject({
  customer_id: z.uuid(),
  time_entry_ids: z
    .array(z.uuid())
    .min(1)
    .max(500)
    .optional()
    .describe('Which entries; by default every unbilled billable entry of the customer'),
  vat_rate: decimalSchema.optional().describe('The VAT rate of the lines; left for the editor when absent'),
  vat_category: z.string().trim().min(1).max(3).optional(),
  invoice_date: businessDateSchema.optional(),
  due_date: businessDateSchema.optional(),
  notes: optionalTextSchema(2000),
});
export type InvoiceTimeBody = z.output<typeof invoiceTimeBodySchema>;

export const timeEntrySchema = z.object({
  id: z.string(),
  customer_id: z.string(),
  project: z.string().nullable(),
  entry_date: z.string(),
  hours: z.string(),
  hourly_rate: moneySchema,
  amount: moneySchema.describe('hours × hourly_rate, in the company’s currency'),
  currency: z.string(),
  is_billable: z.boolean(),
  description: z.string().nullable(),
  invoice_id: z.string().nullable().describe('The invoice this entry became a line of; locked once set'),
  invoice_number: z.string().nullable(),
  invoiced_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const timeEntryListSchema = z.object({
  total: z.number().int(),
  page: z.number().int(),
  page_size: z.number().int(),
  time_entries: z.array(timeEntrySchema),
});
