import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { createdAt, id, updatedAt } from './columns';
import { companies, type PostalAddress } from './companies';
import { type InvoiceSnapshot, ITEM_TYPES } from './snapshot';

export interface ContactPerson {
  name: string;
  email?: string;
  phone?: string;
  role?: string;
}

export const customers = pgTable(
  'customers',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['company', 'individual'] }).notNull(),
    nameEn: text('name_en').notNull(),
    nameAr: text('name_ar'),
    /** KSA VAT number or UAE TRN, checked per country by the API. */
    vatNumber: text('vat_number'),
    /** KSA CRN or other buyer id (BT-46). */
    registrationNumber: text('registration_number'),
    /** BT-46-1: the scheme of the buyer's id (TIN, CRN, MOM, MLS, 700, SAG, NAT, GCC, IQA, PAS, OTH). */
    idScheme: text('id_scheme'),
    /** BT-46: the buyer's id under id_scheme (a national ID, a passport, a foreign tax number…). */
    idNumber: text('id_number'),
    /** PINT AE BTAE-11: the authority that issued the buyer's registration (a trade licence, ibr-101-ae). */
    registrationAuthority: text('registration_authority'),
    /** The customer's Peppol electronic address (EAS scheme and id); a UAE buyer's is 0235 and its TIN by default. */
    peppolEndpointScheme: text('peppol_endpoint_scheme'),
    peppolEndpointId: text('peppol_endpoint_id'),
    email: text('email'),
    phone: text('phone'),
    address: jsonb('address').$type<PostalAddress>().notNull(),
    contacts: jsonb('contacts').$type<ContactPerson[]>().notNull().default([]),
    paymentTermsDays: integer('payment_terms_days'),
    currency: text('currency'),
    notes: text('notes'),
    /** Set the first time an issued invoice names the customer: from then on it is archived, never deleted. */
    usedAt: timestamp('used_at', { withTimezone: true }),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('customers_company_name_idx').on(t.companyId, t.nameEn)],
);

/**
 * Arabic letters folded for search: hamza forms of alef to alef, alef maqsura to ya, ta marbuta to ha, and
 * harakat and tatweel removed, so "أحمد" finds "احمد". The same folding runs on the query (search.ts).
 */
export const ARABIC_FOLD_FROM = 'أإآٱىة\u064B\u064C\u064D\u064E\u064F\u0650\u0651\u0652\u0640';
export const ARABIC_FOLD_TO = 'اااايه';

