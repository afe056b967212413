import { type Db, schema } from '@invoiceflow/db';
import { and, asc, eq, inArray, lte, sql } from '@invoiceflow/db/orm';
import nodemailer from 'nodemailer';
import { AppError } from '../../lib/errors';
import type { StorageConfig } from '../files/storage';
import { getInvoicePdf, type PayLinkOf } from '../pdf/service';
import { getOrderPdf } from '../purchase-orders/service';
import { getQuotePdf } from '../quotes/service';

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

/**
 * SMTP with every wait bounded below the lease: nodemailer's defaults (2 min to connect, 10 min of a silent socket)
 * would let one stuck server hold a claimed mail past its lease, and another process would send it a second time.
 */
export function createSmtpTransport(url: string, leaseSeconds: number): MailTransport & { close(): void } {
  const timeout = Math.max(1000, Math.floor((leaseSeconds * 1000) / 3));
  return nodemailer.createTransport({
    url,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
}

export interface DrainOptions {
  from: string;
  /** Where stored files are: an invoice PDF re-rendered for its mail reads the logo it was issued with. */
  files: StorageConfig;
  maxAttempts: number;
  /** First retry delay; each later retry waits twice as long, up to six hours. */
  retrySeconds: number;
  /** How long a claimed mail is the claimer's: a process that dies mid-send leaves it to another after this. */
  leaseSeconds?: number;
  batchSize?: number;
  /** The clock (tests move it forward to reach a retry). */
  now?: Date;
  /** The pay link an invoice PDF rendered for a mail prints (online payments). */
  payLinkOf?: PayLinkOf;
}

export interface DrainResult {
  sent: number;
  retrying: number;
  failed: number;
}

const DEFAULT_LEASE_SECONDS = 120;
const MAX_BACKOFF_SECONDS = 6 * 3600;
/** Mail kinds about one invoice that carry its PDF. */
const KINDS_WITH_INVOICE_PDF = new Set(['invoice', 'reminder']);

/**
 * Leases and retries count from the later of the drain's clock and the wall clock: a batch of slow sends must
 * not leave a failed mail due again before the batch ends (it would be retried at once, in the same batch).
 */
function laterOf(now: Date): number {
  return Math.max(now.getTime(), Date.now());
}

export function backoffSeconds(attempts: number, retrySeconds: number): number {
  return Math.min(retrySeconds * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_SECONDS);
}

/**
 * Claims the next mail that is due: SKIP LOCKED, so concurrent drains take different mails, and a lease
 * (next_attempt_at moved past the send), so a mail whose sender died comes back to the others when it ends.
 */
export async function claimNextMail(
  db: Db,
  { now, leaseSeconds }: { now: Date; leaseSeconds: number },
): Promise<OutboxRow | undefined> {
  const claimable = db
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(and(eq(mailOutbox.status, 'pending'), lte(mailOutbox.nextAttemptAt, now)))
    .orderBy(asc(mailOutbox.nextAttemptAt), asc(mailOutbox.createdAt))
    .limit(1)
    .for('update', { skipLocked: true });
  const [row] = await db
    .update(mailOutbox)
    .set({
      attempts: sql`${mailOutbox.attempts} + 1`,
      nextAttemptAt: new Date(laterOf(now) + leaseSeconds * 1000),
    })
    .where(inArray(mailOutbox.id, claimable))
    .returning();
  return row;
}

/**
 * Sends what is due in the outbox, up to a batch per call. Several processes drain the same outbox without
 * sending a mail twice; a failure is retried with exponential backoff and the mail is marked failed after
 * `maxAttempts`. Mails are claimed one at a time, so each lease covers one send, not a queue of sends before it.
 */
export async function drainOutbox(
  db: Db,
  transport: MailTransport,
  options: DrainOptions,
): Promise<DrainResult> {
  const now = options.now ?? new Date();
  const leaseSeconds = options.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
  const result: DrainResult = { sent: 0, retrying: 0, failed: 0 };
  for (let claimed = 0; claimed < (options.batchSize ?? 20); claimed++) {
    const row = await claimNextMail(db, { now, leaseSeconds });
    if (!row) break;
    try {
      await transport.sendMail({
        from: options.from,
        to: row.toAddress,
        subject: row.subject,
        text: row.textBody,
        html: row.htmlBody ?? undefined,
        attachments: await attachmentsOf(db, row, options.files, options.payLinkOf),
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
          nextAttemptAt: new Date(laterOf(now) + backoffSeconds(row.attempts, options.retrySeconds) * 1000),
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
async function attachmentsOf(
  db: Db,
  row: OutboxRow,
  files: StorageConfig,
  payLinkOf?: PayLinkOf,
): Promise<Attachment[]> {
  const quoteId = row.refs.quote_id;
  if (quoteId && row.companyId && row.kind === 'quote') return quoteAttachments(db, row.companyId, quoteId);
  const orderId = row.refs.purchase_order_id;
  if (orderId && row.companyId && row.kind === 'purchase_order') {
    return orderAttachments(db, row.companyId, orderId);
  }
  const invoiceId = row.refs.invoice_id;
  if (!invoiceId || !row.companyId || !KINDS_WITH_INVOICE_PDF.has(row.kind)) return [];
  const invoice = await getInvoicePdf(db, { companyId: row.companyId, invoiceId, files }, payLinkOf).catch(
    (error: unknown) => {
      if (error instanceof AppError && error.code === 'INVOICE_NOT_FOUND') return undefined;
      throw error;
    },
  );
  if (!invoice) return [];
  return [
    {
      filename: `${invoice.number.replaceAll(/[^\w.-]/g, '_')}.pdf`,
      content: invoice.pdf,
      contentType: 'application/pdf',
    },
  ];
}

/** A purchase order's mail carries its PDF, rendered from the order as it was sent (only a draft changes). */
async function orderAttachments(db: Db, companyId: string, orderId: string): Promise<Attachment[]> {
  const order = await getOrderPdf(db, { companyId, orderId }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'PURCHASE_ORDER_NOT_FOUND') return undefined;
    throw error;
  });
  if (!order) return [];
  return [
    {
      filename: `${order.number.replaceAll(/[^\w.-]/g, '_')}.pdf`,
      content: order.pdf,
      contentType: 'application/pdf',
    },
  ];
}

/** A quotation's mail carries its PDF, rendered from the quotation as it was sent (a draft cannot change after). */
async function quoteAttachments(db: Db, companyId: string, quoteId: string): Promise<Attachment[]> {
  const quote = await getQuotePdf(db, { companyId, quoteId }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'QUOTE_NOT_FOUND') return undefined;
    throw error;
  });
  if (!quote) return [];
  return [
    {
      filename: `${quote.number.replaceAll(/[^\w.-]/g, '_')}.pdf`,
      content: quote.pdf,
      contentType: 'application/pdf',
    },
  ];
}
