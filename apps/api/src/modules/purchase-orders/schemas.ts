import { PURCHASE_ORDER_STATUSES } from '@invoiceflow/db/schema';
import { z } from 'zod';
import { businessDateSchema } from '../../lib/business-dates';
import { decimalSchema, moneySchema } from '../../lib/decimal-input';
import { paginationQuerySchema } from '../../lib/pagination';

const positive = decimalSchema.refine((v) => !v.startsWith('-') && /[1-9]/.test(v), {
  message: 'A quantity is more than zero.',
  params: { code: 'NOT_POSITIVE' },
});

/**
 * An ordered line: a catalogue product (its name, unit and VAT fill what the line leaves out) or free text. The
 * unit price is what the vendor charges; without one, the product's price is taken.
 */
export const orderLineInputSchema = z.strictObject({
  product_id: z.uuid().optional(),
  description: z.string().trim().min(1).max(1000).optional(),
  description_ar: z.string().trim().min(1).max(1000).optional(),
  quantity: positive,
  unit_code: z.string().trim().min(1).max(3).optional(),
  unit_price: decimalSchema.optional(),
  vat_category: z.string().trim().min(1).max(3).optional(),
  vat_rate: decimalSchema.optional(),
  exemption_reason_code: z.string().trim().max(50).optional(),
  exemption_reason: z.string().trim().max(1000).optional(),
});

const orderFields = {
  vendor_id: z.uuid().describe('The vendor the order is placed with (and mailed to)'),
  issue_date: businessDateSchema.optional().describe('The order date; by default today, company time'),
  expected_date: businessDateSchema.nullable().optional().describe('When the goods are expected'),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional()
    .describe('ISO 4217; by default the vendor’s, else the company’s'),
  notes: z.string().trim().max(4000).nullable().optional(),
  lines: z.array(orderLineInputSchema).min(1).max(1000).optional(),
  line_items: z.array(orderLineInputSchema).min(1).max(1000).optional().describe('Another name for lines'),
};

export const purchaseOrderBodySchema = z.strictObject(orderFields);
export type PurchaseOrderBody = z.output<typeof purchaseOrderBodySchema>;

/** PATCH of a draft: the fields sent replace the order's (lines as a whole). */
export const purchaseOrderPatchSchema = z.strictObject({
  ...orderFields,
  vendor_id: orderFields.vendor_id.optional(),
});
export type PurchaseOrderPatch = z.output<typeof purchaseOrderPatchSchema>;

const orderLineSchema = z.object({
  id: z.uuid(),
  position: z.number().int(),
  product_id: z.uuid().nullable(),
  description: z.string().nullable(),
  description_ar: z.string().nullable(),
  quantity: z.string(),
  unit_code: z.string(),
  unit_price: moneySchema,
  vat_category: z.string(),
  vat_rate: z.string(),
  net_amount: moneySchema,
  vat_amount: moneySchema,
  amount_with_vat: moneySchema,
  received_quantity: z.string(),
  billed_quantity: z.string().describe('Billed by approved supplier invoices'),
});

export const purchaseOrderSchema = z.object({
  id: z.uuid(),
  number: z.string(),
  po_number: z.string().describe('The same as number'),
  status: z.enum(PURCHASE_ORDER_STATUSES),
  vendor_id: z.uuid(),
  vendor_name: z.string(),
  supplier_trn: z.string().nullable().describe('The vendor’s VAT number/TRN'),
  issue_date: z.string(),
  expected_date: z.string().nullable(),
  currency: z.string(),
  notes: z.string().nullable(),
  subtotal: moneySchema,
  vat_amount: moneySchema,
  total_amount: moneySchema,
  expected_total: moneySchema.describe('The same as total_amount'),
  lines: z.array(orderLineSchema),
  sent_at: z.string().nullable(),
  closed_at: z.string().nullable(),
  cancelled_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const purchaseOrderListQuerySchema = z.strictObject({
  ...paginationQuerySchema,
  status: z.enum(PURCHASE_ORDER_STATUSES).optional(),
  vendor_id: z.uuid().optional(),
});

export const purchaseOrderListSchema = z.object({
  total: z.number().int(),
  page: z.number().int(),
  page_size: z.number().int(),
  purchase_orders: z.array(purchaseOrderSchema),
});

export const purchaseOrderSendBodySchema = z
  .strictObject({
    to: z.email().max(320).optional().describe('By default the vendor’s address'),
    message: z.string().trim().max(2000).optional(),
  })
  .default({});

export const purchaseOrderSentSchema = z.object({
  purchase_order: purchaseOrderSchema,
  to: z.string(),
  mail_status: z.literal('queued'),
});

// ------------------------------------------------------------------------------------------ goods receipts

export const receiptLineInputSchema = z.strictObject({
  purchase_order_line_id: z.uuid().optional(),
  po_line_id: z.uuid().optional().describe('Another name for purchase_order_line_id'),
  quantity: positive,
});

const receiptFields = {
  received_date: businessDateSchema.optional().describe('By default today, company time'),
  notes: z.string().trim().max(4000).nullable().optional(),
  lines: z.array(receiptLineInputSchema).min(1).max(1000),
};

/** POST /purchase-orders/{id}/receipts: the order is in the path. */
export const receiptBodySchema = z.strictObject(receiptFields);
export type ReceiptBody = z.output<typeof receiptBodySchema>;

/** POST /goods-receipts: the order is named in the body (`purchase_order_id`, or `po_id`). */
export const goodsReceiptBodySchema = z.strictObject({
  ...receiptFields,
  purchase_order_id: z.uuid().optional(),
  po_id: z.uuid().optional().describe('Another name for purchase_order_id'),
});

const receiptLineSchema = z.object({
  id: z.uuid(),
  purchase_order_line_id: z.uuid(),
  product_id: z.uuid().nullable(),
  description: z.string().nullable(),
  quantity: z.string(),
  stock_balance: z
    .string()
    .nullable()
    .describe('The product’s stock after this receipt; null when not stocked'),
});

export const goodsReceiptSchema = z.object({
  id: z.uuid(),
  number: z.string(),
  grn_number: z.string().describe('The same as number'),
  purchase_order_id: z.uuid(),
  po_id: z.uuid().describe('The same as purchase_order_id'),
  po_number: z.string(),
  received_date: z.string(),
  notes: z.string().nullable(),
  lines: z.array(receiptLineSchema),
  created_at: z.string(),
});

export const goodsReceiptCreatedSchema = goodsReceiptSchema.extend({
  purchase_order: purchaseOrderSchema,
});

export const goodsReceiptListQuerySchema = z.strictObject({
  ...paginationQuerySchema,
  purchase_order_id: z.uuid().optional(),
  po_id: z.uuid().optional(),
});

export const goodsReceiptListSchema = z.object({
  total: z.number().int(),
  page: z.number().int(),
  page_size: z.number().int(),
  goods_receipts: z.array(goodsReceiptSchema),
});
