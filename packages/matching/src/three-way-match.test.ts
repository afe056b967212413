import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkReceipt } from './receipts';
import {
  DEFAULT_TOLERANCES,
  type InvoiceForMatch,
  type MatchTolerances,
  matchSupplierInvoice,
  type OrderForMatch,
  type OrderLineForMatch,
} from './three-way-match';

const VENDOR = 'vendor-1';

function orderLine(
  position: number,
  description: string,
  quantity: string,
  unitPrice: string,
  received: string,
  billed = '0',
  extra: Partial<OrderLineForMatch> = {},
): OrderLineForMatch {
  return { id: `line-${position}`, position, description, quantity, unitPrice, received, billed, ...extra };
}

function order(
  number: string,
  lines: OrderLineForMatch[],
  extra: Partial<OrderForMatch> = {},
): OrderForMatch {
  return {
    id: `po-${number}`,
    number,
    vendorId: VENDOR,
    currency: 'AED',
    lines: lines.map((l) => ({ ...l, id: `${number}-${l.id}` })),
    ...extra,
  };
}

function invoice(lines: InvoiceForMatch['lines'], extra: Partial<InvoiceForMatch> = {}): InvoiceForMatch {
  return { vendorId: VENDOR, currency: 'AED', orderReferences: ['PO-1'], lines, ...extra };
}

const withPrice = (price: MatchTolerances['price']): MatchTolerances => ({ ...DEFAULT_TOLERANCES, price });
const withQuantity = (quantity: MatchTolerances['quantity']): MatchTolerances => ({
  ...DEFAULT_TOLERANCES,
  quantity,
});

const paper = order('PO-1', [orderLine(1, 'A4 paper, box', '100', '10.00', '100')]);
const paperAt = (price: string) =>
  invoice([{ description: 'A4 paper, box', quantity: '100', unitPrice: price }]);

interface Case {
  name: string;
  invoice: InvoiceForMatch;
  orders: OrderForMatch[];
  tolerances?: MatchTolerances;
  status: string;
  approvable: boolean;
  variance: string;
  /** Reason codes of the document and then of each line, with "!" for an exception. */
  reasons: string[];
}

