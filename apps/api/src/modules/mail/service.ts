import { type Db, schema } from '@invoiceflow/db';
import { and, eq, sql } from '@invoiceflow/db/orm';
import { formatAmount } from '@invoiceflow/totals';
import type { AppContext } from '../../context';
import type { JobDefinition } from '../../jobs/queue';
import type { Actor } from '../../lib/actor';
import { recordAudit } from '../../lib/audit';
import { AppError, defineErrors } from '../../lib/errors';
import { requireApprovedCompany } from '../companies/approval';
import { payLinkForMail, payLinkForPdf } from '../online-payments/service';
import { portalLinkForMail } from '../portal/service';
import { queueTransmission } from '../transmission/service';
import { emitInvoiceEvent } from '../webhooks/events';
import { enqueueMail, lockAndCountMailToday } from './queries';
import { createSmtpTransport, drainOutbox, type MailTransport } from './sender';

const { invoices, customers, companies } = schema;

defineErrors({
  INVOICE_NOT_FOUND: [404, 'Invoice not found.'],
  INVOICE_NOT_SENDABLE: [409, 'A draft cannot be sent; issue it first.'],
  CUSTOMER_EMAIL_MISSING: [422, 'The customer has no e-mail address; add one or send `to`.'],
  MAIL_SEND_LIMIT_REACHED: [
    429,
    'This company has e-mailed as many invoices as it may today; sending resumes at midnight, company time.',
  ],
});

export const MAIL_DRAIN_JOB = 'mail.drain';

/**
 * With SMTP_URL set, the outbox is drained every MAIL_POLL_SECONDS by a job any API process may run; a mail claimed
 * by a process that dies is sent by another once MAIL_LEASE_SECONDS have passed.
 */
export function mailJobs(ctx: AppContext): JobDefinition[] {
  const url = ctx.config.SMTP_URL;
  if (!url) return [];
  let transport: MailTransport | undefined;
  const drain: JobDefinition = {
    name: MAIL_DRAIN_JOB,
    everySeconds: ctx.config.MAIL_POLL_SECONDS,
    // Not 'stately' (one active at most): a process that died holding the active drain would stop every drain
    // until pg-boss expired it. Drains may overlap, as each mail is claimed under its own lease.
    policy: 'short',
    expireInSeconds: ctx.config.MAIL_LEASE_SECONDS,
    retryLimit: 0,
    handle: async () => {
      transport ??= createSmtpTransport(url, ctx.config.MAIL_LEASE_SECONDS);
      await drainOutbox(ctx.db, transport, {
        from: ctx.config.MAIL_FROM,
        files: ctx.config,
        maxAttempts: ctx.config.MAIL_MAX_ATTEMPTS,
        retrySeconds: ctx.config.MAIL_RETRY_SECONDS,
        leaseSeconds: ctx.config.MAIL_LEASE_SECONDS,
        payLinkOf: payLinkForPdf(ctx),
      });
    },
  };
  return [drain];
}

/** The invoice with what its mail needs, row-locked: a send and a lifecycle step on it queue here. */
export async function lockInvoiceForMail(tx: Db, companyId: string, invoiceId: string) {
  const [invoice] = await tx
    .select({
      id: invoices.id,
      number: invoices.number,
      type: invoices.type,
      status: invoices.status,
      currency: invoices.currency,
      payableAmount: invoices.payableAmount,
      dueDate: invoices.dueDate,
      sentAt: invoices.sentAt,
      customerId: invoices.customerId,
      customerName: invoices.customerNameEn,
      customerEmail: customers.email,
      companyName: companies.legalNameEn,
      country: companies.country,
    })
    .from(invoices)
    .innerJoin(companies, eq(companies.id, invoices.companyId))
    .leftJoin(customers, eq(customers.id, invoices.customerId))
    .where(and(eq(invoices.companyId, companyId), eq(invoices.id, invoiceId)))
    .for('update', { of: invoices });
  return invoice;
}

export type MailableInvoice = NonNullable<Awaited<ReturnType<typeof lockInvoiceForMail>>>;

