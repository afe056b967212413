import type { Db } from '@invoiceflow/db';
import type { AppContext } from '../../context';
import type { JobDefinition } from '../../jobs/queue';
import type { Actor } from '../../lib/actor';
import { recordAudit } from '../../lib/audit';
import { AppError, defineErrors, type FieldError } from '../../lib/errors';
import { getCompany } from '../companies/queries';
import { getCustomer } from '../customers/queries';
import { createDraftInvoice } from '../invoices/draft-invoices';
import { AfterCommit, type AfterCommitLog } from '../invoices/extensions';
import type { DraftInvoiceBody, IssueBody } from '../invoices/schemas';
import { issueInvoice } from '../invoices/service';
import { sendInvoice } from '../mail/service';
import { companyDate } from '../payments/company-date';
import { duePeriods, nextPeriod, type ScheduleRule } from './periods';
import * as q from './queries';
import type { RecurringCreate, RecurringUpdate } from './schemas';

defineErrors({
  RECURRING_NOT_FOUND: [404, 'Recurring invoice not found.'],
  RECURRING_INVALID: [422, 'The recurring invoice cannot be saved as it is; see errors.'],
});

export const RECURRING_JOB = 'recurring.run';

/** Periods one schedule invoices per run: a long catch-up goes on at the next run, each period still once. */
const PERIODS_PER_RUN = 50;

/** Every hour (a company's midnight falls on some hour in UTC), and on demand with `at` in tests and the CLI. */
export function recurringJobs(ctx: AppContext): JobDefinition[] {
  const run: JobDefinition<{ at?: string }> = {
    name: RECURRING_JOB,
    cron: '5 * * * *',
    policy: 'singleton',
    retryLimit: 3,
    handle: async (data) => {
      await runRecurringPass(ctx, { now: data.at ? new Date(data.at) : new Date() });
    },
  };
  return [run];
}

const ruleOf = (row: q.ScheduleRow): ScheduleRule => ({
  frequency: row.frequency,
  dayOfMonth: row.dayOfMonth,
  startDate: row.startDate,
  endDate: row.endDate,
  maxCount: row.maxCount,
});

