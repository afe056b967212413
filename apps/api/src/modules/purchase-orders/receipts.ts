// Goods receipt notes: what arrived against a purchase order. In one transaction the order is locked, then its
// lines FOR UPDATE (position order), each quantity is checked against what is still open (ordered plus the
// company's over-receipt tolerance, less what earlier receipts took: packages/matching), the received quantities
// move, a stocked product's stock goes up by a `receipt` stock movement, and the order becomes partially_received
// or received. Concurrent receipts of the same line queue on its lock, so together they never exceed the limit.

import type { Db } from '@invoiceflow/db';
import { checkReceipt } from '@invoiceflow/matching';
import { Decimal, parseDecimal } from '@invoiceflow/totals';
import type { AppContext } from '../../context';
import type { Actor } from '../../lib/actor';
import { auditorFor } from '../../lib/audit';
import { AppError, defineErrors, type FieldError } from '../../lib/errors';
import { getCompany } from '../companies/queries';
import { readPayablesSettings } from '../payables/settings';
import { companyDate } from '../payments/company-date';
import { moveStock } from '../products/stock';
import * as q from './queries';
import type { ReceiptBody } from './schemas';
import { allocateNumber, presentOne } from './service';

defineErrors({
  GOODS_RECEIPT_NOT_FOUND: [404, 'Goods receipt not found.'],
  GOODS_RECEIPT_INVALID: [422, 'The goods receipt cannot be recorded as it is; see errors.'],
  PURCHASE_ORDER_NOT_RECEIVABLE: [409, 'Goods are received only against a sent purchase order.'],
});

export const RECEIPT_SERIES_PREFIX = 'GRN';

const audit = auditorFor('goods_receipt');
const RECEIVABLE = new Set(['sent', 'partially_received', 'received']);

const dec = (value: string) => parseDecimal(value) ?? Decimal.of(0);

export function presentReceipt(
  row: q.GoodsReceiptRow,
  lines: Awaited<ReturnType<typeof q.linesOfReceipts>> extends Map<string, infer L> ? L : never,
  orderNumber: string,
) {
  return {
    id: row.id,
    number: row.number,
    grn_number: row.number,
    purchase_order_id: row.purchaseOrderId,
    po_id: row.purchaseOrderId,
    po_number: orderNumber,
    received_date: row.receivedDate,
    notes: row.notes,
    lines: lines.map((line) => ({
      id: line.id,
      purchase_order_line_id: line.purchaseOrderLineId,
      product_id: line.productId,
      description: line.description,
      quantity: line.quantity,
      stock_balance: line.balance,
    })),
    created_at: row.createdAt.toISOString(),
  };
}

export async function presentReceipts(db: Db, companyId: string, rows: q.GoodsReceiptRow[]) {
  const lines = await q.linesOfReceipts(db, { companyId, receiptIds: rows.map((row) => row.id) });
  const numbers = await q.orderNumbers(db, {
    companyId,
    ids: [...new Set(rows.map((row) => row.purchaseOrderId))],
  });
  return rows.map((row) =>
    presentReceipt(row, lines.get(row.id) ?? [], numbers.get(row.purchaseOrderId) ?? ''),
  );
}

