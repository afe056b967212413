import { type Db, schema } from '@invoiceflow/db';
import { and, asc, eq, inArray } from '@invoiceflow/db/orm';
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

/** A company's issued documents, per unit in counter order (the order the chain was built in). */
export async function listChain(db: Db, { companyId }: { companyId: string }): Promise<ChainRow[]> {
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
    .innerJoin(egsUnits, eq(egsUnits.id, zatcaDocuments.egsId))
    .where(eq(zatcaDocuments.companyId, companyId))
    .orderBy(asc(egsUnits.createdAt), asc(zatcaDocuments.egsId), asc(zatcaDocuments.icv));
}
