import type { Db } from '@invoiceflow/db';
import { type SQL, sql } from '@invoiceflow/db/orm';

async function rowsOf<T>(db: Db, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

export interface Scope {
  companyId: string;
  currency: string;
  from: string;
  to: string;
  today: string;
}

/** Money received in the period, per month: completed payments' allocations by payment date (not invoice totals). */
export async function revenueByMonth(db: Db, s: Scope): Promise<{ month: string; received: string }[]> {
  return rowsOf<{ month: string; received: string }>(
    db,
    sql`SELECT to_char(p.payment_date, 'YYYY-MM') AS month, sum(a.amount)::text AS received
      FROM payment_allocations a JOIN payments p ON p.id = a.payment_id
      WHERE a.company_id = ${s.companyId} AND p.status = 'completed' AND p.currency = ${s.currency}
        AND p.payment_date BETWEEN ${s.from}::date AND ${s.to}::date
      GROUP BY 1 ORDER BY 1`,
  );
}

export interface VatMonthRow {
  month: string;
  invoiced: string;
  credited: string;
  recoverable: string;
}

/**
 * VAT per month: output VAT by month of issue (invoices and debit notes add, credit notes take away) and the
 * recoverable input VAT of booked or paid expenses by expense date, each expense's VAT converted to the company
 * currency at its own rate and rounded to the currency's digits (as its answer shows it) before it is summed.
 */
export async function vatByMonth(db: Db, s: Scope & { digits: number }): Promise<VatMonthRow[]> {
  return rowsOf<VatMonthRow>(
    db,
    sql`WITH output AS (
        SELECT to_char(issue_date, 'YYYY-MM') AS month,
          coalesce(sum(vat_amount) FILTER (WHERE type <> 'credit_note'), 0) AS invoiced,
          coalesce(sum(vat_amount) FILTER (WHERE type = 'credit_note'), 0) AS credited
        FROM invoices
        WHERE company_id = ${s.companyId} AND status <> 'draft' AND currency = ${s.currency}
          AND issue_date BETWEEN ${s.from}::date AND ${s.to}::date
        GROUP BY 1
      ), input AS (
        SELECT to_char(expense_date, 'YYYY-MM') AS month,
          sum(round(vat_amount * exchange_rate, ${s.digits}::int)) AS recoverable
        FROM expenses
        WHERE company_id = ${s.companyId} AND is_vat_recoverable AND status IN ('booked', 'paid')
          AND expense_date BETWEEN ${s.from}::date AND ${s.to}::date
        GROUP BY 1
      )
      SELECT month, coalesce(o.invoiced, 0)::text AS invoiced, coalesce(o.credited, 0)::text AS credited,
        coalesce(i.recoverable, 0)::text AS recoverable
      FROM output o FULL JOIN input i USING (month)
      ORDER BY month`,
  );
}

export interface TopCustomerRow {
  customer_id: string | null;
  name: string;
  received: string;
  invoice_count: number;
}

/** Customers by money received in the period; invoices without a customer record group by buyer name. */
export async function topCustomers(db: Db, s: Scope, limit: number): Promise<TopCustomerRow[]> {
  return rowsOf<TopCustomerRow>(
    db,
    sql`SELECT i.customer_id::text AS customer_id, min(i.customer_name_en) AS name,
        sum(a.amount)::text AS received, count(DISTINCT i.id)::int AS invoice_count
      FROM payment_allocations a
        JOIN payments p ON p.id = a.payment_id
        JOIN invoices i ON i.id = a.invoice_id
      WHERE a.company_id = ${s.companyId} AND p.status = 'completed' AND p.currency = ${s.currency}
        AND p.payment_date BETWEEN ${s.from}::date AND ${s.to}::date
      GROUP BY i.customer_id, CASE WHEN i.customer_id IS NULL THEN i.customer_name_en END
      ORDER BY sum(a.amount) DESC, min(i.customer_name_en)
      LIMIT ${limit}`,
  );
}
