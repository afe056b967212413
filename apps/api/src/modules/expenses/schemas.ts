import { EXPENSE_STATUSES } from '@invoiceflow/db/schema';
import { VAT_CATEGORIES } from '@invoiceflow/totals';
import { z } from 'zod';
import { businessDateSchema } from '../../lib/business-dates';
import { decimalSchema, moneySchema } from '../../lib/decimal-input';
import { paginationQuerySchema } from '../../lib/pagination';
import { optionalTextSchema } from '../../lib/schemas';

const text = (max: number) => z.string().trim().min(1).max(max);
const cents = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. EUR');

const expenseFields = {
  expense_date: businessDateSchema,
  vendor: text(200),
  category: text(100).describe('The company’s own expense category, e.g. "travel", "software"'),
  description: optionalTextSchema(2000),
  amount: decimalSchema.optional().describe('What was paid, VAT included, in `currency`'),
  amount_cents: cents.optional().describe('The same in minor units; both only when they agree'),
  vat_rate: decimalSchema.describe('Percent, e.g. "21"'),
  vat_amount: decimalSchema
    .optional()
    .describe('The VAT inside the amount; computed from the rate (half-up) when left out'),
  vat_category: z.enum(VAT_CATEGORIES).default('S').describe('UNCL 5305 category of the VAT on the receipt'),
  is_vat_recoverable: z.boolean().default(true).describe('Whether the VAT may be deducted as input tax'),
  currency: currencySchema.optional().describe('Defaults to the company’s currency'),
  exchange_rate: decimalSchema
    .optional()
    .describe('Company-currency units for one unit of `currency`; required when the currencies differ'),
  status: z.enum(EXPENSE_STATUSES).default('booked'),
};

export const expenseCreateSchema = z.strictObject(expenseFields);
export type ExpenseCreateInput = z.output<typeof expenseCreateSchema>;

export const expenseUpdateSchema = z
  .strictObject({
    expense_date: expenseFields.expense_date.optional(),
    vendor: expenseFields.vendor.optional(),
    category: expenseFields.category.optional(),
    description: expenseFields.description,
    amount: expenseFields.amount,
    amount_cents: expenseFields.amount_cents,
    vat_rate: expenseFields.vat_rate.optional(),
    vat_amount: expenseFields.vat_amount,
    vat_category: z.enum(VAT_CATEGORIES).optional(),
    is_vat_recoverable: z.boolean().optional(),
    currency: currencySchema.optional(),
    exchange_rate: expenseFields.exchange_rate,
    status: z.enum(EXPENSE_STATUSES).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'Nothing to change.' });
export type ExpenseUpdateInput = z.output<typeof expenseUpdateSchema>;

export const expenseListQuerySchema = z.strictObject({
  from_date: z.iso.date().optional(),
  to_date: z.iso.date().optional(),
  status: z.enum(EXPENSE_STATUSES).optional(),
  category: z.string().trim().max(100).optional(),
  ...paginationQuerySchema,
});

export const receiptQuerySchema = z.strictObject({
  // Required, but checked after the expense is found: another company's id answers 404 whatever was sent.
  file_name: z.string().max(200).optional().describe('Required: the file’s own name, without any folder'),
});

export const receiptSchema = z.object({
  file_name: z.string(),
  content_type: z.string(),
  byte_size: z.number().int(),
  sha256: z.string(),
  uploaded_at: z.string(),
});

const centsOut = z.number().int().nullable();

export const expenseSchema = z.object({
  id: z.string(),
  expense_date: z.string(),
  vendor: z.string(),
  category: z.string(),
  description: z.string().nullable(),
  amount: moneySchema,
  amount_cents: centsOut,
  vat_amount: moneySchema,
  vat_amount_cents: centsOut,
  net_amount: moneySchema,
  vat_rate: z.string(),
  vat_category: z.string(),
  is_vat_recoverable: z.boolean(),
  currency: z.string(),
  exchange_rate: z.string(),
  company_currency: z.string(),
  amount_in_company_currency: moneySchema,
  vat_in_company_currency: moneySchema,
  status: z.enum(EXPENSE_STATUSES),
  receipt: receiptSchema.nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const expenseListSchema = z.object({
  total: z.number().int(),
  page: z.number().int(),
  page_size: z.number().int(),
  expenses: z.array(expenseSchema),
});
