import type { TotalsResult } from '@invoiceflow/totals';
import { sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { createdAt, id, updatedAt } from './columns';
import { companies } from './companies';
import { products } from './invoicing';
import { vendors } from './payables';
import { stockMovements } from './pos';

/**
 * draft → sent → partially_received → received → closed; draft or sent → cancelled. Receipts move a sent order to
 * partially_received or received; closing ends an order that was (partly) received, nothing more comes.
 */
export const PURCHASE_ORDER_STATUSES = [
  'draft',
  'sent',
  'partially_received',
  'received',
  'closed',
  'cancelled',
] as const;
export type PurchaseOrderStatus = (typeof PURCHASE_ORDER_STATUSES)[number];

/** An order the company places with a vendor: numbered on its own series (PO-2026-0001), totals by the engine. */
export const purchaseOrders = pgTable(
  'purchase_orders',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    vendorId: uuid('vendor_id')
      .notNull()
      .references(() => vendors.id),
    number: text('number').notNull(),
    status: text('status', { enum: PURCHASE_ORDER_STATUSES }).notNull().default('draft'),
    issueDate: date('issue_date').notNull(),
    expectedDate: date('expected_date'),
    currency: text('currency').notNull(),
    notes: text('notes'),
    subtotal: numeric('subtotal').notNull(),
    vatAmount: numeric('vat_amount').notNull(),
    totalAmount: numeric('total_amount').notNull(),
    /** The engine's result for the lines as last saved: what the PDF prints (the columns are read from it). */
    totals: jsonb('totals').$type<TotalsResult>().notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('purchase_orders_company_number_idx').on(t.companyId, t.number),
    index('purchase_orders_company_created_idx').on(t.companyId, t.createdAt),
    index('purchase_orders_company_vendor_idx').on(t.companyId, t.vendorId),
    check(
      'purchase_orders_expected_after_issue',
      sql`${t.expectedDate} IS NULL OR ${t.expectedDate} >= ${t.issueDate}`,
    ),
  ],
);

/**
 * One ordered item: a catalogue product or free text, its amounts by the engine, and how much receipts took
 * (`received_quantity`, the sum of its goods_receipt_lines, moved under the line's row lock).
 */
export const purchaseOrderLines = pgTable(
  'purchase_order_lines',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    purchaseOrderId: uuid('purchase_order_id')
      .notNull()
      .references(() => purchaseOrders.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    productId: uuid('product_id').references(() => products.id, { onDelete: 'set null' }),
    description: text('description'),
    descriptionAr: text('description_ar'),
    quantity: numeric('quantity').notNull(),
    unitCode: text('unit_code').notNull(),
    unitPrice: numeric('unit_price').notNull(),
    vatCategory: text('vat_category').notNull(),
    vatRate: numeric('vat_rate').notNull(),
    netAmount: numeric('net_amount').notNull(),
    vatAmount: numeric('vat_amount').notNull(),
    amountWithVat: numeric('amount_with_vat').notNull(),
    receivedQuantity: numeric('received_quantity').notNull().default('0'),
    /** Billed by approved supplier invoices, moved under the line's row lock when one is approved. */
    billedQuantity: numeric('billed_quantity').notNull().default('0'),
  },
  (t) => [
    uniqueIndex('purchase_order_lines_position_idx').on(t.purchaseOrderId, t.position),
    index('purchase_order_lines_company_idx').on(t.companyId, t.purchaseOrderId),
    check('purchase_order_lines_quantity_positive', sql`${t.quantity} > 0`),
    check('purchase_order_lines_received_not_negative', sql`${t.receivedQuantity} >= 0`),
    check('purchase_order_lines_billed_not_negative', sql`${t.billedQuantity} >= 0`),
  ],
);

/** A goods receipt note: what arrived against one purchase order on one day (GRN-2026-0001). */
export const goodsReceipts = pgTable(
  'goods_receipts',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    purchaseOrderId: uuid('purchase_order_id')
      .notNull()
      .references(() => purchaseOrders.id),
    number: text('number').notNull(),
    receivedDate: date('received_date').notNull(),
    notes: text('notes'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('goods_receipts_company_number_idx').on(t.companyId, t.number),
    index('goods_receipts_company_order_idx').on(t.companyId, t.purchaseOrderId),
  ],
);

/** The quantity of one order line a receipt took, and the stock movement it made for a stocked product. */
export const goodsReceiptLines = pgTable(
  'goods_receipt_lines',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    goodsReceiptId: uuid('goods_receipt_id')
      .notNull()
      .references(() => goodsReceipts.id, { onDelete: 'cascade' }),
    purchaseOrderLineId: uuid('purchase_order_line_id')
      .notNull()
      .references(() => purchaseOrderLines.id),
    quantity: numeric('quantity').notNull(),
    stockMovementId: uuid('stock_movement_id').references(() => stockMovements.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('goods_receipt_lines_receipt_idx').on(t.goodsReceiptId),
    index('goods_receipt_lines_order_line_idx').on(t.purchaseOrderLineId),
    check('goods_receipt_lines_quantity_positive', sql`${t.quantity} > 0`),
  ],
);
