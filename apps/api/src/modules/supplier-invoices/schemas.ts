import { MATCH_STATUSES, PAYMENT_METHODS, SUPPLIER_INVOICE_STATUSES } from '@invoiceflow/db/schema';
import { z } from 'zod';
import { businessDateSchema } from '../../lib/business-dates';
import { decimalSchema, moneySchema } from '../../lib/decimal-input';
import { paginationQuerySchema } from '../../lib/pagination';

const positive = decimalSchema.refine((v) => !v.startsWith('-') && /[1-9]/.test(v), {
  message: 'A quantity is more than zero.',
  params: { code: 'NOT_POSITIVE' },
});
const notNegative = decimalSchema.refine((v) => !v.startsWith('-'), {
  message: 'Zero or more.',
  params: { code: 'NEGATIVE' },
});
const reference = z.string().trim().min(1).max(100);

/** A line as the supplier billed it: net unit price, VAT rate, and the order (line) it bills when known. */
export const supplierInvoiceLineInputSchema = z.strictObject({
  description: z.string().trim().min(1).max(1000),
  quantity: positive,
  unit_code: z.string().trim().min(1).max(3).optional(),
  unit_price: notNegative,
  vat_rate: notNegative.optional(),
  item_code: z.string().trim().min(1).max(100).optional(),
  order_reference: reference.optional().describe('The purchase order number this line bills'),
  po_number: reference.optional().describe('Another name for order_reference'),
  order_line_ref: z.string().trim().min(1).max(100).optional().describe('The order line (its position)'),
});

/** A supplier invoice typed in from paper or a PDF. */
export const supplierInvoiceBodySchema = z.strictObject({
  vendor_id: z.uuid().optional().describe('The vendor; or name it by supplier_trn'),
  supplier_trn: z.string().trim().min(1).max(50).optional().describe('The supplier’s VAT number/TRN'),
  number: z.string().trim().min(1).max(100).optional(),
  invoice_number: z.string().trim().min(1).max(100).optional().describe('Another name for number'),
  kind: z.enum(['invoice', 'credit_note']).default('invoice'),
  issue_date: businessDateSchema,
  due_date: businessDateSchema.nullable().optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional()
    .describe('ISO 4217; by default the vendor’s, else the company’s'),
  order_references: z.array(reference).max(50).optional().describe('Purchase order numbers it bills'),
  po_number: reference.optional().describe('One purchase order number (added to order_references)'),
  notes: z.string().trim().max(4000).nullable().optional(),
  lines: z.array(supplierInvoiceLineInputSchema).min(1).max(1000).optional(),
  line_items: z.array(supplierInvoiceLineInputSchema).min(1).max(1000).optional(),
});
export type SupplierInvoiceBody = z.output<typeof supplierInvoiceBodySchema>;

export const uploadQuerySchema = z.strictObject({
  file_name: z.string().trim().min(1).max(200).optional(),
});

export const supplierInvoiceListQuerySchema = z.strictObject({
  ...paginationQuerySchema,
  status: z.enum(SUPPLIER_INVOICE_STATUSES).optional(),
  vendor_id: z.uuid().optional(),
  match_status: z.enum(MATCH_STATUSES).optional(),
  matching_status: z.enum(MATCH_STATUSES).optional().describe('Another name for match_status'),
});

const reasonSchema = z.object({ code: z.string(), message: z.string(), exception: z.boolean() });

export const matchSchema = z.object({
  status: z.enum(MATCH_STATUSES),
  approvable: z.boolean(),
  matched_at: z.string(),
  currency: z.string(),
  net_total: moneySchema,
  expected_total: moneySchema,
  difference: moneySchema,
  variance: moneySchema,
  variance_percent: z.string().nullable(),
  orders: z.array(z.object({ id: z.uuid(), number: z.string() })),
  reasons: z.array(reasonSchema),
  lines: z.array(
    z.object({
      index: z.number().int(),
      purchase_order_id: z.uuid().nullable(),
      po_number: z.string().nullable(),
      purchase_order_line_id: z.uuid().nullable(),
      order_line_position: z.number().int().nullable(),
      billed_quantity: z.string(),
      billed_unit_price: z.string(),
      amount: moneySchema,
      ordered_quantity: z.string().nullable(),
      ordered_unit_price: z.string().nullable(),
      available_quantity: z.string().nullable(),
      expected_amount: moneySchema,
      price_variance: moneySchema,
      price_variance_percent: z.string().nullable(),
      quantity_variance: z.string(),
      quantity_variance_amount: moneySchema,
      quantity_variance_percent: z.string().nullable(),
      reasons: z.array(reasonSchema),
    }),
  ),
});

