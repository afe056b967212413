import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { type Db, schema } from '@invoiceflow/db';
import { and, eq, sql } from '@invoiceflow/db/orm';
import type { AppContext } from '../../context';
import type { JobDefinition } from '../../jobs/queue';
import { decrypt } from '../../lib/crypto';
import { resolveEndpointHost } from './addresses';
import { signatureHeader, WEBHOOK_HEADERS } from './signature';

const { webhookDeliveries, webhookEndpoints, webhookEvents, webhookAttempts } = schema;

export const WEBHOOK_DELIVERY_JOB = 'webhooks.deliver';

/** How long a claimed delivery is held by the process that claimed it (then another may try it). */
const LEASE_SECONDS = 120;
/** The answer's first bytes kept in the log. */
const EXCERPT_BYTES = 1024;
/** Deliveries one drain makes at most: the next poll goes on. */
const PER_DRAIN = 500;
const MAX_BACKOFF_SECONDS = 6 * 3600;

export function webhookJobs(ctx: AppContext): JobDefinition[] {
  const deliver: JobDefinition = {
    name: WEBHOOK_DELIVERY_JOB,
    everySeconds: ctx.config.WEBHOOK_POLL_SECONDS,
    // Drains may overlap: each delivery is claimed under its own lease.
    policy: 'short',
    expireInSeconds: LEASE_SECONDS,
    retryLimit: 0,
    handle: async () => {
      await deliverWebhooks(ctx);
    },
  };
  return [deliver];
}

/** Seconds before attempt `attempts + 1`: WEBHOOK_RETRY_SECONDS doubled per attempt made, at most 6 hours. */
export function backoffSeconds(attempts: number, retrySeconds: number): number {
  return Math.min(retrySeconds * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_SECONDS);
}

type DeliveryRow = typeof webhookDeliveries.$inferSelect;

async function claimNextDelivery(db: Db, now: Date): Promise<DeliveryRow | undefined> {
  const due = db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.status, 'pending'), sql`${webhookDeliveries.nextAttemptAt} <= ${now}`))
    .orderBy(webhookDeliveries.nextAttemptAt, webhookDeliveries.id)
    .limit(1)
    .for('update', { skipLocked: true });
  const [row] = await db
    .update(webhookDeliveries)
    .set({
      attempts: sql`${webhookDeliveries.attempts} + 1`,
      nextAttemptAt: new Date(now.getTime() + LEASE_SECONDS * 1000),
    })
    .where(eq(webhookDeliveries.id, sql`(${due})`))
    .returning();
  return row;
}

export interface AttemptResult {
  statusCode: number | null;
  excerpt: string | null;
  error: string | null;
  durationMs: number;
  /** Whether a later attempt may succeed (5xx, 408, 429, a timeout, a network error). */
  isRetryable: boolean;
}

/**
 * Makes every due delivery (pending, its next attempt at or before `now`), one at a time: each claimed under a
 * lease, posted, and its attempt logged with the answer's status, its first bytes and the time taken.
 */
export async function deliverWebhooks(ctx: AppContext, { now = new Date() }: { now?: Date } = {}) {
  let made = 0;
  while (made < PER_DRAIN) {
    const delivery = await claimNextDelivery(ctx.db, now);
    if (!delivery) break;
    made++;
    const result = await attempt(ctx, delivery, now);
    const isDone = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const isLast = !result.isRetryable || delivery.attempts >= ctx.config.WEBHOOK_MAX_ATTEMPTS;
    await ctx.db.transaction(async (tx) => {
      await tx.insert(webhookAttempts).values({
        deliveryId: delivery.id,
        companyId: delivery.companyId,
        attempt: delivery.attempts,
        statusCode: result.statusCode,
        responseExcerpt: result.excerpt,
        error: result.error,
        durationMs: result.durationMs,
      });
      await tx
        .update(webhookDeliveries)
        .set({
          status: isDone ? 'succeeded' : isLast ? 'failed' : 'pending',
          lastStatusCode: result.statusCode,
          lastError: result.error,
          ...(isDone ? { deliveredAt: new Date() } : {}),
          nextAttemptAt: new Date(
            now.getTime() + backoffSeconds(delivery.attempts, ctx.config.WEBHOOK_RETRY_SECONDS) * 1000,
          ),
        })
        .where(
          and(eq(webhookDeliveries.companyId, delivery.companyId), eq(webhookDeliveries.id, delivery.id)),
        );
    });
  }
  return made;
}

