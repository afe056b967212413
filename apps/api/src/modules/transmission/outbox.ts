// The transmission outbox: every due row claimed under a lease (FOR UPDATE SKIP LOCKED, as webhook deliveries
// are), one call to its provider, the attempt logged. A document the provider acknowledged is never submitted
// again: after an attempt whose outcome is unknown (a timeout, a crash) the provider is asked for the instance id
// first, and only a "not found" lets the document go again under the same instance id.
import { performance } from 'node:perf_hooks';
import { type Db, schema } from '@invoiceflow/db';
import { eq, inArray, sql } from '@invoiceflow/db/orm';
import { peppolEnvelopeOf, readUblDocument } from '@invoiceflow/ubl';
import type { AppContext } from '../../context';
import type { JobDefinition } from '../../jobs/queue';
import { getUblDocument } from '../einvoice/queries';
import type { StatusResult, SubmitResult } from './adapter';
import { nextStatus, pullInbound, recordStatusChange, type StatusState } from './events';
import * as q from './queries';
import { adapterOfSettings, TRANSMISSION_JOB } from './service';

const { transmissions, invoices } = schema;

/** The pg-boss job's own expiry: a drain longer than this is a stuck one. */
const LEASE_SECONDS = 120;
export const TRANSMISSION_PULL_JOB = 'transmission.pull';
const PER_DRAIN = 200;
const MAX_BACKOFF_SECONDS = 6 * 3600;

export function transmissionJobs(ctx: AppContext): JobDefinition[] {
  return [
    {
      name: TRANSMISSION_JOB,
      everySeconds: ctx.config.TRANSMISSION_POLL_SECONDS,
      // Drains may overlap: each transmission is claimed under its own lease.
      policy: 'short',
      expireInSeconds: LEASE_SECONDS,
      retryLimit: 0,
      handle: async () => {
        await transmitDue(ctx);
      },
    },
    ...(ctx.config.TRANSMISSION_PULL_SECONDS > 0
      ? [
          {
            name: TRANSMISSION_PULL_JOB,
            everySeconds: ctx.config.TRANSMISSION_PULL_SECONDS,
            policy: 'short' as const,
            expireInSeconds: LEASE_SECONDS,
            retryLimit: 0,
            handle: async () => {
              await pullInbound(ctx, (settings) => adapterOfSettings(ctx, settings));
            },
          },
        ]
      : []),
  ];
}

/** Seconds before attempt `attempts + 1`: TRANSMISSION_RETRY_SECONDS doubled per attempt made, at most 6 hours. */
export function transmissionBackoffSeconds(attempts: number, retrySeconds: number): number {
  return Math.min(retrySeconds * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_SECONDS);
}

async function claimNext(db: Db, now: Date, leaseSeconds: number) {
  const due = db
    .select({ id: transmissions.id })
    .from(transmissions)
    .where(
      sql`${inArray(transmissions.exchangeStatus, ['queued', 'submitted'])} and ${transmissions.nextAttemptAt} <= ${now}`,
    )
    .orderBy(transmissions.nextAttemptAt, transmissions.id)
    .limit(1)
    .for('update', { skipLocked: true });
  const [row] = await db
    .update(transmissions)
    .set({
      attempts: sql`${transmissions.attempts} + 1`,
      nextAttemptAt: new Date(now.getTime() + leaseSeconds * 1000),
    })
    .where(eq(transmissions.id, sql`(${due})`))
    .returning();
  return row;
}

/** Works every due transmission once (an acknowledged one is read back at once in the same drain). */
export async function transmitDue(
  ctx: AppContext,
  { now = new Date() }: { now?: Date } = {},
): Promise<number> {
  let made = 0;
  while (made < PER_DRAIN) {
    // The lease outlasts the longest call, so no drain takes a row another drain still waits on.
    const lease = Math.max(
      ctx.config.TRANSMISSION_LEASE_SECONDS,
      2 * Math.ceil(ctx.config.TRANSMISSION_TIMEOUT_MS / 1000),
    );
    const row = await claimNext(ctx.db, now, lease);
    if (!row) break;
    made++;
    await work(ctx, row, now);
  }
  return made;
}

