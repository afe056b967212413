// Three-way matching of a supplier invoice against its purchase orders and what was received (goods receipts).
//
// Each invoice line is paired with an order line, then split into what the order and the receipts justify and what
// they do not:
//   price variance    = billed quantity × (billed unit price − ordered unit price)
//   quantity variance = (billed quantity − quantity received and not yet billed) × ordered unit price
// so that a line's amount is its expected amount plus both variances. Tax is left out: the check compares net
// amounts. The document's status follows the classic bands, on the sum of the lines' variances (so an over-billed
// line is not hidden by an under-billed one): a full match below 0.01 with nothing billed beyond what was received,
// variance detected below 5 % of the expected amount, a partial match from 5 %, and not matched when no purchase
// order is found. Company tolerances decide, per
// line, which variances are exceptions (an unfavourable variance above the percent or the absolute limit, as the
// price and quantity tolerance keys of ERP systems do); an invoice with an exception is approved only with a reason.
//
// Quantities and prices are decimal strings; amounts are rounded to the invoice currency half-up. Nothing here
// reads a database: the caller gives the vendor's open orders with their received and already billed quantities.
import { currencyDigits, Decimal, parseDecimal } from '@invoiceflow/totals';

/** A limit on an unfavourable variance; a null part is not checked, both null means any variance is allowed. */
export interface Tolerance {
  /** Percent of the ordered price (price) or of the quantity received (quantity), e.g. "2". */
  percent: string | null;
  /** Money in the invoice currency: the variance's amount on the line. */
  absolute: string | null;
}

export interface MatchTolerances {
  price: Tolerance;
  quantity: Tolerance;
  /** A document whose lines' variances sum to less than this is a full match. */
  fullMatchBelow: string;
  /** Variances below this percent of the expected amount: variance detected; from it on: partial match. */
  variancePercentBelow: string;
}

/** The bands of the product's definition; no price variance above 5 % and no billing beyond what was received. */
export const DEFAULT_TOLERANCES: MatchTolerances = {
  price: { percent: '5', absolute: null },
  quantity: { percent: '0', absolute: null },
  fullMatchBelow: '0.01',
  variancePercentBelow: '5',
};

export interface OrderLineForMatch {
  id: string;
  /** The line's number on the order (1, 2, …): what an invoice's order line reference (BT-132) names. */
  position: number;
  productId?: string | null;
  /** The item's code on the order (the seller's or the buyer's item id). */
  itemCode?: string | null;
  description: string;
  quantity: string;
  /** Net unit price, in the order's currency. */
  unitPrice: string;
  /** Received by every goods receipt of the line so far. */
  received: string;
  /** Billed by other supplier invoices already matched to the line. */
  billed: string;
}

export interface OrderForMatch {
  id: string;
  number: string;
  vendorId: string;
  currency: string;
  lines: OrderLineForMatch[];
}

export interface InvoiceLineForMatch {
  description: string;
  quantity: string;
  /** Net unit price (after line allowances), in the invoice currency. */
  unitPrice: string;
  /** The line's net amount as the invoice states it; quantity × unit price when absent. */
  netAmount?: string | null;
  productId?: string | null;
  itemCode?: string | null;
  /** The order the line belongs to, when the invoice says (two orders on one invoice). */
  orderNumber?: string | null;
  /** The order line it bills (BT-132): the line's position on the order, or its id. */
  orderLineRef?: string | null;
}

export interface InvoiceForMatch {
  /** The vendor found for the supplier's tax number; null when none is known. */
  vendorId: string | null;
  currency: string;
  /** Order numbers the invoice references (BT-13 and the lines' orders). */
  orderReferences: string[];
  lines: InvoiceLineForMatch[];
  /** Net total of the invoice before tax (lines, allowances and charges); the lines' sum when absent. */
  netTotal?: string | null;
}

export type MatchStatus = 'full_match' | 'variance_detected' | 'partial_match' | 'not_matched';

export type ReasonCode =
  | 'UNKNOWN_SUPPLIER'
  | 'NO_ORDER'
  | 'ORDER_NOT_FOUND'
  | 'ORDER_OF_ANOTHER_SUPPLIER'
  | 'CURRENCY_MISMATCH'
  | 'NO_ORDER_LINE'
  | 'PRICE_ABOVE_ORDER'
  | 'PRICE_BELOW_ORDER'
  | 'NOT_RECEIVED'
  | 'QUANTITY_ABOVE_RECEIVED'
  | 'DOCUMENT_DIFFERENCE';

