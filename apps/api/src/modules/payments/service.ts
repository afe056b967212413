import type { Db } from '@invoiceflow/db';
import type { PaymentMethod } from '@invoiceflow/db/schema';
import {
  compareMoney,
  fitsCurrency,
  fromMinorUnits,
  minMoney,
  roundMoney,
  subtractMoney,
  sumMoney,
  toMinorUnits,
} from '@invoiceflow/totals';
import type { AppContext } from '../../context';
import type { Actor } from '../../lib/actor';
import { auditorFor, recordAudit } from '../../lib/audit';
import { paymentDateError } from '../../lib/business-dates';
import { AppError, defineErrors, type FieldError, validationError } from '../../lib/errors';
import { releaseFromBankTransaction, takeFromBankTransaction } from '../banking/link';
import { getCompany } from '../companies/queries';
import { emitPaymentEvent } from '../webhooks/events';
import { companyDate } from './company-date';
import { allocatableOnInvoice, PAYMENT_TRANSITIONS, paymentPosition } from './payment-status';
import * as q from './queries';
import type {
  AllocationInput,
  MarkPaidInput,
  PartialPaymentInput,
  PaymentCreateInput,
  PaymentUpdateInput,
} from './schemas';

defineErrors({
  PAYMENT_NOT_FOUND: [404, 'Payment not found.'],
  INVOICE_NOT_FOUND: [404, 'Invoice not found.'],
  ALLOCATION_NOT_FOUND: [404, 'Allocation not found.'],
  INVOICE_NOT_PAYABLE: [
    409,
    'Only an issued invoice or debit note can be paid (not a draft or a credit note).',
  ],
  INVOICE_ALREADY_PAID: [409, 'Nothing is outstanding on this invoice.'],
  PAYMENT_NOT_ALLOCATABLE: [409, 'Only a pending or completed payment can be allocated.'],
  PAYMENT_STATUS_CHANGE_INVALID: [409, 'This payment cannot move to that status.'],
  ALLOCATION_INVALID: [422, 'The allocation is not possible; see errors.'],
});

export type PaymentWithAllocations = q.PaymentRow & { allocations: q.AllocationRow[] };

export function presentPayment(payment: PaymentWithAllocations) {
  const allocated = sumMoney(
    payment.allocations.map((a) => a.amount),
    payment.currency,
  );
  return {
    id: payment.id,
    customer_id: payment.customerId,
    amount: roundMoney(payment.amount, payment.currency),
    amount_cents: toMinorUnits(payment.amount, payment.currency),
    allocated_amount: allocated,
    unallocated_amount: subtractMoney(usableAmount(payment), allocated, payment.currency),
    refunded_amount: roundMoney(payment.refundedAmount, payment.currency),
    currency: payment.currency,
    payment_date: payment.paymentDate,
    payment_method: payment.method,
    reference: payment.reference,
    status: payment.status,
    notes: payment.notes,
    bank_transaction_id: payment.bankTransactionId,
    allocations: payment.allocations.map((a) => ({
      id: a.id,
      payment_id: a.paymentId,
      invoice_id: a.invoiceId,
      invoice_number: a.invoiceNumber,
      amount: roundMoney(a.amount, payment.currency),
      amount_cents: toMinorUnits(a.amount, payment.currency),
      notes: a.notes,
      created_at: a.createdAt.toISOString(),
    })),
    created_at: payment.createdAt.toISOString(),
    updated_at: payment.updatedAt.toISOString(),
  };
}

/** What a payment can pay: its amount less what the gateway paid back of it. */
function usableAmount(payment: q.PaymentRow): string {
  return subtractMoney(payment.amount, payment.refundedAmount, payment.currency);
}

export async function withAllocations(
  db: Db,
  companyId: string,
  rows: q.PaymentRow[],
): Promise<PaymentWithAllocations[]> {
  const allocations = await q.allocationsOfPayments(db, { companyId, paymentIds: rows.map((row) => row.id) });
  return rows.map((row) => ({ ...row, allocations: allocations.filter((a) => a.paymentId === row.id) }));
}

