import { type Db, schema } from '@invoiceflow/db';
import { and, asc, desc, eq, sql } from '@invoiceflow/db/orm';

const { webhookEndpoints, webhookDeliveries, webhookEvents, webhookAttempts } = schema;

export type EndpointRow = typeof webhookEndpoints.$inferSelect;
export type EndpointInsert = typeof webhookEndpoints.$inferInsert;

type Tenant = { companyId: string; id: string };

export async function insertEndpoint(db: Db, values: EndpointInsert): Promise<EndpointRow> {
  const [row] = await db.insert(webhookEndpoints).values(values).returning();
  if (!row) throw new Error('endpoint not stored');
  return row;
}

export async function getEndpoint(db: Db, { companyId, id }: Tenant) {
  const [row] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.companyId, companyId), eq(webhookEndpoints.id, id)));
  return row;
}

export async function lockEndpoint(db: Db, { companyId, id }: Tenant) {
  const [row] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.companyId, companyId), eq(webhookEndpoints.id, id)))
    .for('update');
  return row;
}

export async function listEndpoints(db: Db, { companyId }: { companyId: string }) {
  return db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.companyId, companyId))
    .orderBy(asc(webhookEndpoints.createdAt), asc(webhookEndpoints.id));
}

export async function updateEndpoint(
  db: Db,
  { companyId, id, values }: Tenant & { values: Partial<EndpointInsert> },
): Promise<EndpointRow> {
  const [row] = await db
    .update(webhookEndpoints)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(webhookEndpoints.companyId, companyId), eq(webhookEndpoints.id, id)))
    .returning();
  if (!row) throw new Error('endpoint vanished');
  return row;
}

export async function deleteEndpoint(db: Db, { companyId, id }: Tenant) {
  await db
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.companyId, companyId), eq(webhookEndpoints.id, id)));
}

const deliveryColumns = {
  delivery: webhookDeliveries,
  eventType: webhookEvents.type,
};

export async function listDeliveries(
  db: Db,
  {
    companyId,
    endpointId,
    status,
    limit,
    offset,
  }: {
    companyId: string;
    endpointId: string;
    status?: 'pending' | 'succeeded' | 'failed';
    limit: number;
    offset: number;
  },
) {
  const where = and(
    eq(webhookDeliveries.companyId, companyId),
    eq(webhookDeliveries.endpointId, endpointId),
    status ? eq(webhookDeliveries.status, status) : undefined,
  );
  const [count] = await db.select({ total: sql<number>`count(*)::int` }).from(webhookDeliveries).where(where);
  const rows = await db
    .select(deliveryColumns)
    .from(webhookDeliveries)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(where)
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(limit)
    .offset(offset);
  return { total: count?.total ?? 0, rows };
}

export async function getDelivery(db: Db, { companyId, id }: Tenant) {
  const [row] = await db
    .select({ ...deliveryColumns, event: webhookEvents })
    .from(webhookDeliveries)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(and(eq(webhookDeliveries.companyId, companyId), eq(webhookDeliveries.id, id)));
  return row;
}

export async function attemptsOf(
  db: Db,
  { companyId, deliveryId }: { companyId: string; deliveryId: string },
) {
  return db
    .select()
    .from(webhookAttempts)
    .where(and(eq(webhookAttempts.companyId, companyId), eq(webhookAttempts.deliveryId, deliveryId)))
    .orderBy(asc(webhookAttempts.attempt), asc(webhookAttempts.createdAt));
}

export async function insertDelivery(db: Db, values: typeof webhookDeliveries.$inferInsert) {
  const [row] = await db.insert(webhookDeliveries).values(values).returning();
  if (!row) throw new Error('delivery not stored');
  return row;
}