export const supplierInvoiceSchema = z.object({
  id: z.uuid(),
  number: z.string(),
  invoice_number: z.string(),
  kind: z.enum(['invoice', 'credit_note', 'debit_note']),
  source: z.enum(['manual', 'upload', 'peppol']),
  format: z.string().nullable(),
  status: z.enum(SUPPLIER_INVOICE_STATUSES),
  vendor_id: z.uuid().nullable(),
  vendor_name: z.string().nullable(),
  supplier_name: z.string().nullable(),
  supplier_trn: z.string().nullable(),
  issue_date: z.string(),
  due_date: z.string().nullable(),
  currency: z.string(),
  order_references: z.array(z.string()),
  po_id: z.uuid().nullable().describe('The first purchase order it was matched to'),
  subtotal: moneySchema,
  vat_amount: moneySchema,
  total_amount: moneySchema,
  payable_amount: moneySchema,
  paid_amount: moneySchema,
  open_amount: moneySchema,
  match_status: z.enum(MATCH_STATUSES).nullable(),
  matching_status: z.enum(MATCH_STATUSES).nullable().describe('The same as match_status'),
  approved_at: z.string().nullable(),
  override_reason: z.string().nullable(),
  disputed_at: z.string().nullable(),
  dispute_reason: z.string().nullable(),
  original: z
    .object({ file_name: z.string(), content_type: z.string(), byte_size: z.number(), sha256: z.string() })
    .nullable(),
  notes: z.string().nullable(),
  lines: z.array(
    z.object({
      id: z.uuid(),
      position: z.number().int(),
      description: z.string(),
      quantity: z.string(),
      unit_code: z.string().nullable(),
      unit_price: z.string(),
      vat_rate: z.string().nullable(),
      net_amount: moneySchema,
      item_code: z.string().nullable(),
      order_reference: z.string().nullable(),
      order_line_ref: z.string().nullable(),
      purchase_order_line_id: z.uuid().nullable(),
    }),
  ),
  created_at: z.string(),
  updated_at: z.string(),
});

export const supplierInvoiceListSchema = z.object({
  total: z.number().int(),
  page: z.number().int(),
  page_size: z.number().int(),
  supplier_invoices: z.array(supplierInvoiceSchema),
});

export const approveBodySchema = z.strictObject({
  override_reason: z.string().trim().min(3).max(2000).optional(),
  reason: z.string().trim().min(3).max(2000).optional().describe('Another name for override_reason'),
});
export const disputeBodySchema = z.strictObject({ reason: z.string().trim().min(3).max(2000) });

// Bills to pay and supplier payments.

export const billListQuerySchema = z.strictObject({
  ...paginationQuerySchema,
  vendor_id: z.uuid().optional(),
  state: z.enum(['open', 'paid', 'all']).default('open'),
});

export const billSchema = z.object({
  supplier_invoice_id: z.uuid(),
  number: z.string(),
  vendor_id: z.uuid().nullable(),
  vendor_name: z.string().nullable(),
  issue_date: z.string(),
  due_date: z.string().nullable(),
  currency: z.string(),
  payable_amount: moneySchema,
  paid_amount: moneySchema,
  open_amount: moneySchema,
  payment_status: z.enum(['unpaid', 'partially_paid', 'paid']),
});

export const billListSchema = z.object({
  total: z.number().int(),
  page: z.number().int(),
  page_size: z.number().int(),
  bills: z.array(billSchema),
});

export const supplierPaymentBodySchema = z.strictObject({
  vendor_id: z.uuid().optional(),
  amount: positive,
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  payment_date: businessDateSchema,
  method: z.enum(PAYMENT_METHODS),
  reference: z.string().trim().min(1).max(200).optional(),
  notes: z.string().trim().max(4000).optional(),
  allocations: z
    .array(z.strictObject({ supplier_invoice_id: z.uuid(), amount: positive }))
    .min(1)
    .max(200),
});
export type SupplierPaymentBody = z.output<typeof supplierPaymentBodySchema>;

export const supplierPaymentSchema = z.object({
  id: z.uuid(),
  vendor_id: z.uuid().nullable(),
  amount: moneySchema,
  currency: z.string(),
  payment_date: z.string(),
  method: z.enum(PAYMENT_METHODS),
  reference: z.string().nullable(),
  notes: z.string().nullable(),
  allocated_amount: moneySchema,
  allocations: z.array(z.object({ supplier_invoice_id: z.uuid(), number: z.string(), amount: moneySchema })),
  created_at: z.string(),
});

export const supplierPaymentListSchema = z.object({
  total: z.number().int(),
  page: z.number().int(),
  page_size: z.number().int(),
  supplier_payments: z.array(supplierPaymentSchema),
});

export const agingQuerySchema = z.strictObject({
  as_of: businessDateSchema.optional().describe('The day the ages are counted to; today, company time'),
});

const bucketsSchema = z.object({
  current: moneySchema,
  days_1_30: moneySchema,
  days_31_60: moneySchema,
  days_61_90: moneySchema,
  days_90_plus: moneySchema,
  total: moneySchema,
});

export const agingSchema = z.object({
  as_of: z.string(),
  currencies: z.array(bucketsSchema.extend({ currency: z.string(), bills: z.number().int() })),
});