/**
 * The amount as a decimal or in minor units (`amount_cents`); both may be sent when they say the same, and a pair
 * that disagrees is refused rather than one of them silently winning.
 */
function amountOf(input: { amount?: string; amount_cents?: number }, currency: string, path: string): string {
  const fromCents =
    input.amount_cents !== undefined ? fromMinorUnits(input.amount_cents, currency) : undefined;
  if (fromCents !== undefined && input.amount !== undefined && compareMoney(fromCents, input.amount) !== 0) {
    throw new AppError('VALIDATION_FAILED', {
      status: 422,
      errors: [
        {
          path: path.replace(/amount$/, 'amount_cents'),
          code: 'AMOUNT_MISMATCH',
          message: `amount_cents is ${fromCents} ${currency}, not the ${input.amount} sent as amount.`,
        },
      ],
    });
  }
  const amount = fromCents ?? input.amount ?? '0';
  if (compareMoney(amount, '0') <= 0) {
    throw validationError([{ path, code: 'AMOUNT_NOT_POSITIVE', message: 'The amount must be above zero.' }]);
  }
  if (!fitsCurrency(amount, currency)) {
    throw validationError([
      {
        path,
        code: 'TOO_MANY_DECIMALS',
        message: `${currency} amounts have at most the currency's minor-unit digits.`,
      },
    ]);
  }
  return roundMoney(amount, currency);
}

/** The payment's date (today by default), within the business-date rules. */
async function paymentDateOf(db: Db, companyId: string, date: string | undefined): Promise<string> {
  const today = await todayOf(db, companyId);
  if (date === undefined) return today;
  const problem = paymentDateError(date, today);
  if (problem) throw validationError([{ path: 'payment_date', ...problem }]);
  return date;
}

async function todayOf(db: Db, companyId: string): Promise<string> {
  const company = await getCompany(db, { companyId });
  if (!company) throw new AppError('COMPANY_NOT_FOUND');
  return companyDate(company.timeZone);
}

const audit = auditorFor('payment');

/**
 * Allocates a payment (locked by the caller) across invoices. Locks the invoices in id order, checks every
 * rule against the locked state, adds the allocations and rewrites the invoices' paid_amount cache. Each check
 * reads the sums after the locks are held, so concurrent allocations queue and none over-allocates.
 */
