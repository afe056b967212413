import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns';
import { companies } from './companies';
import { invoices } from './invoicing';

/** The transmission adapters a company may choose (apps/api/src/modules/transmission/adapters). */
export const TRANSMISSION_PROVIDERS = ['phoss-ap', 'tradeshift', 'storecove', 'uae-asp', 'basware'] as const;
export type TransmissionProvider = (typeof TRANSMISSION_PROVIDERS)[number];

/** Exchange: the document's way to the buyer's provider. */
export const EXCHANGE_STATUSES = ['queued', 'submitted', 'delivered', 'failed'] as const;
export type ExchangeStatus = (typeof EXCHANGE_STATUSES)[number];

/** Reporting: the tax data document's way to the tax authority, where the provider reports one. */
export const REPORTING_STATUSES = ['pending', 'reported', 'rejected', 'not_applicable'] as const;
export type ReportingStatus = (typeof REPORTING_STATUSES)[number];

/** A company's service provider: one per company; the credentials AES-256-GCM sealed with the data key. */
export const transmissionSettings = pgTable('transmission_settings', {
  companyId: uuid('company_id')
    .primaryKey()
    .references(() => companies.id, { onDelete: 'cascade' }),
  provider: text('provider', { enum: TRANSMISSION_PROVIDERS }).notNull(),
  baseUrl: text('base_url').notNull(),
  /** JSON of the adapter's credentials, sealed (lib/crypto.ts encrypt); never answered. */
  credentialsSealed: text('credentials_sealed').notNull(),
  updatedAt: updatedAt(),
});

/**
 * One outbound transmission per invoice (the unique index is what makes a second send queue nothing). A resubmit
 * after a failure starts a new generation, whose instance id the provider has not seen.
 */
export const transmissions = pgTable(
  'transmissions',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id, { onDelete: 'cascade' }),
    provider: text('provider', { enum: TRANSMISSION_PROVIDERS }).notNull(),
    /** 1, then +1 per resubmit; part of the idempotency key. */
    generation: integer('generation').notNull().default(1),
    /** The idempotency key sent to the provider (SBDH instance id): a UUID derived from invoice and generation. */
    instanceId: uuid('instance_id').notNull(),
    exchangeStatus: text('exchange_status', { enum: EXCHANGE_STATUSES }).notNull().default('queued'),
    exchangeReason: text('exchange_reason'),
    reportingStatus: text('reporting_status', { enum: REPORTING_STATUSES }).notNull().default('pending'),
    reportingReason: text('reporting_reason'),
    /** Attempts of this generation (submits and status reads). */
    attempts: integer('attempts').notNull().default(0),
    /** When the next attempt may start; while one runs, the end of its lease. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** Set once the provider acknowledged the document: from then on it is only asked for its status. */
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    /** The provider's own id of the document, where it gives one. */
    providerReference: text('provider_reference'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('transmissions_invoice_key').on(t.companyId, t.invoiceId),
    uniqueIndex('transmissions_instance_key').on(t.instanceId),
    index('transmissions_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.exchangeStatus} in ('queued', 'submitted')`),
  ],
);

/** Every call made for a transmission: what was asked, what the provider answered, or why nothing was. */
export const transmissionAttempts = pgTable(
  'transmission_attempts',
  {
    id: id(),
    transmissionId: uuid('transmission_id')
      .notNull()
      .references(() => transmissions.id, { onDelete: 'cascade' }),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    generation: integer('generation').notNull(),
    attempt: integer('attempt').notNull(),
    action: text('action', { enum: ['submit', 'status'] }).notNull(),
    statusCode: integer('status_code'),
    /** The outcome in our words: acknowledged, retry, refused, delivered, failed, pending, not_found. */
    outcome: text('outcome').notNull(),
    /** The provider's reason (the first bytes of its error body) or the network error's code. */
    reason: text('reason'),
    durationMs: integer('duration_ms').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('transmission_attempts_transmission_idx').on(t.companyId, t.transmissionId, t.createdAt)],
);

/**
 * What a provider told us on its own (a webhook) or when asked (a pull): each event once per company, provider and
 * the provider's event id — the unique key is what makes a replayed or redelivered webhook change nothing.
 */
export const transmissionEvents = pgTable(
  'transmission_events',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    provider: text('provider', { enum: TRANSMISSION_PROVIDERS }).notNull(),
    eventId: text('event_id').notNull(),
    kind: text('kind', { enum: ['status', 'document'] }).notNull(),
    via: text('via', { enum: ['webhook', 'pull'] }).notNull(),
    /** The transmission a status event moved (null when it named none of ours). */
    transmissionId: uuid('transmission_id').references(() => transmissions.id, { onDelete: 'set null' }),
    /** The supplier invoice a received document became. */
    supplierInvoiceId: uuid('supplier_invoice_id'),
    /** The provider's id of the received document. */
    providerDocumentId: text('provider_document_id'),
    exchangeStatus: text('exchange_status', { enum: EXCHANGE_STATUSES }),
    reportingStatus: text('reporting_status', { enum: REPORTING_STATUSES }),
    reason: text('reason'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('transmission_events_key').on(t.companyId, t.provider, t.eventId)],
);