/** The body a receiver gets: the event, as stored (a replay sends the same body under a new timestamp). */
export function eventBody(event: typeof webhookEvents.$inferSelect): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    created_at: event.createdAt.toISOString(),
    company_id: event.companyId,
    data: event.data,
  });
}

async function attempt(ctx: AppContext, delivery: DeliveryRow, now: Date): Promise<AttemptResult> {
  const started = performance.now();
  const fail = (error: string, isRetryable: boolean): AttemptResult => ({
    statusCode: null,
    excerpt: null,
    error,
    durationMs: Math.round(performance.now() - started),
    isRetryable,
  });
  const [row] = await ctx.db
    .select({ endpoint: webhookEndpoints, event: webhookEvents })
    .from(webhookEndpoints)
    .innerJoin(webhookEvents, eq(webhookEvents.id, delivery.eventId))
    .where(
      and(eq(webhookEndpoints.companyId, delivery.companyId), eq(webhookEndpoints.id, delivery.endpointId)),
    );
  if (!row) return fail('ENDPOINT_NOT_FOUND', false);
  if (!row.endpoint.isEnabled) return fail('ENDPOINT_DISABLED', false);
  const url = new URL(row.endpoint.url);
  // Resolved again at each delivery, and the connection made to the address checked: a name that pointed at a
  // public address when the endpoint was made and at a private one now (DNS rebinding) reaches nothing.
  const resolved = await resolveEndpointHost(url.hostname, ctx.config.WEBHOOKS_ALLOW_PRIVATE);
  if (!resolved.ok) return fail(resolved.code, resolved.code === 'WEBHOOK_HOST_UNRESOLVABLE');
  const secrets = [decrypt(ctx.secrets.dataKey, row.endpoint.secretSealed)];
  const previous = row.endpoint.previousSecretSealed;
  const expires = row.endpoint.previousSecretExpiresAt;
  if (previous && expires && expires > now) secrets.push(decrypt(ctx.secrets.dataKey, previous));
  const body = eventBody(row.event);
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'InvoiceFlow-Webhooks/1',
    [WEBHOOK_HEADERS.event]: row.event.type,
    [WEBHOOK_HEADERS.eventId]: row.event.id,
    [WEBHOOK_HEADERS.deliveryId]: delivery.id,
    [WEBHOOK_HEADERS.timestamp]: String(timestamp),
    [WEBHOOK_HEADERS.signature]: signatureHeader(secrets, timestamp, body),
  };
  const pinned = resolved.addresses[0] as { address: string; family: 4 | 6 };
  const answer = await post(url, pinned, headers, body, ctx.config.WEBHOOK_TIMEOUT_MS);
  const durationMs = Math.round(performance.now() - started);
  if ('error' in answer) return { ...fail(answer.error, true), durationMs };
  const status = answer.statusCode;
  return {
    statusCode: status,
    excerpt: answer.excerpt,
    error: status >= 200 && status < 300 ? null : `HTTP ${status}`,
    durationMs,
    isRetryable: status >= 500 || status === 408 || status === 429,
  };
}

/** One POST to `url`, connected to `pinned` (already checked), without following redirects. */
function post(
  url: URL,
  pinned: { address: string; family: 4 | 6 },
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<{ statusCode: number; excerpt: string } | { error: string }> {
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let isSettled = false;
    const settle = (value: { statusCode: number; excerpt: string } | { error: string }) => {
      if (isSettled) return;
      isSettled = true;
      clearTimeout(timer);
      resolve(value);
    };
    const request = client.request(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < EXCERPT_BYTES) chunks.push(chunk);
          size += chunk.length;
          if (size >= EXCERPT_BYTES) response.destroy();
        });
        const done = () =>
          settle({
            statusCode: response.statusCode ?? 0,
            // PostgreSQL text holds no NUL; a cut may split a character, which decodes as U+FFFD.
            excerpt: Buffer.concat(chunks)
              .subarray(0, EXCERPT_BYTES)
              .toString('utf8')
              .replaceAll('\u0000', '\uFFFD'),
          });
        response.on('end', done);
        response.on('close', done);
        response.on('error', done);
      },
    );
    const timer = setTimeout(() => {
      request.destroy();
      settle({ error: 'TIMEOUT' });
    }, timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => settle({ error: error.code ?? 'NETWORK_ERROR' }));
    request.end(body);
  });
}
