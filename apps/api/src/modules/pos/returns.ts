// Returns at a till: a credit note against the sale's invoice (issued through the one pipeline, at the prices and
// VAT as sold), the goods back in stock (a `return` movement), and the refund paid out of the drawer by the same
// change maker; during a cash session the refund is cash taken out of it. One transaction, like the sale.

import { makeChange } from '@invoiceflow/change';
import type { DenominationCount } from '@invoiceflow/db/schema';
import { compareMoney, exactMinorUnits, fromMinorUnits, roundMoney } from '@invoiceflow/totals';
import type { AppContext } from '../../context';
import type { Actor } from '../../lib/actor';
import { AppError, type FieldError } from '../../lib/errors';
import { withIdempotency } from '../idempotency/service';
import { type AfterCommitLog, withAfterCommit } from '../invoices/extensions';
import { issueBodySchema } from '../invoices/schemas';
import { issueInvoice } from '../invoices/service';
import { moveStocks } from '../products/stock';
import * as q from './queries';
import { getSaleOrThrow } from './service';

export interface ReturnInput {
  items: { product_id: string; quantity: string }[];
  reason?: string;
}

export async function returnItems(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  saleId: string,
  input: ReturnInput,
  options: { idempotencyKey?: string; log?: AfterCommitLog } = {},
) {
  return withAfterCommit(
    ctx,
    (tx, afterCommit) =>
      withIdempotency(
        tx,
        {
          companyId,
          userId: actor.userId,
          scope: 'pos.return',
          key: options.idempotencyKey,
          request: { saleId, ...input },
        },
        async () => {
          const { sale, invoice } = await getSaleOrThrow(tx, companyId, saleId);
          const currency = invoice.currency;
          const sold = invoice.snapshot.lines;
          const errors: FieldError[] = [];
          const lines = input.items.map((item, index) => {
            const line = sold.find((candidate) => candidate.product_id === item.product_id);
            if (!line) {
              errors.push({
                path: `items.${index}.product_id`,
                code: 'NOT_SOLD',
                message: 'Not on this sale.',
              });
            } else if (
              compareMoney(item.quantity, '0') <= 0 ||
              compareMoney(item.quantity, String(line.quantity)) > 0
            ) {
              errors.push({
                path: `items.${index}.quantity`,
                code: 'INVALID_QUANTITY',
                message: `Above zero and at most the ${line.quantity} sold.`,
              });
            }
            // The prices, names and VAT as sold, whatever the catalogue says today.
            return {
              product_id: item.product_id,
              description: line?.description,
              ...(line?.description_ar ? { description_ar: line.description_ar } : {}),
              quantity: item.quantity,
              unit_price: line?.unit_price,
              vat_category: line?.vat_category,
              vat_rate: line?.vat_rate,
            };
          });
          if (errors.length > 0) throw new AppError('INVOICE_INVALID', { errors });

          // The locks in a sale's order: the till, the number and chain (in the issue), the products last.
          const till = await q.lockTill(tx, { companyId, id: sale.tillId });
          const drawer = await q.listDenominations(tx, { companyId, tillId: sale.tillId, forUpdate: true });
          const session = await q.getOpenSession(tx, { companyId, tillId: sale.tillId });

          const body = issueBodySchema.parse({
            type: 'credit_note',
            original_invoice_id: invoice.id,
            reason: input.reason ?? 'Goods returned at the till',
            lines,
            ...(till?.egsUnitId ? { egs_unit_id: till.egsUnitId } : {}),
          });
          const issued = await issueInvoice(ctx, companyId, actor, body, {
            tx,
            afterCommit,
            log: options.log,
            ...(till?.seriesCode ? { seriesCode: till.seriesCode } : {}),
          });
          const refund = issued.body.payable_amount;
          const made = makeChange(
            exactMinorUnits(refund, currency),
            drawer.map((row) => ({
              value: exactMinorUnits(roundMoney(row.value, currency), currency),
              count: row.count,
            })),
          );
          if (!made.ok) {
            throw new AppError('CHANGE_UNAVAILABLE', {
              message: `The drawer cannot pay back ${refund} ${currency} exactly.`,
              errors: [{ path: 'items', code: made.reason, message: `Refund due: ${refund} ${currency}.` }],
              extra: { change_amount: refund },
            });
          }
          const paidOut: DenominationCount[] = made.pieces.map((piece) => ({
            value: fromMinorUnits(piece.value, currency),
            count: piece.count,
          }));
          await q.moveDenominations(tx, {
            companyId,
            tillId: sale.tillId,
            moves: paidOut.map((piece) => ({ value: piece.value, delta: -piece.count })),
          });
          // The goods back on the shelf, all products in one statement.
          await moveStocks(tx, {
            companyId,
            kind: 'return',
            moves: input.items.map((item) => ({ productId: item.product_id, quantity: item.quantity })),
            userId: actor.userId,
            invoiceId: issued.body.id,
          });
          if (session && compareMoney(refund, '0') > 0) {
            await q.insertCashMovement(tx, {
              companyId,
              sessionId: session.id,
              kind: 'cash_out',
              amount: refund,
              counts: paidOut,
              reason: `Refund ${issued.body.invoice_number}`,
              creditNoteId: issued.body.id,
              createdBy: actor.userId,
            });
          }
          return {
            statusCode: 201,
            body: {
              sale_id: sale.id,
              credit_note_id: issued.body.id,
              credit_note_number: issued.body.invoice_number,
              currency,
              refund_amount: refund,
              refund: paidOut,
              qr_code_data: issued.body.qr_code_data,
            },
          };
        },
      ),
    options.log,
  );
}
