import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { bankTransactions } from './banking';
import { createdAt, id, updatedAt } from './columns';
import { companies } from './companies';
import { customers, invoices } from './invoicing';

/** iDEAL: the Dutch bank payment most online payers use. */
export const PAYMENT_METHODS = ['bank_transfer', 'cash', 'card', 'ideal', 'other'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
/** pending → completed | failed | cancelled; completed → reversed. Only completed payments pay invoices. */
export const PAYMENT_STATUSES = ['pending', 'completed', 'failed', 'reversed', 'cancelled'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** Money received from a customer. What it pays lives in payment_allocations; the rest is customer credit. */
export const payments = pgTable(
  'payments',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    /** Null for a walk-in buyer: such a payment pays only invoices without a customer record. */
    customerId: uuid('customer_id').references(() => customers.id),
    amount: numeric('amount').notNull(),
    currency: text('currency').notNull(),
    paymentDate: date('payment_date').notNull(),
    method: text('method', { enum: PAYMENT_METHODS }).notNull(),
    reference: text('reference'),
    status: text('status', { enum: PAYMENT_STATUSES }).notNull().default('completed'),
    notes: text('notes'),
    /** The line of a bank statement this payment was received in (reconciliation). */
    bankTransactionId: uuid('bank_transaction_id').references(() => bankTransactions.id, {
      onDelete: 'set null',
    }),
    /** The gateway's id of the money movement (a Stripe PaymentIntent) when it came in online: one payment each. */
    gatewayRef: text('gateway_ref'),
    /** What was paid back of it through the gateway; it pays invoices with amount − refunded_amount at most. */
    refundedAmount: numeric('refunded_amount').notNull().default('0'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('payments_amount_positive', sql`${t.amount} > 0`),
    check('payments_refund_within', sql`${t.refundedAmount} >= 0 AND ${t.refundedAmount} <= ${t.amount}`),
    uniqueIndex('payments_gateway_ref_idx')
      .on(t.companyId, t.gatewayRef)
      .where(sql`${t.gatewayRef} IS NOT NULL`),
    index('payments_bank_transaction_idx').on(t.bankTransactionId),
    index('payments_company_date_idx').on(t.companyId, t.paymentDate.desc(), t.id.desc()),
    index('payments_company_customer_idx').on(t.companyId, t.customerId, t.paymentDate.desc()),
  ],
);

/**
 * The part of a payment that pays one invoice. An invoice's paid amount is the sum of its allocations whose payment
 * is completed; invoices.paid_amount is a cache of that sum, rewritten in the transaction of every change.
 */
export const paymentAllocations = pgTable(
  'payment_allocations',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id, { onDelete: 'cascade' }),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id, { onDelete: 'cascade' }),
    amount: numeric('amount').notNull(),
    notes: text('notes'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    check('payment_allocations_amount_positive', sql`${t.amount} > 0`),
    // A second allocation of one payment to one invoice adds to the first.
    uniqueIndex('payment_allocations_payment_invoice_key').on(t.paymentId, t.invoiceId),
    index('payment_allocations_invoice_idx').on(t.invoiceId),
    index('payment_allocations_company_idx').on(t.companyId, t.createdAt),
  ],
);

/** Per company: when reminders go out, in days relative to the due date (−3 = three days before). */
export const reminderSettings = pgTable('reminder_settings', {
  companyId: uuid('company_id')
    .primaryKey()
    .references(() => companies.id, { onDelete: 'cascade' }),
  isEnabled: boolean('is_enabled').notNull().default(true),
  days: jsonb('days').$type<number[]>().notNull(),
  /** Tell the company's owners and admins, once per invoice, when an invoice becomes overdue. */
  isOverdueNoticeEnabled: boolean('is_overdue_notice_enabled').notNull().default(true),
  updatedAt: updatedAt(),
});

/**
 * A reminder sent, one row per invoice and level (the day offset). The row is inserted in the transaction that
 * writes the mail to the outbox: a repeated or concurrent run finds the row and sends nothing.
 */
export const invoiceReminders = pgTable(
  'invoice_reminders',
  {
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id, { onDelete: 'cascade' }),
    level: integer('level').notNull(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    toAddress: text('to_address').notNull(),
    outstandingAmount: numeric('outstanding_amount').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.invoiceId, t.level] })],
);

/** The daily overdue pass: an invoice is noticed as overdue once (one row), whatever reruns happen. */
export const invoiceOverdueNotices = pgTable(
  'invoice_overdue_notices',
  {
    invoiceId: uuid('invoice_id')
      .primaryKey()
      .references(() => invoices.id, { onDelete: 'cascade' }),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    dueDate: date('due_date').notNull(),
    outstandingAmount: numeric('outstanding_amount').notNull(),
    detectedOn: date('detected_on').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('invoice_overdue_notices_company_idx').on(t.companyId, t.detectedOn)],
);

export type PaymentRow = typeof payments.$inferSelect;
export type PaymentAllocationRow = typeof paymentAllocations.$inferSelect;
