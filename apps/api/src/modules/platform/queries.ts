import { type Db, schema } from '@invoiceflow/db';
import { and, desc, lt, sql } from '@invoiceflow/db/orm';

const { auditLog } = schema;

interface Row {
  [key: string]: unknown;
}

async function rows<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: Row[] };
  return result.rows as T[];
}

/**
 * The platform's figures, counted only: no query here reads a line, an amount, a party or any snapshot of an
 * invoice. Not tenant data (the caller is a super admin), so no company filter.
 */
export async function companyCounts(db: Db) {
  const [row] = await rows<{
    total: number;
    approved: number;
    pending: number;
    rejected: number;
    suspended: number;
  }>(
    db,
    sql`SELECT count(*)::int AS total,
      count(*) FILTER (WHERE is_approved)::int AS approved,
      count(*) FILTER (WHERE NOT is_approved AND rejected_at IS NULL)::int AS pending,
      count(*) FILTER (WHERE NOT is_approved AND rejected_at IS NOT NULL)::int AS rejected,
      count(*) FILTER (WHERE suspended_at IS NOT NULL)::int AS suspended
    FROM companies`,
  );
  const byPlan = await rows<{ plan: string; companies: number }>(
    db,
    sql`SELECT plan, count(*)::int AS companies FROM companies GROUP BY plan ORDER BY plan`,
  );
  return { ...(row ?? { total: 0, approved: 0, pending: 0, rejected: 0, suspended: 0 }), byPlan };
}

/** Accounts that used the product in the window: a session is refreshed every quarter of an hour of use. */
export async function activeUsers(db: Db, { since }: { since: Date }): Promise<number> {
  const [row] = await rows<{ n: number }>(
    db,
    sql`SELECT count(DISTINCT r.user_id)::int AS n FROM refresh_tokens r JOIN users u ON u.id = r.user_id
      WHERE r.created_at >= ${since.toISOString()}::timestamptz AND u.is_active`,
  );
  return row?.n ?? 0;
}

export async function issuedPerDayAndCountry(db: Db, { from }: { from: string }) {
  return rows<{ day: string; country: string; issued: number }>(
    db,
    sql`SELECT to_char(i.issue_date, 'YYYY-MM-DD') AS day, c.country, count(*)::int AS issued
      FROM invoices i JOIN companies c ON c.id = i.company_id
      WHERE i.status <> 'draft' AND i.issue_date >= ${from}::date
      GROUP BY 1, 2 ORDER BY 1, 2`,
  );
}

export async function einvoiceFailures(db: Db, { since }: { since: Date }) {
  const at = since.toISOString();
  const [row] = await rows<{ zatca: number; transmission: number }>(
    db,
    sql`SELECT
      (SELECT count(*)::int FROM einvoice_documents
        WHERE submission_status IN ('rejected', 'failed') AND created_at >= ${at}::timestamptz) AS zatca,
      (SELECT count(*)::int FROM transmissions
        WHERE (exchange_status = 'failed' OR reporting_status = 'rejected') AND created_at >= ${at}::timestamptz) AS transmission`,
  );
  return row ?? { zatca: 0, transmission: 0 };
}

/** The platform administrators' own entries of the audit log, newest first. */
export async function listSuperAdminAudit(db: Db, { before, limit }: { before?: number; limit: number }) {
  return db
    .select()
    .from(auditLog)
    .where(
      and(
        sql`${auditLog.data} ->> 'by' = 'super_admin'`,
        before !== undefined ? lt(auditLog.id, before) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(limit);
}
