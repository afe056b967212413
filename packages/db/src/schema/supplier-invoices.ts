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
import { vendors } from './payables';
import { PAYMENT_METHODS } from './payments';
import { purchaseOrderLines } from './purchasing';

/** received → approved | disputed; disputed → approved. Only an approved invoice is a bill to pay. */
export const SUPPLIER_INVOICE_STATUSES = ['received', 'approved', 'disputed'] as const;
export type SupplierInvoiceStatus = (typeof SUPPLIER_INVOICE_STATUSES)[number];

/** The three-way match's verdict on the document (packages/matching). */
export const MATCH_STATUSES = ['full_match', 'variance_detected', 'partial_match', 'not_matched'] as const;
export type SupplierMatchStatus = (typeof MATCH_STATUSES)[number];

/**
 * An invoice or credit note a supplier sent the company: typed in, or read from its UBL XML (whose bytes are kept
 * as they arrived, in the file storage). The vendor is the one whose VAT number the document names; without one it
 * stays null until matched again. One supplier's number is stored once: by vendor, by tax number, and — with neither
 * — by the supplier's name (three partial unique indexes, so two uploads at once cannot both land).
 */
export const supplierInvoices = pgTable(
  'supplier_invoices',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    vendorId: uuid('vendor_id').references(() => vendors.id),
    supplierTaxNumber: text('supplier_tax_number'),
    supplierName: text('supplier_name'),
    number: text('number').notNull(),
    kind: text('kind', { enum: ['invoice', 'credit_note', 'debit_note'] })
      .notNull()
      .default('invoice'),
    /** manual: typed in; upload: a user sent its XML; peppol: received from the company's access point. */
    source: text('source', { enum: ['manual', 'upload', 'peppol'] }).notNull(),
    /** zatca | pint-ae | peppol-bis-3 | ubl for an upload; null when typed in. */
    format: text('format'),
    issueDate: date('issue_date').notNull(),
    dueDate: date('due_date'),
    currency: text('currency').notNull(),
    /** Purchase order numbers the document names (BT-13 and the lines' own). */
    orderReferences: jsonb('order_references').$type<string[]>().notNull().default([]),
    subtotal: numeric('subtotal').notNull(),
    vatAmount: numeric('vat_amount').notNull(),
    totalAmount: numeric('total_amount').notNull(),
    /** What is due: the total less what was prepaid, plus rounding (BT-115). */
    payableAmount: numeric('payable_amount').notNull(),
    /** Sum of the allocations of supplier payments: rewritten in the transaction of every allocation. */
    paidAmount: numeric('paid_amount').notNull().default('0'),
    status: text('status', { enum: SUPPLIER_INVOICE_STATUSES }).notNull().default('received'),
    matchStatus: text('match_status', { enum: MATCH_STATUSES }),
    /** The matcher's whole result (per line, with reasons), as of matchedAt. */
    match: jsonb('match').$type<Record<string, unknown>>(),
    matchedAt: timestamp('matched_at', { withTimezone: true }),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    approvedBy: uuid('approved_by').references(() => users.id, { onDelete: 'set null' }),
    /** Why an invoice whose match has exceptions was approved all the same. */
    overrideReason: text('override_reason'),
    disputedAt: timestamp('disputed_at', { withTimezone: true }),
    disputeReason: text('dispute_reason'),
    // The uploaded original, byte for byte.
    fileName: text('file_name'),
    contentType: text('content_type'),
    byteSize: integer('byte_size'),
    sha256: text('sha256'),
    storage: text('storage'),
    storageKey: text('storage_key'),
    notes: text('notes'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('supplier_invoices_vendor_number_key')
      .on(t.companyId, t.vendorId, t.number)
      .where(sql`${t.vendorId} IS NOT NULL`),
    uniqueIndex('supplier_invoices_tax_number_key')
      .on(t.companyId, t.supplierTaxNumber, t.number)
      .where(sql`${t.supplierTaxNumber} IS NOT NULL`),
    uniqueIndex('supplier_invoices_name_number_key')
      .on(t.companyId, t.supplierName, t.number)
      .where(sql`${t.vendorId} IS NULL AND ${t.supplierTaxNumber} IS NULL`),
    index('supplier_invoices_company_created_idx').on(t.companyId, t.createdAt),
    index('supplier_invoices_company_status_idx').on(t.companyId, t.status, t.dueDate),
    index('supplier_invoices_company_match_idx').on(t.companyId, t.matchStatus),
    check('supplier_invoices_paid_not_negative', sql`${t.paidAmount} >= 0`),
  ],
);

/** A line as the supplier billed it; the order line it was matched to is set when the invoice is approved. */
export const supplierInvoiceLines = pgTable(
  'supplier_invoice_lines',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    supplierInvoiceId: uuid('supplier_invoice_id')
      .notNull()
      .references(() => supplierInvoices.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    description: text('description').notNull(),
    quantity: numeric('quantity').notNull(),
    unitCode: text('unit_code'),
    unitPrice: numeric('unit_price').notNull(),
    vatRate: numeric('vat_rate'),
    netAmount: numeric('net_amount').notNull(),
    itemCode: text('item_code'),
    orderNumber: text('order_number'),
    orderLineRef: text('order_line_ref'),
    purchaseOrderLineId: uuid('purchase_order_line_id').references(() => purchaseOrderLines.id, {
      onDelete: 'set null',
    }),
  },
  (t) => [
    uniqueIndex('supplier_invoice_lines_position_key').on(t.supplierInvoiceId, t.position),
    index('supplier_invoice_lines_company_idx').on(t.companyId, t.supplierInvoiceId),
  ],
);

/** Money paid to a supplier; what it pays lives in supplier_payment_allocations. */
export const supplierPayments = pgTable(
  'supplier_payments',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    vendorId: uuid('vendor_id').references(() => vendors.id),
    amount: numeric('amount').notNull(),
    currency: text('currency').notNull(),
    paymentDate: date('payment_date').notNull(),
    method: text('method', { enum: PAYMENT_METHODS }).notNull(),
    reference: text('reference'),
    notes: text('notes'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    check('supplier_payments_amount_positive', sql`${t.amount} > 0`),
    index('supplier_payments_company_date_idx').on(t.companyId, t.paymentDate.desc(), t.id.desc()),
  ],
);

/** The part of a supplier payment that pays one bill (an approved supplier invoice). */
export const supplierPaymentAllocations = pgTable(
  'supplier_payment_allocations',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    supplierPaymentId: uuid('supplier_payment_id')
      .notNull()
      .references(() => supplierPayments.id, { onDelete: 'cascade' }),
    supplierInvoiceId: uuid('supplier_invoice_id')
      .notNull()
      .references(() => supplierInvoices.id),
    amount: numeric('amount').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check('supplier_payment_allocations_amount_positive', sql`${t.amount} > 0`),
    uniqueIndex('supplier_payment_allocations_payment_invoice_key').on(
      t.supplierPaymentId,
      t.supplierInvoiceId,
    ),
    index('supplier_payment_allocations_invoice_idx').on(t.supplierInvoiceId),
  ],
);
