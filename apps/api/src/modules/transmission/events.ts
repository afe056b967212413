// What providers tell us after the fact. A webhook is verified by its adapter (signature, replay window) and
// each of its events is recorded once per company, provider and the provider's event id: a redelivered or
// replayed event changes nothing. A status event moves its transmission forward (never back from a final state);
// a document event becomes a supplier invoice, in the same transaction as its event record. The same code
// applies what a pull brings, and what the outbox reads back: every change of status reaches the audit log under
// the invoice (its timeline), and a failed exchange tells the company's owners and admins by mail.
import { type Db, schema } from '@invoiceflow/db';
import { and, eq, inArray, or } from '@invoiceflow/db/orm';
import type { ExchangeStatus, ReportingStatus, TransmissionProvider } from '@invoiceflow/db/schema';
import type { AppContext } from '../../context';
import type { Actor } from '../../lib/actor';
import { recordAudit } from '../../lib/audit';
import { AppError, defineErrors } from '../../lib/errors';
import { lockOwners } from '../companies/queries';
import { enqueueMail } from '../mail/queries';
import { uploadInvoice } from '../supplier-invoices/service';
import type { InboundEvent, TransmissionAdapter } from './adapter';
import { payloadOf } from './inbound';
import * as q from './queries';

const { transmissions, transmissionEvents, memberships, users } = schema;

defineErrors({
  WEBHOOK_NOT_SUPPORTED: [404, 'This company’s provider sends no webhooks to this address.'],
  WEBHOOK_SIGNATURE_INVALID: [401, 'The webhook’s signature is missing, wrong or too old.'],
  PROVIDER_UNAVAILABLE: [503, 'The provider did not give the received document; it is asked again later.'],
});

type Via = 'webhook' | 'pull';

/** The status columns of a transmission as they stand, and as an event or a status read would leave them. */
export interface StatusState {
  exchangeStatus: ExchangeStatus;
  exchangeReason: string | null;
  reportingStatus: ReportingStatus;
  reportingReason: string | null;
}

const FINAL_EXCHANGE: readonly ExchangeStatus[] = ['delivered', 'failed'];
const FINAL_REPORTING: readonly ReportingStatus[] = ['reported', 'rejected', 'not_applicable'];

/**
 * Where a reported status leaves the transmission. Statuses only move forward: a late "submitted" after
 * "delivered" is news from the past, and so is "pending" after "reported". A delivery is believed over an earlier
 * failure (the provider's own retry got through); a failure after a delivery is not.
 */
export function nextStatus(
  current: StatusState,
  reported: {
    exchange?: Exclude<ExchangeStatus, 'queued'>;
    reporting?: ReportingStatus;
    reason: string | null;
  },
): StatusState {
  const next = { ...current };
  const exchange = reported.exchange;
  if (exchange && exchange !== current.exchangeStatus) {
    const isForward =
      exchange === 'delivered' ||
      (exchange === 'failed' && current.exchangeStatus !== 'delivered') ||
      (exchange === 'submitted' && !FINAL_EXCHANGE.includes(current.exchangeStatus));
    if (isForward) {
      next.exchangeStatus = exchange;
      next.exchangeReason = exchange === 'failed' ? reported.reason : null;
    }
  }
  const reporting = reported.reporting;
  if (reporting && reporting !== current.reportingStatus) {
    const isForward = reporting !== 'pending' && !FINAL_REPORTING.includes(current.reportingStatus);
    if (isForward) {
      next.reportingStatus = reporting;
      next.reportingReason = reporting === 'rejected' ? reported.reason : null;
    }
  }
  return next;
}

/**
 * Records what changed between two states in the caller's transaction: an audit entry under the invoice for each
 * status that moved (the invoice's timeline reads them), and a mail to the owners and admins when the exchange
 * failed for good.
 */
export async function recordStatusChange(
  tx: Db,
  row: {
    companyId: string;
    invoiceId: string;
    id: string;
    provider: TransmissionProvider;
    generation: number;
  },
  before: StatusState,
  after: StatusState,
  via: 'outbox' | Via,
): Promise<void> {
  const entries: Array<[string, string | null]> = [];
  if (after.exchangeStatus !== before.exchangeStatus && after.exchangeStatus !== 'queued') {
    entries.push([`transmission.${after.exchangeStatus}`, after.exchangeReason]);
  }
  if (after.reportingStatus !== before.reportingStatus && after.reportingStatus !== 'pending') {
    const action = after.reportingStatus === 'rejected' ? 'reporting_rejected' : after.reportingStatus;
    if (after.reportingStatus !== 'not_applicable')
      entries.push([`transmission.${action}`, after.reportingReason]);
  }
  for (const [action, reason] of entries) {
    await recordAudit(tx, {
      companyId: row.companyId,
      actorUserId: null,
      action,
      entityType: 'invoice',
      entityId: row.invoiceId,
      data: { provider: row.provider, generation: row.generation, via, ...(reason ? { reason } : {}) },
      requestId: `transmission:${row.id}`,
    });
  }
  if (after.exchangeStatus === 'failed' && before.exchangeStatus !== 'failed') {
    await notifyFailure(tx, row, after.exchangeReason);
  }
}

