import { type Db, schema } from '@invoiceflow/db';

export interface AuditEntry {
  companyId: string | null;
  actorUserId: string | null;
  action: string;
  entityType: string;
  entityId?: string | null;
  data?: Record<string, unknown>;
  requestId?: string | null;
}

/** Written with the same transaction (`tx`) as the change it records: both land or neither does. */
export async function recordAudit(tx: Db, entry: AuditEntry): Promise<void> {
  await tx.insert(schema.auditLog).values({
    companyId: entry.companyId,
    actorUserId: entry.actorUserId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId ?? null,
    data: entry.data ?? {},
    requestId: entry.requestId ?? null,
  });
}
