// The stored three-way match: the invoice's lines against the vendor's orders, with what was received (goods
// receipts) and what approved invoices already billed, read under the order lines' locks, and the company's
// tolerances. The result is kept on the invoice (status and per-line reasons) until the next match.

import type { Db } from '@invoiceflow/db';
import {
  DEFAULT_TOLERANCES,
  type MatchResult,
  type MatchTolerances,
  matchSupplierInvoice,
  type OrderForMatch,
} from '@invoiceflow/matching';
import { AppError, defineErrors } from '../../lib/errors';
import { readPayablesSettings } from '../payables/settings';
import * as q from './queries';

defineErrors({
  SUPPLIER_INVOICE_NOT_MATCHABLE: [409, 'An approved supplier invoice is not matched again.'],
});

export async function tolerancesOf(db: Db, companyId: string): Promise<MatchTolerances> {
  const settings = await readPayablesSettings(db, { companyId });
  return {
    ...DEFAULT_TOLERANCES,
    price: { percent: settings.price_percent, absolute: settings.price_absolute },
    quantity: { percent: settings.quantity_percent, absolute: settings.quantity_absolute },
  };
}

/** Runs the matcher for the invoice as stored; `lock: 'update'` when the caller goes on to count what it bills. */
export async function runMatch(
  db: Db,
  companyId: string,
  row: q.SupplierInvoiceRow,
  lock: 'share' | 'update',
): Promise<MatchResult> {
  const lines = (await q.linesOfInvoices(db, { companyId, ids: [row.id] })).get(row.id) ?? [];
  const orders: OrderForMatch[] = row.vendorId
    ? (
        await q.ordersForMatch(db, {
          companyId,
          vendorId: row.vendorId,
          numbers: row.orderReferences,
          lock,
        })
      ).map(({ order, lines: orderLines }) => ({
        id: order.id,
        number: order.number,
        vendorId: order.vendorId,
        currency: order.currency,
        lines: orderLines.map((line) => ({
          id: line.id,
          position: line.position,
          productId: line.productId,
          description: line.description ?? '',
          quantity: line.quantity,
          unitPrice: line.unitPrice,
          received: line.receivedQuantity,
          billed: line.billedQuantity,
        })),
      }))
    : [];
  return matchSupplierInvoice(
    {
      vendorId: row.vendorId,
      currency: row.currency,
      orderReferences: row.orderReferences,
      netTotal: row.subtotal,
      lines: lines.map((line) => ({
        description: line.description,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        netAmount: line.netAmount,
        itemCode: line.itemCode,
        orderNumber: line.orderNumber,
        orderLineRef: line.orderLineRef,
      })),
    },
    orders,
    await tolerancesOf(db, companyId),
  );
}

export async function storeMatch(db: Db, companyId: string, row: q.SupplierInvoiceRow, result: MatchResult) {
  return q.updateInvoice(db, {
    companyId,
    id: row.id,
    values: {
      matchStatus: result.status,
      match: result as unknown as Record<string, unknown>,
      matchedAt: new Date(),
    },
  });
}

/** Matches the invoice and keeps the result; the caller holds the invoice (just inserted, or locked). */
export async function matchAndStore(db: Db, companyId: string, row: q.SupplierInvoiceRow) {
  if (row.status === 'approved') throw new AppError('SUPPLIER_INVOICE_NOT_MATCHABLE');
  const result = await runMatch(db, companyId, row, 'share');
  return { row: await storeMatch(db, companyId, row, result), result };
}

/** The stored match as the API answers it. */
export function presentMatch(row: q.SupplierInvoiceRow) {
  const m = row.match as unknown as MatchResult | null;
  if (!m || !row.matchedAt) return null;
  return {
    status: m.status,
    approvable: m.approvable,
    matched_at: row.matchedAt.toISOString(),
    currency: m.currency,
    net_total: m.netTotal,
    expected_total: m.expectedTotal,
    difference: m.difference,
    variance: m.variance,
    variance_percent: m.variancePercent,
    orders: m.orders,
    reasons: m.reasons,
    lines: m.lines.map((line) => ({
      index: line.index,
      purchase_order_id: line.order?.id ?? null,
      po_number: line.order?.number ?? null,
      purchase_order_line_id: line.order?.lineId ?? null,
      order_line_position: line.order?.position ?? null,
      billed_quantity: line.billedQuantity,
      billed_unit_price: line.billedUnitPrice,
      amount: line.amount,
      ordered_quantity: line.orderedQuantity,
      ordered_unit_price: line.orderedUnitPrice,
      available_quantity: line.availableQuantity,
      expected_amount: line.expectedAmount,
      price_variance: line.priceVariance,
      price_variance_percent: line.priceVariancePercent,
      quantity_variance: line.quantityVariance,
      quantity_variance_amount: line.quantityVarianceAmount,
      quantity_variance_percent: line.quantityVariancePercent,
      reasons: line.reasons,
    })),
  };
}
