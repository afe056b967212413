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
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { createdAt, id, updatedAt } from './columns';
import { companies } from './companies';

/** A company's account at a bank, whose statements it imports. */
export const bankAccounts = pgTable(
  'bank_accounts',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    iban: text('iban'),
    currency: text('currency').notNull(),
    /** How this bank's CSV exports read (columns, date and number format), saved by the last CSV import. */
    csvMapping: jsonb('csv_mapping').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('bank_accounts_company_iban_uq').on(t.companyId, t.iban)],
);

export const BANK_STATEMENT_FORMATS = ['camt.053', 'mt940', 'csv'] as const;

/** One imported file: what it held and how much of it was new. */
export const bankStatementImports = pgTable(
  'bank_statement_imports',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    bankAccountId: uuid('bank_account_id')
      .notNull()
      .references(() => bankAccounts.id, { onDelete: 'cascade' }),
    format: text('format', { enum: BANK_STATEMENT_FORMATS }).notNull(),
    filename: text('filename'),
    statementIds: text('statement_ids').array().notNull().default(sql`'{}'::text[]`),
    transactionCount: integer('transaction_count').notNull(),
    newCount: integer('new_count').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('bank_statement_imports_account_idx').on(t.companyId, t.bankAccountId, t.createdAt.desc())],
);

/** unmatched → matched (paid by one or more payments linked to it) | ignored (bank fees, transfers of one's own). */
export const BANK_TRANSACTION_STATUSES = ['unmatched', 'matched', 'ignored'] as const;

/**
 * A line of a bank statement. The fingerprint (account, date, amount, the bank's reference or the payment's
 * details, and the occurrence among identical lines of a file) is unique per account: an overlapping import adds
 * only what is new.
 */
export const bankTransactions = pgTable(
  'bank_transactions',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    bankAccountId: uuid('bank_account_id')
      .notNull()
      .references(() => bankAccounts.id, { onDelete: 'cascade' }),
    importId: uuid('import_id')
      .notNull()
      .references(() => bankStatementImports.id, { onDelete: 'cascade' }),
    fingerprint: text('fingerprint').notNull(),
    bookingDate: date('booking_date').notNull(),
    valueDate: date('value_date'),
    /** Signed: money in is positive. */
    amount: numeric('amount').notNull(),
    currency: text('currency').notNull(),
    reference: text('reference'),
    remittance: text('remittance'),
    counterpartyName: text('counterparty_name'),
    counterpartyIban: text('counterparty_iban'),
    bankReference: text('bank_reference'),
    transactionCode: text('transaction_code'),
    status: text('status', { enum: BANK_TRANSACTION_STATUSES }).notNull().default('unmatched'),
    /** What of the amount payments linked to it have taken (in absolute value). */
    matchedAmount: numeric('matched_amount').notNull().default('0'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('bank_transactions_fingerprint_uq').on(t.companyId, t.bankAccountId, t.fingerprint),
    index('bank_transactions_status_idx').on(t.companyId, t.status, t.bookingDate.desc()),
    check(
      'bank_transactions_matched_within',
      sql`${t.matchedAmount} >= 0 AND ${t.matchedAmount} <= abs(${t.amount})`,
    ),
  ],
);
