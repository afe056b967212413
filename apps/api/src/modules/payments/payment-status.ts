import { compareMoney, nonNegativeMoney, subtractMoney, sumMoney } from '@invoiceflow/totals';

export type InvoicePaymentStatus = 'unpaid' | 'partially_paid' | 'paid';

export interface InvoiceAmounts {
  currency: string;
  /** BT-115, what the buyer owes on the document. */
  payableAmount: string;
  /** Credit notes issued against the invoice reduce what is due. */
  creditedAmount: string;
}

export interface PaymentPosition {
  /** What is due after credit notes: payable − credited, never below zero. */
  due: string;
  paid: string;
  outstanding: string;
  status: InvoicePaymentStatus;
  isFullyPaid: boolean;
}

/**
 * An invoice's payment position from the sum of its completed allocations (never from a typed-in status):
 * nothing paid → unpaid; something paid and something left → partially paid; nothing left → paid.
 */
export function paymentPosition(
  invoice: InvoiceAmounts,
  completedAllocations: readonly string[],
): PaymentPosition {
  const { currency } = invoice;
  const due = nonNegativeMoney(
    subtractMoney(invoice.payableAmount, invoice.creditedAmount, currency),
    currency,
  );
  const paid = sumMoney(completedAllocations, currency);
  const outstanding = nonNegativeMoney(subtractMoney(due, paid, currency), currency);
  const hasPaid = compareMoney(paid, '0') > 0;
  const status: InvoicePaymentStatus = !hasPaid
    ? 'unpaid'
    : compareMoney(outstanding, '0') > 0
      ? 'partially_paid'
      : 'paid';
  return { due, paid, outstanding, status, isFullyPaid: status === 'paid' };
}

/** What may still be allocated to an invoice: due minus every allocation that counts or may count (pending). */
export function allocatableOnInvoice(invoice: InvoiceAmounts, committedAllocations: string): string {
  const { currency } = invoice;
  const due = subtractMoney(invoice.payableAmount, invoice.creditedAmount, currency);
  return nonNegativeMoney(subtractMoney(due, committedAllocations, currency), currency);
}

/** Allowed payment status changes: a settled payment is final except that a completed one may be reversed. */
export const PAYMENT_TRANSITIONS: Readonly<Record<string, readonly string[]>> = {
  pending: ['completed', 'failed', 'cancelled'],
  completed: ['reversed'],
  failed: [],
  reversed: [],
  cancelled: [],
};

/** Payments whose allocations hold an invoice's outstanding amount (a pending one may still complete). */
export const ALLOCATING_STATUSES = ['pending', 'completed'] as const;
