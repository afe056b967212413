// The period's figures a company files and reads: its VAT return, boxed as its country's form has them, and its
// sales by month, customer or product. Read-only; every query is filtered by the company.
import { profileFor, type VatReturnBox } from '@invoiceflow/jurisdictions';
import {
  currencyDigits,
  Decimal,
  parseDecimal,
  roundMoney,
  subtractMoney,
  sumMoney,
} from '@invoiceflow/totals';
import type { AppContext } from '../../context';
import { AppError } from '../../lib/errors';
import { getCompany } from '../companies/queries';
import { companyDate } from '../payments/company-date';
import { AGING_BUCKETS, type AgingSide, agingRows } from './aging';
import * as q from './queries';

export interface Period {
  from: string;
  to: string;
}

/** Told the share of the work done (0 to 1) as a background run goes. */
export type Progress = (fraction: number) => Promise<void>;

/** The period cut at month ends: what a background run reads one piece at a time, to say how far it is. */
export function monthsOf(period: Period): Period[] {
  const out: Period[] = [];
  let from = period.from;
  while (from <= period.to) {
    const [y, m] = from.split('-').map(Number) as [number, number];
    const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    const to = last < period.to ? last : period.to;
    out.push({ from, to });
    from = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
  }
  return out;
}

/**
 * Rows of the period: at once, or — with `onProgress` — month by month, the progress told after each. Every
 * figure read so is a sum, so the months' rows add up to the period's.
 */
async function readPeriod<T>(
  period: Period,
  read: (piece: Period) => Promise<T[]>,
  onProgress: Progress | undefined,
): Promise<T[]> {
  if (!onProgress) return read(period);
  const months = monthsOf(period);
  const out: T[] = [];
  for (const [i, month] of months.entries()) {
    out.push(...(await read(month)));
    await onProgress((i + 1) / months.length);
  }
  return out;
}

const dec = (value: string) => parseDecimal(value) ?? Decimal.of(0);