async function allocateLocked(
  tx: Db,
  companyId: string,
  actor: Actor,
  payment: q.PaymentRow,
  items: AllocationInput[],
  /** One allocation made for the request's `amount` (mark-paid, partial payment): errors name that field. */
  isSingleAmount = false,
): Promise<void> {
  const pathOf = (i: number, field: string) => (isSingleAmount ? 'amount' : `allocations.${i}.${field}`);
  if (payment.status !== 'pending' && payment.status !== 'completed')
    throw new AppError('PAYMENT_NOT_ALLOCATABLE');
  const amounts = items.map((item, i) => amountOf(item, payment.currency, pathOf(i, 'amount')));
  const invoiceIds = [...new Set(items.map((item) => item.invoice_id))];
  const locked = await q.lockInvoices(tx, { companyId, ids: invoiceIds });
  const byId = new Map(locked.map((invoice) => [invoice.id, invoice]));
  const missing = invoiceIds.find((id) => !byId.has(id));
  if (missing) throw new AppError('INVOICE_NOT_FOUND', { extra: { invoice_id: missing } });

  const errors: FieldError[] = [];
  for (const [i, item] of items.entries()) {
    const invoice = byId.get(item.invoice_id) as q.PayableInvoice;
    if (invoice.status === 'draft' || invoice.type === 'credit_note') {
      throw new AppError('INVOICE_NOT_PAYABLE', { extra: { invoice_id: invoice.id } });
    }
    if (invoice.customerId !== payment.customerId) {
      errors.push({
        path: pathOf(i, 'invoice_id'),
        code: 'CUSTOMER_MISMATCH',
        message: `Invoice ${invoice.number} belongs to another customer than the payment.`,
      });
    }
    if (invoice.currency !== payment.currency) {
      errors.push({
        path: pathOf(i, 'invoice_id'),
        code: 'CURRENCY_MISMATCH',
        message: `Invoice ${invoice.number} is in ${invoice.currency}, the payment in ${payment.currency}.`,
      });
    }
  }
  if (errors.length > 0) throw new AppError('ALLOCATION_INVALID', { errors });

  // What remains of the payment.
  const alreadyAllocated = await q.allocatedOnPayment(tx, { companyId, paymentId: payment.id });
  const remaining = subtractMoney(usableAmount(payment), alreadyAllocated, payment.currency);
  const requested = sumMoney(amounts, payment.currency);
  if (compareMoney(requested, remaining) > 0) {
    throw new AppError('ALLOCATION_INVALID', {
      errors: [
        {
          path: isSingleAmount ? 'amount' : 'allocations',
          code: 'EXCEEDS_PAYMENT',
          message: `Only ${remaining} ${payment.currency} of this payment is left to allocate.`,
        },
      ],
      extra: { unallocated_amount: remaining },
    });
  }

  // What is outstanding on each invoice (pending payments' allocations hold their share too).
  const committed = await q.committedOnInvoices(tx, { companyId, invoiceIds });
  for (const id of invoiceIds) {
    const invoice = byId.get(id) as q.PayableInvoice;
    const allocatable = allocatableOnInvoice(invoice, committed.get(id) ?? '0');
    const asked = sumMoney(
      amounts.filter((_, i) => items[i]?.invoice_id === id),
      payment.currency,
    );
    if (compareMoney(asked, allocatable) > 0) {
      const index = items.findIndex((item) => item.invoice_id === id);
      throw new AppError('ALLOCATION_INVALID', {
        errors: [
          {
            path: pathOf(index, 'amount'),
            code: 'EXCEEDS_OUTSTANDING',
            message: `Only ${allocatable} ${invoice.currency} is outstanding on invoice ${invoice.number}.`,
          },
        ],
        extra: { invoice_id: id, outstanding_amount: allocatable },
      });
    }
  }

  for (const [i, item] of items.entries()) {
    await q.addAllocation(tx, {
      companyId,
      paymentId: payment.id,
      invoiceId: item.invoice_id,
      amount: amounts[i] as string,
      notes: item.notes ?? null,
      createdBy: actor.userId,
    });
  }
  await q.recomputePaidAmounts(tx, { companyId, invoiceIds });
  await audit(tx, companyId, actor, 'payment.allocated', payment.id, {
    allocations: items.map((item, i) => ({ invoice_id: item.invoice_id, amount: amounts[i] })),
  });
}

async function resolveCurrency(tx: Db, companyId: string, input: PaymentCreateInput): Promise<string> {
  if (input.currency) return input.currency;
  if (input.customer_id) {
    const customer = await q.getCustomerCurrency(tx, { companyId, id: input.customer_id });
    if (customer?.currency) return customer.currency;
  }
  const company = await getCompany(tx, { companyId });
  return company?.currency ?? 'SAR';
}

export async function createPayment(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  input: PaymentCreateInput,
): Promise<PaymentWithAllocations> {
  return ctx.db.transaction(async (tx) => {
    if (input.customer_id && !(await q.getCustomerCurrency(tx, { companyId, id: input.customer_id }))) {
      throw validationError([
        { path: 'customer_id', code: 'CUSTOMER_NOT_FOUND', message: 'No such customer.' },
      ]);
    }
    const currency = await resolveCurrency(tx, companyId, input);
    const amount = amountOf(input, currency, 'amount');
    if (input.bank_transaction_id) {
      await takeFromBankTransaction(tx, { companyId, id: input.bank_transaction_id, amount, currency });
    }
    const payment = await q.insertPayment(tx, {
      companyId,
      customerId: input.customer_id ?? null,
      bankTransactionId: input.bank_transaction_id ?? null,
      amount,
      currency,
      paymentDate: await paymentDateOf(tx, companyId, input.payment_date),
      method: input.payment_method,
      reference: input.reference,
      status: input.status,
      notes: input.notes,
      createdBy: actor.userId,
    });
    await audit(tx, companyId, actor, 'payment.created', payment.id, {
      amount: payment.amount,
      currency,
      status: payment.status,
    });
    await emitPaymentEvent(tx, payment);
    if (input.allocations?.length) await allocateLocked(tx, companyId, actor, payment, input.allocations);
    const [full] = await withAllocations(tx, companyId, [payment]);
    return full as PaymentWithAllocations;
  });
}