/** Records a receipt against the order; 409 for an order not open for receipts, 422 with the line's path. */
export async function receiveGoods(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  orderId: string,
  body: ReceiptBody,
) {
  return ctx.db.transaction(async (tx) => {
    const order = await q.lockOrder(tx, { companyId, id: orderId });
    if (!order) throw new AppError('PURCHASE_ORDER_NOT_FOUND');
    if (!RECEIVABLE.has(order.status)) {
      throw new AppError('PURCHASE_ORDER_NOT_RECEIVABLE');
    }
    const company = await getCompany(tx, { companyId });
    if (!company) throw new AppError('COMPANY_NOT_FOUND');
    const settings = await readPayablesSettings(tx, { companyId });
    const lines = await q.lockOrderLines(tx, { companyId, orderId });
    const byId = new Map(lines.map((line) => [line.id, line]));

    // Quantities per order line, in the order the request names them (a line named twice counts twice).
    const errors: FieldError[] = [];
    const received = new Map(lines.map((line) => [line.id, line.receivedQuantity]));
    const taken: { line: q.OrderLineRow; quantity: string }[] = [];
    for (const [index, entry] of body.lines.entries()) {
      const lineId = entry.purchase_order_line_id ?? entry.po_line_id;
      const line = lineId ? byId.get(lineId) : undefined;
      if (!line) {
        errors.push({
          path: `lines.${index}.purchase_order_line_id`,
          code: lineId ? 'PURCHASE_ORDER_LINE_NOT_FOUND' : 'REQUIRED',
          message: 'Name a line of this purchase order.',
        });
        continue;
      }
      const check = checkReceipt({
        ordered: line.quantity,
        received: received.get(line.id) ?? '0',
        quantity: entry.quantity,
        tolerancePercent: settings.over_receipt_percent,
      });
      if (!check.ok) {
        errors.push({
          path: `lines.${index}.quantity`,
          code: check.code,
          message:
            check.code === 'OVER_RECEIPT'
              ? `At most ${check.remaining} more can be received on this line.`
              : 'A quantity is more than zero.',
        });
        continue;
      }
      received.set(line.id, check.receivedAfter);
      taken.push({ line, quantity: entry.quantity });
    }
    if (errors.length > 0) throw new AppError('GOODS_RECEIPT_INVALID', { errors });

    const receivedDate = body.received_date ?? companyDate(company.timeZone);
    const number = await allocateNumber(tx, companyId, RECEIPT_SERIES_PREFIX, receivedDate);
    const receipt = await q.insertReceipt(tx, {
      companyId,
      purchaseOrderId: orderId,
      number,
      receivedDate,
      notes: body.notes ?? null,
      createdBy: actor.userId,
    });
    for (const { line, quantity } of taken) {
      let stockMovementId: string | null = null;
      if (line.productId) {
        const moved = await moveStock(tx, {
          companyId,
          productId: line.productId,
          kind: 'receipt',
          quantity,
          note: `${number} (${order.number})`,
          userId: actor.userId,
        });
        if (moved.status === 'moved') stockMovementId = moved.movementId;
      }
      await q.insertReceiptLine(tx, {
        companyId,
        goodsReceiptId: receipt.id,
        purchaseOrderLineId: line.id,
        quantity,
        stockMovementId,
      });
    }
    for (const line of lines) {
      const after = received.get(line.id) ?? line.receivedQuantity;
      if (after !== line.receivedQuantity) {
        await q.setReceivedQuantity(tx, { companyId, lineId: line.id, received: after });
      }
    }
    const isComplete = lines.every((line) => !dec(received.get(line.id) ?? '0').lt(dec(line.quantity)));
    const updated = await q.updateOrder(tx, {
      companyId,
      id: orderId,
      values: { status: isComplete ? 'received' : 'partially_received' },
    });
    await audit(tx, companyId, actor, 'goods_receipt.created', receipt.id, {
      number,
      purchase_order_id: orderId,
      lines: taken.map(({ line, quantity }) => ({ purchase_order_line_id: line.id, quantity })),
    });
    const [presented] = await presentReceipts(tx, companyId, [receipt]);
    if (!presented) throw new Error('goods receipt not presented');
    return { ...presented, purchase_order: await presentOne(tx, companyId, updated) };
  });
}

export async function getReceiptOrThrow(db: Db, companyId: string, id: string) {
  const row = await q.getReceipt(db, { companyId, id });
  if (!row) throw new AppError('GOODS_RECEIPT_NOT_FOUND');
  const [presented] = await presentReceipts(db, companyId, [row]);
  if (!presented) throw new Error('goods receipt not presented');
  return presented;
}
