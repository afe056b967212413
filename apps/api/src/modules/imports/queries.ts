import { type Db, schema } from '@invoiceflow/db';
import { and, asc, desc, eq, inArray, lt, sql } from '@invoiceflow/db/orm';
import type { ImportStatus, ImportType } from '@invoiceflow/db/schema';
import type { RowIssue } from './adapter';

const { imports, importErrors, importTemplates } = schema;

export type ImportRow = typeof imports.$inferSelect;
export type ImportTemplateRow = typeof importTemplates.$inferSelect;

export async function insertImport(db: Db, values: typeof imports.$inferInsert): Promise<ImportRow> {
  const [row] = await db.insert(imports).values(values).returning();
  if (!row) throw new Error('import insert returned nothing');
  return row;
}

export async function getImport(
  db: Db,
  { companyId, id, forUpdate = false }: { companyId: string; id: string; forUpdate?: boolean },
): Promise<ImportRow | undefined> {
  const query = db
    .select()
    .from(imports)
    .where(and(eq(imports.companyId, companyId), eq(imports.id, id)));
  const [row] = forUpdate ? await query.for('update') : await query;
  return row;
}

export async function listImports(db: Db, { companyId, limit }: { companyId: string; limit: number }) {
  return db
    .select()
    .from(imports)
    .where(eq(imports.companyId, companyId))
    .orderBy(desc(imports.createdAt), desc(imports.id))
    .limit(limit);
}

/** Changes an import, only from one of `from` when given; returns the changed row, or nothing. */
export async function updateImport(
  db: Db,
  {
    companyId,
    id,
    from,
    values,
  }: {
    companyId: string;
    id: string;
    from?: readonly ImportStatus[];
    values: Partial<typeof imports.$inferInsert>;
  },
): Promise<ImportRow | undefined> {
  const [row] = await db
    .update(imports)
    .set({ ...values, updatedAt: new Date() })
    .where(
      and(
        eq(imports.companyId, companyId),
        eq(imports.id, id),
        from ? inArray(imports.status, [...from]) : undefined,
      ),
    )
    .returning();
  return row;
}

export async function replaceImportErrors(
  db: Db,
  { companyId, importId, issues }: { companyId: string; importId: string; issues: readonly RowIssue[] },
) {
  await db
    .delete(importErrors)
    .where(and(eq(importErrors.companyId, companyId), eq(importErrors.importId, importId)));
  for (let i = 0; i < issues.length; i += 1000) {
    await db.insert(importErrors).values(
      issues.slice(i, i + 1000).map((issue) => ({
        importId,
        companyId,
        rowNumber: issue.row,
        field: issue.field,
        code: issue.code,
        message: issue.message,
      })),
    );
  }
}

export async function listImportErrors(
  db: Db,
  {
    companyId,
    importId,
    limit,
    offset,
  }: { companyId: string; importId: string; limit?: number; offset?: number },
): Promise<RowIssue[]> {
  const query = db
    .select({
      row: importErrors.rowNumber,
      field: importErrors.field,
      code: importErrors.code,
      message: importErrors.message,
    })
    .from(importErrors)
    .where(and(eq(importErrors.companyId, companyId), eq(importErrors.importId, importId)))
    .orderBy(asc(importErrors.rowNumber), asc(importErrors.field));
  if (limit !== undefined) return query.limit(limit).offset(offset ?? 0);
  return query;
}

/**
 * Imports a dead worker left in `importing`: started a while ago and whose run holds no lock (a live run holds
 * its advisory lock for the whole transaction). Any company: this is the queue's own housekeeping.
 */
export async function abandonedImports(db: Db, { olderThan }: { olderThan: Date }) {
  const rows = await db
    .select({ id: imports.id, companyId: imports.companyId })
    .from(imports)
    .where(and(eq(imports.status, 'importing'), lt(imports.startedAt, olderThan)));
  const abandoned: typeof rows = [];
  for (const row of rows) {
    const isFree = await db.transaction(async (tx) => {
      const result = await tx.execute(sql`SELECT pg_try_advisory_xact_lock(${runLockKey(row.id)}) AS free`);
      return (result as unknown as { rows: { free: boolean }[] }).rows[0]?.free === true;
    });
    if (isFree) abandoned.push(row);
  }
  return abandoned;
}

/** The advisory lock a run holds for its whole transaction (a 64-bit key from the import's id). */
export const runLockKey = (importId: string) =>
  sql`('x' || substr(md5(${`import:${importId}`}), 1, 16))::bit(64)::bigint`;

export async function tryRunLock(tx: Db, importId: string): Promise<boolean> {
  const result = await tx.execute(sql`SELECT pg_try_advisory_xact_lock(${runLockKey(importId)}) AS free`);
  return (result as unknown as { rows: { free: boolean }[] }).rows[0]?.free === true;
}

export async function listTemplates(db: Db, { companyId, type }: { companyId: string; type?: ImportType }) {
  return db
    .select()
    .from(importTemplates)
    .where(and(eq(importTemplates.companyId, companyId), type ? eq(importTemplates.type, type) : undefined))
    .orderBy(asc(importTemplates.type), asc(importTemplates.name));
}

export async function getTemplate(db: Db, { companyId, id }: { companyId: string; id: string }) {
  const [row] = await db
    .select()
    .from(importTemplates)
    .where(and(eq(importTemplates.companyId, companyId), eq(importTemplates.id, id)));
  return row;
}

/** Saves a mapping under its name (a second save under the same name replaces it). */
export async function upsertTemplate(
  db: Db,
  values: { companyId: string; type: ImportType; name: string; mapping: Record<string, string> },
): Promise<ImportTemplateRow> {
  const [row] = await db
    .insert(importTemplates)
    .values(values)
    .onConflictDoUpdate({
      target: [importTemplates.companyId, importTemplates.type, importTemplates.name],
      set: { mapping: values.mapping, updatedAt: new Date() },
    })
    .returning();
  if (!row) throw new Error('template upsert returned nothing');
  return row;
}
