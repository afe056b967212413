import type { Db } from '@invoiceflow/db';
import { sql } from '@invoiceflow/db/orm';
import type { AccountantScope, AssignmentStatus } from '@invoiceflow/db/schema';
import { defineErrors } from '../../lib/errors';

defineErrors({
  CLIENT_NOT_FOUND: [404, 'Client not found.'],
  ASSIGNMENT_SUSPENDED: [403, 'The client has suspended your access to its books.'],
  SCOPE_NOT_GRANTED: [403, 'The client has not given you access to this part of its books.'],
});

export interface AccountantAccess {
  assignmentId: string;
  status: Extract<AssignmentStatus, 'active' | 'suspended'>;
  scopes: AccountantScope[];
  /** The client company is suspended by the platform's administrators: nobody reads its books meanwhile. */
  isClientSuspended: boolean;
}

/**
 * The caller's accepted, unrevoked assignment to the client, if any: as the accountant in person, as an owner or
 * admin of the practice that holds it, or as a staff member the practice assigned (while still its member). With
 * several, an active one wins, and their scopes are not merged: each assignment is the client's decision.
 */
export async function accountantAccess(
  db: Db,
  { userId, clientCompanyId }: { userId: string; clientCompanyId: string },
): Promise<AccountantAccess | undefined> {
  const result = (await db.execute(sql`
    SELECT a.id, a.status, a.scopes,
      EXISTS (SELECT 1 FROM companies c WHERE c.id = a.client_company_id AND c.suspended_at IS NOT NULL) AS client_suspended
    FROM accountant_assignments a
    WHERE a.client_company_id = ${clientCompanyId}
      AND a.status IN ('active', 'suspended')
      AND (
        a.accountant_user_id = ${userId}
        OR EXISTS (
          SELECT 1 FROM memberships m
          WHERE m.company_id = a.practice_company_id AND m.user_id = ${userId} AND NOT m.is_suspended
            AND (m.role IN ('owner', 'admin')
              OR EXISTS (SELECT 1 FROM accountant_assignment_staff s
                         WHERE s.assignment_id = a.id AND s.user_id = ${userId}))
        )
      )
    ORDER BY (a.status = 'active') DESC, a.created_at
    LIMIT 1`)) as unknown as {
    rows: {
      id: string;
      status: AccountantAccess['status'];
      scopes: AccountantScope[];
      client_suspended: boolean;
    }[];
  };
  const row = result.rows[0];
  return row
    ? {
        assignmentId: row.id,
        status: row.status,
        scopes: row.scopes,
        isClientSuspended: row.client_suspended,
      }
    : undefined;
}
