import type { Db } from '@invoiceflow/db';
import { type SQL, sql } from '@invoiceflow/db/orm';

async function rowsOf<T>(db: Db, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

export interface PeriodScope {
  companyId: string;
  /** The company currency: every figure is in it. */
  currency: string;
  digits: number;
  from: string;
  to: string;
}

/** A slice of the period's documents: one VAT category, rate and reason, summed in the company currency. */
export interface SliceRow {
  side: 'output' | 'input';
  /** invoice, debit_note, credit_note (sales); expense, supplier_invoice (purchases). */
  kind: string;
  category: string;
  rate: string;
  reason: string;
  subdivision: string;
  amount: string;
  vat: string;
}

/**
 * Sales: each issued document's VAT breakdown (BG-23, as the totals engine computed it and the e-invoice carries it),
 * by issue date. A document in another currency counts in the company currency at its own exchange rate when the
 * company currency is its tax currency (BT-6), each amount rounded to the currency's digits before it is summed, as
 * the document states its tax total in that currency; a document with neither is left out and counted apart.
 */
export function salesSlices(db: Db, s: PeriodScope): Promise<SliceRow[]> {
  return rowsOf<SliceRow>(
    db,
    sql`WITH docs AS (
        SELECT i.id, i.type, i.snapshot,
          CASE WHEN i.currency = ${s.currency} THEN 1::numeric
               WHEN i.snapshot->>'tax_currency' = ${s.currency} THEN (i.snapshot->>'exchange_rate')::numeric END AS rate
        FROM invoices i
        WHERE i.company_id = ${s.companyId} AND i.status <> 'draft'
          AND i.issue_date BETWEEN ${s.from}::date AND ${s.to}::date
      )
      SELECT 'output' AS side, d.type AS kind, vb->>'category' AS category, vb->>'rate' AS rate,
        coalesce(vb->>'exemption_reason_code', '') AS reason,
        coalesce(d.snapshot->'seller'->'address'->>'emirate', '') AS subdivision,
        sum(round((vb->>'taxable_amount')::numeric * d.rate, ${s.digits}::int))::text AS amount,
        sum(round((vb->>'vat_amount')::numeric * d.rate, ${s.digits}::int))::text AS vat
      FROM docs d CROSS JOIN LATERAL jsonb_array_elements(d.snapshot->'totals'->'vat_breakdown') AS vb
      WHERE d.rate IS NOT NULL
      GROUP BY 1, 2, 3, 4, 5, 6`,
  );
}

/** Issued documents of the period that could not be counted: neither in the company currency nor taxed in it. */
export async function unconvertedSales(db: Db, s: PeriodScope): Promise<number> {
  const [row] = await rowsOf<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM invoices
      WHERE company_id = ${s.companyId} AND status <> 'draft'
        AND issue_date BETWEEN ${s.from}::date AND ${s.to}::date
        AND currency <> ${s.currency} AND coalesce(snapshot->>'tax_currency', '') <> ${s.currency}`,
  );
  return row?.n ?? 0;
}

/**
 * Purchases: booked and paid expenses by expense date (net of their VAT, converted at each one's own rate; only a
 * recoverable VAT counts as input VAT), and approved supplier invoices in the company currency by issue date (one
 * slice each: standard-rated when it charges VAT, zero-rated when it does not).
 */
export function purchaseSlices(db: Db, s: PeriodScope): Promise<SliceRow[]> {
  return rowsOf<SliceRow>(
    db,
    sql`SELECT 'input' AS side, 'expense' AS kind, vat_category AS category, vat_rate AS rate, '' AS reason,
        '' AS subdivision,
        sum(round((amount - vat_amount) * exchange_rate, ${s.digits}::int))::text AS amount,
        sum(CASE WHEN is_vat_recoverable THEN round(vat_amount * exchange_rate, ${s.digits}::int) ELSE 0 END)::text
          AS vat
      FROM expenses
      WHERE company_id = ${s.companyId} AND status IN ('booked', 'paid')
        AND expense_date BETWEEN ${s.from}::date AND ${s.to}::date
      GROUP BY vat_category, vat_rate
      UNION ALL
      SELECT 'input', 'supplier_invoice', CASE WHEN vat_amount > 0 THEN 'S' ELSE 'Z' END,
        CASE WHEN vat_amount > 0 AND subtotal > 0 THEN round(vat_amount * 100 / subtotal)::text ELSE '0' END,
        '', '', sum(subtotal)::text, sum(vat_amount)::text
      FROM supplier_invoices
      WHERE company_id = ${s.companyId} AND status = 'approved' AND currency = ${s.currency}
        AND issue_date BETWEEN ${s.from}::date AND ${s.to}::date
      GROUP BY 3, 4`,
  );
}

export interface SalesRow {
  key: string;
  label: string;
  documents: number;
  net: string;
  vat: string;
  total: string;
}

/**
 * Sales of the period in the company currency (documents in it), grouped by month of issue, by customer or by
 * product; credit notes take away. By product the lines' net amounts are summed (VAT is a document's, not a line's).
 */
export function salesBy(
  db: Db,
  s: PeriodScope,
  groupBy: 'month' | 'customer' | 'product',
): Promise<SalesRow[]> {
  const sign = sql`CASE WHEN i.type = 'credit_note' THEN -1 ELSE 1 END`;
  const where = sql`i.company_id = ${s.companyId} AND i.status <> 'draft' AND i.currency = ${s.currency}
    AND i.issue_date BETWEEN ${s.from}::date AND ${s.to}::date`;
  if (groupBy === 'product') {
    return rowsOf<SalesRow>(
      db,
      sql`SELECT coalesce(l->>'product_id', '') AS key, min(coalesce(l->>'description', '')) AS label,
          count(DISTINCT i.id)::int AS documents,
          sum(${sign} * (r->>'net_amount')::numeric)::text AS net, '0' AS vat,
          sum(${sign} * (r->>'net_amount')::numeric)::text AS total
        FROM invoices i
          CROSS JOIN LATERAL jsonb_array_elements(i.snapshot->'lines') WITH ORDINALITY AS sl(l, n)
          JOIN LATERAL jsonb_array_elements(i.snapshot->'totals'->'lines') WITH ORDINALITY AS tl(r, m) ON m = n
        WHERE ${where}
        GROUP BY coalesce(l->>'product_id', ''),
          CASE WHEN l->>'product_id' IS NULL THEN coalesce(l->>'description', '') END
        ORDER BY sum(${sign} * (r->>'net_amount')::numeric) DESC, 2`,
    );
  }
  const key =
    groupBy === 'month' ? sql`to_char(i.issue_date, 'YYYY-MM')` : sql`coalesce(i.customer_id::text, '')`;
  const label = groupBy === 'month' ? sql`to_char(i.issue_date, 'YYYY-MM')` : sql`min(i.customer_name_en)`;
  const group =
    groupBy === 'month'
      ? sql`to_char(i.issue_date, 'YYYY-MM')`
      : sql`i.customer_id, CASE WHEN i.customer_id IS NULL THEN i.customer_name_en END`;
  return rowsOf<SalesRow>(
    db,
    sql`SELECT ${key} AS key, ${label} AS label, count(*)::int AS documents,
        sum(${sign} * i.subtotal)::text AS net, sum(${sign} * i.vat_amount)::text AS vat,
        sum(${sign} * i.total_amount)::text AS total
      FROM invoices i WHERE ${where}
      GROUP BY ${group}
      ORDER BY ${groupBy === 'month' ? sql`1` : sql`sum(${sign} * i.total_amount) DESC, 2`}`,
  );
}

/** How many documents of each kind the return counted. */
export async function documentCounts(db: Db, s: PeriodScope): Promise<Record<string, number>> {
  const rows = await rowsOf<{ kind: string; n: number }>(
    db,
    sql`SELECT type AS kind, count(*)::int AS n FROM invoices
        WHERE company_id = ${s.companyId} AND status <> 'draft'
          AND issue_date BETWEEN ${s.from}::date AND ${s.to}::date
          AND (currency = ${s.currency} OR snapshot->>'tax_currency' = ${s.currency})
        GROUP BY type
      UNION ALL
      SELECT 'expense', count(*)::int FROM expenses
        WHERE company_id = ${s.companyId} AND status IN ('booked', 'paid')
          AND expense_date BETWEEN ${s.from}::date AND ${s.to}::date
      UNION ALL
      SELECT 'supplier_invoice', count(*)::int FROM supplier_invoices
        WHERE company_id = ${s.companyId} AND status = 'approved' AND currency = ${s.currency}
          AND issue_date BETWEEN ${s.from}::date AND ${s.to}::date`,
  );
  return Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
}

export interface PaymentsRow {
  key: string;
  label: string;
  payments: number;
  amount: string;
  refunded: string;
}

/**
 * Completed payments received in the period (by payment date) in the company currency, grouped by month, by method
 * or by customer (walk-in buyers, with no customer record, together); what was refunded of them beside.
 */
export function paymentsBy(
  db: Db,
  s: PeriodScope,
  groupBy: 'month' | 'method' | 'customer',
): Promise<PaymentsRow[]> {
  const key =
    groupBy === 'month'
      ? sql`to_char(p.payment_date, 'YYYY-MM')`
      : groupBy === 'method'
        ? sql`p.method`
        : sql`coalesce(p.customer_id::text, '')`;
  const label = groupBy === 'customer' ? sql`coalesce(min(c.name_en), '')` : key;
  return rowsOf<PaymentsRow>(
    db,
    sql`SELECT ${key} AS key, ${label} AS label, count(*)::int AS payments,
        sum(p.amount)::text AS amount, sum(p.refunded_amount)::text AS refunded
      FROM payments p LEFT JOIN customers c ON c.id = p.customer_id AND c.company_id = p.company_id
      WHERE p.company_id = ${s.companyId} AND p.status = 'completed' AND p.currency = ${s.currency}
        AND p.payment_date BETWEEN ${s.from}::date AND ${s.to}::date
      GROUP BY 1
      ORDER BY ${groupBy === 'month' ? sql`1` : sql`sum(p.amount) DESC, 2`}`,
  );
}

/** Completed payments of the period in other currencies: left out of the report, counted apart. */
export async function paymentsInOtherCurrencies(db: Db, s: PeriodScope): Promise<number> {
  const [row] = await rowsOf<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM payments
      WHERE company_id = ${s.companyId} AND status = 'completed' AND currency <> ${s.currency}
        AND payment_date BETWEEN ${s.from}::date AND ${s.to}::date`,
  );
  return Number(row?.n ?? 0);
}

/** The rows a period report reads: how large it is, to decide whether it runs as a background job. */
export async function periodRowCount(db: Db, s: { companyId: string; from: string; to: string }) {
  const [row] = await rowsOf<{ n: number }>(
    db,
    sql`SELECT (SELECT count(*) FROM invoices WHERE company_id = ${s.companyId} AND status <> 'draft'
          AND issue_date BETWEEN ${s.from}::date AND ${s.to}::date)
      + (SELECT count(*) FROM payments WHERE company_id = ${s.companyId}
          AND payment_date BETWEEN ${s.from}::date AND ${s.to}::date) AS n`,
  );
  return Number(row?.n ?? 0);
}
