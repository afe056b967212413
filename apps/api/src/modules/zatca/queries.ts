import { type Db, schema } from '@invoiceflow/db';
import { and, asc, eq, exists, gt, inArray, sql } from '@invoiceflow/db/orm';
import type { ZatcaSubmissionStatus } from '@invoiceflow/db/schema';

const { zatcaDocuments, invoices, egsUnits } = schema;

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

/** One page of a unit's chain after counter `afterIcv`, in counter order (index zatca_documents_company_idx). */
export async function listChainPage(
  db: Db,
  {
    companyId,
    egsId,
    afterIcv,
    limit,
  }: { companyId: string; egsId: string; afterIcv: number; limit: number },
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
      ),
    )
    .orderBy(asc(zatcaDocuments.icv))
    .limit(limit);
}
