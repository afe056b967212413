// Chain verification as a run: started by a user, worked by a background job (or, for a short chain asked for
// synchronously, in the request's process), its progress written as it goes and its outcome kept. Reading and
// checking every signed document is the heaviest thing a viewer can ask for, so a company has one run at a time
// (a second start answers the running one) and a number of starts per hour (CHAIN_VERIFY_RUNS_PER_HOUR).
import type { AppContext } from '../../context';
import type { JobDefinition } from '../../jobs/queue';
import { AppError, defineErrors } from '../../lib/errors';
import { countSeals } from '../integrity/queries';
import { type ChainBreak, verifyChain } from './chain';
import * as q from './queries';

export const CHAIN_VERIFY_JOB = 'zatca-chain-verify';

/** A synchronous answer also stops at this many bytes of XML: beyond it the chain is verified as a job. */
const SYNC_MAX_BYTES = 64 * 1024 * 1024;
const RATE_WINDOW_SECONDS = 3600;

defineErrors({
  CHAIN_RUN_NOT_FOUND: [404, 'No such chain verification.'],
  CHAIN_VERIFICATION_FAILED: [503, 'The chain verification could not finish; start it again.'],
});

interface ChainRunJob {
  companyId: string;
  runId: string;
}

export function chainVerificationJob(ctx: AppContext): JobDefinition<ChainRunJob> {
  return {
    name: CHAIN_VERIFY_JOB,
    // A retry after a crash resumes from the run's cursor (claimChainRun takes over a run whose heartbeat stopped).
    retryLimit: 3,
    retryDelaySeconds: q.CHAIN_RUN_STALE_SECONDS,
    handle: async ({ companyId, runId }) => {
      await executeChainRun(ctx, { companyId, runId });
    },
  };
}

export interface StartedRun {
  run: q.ChainRunRow;
  /** false: the company's run already under way was answered. */
  isNew: boolean;
  /** The caller runs it now (executeChainRun); otherwise a job does. */
  isInline: boolean;
}

/**
 * Starts a verification of the company's chains, or answers the one under way. `inlineUpTo`: a chain of at most
 * this many documents (and SYNC_MAX_BYTES) is left to the caller to run; a longer one is queued as a job.
 */
export async function startChainRun(
  ctx: AppContext,
  companyId: string,
  { inlineUpTo = -1 }: { inlineUpTo?: number } = {},
): Promise<StartedRun> {
  return ctx.db.transaction(async (tx) => {
    await q.failStaleChainRuns(tx, { companyId });
    const active = await q.getActiveChainRun(tx, { companyId });
    if (active) return { run: active, isNew: false, isInline: false };
    const limit = ctx.config.CHAIN_VERIFY_RUNS_PER_HOUR;
    const recent = await q.countRecentChainRuns(tx, { companyId, seconds: RATE_WINDOW_SECONDS });
    if (recent.count >= limit) {
      const freeAt = (recent.oldest?.getTime() ?? Date.now()) + RATE_WINDOW_SECONDS * 1000;
      throw new AppError('TOO_MANY_REQUESTS', {
        message: `A company may verify its chain ${limit} times an hour; the last verification's outcome is kept at its run.`,
        headers: { 'retry-after': String(Math.max(1, Math.ceil((freeAt - Date.now()) / 1000))) },
      });
    }
    const total = (await q.countChainDocuments(tx, { companyId })) + (await countSeals(tx, { companyId }));
    const isInline =
      total <= inlineUpTo && (await q.sumChainBytes(tx, { companyId, limit: inlineUpTo })) <= SYNC_MAX_BYTES;
    const run = await q.insertChainRun(tx, { companyId, total, isRunning: isInline });
    if (!run) {
      // Another request started one between our read and our insert (the unique index let one through).
      const other = await q.getActiveChainRun(tx, { companyId });
      if (other) return { run: other, isNew: false, isInline: false };
      throw new AppError('CONFLICT');
    }
    if (!isInline) await ctx.jobs.enqueue(tx, CHAIN_VERIFY_JOB, { companyId, runId: run.id });
    return { run, isNew: true, isInline };
  });
}

// Runs in the request's process take turns: a burst of synchronous checks from many companies is one at a time.
let inlineTurn: Promise<unknown> = Promise.resolve();

/** Works a queued run to its end (or takes over an interrupted one); undefined if it is finished or someone else's. */
export async function executeChainRun(
  ctx: AppContext,
  { companyId, runId }: ChainRunJob,
): Promise<q.ChainRunRow | undefined> {
  const run = await q.claimChainRun(ctx.db, { companyId, id: runId });
  return run ? workChainRun(ctx, run) : undefined;
}

async function workChainRun(ctx: AppContext, run: q.ChainRunRow): Promise<q.ChainRunRow | undefined> {
  const { companyId, id: runId } = run;
  try {
    const result = await verifyChain(
      ctx.db,
      { companyId },
      {
        from: run.cursor ? { checked: run.checked, cursor: run.cursor } : undefined,
        onProgress: (progress) => q.recordChainRunProgress(ctx.db, { companyId, id: runId, ...progress }),
      },
    );
    return await q.finishChainRun(ctx.db, {
      companyId,
      id: runId,
      values: {
        status: 'done',
        checked: result.count,
        egsUnits: result.egs_units,
        isIntact: result.ok,
        firstBreak: result.ok ? null : { ...result.break },
      },
    });
  } catch (error) {
    console.error(`chain verification ${runId} failed`, error);
    return q.finishChainRun(ctx.db, {
      companyId,
      id: runId,
      values: { status: 'failed', error: 'The verification could not finish; start it again.' },
    });
  }
}

/** Works a run started for the caller (startChainRun's isInline), after the others this process works so. */
export function executeChainRunInline(
  ctx: AppContext,
  run: q.ChainRunRow,
): Promise<q.ChainRunRow | undefined> {
  const turn = inlineTurn.then(() => workChainRun(ctx, run));
  inlineTurn = turn.catch(() => undefined);
  return turn;
}

/** The run once it is finished, or as it stands after `timeoutMs`. */
export async function waitForChainRun(
  ctx: AppContext,
  { companyId, id, timeoutMs }: { companyId: string; id: string; timeoutMs: number },
): Promise<q.ChainRunRow | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await q.getChainRun(ctx.db, { companyId, id });
    if (!run || run.status === 'done' || run.status === 'failed' || Date.now() > deadline) return run;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function requireChainRun(
  ctx: AppContext,
  companyId: string,
  id: string,
): Promise<q.ChainRunRow> {
  const run = await q.getChainRun(ctx.db, { companyId, id });
  if (!run) throw new AppError('CHAIN_RUN_NOT_FOUND');
  return run;
}

/** The outcome in the shape GET /compliance/chain/verify has always answered. */
export function chainVerificationOf(run: q.ChainRunRow) {
  return {
    ok: run.isIntact === true,
    count: run.checked,
    egs_units: run.egsUnits,
    ...(run.firstBreak ? { break: run.firstBreak as unknown as ChainBreak } : {}),
  };
}

export function presentChainRun(run: q.ChainRunRow) {
  return {
    id: run.id,
    status: run.status,
    checked: run.checked,
    total: run.total,
    result: run.status === 'done' ? chainVerificationOf(run) : null,
    error: run.error,
    created_at: run.createdAt.toISOString(),
    started_at: run.startedAt?.toISOString() ?? null,
    finished_at: run.finishedAt?.toISOString() ?? null,
  };
}