/**
 * A change to one payment, in one transaction under its row lock (taken before any invoice's: see lockInvoices);
 * answers the payment as `work` left it, with its allocations.
 */
async function changePayment(
  ctx: AppContext,
  companyId: string,
  paymentId: string,
  work: (tx: Db, payment: q.PaymentRow) => Promise<q.PaymentRow>,
): Promise<PaymentWithAllocations> {
  return ctx.db.transaction(async (tx) => {
    const payment = await q.lockPayment(tx, { companyId, id: paymentId });
    if (!payment) throw new AppError('PAYMENT_NOT_FOUND');
    const [full] = await withAllocations(tx, companyId, [await work(tx, payment)]);
    return full as PaymentWithAllocations;
  });
}

export async function allocatePayment(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  paymentId: string,
  items: AllocationInput[],
): Promise<PaymentWithAllocations> {
  return changePayment(ctx, companyId, paymentId, async (tx, payment) => {
    await allocateLocked(tx, companyId, actor, payment, items);
    return payment;
  });
}

export async function removeAllocation(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  paymentId: string,
  allocationId: string,
): Promise<PaymentWithAllocations> {
  return changePayment(ctx, companyId, paymentId, async (tx, payment) => {
    const allocation = await q.getAllocation(tx, { companyId, paymentId, id: allocationId });
    if (!allocation) throw new AppError('ALLOCATION_NOT_FOUND');
    await q.lockInvoices(tx, { companyId, ids: [allocation.invoiceId] });
    await q.deleteAllocation(tx, { companyId, id: allocationId });
    await q.recomputePaidAmounts(tx, { companyId, invoiceIds: [allocation.invoiceId] });
    await audit(tx, companyId, actor, 'payment.allocation_removed', payment.id, {
      invoice_id: allocation.invoiceId,
      amount: allocation.amount,
    });
    return payment;
  });
}

/** The statuses in which a payment holds the bank line it was received in. */
const COUNTING_STATUSES: ReadonlySet<string> = new Set(['pending', 'completed']);

/**
 * What follows a payment's status change (the payment locked by the caller): the bank line is released when it no
 * longer counts, and the invoices it touches are locked and their paid amounts rewritten.
 */
async function afterStatusChange(
  tx: Db,
  companyId: string,
  actor: Actor,
  before: q.PaymentRow,
  updated: q.PaymentRow,
): Promise<void> {
  if (before.bankTransactionId && !COUNTING_STATUSES.has(updated.status)) {
    await releaseFromBankTransaction(tx, {
      companyId,
      id: before.bankTransactionId,
      amount: before.amount,
      currency: before.currency,
    });
  }
  const invoiceIds = await q.invoiceIdsOfPayment(tx, { companyId, paymentId: before.id });
  await q.lockInvoices(tx, { companyId, ids: invoiceIds });
  await q.recomputePaidAmounts(tx, { companyId, invoiceIds });
  await audit(tx, companyId, actor, `payment.${updated.status}`, before.id, {
    from: before.status,
    invoice_ids: invoiceIds,
  });
}

/**
 * Status changes and notes. Completing, failing, cancelling or reversing a payment changes what its
 * allocations pay: the invoices it touches are locked (after the payment) and their cache rewritten.
 */
