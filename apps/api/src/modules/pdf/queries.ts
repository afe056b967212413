import { type Db, schema } from '@invoiceflow/db';
import { and, eq } from '@invoiceflow/db/orm';

const { invoicePdfs, invoices, einvoiceDocuments } = schema;

export type InvoicePdfRow = typeof invoicePdfs.$inferSelect;
export type NewInvoicePdf = typeof invoicePdfs.$inferInsert;

/** The stored PDF of an invoice, with the invoice number (the download's file name). */
export async function getStoredPdf(
  db: Db,
  { companyId, invoiceId }: { companyId: string; invoiceId: string },
): Promise<(InvoicePdfRow & { number: string }) | undefined> {
  const [row] = await db
    .select({ stored: invoicePdfs, number: invoices.number })
    .from(invoicePdfs)
    .innerJoin(invoices, eq(invoices.id, invoicePdfs.invoiceId))
    .where(and(eq(invoicePdfs.companyId, companyId), eq(invoicePdfs.invoiceId, invoiceId)));
  return row ? { ...row.stored, number: row.number } : undefined;
}

/** What a PDF is rendered from: the frozen snapshot and what ZATCA issuing stored for it (if anything). */
export async function getPdfSource(
  db: Db,
  { companyId, invoiceId }: { companyId: string; invoiceId: string },
) {
  const [row] = await db
    .select({
      id: invoices.id,
      number: invoices.number,
      status: invoices.status,
      snapshot: invoices.snapshot,
      zatca: {
        xml: einvoiceDocuments.xml,
        clearedXml: einvoiceDocuments.returnedXml,
        qrPayload: einvoiceDocuments.qrPayload,
        submissionKind: einvoiceDocuments.submissionKind,
        submissionStatus: einvoiceDocuments.submissionStatus,
        isSimulated: einvoiceDocuments.isSimulated,
      },
    })
    .from(invoices)
    .leftJoin(
      einvoiceDocuments,
      and(
        eq(einvoiceDocuments.invoiceId, invoices.id),
        eq(einvoiceDocuments.companyId, companyId),
        eq(einvoiceDocuments.format, 'zatca'),
      ),
    )
    .where(and(eq(invoices.companyId, companyId), eq(invoices.id, invoiceId)));
  return row;
}

export type PdfSource = NonNullable<Awaited<ReturnType<typeof getPdfSource>>>;

/**
 * Stores an invoice's PDF once. A concurrent first download that stored it meanwhile wins (its bytes are the same:
 * same snapshot, same artifacts, same renderer): returns false, and the caller reads the stored row.
 */
export async function insertPdfOnce(db: Db, values: NewInvoicePdf): Promise<boolean> {
  const rows = await db
    .insert(invoicePdfs)
    .values(values)
    .onConflictDoNothing({ target: invoicePdfs.invoiceId })
    .returning({ invoiceId: invoicePdfs.invoiceId });
  return rows.length > 0;
}
