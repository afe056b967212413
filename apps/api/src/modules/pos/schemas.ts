import { SERIES_CODE_PATTERN } from '@invoiceflow/jurisdictions';
import { z } from 'zod';
import { decimalSchema } from '../../lib/decimal-input';
import { paginationQuerySchema } from '../../lib/pagination';

const tillIdField = z
  .uuid()
  .optional()
  .describe("The till; by default the company's default till (made on first use)");

/** A count of one denomination, as the till counts it. */
export const denominationCountSchema = z.strictObject({
  value: decimalSchema.describe('Face value in the company currency (500, "0.50")'),
  count: z.number().int().min(0).max(1_000_000),
});
export type DenominationCountInput = z.output<typeof denominationCountSchema>;

export const tillQuerySchema = z.strictObject({ till_id: tillIdField });

export const denominationCreateSchema = z.strictObject({
  value: decimalSchema.describe('Face value of the note or coin in the company currency'),
  available_count: z.number().int().min(0).max(1_000_000),
  till_id: tillIdField,
});
export type DenominationCreate = z.output<typeof denominationCreateSchema>;

export const denominationUpdateSchema = z.strictObject({
  available_count: z.number().int().min(0).max(1_000_000),
  till_id: tillIdField,
});

export const denominationParamSchema = z.strictObject({
  value: z
    .string()
    .max(40)
    .regex(/^\d{1,12}(\.\d{1,4})?$/, 'A face value such as 500 or 0.50.'),
});

export const denominationSchema = z.object({
  value: z.string(),
  available_count: z.number().int(),
});

export const drawerSchema = z.object({
  till_id: z.uuid(),
  currency: z.string(),
  total: z.string().describe('What the drawer holds: the sum of value × count'),
  denominations: z.array(denominationSchema),
});

export const tillCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  egs_unit_id: z
    .uuid()
    .nullish()
    .describe(
      "Saudi companies: the till's own EGS unit (its own ICV/PIH chain); by default the company's default unit",
    ),
  is_default: z.boolean().optional(),
  series_code: z
    .string()
    .regex(new RegExp(`^${SERIES_CODE_PATTERN}$`), 'A letter, then up to seven capital letters or digits')
    .nullish()
    .describe(
      "The till's own number series: its sales are INV-2026-{code}-000001 and its returns CRN-2026-{code}-…, so " +
        "tills never wait for each other's numbers; by default the company's series",
    ),
});

export const tillSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  egs_unit_id: z.uuid().nullable(),
  is_default: z.boolean(),
  series_code: z.string().nullable(),
  created_at: z.string(),
});

export const tillListSchema = z.object({ tills: z.array(tillSchema) });

export const saleItemSchema = z.strictObject({
  product_id: z.uuid(),
  quantity: decimalSchema,
});

/**
 * A sale at a till. The customer is found or created by e-mail; prices, names and VAT come from the catalogue and
 * are kept on the sale's invoice as sold. `tendered`: the notes and coins handed over, when the till counts them
 * (they go into the drawer and may come back as change); they add up to paid_amount.
 */
export const saleCreateSchema = z.strictObject({
  customer_email: z.email().max(254).optional(),
  customer_name: z.string().trim().min(1).max(300).optional(),
  items: z.array(saleItemSchema).min(1).max(500),
  paid_amount: decimalSchema.describe('Cash handed over, in the company currency'),
  tendered: z.array(denominationCountSchema).max(50).optional(),
  till_id: tillIdField,
});
export type SaleInput = z.output<typeof saleCreateSchema>;

const saleLineSchema = z.object({
  product_id: z.uuid().nullable(),
  name: z.string().nullable(),
  name_ar: z.string().nullable(),
  quantity: z.string(),
  unit_price: z.string(),
  tax_percent: z.string(),
  vat_category: z.string(),
  net_amount: z.string(),
  tax_amount: z.string(),
  total: z.string(),
});