export interface Reason {
  code: ReasonCode;
  message: string;
  /** Beyond the company's tolerance (or not matchable at all): the invoice needs a reason to be approved. */
  exception: boolean;
}

export interface LineMatch {
  index: number;
  order: { id: string; number: string; lineId: string; position: number } | null;
  billedQuantity: string;
  billedUnitPrice: string;
  amount: string;
  orderedQuantity: string | null;
  orderedUnitPrice: string | null;
  /** Received and not billed by another invoice, before this line. */
  availableQuantity: string | null;
  expectedAmount: string;
  priceVariance: string;
  /** Percent of the ordered price, 2 decimals; null without an order line or with a zero ordered price. */
  priceVariancePercent: string | null;
  quantityVariance: string;
  quantityVarianceAmount: string;
  /** Percent of the available quantity, 2 decimals; null when nothing is available. */
  quantityVariancePercent: string | null;
  reasons: Reason[];
}

export interface MatchResult {
  status: MatchStatus;
  /** No exception: an allowed role may approve without giving a reason. */
  approvable: boolean;
  currency: string;
  netTotal: string;
  expectedTotal: string;
  /** netTotal − expectedTotal. */
  difference: string;
  /** Sum of every line's variances in absolute value, lines without an order line at their full amount. */
  variance: string;
  /** variance as a percent of expectedTotal, 2 decimals; null when nothing was expected. */
  variancePercent: string | null;
  /** The orders the invoice was matched against. */
  orders: { id: string; number: string }[];
  lines: LineMatch[];
  reasons: Reason[];
}

const HUNDRED = Decimal.of(100);
const ZERO = Decimal.of(0);

function dec(value: string, what: string): Decimal {
  const parsed = parseDecimal(value);
  if (!parsed) throw new RangeError(`${what} is not a decimal: ${value}`);
  return parsed;
}

function abs(value: Decimal): Decimal {
  return value.isNegative() ? value.negated() : value;
}

function max(a: Decimal, b: Decimal): Decimal {
  return a.gt(b) ? a : b;
}

function min(a: Decimal, b: Decimal): Decimal {
  return a.lt(b) ? a : b;
}

function percentOf(part: Decimal, whole: Decimal): Decimal | null {
  return whole.isZero() ? null : part.times(HUNDRED).div(whole);
}

/** Whether an unfavourable variance is beyond the tolerance: above either limit that is set. */
function beyond(tolerance: Tolerance, amount: Decimal, percent: Decimal | null): boolean {
  if (!amount.gt(ZERO)) return false;
  if (tolerance.absolute !== null && amount.gt(dec(tolerance.absolute, 'absolute tolerance'))) return true;
  if (tolerance.percent !== null) {
    if (percent === null || percent.gt(dec(tolerance.percent, 'percent tolerance'))) return true;
  }
  return false;
}

