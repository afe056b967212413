import type { Db } from '@invoiceflow/db';
import { sql } from '@invoiceflow/db/orm';

export interface CallerCompanyRow {
  /** The user is active and this login (token family) has not been signed out. */
  is_signed_in: boolean;
  /** The company, when the caller is an unsuspended member of it. */
  id: string | null;
  country: string | null;
  currency: string | null;
  /** The company's own rate list (generic profile), highest first; empty when its rules fix the rates. */
  rates: string[] | null;
}

/**
 * The company a signed-in caller works in (the one named, or the default), with what the preview judges by: only
 * through an unsuspended membership of this user, so a company id of another tenant finds nothing; and whether
 * the login is still live (the token alone cannot say once it was signed out).
 */
export async function findCallerCompany(
  db: Db,
  { userId, familyId, companyId }: { userId: string; familyId: string; companyId: string | null },
): Promise<CallerCompanyRow | undefined> {
  const result = (await db.execute(sql`
    SELECT u.is_active AND EXISTS (SELECT 1 FROM refresh_tokens r
        WHERE r.family_id = ${familyId} AND r.user_id = u.id AND r.revoked_at IS NULL) AS is_signed_in,
      c.id, c.country, c.currency,
      (SELECT array_agg(t.rate ORDER BY t.rate::numeric DESC) FROM company_tax_rates t
        WHERE t.company_id = c.id) AS rates
    FROM users u
    LEFT JOIN memberships m ON m.user_id = u.id
      AND m.company_id = COALESCE(${companyId}::uuid, u.default_company_id) AND NOT m.is_suspended
    LEFT JOIN companies c ON c.id = m.company_id
    WHERE u.id = ${userId}`)) as unknown as { rows: CallerCompanyRow[] };
  return result.rows[0];
}
