import { customType, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns';
import { companies } from './companies';
import { invoices } from './invoicing';

/** Raw bytes; node-postgres and PGlite both hand a bytea back as a Buffer/Uint8Array. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/**
 * The PDF of an issued invoice, stored once and served as stored: it never changes afterwards (a renderer upgrade
 * cannot alter a document the buyer already holds). A table of its own so that invoice scans never read the
 * bytes (~45 KB for one page with its fonts and the attached XML); the bytes live out of line in TOAST, uncompressed
 * (migration 0007: PDF streams are already deflated).
 */
export const invoicePdfs = pgTable(
  'invoice_pdfs',
  {
    invoiceId: uuid('invoice_id')
      .primaryKey()
      .references(() => invoices.id, { onDelete: 'cascade' }),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    /** Hex SHA-256 of `pdf`: the download's ETag. */
    sha256: text('sha256').notNull(),
    byteLength: integer('byte_length').notNull(),
    /** Which XML is attached (PDF/A-3): the signed one as issued, ZATCA's cleared one, or none (not Saudi). */
    xmlSource: text('xml_source', { enum: ['issued', 'cleared', 'none'] }).notNull(),
    pdf: bytea('pdf').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('invoice_pdfs_company_idx').on(t.companyId, t.invoiceId)],
);
