import { type Db, schema } from '@invoiceflow/db';
import type { Actor } from './actor';

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

/**
 * An audit writer for one kind of entity: `const audit = auditorFor('customer')`, then
 * `await audit(tx, companyId, actor, 'customer.archived', id)` inside the change's transaction.
 */
export function auditorFor(entityType: string) {
  return (
    tx: Db,
    companyId: string,
    actor: Actor,
    action: string,
    entityId: string,
    data: Record<string, unknown> = {},
  ) =>
    recordAudit(tx, {
      companyId,
      actorUserId: actor.userId,
      action,
      entityType,
      entityId,
      data,
      requestId: actor.requestId,
    });
}
