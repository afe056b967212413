import { type Db, schema } from '@invoiceflow/db';
import type { UblProfileName } from '@invoiceflow/ubl';
import { and, eq, ne } from 'drizzle-orm';

const { documentChains, einvoiceDocuments, invoices } = schema;

/** A chain's starting value, the previous hash of its first document: SHA-256 of nothing, base64. */
export const CHAIN_START_HASH = '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';

/**
 * The company's chain of a format, locked (SELECT … FOR UPDATE) until the issuing transaction ends; made on the
 * first document (a concurrent first issue waits on the unique key, then locks the row the other one made).
 */
export async function lockFormatChain(
  db: Db,
  { companyId, format }: { companyId: string; format: UblProfileName },
) {
  await db
    .insert(documentChains)
    .values({ companyId, format, lastHash: CHAIN_START_HASH })
    .onConflictDoNothing();
  const [row] = await db
    .select()
    .from(documentChains)
    .where(and(eq(documentChains.companyId, companyId), eq(documentChains.format, format)))
    .for('update');
  if (!row) throw new Error('format chain missing after insert');
  return row;
}

export async function insertEinvoiceDocument(
  db: Db,
  values: typeof einvoiceDocuments.$inferInsert,
): Promise<void> {
  await db.insert(einvoiceDocuments).values(values);
}

export async function advanceFormatChain(
  db: Db,
  { companyId, id, position, hash }: { companyId: string; id: string; position: number; hash: string },
): Promise<void> {
  await db
    .update(documentChains)
    .set({ lastPosition: position, lastHash: hash, updatedAt: new Date() })
    .where(and(eq(documentChains.companyId, companyId), eq(documentChains.id, id)));
}

/** An invoice's PINT AE or Peppol document (not ZATCA's: modules/zatca answers for those). */
export async function getUblDocument(
  db: Db,
  { companyId, invoiceId }: { companyId: string; invoiceId: string },
) {
  const [row] = await db
    .select({ xml: einvoiceDocuments.xml, format: einvoiceDocuments.format, invoiceNumber: invoices.number })
    .from(einvoiceDocuments)
    .innerJoin(invoices, and(eq(invoices.id, einvoiceDocuments.invoiceId), eq(invoices.companyId, companyId)))
    .where(
      and(
        eq(einvoiceDocuments.companyId, companyId),
        eq(einvoiceDocuments.invoiceId, invoiceId),
        ne(einvoiceDocuments.format, 'zatca'),
      ),
    );
  return row;
}
