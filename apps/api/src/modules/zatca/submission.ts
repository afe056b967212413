// Reporting (simplified invoices, within 24 hours) and clearance (standard invoices) as durable background jobs.
// ZATCA busy or unreachable (429, 5xx, network): the job throws and pg-boss retries it with exponential backoff.
// Rejected (400 with validation errors): recorded with ZATCA's messages, never retried. Warnings are kept.
import type { ZatcaSubmissionStatus } from '@invoiceflow/db/schema';
import type { AppContext } from '../../context';
import type { JobDefinition } from '../../jobs/queue';
import type { Actor } from '../../lib/actor';
import { recordAudit } from '../../lib/audit';
import { AppError, defineErrors } from '../../lib/errors';
import { requireApprovedCompany } from '../companies/approval';
import * as egsQueries from '../egs/queries';
import { credentialsOf, zatcaClientFor } from '../egs/service';
import { emitInvoiceEvent } from '../webhooks/events';
import { chainVerificationJob } from './chain-runs';
import { asList, ZatcaApiError, type ZatcaInvoiceResult, zatcaErrorMessages } from './client';
import * as q from './queries';

export const REPORTING_JOB = 'zatca-reporting';
export const CLEARANCE_JOB = 'zatca-clearance';

defineErrors({
  ZATCA_DOCUMENT_NOT_FOUND: [404, 'This invoice has no ZATCA document (not a Saudi invoice).'],
  ZATCA_NOT_RESUBMITTABLE: [409, 'This submission cannot be resubmitted in its current state.'],
});

export interface SubmissionJob {
  companyId: string;
  invoiceId: string;
}

const WAITING: readonly ZatcaSubmissionStatus[] = ['pending'];

/** Reporting and clearance submissions, and chain verification runs. */
export function zatcaJobs(ctx: AppContext): JobDefinition[] {
  const submissions = [REPORTING_JOB, CLEARANCE_JOB].map(
    (name): JobDefinition<SubmissionJob> => ({
      name,
      retryLimit: ctx.config.ZATCA_RETRY_LIMIT,
      retryDelaySeconds: ctx.config.ZATCA_RETRY_DELAY_SECONDS,
      handle: (data) => submitToZatca(ctx, data),
    }),
  );
  return [chainVerificationJob(ctx), ...submissions];
}

