// The steps of the approval lifecycle (lifecycle.ts): finalize, approve, send. Finalize is the one issuing
// pipeline (the number, the e-invoice XML, the seal, the PDF); approve and send are status steps. Each is audited
// in its transaction, refused with a coded 409 out of order, and idempotent: a step already done answers the
// invoice as it is, with no second audit entry or side effect; an Idempotency-Key replays the first answer.
import type { Db } from '@invoiceflow/db';
import type { Role } from '@invoiceflow/db/schema';
import type { AppContext } from '../../context';
import type { Actor } from '../../lib/actor';
import { recordAudit } from '../../lib/audit';
import { AppError, defineErrors } from '../../lib/errors';
import { requireApprovedCompany } from '../companies/approval';
import { getCompany } from '../companies/queries';
import { withIdempotency } from '../idempotency/service';
import { lockInvoiceForMail, queueInvoiceMail } from '../mail/service';
import { getTransmission } from '../transmission/queries';
import { queueTransmission } from '../transmission/service';
import { lifecycleOf, transition } from './lifecycle';
import { presentInvoice } from './presenter';
import * as q from './queries';
import type { IssueBody } from './schemas';
import { type IssueOptions, type IssueOutcome, issueInTransaction, runIssue } from './service';

defineErrors({
  APPROVAL_NOT_ALLOWED: [
    403,
    'Invoices are approved by an owner or an admin, or by finance where the company allows it.',
  ],
});

/** Who approves: owners and admins; finance when the company says so (companies.is_finance_approver). */
export function mayApprove(role: Role, company: { isFinanceApprover: boolean }): boolean {
  return role === 'owner' || role === 'admin' || (role === 'finance' && company.isFinanceApprover);
}

async function presentCurrent(tx: Db, companyId: string, id: string) {
  const invoice = await q.getInvoice(tx, { companyId, id });
  if (!invoice) throw new AppError('INVOICE_NOT_FOUND');
  return presentInvoice(invoice);
}

/**
 * POST /invoices/{id}/finalize: a draft becomes the finalized document through the issuing pipeline (as
 * /issue does); a finalized, approved or sent invoice answers as it is.
 */
export async function finalizeInvoice(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  id: string,
  options: IssueOptions = {},
): Promise<IssueOutcome> {
  const claim = { scope: 'invoices.finalize', request: { invoice_id: id } };
  return runIssue(ctx, companyId, actor, options, claim, async (tx, afterCommit) => {
    const invoice = await q.lockInvoice(tx, { companyId, id });
    if (!invoice) throw new AppError('INVOICE_NOT_FOUND');
    const lifecycle = lifecycleOf(invoice.snapshot.seller.country);
    transition(invoice.status, 'finalize', { number: invoice.number, lifecycle });
    if (invoice.status !== 'draft') return { statusCode: 200, body: await presentCurrent(tx, companyId, id) };
    const body = { type: 'invoice', ...(invoice.draftBody ?? {}) } as IssueBody;
    const issued = await issueInTransaction(ctx, tx, companyId, actor, body, afterCommit, invoice);
    return { statusCode: 200, body: presentInvoice(issued) };
  });
}

/** POST /invoices/{id}/approve: finalized → approved, by a role allowed to approve. */
export async function approveInvoice(
  ctx: AppContext,
  companyId: string,
  actor: Actor & { role: Role },
  id: string,
  { idempotencyKey }: { idempotencyKey?: string } = {},
) {
  return ctx.db.transaction((tx) =>
    withIdempotency(
      tx,
      { companyId, userId: actor.userId, scope: 'invoices.approve', key: idempotencyKey, request: { id } },
      async () => {
        const company = await getCompany(tx, { companyId });
        if (!company) throw new AppError('COMPANY_NOT_FOUND');
        if (!mayApprove(actor.role, company)) throw new AppError('APPROVAL_NOT_ALLOWED');
        // Concurrent approvals queue on the row lock: the second sees it approved and changes nothing.
        const invoice = await q.lockInvoice(tx, { companyId, id });
        if (!invoice) throw new AppError('INVOICE_NOT_FOUND');
        const lifecycle = lifecycleOf(invoice.snapshot.seller.country);
        const next = transition(invoice.status, 'approve', { number: invoice.number, lifecycle });
        if (next && next !== invoice.status) {
          await q.setStepStatus(tx, { companyId, id, from: invoice.status, to: next });
          await recordAudit(tx, {
            companyId,
            actorUserId: actor.userId,
            action: `${invoice.type}.approved`,
            entityType: 'invoice',
            entityId: id,
            data: { number: invoice.number },
            requestId: actor.requestId,
          });
        }
        return { statusCode: 200, body: await presentCurrent(tx, companyId, id) };
      },
    ),
  );
}

/**
 * POST /invoices/{id}/send where invoices are approved before they are sent: approved → sent, the transmission
 * queued in the same transaction where the company has a provider (transmission/service.ts), and the PDF e-mailed when there is an address (`to`, or the customer's). Sending a
 * sent invoice answers as it is and mails nothing.
 */
export async function sendApprovedInvoice(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  id: string,
  input: { to?: string; message?: string },
  { idempotencyKey }: { idempotencyKey?: string } = {},
) {
  return ctx.db.transaction((tx) =>
    withIdempotency(
      tx,
      {
        companyId,
        userId: actor.userId,
        scope: 'invoices.send',
        key: idempotencyKey,
        request: { id, ...input },
      },
      async () => {
        await requireApprovedCompany(ctx, tx, companyId);
        const invoice = await lockInvoiceForMail(tx, companyId, id);
        if (!invoice) throw new AppError('INVOICE_NOT_FOUND');
        const lifecycle = lifecycleOf(invoice.country);
        const next = transition(invoice.status, 'send', { number: invoice.number, lifecycle });
        const answer = (sentAt: Date | null, to: string | null, transmission: 'queued' | 'none') => ({
          statusCode: 202,
          body: {
            invoice_id: invoice.id,
            invoice_number: invoice.number,
            status: 'sent' as const,
            sent_at: (sentAt ?? new Date()).toISOString(),
            to,
            mail_status: (to ? 'queued' : 'none') as 'queued' | 'none',
            transmission_status: transmission,
          },
        });
        if (next === invoice.status) {
          const queued = await getTransmission(tx, { companyId, invoiceId: id });
          return answer(invoice.sentAt, null, queued ? 'queued' : 'none');
        }
        // Before the mail: an invoice that cannot travel is refused before anything is queued.
        const transmission = await queueTransmission(ctx, tx, { companyId, invoiceId: id });
        const to = input.to ?? invoice.customerEmail;
        if (to) await queueInvoiceMail(ctx, tx, companyId, invoice, to, input.message);
        await q.setStepStatus(tx, { companyId, id, from: invoice.status, to: 'sent' });
        await recordAudit(tx, {
          companyId,
          actorUserId: actor.userId,
          action: 'invoice.sent',
          entityType: 'invoice',
          entityId: id,
          data: to ? { to } : {},
          requestId: actor.requestId,
        });
        const sent = await q.getInvoice(tx, { companyId, id });
        return answer(sent?.sentAt ?? null, to ?? null, transmission);
      },
    ),
  );
}
