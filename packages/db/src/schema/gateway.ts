import { index, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { createdAt, id, updatedAt } from './columns';
import { companies } from './companies';
import { invoices } from './invoicing';
import { payments } from './payments';

/** The online payment gateways a company may choose (apps/api/src/modules/online-payments). */
export const GATEWAY_PROVIDERS = ['stripe'] as const;
export type GatewayProvider = (typeof GATEWAY_PROVIDERS)[number];

/** open: the payer may still pay; complete: paid (or, for a delayed method, handed over); expired: no longer payable. */
export const CHECKOUT_STATUSES = ['open', 'complete', 'expired'] as const;
export type CheckoutStatus = (typeof CHECKOUT_STATUSES)[number];

/** A company's gateway account: its secret API key and webhook signing secret, sealed with the data key. */
export const gatewaySettings = pgTable('gateway_settings', {
  companyId: uuid('company_id')
    .primaryKey()
    .references(() => companies.id, { onDelete: 'cascade' }),
  provider: text('provider', { enum: GATEWAY_PROVIDERS }).notNull(),
  /** JSON of { secret_key, webhook_secret }, sealed (lib/crypto.ts encrypt); never answered. */
  credentialsSealed: text('credentials_sealed').notNull(),
  /** The account the key belongs to, as the gateway named it on the check at save. */
  accountName: text('account_name'),
  /** Who connected the account: the gateway's reports are recorded in their name (the audit says by the gateway). */
  configuredBy: uuid('configured_by').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: updatedAt(),
});

/**
 * An invoice's stable pay link (in the e-mail and the PDF footer). The token is derived from the invoice id with the
 * data key, so it can be printed again on a re-rendered PDF; only its SHA-256 is stored for the lookup.
 */
export const payLinks = pgTable(
  'pay_links',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('pay_links_invoice_idx').on(t.invoiceId),
    uniqueIndex('pay_links_token_idx').on(t.tokenHash),
  ],
);

/** One checkout at the gateway (a Stripe Checkout Session) for an amount of one invoice. */
export const gatewayCheckouts = pgTable(
  'gateway_checkouts',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id, { onDelete: 'cascade' }),
    provider: text('provider', { enum: GATEWAY_PROVIDERS }).notNull(),
    /** The gateway's id of the checkout (cs_…). */
    externalId: text('external_id').notNull(),
    url: text('url').notNull(),
    amount: numeric('amount').notNull(),
    currency: text('currency').notNull(),
    status: text('status', { enum: CHECKOUT_STATUSES }).notNull().default('open'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** The gateway's words on the last declined attempt (the payer may try again while it is open). */
    failureMessage: text('failure_message'),
    /** The payment it became, once the gateway reported one. */
    paymentId: uuid('payment_id').references(() => payments.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('gateway_checkouts_external_idx').on(t.provider, t.externalId),
    index('gateway_checkouts_invoice_idx').on(t.companyId, t.invoiceId, t.createdAt.desc()),
  ],
);

/** Every gateway event taken in, once: a replayed delivery finds its row and changes nothing. */
export const gatewayEvents = pgTable(
  'gateway_events',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    provider: text('provider', { enum: GATEWAY_PROVIDERS }).notNull(),
    externalId: text('external_id').notNull(),
    type: text('type').notNull(),
    /** What taking it in did: recorded, refunded, failed, expired, ignored. */
    outcome: text('outcome').notNull(),
    receivedAt: createdAt(),
  },
  (t) => [uniqueIndex('gateway_events_external_idx').on(t.companyId, t.provider, t.externalId)],
);
