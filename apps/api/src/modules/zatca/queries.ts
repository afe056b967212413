import { type Db, schema } from '@invoiceflow/db';
import { and, asc, eq, exists, gt, inArray, lte, sql } from '@invoiceflow/db/orm';
import type { ChainRunCursor, ZatcaSubmissionStatus } from '@invoiceflow/db/schema';

const { zatcaDocuments, invoices, egsUnits, zatcaChainRuns } = schema;

export type ZatcaDocumentRow = typeof zatcaDocuments.$inferSelect;
export type NewZatcaDocument = typeof zatcaDocuments.$inferInsert;

export async function insertZatcaDocument(db: Db, values: NewZatcaDocument): Promise<ZatcaDocumentRow> {
  const [row] = await db.insert(zatcaDocuments).values(values).returning();
  if (!row) throw new Error('zatca document insert returned nothing');
  return row;
}

export async function getZatcaDocument(
  db: Db,
  { companyId, invoiceId }: { companyId: string; invoiceId: string },
): Promise<(ZatcaDocumentRow & { invoiceNumber: string }) | undefined> {
  const [row] = await db
    .select({ document: zatcaDocuments, invoiceNumber: invoices.number })
    .from(zatcaDocuments)
    .innerJoin(invoices, eq(invoices.id, zatcaDocuments.invoiceId))
    .where(and(eq(zatcaDocuments.companyId, companyId), eq(zatcaDocuments.invoiceId, invoiceId)));
  return row ? { ...row.document, invoiceNumber: row.invoiceNumber } : undefined;
}

/** The invoice exists (for a 404 that tells "no such invoice" from "no ZATCA document for it"). */
export async function getInvoiceNumber(
  db: Db,
  { companyId, invoiceId }: { companyId: string; invoiceId: string },
): Promise<string | undefined> {
  const [row] = await db
    .select({ number: invoices.number })
    .from(invoices)
    .where(and(eq(invoices.companyId, companyId), eq(invoices.id, invoiceId)));
  return row?.number;
}

/**
 * Records the outcome of a submission, only while the document still waits for one: a late duplicate job
 * cannot overwrite a final answer.
 */
export async function updateSubmission(
  db: Db,
  {
    companyId,
    invoiceId,
    from,
    values,
  }: {
    companyId: string;
    invoiceId: string;
    from: readonly ZatcaSubmissionStatus[];
    values: Partial<NewZatcaDocument>;
  },
): Promise<ZatcaDocumentRow | undefined> {
  const [row] = await db
    .update(zatcaDocuments)
    .set({ ...values, updatedAt: new Date() })
    .where(
      and(
        eq(zatcaDocuments.companyId, companyId),
        eq(zatcaDocuments.invoiceId, invoiceId),
        inArray(zatcaDocuments.submissionStatus, [...from]),
      ),
    )
    .returning();
  return row;
}

export interface ChainRow {
  invoiceId: string;
  invoiceNumber: string;
  egsId: string;
  icv: number;
  invoiceHash: string;
  previousHash: string;
  xml: string;
}

/** The company's EGS units that issued documents, in the order they were created (the order of the chains). */
export async function listChainUnits(db: Db, { companyId }: { companyId: string }): Promise<string[]> {
  const rows = await db
    .select({ id: egsUnits.id })
    .from(egsUnits)
    .where(
      and(
        eq(egsUnits.companyId, companyId),
        exists(db.select({ one: sql`1` }).from(zatcaDocuments).where(eq(zatcaDocuments.egsId, egsUnits.id))),
      ),
    )
    .orderBy(asc(egsUnits.createdAt), asc(egsUnits.id));
  return rows.map((row) => row.id);
}