const cases: Case[] = [
  {
    name: 'exact: ordered, received and billed alike',
    invoice: paperAt('10.00'),
    orders: [paper],
    status: 'full_match',
    approvable: true,
    variance: '0.00',
    reasons: [],
  },
  {
    name: 'price 3 % above the order, under a 5 % tolerance',
    invoice: paperAt('10.30'),
    orders: [paper],
    status: 'variance_detected',
    approvable: true,
    variance: '30.00',
    reasons: ['PRICE_ABOVE_ORDER'],
  },
  {
    name: 'price 6 % above the order, over a 5 % tolerance',
    invoice: paperAt('10.60'),
    orders: [paper],
    status: 'partial_match',
    approvable: false,
    variance: '60.00',
    reasons: ['PRICE_ABOVE_ORDER!'],
  },
  {
    name: 'price exactly at the percent tolerance',
    invoice: paperAt('10.50'),
    orders: [paper],
    status: 'partial_match',
    approvable: true,
    variance: '50.00',
    reasons: ['PRICE_ABOVE_ORDER'],
  },
  {
    name: 'price within the percent but over the absolute tolerance',
    invoice: paperAt('10.30'),
    orders: [paper],
    tolerances: withPrice({ percent: '5', absolute: '20.00' }),
    status: 'variance_detected',
    approvable: false,
    variance: '30.00',
    reasons: ['PRICE_ABOVE_ORDER!'],
  },
  {
    name: 'an absolute tolerance alone, under it',
    invoice: paperAt('10.40'),
    orders: [paper],
    tolerances: withPrice({ percent: null, absolute: '50.00' }),
    status: 'variance_detected',
    approvable: true,
    variance: '40.00',
    reasons: ['PRICE_ABOVE_ORDER'],
  },
  {
    name: 'an absolute tolerance alone, over it',
    invoice: paperAt('10.60'),
    orders: [paper],
    tolerances: withPrice({ percent: null, absolute: '50.00' }),
    status: 'partial_match',
    approvable: false,
    variance: '60.00',
    reasons: ['PRICE_ABOVE_ORDER!'],
  },
  {
    name: 'price below the order: a variance, never an exception',
    invoice: paperAt('9.00'),
    orders: [paper],
    tolerances: withPrice({ percent: '0', absolute: '0.00' }),
    status: 'partial_match',
    approvable: true,
    variance: '100.00',
    reasons: ['PRICE_BELOW_ORDER'],
  },
  {
    name: 'quantity billed over what was received',
    invoice: invoice([{ description: 'Chair', quantity: '10', unitPrice: '200.00' }]),
    orders: [order('PO-1', [orderLine(1, 'Chair', '10', '200.00', '8')])],
    status: 'partial_match',
    approvable: false,
    variance: '400.00',
    reasons: ['QUANTITY_ABOVE_RECEIVED!'],
  },
  {
    name: 'quantity over received, within a 25 % quantity tolerance',
    invoice: invoice([{ description: 'Chair', quantity: '10', unitPrice: '200.00' }]),
    orders: [order('PO-1', [orderLine(1, 'Chair', '10', '200.00', '8')])],
    tolerances: withQuantity({ percent: '25', absolute: null }),
    status: 'partial_match',
    approvable: true,
    variance: '400.00',
    reasons: ['QUANTITY_ABOVE_RECEIVED'],
  },
  {
    name: 'partial receipt billed as received',
    invoice: invoice([{ description: 'Chair', quantity: '6', unitPrice: '200.00' }]),
    orders: [order('PO-1', [orderLine(1, 'Chair', '10', '200.00', '6')])],
    status: 'full_match',
    approvable: true,
    variance: '0.00',
    reasons: [],
  },
  {
    name: 'billed before anything more was received',
    invoice: invoice([{ description: 'Chair', quantity: '4', unitPrice: '200.00' }]),
    orders: [order('PO-1', [orderLine(1, 'Chair', '10', '200.00', '6', '6')])],
    status: 'partial_match',
    approvable: false,
    variance: '800.00',
    reasons: ['NOT_RECEIVED!'],
  },
  {
    name: 'two purchase orders on one invoice, each line naming its order',
    invoice: invoice(
      [
        { description: 'Desk', quantity: '2', unitPrice: '900.00', orderNumber: 'PO-1' },
        { description: 'Desk', quantity: '1', unitPrice: '950.00', orderNumber: 'PO-2' },
      ],
      { orderReferences: ['PO-1', 'PO-2'] },
    ),
    orders: [
      order('PO-1', [orderLine(1, 'Desk', '2', '900.00', '2')]),
      order('PO-2', [orderLine(1, 'Desk', '1', '950.00', '1')]),
    ],
    status: 'full_match',
    approvable: true,
    variance: '0.00',
    reasons: [],
  },
  {
    name: 'two purchase orders on one invoice, found by product',
    invoice: invoice(
      [
        { description: 'Toner (black)', quantity: '5', unitPrice: '120.00', productId: 'toner' },
        { description: 'Paper', quantity: '10', unitPrice: '10.00', productId: 'paper' },
      ],
      { orderReferences: [] },
    ),
    orders: [
      order('PO-7', [orderLine(1, 'Black toner', '5', '120.00', '5', '0', { productId: 'toner' })]),
      order('PO-8', [orderLine(1, 'A4 paper', '10', '10.00', '10', '0', { productId: 'paper' })]),
    ],
    status: 'full_match',
    approvable: true,
    variance: '0.00',
    reasons: [],
  },
  {
    name: 'an invoice without a purchase order',
    invoice: invoice([{ description: 'Consulting', quantity: '1', unitPrice: '5000.00' }], {
      orderReferences: [],
    }),
    orders: [],
    status: 'not_matched',
    approvable: false,
    variance: '5000.00',
    reasons: ['NO_ORDER!'],
  },
  {
    name: 'an order reference that does not exist',
    invoice: invoice([{ description: 'Chair', quantity: '1', unitPrice: '200.00' }], {
      orderReferences: ['PO-404'],
    }),
    orders: [order('PO-1', [orderLine(1, 'Chair', '1', '200.00', '1')])],
    status: 'not_matched',
    approvable: false,
    variance: '200.00',
    reasons: ['ORDER_NOT_FOUND!', 'NO_ORDER!'],
  },
  {
    name: 'an unknown supplier',
    invoice: invoice([{ description: 'Chair', quantity: '1', unitPrice: '200.00' }], { vendorId: null }),
    orders: [order('PO-1', [orderLine(1, 'Chair', '1', '200.00', '1')])],
    status: 'not_matched',
    approvable: false,
    variance: '200.00',
    reasons: ['UNKNOWN_SUPPLIER!'],
  },
  {
    name: 'an order placed with another vendor',
    invoice: invoice([{ description: 'Chair', quantity: '1', unitPrice: '200.00' }]),
    orders: [order('PO-1', [orderLine(1, 'Chair', '1', '200.00', '1')], { vendorId: 'vendor-2' })],
    status: 'not_matched',
    approvable: false,
    variance: '200.00',
    reasons: ['ORDER_OF_ANOTHER_SUPPLIER!', 'NO_ORDER!'],
  },
  {
    name: 'an order in another currency',
    invoice: invoice([{ description: 'Chair', quantity: '1', unitPrice: '200.00' }]),
    orders: [order('PO-1', [orderLine(1, 'Chair', '1', '200.00', '1')], { currency: 'USD' })],
    status: 'not_matched',
    approvable: false,
    variance: '200.00',
    reasons: ['CURRENCY_MISMATCH!'],
  },
  {
    name: 'rounding: a three-decimal price and the stated line amount agree',
    invoice: invoice([{ description: 'Cable', quantity: '3', unitPrice: '33.333', netAmount: '100.00' }]),
    orders: [order('PO-1', [orderLine(1, 'Cable', '3', '33.333', '3')])],
    status: 'full_match',
    approvable: true,
    variance: '0.00',
    reasons: [],
  },
  {
    name: 'rounding: a price rounded by the supplier is 0.01 off, not a full match',
    invoice: invoice([{ description: 'Cable', quantity: '3', unitPrice: '33.33' }]),
    orders: [order('PO-1', [orderLine(1, 'Cable', '3', '33.333', '3')])],
    status: 'variance_detected',
    approvable: true,
    variance: '0.01',
    reasons: ['PRICE_BELOW_ORDER'],
  },
  {
    name: 'rounding: 0.01 above the order is a variance within the percent tolerance',
    invoice: invoice([{ description: 'Cable', quantity: '1', unitPrice: '100.01' }]),
    orders: [order('PO-1', [orderLine(1, 'Cable', '1', '100.00', '1')])],
    status: 'variance_detected',
    approvable: true,
    variance: '0.01',
    reasons: ['PRICE_ABOVE_ORDER'],
  },
  {
    name: 'a line no order line covers',
    invoice: invoice([
      { description: 'Chair', quantity: '2', unitPrice: '200.00' },
      { description: 'Express delivery', quantity: '1', unitPrice: '50.00' },
    ]),
    orders: [order('PO-1', [orderLine(1, 'Chair', '2', '200.00', '2')])],
    status: 'partial_match',
    approvable: false,
    variance: '50.00',
    reasons: ['NO_ORDER_LINE!'],
  },
  {
    name: 'one order line billed by two invoice lines, in full',
    invoice: invoice([
      { description: 'Chair', quantity: '6', unitPrice: '200.00' },
      { description: 'Chair', quantity: '4', unitPrice: '200.00' },
    ]),
    orders: [order('PO-1', [orderLine(1, 'Chair', '10', '200.00', '10')])],
    status: 'full_match',
    approvable: true,
    variance: '0.00',
    reasons: [],
  },
  {
    name: 'one order line billed by two invoice lines, one too many',
    invoice: invoice([
      { description: 'Chair', quantity: '6', unitPrice: '200.00' },
      { description: 'Chair', quantity: '5', unitPrice: '200.00' },
    ]),
    orders: [order('PO-1', [orderLine(1, 'Chair', '10', '200.00', '10')])],
    status: 'partial_match',
    approvable: false,
    variance: '200.00',
    reasons: ['QUANTITY_ABOVE_RECEIVED!'],
  },
  {
    name: 'the order line reference picks between lines of the same description',
    invoice: invoice([
      { description: 'Service hour', quantity: '10', unitPrice: '150.00', orderLineRef: '2' },
    ]),
    orders: [
      order('PO-1', [
        orderLine(1, 'Service hour', '10', '100.00', '10'),
        orderLine(2, 'Service hour', '10', '150.00', '10'),
      ]),
    ],
    status: 'full_match',
    approvable: true,
    variance: '0.00',
    reasons: [],
  },
  {
    name: 'a document charge no order covers',
    invoice: invoice([{ description: 'Chair', quantity: '2', unitPrice: '200.00' }], { netTotal: '415.00' }),
    orders: [order('PO-1', [orderLine(1, 'Chair', '2', '200.00', '2')])],
    status: 'variance_detected',
    approvable: false,
    variance: '15.00',
    reasons: ['DOCUMENT_DIFFERENCE!'],
  },
  {
    name: 'a three-digit currency keeps its digits',
    invoice: invoice([{ description: 'Valve', quantity: '4', unitPrice: '2.125' }], { currency: 'KWD' }),
    orders: [order('PO-1', [orderLine(1, 'Valve', '4', '2.100', '4')], { currency: 'KWD' })],
    status: 'variance_detected',
    approvable: true,
    variance: '0.100',
    reasons: ['PRICE_ABOVE_ORDER'],
  },
];