export async function updatePayment(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  paymentId: string,
  input: PaymentUpdateInput,
): Promise<PaymentWithAllocations> {
  return changePayment(ctx, companyId, paymentId, async (tx, payment) => {
    const values: Parameters<typeof q.updatePayment>[1]['values'] = {};
    if (input.reference !== undefined) values.reference = input.reference;
    if (input.notes !== undefined) values.notes = input.notes;
    const isStatusChange = input.status !== undefined && input.status !== payment.status;
    if (isStatusChange) {
      if (!PAYMENT_TRANSITIONS[payment.status]?.includes(input.status as string)) {
        throw new AppError('PAYMENT_STATUS_CHANGE_INVALID', {
          message: `A ${payment.status} payment cannot become ${input.status}.`,
          extra: { payment_status: payment.status },
        });
      }
      values.status = input.status;
    }
    const updated = await q.updatePayment(tx, { companyId, id: paymentId, values });
    if (isStatusChange) {
      await afterStatusChange(tx, companyId, actor, payment, updated);
    } else {
      await audit(tx, companyId, actor, 'payment.updated', paymentId);
    }
    return updated;
  });
}

/**
 * A credit note issued after payment lowers what is due below what was allocated: the allocations beyond the new
 * due amount give way (pending first, then the newest), so the invoice owes nothing (never a negative amount due)
 * and the excess is customer credit on its payments — `unallocated_amount`, listed by `has_credit`, to allocate to
 * a later invoice or refund. Runs in the credit note's transaction, under the original invoice's row lock (every
 * path that changes an invoice's allocations holds that lock).
 */
export async function releaseAllocationsBeyondDue(
  tx: Db,
  companyId: string,
  actor: Actor,
  invoiceId: string,
): Promise<void> {
  const invoice = await q.getPayableInvoice(tx, { companyId, id: invoiceId });
  if (!invoice) return;
  const { currency } = invoice;
  const allocations = await q.liveAllocationsOfInvoice(tx, { companyId, invoiceId });
  const committed = sumMoney(
    allocations.map((a) => a.amount),
    currency,
  );
  let excess = subtractMoney(committed, allocatableOnInvoice(invoice, '0'), currency);
  if (compareMoney(excess, '0') <= 0) return;
  const released: { payment_id: string; amount: string }[] = [];
  for (const allocation of allocations) {
    if (compareMoney(excess, '0') <= 0) break;
    const amount = minMoney(excess, allocation.amount, currency);
    const left = subtractMoney(allocation.amount, amount, currency);
    if (compareMoney(left, '0') > 0) {
      await q.setAllocationAmount(tx, { companyId, id: allocation.id, amount: left });
    } else {
      await q.deleteAllocation(tx, { companyId, id: allocation.id });
    }
    released.push({ payment_id: allocation.paymentId, amount });
    excess = subtractMoney(excess, amount, currency);
  }
  await q.recomputePaidAmounts(tx, { companyId, invoiceIds: [invoiceId] });
  await recordAudit(tx, {
    companyId,
    actorUserId: actor.userId,
    action: 'invoice.allocations_released',
    entityType: 'invoice',
    entityId: invoiceId,
    data: { released },
    requestId: actor.requestId,
  });
}

export async function invoicePaymentSummary(db: Db, companyId: string, invoiceId: string) {
  const invoice = await q.getPayableInvoice(db, { companyId, id: invoiceId });
  if (!invoice) throw new AppError('INVOICE_NOT_FOUND');
  const [completed, rows] = await Promise.all([
    q.completedAllocationAmounts(db, { companyId, invoiceId }),
    q.paymentsOfInvoice(db, { companyId, invoiceId }),
  ]);
  const position = paymentPosition(invoice, completed);
  const paymentsWithAllocations = await withAllocations(db, companyId, rows);
  return {
    invoice_id: invoice.id,
    invoice_number: invoice.number,
    currency: invoice.currency,
    invoice_total: roundMoney(invoice.payableAmount, invoice.currency),
    invoice_total_cents: toMinorUnits(invoice.payableAmount, invoice.currency),
    credited_amount: roundMoney(invoice.creditedAmount, invoice.currency),
    total_paid: position.paid,
    total_paid_cents: toMinorUnits(position.paid, invoice.currency),
    total_outstanding: position.outstanding,
    total_outstanding_cents: toMinorUnits(position.outstanding, invoice.currency),
    is_fully_paid: position.isFullyPaid,
    payment_status: position.status,
    payments: paymentsWithAllocations.map(presentPayment),
  };
}

