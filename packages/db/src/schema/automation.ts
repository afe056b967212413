import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { createdAt, id, updatedAt } from './columns';
import { companies } from './companies';
import { customers, invoices } from './invoicing';

/**
 * A recurring invoice: a customer, a rule for its dates (in the company's calendar), the invoice body to issue on
 * each, and what to do with it (a draft, or issued and optionally mailed). The rule's fields are fixed once made:
 * the periods already invoiced stay the periods of the rule.
 */
export const recurringSchedules = pgTable(
  'recurring_schedules',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    name: text('name'),
    frequency: text('frequency', { enum: ['weekly', 'monthly', 'quarterly', 'yearly'] }).notNull(),
    /** Monthly and longer: the day of the month; 29–31 fall on the last day of a shorter month. */
    dayOfMonth: smallint('day_of_month'),
    startDate: date('start_date').notNull(),
    endDate: date('end_date'),
    /** At most this many invoices (periods), or none. */
    maxCount: integer('max_count'),
    mode: text('mode', { enum: ['draft', 'issue'] }).notNull(),
    isAutoSend: boolean('is_auto_send').notNull().default(false),
    /** The invoice request issued each period (the body of POST /invoices/generate, without buyer and dates). */
    template: jsonb('template').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: ['active', 'paused'] })
      .notNull()
      .default('active'),
    /** Why the last run could not issue (the schedule was paused): code and field errors, no values. */
    lastError: jsonb('last_error').$type<Record<string, unknown>>(),
    /** Who the invoices are issued as (the audit log's actor). */
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('recurring_schedules_company_idx').on(t.companyId, t.createdAt),
    index('recurring_schedules_active_idx').on(t.status),
    check(
      'recurring_schedules_day_check',
      sql`${t.dayOfMonth} IS NULL OR (${t.dayOfMonth} BETWEEN 1 AND 31)`,
    ),
  ],
);

/**
 * One row per schedule and period, inserted in the transaction that makes the period's invoice: a rerun, a late
 * run, or a second worker finds the row and makes nothing. `skipped`: a period that fell while paused.
 */
export const recurringRuns = pgTable(
  'recurring_runs',
  {
    scheduleId: uuid('schedule_id')
      .notNull()
      .references(() => recurringSchedules.id, { onDelete: 'cascade' }),
    periodDate: date('period_date').notNull(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    outcome: text('outcome', { enum: ['draft', 'issued', 'sent', 'skipped'] }).notNull(),
    invoiceId: uuid('invoice_id').references(() => invoices.id, { onDelete: 'set null' }),
    /** Why an auto-send did not happen (the invoice was still issued). */
    sendError: text('send_error'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.scheduleId, t.periodDate] }),
    index('recurring_runs_company_idx').on(t.companyId, t.scheduleId),
  ],
);

/** A company's webhook endpoint: a URL and the events it hears. The secret is sealed with DATA_KEY. */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    description: text('description'),
    events: jsonb('events').$type<string[]>().notNull(),
    isEnabled: boolean('is_enabled').notNull().default(true),
    secretSealed: text('secret_sealed').notNull(),
    /** After a rotation the old secret still signs beside the new one until this time. */
    previousSecretSealed: text('previous_secret_sealed'),
    previousSecretExpiresAt: timestamp('previous_secret_expires_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('webhook_endpoints_company_idx').on(t.companyId)],
);

/** The webhook outbox: an event written in the transaction that caused it (a rollback leaves none). */
export const webhookEvents = pgTable(
  'webhook_events',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('webhook_events_company_idx').on(t.companyId, t.createdAt)],
);

/** One event to one endpoint; a replay is a new delivery of the same event. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id')
      .notNull()
      .references(() => webhookEvents.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['pending', 'succeeded', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** When the next attempt may start; while one runs, the end of its lease. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    replayOf: uuid('replay_of'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index('webhook_deliveries_pending_idx').on(t.status, t.nextAttemptAt),
    index('webhook_deliveries_endpoint_idx').on(t.companyId, t.endpointId, t.createdAt),
  ],
);

/** Every attempt of a delivery: what was answered, how fast, or why nothing was. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: id(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    attempt: integer('attempt').notNull(),
    statusCode: integer('status_code'),
    /** The first bytes of the answer's body (text), or null. */
    responseExcerpt: text('response_excerpt'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId, t.attempt)],
);