async function notifyFailure(
  tx: Db,
  row: { companyId: string; invoiceId: string; provider: TransmissionProvider },
  reason: string | null,
): Promise<void> {
  const [invoice] = await tx
    .select({ number: schema.invoices.number })
    .from(schema.invoices)
    .where(and(eq(schema.invoices.companyId, row.companyId), eq(schema.invoices.id, row.invoiceId)));
  const admins = await tx
    .select({ email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.companyId, row.companyId),
        inArray(memberships.role, ['owner', 'admin']),
        eq(memberships.isSuspended, false),
      ),
    );
  const number = invoice?.number ?? row.invoiceId;
  for (const admin of admins) {
    await enqueueMail(tx, {
      companyId: row.companyId,
      to: admin.email,
      kind: 'transmission_failed',
      refs: { invoice_id: row.invoiceId },
      subject: `Invoice ${number} could not be transmitted`,
      text:
        `Invoice ${number} did not reach the buyer through ${row.provider}.\n\n` +
        `The provider's reason: ${reason ?? 'none given'}\n\n` +
        'Open the invoice to read every attempt and submit it again once the cause is fixed.',
    });
  }
}

/** A webhook call: the adapter verifies it, then every event is applied once. */
export async function receiveWebhook(
  ctx: AppContext,
  provider: TransmissionProvider,
  companyId: string,
  adapter: TransmissionAdapter | undefined,
  request: { headers: Record<string, string | string[] | undefined>; body: Buffer },
): Promise<{ received: number; duplicates: number }> {
  if (!adapter?.webhook || adapter.provider !== provider) throw new AppError('WEBHOOK_NOT_SUPPORTED');
  const verified = await adapter.webhook({ ...request, now: new Date() });
  if (verified.outcome === 'refused') throw new AppError('WEBHOOK_SIGNATURE_INVALID');
  return applyEvents(ctx, companyId, adapter, verified.events, 'webhook');
}

/** Applies events in order; each in its own transaction with its record, so a replay finds it and stops. */
export async function applyEvents(
  ctx: AppContext,
  companyId: string,
  adapter: TransmissionAdapter,
  events: readonly InboundEvent[],
  via: Via,
): Promise<{ received: number; duplicates: number }> {
  let received = 0;
  let duplicates = 0;
  for (const event of events) {
    const isNew =
      event.kind === 'status'
        ? await applyStatusEvent(ctx, companyId, adapter.provider, event, via)
        : await applyDocumentEvent(ctx, companyId, adapter, event, via);
    if (isNew) received++;
    else duplicates++;
  }
  return { received, duplicates };
}

async function insertEvent(tx: Db, values: typeof transmissionEvents.$inferInsert): Promise<boolean> {
  const rows = await tx
    .insert(transmissionEvents)
    .values(values)
    .onConflictDoNothing()
    .returning({ id: transmissionEvents.id });
  return rows.length > 0;
}

export async function hasEvent(
  db: Db,
  { companyId, provider, eventId }: { companyId: string; provider: TransmissionProvider; eventId: string },
): Promise<boolean> {
  const rows = await db
    .select({ id: transmissionEvents.id })
    .from(transmissionEvents)
    .where(
      and(
        eq(transmissionEvents.companyId, companyId),
        eq(transmissionEvents.provider, provider),
        eq(transmissionEvents.eventId, eventId),
      ),
    );
  return rows.length > 0;
}

async function applyStatusEvent(
  ctx: AppContext,
  companyId: string,
  provider: TransmissionProvider,
  event: Extract<InboundEvent, { kind: 'status' }>,
  via: Via,
): Promise<boolean> {
  return ctx.db.transaction(async (tx) => {
    const names = [
      event.ref.instance_id ? eq(transmissions.instanceId, event.ref.instance_id) : undefined,
      event.ref.provider_reference
        ? eq(transmissions.providerReference, event.ref.provider_reference)
        : undefined,
    ].filter((condition) => condition !== undefined);
    const [row] =
      names.length === 0
        ? []
        : await tx
            .select()
            .from(transmissions)
            .where(and(eq(transmissions.companyId, companyId), or(...names)))
            .for('update');
    const isNew = await insertEvent(tx, {
      companyId,
      provider,
      eventId: event.event_id,
      kind: 'status',
      via,
      transmissionId: row?.id ?? null,
      exchangeStatus: event.exchange ?? null,
      reportingStatus: event.reporting ?? null,
      reason: event.reason,
    });
    if (!isNew || !row) return isNew;
    const before: StatusState = {
      exchangeStatus: row.exchangeStatus,
      exchangeReason: row.exchangeReason,
      reportingStatus: row.reportingStatus,
      reportingReason: row.reportingReason,
    };
    const after = nextStatus(before, event);
    // A delivery the provider announces is also its acknowledgement: the outbox only reads it back from now on.
    const acknowledged = row.acknowledgedAt ?? (after.exchangeStatus !== 'queued' ? new Date() : null);
    await q.updateTransmission(tx, { companyId, id: row.id }, { ...after, acknowledgedAt: acknowledged });
    await recordStatusChange(tx, row, before, after, via);
    return true;
  });
}

