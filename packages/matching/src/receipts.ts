// How much of an order line a goods receipt may still take: what was ordered plus the company's over-delivery
// tolerance, less what earlier receipts took. The database service calls it with the line locked, so two receipts
// of the same line at once are checked one after the other.
import { Decimal, parseDecimal } from '@invoiceflow/totals';

export type ReceiptCheck =
  | { ok: true; receivedAfter: string }
  | { ok: false; code: 'OVER_RECEIPT' | 'NOT_POSITIVE'; remaining: string };

function dec(value: string, what: string): Decimal {
  const parsed = parseDecimal(value);
  if (!parsed) throw new RangeError(`${what} is not a decimal: ${value}`);
  return parsed;
}

/**
 * checkReceipt({ ordered: "10", received: "8", quantity: "3", tolerancePercent: "10" }) → ok (11 allowed);
 * with quantity "4" → OVER_RECEIPT, remaining "3". A tolerance of "0" allows exactly the ordered quantity.
 */
export function checkReceipt(input: {
  ordered: string;
  received: string;
  quantity: string;
  tolerancePercent: string;
}): ReceiptCheck {
  const ordered = dec(input.ordered, 'ordered');
  const received = dec(input.received, 'received');
  const quantity = dec(input.quantity, 'quantity');
  const limit = ordered.plus(ordered.times(dec(input.tolerancePercent, 'tolerance')).div(Decimal.of(100)));
  const remainingValue = limit.minus(received);
  const remaining = (remainingValue.isNegative() ? Decimal.of(0) : remainingValue).toPlain();
  if (!quantity.gt(Decimal.of(0))) return { ok: false, code: 'NOT_POSITIVE', remaining };
  if (quantity.gt(remainingValue)) return { ok: false, code: 'OVER_RECEIPT', remaining };
  return { ok: true, receivedAfter: received.plus(quantity).toPlain() };
}