function normalized(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

interface Candidate {
  order: OrderForMatch;
  line: OrderLineForMatch;
  /** Received, not billed before, and not yet taken by an earlier line of this invoice. */
  available: Decimal;
}

function pickOrderLine(line: InvoiceLineForMatch, candidates: Candidate[]): Candidate | undefined {
  const inOrder = line.orderNumber
    ? candidates.filter((c) => c.order.number === line.orderNumber)
    : candidates;
  const ref = line.orderLineRef?.trim();
  if (ref) {
    const byRef = inOrder.find((c) => String(c.line.position) === ref || c.line.id === ref);
    if (byRef) return byRef;
  }
  const tests: ((c: Candidate) => boolean)[] = [];
  if (line.productId) tests.push((c) => c.line.productId === line.productId);
  if (line.itemCode) tests.push((c) => c.line.itemCode === line.itemCode);
  const description = normalized(line.description);
  if (description) tests.push((c) => normalized(c.line.description) === description);
  for (const test of tests) {
    const found = inOrder.filter(test);
    if (found.length > 0) return found.find((c) => c.available.gt(ZERO)) ?? found[0];
  }
  return undefined;
}

function fmtPercent(value: Decimal | null): string | null {
  return value === null ? null : value.toFixed(2);
}

/** Matches a supplier invoice against the vendor's orders (those it references, or every open one when none). */
export function matchSupplierInvoice(
  invoice: InvoiceForMatch,
  orders: readonly OrderForMatch[],
  tolerances: MatchTolerances = DEFAULT_TOLERANCES,
): MatchResult {
  const currency = invoice.currency;
  const digits = currencyDigits(currency);
  const money = (value: Decimal) => value.round(digits);
  const reasons: Reason[] = [];

  const amounts = invoice.lines.map((line, i) => {
    const stated = line.netAmount ? parseDecimal(line.netAmount) : undefined;
    return money(
      stated ?? dec(line.quantity, `lines.${i}.quantity`).times(dec(line.unitPrice, `lines.${i}.unit_price`)),
    );
  });
  const linesTotal = amounts.reduce((sum, amount) => sum.plus(amount), ZERO);
  const netTotal = invoice.netTotal ? money(dec(invoice.netTotal, 'net total')) : linesTotal;

  const candidates: Candidate[] = [];
  const matchedOrders: { id: string; number: string }[] = [];
  if (invoice.vendorId === null) {
    reasons.push({
      code: 'UNKNOWN_SUPPLIER',
      message: 'No vendor has the supplier’s tax number: add the vendor, then match again.',
      exception: true,
    });
  } else {
    const referenced = new Set(invoice.orderReferences.filter((ref) => ref.trim() !== ''));
    for (const ref of referenced) {
      const found = orders.find((o) => o.number === ref);
      if (!found) {
        reasons.push({
          code: 'ORDER_NOT_FOUND',
          message: `No purchase order ${ref} was found.`,
          exception: true,
        });
      } else if (found.vendorId !== invoice.vendorId) {
        reasons.push({
          code: 'ORDER_OF_ANOTHER_SUPPLIER',
          message: `Purchase order ${ref} was placed with another vendor.`,
          exception: true,
        });
      }
    }
    const considered = orders.filter(
      (o) => o.vendorId === invoice.vendorId && (referenced.size === 0 || referenced.has(o.number)),
    );
    for (const order of considered) {
      if (order.currency !== currency) {
        reasons.push({
          code: 'CURRENCY_MISMATCH',
          message: `Purchase order ${order.number} is in ${order.currency}, the invoice in ${currency}.`,
          exception: true,
        });
        continue;
      }
      matchedOrders.push({ id: order.id, number: order.number });
      for (const line of order.lines) {
        const available = max(ZERO, dec(line.received, 'received').minus(dec(line.billed, 'billed')));
        candidates.push({ order, line, available });
      }
    }
    if (matchedOrders.length === 0 && !reasons.some((r) => r.code === 'CURRENCY_MISMATCH')) {
      reasons.push({
        code: 'NO_ORDER',
        message: 'No purchase order of this vendor matches the invoice.',
        exception: true,
      });
    }
  }

  let expectedTotal = ZERO;
  let variance = ZERO;
  // Billed beyond what was received is never a full match, even when the excess rounds to nothing.
  let billedUnreceived = false;
  const lines: LineMatch[] = invoice.lines.map((line, index) => {
    const amount = amounts[index] as Decimal;
    const billedQuantity = dec(line.quantity, `lines.${index}.quantity`);
    const billedPrice = dec(line.unitPrice, `lines.${index}.unit_price`);
    const lineReasons: Reason[] = [];
    const picked = candidates.length > 0 ? pickOrderLine(line, candidates) : undefined;
    if (!picked) {
      if (candidates.length > 0) {
        lineReasons.push({
          code: 'NO_ORDER_LINE',
          message: 'No line of the purchase order matches this line (reference, product or description).',
          exception: true,
        });
      }
      variance = variance.plus(abs(amount));
      return {
        index,
        order: null,
        billedQuantity: billedQuantity.toPlain(),
        billedUnitPrice: billedPrice.toPlain(),
        amount: amount.toFixed(digits),
        orderedQuantity: null,
        orderedUnitPrice: null,
        availableQuantity: null,
        expectedAmount: ZERO.toFixed(digits),
        priceVariance: amount.toFixed(digits),
        priceVariancePercent: null,
        quantityVariance: ZERO.toPlain(),
        quantityVarianceAmount: ZERO.toFixed(digits),
        quantityVariancePercent: null,
        reasons: lineReasons,
      };
    }
    const orderedPrice = dec(picked.line.unitPrice, 'order unit price');
    const available = picked.available;
    const justified = min(billedQuantity, available);
    picked.available = available.minus(justified);
    const excess = billedQuantity.minus(justified);

    const expected = money(justified.times(orderedPrice));
    const quantityVarianceAmount = money(excess.times(orderedPrice));
    // The rest of the line's amount is the price's doing (and the rounding of a stated net amount).
    const priceVariance = amount.minus(expected).minus(quantityVarianceAmount);
    const pricePercent = percentOf(billedPrice.minus(orderedPrice), orderedPrice);
    const quantityPercent = percentOf(excess, available);

    if (priceVariance.gt(ZERO)) {
      lineReasons.push({
        code: 'PRICE_ABOVE_ORDER',
        message: `Billed at ${billedPrice.toPlain()} a unit against ${orderedPrice.toPlain()} ordered: ${priceVariance.toFixed(digits)} ${currency} more.`,
        exception: beyond(tolerances.price, priceVariance, pricePercent),
      });
    } else if (priceVariance.isNegative()) {
      lineReasons.push({
        code: 'PRICE_BELOW_ORDER',
        message: `Billed at ${billedPrice.toPlain()} a unit against ${orderedPrice.toPlain()} ordered: ${priceVariance.negated().toFixed(digits)} ${currency} less.`,
        exception: false,
      });
    }
    if (excess.gt(ZERO)) {
      billedUnreceived = true;
      const nothingReceived = available.isZero();
      lineReasons.push({
        code: nothingReceived ? 'NOT_RECEIVED' : 'QUANTITY_ABOVE_RECEIVED',
        message: nothingReceived
          ? `${excess.toPlain()} billed, nothing received yet that another invoice has not billed.`
          : `${billedQuantity.toPlain()} billed, ${available.toPlain()} received and not yet billed.`,
        exception: beyond(tolerances.quantity, quantityVarianceAmount, quantityPercent),
      });
    }
    expectedTotal = expectedTotal.plus(expected);
    variance = variance.plus(abs(priceVariance)).plus(abs(quantityVarianceAmount));
    return {
      index,
      order: {
        id: picked.order.id,
        number: picked.order.number,
        lineId: picked.line.id,
        position: picked.line.position,
      },
      billedQuantity: billedQuantity.toPlain(),
      billedUnitPrice: billedPrice.toPlain(),
      amount: amount.toFixed(digits),
      orderedQuantity: dec(picked.line.quantity, 'ordered quantity').toPlain(),
      orderedUnitPrice: orderedPrice.toPlain(),
      availableQuantity: available.toPlain(),
      expectedAmount: expected.toFixed(digits),
      priceVariance: priceVariance.toFixed(digits),
      priceVariancePercent: fmtPercent(pricePercent),
      quantityVariance: excess.toPlain(),
      quantityVarianceAmount: quantityVarianceAmount.toFixed(digits),
      quantityVariancePercent: fmtPercent(quantityPercent),
      reasons: lineReasons,
    };
  });

  // Allowances and charges of the whole document: whatever the lines do not explain.
  const documentExtra = netTotal.minus(linesTotal);
  if (!documentExtra.isZero() && matchedOrders.length > 0) {
    variance = variance.plus(abs(documentExtra));
    const beyondFull = !abs(documentExtra).lt(dec(tolerances.fullMatchBelow, 'full match limit'));
    reasons.push({
      code: 'DOCUMENT_DIFFERENCE',
      message: `Document allowances and charges change the total by ${documentExtra.toFixed(digits)} ${currency}, which no order line covers.`,
      exception: documentExtra.gt(ZERO) && beyondFull,
    });
  }

  const variancePercent = percentOf(variance, expectedTotal);
  const band = dec(tolerances.variancePercentBelow, 'variance band');
  let status: MatchStatus;
  if (matchedOrders.length === 0) status = 'not_matched';
  else if (!billedUnreceived && variance.lt(dec(tolerances.fullMatchBelow, 'full match limit')))
    status = 'full_match';
  else if (variancePercent?.lt(band)) status = 'variance_detected';
  else status = 'partial_match';

  const approvable =
    status !== 'not_matched' &&
    !reasons.some((r) => r.exception) &&
    !lines.some((l) => l.reasons.some((r) => r.exception));

  return {
    status,
    approvable,
    currency,
    netTotal: netTotal.toFixed(digits),
    expectedTotal: expectedTotal.toFixed(digits),
    difference: netTotal.minus(expectedTotal).toFixed(digits),
    variance: variance.toFixed(digits),
    variancePercent: fmtPercent(variancePercent),
    orders: matchedOrders,
    lines,
    reasons,
  };
}