/** One attempt at reporting or clearing one invoice. Throws only when a later attempt may succeed. */
export async function submitToZatca(ctx: AppContext, { companyId, invoiceId }: SubmissionJob): Promise<void> {
  const doc = await q.getZatcaDocument(ctx.db, { companyId, invoiceId });
  if (!doc) return;
  if (doc.submissionStatus !== 'pending' || doc.environment === 'local') return;
  const egs = await egsQueries.getEgs(ctx.db, { companyId, id: doc.egsId });
  if (!egs) return;
  const attempts = doc.attempts + 1;
  let answer: ZatcaInvoiceResult;
  try {
    const client = zatcaClientFor(ctx, doc.environment);
    const credentials = credentialsOf(ctx, egs, 'production');
    const submission = {
      invoiceHash: doc.hash,
      uuid: doc.documentUuid,
      invoice: Buffer.from(doc.xml, 'utf8').toString('base64'),
    };
    answer =
      doc.submissionKind === 'clearance'
        ? await client.clearInvoice(credentials, submission)
        : await client.reportInvoice(credentials, submission);
  } catch (error) {
    const isRetryable = error instanceof ZatcaApiError ? error.isRetryable : false;
    const isLastAttempt = attempts > ctx.config.ZATCA_RETRY_LIMIT;
    await q.updateSubmission(ctx.db, {
      companyId,
      invoiceId,
      from: WAITING,
      values: {
        attempts,
        lastError: (error as Error).message,
        httpStatus: error instanceof ZatcaApiError ? error.httpStatus : null,
        // Not retryable (401: the CSID is wrong or revoked) or out of attempts: a person looks at it and resubmits.
        ...(!isRetryable || isLastAttempt
          ? {
              submissionStatus: 'failed' as const,
              errors: error instanceof ZatcaApiError ? zatcaErrorMessages(error.body) : [],
            }
          : {}),
      },
    });
    if (isRetryable && !isLastAttempt) throw error;
    return;
  }

  const v = answer.body.validationResults;
  const zatcaStatus =
    (doc.submissionKind === 'clearance' ? answer.body.clearanceStatus : answer.body.reportingStatus) ?? null;
  const isAccepted =
    answer.httpStatus !== 400 &&
    (doc.submissionKind === 'clearance' ? zatcaStatus === 'CLEARED' : zatcaStatus === 'REPORTED');
  const clearedXml =
    isAccepted && answer.body.clearedInvoice
      ? Buffer.from(answer.body.clearedInvoice, 'base64').toString('utf8')
      : null;
  const submissionStatus = isAccepted
    ? doc.submissionKind === 'clearance'
      ? ('cleared' as const)
      : ('reported' as const)
    : ('rejected' as const);
  await ctx.db.transaction(async (tx) => {
    const updated = await q.updateSubmission(tx, {
      companyId,
      invoiceId,
      from: WAITING,
      values: {
        submissionStatus,
        authorityStatus: zatcaStatus,
        httpStatus: answer.httpStatus,
        warnings: asList(v?.warningMessages),
        errors: asList(v?.errorMessages),
        returnedXml: clearedXml,
        attempts,
        lastError: null,
        submittedAt: new Date(),
      },
    });
    // The authority's answer is announced once: a second attempt that lost the race updates nothing.
    if (updated) {
      await emitInvoiceEvent(tx, {
        companyId,
        invoiceId,
        type: `einvoice.${submissionStatus}`,
        extra: { einvoice: { format: 'zatca', status: submissionStatus, authority_status: zatcaStatus } },
      });
    }
  });
}

/** Sends a failed, rejected or stuck submission again (the same signed XML: its hash is in the chain). */
export async function resubmit(ctx: AppContext, companyId: string, actor: Actor, invoiceId: string) {
  return ctx.db.transaction(async (tx) => {
    await requireApprovedCompany(ctx, tx, companyId);
    const doc = await q.getZatcaDocument(tx, { companyId, invoiceId });
    if (!doc) {
      if (await q.getInvoiceNumber(tx, { companyId, invoiceId }))
        throw new AppError('ZATCA_DOCUMENT_NOT_FOUND');
      throw new AppError('INVOICE_NOT_FOUND');
    }
    if (doc.environment === 'local') {
      throw new AppError('ZATCA_NOT_RESUBMITTABLE', {
        message: 'Issued on a local sandbox unit: its submission is simulated and nothing goes to ZATCA.',
      });
    }
    const updated = await q.updateSubmission(tx, {
      companyId,
      invoiceId,
      from: ['pending', 'failed', 'rejected'],
      values: { submissionStatus: 'pending', attempts: 0, lastError: null },
    });
    if (!updated) {
      throw new AppError('ZATCA_NOT_RESUBMITTABLE', {
        message: `Already ${doc.submissionStatus}: nothing to resubmit.`,
      });
    }
    await ctx.jobs.enqueue(tx, doc.submissionKind === 'clearance' ? CLEARANCE_JOB : REPORTING_JOB, {
      companyId,
      invoiceId,
    });
    await recordAudit(tx, {
      companyId,
      actorUserId: actor.userId,
      action: 'zatca.resubmitted',
      entityType: 'invoice',
      entityId: invoiceId,
      data: { previous_status: doc.submissionStatus },
      requestId: actor.requestId,
    });
    const { submissionStatus, attempts, lastError, updatedAt } = updated;
    return { ...doc, submissionStatus, attempts, lastError, updatedAt };
  });
}