export const products = pgTable(
  'products',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    nameEn: text('name_en').notNull(),
    nameAr: text('name_ar'),
    description: text('description'),
    sku: text('sku'),
    /** GTIN-8, -12 (UPC-A), -13 (EAN) or -14 as the scanner reads it, its check digit verified on the way in. */
    barcode: text('barcode'),
    /** UN/ECE Recommendation 20 unit code. */
    unitCode: text('unit_code').notNull().default('PCE'),
    unitPrice: numeric('unit_price').notNull(),
    vatCategory: text('vat_category').notNull().default('S'),
    vatRate: numeric('vat_rate').notNull(),
    /** PINT AE BTAE-13: goods, services or both; what calls for an HS code or a service accounting code. */
    itemType: text('item_type', { enum: ITEM_TYPES }),
    /** Harmonized System code (IBT-158, scheme HS). */
    hsCode: text('hs_code'),
    /** Service accounting code (PINT AE BTAE-17, scheme SAC). */
    serviceCode: text('service_code'),
    /**
     * Goods: the quantity in stock, the running sum of the product's stock_movements; null for a service (or
     * goods whose stock is not kept). Never negative, by the database (products_stock_not_negative).
     */
    stockQuantity: numeric('stock_quantity'),
    usedAt: timestamp('used_at', { withTimezone: true }),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    // The till's search: names (Latin and Arabic, folded like invoices' search_text) and SKU, lower-cased once.
    searchText: text('search_text').generatedAlwaysAs(
      sql.raw(
        `lower(translate(name_en || coalesce(' ' || name_ar, '') || coalesce(' ' || sku, ''), '${ARABIC_FOLD_FROM}', '${ARABIC_FOLD_TO}'))`,
      ),
    ),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('products_company_name_idx').on(t.companyId, t.nameEn),
    // Contains (three letters or more): trigrams, the tenant first (btree_gin).
    index('products_search_trgm_idx').using('gin', t.companyId, sql`${t.searchText} gin_trgm_ops`),
    // The first keystrokes (one or two letters): a prefix of the Latin or the Arabic name.
    index('products_search_prefix_idx').on(t.companyId, sql`${t.searchText} text_pattern_ops`),
    index('products_name_ar_prefix_idx').on(
      t.companyId,
      sql.raw(`(lower(translate(name_ar, '${ARABIC_FOLD_FROM}', '${ARABIC_FOLD_TO}'))) text_pattern_ops`),
    ),
    uniqueIndex('products_company_barcode_key')
      .on(t.companyId, t.barcode)
      .where(sql`${t.archivedAt} IS NULL AND ${t.barcode} IS NOT NULL`),
    check('products_barcode_gtin', sql`${t.barcode} ~ '^([0-9]{8}|[0-9]{12,14})$'`),
    // An archived product gives its SKU back.
    uniqueIndex('products_company_sku_key')
      .on(t.companyId, t.sku)
      .where(sql`${t.archivedAt} IS NULL AND ${t.sku} IS NOT NULL`),
    check('products_stock_not_negative', sql`${t.stockQuantity} >= 0`),
    // An HS code is digits: the 6 of the international nomenclature, up to 12 with a national tariff's.
    check('products_hs_code_digits', sql`${t.hsCode} ~ '^[0-9]{6,12}$'`),
    check('products_service_code_form', sql`${t.serviceCode} ~ '^[A-Za-z0-9]{1,20}$'`),
  ],
);

/** Invoice editor state: one auto-save per user and company, plus named drafts. Loosely validated JSON. */
export const invoiceDrafts = pgTable(
  'invoice_drafts',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name'),
    isAutoSaved: boolean('is_auto_saved').notNull(),
    draftData: jsonb('draft_data').$type<Record<string, unknown>>().notNull(),
    /** Optimistic concurrency: every write bumps it; a write naming an older version is refused. */
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('invoice_drafts_autosave_key').on(t.companyId, t.userId).where(sql`${t.isAutoSaved}`),
    index('invoice_drafts_owner_idx').on(t.companyId, t.userId, t.updatedAt),
  ],
);

export const INVOICE_TYPES = ['invoice', 'credit_note', 'debit_note'] as const;
export type InvoiceType = (typeof INVOICE_TYPES)[number];
export const INVOICE_SUBTYPES = ['standard', 'simplified'] as const;
export type InvoiceSubtype = (typeof INVOICE_SUBTYPES)[number];
/**
 * Stored states. Paid, partially paid, overdue and credited are derived at read time from the amounts and dates.
 * Where invoices are approved before they are sent (the UAE), `issued` is the finalized document and `approved`
 * the step between it and `sent` (apps/api/src/modules/invoices/lifecycle.ts).
 */
export const INVOICE_STORED_STATUSES = ['draft', 'issued', 'approved', 'sent'] as const;

