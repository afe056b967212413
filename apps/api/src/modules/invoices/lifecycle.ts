// The steps of an invoice's stored status, in one table: which action may happen in which status, and what the
// status becomes. Saudi Arabia and every other country: draft → issued → sent. A country whose invoices need
// approval before they are sent (the UAE's finalize → approve → send) adds its statuses and actions here, chosen
// by the company's country, and the services keep asking `transition` instead of testing statuses themselves.
// Paid, partially paid, overdue and credited are not steps: they are derived from amounts and dates at read time
// (queries.ts derivedStatusSql).
import type { INVOICE_STORED_STATUSES } from '@invoiceflow/db/schema';
import { AppError } from '../../lib/errors';

export type StoredStatus = (typeof INVOICE_STORED_STATUSES)[number];
export type InvoiceAction = 'edit' | 'delete' | 'issue' | 'mark_sent';

/** For each status, the actions allowed in it and the status each leads to (`null`: the record is removed). */
const TRANSITIONS: Record<StoredStatus, Partial<Record<InvoiceAction, StoredStatus | null>>> = {
  draft: { edit: 'draft', delete: null, issue: 'issued' },
  issued: { mark_sent: 'sent' },
  sent: { mark_sent: 'sent' },
};

/** What an action refused in a status answers: an issued document is corrected by a credit note. */
const REFUSALS: Record<InvoiceAction, string> = {
  edit: 'INVOICE_ISSUED',
  delete: 'INVOICE_ISSUED',
  issue: 'INVOICE_ISSUED',
  mark_sent: 'INVOICE_NOT_ISSUED',
};

export function canTransition(status: StoredStatus, action: InvoiceAction): boolean {
  return action in TRANSITIONS[status];
}

/** The status `action` leads to from `status` (null: removed), or the action's 409 when it is not allowed. */
export function transition(
  status: StoredStatus,
  action: InvoiceAction,
  details: { number?: string } = {},
): StoredStatus | null {
  const next = TRANSITIONS[status][action];
  if (next === undefined) {
    throw new AppError(REFUSALS[action], {
      ...(details.number && status !== 'draft' ? { extra: { invoice_number: details.number } } : {}),
    });
  }
  return next;
}

/** The statuses from which `action` is allowed (for a query's WHERE). */
export function statusesAllowing(action: InvoiceAction): StoredStatus[] {
  return (Object.keys(TRANSITIONS) as StoredStatus[]).filter((status) => canTransition(status, action));
}
