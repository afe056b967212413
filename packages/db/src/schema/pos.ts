// Point-of-sale: stock, tills with their cash drawers, cash sessions, and sales (each sale is an issued invoice).
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { createdAt, id, updatedAt } from './columns';
import { companies } from './companies';
import { egsUnits } from './einvoicing';
import { customers, invoices, products } from './invoicing';

/** Why a product's stock changed: every change is one of these rows, so the quantity can be audited. */
export const STOCK_MOVEMENT_KINDS = ['opening', 'receipt', 'sale', 'return', 'adjustment'] as const;
export type StockMovementKind = (typeof STOCK_MOVEMENT_KINDS)[number];

/**
 * One change of a product's stock: the signed quantity and the stock after it. `products.stock_quantity` is the
 * running sum of these rows, moved in the same statement's transaction, so the last row's balance is the stock.
 */
export const stockMovements = pgTable(
  'stock_movements',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: STOCK_MOVEMENT_KINDS }).notNull(),
    /** Signed: a sale is negative, a receipt or a return positive. */
    quantity: numeric('quantity').notNull(),
    /** The product's stock after this movement. */
    balance: numeric('balance').notNull(),
    /** The sale's (or return's) invoice. */
    invoiceId: uuid('invoice_id').references(() => invoices.id, { onDelete: 'set null' }),
    note: text('note'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('stock_movements_product_idx').on(t.companyId, t.productId, t.createdAt),
    check('stock_movements_balance_not_negative', sql`${t.balance} >= 0`),
  ],
);

/** A till: its cash drawer and, for a company whose invoices are signed (ZATCA), the EGS unit that signs its sales. */
export const tills = pgTable(
  'tills',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** The till's own signing unit and chain; null: the company's default unit signs. */
    egsUnitId: uuid('egs_unit_id').references(() => egsUnits.id, { onDelete: 'restrict' }),
    /** The till used when a request names none (at most one per company). */
    isDefault: boolean('is_default').notNull().default(false),
    /**
     * The till's own number series (INV-2026-T1-000001), so its sales never wait for another till's number;
     * null: the company's series.
     */
    seriesCode: text('series_code'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('tills_company_name_key').on(t.companyId, t.name),
    uniqueIndex('tills_company_series_code_key').on(t.companyId, t.seriesCode),
    uniqueIndex('tills_default_key').on(t.companyId).where(sql`${t.isDefault}`),
  ],
);

/** How many pieces of one value (a note or a coin, in the company's currency) a till's drawer holds. */
export const tillDenominations = pgTable(
  'till_denominations',
  {
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    tillId: uuid('till_id')
      .notNull()
      .references(() => tills.id, { onDelete: 'cascade' }),
    value: numeric('value').notNull(),
    count: integer('count').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tillId, t.value] }),
    check('till_denominations_value_positive', sql`${t.value} > 0`),
    check('till_denominations_count_not_negative', sql`${t.count} >= 0`),
  ],
);

export const CASH_SESSION_STATUSES = ['open', 'closed'] as const;

/** A denomination and its count, as counted into or out of a drawer. */
export interface DenominationCount {
  value: string;
  count: number;
}

/**
 * A shift at a till: opened with a counted float, closed with a count. Expected cash = float + what the sales
 * kept (paid − change) + cash in − cash out; the change handed back is part of a sale, not cash taken out.
 */
export const cashSessions = pgTable(
  'cash_sessions',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    tillId: uuid('till_id')
      .notNull()
      .references(() => tills.id, { onDelete: 'cascade' }),
    status: text('status', { enum: CASH_SESSION_STATUSES }).notNull().default('open'),
    openingCounts: jsonb('opening_counts').$type<DenominationCount[]>().notNull(),
    openingFloat: numeric('opening_float').notNull(),
    openedBy: uuid('opened_by').references(() => users.id, { onDelete: 'set null' }),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    closingCounts: jsonb('closing_counts').$type<DenominationCount[]>(),
    countedAmount: numeric('counted_amount'),
    expectedAmount: numeric('expected_amount'),
    closedBy: uuid('closed_by').references(() => users.id, { onDelete: 'set null' }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    index('cash_sessions_till_idx').on(t.companyId, t.tillId, t.openedAt),
    uniqueIndex('cash_sessions_open_key').on(t.tillId).where(sql`${t.status} = 'open'`),
  ],
);

export const CASH_MOVEMENT_KINDS = ['cash_in', 'cash_out'] as const;

/** Cash put into or taken out of a drawer outside a sale (a change fund top-up, a bank drop). */
export const cashMovements = pgTable(
  'cash_movements',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => cashSessions.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: CASH_MOVEMENT_KINDS }).notNull(),
    amount: numeric('amount').notNull(),
    counts: jsonb('counts').$type<DenominationCount[]>().notNull().default([]),
    reason: text('reason'),
    /** A refund: the credit note of the return it paid out (the X and Z reports count returns by it). */
    creditNoteId: uuid('credit_note_id').references(() => invoices.id, { onDelete: 'set null' }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('cash_movements_session_idx').on(t.sessionId, t.createdAt),
    check('cash_movements_amount_positive', sql`${t.amount} > 0`),
  ],
);

/** A point-of-sale sale: the cash side of an issued invoice (the invoice holds the lines, prices, VAT, totals). */
export const sales = pgTable(
  'sales',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    tillId: uuid('till_id')
      .notNull()
      .references(() => tills.id),
    sessionId: uuid('session_id').references(() => cashSessions.id),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    customerId: uuid('customer_id').references(() => customers.id),
    totalAmount: numeric('total_amount').notNull(),
    paidAmount: numeric('paid_amount').notNull(),
    changeAmount: numeric('change_amount').notNull(),
    /** The pieces handed back, largest first. */
    change: jsonb('change').$type<DenominationCount[]>().notNull(),
    /** The pieces the customer handed over, when the till counted them (added to the drawer). */
    tendered: jsonb('tendered').$type<DenominationCount[]>(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('sales_invoice_key').on(t.invoiceId),
    index('sales_company_created_idx').on(t.companyId, t.createdAt),
    index('sales_session_idx').on(t.sessionId),
    check('sales_change_not_negative', sql`${t.changeAmount} >= 0`),
  ],
);