/** An issued document. The snapshot is the document; the columns are what lists, filters and search need. */
export const invoices = pgTable(
  'invoices',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    number: text('number').notNull(),
    type: text('type', { enum: INVOICE_TYPES }).notNull(),
    subtype: text('subtype', { enum: INVOICE_SUBTYPES }).notNull(),
    status: text('status', { enum: INVOICE_STORED_STATUSES }).notNull().default('issued'),
    customerId: uuid('customer_id').references(() => customers.id),
    customerNameEn: text('customer_name_en').notNull(),
    customerNameAr: text('customer_name_ar'),
    customerVatNumber: text('customer_vat_number'),
    issueDate: date('issue_date').notNull(),
    dueDate: date('due_date'),
    currency: text('currency').notNull(),
    /** BT-109, BT-110, BT-112, BT-115 in the document currency. */
    subtotal: numeric('subtotal').notNull(),
    vatAmount: numeric('vat_amount').notNull(),
    totalAmount: numeric('total_amount').notNull(),
    payableAmount: numeric('payable_amount').notNull(),
    /** Driven by payment allocations (a later module). */
    paidAmount: numeric('paid_amount').notNull().default('0'),
    /** Sum of the credit notes issued against this invoice, kept under a row lock on this invoice. */
    creditedAmount: numeric('credited_amount').notNull().default('0'),
    originalInvoiceId: uuid('original_invoice_id'),
    reason: text('reason'),
    /**
     * A draft's request as last saved (the issue body: buyer, lines, dates), re-read and validated when it is
     * issued; null once issued. A draft's snapshot and amounts are a preview of it, its number provisional.
     */
    draftBody: jsonb('draft_body').$type<Record<string, unknown>>(),
    snapshot: jsonb('snapshot').$type<InvoiceSnapshot>().notNull(),
    // Lower-cased once when stored: searches match with LIKE on lower(query), the same as ILIKE but without
    // lower-casing every candidate row (ILIKE costs ≈ 2 µs a row in a UTF-8 database, LIKE ≈ 0.4 µs).
    searchText: text('search_text').generatedAlwaysAs(
      sql.raw(
        `lower(translate(number || ' ' || customer_name_en || coalesce(' ' || customer_name_ar, '') || coalesce(' ' || customer_vat_number, ''), '${ARABIC_FOLD_FROM}', '${ARABIC_FOLD_TO}'))`,
      ),
    ),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    issuedAt: timestamp('issued_at', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('invoices_company_number_key').on(t.companyId, t.number),
    // Ascending with default NULLS LAST: scanned backwards it serves "issue_date DESC, id DESC" exactly
    // (an index declared DESC NULLS LAST would not match PostgreSQL's DESC = NULLS FIRST ordering).
    index('invoices_company_issue_date_idx').on(t.companyId, t.issueDate, t.id),
    index('invoices_company_customer_idx').on(t.companyId, t.customerId, t.issueDate, t.id),
    index('invoices_company_total_id_idx').on(t.companyId, t.totalAmount, t.id),
    index('invoices_company_original_idx')
      .on(t.companyId, t.originalInvoiceId)
      .where(sql`${t.originalInvoiceId} IS NOT NULL`),
    // Tenant first inside the trigram index (btree_gin): a search never wades through other companies' matches.
    index('invoices_search_trgm_idx').using('gin', t.companyId, sql`${t.searchText} gin_trgm_ops`),
    // "Paid" is derived (queries.ts derivedStatusSql); the list filter spells out this predicate so the planner
    // reads only paid invoices, newest first or within a date range, instead of testing every row.
    index('invoices_company_paid_idx')
      .on(t.companyId, t.issueDate, t.id)
      .where(sql`paid_amount > 0 AND paid_amount >= payable_amount - credited_amount`),
  ],
);

/** Gapless numbering: one row per company and series ("INV-2026"), incremented inside the issuing transaction. */
export const invoiceNumberCounters = pgTable(
  'invoice_number_counters',
  {
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    series: text('series').notNull(),
    lastValue: bigint('last_value', { mode: 'number' }).notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.series] })],
);

/**
 * A retried request with the same Idempotency-Key gets the first answer; the row is inserted with the effect.
 * Keys are the client's, per company and operation (scope); rows older than IDEMPOTENCY_TTL_DAYS are purged.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    scope: text('scope').notNull(),
    userId: uuid('user_id'),
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code'),
    response: jsonb('response'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.companyId, t.scope, t.key] }),
    index('idempotency_keys_created_idx').on(t.createdAt),
  ],
);