type Step = {
  action: 'submit' | 'status';
  statusCode: number | null;
  outcome: string;
  reason: string | null;
  durationMs: number;
};

async function work(ctx: AppContext, row: q.TransmissionRow, now: Date): Promise<void> {
  const scope = { companyId: row.companyId, id: row.id };
  const steps: Step[] = [];
  const before = stateOf(row);
  const finish = async (set: Partial<typeof transmissions.$inferInsert>) =>
    ctx.db.transaction(async (tx) => {
      for (const step of steps) {
        await q.insertAttempt(tx, {
          transmissionId: row.id,
          companyId: row.companyId,
          generation: row.generation,
          attempt: row.attempts,
          ...step,
        });
      }
      // A webhook may have moved the row since it was claimed: then what this attempt learnt only moves it on.
      const [current] = await tx
        .select()
        .from(transmissions)
        .where(sql`${transmissions.companyId} = ${row.companyId} and ${transmissions.id} = ${row.id}`)
        .for('update');
      const latest = current ? stateOf(current) : before;
      const wanted = { ...before, ...definedOf(set) };
      const after = sameState(latest, before)
        ? wanted
        : nextStatus(latest, {
            exchange: wanted.exchangeStatus === 'queued' ? undefined : wanted.exchangeStatus,
            reporting: wanted.reportingStatus,
            reason: wanted.exchangeReason ?? wanted.reportingReason,
          });
      await q.updateTransmission(tx, scope, { ...set, ...after });
      await recordStatusChange(tx, row, latest, after, 'outbox');
    });
  const later = (seconds?: number) =>
    new Date(
      now.getTime() +
        (seconds ?? transmissionBackoffSeconds(row.attempts, ctx.config.TRANSMISSION_RETRY_SECONDS)) * 1000,
    );
  const isLastAttempt = row.attempts >= ctx.config.TRANSMISSION_MAX_ATTEMPTS;

  const settings = await q.getSettings(ctx.db, { companyId: row.companyId });
  if (!settings) {
    // Turned off after the provider took the document: its status is still the provider's to tell, so the row
    // waits (and is asked about again once a provider is configured) instead of being called failed.
    if (row.acknowledgedAt) {
      await finish({ nextAttemptAt: later() });
      return;
    }
    await finish({
      exchangeStatus: 'failed',
      exchangeReason: 'No access point or service provider is configured.',
    });
    return;
  }
  const adapter = adapterOfSettings(ctx, settings);
  const timed = async <T>(call: () => Promise<T>) => {
    const started = performance.now();
    const result = await call();
    return { result, durationMs: Math.round(performance.now() - started) };
  };
  // A webhook may have moved the row further meanwhile: a status read never moves it back.
  const applyStatus = (status: Extract<StatusResult, { outcome: 'found' }>) => {
    // Exchange and reporting each with its own reason (a poll answers the FTA's apart from the ASP's).
    const exchanged = nextStatus(before, { exchange: status.exchange, reason: status.reason });
    const next = nextStatus(exchanged, {
      reporting: status.reporting,
      reason: status.reporting_reason ?? status.reason,
    });
    const isFinal = next.exchangeStatus === 'delivered' || next.exchangeStatus === 'failed';
    return { ...next, ...(isFinal ? {} : { nextAttemptAt: later() }) };
  };

  if (row.acknowledgedAt) {
    const { result, durationMs } = await timed(() =>
      adapter.status({ instance_id: row.instanceId, provider_reference: row.providerReference }),
    );
    steps.push(statusStep(result, durationMs));
    if (result.outcome === 'found') await finish(applyStatus(result));
    // An acknowledged document is only ever read back: whatever the answer, ask again later.
    else
      await finish({
        nextAttemptAt: later(result.outcome === 'retry' ? result.retry_after_seconds : undefined),
      });
    return;
  }

  // A previous attempt of this generation may have reached the provider (a timeout, a killed worker).
  if (row.attempts > 1) {
    const { result, durationMs } = await timed(() =>
      adapter.status({ instance_id: row.instanceId, provider_reference: row.providerReference }),
    );
    steps.push(statusStep(result, durationMs));
    if (result.outcome === 'found') {
      await finish({
        acknowledgedAt: now,
        providerReference: row.instanceId,
        attempts: 0,
        ...applyStatus(result),
      });
      return;
    }
    if (result.outcome !== 'not_found') {
      await finish(
        isLastAttempt
          ? { exchangeStatus: 'failed', exchangeReason: result.reason }
          : { nextAttemptAt: later(result.outcome === 'retry' ? result.retry_after_seconds : undefined) },
      );
      return;
    }
  }

  const document = await getUblDocument(ctx.db, { companyId: row.companyId, invoiceId: row.invoiceId });
  const read = document ? readUblDocument(document.xml) : undefined;
  const envelope = read ? peppolEnvelopeOf(read) : undefined;
  if (!document || !envelope) {
    await finish({
      exchangeStatus: 'failed',
      exchangeReason: 'The document names no sender or receiver endpoint.',
    });
    return;
  }
  const [invoice] = await ctx.db
    .select({ snapshot: invoices.snapshot })
    .from(invoices)
    .where(sql`${invoices.companyId} = ${row.companyId} and ${invoices.id} = ${row.invoiceId}`);
  const senderCountry = invoice?.snapshot.seller.country ?? '';
  const { result, durationMs } = await timed(() =>
    adapter.submit({
      instance_id: row.instanceId,
      xml: document.xml,
      envelope,
      sender_country: senderCountry,
    }),
  );
  steps.push(submitStep(result, durationMs));
  if (result.outcome === 'acknowledged') {
    // Read back at once (same drain): the status decides submitted or delivered.
    await finish({
      exchangeStatus: 'submitted',
      acknowledgedAt: now,
      providerReference: result.provider_reference,
      attempts: 0,
      nextAttemptAt: now,
    });
  } else if (result.outcome === 'refused') {
    await finish({ exchangeStatus: 'failed', exchangeReason: result.reason });
  } else if (isLastAttempt) {
    await finish({
      exchangeStatus: 'failed',
      exchangeReason: `No answer after ${row.attempts} attempts: ${result.reason}`,
    });
  } else {
    await finish({ exchangeReason: result.reason, nextAttemptAt: later(result.retry_after_seconds) });
  }
}

