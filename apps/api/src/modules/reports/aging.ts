// What is owed to the company (its customers' open invoices) and what it owes (its approved, unpaid bills), aged
// by days past due on a given day. The one aging computation: the dashboard, the payables' aging and the reports
// all read these rows.
import type { Db } from '@invoiceflow/db';
import { type SQL, sql } from '@invoiceflow/db/orm';

export type AgingSide = 'receivable' | 'payable';

/** The buckets every aging shows: not yet due, then 1–30, 31–60, 61–90 and more than 90 days past due. */
export const AGING_BUCKETS = ['current', 'days_1_30', 'days_31_60', 'days_61_90', 'days_90_plus'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

export interface AgingRow {
  currency: string;
  /** The customer or vendor id ('' when none is on file, or when grouped by currency only). */
  key: string;
  label: string;
  documents: number;
  counts: Record<AgingBucket, number>;
  amounts: Record<AgingBucket, string>;
}

interface RawRow {
  currency: string;
  key: string;
  label: string;
  documents: number;
  [column: string]: string | number;
}

/**
 * Open documents of one side: receivables are issued invoices and debit notes with something left after credit
 * notes and payments (one without a due date is current); payables are approved bills not fully paid (one without
 * a due date is due on its issue date).
 */
function openDocuments(side: AgingSide, companyId: string, currency: string | undefined): SQL {
  const inCurrency = currency ? sql` AND currency = ${currency}` : sql``;
  if (side === 'receivable') {
    return sql`SELECT currency, coalesce(customer_id::text, '') AS party, customer_name_en AS party_name,
        due_date AS due, payable_amount - credited_amount - paid_amount AS open
      FROM invoices
      WHERE company_id = ${companyId} AND status <> 'draft' AND type <> 'credit_note'${inCurrency}
        AND payable_amount - credited_amount - paid_amount > 0`;
  }
  return sql`SELECT currency, coalesce(vendor_id::text, '') AS party, coalesce(supplier_name, '') AS party_name,
      coalesce(due_date, issue_date) AS due, payable_amount - paid_amount AS open
    FROM supplier_invoices
    WHERE company_id = ${companyId} AND status = 'approved' AND kind = 'invoice'${inCurrency}
      AND paid_amount < payable_amount`;
}

/**
 * Open documents aged on `asOf`, summed per currency (and per customer or vendor when `groupBy` is
 * 'counterparty'). `asOf - due` is whole days (date minus date); amounts are exact sums, not yet rounded.
 */
export async function agingRows(
  db: Db,
  s: { companyId: string; side: AgingSide; asOf: string; currency?: string },
  groupBy: 'currency' | 'counterparty',
): Promise<AgingRow[]> {
  const late = sql`(${s.asOf}::date - due)`;
  const conditions: Record<AgingBucket, SQL> = {
    current: sql`due IS NULL OR ${late} <= 0`,
    days_1_30: sql`${late} BETWEEN 1 AND 30`,
    days_31_60: sql`${late} BETWEEN 31 AND 60`,
    days_61_90: sql`${late} BETWEEN 61 AND 90`,
    days_90_plus: sql`${late} > 90`,
  };
  const buckets = sql.join(
    AGING_BUCKETS.map(
      (b) => sql`count(*) FILTER (WHERE ${conditions[b]})::int AS ${sql.raw(`${b}_count`)},
        coalesce(sum(open) FILTER (WHERE ${conditions[b]}), 0)::text AS ${sql.raw(`${b}_amount`)}`,
    ),
    sql`, `,
  );
  const byParty = groupBy === 'counterparty';
  const result = await db.execute(
    sql`SELECT currency, ${byParty ? sql`party` : sql`''`} AS key,
        ${byParty ? sql`coalesce(min(party_name), '')` : sql`''`} AS label,
        count(*)::int AS documents, ${buckets}
      FROM (${openDocuments(s.side, s.companyId, s.currency)}) AS open_documents
      GROUP BY currency${byParty ? sql`, party, CASE WHEN party = '' THEN party_name END` : sql``}
      ORDER BY currency${byParty ? sql`, sum(open) DESC, 3` : sql``}`,
  );
  return (result as unknown as { rows: RawRow[] }).rows.map((row) => ({
    currency: row.currency,
    key: row.key,
    label: row.label,
    documents: Number(row.documents),
    counts: Object.fromEntries(AGING_BUCKETS.map((b) => [b, Number(row[`${b}_count`])])) as Record<
      AgingBucket,
      number
    >,
    amounts: Object.fromEntries(AGING_BUCKETS.map((b) => [b, String(row[`${b}_amount`])])) as Record<
      AgingBucket,
      string
    >,
  }));
}
