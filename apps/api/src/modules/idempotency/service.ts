// Idempotency-Key handling for every operation that takes one (issuing, issuing a draft, creating a draft
// invoice): a row per (company, scope, key), claimed in the transaction of the effect, so the effect and the
// record of its answer commit or roll back together.
// - same key, same body → the first answer (status and body), flagged as a replay;
// - same key, another body → 422 IDEMPOTENCY_KEY_REUSED;
// - same key while the first request is still running → the second waits on the row; it gets the replay when
//   the first commits, or becomes the first when it rolls back (a 409 IDEMPOTENCY_KEY_IN_PROGRESS only if the
//   row is found unfinished, which a committed row never is).
// Keys live IDEMPOTENCY_TTL_DAYS (jobs.ts purges older rows): a client retries within minutes, not weeks.
import { createHash } from 'node:crypto';
import type { Db } from '@invoiceflow/db';
import { AppError, defineErrors } from '../../lib/errors';
import * as q from './queries';

defineErrors({
  IDEMPOTENCY_KEY_REUSED: [422, 'This Idempotency-Key was used for a different request.'],
  IDEMPOTENCY_KEY_IN_PROGRESS: [409, 'A request with this Idempotency-Key is still being processed; retry.'],
});

/** The header's shape: what a client's order id or UUID looks like, nothing that needs escaping. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\w.:-]{1,200}$/;

/** Canonical JSON (sorted keys) hashed: the same request sent twice has the same hash whatever its key order. */
export function requestHash(body: unknown): string {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
      );
    }
    return value;
  };
  return createHash('sha256')
    .update(JSON.stringify(canonical(body)))
    .digest('hex');
}

export interface IdempotentOutcome<T = unknown> {
  statusCode: number;
  body: T;
  isReplay: boolean;
}

export interface IdempotencyRequest {
  companyId: string;
  userId: string;
  /** The operation, e.g. `invoices.issue`: one key may be used once per operation. */
  scope: string;
  /** The client's Idempotency-Key; without one, `run` simply runs. */
  key: string | undefined;
  /** What identifies the request (its body, the path's id): a replay must carry the same. */
  request: unknown;
}

/**
 * Runs `run` once per key, inside `tx` (the transaction of the effect). `run` answers the status and body to
 * store; a replay answers them as stored.
 */
export async function withIdempotency<T>(
  tx: Db,
  { companyId, userId, scope, key, request }: IdempotencyRequest,
  run: () => Promise<{ statusCode: number; body: T }>,
): Promise<IdempotentOutcome<T>> {
  if (!key) return { ...(await run()), isReplay: false };
  const hash = requestHash(request);
  const claimed = await q.claimIdempotencyKey(tx, { companyId, scope, key, userId, requestHash: hash });
  if (!claimed) {
    const first = await q.getIdempotencyKey(tx, { companyId, scope, key });
    if (!first || first.statusCode === null) throw new AppError('IDEMPOTENCY_KEY_IN_PROGRESS');
    if (first.requestHash !== hash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
    return { statusCode: first.statusCode, body: first.response as T, isReplay: true };
  }
  const outcome = await run();
  await q.completeIdempotencyKey(tx, { companyId, scope, key, ...outcome, response: outcome.body });
  return { ...outcome, isReplay: false };
}

/** The Idempotency-Key header, checked: undefined when absent, 400 with its path when malformed. */
export function idempotencyKeyOf(header: unknown): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(header)) {
    throw new AppError('VALIDATION_FAILED', {
      errors: [
        {
          path: 'headers.idempotency-key',
          code: 'INVALID_FORMAT',
          message: 'Up to 200 of A-Z a-z 0-9 _ . : -',
        },
      ],
    });
  }
  return header;
}