function reasonCodes(result: ReturnType<typeof matchSupplierInvoice>): string[] {
  const all = [...result.reasons, ...result.lines.flatMap((l) => l.reasons)];
  return all.map((r) => `${r.code}${r.exception ? '!' : ''}`);
}

describe('three-way match', () => {
  it.each(cases)('$name', (c) => {
    const result = matchSupplierInvoice(c.invoice, c.orders, c.tolerances ?? DEFAULT_TOLERANCES);
    expect({
      status: result.status,
      approvable: result.approvable,
      variance: result.variance,
      reasons: reasonCodes(result),
    }).toEqual({ status: c.status, approvable: c.approvable, variance: c.variance, reasons: c.reasons });
  });

  it('shows each line beside its order line, with the variances and their reason', () => {
    const result = matchSupplierInvoice(
      invoice([{ description: 'Chair', quantity: '10', unitPrice: '210.00' }]),
      [order('PO-1', [orderLine(1, 'Chair', '12', '200.00', '8')])],
    );
    expect(result.lines[0]).toMatchObject({
      order: { number: 'PO-1', position: 1 },
      orderedQuantity: '12',
      availableQuantity: '8',
      orderedUnitPrice: '200',
      amount: '2100.00',
      expectedAmount: '1600.00',
      priceVariance: '100.00',
      priceVariancePercent: '5.00',
      quantityVariance: '2',
      quantityVarianceAmount: '400.00',
      quantityVariancePercent: '25.00',
    });
    expect(result.lines[0]?.reasons.map((r) => r.message)).toEqual([
      'Billed at 210 a unit against 200 ordered: 100.00 AED more.',
      '10 billed, 8 received and not yet billed.',
    ]);
    expect(result).toMatchObject({ netTotal: '2100.00', expectedTotal: '1600.00', difference: '500.00' });
  });

  it('is no full match when more is billed than received, even when the excess rounds to nothing', () => {
    const result = matchSupplierInvoice(invoice([{ description: 'X', quantity: '10.001', unitPrice: '1' }]), [
      order('PO-1', [orderLine(1, 'X', '50', '1', '10')]),
    ]);
    expect(result).toMatchObject({ status: 'variance_detected', variance: '0.00' });
    expect(result.lines[0]?.reasons.map((r) => r.code)).toEqual(['QUANTITY_ABOVE_RECEIVED']);
  });

  it('agrees with integer arithmetic on the expected amount and both variances', () => {
    // Quantities in tenths, prices in thousandths: a product is in 10⁻⁴, rounded half-up to cents.
    const cents = (units: bigint) => (units + 50n) / 100n;
    const text = (n: number, digits: number) => (n / 10 ** digits).toFixed(digits);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 500_000 }),
        fc.integer({ min: 1, max: 500_000 }),
        (received, billed, ordered, price) => {
          const result = matchSupplierInvoice(
            invoice([{ description: 'X', quantity: text(billed, 1), unitPrice: text(price, 3) }]),
            [order('PO-1', [orderLine(1, 'X', '50', text(ordered, 3), text(received, 1))])],
          );
          const line = result.lines[0];
          if (!line) throw new Error('no line');
          const justified = BigInt(Math.min(billed, received));
          const excess = BigInt(Math.max(0, billed - received));
          const amount = cents(BigInt(billed) * BigInt(price));
          const expected = cents(justified * BigInt(ordered));
          const quantityAmount = cents(excess * BigInt(ordered));
          const asCents = (s: string) => BigInt(s.replace('.', ''));
          expect(
            [line.amount, line.expectedAmount, line.quantityVarianceAmount, line.priceVariance].map(asCents),
          ).toEqual([amount, expected, quantityAmount, amount - expected - quantityAmount]);
          const exact = price === ordered && excess === 0n;
          expect(result.status === 'full_match').toBe(exact || (excess === 0n && amount === expected));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('goods receipts against an order line', () => {
  it.each([
    { ordered: '10', received: '8', quantity: '2', tolerance: '0', ok: true },
    { ordered: '10', received: '8', quantity: '3', tolerance: '0', ok: false, remaining: '2' },
    { ordered: '10', received: '8', quantity: '3', tolerance: '10', ok: true },
    { ordered: '10', received: '8', quantity: '3.01', tolerance: '10', ok: false, remaining: '3' },
    { ordered: '2.5', received: '0', quantity: '2.5', tolerance: '0', ok: true },
    { ordered: '10', received: '11', quantity: '1', tolerance: '5', ok: false, remaining: '0' },
  ])('$received of $ordered received, $quantity more at $tolerance % → $ok', (c) => {
    const check = checkReceipt({
      ordered: c.ordered,
      received: c.received,
      quantity: c.quantity,
      tolerancePercent: c.tolerance,
    });
    expect(check.ok).toBe(c.ok);
    if (!check.ok) expect(check).toMatchObject({ code: 'OVER_RECEIPT', remaining: c.remaining });
  });

  it('refuses a quantity that is not positive', () => {
    expect(
      checkReceipt({ ordered: '10', received: '0', quantity: '0', tolerancePercent: '0' }),
    ).toMatchObject({
      ok: false,
      code: 'NOT_POSITIVE',
    });
  });
});