/** A new payment from the invoice's customer for `amount`, allocated to the invoice (locked first). */
async function payInvoice(
  tx: Db,
  companyId: string,
  actor: Actor,
  invoice: q.PayableInvoice,
  amount: string,
  details: MarkPaidInput,
): Promise<q.PaymentRow> {
  const payment = await q.insertPayment(tx, {
    companyId,
    customerId: invoice.customerId,
    amount,
    currency: invoice.currency,
    paymentDate: await paymentDateOf(tx, companyId, details.payment_date),
    method: details.payment_method,
    reference: details.reference,
    status: 'completed',
    notes: details.notes,
    createdBy: actor.userId,
  });
  await audit(tx, companyId, actor, 'payment.created', payment.id, { amount, currency: invoice.currency });
  await emitPaymentEvent(tx, payment);
  // The new payment is invisible to other transactions, so locking the invoice before it keeps the order safe.
  await allocateLocked(
    tx,
    companyId,
    actor,
    payment,
    [{ invoice_id: invoice.id, amount, notes: null }],
    true,
  );
  return payment;
}

async function lockPayableInvoice(tx: Db, companyId: string, invoiceId: string): Promise<q.PayableInvoice> {
  const [invoice] = await q.lockInvoices(tx, { companyId, ids: [invoiceId] });
  if (!invoice) throw new AppError('INVOICE_NOT_FOUND');
  if (invoice.status === 'draft' || invoice.type === 'credit_note') throw new AppError('INVOICE_NOT_PAYABLE');
  return invoice;
}

/** Seed 003's mark-paid: a payment for everything outstanding, allocated to the invoice. */
export async function markInvoicePaid(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  invoiceId: string,
  details: MarkPaidInput,
) {
  return ctx.db.transaction(async (tx) => {
    const invoice = await lockPayableInvoice(tx, companyId, invoiceId);
    const committed = await q.committedOnInvoices(tx, { companyId, invoiceIds: [invoiceId] });
    const outstanding = allocatableOnInvoice(invoice, committed.get(invoiceId) ?? '0');
    if (compareMoney(outstanding, '0') <= 0) throw new AppError('INVOICE_ALREADY_PAID');
    const payment = await payInvoice(tx, companyId, actor, invoice, outstanding, details);
    return outcome(tx, companyId, invoiceId, payment);
  });
}

/** Seed 003's partial-payment: a payment of `amount`, refused when above what is outstanding. */
export async function recordPartialPayment(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  invoiceId: string,
  input: PartialPaymentInput,
) {
  return ctx.db.transaction(async (tx) => {
    const invoice = await lockPayableInvoice(tx, companyId, invoiceId);
    const amount = amountOf(input, invoice.currency, 'amount');
    const payment = await payInvoice(tx, companyId, actor, invoice, amount, input);
    return outcome(tx, companyId, invoiceId, payment);
  });
}

/**
 * Seed 003's mark-unpaid: removes every allocation to the invoice. The payments stay; what they no longer pay
 * is customer credit, to be allocated elsewhere or reversed.
 */