/** Thrown inside the storing transaction when the event was recorded meanwhile: nothing of this call stays. */
class AlreadyRecorded extends Error {}

async function applyDocumentEvent(
  ctx: AppContext,
  companyId: string,
  adapter: TransmissionAdapter,
  event: Extract<InboundEvent, { kind: 'document' }>,
  via: Via,
): Promise<boolean> {
  const provider = adapter.provider;
  const key = { companyId, provider, eventId: event.event_id };
  if (await hasEvent(ctx.db, key)) return false;
  let xml = event.xml;
  if (!xml) {
    if (!adapter.fetchDocument) throw new Error(`${provider} names a document it gives no way to fetch`);
    const fetched = await adapter.fetchDocument(event.provider_document_id);
    if (fetched.outcome !== 'found') {
      // The provider sends the event again (webhook) or offers it again (pull) when it is not acknowledged.
      throw new AppError('PROVIDER_UNAVAILABLE', {
        message: `The received document could not be fetched from ${provider}: ${fetched.reason}`,
      });
    }
    xml = fetched.xml;
  }
  const record = (tx: Db, supplierInvoiceId: string | null, reason: string | null) =>
    insertEvent(tx, {
      ...key,
      kind: 'document',
      via,
      providerDocumentId: event.provider_document_id,
      supplierInvoiceId,
      reason,
    });
  const [owner] = await ctx.db.transaction((tx) => lockOwners(tx, { companyId }));
  if (!owner) throw new AppError('INBOUND_NOT_ENABLED');
  const actor: Actor = { userId: owner.userId, requestId: `inbound:${provider}` };
  try {
    await uploadInvoice(ctx, companyId, actor, {
      bytes: payloadOf(xml),
      fileName: undefined,
      source: 'peppol',
      within: async (tx, supplierInvoiceId) => {
        if (!(await record(tx, supplierInvoiceId, null))) throw new AlreadyRecorded();
      },
    });
    return true;
  } catch (error) {
    if (error instanceof AlreadyRecorded) return false;
    // The same invoice received before under another event (a provider's redelivery with a new id): recorded,
    // and acknowledged, so the provider stops offering it.
    if (error instanceof AppError && error.code === 'DUPLICATE_SUPPLIER_INVOICE') {
      return ctx.db.transaction((tx) => record(tx, null, 'duplicate of a received invoice'));
    }
    throw error;
  }
}

/**
 * Inbound by pull, for installs a provider cannot reach: each company whose adapter pulls is asked for what waits;
 * every document is stored (or found recorded) before the provider is told to stop offering it, so a crash between
 * the two only makes the provider offer it again, which the event record absorbs. A document we refuse (unreadable,
 * not an invoice) is recorded with the reason and acknowledged too: offered forever, it would block the queue.
 */
export async function pullInbound(
  ctx: AppContext,
  adapterOf: (settings: typeof schema.transmissionSettings.$inferSelect) => TransmissionAdapter,
): Promise<{ received: number; duplicates: number; refused: number }> {
  const totals = { received: 0, duplicates: 0, refused: 0 };
  const companies = await ctx.db.select().from(schema.transmissionSettings);
  for (const settings of companies) {
    const adapter = adapterOf(settings);
    if (!adapter.pull) continue;
    const pulled = await adapter.pull();
    if (pulled.outcome !== 'ok') continue;
    for (const event of pulled.events) {
      try {
        const result = await applyEvents(ctx, settings.companyId, adapter, [event], 'pull');
        totals.received += result.received;
        totals.duplicates += result.duplicates;
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500) continue;
        totals.refused++;
        await ctx.db.transaction((tx) =>
          insertEvent(tx, {
            companyId: settings.companyId,
            provider: adapter.provider,
            eventId: event.event_id,
            kind: event.kind,
            via: 'pull',
            providerDocumentId: event.kind === 'document' ? event.provider_document_id : null,
            reason: `${error.code}: ${error.message}`.slice(0, 1000),
          }),
        );
      }
      if (event.kind === 'document') await adapter.acknowledgePulled?.(event.provider_document_id);
    }
  }
  return totals;
}
