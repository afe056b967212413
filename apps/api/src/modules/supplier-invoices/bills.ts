// Bills to pay: approved supplier invoices with their due date and what is still open, supplier payments
// allocated to one or more of them (the bills locked in id order; an allocation beyond a bill's open amount or a
// payment's amount is refused), and the payables aging buckets the dashboard shows.

import type { Db } from '@invoiceflow/db';
import { currencyDigits, Decimal, parseDecimal, roundMoney, sumMoney } from '@invoiceflow/totals';
import type { AppContext } from '../../context';
import type { Actor } from '../../lib/actor';
import { auditorFor } from '../../lib/audit';
import { AppError, defineErrors, type FieldError } from '../../lib/errors';
import { getCompany } from '../companies/queries';
import { withIdempotency } from '../idempotency/service';
import { companyDate } from '../payments/company-date';
import { AGING_BUCKETS, agingRows } from '../reports/aging';
import * as q from './queries';
import type { SupplierPaymentBody } from './schemas';
import { moneyText } from './service';

defineErrors({
  SUPPLIER_PAYMENT_INVALID: [422, 'The supplier payment cannot be recorded as it is; see errors.'],
  SUPPLIER_PAYMENT_NOT_FOUND: [404, 'Supplier payment not found.'],
});

const audit = auditorFor('supplier_payment');
const ZERO = Decimal.of(0);
const dec = (value: string) => parseDecimal(value) ?? ZERO;

export function presentBill(row: q.SupplierInvoiceRow, vendorName: string | null) {
  const open = dec(row.payableAmount).minus(dec(row.paidAmount));
  return {
    supplier_invoice_id: row.id,
    number: row.number,
    vendor_id: row.vendorId,
    vendor_name: vendorName,
    issue_date: row.issueDate,
    due_date: row.dueDate,
    currency: row.currency,
    payable_amount: moneyText(row.payableAmount, row.currency),
    paid_amount: moneyText(row.paidAmount, row.currency),
    open_amount: moneyText(open.toPlain(), row.currency),
    payment_status: (open.gt(ZERO) ? (dec(row.paidAmount).gt(ZERO) ? 'partially_paid' : 'unpaid') : 'paid') as
      | 'unpaid'
      | 'partially_paid'
      | 'paid',
  };
}

export async function presentBills(db: Db, companyId: string, rows: q.SupplierInvoiceRow[]) {
  const names = await q.vendorNames(db, {
    companyId,
    ids: [...new Set(rows.flatMap((row) => (row.vendorId ? [row.vendorId] : [])))],
  });
  return rows.map((row) => presentBill(row, row.vendorId ? (names.get(row.vendorId) ?? null) : null));
}

export async function presentPayments(db: Db, companyId: string, rows: q.SupplierPaymentRow[]) {
  const allocations = await q.allocationsOf(db, { companyId, paymentIds: rows.map((row) => row.id) });
  return rows.map((row) => {
    const own = allocations.filter((a) => a.paymentId === row.id);
    const allocated = own.reduce((sum, a) => sum.plus(dec(a.amount)), ZERO);
    return {
      id: row.id,
      vendor_id: row.vendorId,
      amount: moneyText(row.amount, row.currency),
      currency: row.currency,
      payment_date: row.paymentDate,
      method: row.method,
      reference: row.reference,
      notes: row.notes,
      allocated_amount: moneyText(allocated.toPlain(), row.currency),
      allocations: own.map((a) => ({
        supplier_invoice_id: a.invoiceId,
        number: a.number,
        amount: moneyText(a.amount, row.currency),
      })),
      created_at: row.createdAt.toISOString(),
    };
  });
}

/**
 * Records a payment to a supplier and what it pays, in one transaction under the bills' row locks. With an
 * Idempotency-Key, a retried request answers the first payment instead of paying the bills twice.
 */
export async function recordSupplierPayment(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  body: SupplierPaymentBody,
  { idempotencyKey }: { idempotencyKey?: string } = {},
) {
  return ctx.db.transaction((tx) =>
    withIdempotency(
      tx,
      {
        companyId,
        userId: actor.userId,
        scope: 'supplier_payments.record',
        key: idempotencyKey,
        request: body,
      },
      async () => ({ statusCode: 201, body: await recordLocked(tx, companyId, actor, body) }),
    ),
  );
}

