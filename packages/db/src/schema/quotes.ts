import { sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
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
import { customers, invoices } from './invoicing';
import type { InvoiceSnapshot } from './snapshot';

/**
 * draft → sent → accepted | declined | expired; draft, sent or accepted → converted (a draft invoice made from it).
 * A decision is the customer's, through the public link; expiry is the job's, once the validity date has passed.
 */
export const QUOTE_STATUSES = ['draft', 'sent', 'accepted', 'declined', 'expired', 'converted'] as const;
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];

/**
 * A quotation: an offer to a customer, with lines and totals computed as an invoice's (the request it would be
 * issued from, `body`, and the engine's preview, `snapshot`), numbered on its own series (Q-2026-0001), valid
 * until a date in the company's calendar. Not a tax document: no e-invoice, no QR, no chain.
 */
export const quotes = pgTable(
  'quotes',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    number: text('number').notNull(),
    status: text('status', { enum: QUOTE_STATUSES }).notNull().default('draft'),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    issueDate: date('issue_date').notNull(),
    validUntil: date('valid_until').notNull(),
    currency: text('currency').notNull(),
    subtotal: numeric('subtotal').notNull(),
    vatAmount: numeric('vat_amount').notNull(),
    totalAmount: numeric('total_amount').notNull(),
    /** The invoice request the quote would be issued from (the body of a draft invoice, without dates). */
    body: jsonb('body').$type<Record<string, unknown>>().notNull(),
    /** The engine's reading of `body` as of the last edit: what the PDF and the public page show. */
    snapshot: jsonb('snapshot').$type<InvoiceSnapshot>().notNull(),
    /** SHA-256 of the public link's token (the token itself is only in the mail and the send answer). */
    publicTokenHash: text('public_token_hash'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    declinedAt: timestamp('declined_at', { withTimezone: true }),
    /** The customer's note with the decision. */
    decisionNote: text('decision_note'),
    expiredAt: timestamp('expired_at', { withTimezone: true }),
    convertedAt: timestamp('converted_at', { withTimezone: true }),
    /** The draft invoice made from the quote (null again if that draft was deleted). */
    convertedInvoiceId: uuid('converted_invoice_id').references(() => invoices.id, { onDelete: 'set null' }),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('quotes_company_number_idx').on(t.companyId, t.number),
    uniqueIndex('quotes_public_token_idx').on(t.publicTokenHash),
    uniqueIndex('quotes_converted_invoice_idx').on(t.convertedInvoiceId),
    index('quotes_company_created_idx').on(t.companyId, t.createdAt),
    index('quotes_sent_valid_idx').on(t.validUntil).where(sql`${t.status} = 'sent'`),
    check('quotes_valid_after_issue_check', sql`${t.validUntil} >= ${t.issueDate}`),
    check('quotes_converted_check', sql`(${t.status} = 'converted') = (${t.convertedAt} IS NOT NULL)`),
    check('quotes_decision_check', sql`NOT (${t.acceptedAt} IS NOT NULL AND ${t.declinedAt} IS NOT NULL)`),
    check(
      'quotes_sent_token_check',
      sql`${t.status} = 'draft' OR ${t.publicTokenHash} IS NOT NULL OR ${t.convertedAt} IS NOT NULL`,
    ),
  ],
);