export async function markInvoiceUnpaid(ctx: AppContext, companyId: string, actor: Actor, invoiceId: string) {
  return ctx.db.transaction(async (tx) => {
    await lockPayableInvoice(tx, companyId, invoiceId);
    const removed = await q.deleteInvoiceAllocations(tx, { companyId, invoiceId });
    await q.recomputePaidAmounts(tx, { companyId, invoiceIds: [invoiceId] });
    await recordAudit(tx, {
      companyId,
      actorUserId: actor.userId,
      action: 'invoice.marked_unpaid',
      entityType: 'invoice',
      entityId: invoiceId,
      data: { removed: removed.map((r) => ({ payment_id: r.paymentId, amount: r.amount })) },
      requestId: actor.requestId,
    });
    const summary = await invoicePaymentSummary(tx, companyId, invoiceId);
    const freed = await withAllocations(
      tx,
      companyId,
      (
        await Promise.all(
          [...new Set(removed.map((r) => r.paymentId))].map((id) => q.getPayment(tx, { companyId, id })),
        )
      ).filter((p): p is q.PaymentRow => p !== undefined),
    );
    return { ...summary, released_payments: freed.map(presentPayment) };
  });
}

async function outcome(tx: Db, companyId: string, invoiceId: string, payment: q.PaymentRow) {
  const summary = await invoicePaymentSummary(tx, companyId, invoiceId);
  const [full] = await withAllocations(tx, companyId, [payment]);
  return { ...summary, payment: presentPayment(full as PaymentWithAllocations) };
}

export const DEFAULT_REMINDER_DAYS = [-3, 1, 7, 14];

export function presentReminderSettings(row: q.ReminderSettingsRow | undefined) {
  return {
    is_enabled: row?.isEnabled ?? true,
    days: row?.days ?? DEFAULT_REMINDER_DAYS,
    is_overdue_notice_enabled: row?.isOverdueNoticeEnabled ?? true,
  };
}

export async function saveReminderSettings(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  input: { is_enabled?: boolean; days?: number[]; is_overdue_notice_enabled?: boolean },
) {
  return ctx.db.transaction(async (tx) => {
    const current = presentReminderSettings(await q.getReminderSettings(tx, { companyId }));
    const row = await q.upsertReminderSettings(tx, {
      companyId,
      isEnabled: input.is_enabled ?? current.is_enabled,
      days: [...(input.days ?? current.days)].sort((a, b) => a - b),
      isOverdueNoticeEnabled: input.is_overdue_notice_enabled ?? current.is_overdue_notice_enabled,
    });
    await recordAudit(tx, {
      companyId,
      actorUserId: actor.userId,
      action: 'reminder_settings.updated',
      entityType: 'company',
      entityId: companyId,
      data: { days: row.days, is_enabled: row.isEnabled },
      requestId: actor.requestId,
    });
    return presentReminderSettings(row);
  });
}

/** A payment taken by the online gateway, as the gateway reports it now. */
export interface GatewayPaymentInput {
  invoiceId: string;
  /** The gateway's id of the money movement: one payment per id, however often it is reported. */
  gatewayRef: string;
  amount: string;
  currency: string;
  status: 'pending' | 'completed' | 'failed';
  method: PaymentMethod;
  /** All that has been refunded of it so far (a total, never an increment: replays change nothing). */
  refunded: string;
  paymentDate: string;
}

/**
 * Brings the payment of a gateway reference in line with what the gateway reports, inside the caller's transaction:
 * the first report records it (allocated to its invoice up to what is outstanding there; the rest is customer
 * credit), a later one moves it pending → completed or failed, and a larger refunded total pays back what it
 * covered (the newest allocations first; a full refund reverses it). Reports that say nothing new change nothing,
 * so a replayed or late webhook is harmless. Answers the payment, or null where there is nothing to record.
 */