/** The size in bytes of each document of a unit's chain after counter `afterIcv`, in counter order, `limit` at most. */
export async function listChainSizes(
  db: Db,
  {
    companyId,
    egsId,
    afterIcv,
    limit,
  }: { companyId: string; egsId: string; afterIcv: number; limit: number },
): Promise<{ icv: number; bytes: number }[]> {
  // octet_length of a stored text reads its TOAST header: the XML itself is neither read nor decompressed.
  return db
    .select({
      icv: zatcaDocuments.icv,
      bytes: sql<number>`octet_length(${zatcaDocuments.xml})`.mapWith(Number),
    })
    .from(zatcaDocuments)
    .where(
      and(
        eq(zatcaDocuments.companyId, companyId),
        eq(zatcaDocuments.egsId, egsId),
        gt(zatcaDocuments.icv, afterIcv),
      ),
    )
    .orderBy(asc(zatcaDocuments.icv))
    .limit(limit);
}

/** The documents of a unit's chain with a counter in (afterIcv, throughIcv], in counter order. */
export async function listChainPage(
  db: Db,
  {
    companyId,
    egsId,
    afterIcv,
    throughIcv,
  }: { companyId: string; egsId: string; afterIcv: number; throughIcv: number },
): Promise<ChainRow[]> {
  return db
    .select({
      invoiceId: zatcaDocuments.invoiceId,
      invoiceNumber: invoices.number,
      egsId: zatcaDocuments.egsId,
      icv: zatcaDocuments.icv,
      invoiceHash: zatcaDocuments.invoiceHash,
      previousHash: zatcaDocuments.previousHash,
      xml: zatcaDocuments.xml,
    })
    .from(zatcaDocuments)
    .innerJoin(invoices, eq(invoices.id, zatcaDocuments.invoiceId))
    .where(
      and(
        eq(zatcaDocuments.companyId, companyId),
        eq(zatcaDocuments.egsId, egsId),
        gt(zatcaDocuments.icv, afterIcv),
        lte(zatcaDocuments.icv, throughIcv),
      ),
    )
    .orderBy(asc(zatcaDocuments.icv));
}

/** How many documents the company's chains hold (the total of a verification's progress). */
export async function countChainDocuments(db: Db, { companyId }: { companyId: string }): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(zatcaDocuments)
    .where(eq(zatcaDocuments.companyId, companyId));
  return row?.n ?? 0;
}

export type ChainRunRow = typeof zatcaChainRuns.$inferSelect;

const ACTIVE = sql`${zatcaChainRuns.status} IN ('queued', 'running')`;

/** A running run whose heartbeat is older than this was interrupted (its process died); it may be taken over. */
export const CHAIN_RUN_STALE_SECONDS = 120;
/** A queued run no process picked up in this time (no process works the queue) no longer blocks a new one. */
const QUEUED_STALE_SECONDS = 3600;

export async function getChainRun(
  db: Db,
  { companyId, id }: { companyId: string; id: string },
): Promise<ChainRunRow | undefined> {
  const [row] = await db
    .select()
    .from(zatcaChainRuns)
    .where(and(eq(zatcaChainRuns.companyId, companyId), eq(zatcaChainRuns.id, id)));
  return row;
}

export async function getActiveChainRun(
  db: Db,
  { companyId }: { companyId: string },
): Promise<ChainRunRow | undefined> {
  const [row] = await db
    .select()
    .from(zatcaChainRuns)
    .where(and(eq(zatcaChainRuns.companyId, companyId), ACTIVE));
  return row;
}

/** Marks the company's interrupted or never-picked-up runs failed, so they no longer count as running. */
export async function failStaleChainRuns(db: Db, { companyId }: { companyId: string }): Promise<void> {
  await db
    .update(zatcaChainRuns)
    .set({
      status: 'failed',
      error: 'The verification was interrupted; start it again.',
      finishedAt: new Date(),
    })
    .where(
      and(
        eq(zatcaChainRuns.companyId, companyId),
        sql`((${zatcaChainRuns.status} = 'running' AND ${zatcaChainRuns.heartbeatAt} < now() - make_interval(secs => ${CHAIN_RUN_STALE_SECONDS}))
          OR (${zatcaChainRuns.status} = 'queued' AND ${zatcaChainRuns.createdAt} < now() - make_interval(secs => ${QUEUED_STALE_SECONDS})))`,
      ),
    );
}

