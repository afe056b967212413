// The rule a payment follows when it names the bank line it was received in, inside the payment's transaction:
// the line is locked, it must be money in, in the payment's currency, and not ignored; the payments linked to it
// never take more than its amount (a CHECK holds it in the database too). It is matched once they take all of it.
import type { Db } from '@invoiceflow/db';
import { compareMoney, subtractMoney, sumMoney } from '@invoiceflow/totals';
import { AppError, defineErrors } from '../../lib/errors';
import * as q from './queries';

defineErrors({
  BANK_TRANSACTION_NOT_FOUND: [404, 'Bank transaction not found.'],
  BANK_TRANSACTION_NOT_MATCHABLE: [409, 'This bank transaction cannot take this payment.'],
});

export async function takeFromBankTransaction(
  tx: Db,
  { companyId, id, amount, currency }: { companyId: string; id: string; amount: string; currency: string },
): Promise<void> {
  const line = await q.getTransaction(tx, { companyId, id, forUpdate: true });
  if (!line) throw new AppError('BANK_TRANSACTION_NOT_FOUND');
  const refuse = (message: string) => {
    throw new AppError('BANK_TRANSACTION_NOT_MATCHABLE', { message });
  };
  if (line.status === 'ignored') refuse('The bank transaction is ignored; restore it first.');
  if (compareMoney(line.amount, '0') <= 0) refuse('Money out of the account cannot be a payment received.');
  if (line.currency !== currency)
    refuse(`The bank transaction is in ${line.currency}, the payment in ${currency}.`);
  const taken = sumMoney([line.matchedAmount, amount], currency);
  if (compareMoney(taken, line.amount) > 0) {
    refuse(
      `The bank transaction has ${subtractMoney(line.amount, line.matchedAmount, currency)} ${currency} left to match.`,
    );
  }
  await q.updateTransaction(tx, {
    companyId,
    id,
    values: {
      matchedAmount: taken,
      status: compareMoney(taken, line.amount) === 0 ? 'matched' : 'unmatched',
    },
  });
}

/**
 * A payment that stops counting (failed, cancelled or reversed) gives its amount back to the bank line it named, in
 * the payment's transaction and under the line's lock: the line is unmatched again and can take the payment that
 * really explains it. The payment keeps its link, so its history still says which line it was recorded from.
 */
export async function releaseFromBankTransaction(
  tx: Db,
  { companyId, id, amount, currency }: { companyId: string; id: string; amount: string; currency: string },
): Promise<void> {
  const line = await q.getTransaction(tx, { companyId, id, forUpdate: true });
  if (!line) return;
  const left = subtractMoney(line.matchedAmount, amount, currency);
  await q.updateTransaction(tx, {
    companyId,
    id,
    values: {
      matchedAmount: compareMoney(left, '0') > 0 ? left : '0',
      status: line.status === 'ignored' ? 'ignored' : 'unmatched',
    },
  });
}