/** Rows of several months with the same key (a customer, a product, a method) added together. */
function mergeRows<T extends { key: string; label: string }>(
  rows: T[],
  counts: (keyof T)[],
  amounts: (keyof T)[],
): T[] {
  const byKey = new Map<string, T>();
  for (const row of rows) {
    const id = row.key === '' ? `\u0000${row.label}` : row.key;
    const seen = byKey.get(id);
    if (!seen) {
      byKey.set(id, { ...row });
      continue;
    }
    for (const c of counts) (seen[c] as number) = Number(seen[c]) + Number(row[c]);
    for (const a of amounts)
      (seen[a] as string) = dec(String(seen[a]))
        .plus(dec(String(row[a])))
        .toPlain();
  }
  return [...byKey.values()];
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
export async function vatReturn(ctx: AppContext, companyId: string, period: Period, onProgress?: Progress) {
  const { company, scope } = await scopeOf(ctx, companyId, period);
  const form = profileFor(company.country).vatReturn;
  const [unconverted, counts] = await Promise.all([
    q.unconvertedSales(ctx.db, scope),
    q.documentCounts(ctx.db, scope),
  ]);
  const slices = await readPeriod(
    period,
    async (piece) => {
      const [sales, purchases] = await Promise.all([
        q.salesSlices(ctx.db, { ...scope, ...piece }),
        q.purchaseSlices(ctx.db, { ...scope, ...piece }),
      ]);
      return [...sales, ...purchases];
    },
    onProgress,
  );
  const { currency } = scope;
  const zero = roundMoney('0', currency);
  const lines = new Map<string, VatReturnLine>(
    form.boxes.map((b) => [b.box, { ...b, amount: zero, adjustment: zero, vat: zero }]),
  );
  const outside = { amount: zero, vat: zero };
  for (const slice of slices) {
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
  onProgress?: Progress,
) {
  const { scope } = await scopeOf(ctx, companyId, period);
  const read = await readPeriod(
    period,
    (piece) => q.salesBy(ctx.db, { ...scope, ...piece }, period.group_by),
    onProgress,
  );
  const rows = onProgress
    ? mergeRows(read, ['documents'], ['net', 'vat', 'total']).sort((a, b) =>
        period.group_by === 'month'
          ? a.key.localeCompare(b.key)
          : dec(b.total).cmp(dec(a.total)) || a.label.localeCompare(b.label),
      )
    : read;
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

export async function paymentsReceived(
  ctx: AppContext,
  companyId: string,
  period: Period & { group_by: 'month' | 'method' | 'customer' },
  onProgress?: Progress,
) {
  const { scope } = await scopeOf(ctx, companyId, period);
  const read = await readPeriod(
    period,
    (piece) => q.paymentsBy(ctx.db, { ...scope, ...piece }, period.group_by),
    onProgress,
  );
  const rows = onProgress
    ? mergeRows(read, ['payments'], ['amount', 'refunded']).sort((a, b) =>
        period.group_by === 'month'
          ? a.key.localeCompare(b.key)
          : dec(b.amount).cmp(dec(a.amount)) || a.label.localeCompare(b.label),
      )
    : read;
  const { currency } = scope;
  const out = rows.map((r) => ({
    key: r.key || null,
    label: r.label,
    payments: Number(r.payments),
    amount: roundMoney(r.amount, currency),
    refunded: roundMoney(r.refunded, currency),
    net: subtractMoney(r.amount, r.refunded, currency),
  }));
  const sum = (field: 'amount' | 'refunded' | 'net') =>
    sumMoney(
      out.map((r) => r[field]),
      currency,
    );
  return {
    currency,
    from: scope.from,
    to: scope.to,
    group_by: period.group_by,
    rows: out,
    total: {
      payments: out.reduce((n, r) => n + r.payments, 0),
      amount: sum('amount'),
      refunded: sum('refunded'),
      net: sum('net'),
    },
    not_in_company_currency: await q.paymentsInOtherCurrencies(ctx.db, scope),
  };
}

/**
 * What customers owe the company (receivable) or what it owes its vendors (payable) on `as_of` (default: the
 * company's today), by customer or vendor and days past due, in the company currency; open documents in other
 * currencies are counted apart.
 */
export async function agingReport(
  ctx: AppContext,
  companyId: string,
  side: AgingSide,
  asOf: string | undefined,
) {
  const company = await getCompany(ctx.db, { companyId });
  if (!company) throw new AppError('COMPANY_NOT_FOUND');
  const currency = company.currency;
  const day = asOf ?? companyDate(company.timeZone);
  const all = await agingRows(ctx.db, { companyId, side, asOf: day }, 'counterparty');
  const rows = all
    .filter((r) => r.currency === currency)
    .map((r) => {
      const buckets = Object.fromEntries(
        AGING_BUCKETS.map((b) => [b, roundMoney(r.amounts[b], currency)]),
      ) as Record<(typeof AGING_BUCKETS)[number], string>;
      return {
        key: r.key || null,
        label: r.label,
        documents: r.documents,
        ...buckets,
        total: sumMoney(
          AGING_BUCKETS.map((b) => r.amounts[b]),
          currency,
        ),
      };
    });
  const column = (b: (typeof AGING_BUCKETS)[number] | 'total') =>
    sumMoney(
      rows.map((r) => r[b]),
      currency,
    );
  return {
    side,
    currency,
    as_of: day,
    rows,
    total: {
      documents: rows.reduce((n, r) => n + r.documents, 0),
      current: column('current'),
      days_1_30: column('days_1_30'),
      days_31_60: column('days_31_60'),
      days_61_90: column('days_61_90'),
      days_90_plus: column('days_90_plus'),
      total: column('total'),
    },
    not_in_company_currency: all.filter((r) => r.currency !== currency).reduce((n, r) => n + r.documents, 0),
  };
}
