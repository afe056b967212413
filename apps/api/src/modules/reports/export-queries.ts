import { type Db, schema } from '@invoiceflow/db';
import { and, asc, eq, gt, gte, inArray, lte, ne, or, sql } from '@invoiceflow/db/orm';

const { invoices, einvoiceDocuments, invoicePdfs, payments, customers } = schema;

export interface PageAfter {
  date: string;
  id: string;
}

/** Issued documents (invoices, credit and debit notes) of a period in issue-date order, one keyset page. */
export async function documentsPage(
  db: Db,
  {
    companyId,
    from,
    to,
    after,
    limit,
  }: { companyId: string; from: string; to: string; after?: PageAfter; limit: number },
) {
  return db
    .select({
      id: invoices.id,
      number: invoices.number,
      type: invoices.type,
      subtype: invoices.subtype,
      status: invoices.status,
      issueDate: invoices.issueDate,
      dueDate: invoices.dueDate,
      customerName: invoices.customerNameEn,
      customerVatNumber: invoices.customerVatNumber,
      currency: invoices.currency,
      subtotal: invoices.subtotal,
      vatAmount: invoices.vatAmount,
      totalAmount: invoices.totalAmount,
      payableAmount: invoices.payableAmount,
      paidAmount: invoices.paidAmount,
      creditedAmount: invoices.creditedAmount,
    })
    .from(invoices)
    .where(
      and(
        eq(invoices.companyId, companyId),
        ne(invoices.status, 'draft'),
        gte(invoices.issueDate, from),
        lte(invoices.issueDate, to),
        after
          ? or(
              gt(invoices.issueDate, after.date),
              and(eq(invoices.issueDate, after.date), gt(invoices.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(asc(invoices.issueDate), asc(invoices.id))
    .limit(limit);
}

/** The e-invoice XML of documents: ZATCA's cleared copy where it returned one, else the document as issued. */
export async function xmlOf(db: Db, { companyId, invoiceIds }: { companyId: string; invoiceIds: string[] }) {
  if (invoiceIds.length === 0) return [];
  return db
    .select({
      invoiceId: einvoiceDocuments.invoiceId,
      format: einvoiceDocuments.format,
      xml: sql<string>`coalesce(${einvoiceDocuments.returnedXml}, ${einvoiceDocuments.xml})`,
    })
    .from(einvoiceDocuments)
    .where(and(eq(einvoiceDocuments.companyId, companyId), inArray(einvoiceDocuments.invoiceId, invoiceIds)));
}

export async function storedPdfsOf(
  db: Db,
  { companyId, invoiceIds }: { companyId: string; invoiceIds: string[] },
) {
  if (invoiceIds.length === 0) return [];
  return db
    .select({ invoiceId: invoicePdfs.invoiceId, pdf: invoicePdfs.pdf, sha256: invoicePdfs.sha256 })
    .from(invoicePdfs)
    .where(and(eq(invoicePdfs.companyId, companyId), inArray(invoicePdfs.invoiceId, invoiceIds)));
}

/** Payments received in a period, in payment-date order, one keyset page. */
export async function paymentsPage(
  db: Db,
  {
    companyId,
    from,
    to,
    after,
    limit,
  }: { companyId: string; from: string; to: string; after?: PageAfter; limit: number },
) {
  return db
    .select({
      id: payments.id,
      paymentDate: payments.paymentDate,
      customerName: customers.nameEn,
      amount: payments.amount,
      refundedAmount: payments.refundedAmount,
      currency: payments.currency,
      method: payments.method,
      status: payments.status,
      reference: payments.reference,
      allocated: sql<string>`coalesce((SELECT sum(a.amount) FROM payment_allocations a
        WHERE a.payment_id = ${payments.id} AND a.company_id = ${companyId}), 0)::text`,
      invoiceNumbers: sql<string>`coalesce((SELECT string_agg(i.number, ' ' ORDER BY i.number)
        FROM payment_allocations a JOIN invoices i ON i.id = a.invoice_id
        WHERE a.payment_id = ${payments.id} AND a.company_id = ${companyId}), '')`,
    })
    .from(payments)
    .leftJoin(customers, and(eq(customers.id, payments.customerId), eq(customers.companyId, companyId)))
    .where(
      and(
        eq(payments.companyId, companyId),
        gte(payments.paymentDate, from),
        lte(payments.paymentDate, to),
        after
          ? or(
              gt(payments.paymentDate, after.date),
              and(eq(payments.paymentDate, after.date), gt(payments.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(asc(payments.paymentDate), asc(payments.id))
    .limit(limit);
}