/** Runs the company started in the last `seconds`, and when the oldest of them started. */
export async function countRecentChainRuns(
  db: Db,
  { companyId, seconds }: { companyId: string; seconds: number },
): Promise<{ count: number; oldest: Date | null }> {
  const [row] = await db
    .select({
      count: sql<number>`count(*)`.mapWith(Number),
      oldest: sql<string | null>`min(${zatcaChainRuns.createdAt})`,
    })
    .from(zatcaChainRuns)
    .where(
      and(
        eq(zatcaChainRuns.companyId, companyId),
        sql`${zatcaChainRuns.createdAt} > now() - make_interval(secs => ${seconds})`,
      ),
    );
  return { count: row?.count ?? 0, oldest: row?.oldest ? new Date(row.oldest) : null };
}

/**
 * A new run, unless the company has one queued or running already (undefined then): queued for a job, or running
 * already when the caller works it itself (its heartbeat starts now, so a caller that dies frees the company).
 */
export async function insertChainRun(
  db: Db,
  { companyId, total, isRunning }: { companyId: string; total: number; isRunning: boolean },
): Promise<ChainRunRow | undefined> {
  const [row] = await db
    .insert(zatcaChainRuns)
    .values({
      companyId,
      total,
      ...(isRunning ? { status: 'running' as const, startedAt: sql`now()`, heartbeatAt: sql`now()` } : {}),
    })
    .onConflictDoNothing({ target: zatcaChainRuns.companyId, where: ACTIVE })
    .returning();
  return row;
}

/**
 * Takes a run to work on it: a queued one, or a running one whose process stopped beating (it resumes from its
 * cursor). Undefined when the run is finished or another process is on it.
 */
export async function claimChainRun(
  db: Db,
  { companyId, id }: { companyId: string; id: string },
): Promise<ChainRunRow | undefined> {
  const [row] = await db
    .update(zatcaChainRuns)
    .set({
      status: 'running',
      startedAt: sql`coalesce(${zatcaChainRuns.startedAt}, now())`,
      heartbeatAt: sql`now()`,
    })
    .where(
      and(
        eq(zatcaChainRuns.companyId, companyId),
        eq(zatcaChainRuns.id, id),
        sql`(${zatcaChainRuns.status} = 'queued' OR (${zatcaChainRuns.status} = 'running' AND ${zatcaChainRuns.heartbeatAt} < now() - make_interval(secs => ${CHAIN_RUN_STALE_SECONDS})))`,
      ),
    )
    .returning();
  return row;
}

export async function recordChainRunProgress(
  db: Db,
  {
    companyId,
    id,
    checked,
    cursor,
  }: { companyId: string; id: string; checked: number; cursor: ChainRunCursor },
): Promise<void> {
  await db
    .update(zatcaChainRuns)
    .set({ checked, cursor, heartbeatAt: sql`now()` })
    .where(and(eq(zatcaChainRuns.companyId, companyId), eq(zatcaChainRuns.id, id)));
}

export async function finishChainRun(
  db: Db,
  {
    companyId,
    id,
    values,
  }: {
    companyId: string;
    id: string;
    values: Pick<
      Partial<ChainRunRow>,
      'status' | 'checked' | 'egsUnits' | 'isIntact' | 'firstBreak' | 'error'
    >;
  },
): Promise<ChainRunRow | undefined> {
  const [row] = await db
    .update(zatcaChainRuns)
    .set({ ...values, finishedAt: new Date(), heartbeatAt: sql`now()` })
    .where(and(eq(zatcaChainRuns.companyId, companyId), eq(zatcaChainRuns.id, id)))
    .returning();
  return row;
}

/** The XML bytes of the company's first `limit` documents (TOAST headers only): the size of a short chain. */
export async function sumChainBytes(
  db: Db,
  { companyId, limit }: { companyId: string; limit: number },
): Promise<number> {
  const sizes = db
    .select({ bytes: sql<number>`octet_length(${zatcaDocuments.xml})`.as('bytes') })
    .from(zatcaDocuments)
    .where(eq(zatcaDocuments.companyId, companyId))
    .limit(Math.max(0, limit))
    .as('sizes');
  const [row] = await db
    .select({ total: sql<number>`coalesce(sum(${sizes.bytes}), 0)`.mapWith(Number) })
    .from(sizes);
  return row?.total ?? 0;
}
