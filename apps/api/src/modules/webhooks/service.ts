import type { Db } from '@invoiceflow/db';
import type { AppContext } from '../../context';
import type { Actor } from '../../lib/actor';
import { recordAudit } from '../../lib/audit';
import { encrypt } from '../../lib/crypto';
import { AppError, defineErrors } from '../../lib/errors';
import { resolveEndpointHost } from './addresses';
import { eventBody } from './delivery';
import * as q from './queries';
import type { EndpointCreate, EndpointUpdate } from './schemas';
import { newWebhookSecret } from './signature';

defineErrors({
  WEBHOOK_NOT_FOUND: [404, 'Webhook endpoint not found.'],
  WEBHOOK_DELIVERY_NOT_FOUND: [404, 'Webhook delivery not found.'],
  WEBHOOK_URL_REFUSED: [422, 'The endpoint URL cannot be used; see errors.'],
});

/** After a rotation the old secret keeps signing beside the new one this long, so receivers can switch. */
const ROTATION_OVERLAP_MS = 24 * 3600 * 1000;

export function presentEndpoint(row: q.EndpointRow) {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events,
    is_enabled: row.isEnabled,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

type DeliveryListRow = Awaited<ReturnType<typeof q.listDeliveries>>['rows'][number];

export function presentDelivery({ delivery, eventType }: DeliveryListRow) {
  return {
    id: delivery.id,
    endpoint_id: delivery.endpointId,
    event_id: delivery.eventId,
    event_type: eventType,
    status: delivery.status,
    attempts: delivery.attempts,
    next_attempt_at: delivery.status === 'pending' ? delivery.nextAttemptAt.toISOString() : null,
    last_status_code: delivery.lastStatusCode,
    last_error: delivery.lastError,
    replay_of: delivery.replayOf,
    delivered_at: delivery.deliveredAt?.toISOString() ?? null,
    created_at: delivery.createdAt.toISOString(),
  };
}

/**
 * The URL's host must resolve, and only to public addresses unless WEBHOOKS_ALLOW_PRIVATE: checked here so a
 * wrong URL is told at once, and again at each delivery (the name may point elsewhere by then).
 */
async function assertDeliverable(ctx: AppContext, url: string): Promise<void> {
  const outcome = await resolveEndpointHost(new URL(url).hostname, ctx.config.WEBHOOKS_ALLOW_PRIVATE);
  if (outcome.ok) return;
  throw new AppError('WEBHOOK_URL_REFUSED', {
    errors: [
      outcome.code === 'WEBHOOK_ADDRESS_REFUSED'
        ? {
            path: 'url',
            code: outcome.code,
            message: 'The host resolves to a private, loopback or link-local address.',
          }
        : { path: 'url', code: outcome.code, message: 'The host name does not resolve.' },
    ],
  });
}

export async function createEndpoint(ctx: AppContext, companyId: string, actor: Actor, body: EndpointCreate) {
  await assertDeliverable(ctx, body.url);
  const secret = newWebhookSecret();
  return ctx.db.transaction(async (tx) => {
    const row = await q.insertEndpoint(tx, {
      companyId,
      url: body.url,
      events: body.events,
      description: body.description || null,
      isEnabled: body.is_enabled,
      secretSealed: encrypt(ctx.secrets.dataKey, secret),
    });
    await audit(tx, companyId, actor, 'webhook.created', row.id, { url: row.url, events: row.events });
    return { row, secret };
  });
}

export async function getEndpointOrThrow(db: Db, companyId: string, id: string) {
  const row = await q.getEndpoint(db, { companyId, id });
  if (!row) throw new AppError('WEBHOOK_NOT_FOUND');
  return row;
}

export async function updateEndpoint(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  id: string,
  body: EndpointUpdate,
) {
  if (body.url) await assertDeliverable(ctx, body.url);
  return ctx.db.transaction(async (tx) => {
    if (!(await q.lockEndpoint(tx, { companyId, id }))) throw new AppError('WEBHOOK_NOT_FOUND');
    const row = await q.updateEndpoint(tx, {
      companyId,
      id,
      values: {
        ...(body.url !== undefined ? { url: body.url } : {}),
        ...(body.events !== undefined ? { events: body.events } : {}),
        ...(body.description !== undefined ? { description: body.description || null } : {}),
        ...(body.is_enabled !== undefined ? { isEnabled: body.is_enabled } : {}),
      },
    });
    await audit(tx, companyId, actor, 'webhook.updated', id, { fields: Object.keys(body) });
    return row;
  });
}

export async function deleteEndpoint(ctx: AppContext, companyId: string, actor: Actor, id: string) {
  await ctx.db.transaction(async (tx) => {
    if (!(await q.lockEndpoint(tx, { companyId, id }))) throw new AppError('WEBHOOK_NOT_FOUND');
    await q.deleteEndpoint(tx, { companyId, id });
    await audit(tx, companyId, actor, 'webhook.deleted', id);
  });
}

/** A new secret, shown once; the old one signs beside it for a day (both signatures in the header). */
export async function rotateSecret(ctx: AppContext, companyId: string, actor: Actor, id: string) {
  const secret = newWebhookSecret();
  return ctx.db.transaction(async (tx) => {
    const current = await q.lockEndpoint(tx, { companyId, id });
    if (!current) throw new AppError('WEBHOOK_NOT_FOUND');
    const row = await q.updateEndpoint(tx, {
      companyId,
      id,
      values: {
        secretSealed: encrypt(ctx.secrets.dataKey, secret),
        previousSecretSealed: current.secretSealed,
        previousSecretExpiresAt: new Date(Date.now() + ROTATION_OVERLAP_MS),
      },
    });
    await audit(tx, companyId, actor, 'webhook.secret_rotated', id);
    return { row, secret };
  });
}

export async function getDeliveryOrThrow(db: Db, companyId: string, id: string) {
  const row = await q.getDelivery(db, { companyId, id });
  if (!row) throw new AppError('WEBHOOK_DELIVERY_NOT_FOUND');
  const attempts = await q.attemptsOf(db, { companyId, deliveryId: id });
  return {
    ...presentDelivery(row),
    payload: JSON.parse(eventBody(row.event)) as Record<string, unknown>,
    attempt_log: attempts.map((a) => ({
      attempt: a.attempt,
      status_code: a.statusCode,
      response_excerpt: a.responseExcerpt,
      error: a.error,
      duration_ms: a.durationMs,
      created_at: a.createdAt.toISOString(),
    })),
  };
}

/** The same event to the same endpoint again, as a new delivery (its own attempts and log), sent by the job. */
export async function replayDelivery(ctx: AppContext, companyId: string, actor: Actor, id: string) {
  return ctx.db.transaction(async (tx) => {
    const original = await q.getDelivery(tx, { companyId, id });
    if (!original) throw new AppError('WEBHOOK_DELIVERY_NOT_FOUND');
    const replay = await q.insertDelivery(tx, {
      companyId,
      endpointId: original.delivery.endpointId,
      eventId: original.delivery.eventId,
      replayOf: original.delivery.id,
    });
    await audit(tx, companyId, actor, 'webhook.delivery_replayed', original.delivery.endpointId, {
      delivery_id: id,
      replay_id: replay.id,
    });
    return presentDelivery({ delivery: replay, eventType: original.eventType });
  });
}

async function audit(
  tx: Db,
  companyId: string,
  actor: Actor,
  action: string,
  entityId: string,
  data?: Record<string, unknown>,
) {
  await recordAudit(tx, {
    companyId,
    actorUserId: actor.userId,
    action,
    entityType: 'webhook_endpoint',
    entityId,
    ...(data ? { data } : {}),
    requestId: actor.requestId,
  });
}
