// An invoice's history as its users read it: every audit entry recorded under the invoice (drafted, issued,
// approved, sent, mailed, paid, credited, reported to ZATCA, transmitted, delivered, reported to the tax
// authority), oldest first, with who did it — a person, or null for the system (the outbox, a provider's webhook).
import { type Db, schema } from '@invoiceflow/db';
import { and, asc, eq } from '@invoiceflow/db/orm';
import type { AppContext } from '../../context';
import { AppError } from '../../lib/errors';
import { getInvoice } from './queries';

const { auditLog, users } = schema;

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

export async function readTimeline(ctx: AppContext, companyId: string, invoiceId: string) {
  const invoice = await getInvoice(ctx.db, { companyId, id: invoiceId });
  if (!invoice) throw new AppError('INVOICE_NOT_FOUND');
  const rows = await listInvoiceEvents(ctx.db, { companyId, invoiceId });
  return {
    invoice_id: invoiceId,
    events: rows.map((row) => ({
      action: row.action,
      at: row.at.toISOString(),
      actor: row.actorName ?? null,
      details: detailsOf(row.data),
    })),
  };
}
