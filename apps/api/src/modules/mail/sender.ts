import { type Db, schema } from '@invoiceflow/db';
import { and, asc, eq, inArray, lte, sql } from '@invoiceflow/db/orm';
import nodemailer from 'nodemailer';
import { AppError } from '../../lib/errors';
import { getInvoicePdf } from '../pdf/service';

const { mailOutbox } = schema;

export type OutboxRow = typeof mailOutbox.$inferSelect;

export interface Attachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments: Attachment[];
}

/** What sends one mail: nodemailer's SMTP transport, or a stand-in. */
export interface MailTransport {
  sendMail(mail: OutgoingMail): Promise<unknown>;
}

export function createSmtpTransport(url: string): MailTransport & { close(): void } {
  return nodemailer.createTransport(url);
}

export interface DrainOptions {
  from: string;
  maxAttempts: number;
  /** First retry delay; each later retry waits twice as long, up to six hours. */
  retrySeconds: number;
  batchSize?: number;
  /** The clock (tests move it forward to reach a retry). */
  now?: Date;
}

export interface DrainResult {
  sent: number;
  retrying: number;
  failed: number;
}

/** A claimed mail is not claimed again for this long: a process that dies mid-send lets another retry it. */
const LEASE_SECONDS = 600;
const MAX_BACKOFF_SECONDS = 6 * 3600;
/** Mail kinds about one invoice that carry its PDF. */
const KINDS_WITH_INVOICE_PDF = new Set(['invoice', 'reminder']);

export function backoffSeconds(attempts: number, retrySeconds: number): number {
  return Math.min(retrySeconds * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_SECONDS);
}

/**
 * Sends what is due in the outbox, once per call (one batch). Rows are claimed with SKIP LOCKED and a lease, so
 * several processes drain the same outbox without sending a mail twice; a failure is retried with exponential
 * backoff and the mail is marked failed after `maxAttempts`.
 */
export async function drainOutbox(
  db: Db,
  transport: MailTransport,
  options: DrainOptions,
): Promise<DrainResult> {
  const now = options.now ?? new Date();
  const claimable = db
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(and(eq(mailOutbox.status, 'pending'), lte(mailOutbox.nextAttemptAt, now)))
    .orderBy(asc(mailOutbox.nextAttemptAt), asc(mailOutbox.createdAt))
    .limit(options.batchSize ?? 20)
    .for('update', { skipLocked: true });
  const claimed = await db
    .update(mailOutbox)
    .set({
      attempts: sql`${mailOutbox.attempts} + 1`,
      nextAttemptAt: new Date(now.getTime() + LEASE_SECONDS * 1000),
    })
    .where(inArray(mailOutbox.id, claimable))
    .returning();
  const result: DrainResult = { sent: 0, retrying: 0, failed: 0 };
  for (const row of claimed) {
    try {
      await transport.sendMail({
        from: options.from,
        to: row.toAddress,
        subject: row.subject,
        text: row.textBody,
        html: row.htmlBody ?? undefined,
        attachments: await attachmentsOf(db, row),
      });
      await db
        .update(mailOutbox)
        .set({ status: 'sent', sentAt: new Date(), lastError: null })
        .where(eq(mailOutbox.id, row.id));
      result.sent++;
    } catch (error) {
      const isFinal = row.attempts >= options.maxAttempts;
      await db
        .update(mailOutbox)
        .set({
          status: isFinal ? 'failed' : 'pending',
          lastError: String((error as Error)?.message ?? error).slice(0, 1000),
          nextAttemptAt: new Date(now.getTime() + backoffSeconds(row.attempts, options.retrySeconds) * 1000),
        })
        .where(eq(mailOutbox.id, row.id));
      if (isFinal) result.failed++;
      else result.retrying++;
    }
  }
  return result;
}

/**
 * An invoice mail or reminder carries the invoice PDF: the stored one, the very bytes the download serves (a
 * standard invoice still awaiting ZATCA's clearance throws, and the mail waits for a later attempt).
 */
async function attachmentsOf(db: Db, row: OutboxRow): Promise<Attachment[]> {
  const invoiceId = row.refs.invoice_id;
  if (!invoiceId || !row.companyId || !KINDS_WITH_INVOICE_PDF.has(row.kind)) return [];
  const invoice = await getInvoicePdf(db, { companyId: row.companyId, invoiceId }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'INVOICE_NOT_FOUND') return undefined;
    throw error;
  });
  if (!invoice) return [];
  return [
    {
      filename: `${invoice.number.replaceAll(/[^\w.-]/g, '_')}.pdf`,
      content: invoice.pdf,
      contentType: 'application/pdf',
    },
  ];
}
