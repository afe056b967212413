import { type Db, schema } from '@invoiceflow/db';
import { and, asc, eq, gt, lte, sql } from '@invoiceflow/db/orm';

const { sealKeys, invoiceSeals, invoices, einvoiceDocuments } = schema;

export type SealKeyRow = typeof sealKeys.$inferSelect;
export type SealInsert = typeof invoiceSeals.$inferInsert;

/** The company's seal key and chain head, row-locked: the company's seals queue here. */
export async function lockSealKey(
  db: Db,
  { companyId }: { companyId: string },
): Promise<SealKeyRow | undefined> {
  const [row] = await db.select().from(sealKeys).where(eq(sealKeys.companyId, companyId)).for('update');
  return row;
}

/** A new company key; a concurrent first seal's insert wins and this one does nothing. */
export async function insertSealKey(db: Db, values: typeof sealKeys.$inferInsert): Promise<void> {
  await db.insert(sealKeys).values(values).onConflictDoNothing({ target: sealKeys.companyId });
}

export async function hasSealKey(db: Db, { companyId }: { companyId: string }): Promise<boolean> {
  const [row] = await db.select({ id: sealKeys.id }).from(sealKeys).where(eq(sealKeys.companyId, companyId));
  return row !== undefined;
}

/** The key a chain is verified with (its public half only). */
export async function getSealKey(
  db: Db,
  { companyId }: { companyId: string },
): Promise<Pick<SealKeyRow, 'id' | 'algorithm' | 'publicKeyPem'> | undefined> {
  const [row] = await db
    .select({ id: sealKeys.id, algorithm: sealKeys.algorithm, publicKeyPem: sealKeys.publicKeyPem })
    .from(sealKeys)
    .where(eq(sealKeys.companyId, companyId));
  return row;
}

export async function advanceSealChain(
  db: Db,
  { companyId, id, position, hash }: { companyId: string; id: string; position: number; hash: string },
): Promise<void> {
  await db
    .update(sealKeys)
    .set({ lastPosition: position, lastHash: hash, updatedAt: new Date() })
    .where(and(eq(sealKeys.companyId, companyId), eq(sealKeys.id, id)));
}

export async function insertSeal(db: Db, values: SealInsert): Promise<void> {
  await db.insert(invoiceSeals).values(values);
}

/** The invoice's e-invoices (format and XML), as stored in the issuing transaction. */
export async function listInvoiceXml(
  db: Db,
  { companyId, invoiceId }: { companyId: string; invoiceId: string },
): Promise<{ format: string; xml: string }[]> {
  return db
    .select({ format: einvoiceDocuments.format, xml: einvoiceDocuments.xml })
    .from(einvoiceDocuments)
    .where(and(eq(einvoiceDocuments.companyId, companyId), eq(einvoiceDocuments.invoiceId, invoiceId)));
}

export async function countSeals(db: Db, { companyId }: { companyId: string }): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(invoiceSeals)
    .where(eq(invoiceSeals.companyId, companyId));
  return row?.n ?? 0;
}

/** The size of each sealed record's data (snapshot and XML, from the TOAST headers) after `after`. */
export async function listSealSizes(
  db: Db,
  { companyId, after, limit }: { companyId: string; after: number; limit: number },
): Promise<{ position: number; bytes: number }[]> {
  return db
    .select({
      position: invoiceSeals.position,
      bytes:
        sql<number>`pg_column_size(${invoices.snapshot}) + coalesce((SELECT octet_length(${einvoiceDocuments.xml})
        FROM ${einvoiceDocuments} WHERE ${einvoiceDocuments.companyId} = ${companyId}
        AND ${einvoiceDocuments.invoiceId} = ${invoiceSeals.invoiceId}
        AND ${einvoiceDocuments.format} = ${invoiceSeals.xmlFormat}), 0)`.mapWith(Number),
    })
    .from(invoiceSeals)
    .innerJoin(invoices, and(eq(invoices.companyId, companyId), eq(invoices.id, invoiceSeals.invoiceId)))
    .where(and(eq(invoiceSeals.companyId, companyId), gt(invoiceSeals.position, after)))
    .orderBy(asc(invoiceSeals.position))
    .limit(limit);
}

/** The sealed records with a position in (after, through], with the data and XML they seal, in chain order. */
export async function listSealPage(
  db: Db,
  { companyId, after, through }: { companyId: string; after: number; through: number },
) {
  return db
    .select({
      invoiceId: invoiceSeals.invoiceId,
      invoiceNumber: invoices.number,
      position: invoiceSeals.position,
      dataHash: invoiceSeals.dataHash,
      xmlFormat: invoiceSeals.xmlFormat,
      xmlHash: invoiceSeals.xmlHash,
      previousHash: invoiceSeals.previousHash,
      hash: invoiceSeals.hash,
      signature: invoiceSeals.signature,
      snapshot: invoices.snapshot,
      xml: sql<string | null>`(SELECT ${einvoiceDocuments.xml} FROM ${einvoiceDocuments}
        WHERE ${einvoiceDocuments.companyId} = ${companyId} AND ${einvoiceDocuments.invoiceId} = ${invoiceSeals.invoiceId}
        AND ${einvoiceDocuments.format} = ${invoiceSeals.xmlFormat})`,
    })
    .from(invoiceSeals)
    .innerJoin(invoices, and(eq(invoices.companyId, companyId), eq(invoices.id, invoiceSeals.invoiceId)))
    .where(
      and(
        eq(invoiceSeals.companyId, companyId),
        gt(invoiceSeals.position, after),
        lte(invoiceSeals.position, through),
      ),
    )
    .orderBy(asc(invoiceSeals.position));
}