/** Queues the invoice's mail to `to` (within the company's daily limit), in the caller's transaction. */
export async function queueInvoiceMail(
  ctx: AppContext,
  tx: Db,
  companyId: string,
  invoice: MailableInvoice,
  to: string,
  message: string | undefined,
): Promise<void> {
  // An account anyone may register must not become a relay: invoice mail per company and day is bounded.
  const today = await lockAndCountMailToday(tx, { companyId, kind: 'invoice' });
  if (today.count >= ctx.config.MAIL_SENDS_PER_COMPANY_PER_DAY) {
    throw new AppError('MAIL_SEND_LIMIT_REACHED', {
      headers: { 'retry-after': String(today.secondsToMidnight) },
    });
  }
  const title = { invoice: 'Invoice', credit_note: 'Credit note', debit_note: 'Debit note' }[invoice.type];
  const due = invoice.dueDate ? `, due on ${invoice.dueDate}` : '';
  const payLink = await payLinkForMail(ctx, tx, { companyId, invoiceId: invoice.id });
  // Each mail its own single-use link: the customer's portal user with this address is signed in by it.
  const portalLink = await portalLinkForMail(ctx, tx, {
    companyId,
    invoiceId: invoice.id,
    customerId: invoice.customerId,
    recipient: to,
  });
  await enqueueMail(tx, {
    companyId,
    to,
    kind: 'invoice',
    subject: `${title} ${invoice.number} from ${invoice.companyName}`,
    text:
      `Dear ${invoice.customerName},\n\n` +
      `Please find attached ${title.toLowerCase()} ${invoice.number} for ` +
      `${formatAmount(invoice.payableAmount, invoice.currency)}${due}.\n` +
      (payLink ? `\nPay online: ${payLink}\n` : '') +
      (portalLink ? `\nView your invoices and statement: ${portalLink}\n` : '') +
      (message ? `\n${message}\n` : '') +
      `\n${invoice.companyName}`,
    refs: { invoice_id: invoice.id },
  });
}

/**
 * Queues the invoice to the customer (the PDF is attached when the mail is sent) and marks it sent, in one
 * transaction: the mail exists if and only if the invoice says it was sent.
 */
export async function sendInvoice(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  invoiceId: string,
  input: { to?: string; message?: string },
  { tx: callerTx }: { tx?: Db } = {},
) {
  // A recurring run sends inside its own transaction: the period's invoice and its mail commit together.
  const inTransaction = async (tx: Db) => {
    await requireApprovedCompany(ctx, tx, companyId);
    const invoice = await lockInvoiceForMail(tx, companyId, invoiceId);
    if (!invoice) throw new AppError('INVOICE_NOT_FOUND');
    if (invoice.status === 'draft') throw new AppError('INVOICE_NOT_SENDABLE');
    // Queued in this transaction where the company has a provider; then an e-mail address is optional.
    const transmission = await queueTransmission(ctx, tx, { companyId, invoiceId });
    const to = input.to ?? invoice.customerEmail;
    if (!to && transmission === 'none') throw new AppError('CUSTOMER_EMAIL_MISSING');
    if (to) await queueInvoiceMail(ctx, tx, companyId, invoice, to, input.message);
    const [sent] = await tx
      .update(invoices)
      .set({ status: 'sent', sentAt: sql`coalesce(${invoices.sentAt}, now())`, updatedAt: new Date() })
      .where(and(eq(invoices.companyId, companyId), eq(invoices.id, invoiceId)))
      .returning({ sentAt: invoices.sentAt });
    await recordAudit(tx, {
      companyId,
      actorUserId: actor.userId,
      action: 'invoice.sent',
      entityType: 'invoice',
      entityId: invoiceId,
      data: to ? { to } : {},
      requestId: actor.requestId,
    });
    await emitInvoiceEvent(tx, { companyId, invoiceId, type: 'invoice.sent' });
    return {
      invoice_id: invoice.id,
      invoice_number: invoice.number,
      status: 'sent' as const,
      sent_at: (sent?.sentAt ?? new Date()).toISOString(),
      to: (to ?? null) as string | null,
      mail_status: (to ? 'queued' : 'none') as 'queued' | 'none',
      transmission_status: transmission,
    };
  };
  return callerTx ? inTransaction(callerTx) : ctx.db.transaction(inTransaction);
}
