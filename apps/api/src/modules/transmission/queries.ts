import { type Db, schema } from '@invoiceflow/db';
import { and, asc, eq, isNull } from '@invoiceflow/db/orm';

const { transmissionSettings, transmissions, transmissionAttempts } = schema;

export type TransmissionRow = typeof transmissions.$inferSelect;

export async function getSettings(db: Db, { companyId }: { companyId: string }) {
  const [row] = await db
    .select()
    .from(transmissionSettings)
    .where(eq(transmissionSettings.companyId, companyId));
  return row;
}

export async function saveSettings(db: Db, values: typeof transmissionSettings.$inferInsert): Promise<void> {
  const { companyId: _companyId, ...set } = values;
  await db
    .insert(transmissionSettings)
    .values(values)
    .onConflictDoUpdate({ target: transmissionSettings.companyId, set: { ...set, updatedAt: new Date() } });
}

export async function getTransmission(
  db: Db,
  { companyId, invoiceId }: { companyId: string; invoiceId: string },
) {
  const [row] = await db
    .select()
    .from(transmissions)
    .where(and(eq(transmissions.companyId, companyId), eq(transmissions.invoiceId, invoiceId)));
  return row;
}

export async function lockTransmission(
  db: Db,
  { companyId, invoiceId }: { companyId: string; invoiceId: string },
) {
  const [row] = await db
    .select()
    .from(transmissions)
    .where(and(eq(transmissions.companyId, companyId), eq(transmissions.invoiceId, invoiceId)))
    .for('update');
  return row;
}

/** Queues the invoice's transmission; an invoice queued before keeps its row (the unique key). */
export async function insertTransmission(
  db: Db,
  values: typeof transmissions.$inferInsert,
): Promise<boolean> {
  const rows = await db
    .insert(transmissions)
    .values(values)
    .onConflictDoNothing()
    .returning({ id: transmissions.id });
  return rows.length > 0;
}

export async function updateTransmission(
  db: Db,
  { companyId, id }: { companyId: string; id: string },
  set: Partial<typeof transmissions.$inferInsert>,
): Promise<void> {
  await db
    .update(transmissions)
    .set({ ...set, updatedAt: new Date() })
    .where(and(eq(transmissions.companyId, companyId), eq(transmissions.id, id)));
}

export async function insertAttempt(db: Db, values: typeof transmissionAttempts.$inferInsert): Promise<void> {
  await db.insert(transmissionAttempts).values(values);
}

export async function listAttempts(
  db: Db,
  { companyId, transmissionId }: { companyId: string; transmissionId: string },
) {
  return db
    .select()
    .from(transmissionAttempts)
    .where(
      and(
        eq(transmissionAttempts.companyId, companyId),
        eq(transmissionAttempts.transmissionId, transmissionId),
      ),
    )
    .orderBy(
      asc(transmissionAttempts.createdAt),
      asc(transmissionAttempts.generation),
      asc(transmissionAttempts.attempt),
    );
}

export async function deleteSettings(db: Db, { companyId }: { companyId: string }): Promise<boolean> {
  const rows = await db
    .delete(transmissionSettings)
    .where(eq(transmissionSettings.companyId, companyId))
    .returning({ companyId: transmissionSettings.companyId });
  return rows.length > 0;
}

/** Fails the company's transmissions still waiting to be handed to the provider (none of them has reached it). */
export async function failUnsent(db: Db, { companyId, reason }: { companyId: string; reason: string }) {
  return db
    .update(transmissions)
    .set({ exchangeStatus: 'failed', exchangeReason: reason, updatedAt: new Date() })
    .where(
      and(
        eq(transmissions.companyId, companyId),
        eq(transmissions.exchangeStatus, 'queued'),
        isNull(transmissions.acknowledgedAt),
      ),
    )
    .returning({
      id: transmissions.id,
      invoiceId: transmissions.invoiceId,
      provider: transmissions.provider,
      generation: transmissions.generation,
    });
}
