// The steps of an invoice's stored status, in one table per lifecycle: which action may happen in which status,
// and what the status becomes. Saudi Arabia and the generic profile: draft → issued → sent. Where invoices are
// approved before they are sent (the UAE: the profile's lifecycle names `approved`), draft → finalized → approved
// → sent, with `issued` stored for finalized: the same pipeline makes the same document (number, XML, seal), so
// every query that knows issued documents keeps knowing them. The services keep asking `transition` instead of
// testing statuses themselves.
// Paid, partially paid, overdue and credited are not steps: they are derived from amounts and dates at read time
// (queries.ts derivedStatusSql).
import type { INVOICE_STORED_STATUSES } from '@invoiceflow/db/schema';
import { profileFor } from '@invoiceflow/jurisdictions';
import { AppError, defineErrors } from '../../lib/errors';

export type StoredStatus = (typeof INVOICE_STORED_STATUSES)[number];
export type InvoiceAction = 'edit' | 'delete' | 'issue' | 'mark_sent' | 'finalize' | 'approve' | 'send';
export type Lifecycle = 'issue' | 'approval';
export type LifecycleStep = 'finalize' | 'approve' | 'send';

type Steps = Record<StoredStatus, Partial<Record<InvoiceAction, StoredStatus | null>>>;

/**
 * For each lifecycle and status, the actions allowed in it and the status each leads to (`null`: the record is
 * removed). A step that leads to the status it is in was already done: repeating it changes nothing (no audit
 * entry, no side effect) and answers the same state.
 */
const STEPS: Record<Lifecycle, Steps> = {
  issue: {
    draft: { edit: 'draft', delete: null, issue: 'issued' },
    issued: { mark_sent: 'sent' },
    approved: {},
    sent: { mark_sent: 'sent' },
  },
  approval: {
    draft: { edit: 'draft', delete: null, issue: 'issued', finalize: 'issued' },
    issued: { finalize: 'issued', approve: 'approved' },
    approved: { finalize: 'approved', approve: 'approved', send: 'sent', mark_sent: 'sent' },
    sent: { finalize: 'sent', approve: 'sent', send: 'sent', mark_sent: 'sent' },
  },
};

defineErrors({
  INVOICE_NOT_FINALIZED: [409, 'The invoice is a draft: finalize it first.'],
  INVOICE_NOT_APPROVED: [409, 'The invoice is not approved yet: approve it before it is sent.'],
  LIFECYCLE_STEP_NOT_AVAILABLE: [
    409,
    "This company's invoices are issued and sent without an approval step; use issue and mark-sent.",
  ],
});

/** What an action refused in a status answers: an issued document is corrected by a credit note. */
function refusalOf(lifecycle: Lifecycle, status: StoredStatus, action: InvoiceAction): string {
  switch (action) {
    case 'edit':
    case 'delete':
    case 'issue':
      return 'INVOICE_ISSUED';
    case 'finalize':
      return 'LIFECYCLE_STEP_NOT_AVAILABLE';
    case 'approve':
      return lifecycle === 'approval' ? 'INVOICE_NOT_FINALIZED' : 'LIFECYCLE_STEP_NOT_AVAILABLE';
    case 'send':
    case 'mark_sent':
      if (lifecycle === 'issue')
        return action === 'send' ? 'LIFECYCLE_STEP_NOT_AVAILABLE' : 'INVOICE_NOT_ISSUED';
      return status === 'draft' ? 'INVOICE_NOT_FINALIZED' : 'INVOICE_NOT_APPROVED';
  }
}

/** The lifecycle of a country's invoices, as its profile names its statuses. */
export function lifecycleOf(country: string): Lifecycle {
  return profileFor(country).lifecycle.includes('approved') ? 'approval' : 'issue';
}

/** The name a status has in the lifecycle (`issued` is "finalized" where invoices are approved). */
export function lifecycleStatusOf(lifecycle: Lifecycle, status: StoredStatus): string {
  return lifecycle === 'approval' && status === 'issued' ? 'finalized' : status;
}

/** The actions of the lifecycle's steps allowed now (what a screen offers), in the order they are taken. */
export function nextSteps(lifecycle: Lifecycle, status: StoredStatus): LifecycleStep[] {
  const steps = STEPS[lifecycle][status];
  return (['finalize', 'approve', 'send'] as const).filter((action) => {
    const next = steps[action];
    return next !== undefined && next !== status;
  });
}

export function canTransition(
  status: StoredStatus,
  action: InvoiceAction,
  lifecycle: Lifecycle = 'issue',
): boolean {
  return action in STEPS[lifecycle][status];
}

/** The status `action` leads to from `status` (null: removed), or the action's 409 when it is not allowed. */
export function transition(
  status: StoredStatus,
  action: InvoiceAction,
  details: { number?: string; lifecycle?: Lifecycle } = {},
): StoredStatus | null {
  const lifecycle = details.lifecycle ?? 'issue';
  const next = STEPS[lifecycle][status][action];
  if (next === undefined) {
    throw new AppError(refusalOf(lifecycle, status, action), {
      ...(details.number && status !== 'draft' ? { extra: { invoice_number: details.number } } : {}),
    });
  }
  return next;
}

/** The statuses from which `action` is allowed in any lifecycle (for a query's WHERE; the service decides). */
export function statusesAllowing(action: InvoiceAction): StoredStatus[] {
  const lifecycles = Object.keys(STEPS) as Lifecycle[];
  return (Object.keys(STEPS.issue) as StoredStatus[]).filter((status) =>
    lifecycles.some((lifecycle) => canTransition(status, action, lifecycle)),
  );
}
