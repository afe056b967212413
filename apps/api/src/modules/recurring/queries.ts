import { type Db, schema } from '@invoiceflow/db';
import { and, asc, desc, eq, notInArray, sql } from '@invoiceflow/db/orm';
import { plansWithout } from '../plans/plans';

const { recurringSchedules, recurringRuns } = schema;

export type ScheduleRow = typeof recurringSchedules.$inferSelect;
export type ScheduleInsert = typeof recurringSchedules.$inferInsert;
export type RunRow = typeof recurringRuns.$inferSelect;

export async function insertSchedule(db: Db, values: ScheduleInsert): Promise<ScheduleRow> {
  const [row] = await db.insert(recurringSchedules).values(values).returning();
  if (!row) throw new Error('schedule not stored');
  return row;
}

export async function getSchedule(db: Db, { companyId, id }: { companyId: string; id: string }) {
  const [row] = await db
    .select()
    .from(recurringSchedules)
    .where(and(eq(recurringSchedules.companyId, companyId), eq(recurringSchedules.id, id)));
  return row;
}

/** Under this lock a pause, an edit and a period's run of one schedule happen one at a time. */
export async function lockSchedule(db: Db, { companyId, id }: { companyId: string; id: string }) {
  const [row] = await db
    .select()
    .from(recurringSchedules)
    .where(and(eq(recurringSchedules.companyId, companyId), eq(recurringSchedules.id, id)))
    .for('update');
  return row;
}

export async function updateSchedule(
  db: Db,
  { companyId, id, values }: { companyId: string; id: string; values: Partial<ScheduleInsert> },
): Promise<ScheduleRow> {
  const [row] = await db
    .update(recurringSchedules)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(recurringSchedules.companyId, companyId), eq(recurringSchedules.id, id)))
    .returning();
  if (!row) throw new Error('schedule vanished');
  return row;
}

export async function deleteSchedule(db: Db, { companyId, id }: { companyId: string; id: string }) {
  await db
    .delete(recurringSchedules)
    .where(and(eq(recurringSchedules.companyId, companyId), eq(recurringSchedules.id, id)));
}

export async function listSchedules(
  db: Db,
  {
    companyId,
    status,
    limit,
    offset,
  }: { companyId: string; status?: 'active' | 'paused'; limit: number; offset: number },
) {
  const where = and(
    eq(recurringSchedules.companyId, companyId),
    status ? eq(recurringSchedules.status, status) : undefined,
  );
  const [count] = await db
    .select({ total: sql<number>`count(*)::int` })
    .from(recurringSchedules)
    .where(where);
  const rows = await db
    .select()
    .from(recurringSchedules)
    .where(where)
    .orderBy(desc(recurringSchedules.createdAt), asc(recurringSchedules.id))
    .limit(limit)
    .offset(offset);
  return { total: count?.total ?? 0, rows };
}

/** Every active schedule of every company, with its company's time zone: what a run looks at. */
export async function listActiveSchedules(db: Db) {
  return db
    .select({ schedule: recurringSchedules, timeZone: schema.companies.timeZone })
    .from(recurringSchedules)
    .innerJoin(schema.companies, eq(schema.companies.id, recurringSchedules.companyId))
    .where(
      and(
        eq(recurringSchedules.status, 'active'),
        // A company whose plan lost recurring invoices keeps its schedules; none of them makes an invoice.
        notInArray(schema.companies.plan, plansWithout('recurring')),
      ),
    )
    .orderBy(asc(recurringSchedules.id));
}

export async function listRuns(db: Db, { companyId, scheduleId }: { companyId: string; scheduleId: string }) {
  return db
    .select()
    .from(recurringRuns)
    .where(and(eq(recurringRuns.companyId, companyId), eq(recurringRuns.scheduleId, scheduleId)))
    .orderBy(asc(recurringRuns.periodDate));
}

/**
 * The period's row, or nothing when another run already made it (or is making it: the insert waits for that
 * transaction, and finds the row once it committed).
 */
export async function claimPeriod(
  db: Db,
  values: { scheduleId: string; companyId: string; periodDate: string; outcome: RunRow['outcome'] },
): Promise<boolean> {
  const inserted = await db
    .insert(recurringRuns)
    .values(values)
    .onConflictDoNothing()
    .returning({ periodDate: recurringRuns.periodDate });
  return inserted.length > 0;
}

export async function completeRun(
  db: Db,
  {
    companyId,
    scheduleId,
    periodDate,
    values,
  }: {
    companyId: string;
    scheduleId: string;
    periodDate: string;
    values: Pick<Partial<RunRow>, 'outcome' | 'invoiceId' | 'sendError'>;
  },
) {
  await db
    .update(recurringRuns)
    .set(values)
    .where(
      and(
        eq(recurringRuns.companyId, companyId),
        eq(recurringRuns.scheduleId, scheduleId),
        eq(recurringRuns.periodDate, periodDate),
      ),
    );
}