async function recordLocked(tx: Db, companyId: string, actor: Actor, body: SupplierPaymentBody) {
  {
    const ids = [...new Set(body.allocations.map((a) => a.supplier_invoice_id))];
    const bills = new Map((await q.lockInvoices(tx, { companyId, ids })).map((row) => [row.id, row]));
    const errors: FieldError[] = [];
    const first = bills.get(body.allocations[0]?.supplier_invoice_id ?? '');
    const currency = body.currency ?? first?.currency ?? 'SAR';
    const digits = currencyDigits(currency);
    const amount = dec(body.amount);
    if (amount.decimalPlaces() > digits) {
      errors.push({ path: 'amount', code: 'TOO_MANY_DECIMALS', message: `At most ${digits} decimals.` });
    }
    let allocated = ZERO;
    const taken = new Map<string, Decimal>();
    for (const [index, allocation] of body.allocations.entries()) {
      const path = `allocations.${index}`;
      const bill = bills.get(allocation.supplier_invoice_id);
      if (bill?.status !== 'approved' || bill.kind !== 'invoice') {
        errors.push({
          path: `${path}.supplier_invoice_id`,
          code: bill ? 'NOT_A_BILL' : 'SUPPLIER_INVOICE_NOT_FOUND',
          message: 'Name an approved supplier invoice.',
        });
        continue;
      }
      if (bill.currency !== currency) {
        errors.push({
          path: `${path}.supplier_invoice_id`,
          code: 'CURRENCY_MISMATCH',
          message: `The bill is in ${bill.currency}.`,
        });
        continue;
      }
      const part = dec(allocation.amount);
      if (part.decimalPlaces() > digits) {
        errors.push({
          path: `${path}.amount`,
          code: 'TOO_MANY_DECIMALS',
          message: `At most ${digits} decimals.`,
        });
        continue;
      }
      const open = dec(bill.payableAmount)
        .minus(dec(bill.paidAmount))
        .minus(taken.get(bill.id) ?? ZERO);
      if (part.gt(open)) {
        errors.push({
          path: `${path}.amount`,
          code: 'OVER_ALLOCATION',
          message: `At most ${open.toFixed(digits)} is open on this bill.`,
        });
        continue;
      }
      taken.set(bill.id, (taken.get(bill.id) ?? ZERO).plus(part));
      allocated = allocated.plus(part);
    }
    if (allocated.gt(amount)) {
      errors.push({
        path: 'allocations',
        code: 'OVER_ALLOCATION',
        message: `The allocations (${allocated.toFixed(digits)}) exceed the payment (${amount.toFixed(digits)}).`,
      });
    }
    if (errors.length > 0) throw new AppError('SUPPLIER_PAYMENT_INVALID', { errors });

    const payment = await q.insertPayment(tx, {
      companyId,
      vendorId: body.vendor_id ?? first?.vendorId ?? null,
      amount: amount.toFixed(digits),
      currency,
      paymentDate: body.payment_date,
      method: body.method,
      reference: body.reference ?? null,
      notes: body.notes ?? null,
      createdBy: actor.userId,
    });
    for (const [invoiceId, part] of taken) {
      const bill = bills.get(invoiceId);
      if (!bill) continue;
      await q.insertAllocation(tx, {
        companyId,
        supplierPaymentId: payment.id,
        supplierInvoiceId: invoiceId,
        amount: part.toFixed(digits),
      });
      await q.updateInvoice(tx, {
        companyId,
        id: invoiceId,
        values: { paidAmount: dec(bill.paidAmount).plus(part).toPlain() },
      });
    }
    await audit(tx, companyId, actor, 'supplier_payment.recorded', payment.id, {
      amount: payment.amount,
      currency,
      allocations: [...taken].map(([id, part]) => ({
        supplier_invoice_id: id,
        amount: part.toFixed(digits),
      })),
    });
    const [presented] = await presentPayments(tx, companyId, [payment]);
    if (!presented) throw new Error('supplier payment not presented');
    return presented;
  }
}

export async function getPaymentOrThrow(db: Db, companyId: string, id: string) {
  const row = await q.getPayment(db, { companyId, id });
  if (!row) throw new AppError('SUPPLIER_PAYMENT_NOT_FOUND');
  const [presented] = await presentPayments(db, companyId, [row]);
  if (!presented) throw new Error('supplier payment not presented');
  return presented;
}

/** Open bills by how far past their due date they are on `as_of` (a bill without a due date is due on issue). */
export async function payablesAging(db: Db, companyId: string, asOf?: string) {
  const company = await getCompany(db, { companyId });
  if (!company) throw new AppError('COMPANY_NOT_FOUND');
  const day = asOf ?? companyDate(company.timeZone);
  const rows = await agingRows(db, { companyId, side: 'payable', asOf: day }, 'currency');
  return {
    as_of: day,
    currencies: rows.map((row) => {
      const text = (value: string) => roundMoney(value, row.currency);
      return {
        currency: row.currency,
        bills: row.documents,
        current: text(row.amounts.current),
        days_1_30: text(row.amounts.days_1_30),
        days_31_60: text(row.amounts.days_31_60),
        days_61_90: text(row.amounts.days_61_90),
        days_90_plus: text(row.amounts.days_90_plus),
        total: sumMoney(
          AGING_BUCKETS.map((b) => row.amounts[b]),
          row.currency,
        ),
      };
    }),
  };
}
