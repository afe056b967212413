import { BANK_STATEMENT_FORMATS, BANK_TRANSACTION_STATUSES } from '@invoiceflow/db/schema';
import { z } from 'zod';
import { moneySchema } from '../../lib/decimal-input';
import { optionalTextSchema } from '../../lib/schemas';

const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. EUR');

export const bankAccountCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  iban: z
    .string()
    .transform((v) => v.replace(/\s/g, '').toUpperCase())
    .pipe(z.string().regex(/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/, 'An IBAN, e.g. NL91ABNA0417164300'))
    .nullish(),
  currency: currencySchema,
});

export const bankAccountSchema = z.object({
  id: z.string(),
  name: z.string(),
  iban: z.string().nullable(),
  currency: z.string(),
  created_at: z.string(),
});

const column = z.number().int().min(0).max(200);
export const csvMappingSchema = z.strictObject({
  columns: z.strictObject({
    booking_date: column,
    value_date: column.optional(),
    amount: column.optional(),
    credit: column.optional(),
    debit: column.optional(),
    currency: column.optional(),
    description: column.optional(),
    counterparty_name: column.optional(),
    counterparty_iban: column.optional(),
    reference: column.optional(),
    bank_reference: column.optional(),
  }),
  date_format: z.enum(['YYYY-MM-DD', 'DD-MM-YYYY', 'DD/MM/YYYY', 'MM/DD/YYYY', 'DD.MM.YYYY', 'YYYYMMDD']),
  decimal_separator: z.enum(['.', ',']),
  delimiter: z.enum([',', ';', '\t']).default(','),
  currency: currencySchema.optional(),
  skip_rows: z.number().int().min(0).max(20).default(1),
});

/** The file's text in `content`: CAMT.053 XML, MT940, or CSV with its column mapping (else the one saved). */
export const statementImportSchema = z.strictObject({
  format: z.enum(BANK_STATEMENT_FORMATS),
  content: z.string().min(1),
  filename: optionalTextSchema(255),
  mapping: csvMappingSchema.optional(),
});

const suggestionSchema = z.object({
  items: z.array(z.object({ invoice_id: z.string(), invoice_number: z.string(), amount: moneySchema })),
  confidence: z.number().int(),
  reasons: z.array(z.object({ code: z.string(), message: z.string() })),
});

export const bankTransactionSchema = z.object({
  id: z.string(),
  bank_account_id: z.string(),
  booking_date: z.string(),
  value_date: z.string().nullable(),
  amount: moneySchema.describe('Signed: money in is positive'),
  currency: z.string(),
  reference: z.string().nullable(),
  remittance: z.string().nullable(),
  counterparty_name: z.string().nullable(),
  counterparty_iban: z.string().nullable(),
  bank_reference: z.string().nullable(),
  status: z.enum(BANK_TRANSACTION_STATUSES),
  matched_amount: moneySchema,
  suggestions: z.array(suggestionSchema),
});

export const statementImportResultSchema = z.object({
  id: z.string(),
  format: z.enum(BANK_STATEMENT_FORMATS),
  statement_ids: z.array(z.string()),
  transaction_count: z.number().int(),
  new_count: z.number().int(),
  duplicate_count: z.number().int(),
  matched_count: z.number().int().describe('New transactions matched to an invoice without asking'),
});

export const bankTransactionListQuerySchema = z.strictObject({
  status: z.enum(BANK_TRANSACTION_STATUSES).optional(),
  bank_account_id: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const matchSchema = z.strictObject({
  allocations: z
    .array(
      z.strictObject({ invoice_id: z.uuid(), amount: z.string().regex(/^\d+(\.\d+)?$/, 'A decimal amount') }),
    )
    .min(1)
    .max(100),
});
