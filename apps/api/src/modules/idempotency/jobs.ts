import type { AppContext } from '../../context';
import type { JobDefinition } from '../../jobs/queue';
import { purgeIdempotencyKeys } from './queries';

export const IDEMPOTENCY_PURGE_JOB = 'idempotency.purge';

/** The module's jobs: once a day, the keys older than IDEMPOTENCY_TTL_DAYS are forgotten. */
export function idempotencyJobs(ctx: AppContext): JobDefinition[] {
  const purge: JobDefinition = {
    name: IDEMPOTENCY_PURGE_JOB,
    cron: '30 2 * * *',
    policy: 'singleton',
    retryLimit: 3,
    handle: async () => {
      await purgeIdempotencyKeys(ctx.db, { days: ctx.config.IDEMPOTENCY_TTL_DAYS });
    },
  };
  return [purge];
}