export async function syncGatewayPayment(
  tx: Db,
  companyId: string,
  actor: Actor,
  input: GatewayPaymentInput,
): Promise<q.PaymentRow | null> {
  let payment = await q.lockPaymentByGatewayRef(tx, { companyId, gatewayRef: input.gatewayRef });
  if (!payment) {
    if (input.status === 'failed') return null;
    const invoice = await q.getPayableInvoice(tx, { companyId, id: input.invoiceId });
    if (!invoice) throw new AppError('INVOICE_NOT_FOUND');
    payment = await q.insertGatewayPayment(tx, {
      companyId,
      customerId: invoice.customerId,
      amount: roundMoney(input.amount, input.currency),
      currency: input.currency,
      paymentDate: input.paymentDate,
      method: input.method,
      reference: input.gatewayRef,
      status: input.status,
      notes: null,
      createdBy: actor.userId,
      gatewayRef: input.gatewayRef,
    });
    if (!payment) {
      // Another delivery of the same report recorded it a moment ago: continue from its row.
      payment = await q.lockPaymentByGatewayRef(tx, { companyId, gatewayRef: input.gatewayRef });
      if (!payment) throw new Error('gateway payment vanished after a conflicting insert');
    } else {
      await audit(tx, companyId, actor, 'payment.created', payment.id, {
        amount: payment.amount,
        currency: payment.currency,
        status: payment.status,
        gateway_ref: input.gatewayRef,
      });
      await emitPaymentEvent(tx, payment);
      const committed = await q.committedOnInvoices(tx, { companyId, invoiceIds: [invoice.id] });
      const canTake = minMoney(
        payment.amount,
        allocatableOnInvoice(invoice, committed.get(invoice.id) ?? '0'),
        payment.currency,
      );
      if (invoice.currency === payment.currency && compareMoney(canTake, '0') > 0) {
        await allocateLocked(
          tx,
          companyId,
          actor,
          payment,
          [{ invoice_id: invoice.id, amount: canTake, notes: null }],
          true,
        );
      }
    }
  }
  if (payment.status === 'pending' && input.status !== 'pending') {
    const updated = await q.updatePayment(tx, {
      companyId,
      id: payment.id,
      values: { status: input.status },
    });
    await afterStatusChange(tx, companyId, actor, payment, updated);
    payment = updated;
  }
  if (compareMoney(input.refunded, payment.refundedAmount) > 0 && payment.status === 'completed') {
    payment = await refundLocked(tx, companyId, actor, payment, roundMoney(input.refunded, payment.currency));
  }
  return payment;
}

/**
 * Records a refunded total on a completed payment (locked by the caller). What it no longer pays is taken off its
 * allocations, newest first; refunded in full, it is reversed and pays nothing.
 */
async function refundLocked(
  tx: Db,
  companyId: string,
  actor: Actor,
  payment: q.PaymentRow,
  refunded: string,
): Promise<q.PaymentRow> {
  const { currency } = payment;
  const total = minMoney(refunded, payment.amount, currency);
  const isFull = compareMoney(total, payment.amount) >= 0;
  const updated = await q.updatePayment(tx, {
    companyId,
    id: payment.id,
    values: { refundedAmount: total, ...(isFull ? { status: 'reversed' as const } : {}) },
  });
  await audit(tx, companyId, actor, 'payment.refunded', payment.id, {
    refunded_amount: total,
    previously_refunded: payment.refundedAmount,
  });
  if (isFull) {
    await afterStatusChange(tx, companyId, actor, payment, updated);
    return updated;
  }
  const [withRows] = await withAllocations(tx, companyId, [updated]);
  const allocations = [...(withRows?.allocations ?? [])].sort(
    (a, b) => b.createdAt.getTime() - a.createdAt.getTime(),
  );
  let excess = subtractMoney(
    sumMoney(
      allocations.map((a) => a.amount),
      currency,
    ),
    usableAmount(updated),
    currency,
  );
  const touched: string[] = [];
  for (const allocation of allocations) {
    if (compareMoney(excess, '0') <= 0) break;
    const amount = minMoney(excess, allocation.amount, currency);
    const left = subtractMoney(allocation.amount, amount, currency);
    if (compareMoney(left, '0') > 0)
      await q.setAllocationAmount(tx, { companyId, id: allocation.id, amount: left });
    else await q.deleteAllocation(tx, { companyId, id: allocation.id });
    touched.push(allocation.invoiceId);
    excess = subtractMoney(excess, amount, currency);
  }
  const invoiceIds = [...new Set(touched)];
  await q.lockInvoices(tx, { companyId, ids: invoiceIds });
  await q.recomputePaidAmounts(tx, { companyId, invoiceIds });
  return updated;
}