export function presentSchedule(row: q.ScheduleRow, today: string) {
  return {
    id: row.id,
    name: row.name,
    customer_id: row.customerId,
    frequency: row.frequency,
    day_of_month: row.dayOfMonth,
    start_date: row.startDate,
    end_date: row.endDate,
    max_count: row.maxCount,
    mode: row.mode,
    auto_send: row.isAutoSend,
    template: row.template,
    status: row.status,
    last_error: row.lastError,
    next_period_date: nextPeriod(ruleOf(row), today),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export function presentRun(row: q.RunRow) {
  return {
    period_date: row.periodDate,
    outcome: row.outcome,
    invoice_id: row.invoiceId,
    send_error: row.sendError,
    created_at: row.createdAt.toISOString(),
  };
}

function ruleErrors(rule: {
  frequency: string;
  dayOfMonth: number | null;
  startDate: string;
  endDate: string | null;
  mode: string;
  isAutoSend: boolean;
}): FieldError[] {
  const errors: FieldError[] = [];
  if (rule.frequency === 'weekly' && rule.dayOfMonth !== null) {
    errors.push({
      path: 'day_of_month',
      code: 'NOT_ALLOWED',
      message: 'A weekly schedule falls on the start date’s weekday.',
    });
  }
  if (rule.endDate !== null && rule.endDate < rule.startDate) {
    errors.push({ path: 'end_date', code: 'END_BEFORE_START', message: 'The end date is before the start.' });
  }
  if (rule.isAutoSend && rule.mode !== 'issue') {
    errors.push({
      path: 'auto_send',
      code: 'NOT_ALLOWED',
      message: 'Only issued invoices are sent; a draft is reviewed first.',
    });
  }
  return errors;
}

async function assertCustomer(tx: Db, companyId: string, customerId: string): Promise<void> {
  const customer = await getCustomer(tx, { companyId, id: customerId });
  if (!customer || customer.archivedAt !== null) {
    throw new AppError('RECURRING_INVALID', {
      errors: [{ path: 'customer_id', code: 'CUSTOMER_NOT_FOUND', message: 'No such customer.' }],
    });
  }
}

export async function createSchedule(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  body: RecurringCreate,
) {
  return ctx.db.transaction(async (tx) => {
    const values = {
      companyId,
      customerId: body.customer_id,
      name: body.name || null,
      frequency: body.frequency,
      dayOfMonth: body.day_of_month ?? null,
      startDate: body.start_date,
      endDate: body.end_date ?? null,
      maxCount: body.max_count ?? null,
      mode: body.mode,
      isAutoSend: body.auto_send,
      template: body.template as Record<string, unknown>,
      createdBy: actor.userId,
    } satisfies q.ScheduleInsert;
    const errors = ruleErrors(values);
    if (errors.length > 0) throw new AppError('RECURRING_INVALID', { errors });
    await assertCustomer(tx, companyId, body.customer_id);
    const row = await q.insertSchedule(tx, values);
    await recordAudit(tx, {
      companyId,
      actorUserId: actor.userId,
      action: 'recurring.created',
      entityType: 'recurring_schedule',
      entityId: row.id,
      data: { frequency: row.frequency, mode: row.mode, start_date: row.startDate },
      requestId: actor.requestId,
    });
    return row;
  });
}

export async function getScheduleOrThrow(db: Db, companyId: string, id: string) {
  const row = await q.getSchedule(db, { companyId, id });
  if (!row) throw new AppError('RECURRING_NOT_FOUND');
  return row;
}

export async function updateSchedule(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  id: string,
  body: RecurringUpdate,
) {
  return ctx.db.transaction(async (tx) => {
    const current = await q.lockSchedule(tx, { companyId, id });
    if (!current) throw new AppError('RECURRING_NOT_FOUND');
    const values: Partial<q.ScheduleInsert> = {
      ...(body.name !== undefined ? { name: body.name || null } : {}),
      ...(body.end_date !== undefined ? { endDate: body.end_date } : {}),
      ...(body.max_count !== undefined ? { maxCount: body.max_count } : {}),
      ...(body.mode !== undefined ? { mode: body.mode } : {}),
      ...(body.auto_send !== undefined ? { isAutoSend: body.auto_send } : {}),
      ...(body.template !== undefined ? { template: body.template as Record<string, unknown> } : {}),
    };
    const errors = ruleErrors({ ...current, ...values } as q.ScheduleRow);
    if (errors.length > 0) throw new AppError('RECURRING_INVALID', { errors });
    const row = await q.updateSchedule(tx, { companyId, id, values });
    await recordAudit(tx, {
      companyId,
      actorUserId: actor.userId,
      action: 'recurring.updated',
      entityType: 'recurring_schedule',
      entityId: id,
      data: { fields: Object.keys(body) },
      requestId: actor.requestId,
    });
    return row;
  });
}

/** The invoices made stay; the schedule and its period rows go. */
export async function deleteSchedule(ctx: AppContext, companyId: string, actor: Actor, id: string) {
  await ctx.db.transaction(async (tx) => {
    const current = await q.lockSchedule(tx, { companyId, id });
    if (!current) throw new AppError('RECURRING_NOT_FOUND');
    await q.deleteSchedule(tx, { companyId, id });
    await recordAudit(tx, {
      companyId,
      actorUserId: actor.userId,
      action: 'recurring.deleted',
      entityType: 'recurring_schedule',
      entityId: id,
      requestId: actor.requestId,
    });
  });
}

export async function pauseSchedule(ctx: AppContext, companyId: string, actor: Actor, id: string) {
  return ctx.db.transaction(async (tx) => {
    const current = await q.lockSchedule(tx, { companyId, id });
    if (!current) throw new AppError('RECURRING_NOT_FOUND');
    if (current.status === 'paused') return current;
    const row = await q.updateSchedule(tx, { companyId, id, values: { status: 'paused' } });
    await recordAudit(tx, {
      companyId,
      actorUserId: actor.userId,
      action: 'recurring.paused',
      entityType: 'recurring_schedule',
      entityId: id,
      requestId: actor.requestId,
    });
    return row;
  });
}

/**
 * Active again. The periods due by today that have no invoice are skipped (a row each, so no later run makes
 * them) unless `catchUp`: then the next run invoices each of them once.
 */
export async function resumeSchedule(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  id: string,
  { catchUp, now = new Date() }: { catchUp: boolean; now?: Date },
) {
  return ctx.db.transaction(async (tx) => {
    const current = await q.lockSchedule(tx, { companyId, id });
    if (!current) throw new AppError('RECURRING_NOT_FOUND');
    if (current.status === 'active') return current;
    let skipped = 0;
    if (!catchUp) {
      const company = await getCompany(tx, { companyId });
      if (!company) throw new AppError('COMPANY_NOT_FOUND');
      const today = companyDate(company.timeZone, now);
      for (const periodDate of duePeriods(ruleOf(current), today)) {
        if (await q.claimPeriod(tx, { scheduleId: id, companyId, periodDate, outcome: 'skipped' })) skipped++;
      }
    }
    const row = await q.updateSchedule(tx, { companyId, id, values: { status: 'active', lastError: null } });
    await recordAudit(tx, {
      companyId,
      actorUserId: actor.userId,
      action: 'recurring.resumed',
      entityType: 'recurring_schedule',
      entityId: id,
      data: { catch_up: catchUp, skipped_periods: skipped },
      requestId: actor.requestId,
    });
    return row;
  });
}

export interface RecurringPassResult {
  /** Periods invoiced by this pass (drafts or issued). */
  invoiced: number;
  /** Schedules paused because their invoice could not be made. */
  paused: number;
}

/**
 * Every active schedule's due periods that have no row yet, oldest first, each in its own transaction: the
 * period's row, the invoice through the issuing pipeline (signed and chained where the company's profile says
 * so), the mail if the schedule sends. A duplicate or concurrent pass finds the row (or waits for the
 * transaction holding it) and makes nothing; a late pass makes each missed period once.
 */
export async function runRecurringPass(
  ctx: AppContext,
  { now = new Date(), log }: { now?: Date; log?: AfterCommitLog } = {},
): Promise<RecurringPassResult> {
  const result: RecurringPassResult = { invoiced: 0, paused: 0 };
  for (const { schedule, timeZone } of await q.listActiveSchedules(ctx.db)) {
    const today = companyDate(timeZone, now);
    const done = new Set(
      (await q.listRuns(ctx.db, { companyId: schedule.companyId, scheduleId: schedule.id })).map(
        (run) => run.periodDate,
      ),
    );
    const owed = duePeriods(ruleOf(schedule), today)
      .filter((date) => !done.has(date))
      .slice(0, PERIODS_PER_RUN);
    for (const periodDate of owed) {
      const outcome = await runPeriod(ctx, schedule, periodDate, log);
      if (outcome === 'paused') {
        result.paused++;
        break;
      }
      if (outcome === 'made') result.invoiced++;
    }
  }
  return result;
}

async function runPeriod(
  ctx: AppContext,
  schedule: q.ScheduleRow,
  periodDate: string,
  log?: AfterCommitLog,
): Promise<'made' | 'none' | 'paused'> {
  const { companyId, id: scheduleId } = schedule;
  const actor: Actor = { userId: schedule.createdBy, requestId: `recurring:${scheduleId}:${periodDate}` };
  const afterCommit = new AfterCommit(log);
  try {
    const made = await ctx.db.transaction(async (tx) => {
      // The schedule as it is now (a pause or an edit since the pass read it), locked until commit.
      const current = await q.lockSchedule(tx, { companyId, id: scheduleId });
      if (current?.status !== 'active') return false;
      const outcome = current.mode === 'draft' ? 'draft' : 'issued';
      if (!(await q.claimPeriod(tx, { scheduleId, companyId, periodDate, outcome }))) return false;
      const body = {
        ...current.template,
        type: 'invoice',
        customer_id: current.customerId,
        issue_date: periodDate,
      };
      let invoiceId: string;
      if (current.mode === 'draft') {
        const draft = await createDraftInvoice(ctx, companyId, actor, body as DraftInvoiceBody, { tx });
        invoiceId = draft.body.id;
      } else {
        const issued = await issueInvoice(ctx, companyId, actor, body as IssueBody, { tx, afterCommit, log });
        invoiceId = issued.body.id;
      }
      let sendError: string | null = null;
      if (current.mode === 'issue' && current.isAutoSend) {
        // In a savepoint: a customer without an address or the day's mail limit leaves the invoice issued.
        try {
          await tx.transaction((inner) => sendInvoice(ctx, companyId, actor, invoiceId, {}, { tx: inner }));
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          sendError = error.code;
        }
      }
      await q.completeRun(tx, {
        companyId,
        scheduleId,
        periodDate,
        values: {
          invoiceId,
          sendError,
          outcome: sendError === null && current.isAutoSend ? 'sent' : outcome,
        },
      });
      await recordAudit(tx, {
        companyId,
        actorUserId: null,
        action: 'recurring.invoiced',
        entityType: 'recurring_schedule',
        entityId: scheduleId,
        data: { period_date: periodDate, invoice_id: invoiceId, outcome },
        requestId: actor.requestId,
      });
      return true;
    });
    await afterCommit.run();
    return made ? 'made' : 'none';
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    // The template no longer issues (a rule, an archived customer or product): the schedule waits for a person,
    // who fixes it and resumes with catch_up to invoice this period.
    await ctx.db.transaction(async (tx) => {
      await q.updateSchedule(tx, {
        companyId,
        id: scheduleId,
        values: {
          status: 'paused',
          lastError: {
            period_date: periodDate,
            code: error.code,
            errors: (error.errors ?? []).map(({ path, code }) => ({ path, code })),
          },
        },
      });
      await recordAudit(tx, {
        companyId,
        actorUserId: null,
        action: 'recurring.paused',
        entityType: 'recurring_schedule',
        entityId: scheduleId,
        data: { period_date: periodDate, code: error.code },
        requestId: actor.requestId,
      });
    });
    return 'paused';
  }
}
