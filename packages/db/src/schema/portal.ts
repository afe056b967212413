import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { createdAt, id } from './columns';
import { companies } from './companies';
import { customers, invoices } from './invoicing';

/**
 * The customer-portal link of one invoice mail: single use, expiring, only the SHA-256 of its token stored.
 * Followed, it signs the recipient in as the client user of the customer whose address it was sent to; where the
 * customer has no such user it opens that one invoice read-only for a while, through a second token (the grant),
 * also stored as a hash.
 */
export const portalLinks = pgTable(
  'portal_links',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    /** The address the mail went to: only the client user with this address is signed in by the link. */
    recipient: text('recipient').notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    /** The client user the link signed in, when it did. */
    usedBy: uuid('used_by').references(() => users.id, { onDelete: 'set null' }),
    grantHash: text('grant_hash'),
    grantExpiresAt: timestamp('grant_expires_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('portal_links_token_idx').on(t.tokenHash),
    uniqueIndex('portal_links_grant_idx').on(t.grantHash),
    index('portal_links_invoice_idx').on(t.companyId, t.invoiceId),
  ],
);
