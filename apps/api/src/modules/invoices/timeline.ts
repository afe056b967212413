// An invoice's history as its users read it: every audit entry recorded under the invoice (drafted, issued,
// approved, sent, mailed, paid, credited, reported to ZATCA, transmitted, delivered, reported to the tax
// authority), oldest first, with who did it — a person, or null for the system (the outbox, a provider's webhook).
import { type Db, schema } from '@invoiceflow/db';
import { and, asc, eq, isNotNull } from '@invoiceflow/db/orm';
import type { AppContext } from '../../context';
import { AppError } from '../../lib/errors';
import { getInvoice } from './queries';

const { auditLog, users, invoices, payments, paymentAllocations } = schema;

/** At most this many entries: a long-lived invoice's reminders stop growing the answer. */
const TIMELINE_LIMIT = 500;

export async function listInvoiceEvents(
  db: Db,
  { companyId, invoiceId }: { companyId: string; invoiceId: string },
) {
  return db
    .select({
      action: auditLog.action,
      data: auditLog.data,
      at: auditLog.createdAt,
      actorName: users.fullName,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(
      and(
        eq(auditLog.companyId, companyId),
        eq(auditLog.entityType, 'invoice'),
        eq(auditLog.entityId, invoiceId),
      ),
    )
    .orderBy(asc(auditLog.createdAt), asc(auditLog.id))
    .limit(TIMELINE_LIMIT);
}

/** Only plain values of an entry's data are shown: a reason, a number, an amount — never nested structures. */
function detailsOf(data: Record<string, unknown>): Record<string, string | number | boolean> {
  const details: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(data)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      details[key] = value;
  }
  return details;
}

/** Payments allocated to the invoice: when each was recorded, how much of it went to this invoice. */
export async function listInvoicePayments(
  db: Db,
  { companyId, invoiceId }: { companyId: string; invoiceId: string },
) {
  return db
    .select({
      at: paymentAllocations.createdAt,
      amount: paymentAllocations.amount,
      currency: payments.currency,
      method: payments.method,
      paymentDate: payments.paymentDate,
      reference: payments.reference,
      actorName: users.fullName,
    })
    .from(paymentAllocations)
    .innerJoin(
      payments,
      and(
        eq(payments.companyId, paymentAllocations.companyId),
        eq(payments.id, paymentAllocations.paymentId),
      ),
    )
    .leftJoin(users, eq(users.id, paymentAllocations.createdBy))
    .where(and(eq(paymentAllocations.companyId, companyId), eq(paymentAllocations.invoiceId, invoiceId)))
    .limit(TIMELINE_LIMIT);
}

/** Credit and debit notes issued against the invoice. */
export async function listInvoiceNotes(
  db: Db,
  { companyId, invoiceId }: { companyId: string; invoiceId: string },
) {
  return db
    .select({
      id: invoices.id,
      type: invoices.type,
      number: invoices.number,
      amount: invoices.payableAmount,
      currency: invoices.currency,
      at: invoices.issuedAt,
    })
    .from(invoices)
    .where(
      and(
        eq(invoices.companyId, companyId),
        eq(invoices.originalInvoiceId, invoiceId),
        isNotNull(invoices.issuedAt),
      ),
    )
    .limit(TIMELINE_LIMIT);
}

export async function readTimeline(ctx: AppContext, companyId: string, invoiceId: string) {
  const invoice = await getInvoice(ctx.db, { companyId, id: invoiceId });
  if (!invoice) throw new AppError('INVOICE_NOT_FOUND');
  const scope = { companyId, invoiceId };
  const [entries, paid, notes] = await Promise.all([
    listInvoiceEvents(ctx.db, scope),
    listInvoicePayments(ctx.db, scope),
    listInvoiceNotes(ctx.db, scope),
  ]);
  const events = [
    ...entries.map((row) => ({
      action: row.action,
      at: row.at,
      actor: row.actorName ?? null,
      details: detailsOf(row.data),
    })),
    ...paid.map((row) => ({
      action: 'payment.received',
      at: row.at,
      actor: row.actorName ?? null,
      details: {
        amount: row.amount,
        currency: row.currency,
        method: row.method,
        payment_date: row.paymentDate,
        ...(row.reference ? { reference: row.reference } : {}),
      },
    })),
    ...notes.map((row) => ({
      action: `${row.type}.issued_against`,
      at: row.at ?? new Date(0),
      actor: null,
      details: { id: row.id, number: row.number, amount: row.amount, currency: row.currency },
    })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  return {
    invoice_id: invoiceId,
    events: events.slice(0, TIMELINE_LIMIT).map((event) => ({ ...event, at: event.at.toISOString() })),
  };
}
