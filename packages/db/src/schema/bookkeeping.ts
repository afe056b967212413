import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  customType,
  date,
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
import { type AccountantScope, companies } from './companies';
import { customers, invoices } from './invoicing';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value),
});

/**
 * pending (invited) → active (accepted) ⇄ suspended; any of them → revoked, which is final. Only an active
 * assignment opens the client's books, and only in its scopes, read-only.
 */
export const ASSIGNMENT_STATUSES = ['pending', 'active', 'suspended', 'revoked'] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

/**
 * A client company lets an accountant read its books: a person (accountant_user_id), or a practice — a company of
 * its own (practice_company_id) whose owners and admins see every client and assign their staff to each.
 */
export const accountantAssignments = pgTable(
  'accountant_assignments',
  {
    id: id(),
    clientCompanyId: uuid('client_company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    /** The address the invitation was mailed to; whoever proves it accepts. */
    email: text('email').notNull(),
    scopes: jsonb('scopes').$type<AccountantScope[]>().notNull().default([]),
    status: text('status', { enum: ASSIGNMENT_STATUSES }).notNull().default('pending'),
    accountantUserId: uuid('accountant_user_id').references(() => users.id, { onDelete: 'set null' }),
    practiceCompanyId: uuid('practice_company_id').references(() => companies.id, { onDelete: 'cascade' }),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check(
      'accountant_assignments_status_check',
      sql`${t.status} IN ('pending', 'active', 'suspended', 'revoked')`,
    ),
    // One live assignment per client and address; a revoked one may be followed by a new invitation.
    uniqueIndex('accountant_assignments_client_email_key')
      .on(t.clientCompanyId, sql`lower(${t.email})`)
      .where(sql`${t.status} <> 'revoked'`),
    index('accountant_assignments_user_idx').on(t.accountantUserId),
    index('accountant_assignments_practice_idx').on(t.practiceCompanyId),
    index('accountant_assignments_email_idx').on(sql`lower(${t.email})`),
  ],
);

/** A practice's staff member assigned to one of its clients (a member of the practice company). */
export const accountantAssignmentStaff = pgTable(
  'accountant_assignment_staff',
  {
    assignmentId: uuid('assignment_id')
      .notNull()
      .references(() => accountantAssignments.id, { onDelete: 'cascade' }),
    practiceCompanyId: uuid('practice_company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.assignmentId, t.userId] }),
    index('accountant_assignment_staff_user_idx').on(t.userId),
  ],
);

/** booked (counts in the VAT figures) → paid; void never counts. */
export const EXPENSE_STATUSES = ['draft', 'booked', 'paid', 'void'] as const;
export type ExpenseStatus = (typeof EXPENSE_STATUSES)[number];

/** A purchase of the company: the receipt's amounts in its own currency, and the rate to the company's. */
export const expenses = pgTable(
  'expenses',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    expenseDate: date('expense_date').notNull(),
    vendor: text('vendor').notNull(),
    category: text('category').notNull(),
    description: text('description'),
    /** What was paid, VAT included, in `currency`. */
    amount: numeric('amount').notNull(),
    vatAmount: numeric('vat_amount').notNull(),
    /** Percent as canonical text ("21", "9"). */
    vatRate: text('vat_rate').notNull(),
    /** UNCL 5305 category code of the VAT on the receipt (S, Z, E, AE, O…). */
    vatCategory: text('vat_category').notNull(),
    /** Whether the company may deduct this VAT (input tax) in its return. */
    isVatRecoverable: boolean('is_vat_recoverable').notNull(),
    currency: text('currency').notNull(),
    /** Units of the company's currency for one unit of `currency` (1 when they are the same). */
    exchangeRate: numeric('exchange_rate').notNull(),
    status: text('status', { enum: EXPENSE_STATUSES }).notNull().default('booked'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('expenses_amount_positive', sql`${t.amount} > 0`),
    check('expenses_vat_amount_range', sql`${t.vatAmount} >= 0 AND ${t.vatAmount} <= ${t.amount}`),
    check('expenses_exchange_rate_positive', sql`${t.exchangeRate} > 0`),
    index('expenses_company_date_idx').on(t.companyId, t.expenseDate.desc(), t.id.desc()),
  ],
);

/** The receipt of an expense; its bytes sit in the file storage under `storage_key`. */
export const expenseReceipts = pgTable('expense_receipts', {
  expenseId: uuid('expense_id')
    .primaryKey()
    .references(() => expenses.id, { onDelete: 'cascade' }),
  companyId: uuid('company_id')
    .notNull()
    .references(() => companies.id, { onDelete: 'cascade' }),
  fileName: text('file_name').notNull(),
  contentType: text('content_type').notNull(),
  byteSize: integer('byte_size').notNull(),
  sha256: text('sha256').notNull(),
  /** Which storage holds the bytes ('database', 'directory'): a change of configuration keeps old files readable. */
  storage: text('storage').notNull(),
  storageKey: text('storage_key').notNull(),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
});

/** The database file storage: one row per stored file. */
export const storedFiles = pgTable('stored_files', {
  key: text('key').primaryKey(),
  companyId: uuid('company_id')
    .notNull()
    .references(() => companies.id, { onDelete: 'cascade' }),
  data: bytea('data').notNull(),
  createdAt: createdAt(),
});

/** Hours worked for a customer; billable ones become invoice lines once, then stay linked to that invoice. */
export const timeEntries = pgTable(
  'time_entries',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    project: text('project'),
    entryDate: date('entry_date').notNull(),
    hours: numeric('hours').notNull(),
    hourlyRate: numeric('hourly_rate').notNull(),
    isBillable: boolean('is_billable').notNull().default(true),
    description: text('description'),
    /** Set when the entry became a line of this invoice (a draft first): from then on it is locked. */
    invoiceId: uuid('invoice_id').references(() => invoices.id, { onDelete: 'set null' }),
    invoicedAt: timestamp('invoiced_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('time_entries_hours_positive', sql`${t.hours} > 0 AND ${t.hours} <= 24`),
    check('time_entries_rate_nonnegative', sql`${t.hourlyRate} >= 0`),
    index('time_entries_company_date_idx').on(t.companyId, t.entryDate.desc(), t.id.desc()),
    index('time_entries_company_customer_idx').on(t.companyId, t.customerId),
    index('time_entries_invoice_idx').on(t.invoiceId),
  ],
);

export type AccountantAssignmentRow = typeof accountantAssignments.$inferSelect;
export type ExpenseRow = typeof expenses.$inferSelect;
export type ExpenseReceiptRow = typeof expenseReceipts.$inferSelect;
export type TimeEntryRow = typeof timeEntries.$inferSelect;