function submitStep(result: SubmitResult, durationMs: number): Step {
  return {
    action: 'submit',
    statusCode: result.status_code,
    outcome: result.outcome,
    reason: result.outcome === 'acknowledged' ? null : result.reason,
    durationMs,
  };
}

function statusStep(result: StatusResult, durationMs: number): Step {
  return {
    action: 'status',
    statusCode: result.status_code,
    outcome: result.outcome === 'found' ? result.exchange : result.outcome,
    reason: 'reason' in result ? result.reason : null,
    durationMs,
  };
}

/** The status columns a `set` names (an undefined one keeps the row's). */
function definedOf(set: Partial<typeof transmissions.$inferInsert>): Partial<StatusState> {
  const out: Partial<StatusState> = {};
  if (set.exchangeStatus !== undefined) out.exchangeStatus = set.exchangeStatus;
  if (set.exchangeReason !== undefined) out.exchangeReason = set.exchangeReason;
  if (set.reportingStatus !== undefined) out.reportingStatus = set.reportingStatus;
  if (set.reportingReason !== undefined) out.reportingReason = set.reportingReason;
  return out;
}

function stateOf(row: q.TransmissionRow): StatusState {
  return {
    exchangeStatus: row.exchangeStatus,
    exchangeReason: row.exchangeReason,
    reportingStatus: row.reportingStatus,
    reportingReason: row.reportingReason,
  };
}

function sameState(a: StatusState, b: StatusState): boolean {
  return (
    a.exchangeStatus === b.exchangeStatus &&
    a.exchangeReason === b.exchangeReason &&
    a.reportingStatus === b.reportingStatus &&
    a.reportingReason === b.reportingReason
  );
}