export const saleSchema = z.object({
  id: z.uuid(),
  invoice_id: z.uuid(),
  invoice_number: z.string(),
  invoice_subtype: z.string(),
  till_id: z.uuid(),
  session_id: z.uuid().nullable(),
  customer_id: z.uuid().nullable(),
  customer_email: z.string().nullable(),
  currency: z.string(),
  items: z.array(saleLineSchema),
  subtotal: z.string(),
  tax_amount: z.string(),
  total_amount: z.string(),
  paid_amount: z.string(),
  change_amount: z.string(),
  change: z.array(z.object({ value: z.string(), count: z.number().int() })).describe('Largest first'),
  tendered: z.array(z.object({ value: z.string(), count: z.number().int() })).nullable(),
  qr_code_data: z.string().nullable().describe('Saudi companies: the QR of the signed simplified invoice'),
  created_at: z.string(),
});

export const saleListQuerySchema = z.strictObject({ ...paginationQuerySchema, till_id: z.uuid().optional() });

export const saleListSchema = z.object({
  page: z.number().int(),
  page_size: z.number().int(),
  purchases: z.array(saleSchema),
});

export const sessionOpenSchema = z.strictObject({
  counts: z.array(denominationCountSchema).max(50).describe('The float, counted by denomination'),
});

export const cashMovementCreateSchema = z.strictObject({
  kind: z.enum(['cash_in', 'cash_out']),
  counts: z.array(denominationCountSchema).min(1).max(50).describe('The pieces put in or taken out'),
  reason: z.string().trim().max(500).optional(),
});

export const sessionCloseSchema = z.strictObject({
  counts: z.array(denominationCountSchema).max(50).describe('The drawer counted at the close'),
});

const countsSchema = z.array(z.object({ value: z.string(), count: z.number().int() }));

export const sessionReportSchema = z.object({
  id: z.uuid(),
  report: z.enum(['X', 'Z']).describe('X: the open shift so far; Z: the closed shift'),
  till_id: z.uuid(),
  status: z.string(),
  currency: z.string(),
  opened_at: z.string(),
  closed_at: z.string().nullable(),
  opening_float: z.string(),
  opening_counts: countsSchema,
  sales_count: z.number().int(),
  sales_total: z.string(),
  cash_received: z.string(),
  change_given: z.string(),
  cash_in: z.string(),
  cash_out: z.string(),
  expected_cash: z
    .string()
    .describe('float + cash received − change given + cash in − cash out (change is part of a sale)'),
  counted_cash: z.string().nullable(),
  difference: z.string().nullable().describe('counted − expected: negative when cash is missing'),
  closing_counts: countsSchema.nullable(),
});

export const cashMovementSchema = z.object({
  id: z.uuid(),
  session_id: z.uuid(),
  kind: z.string(),
  amount: z.string(),
  counts: countsSchema,
  reason: z.string().nullable(),
  created_at: z.string(),
});

export const returnCreateSchema = z.strictObject({
  items: z.array(saleItemSchema).min(1).max(500),
  reason: z.string().trim().min(1).max(1000).optional(),
});

export const returnSchema = z.object({
  sale_id: z.uuid(),
  credit_note_id: z.uuid(),
  credit_note_number: z.string(),
  currency: z.string(),
  refund_amount: z.string(),
  refund: z
    .array(z.object({ value: z.string(), count: z.number().int() }))
    .describe('Paid out, largest first'),
  qr_code_data: z.string().nullable(),
});

export const slipQuerySchema = z.strictObject({
  lang: z
    .enum(['ar', 'en', 'both'])
    .optional()
    .describe("Arabic, English or both; by default the seller's (both for Saudi and UAE sellers)"),
  disposition: z
    .enum(['inline', 'attachment'])
    .default('inline')
    .describe('inline: open it to print (default); attachment: download it'),
});

export const returnParamSchema = z.strictObject({ id: z.uuid(), credit_note_id: z.uuid() });
