// Reports written as files by a background job: a run is asked for (its row and its job in one transaction), the
// job reads the period month by month and writes its progress, then the file; the client polls the run and
// downloads the file. The job's effect is the run's row: a retried job starts the run over and replaces it.
import type { Db } from '@invoiceflow/db';
import { and, desc, eq, lt, sql } from '@invoiceflow/db/orm';
import { reportRuns } from '@invoiceflow/db/schema';
import type { AppContext } from '../../context';
import type { JobDefinition } from '../../jobs/queue';
import { AppError, defineErrors } from '../../lib/errors';
import * as q from './queries';
import { type FileFormat, type ReportKind, type ReportParams, reportFile } from './report-files';

defineErrors({
  REPORT_RUN_NOT_FOUND: [404, 'Report run not found.'],
  REPORT_RUN_NOT_READY: [409, 'The report is not written yet; see its status and progress.'],
  REPORT_TOO_LARGE: [
    422,
    'This report is too large to write while you wait; start a background run (POST /api/v1/reports/runs).',
  ],
});

export const REPORT_RUN_JOB = 'reports.run';
/** A run's file is kept this long for its download. */
const KEEP_HOURS = 24;

/** Whether a period report is too large to write on the request: more rows in its period than the threshold. */
export async function isLarge(ctx: AppContext, companyId: string, kind: ReportKind, params: ReportParams) {
  if (kind === 'receivables-aging' || kind === 'payables-aging' || !params.from || !params.to) return false;
  const rows = await q.periodRowCount(ctx.db, { companyId, from: params.from, to: params.to });
  return rows > ctx.config.REPORT_JOB_ROWS;
}

export async function startRun(
  ctx: AppContext,
  companyId: string,
  userId: string | undefined,
  request: { kind: ReportKind; format: FileFormat; params: ReportParams },
) {
  const params = Object.fromEntries(
    Object.entries(request.params).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return ctx.db.transaction(async (tx) => {
    const [run] = await tx
      .insert(reportRuns)
      .values({ companyId, requestedBy: userId ?? null, kind: request.kind, format: request.format, params })
      .returning();
    if (!run) throw new Error('report run not stored');
    await ctx.jobs.enqueue(tx, REPORT_RUN_JOB, { companyId, runId: run.id });
    return presentRun(run);
  });
}

type RunRow = typeof reportRuns.$inferSelect;

export function presentRun(run: RunRow) {
  return {
    id: run.id,
    kind: run.kind,
    format: run.format,
    params: run.params,
    status: run.status,
    progress: run.progress,
    file_name: run.fileName,
    byte_size: run.byteSize,
    error: run.error,
    created_at: run.createdAt.toISOString(),
    finished_at: run.finishedAt?.toISOString() ?? null,
  };
}

async function getRun(db: Db, { companyId, id }: { companyId: string; id: string }) {
  const [run] = await db
    .select()
    .from(reportRuns)
    .where(and(eq(reportRuns.companyId, companyId), eq(reportRuns.id, id)));
  return run;
}

export async function runStatus(ctx: AppContext, companyId: string, id: string) {
  const run = await getRun(ctx.db, { companyId, id });
  if (!run) throw new AppError('REPORT_RUN_NOT_FOUND');
  return presentRun(run);
}

export async function runFile(ctx: AppContext, companyId: string, id: string) {
  const run = await getRun(ctx.db, { companyId, id });
  if (!run) throw new AppError('REPORT_RUN_NOT_FOUND');
  if (run.status !== 'done' || !run.file) throw new AppError('REPORT_RUN_NOT_READY');
  return {
    name: run.fileName ?? 'report',
    contentType: run.contentType ?? 'application/octet-stream',
    body: run.file,
  };
}

/** The latest runs of the company, newest first. */
export async function listRuns(ctx: AppContext, companyId: string) {
  const rows = await ctx.db
    .select()
    .from(reportRuns)
    .where(eq(reportRuns.companyId, companyId))
    .orderBy(desc(reportRuns.createdAt))
    .limit(20);
  return rows.map(presentRun);
}

async function setRun(
  db: Db,
  companyId: string,
  id: string,
  values: Partial<typeof reportRuns.$inferInsert>,
) {
  await db
    .update(reportRuns)
    .set(values)
    .where(and(eq(reportRuns.companyId, companyId), eq(reportRuns.id, id)));
}

/** The job: the report read (progress as each month is summed, to 90 %), written, and stored on the run. */
export async function executeRun(ctx: AppContext, data: { companyId: string; runId: string }) {
  const { companyId, runId } = data;
  const run = await getRun(ctx.db, { companyId, id: runId });
  if (!run || run.status === 'done') return;
  await setRun(ctx.db, companyId, runId, { status: 'running', progress: 0, error: null });
  let last = 0;
  const onProgress = async (fraction: number) => {
    const percent = Math.min(90, Math.floor(fraction * 90));
    if (percent <= last) return;
    last = percent;
    await setRun(ctx.db, companyId, runId, { progress: percent });
  };
  try {
    const file = await reportFile(
      ctx,
      companyId,
      run.kind as ReportKind,
      run.params,
      run.format as FileFormat,
      onProgress,
    );
    await setRun(ctx.db, companyId, runId, {
      status: 'done',
      progress: 100,
      fileName: file.name,
      contentType: file.contentType,
      file: file.body,
      byteSize: file.body.length,
      finishedAt: new Date(),
    });
  } catch (error) {
    // A report the request could not make (a period of another company's data never gets here: tenant-scoped).
    const message = error instanceof AppError ? error.message : 'The report could not be written.';
    await setRun(ctx.db, companyId, runId, { status: 'failed', error: message, finishedAt: new Date() });
    if (!(error instanceof AppError)) throw error;
  }
}

/** Runs older than a day are deleted with their files. */
async function sweepRuns(ctx: AppContext) {
  await ctx.db
    .delete(reportRuns)
    .where(lt(reportRuns.createdAt, sql`now() - make_interval(hours => ${KEEP_HOURS})`));
}

export function reportJobs(ctx: AppContext): JobDefinition[] {
  return [
    {
      name: REPORT_RUN_JOB,
      handle: (data) => executeRun(ctx, data as { companyId: string; runId: string }),
      retryLimit: 2,
      expireInSeconds: 1800,
    },
    { name: 'reports.sweep', handle: () => sweepRuns(ctx), cron: '17 * * * *', retryLimit: 0 },
  ];
}
