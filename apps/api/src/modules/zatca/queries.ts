import { type Db, schema } from '@invoiceflow/db';
import { and, asc, eq, exists, gt, inArray, lte, sql } from '@invoiceflow/db/orm';
import type { ChainRunCursor, ZatcaSubmissionStatus } from '@invoiceflow/db/schema';

const { einvoiceDocuments, invoices, egsUnits, documentChains, zatcaChainRuns } = schema;

export type ZatcaDocumentRow = typeof einvoiceDocuments.$inferSelect;
export type NewZatcaDocument = typeof einvoiceDocuments.$inferInsert;

const isZatca = eq(einvoiceDocuments.format, 'zatca');

/** A ZATCA document with its invoice number, the EGS unit that signed it, and its counter (always set for ZATCA). */
export type ZatcaDocumentWithUnit = Omit<
  ZatcaDocumentRow,
  'position' | 'environment' | 'previousHash' | 'qrPayload'
> & {
  invoiceNumber: string;
  egsId: string;
  position: number;
  environment: NonNullable<ZatcaDocumentRow['environment']>;
  previousHash: string;
  qrPayload: string;
};

export async function insertZatcaDocument(db: Db, values: NewZatcaDocument): Promise<ZatcaDocumentRow> {
  const [row] = await db.insert(einvoiceDocuments).values(values).returning();
  if (!row) throw new Error('zatca document insert returned nothing');
  return row;
}

export async function getZatcaDocument(
  db: Db,
  { companyId, invoiceId }: { companyId: string; invoiceId: string },
): Promise<ZatcaDocumentWithUnit | undefined> {
  const [row] = await db
    .select({ document: einvoiceDocuments, invoiceNumber: invoices.number, egsId: egsUnits.id })
    .from(einvoiceDocuments)
    .innerJoin(invoices, eq(invoices.id, einvoiceDocuments.invoiceId))
    .leftJoin(egsUnits, eq(egsUnits.chainId, einvoiceDocuments.chainId))
    .where(
      and(eq(einvoiceDocuments.companyId, companyId), eq(einvoiceDocuments.invoiceId, invoiceId), isZatca),
    );
  if (!row) return undefined;
  const { document, invoiceNumber, egsId } = row;
  // Every ZATCA document is signed on a unit's chain, with a counter, an environment, a PIH and a QR.
  if (
    egsId === null ||
    document.position === null ||
    document.environment === null ||
    document.previousHash === null ||
    document.qrPayload === null
  ) {
    throw new Error('a ZATCA document without its chain fields');
  }
  return {
    ...document,
    invoiceNumber,
    egsId,
    position: document.position,
    environment: document.environment,
    previousHash: document.previousHash,
    qrPayload: document.qrPayload,
  };
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
    .update(einvoiceDocuments)
    .set({ ...values, updatedAt: new Date() })
    .where(
      and(
        eq(einvoiceDocuments.companyId, companyId),
        eq(einvoiceDocuments.invoiceId, invoiceId),
        isZatca,
        inArray(einvoiceDocuments.submissionStatus, [...from]),
      ),
    )
    .returning();
  return row;
}

export interface ChainRow {
  invoiceId: string;
  invoiceNumber: string;
  chainId: string;
  position: number;
  hash: string;
  previousHash: string;
  xml: string;
}

/** A chain that holds documents, and the EGS unit that signs on it. */
export interface ChainUnit {
  chainId: string;
  egsId: string;
}

/** The company's chains that hold documents, in the order their units were created (the order of verification). */
export async function listChainUnits(db: Db, { companyId }: { companyId: string }): Promise<ChainUnit[]> {
  return db
    .select({ chainId: documentChains.id, egsId: egsUnits.id })
    .from(documentChains)
    .innerJoin(egsUnits, eq(egsUnits.chainId, documentChains.id))
    .where(
      and(
        eq(documentChains.companyId, companyId),
        exists(
          db
            .select({ one: sql`1` })
            .from(einvoiceDocuments)
            .where(eq(einvoiceDocuments.chainId, documentChains.id)),
        ),
      ),
    )
    .orderBy(asc(egsUnits.createdAt), asc(egsUnits.id));
}

/** The size in bytes of each document of a chain after position `after`, in chain order, `limit` at most. */
export async function listChainSizes(
  db: Db,
  { companyId, chainId, after, limit }: { companyId: string; chainId: string; after: number; limit: number },
): Promise<{ position: number; bytes: number }[]> {
  // octet_length of a stored text reads its TOAST header: the XML itself is neither read nor decompressed.
  const rows = await db
    .select({
      position: einvoiceDocuments.position,
      bytes: sql<number>`octet_length(${einvoiceDocuments.xml})`.mapWith(Number),
    })
    .from(einvoiceDocuments)
    .where(
      and(
        eq(einvoiceDocuments.companyId, companyId),
        eq(einvoiceDocuments.chainId, chainId),
        gt(einvoiceDocuments.position, after),
      ),
    )
    .orderBy(asc(einvoiceDocuments.position))
    .limit(limit);
  return rows.map((row) => ({ position: row.position ?? 0, bytes: row.bytes }));
}

/** The documents of a chain with a position in (after, through], in chain order. */
export async function listChainPage(
  db: Db,
  {
    companyId,
    chainId,
    after,
    through,
  }: { companyId: string; chainId: string; after: number; through: number },
): Promise<ChainRow[]> {
  const rows = await db
    .select({
      invoiceId: einvoiceDocuments.invoiceId,
      invoiceNumber: invoices.number,
      position: einvoiceDocuments.position,
      hash: einvoiceDocuments.hash,
      previousHash: einvoiceDocuments.previousHash,
      xml: einvoiceDocuments.xml,
    })
    .from(einvoiceDocuments)
    .innerJoin(invoices, eq(invoices.id, einvoiceDocuments.invoiceId))
    .where(
      and(
        eq(einvoiceDocuments.companyId, companyId),
        eq(einvoiceDocuments.chainId, chainId),
        gt(einvoiceDocuments.position, after),
        lte(einvoiceDocuments.position, through),
      ),
    )
    .orderBy(asc(einvoiceDocuments.position));
  return rows.map((row) => ({
    ...row,
    chainId,
    position: row.position ?? 0,
    previousHash: row.previousHash ?? '',
  }));
}

/** How many documents the company's chains hold (the total of a verification's progress). */
export async function countChainDocuments(db: Db, { companyId }: { companyId: string }): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(einvoiceDocuments)
    .where(
      and(eq(einvoiceDocuments.companyId, companyId), isZatca, sql`${einvoiceDocuments.chainId} IS NOT NULL`),
    );
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
    .select({ bytes: sql<number>`octet_length(${einvoiceDocuments.xml})`.as('bytes') })
    .from(einvoiceDocuments)
    .where(
      and(eq(einvoiceDocuments.companyId, companyId), isZatca, sql`${einvoiceDocuments.chainId} IS NOT NULL`),
    )
    .limit(Math.max(0, limit))
    .as('sizes');
  const [row] = await db
    .select({ total: sql<number>`coalesce(sum(${sizes.bytes}), 0)`.mapWith(Number) })
    .from(sizes);
  return row?.total ?? 0;
}
