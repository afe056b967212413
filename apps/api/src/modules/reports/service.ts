// The period's figures a company files and reads: its VAT return, boxed as its country's form has them, and its
// sales by month, customer or product. Read-only; every query is filtered by the company.
import { profileFor, type VatReturnBox } from '@invoiceflow/jurisdictions';
import { currencyDigits, roundMoney, subtractMoney, sumMoney } from '@invoiceflow/totals';
import type { AppContext } from '../../context';
import { AppError } from '../../lib/errors';
import { getCompany } from '../companies/queries';
import * as q from './queries';

export interface Period {
  from: string;
  to: string;
}

async function scopeOf(ctx: AppContext, companyId: string, period: Period) {
  if (period.from > period.to) {
    throw new AppError('VALIDATION_FAILED', {
      errors: [{ path: 'query.from', code: 'RANGE_INVALID', message: '`from` is after `to`.' }],
    });
  }
  const company = await getCompany(ctx.db, { companyId });
  if (!company) throw new AppError('COMPANY_NOT_FOUND');
  const currency = company.currency;
  return { company, scope: { companyId, currency, digits: currencyDigits(currency), ...period } };
}

export interface VatReturnLine extends VatReturnBox {
  /** Invoices and debit notes (sales) or purchases of the period, net of VAT. */
  amount: string;
  /** Credit notes of the period (negative), as the form's adjustment column. */
  adjustment: string;
  /** The VAT of amount and adjustment together. */
  vat: string;
}

/**
 * The VAT return of a period: each slice of the period's sales and purchases summed into the boxes its country's
 * form puts it in (the profile decides), credit notes as adjustments. Output VAT less recoverable input VAT is
 * what is due; corrections of earlier periods and credit carried forward are the filer's to add.
 */
export async function vatReturn(ctx: AppContext, companyId: string, period: Period) {
  const { company, scope } = await scopeOf(ctx, companyId, period);
  const form = profileFor(company.country).vatReturn;
  const [sales, purchases, unconverted, counts] = await Promise.all([
    q.salesSlices(ctx.db, scope),
    q.purchaseSlices(ctx.db, scope),
    q.unconvertedSales(ctx.db, scope),
    q.documentCounts(ctx.db, scope),
  ]);
  const { currency } = scope;
  const zero = roundMoney('0', currency);
  const lines = new Map<string, VatReturnLine>(
    form.boxes.map((b) => [b.box, { ...b, amount: zero, adjustment: zero, vat: zero }]),
  );
  const outside = { amount: zero, vat: zero };
  for (const slice of [...sales, ...purchases]) {
    const isCredit = slice.kind === 'credit_note';
    const amount = isCredit
      ? subtractMoney(zero, slice.amount, currency)
      : roundMoney(slice.amount, currency);
    const vat = isCredit ? subtractMoney(zero, slice.vat, currency) : roundMoney(slice.vat, currency);
    const boxes = form.boxesOf({
      side: slice.side,
      category: slice.category,
      rate: slice.rate,
      exemptionReasonCode: slice.reason || undefined,
      subdivision: slice.subdivision || undefined,
    });
    if (boxes.length === 0) {
      outside.amount = sumMoney([outside.amount, amount], currency);
      outside.vat = sumMoney([outside.vat, vat], currency);
    }
    for (const b of boxes) {
      const line = lines.get(b.box) ?? { ...b, amount: zero, adjustment: zero, vat: zero };
      if (isCredit) line.adjustment = sumMoney([line.adjustment, amount], currency);
      else line.amount = sumMoney([line.amount, amount], currency);
      line.vat = sumMoney([line.vat, vat], currency);
      lines.set(b.box, line);
    }
  }
  const boxes = [...lines.values()];
  const sideVat = (side: 'output' | 'input') => {
    const total = form.totalBoxes?.[side];
    const of = total ? boxes.filter((b) => b.box === total) : boxes.filter((b) => b.side === side);
    return sumMoney(
      of.map((b) => b.vat),
      currency,
    );
  };
  const outputVat = sideVat('output');
  const inputVat = sideVat('input');
  return {
    form: form.id,
    name_en: form.name_en,
    name_ar: form.name_ar,
    currency,
    from: scope.from,
    to: scope.to,
    boxes,
    output_vat: outputVat,
    input_vat: inputVat,
    net_vat_due: subtractMoney(outputVat, inputVat, currency),
    outside_the_return: outside,
    documents: {
      invoice: counts.invoice ?? 0,
      debit_note: counts.debit_note ?? 0,
      credit_note: counts.credit_note ?? 0,
      expense: counts.expense ?? 0,
      supplier_invoice: counts.supplier_invoice ?? 0,
      not_in_company_currency: unconverted,
    },
  };
}

export async function salesReport(
  ctx: AppContext,
  companyId: string,
  period: Period & { group_by: 'month' | 'customer' | 'product' },
) {
  const { scope } = await scopeOf(ctx, companyId, period);
  const rows = await q.salesBy(ctx.db, scope, period.group_by);
  const money = (value: string) => roundMoney(value, scope.currency);
  const out = rows.map((r) => ({
    key: r.key || null,
    label: r.label,
    documents: Number(r.documents),
    net: money(r.net),
    vat: money(r.vat),
    total: money(r.total),
  }));
  return {
    currency: scope.currency,
    from: scope.from,
    to: scope.to,
    group_by: period.group_by,
    rows: out,
    total: {
      net: sumMoney(
        out.map((r) => r.net),
        scope.currency,
      ),
      vat: sumMoney(
        out.map((r) => r.vat),
        scope.currency,
      ),
      total: sumMoney(
        out.map((r) => r.total),
        scope.currency,
      ),
    },
  };
}
