import type { Db } from '@invoiceflow/db';
import { sql } from '@invoiceflow/db/orm';

export interface CallerCompanyRow {
  id: string;
  country: string;
  currency: string;
  /** The company's own rate list (generic profile), highest first; empty when its rules fix the rates. */
  rates: string[];
}

/**
 * The company a signed-in caller works in (the one named, or the default), with what the preview judges by: only
 * through an active, unsuspended membership of this user, so a company id of another tenant finds nothing.
 */
export async function findCallerCompany(
  db: Db,
  { userId, companyId }: { userId: string; companyId: string | null },
): Promise<CallerCompanyRow | undefined> {
  const result = (await db.execute(sql`
    SELECT c.id, c.country, c.currency,
      COALESCE((SELECT array_agg(r.rate ORDER BY r.rate::numeric DESC) FROM company_tax_rates r
        WHERE r.company_id = c.id), '{}') AS rates
    FROM users u
    JOIN memberships m ON m.user_id = u.id AND m.company_id = COALESCE(${companyId}::uuid, u.default_company_id)
      AND NOT m.is_suspended
    JOIN companies c ON c.id = m.company_id
    WHERE u.id = ${userId} AND u.is_active`)) as unknown as { rows: CallerCompanyRow[] };
  return result.rows[0];
}
