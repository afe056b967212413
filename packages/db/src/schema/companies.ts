import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { createdAt, id, updatedAt } from './columns';
import { customers } from './invoicing';

export interface PostalAddress {
  street?: string;
  building_number?: string;
  additional_number?: string;
  district?: string;
  city?: string;
  postal_code?: string;
  country: string;
  emirate?: string;
  /** A region, state or province abroad (the country subdivision of a UBL address). */
  region?: string;
}

export const companies = pgTable(
  'companies',
  {
    id: id(),
    legalNameEn: text('legal_name_en').notNull(),
    legalNameAr: text('legal_name_ar'),
    /** ISO 3166-1 alpha-2; its jurisdiction profile (@invoiceflow/jurisdictions) holds the country's rules. */
    country: text('country').notNull(),
    vatNumber: text('vat_number'),
    /** Commercial registration number (KSA CRN) or trade licence number (UAE). */
    registrationNumber: text('registration_number'),
    /** BT-29-1: the scheme of registration_number (CRN, MOM, MLS, SAG, OTH, 700); absent means CRN. */
    registrationScheme: text('registration_scheme'),
    /** PINT AE BTAE-12: the authority that issued the registration (a trade licence names it, ibr-172-ae). */
    registrationAuthority: text('registration_authority'),
    /** The company's Peppol electronic address (EAS scheme and id); a UAE company's is 0235 and its TIN by default. */
    peppolEndpointScheme: text('peppol_endpoint_scheme'),
    peppolEndpointId: text('peppol_endpoint_id'),
    address: jsonb('address').$type<PostalAddress>().notNull(),
    /**
     * The default bank account invoices are paid into (IBT-084 IBAN, IBT-085 account name, IBT-086 BIC), written as
     * a credit transfer's payment means when an invoice names none. The IBAN's form is checked by the database.
     */
    bankIban: text('bank_iban'),
    bankAccountName: text('bank_account_name'),
    bankBic: text('bank_bic'),
    currency: text('currency').notNull(),
    /** IANA time zone of the company's calendar: an invoice's date, the day's mail limit, overdue reminders. */
    timeZone: text('time_zone').notNull(),
    isApproved: boolean('is_approved').notNull().default(true),
    /**
     * The plan whose limits the company is held to (a code of the API's plan table). Existing and self-hosted
     * companies are unlimited; DEFAULT_PLAN chooses what a new company gets.
     */
    plan: text('plan').notNull().default('unlimited'),
    /** A platform administrator's suspension: its members cannot use it (403) until it is reactivated. */
    suspendedAt: timestamp('suspended_at', { withTimezone: true }),
    suspensionReason: text('suspension_reason'),
    /**
     * A platform administrator's refusal (REQUIRE_COMPANY_APPROVAL): the company stays unapproved, with the reason
     * its owners were told. Approving it later clears both.
     */
    rejectedAt: timestamp('rejected_at', { withTimezone: true }),
    rejectionReason: text('rejection_reason'),
    /**
     * Where invoices are approved before they are sent (the UAE's finalize → approve → send): whether the finance
     * role may approve, besides owners and admins.
     */
    isFinanceApprover: boolean('is_finance_approver').notNull().default(false),
    /** The algorithm of the company's integrity seal key, when it is made (see integrity.ts). */
    sealAlgorithm: text('seal_algorithm', { enum: ['ecdsa-p256', 'rsa-pss-2048'] as const })
      .notNull()
      .default('ecdsa-p256'),
    /**
     * The logo printed on the company's documents from now on (a company_logos row). An issued invoice keeps the
     * id it was issued with in its snapshot, so a new logo never changes an issued PDF. No foreign key: the two
     * tables point at each other.
     */
    logoId: uuid('logo_id'),
    /** The language the company's screens and mails start in ('en' or 'ar'); each user may switch. */
    defaultLanguage: text('default_language', { enum: ['en', 'ar'] as const })
      .notNull()
      .default('en'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // ISO 13616: the country, two check digits and up to 30 letters and digits (the checksum is the API's).
    check('companies_bank_iban_form', sql`${t.bankIban} ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'`),
    check('companies_bank_bic_form', sql`${t.bankBic} ~ '^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$'`),
  ],
);

/**
 * The tax rates a company of the generic profile charges (percent, canonical text "21", "5.5"); SA and AE rates
 * are fixed by their rule sets and have no rows.
 */
export const companyTaxRates = pgTable(
  'company_tax_rates',
  {
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    rate: text('rate').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.rate] })],
);

/**
 * `client` is a person of one of the company's customers (memberships.customer_id): it holds no permission of the
 * company's own screens, only what the customer portal grants for that customer.
 */
export const ROLES = ['owner', 'admin', 'finance', 'accountant', 'viewer', 'client'] as const;
export type Role = (typeof ROLES)[number];

export const ACCOUNTANT_SCOPES = ['invoices', 'customers', 'expenses', 'hours', 'payments'] as const;
export type AccountantScope = (typeof ACCOUNTANT_SCOPES)[number];

export const memberships = pgTable(
  'memberships',
  {
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ROLES }).notNull(),
    /** Only for accountants: what they may read. */
    scopes: jsonb('scopes').$type<AccountantScope[]>().notNull().default([]),
    /** Only for clients: the customer record of this company whose person the member is. */
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'cascade' }),
    isSuspended: boolean('is_suspended').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.companyId, t.userId] }),
    index('memberships_user_idx').on(t.userId),
    check('memberships_client_customer', sql`(${t.role} = 'client') = (${t.customerId} IS NOT NULL)`),
  ],
);

/** Append-only: a trigger in the migrations refuses UPDATE and DELETE. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    companyId: uuid('company_id'),
    actorUserId: uuid('actor_user_id'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    requestId: text('request_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('audit_log_company_idx').on(t.companyId, t.createdAt),
    // An entity's history (an invoice's timeline) without reading the company's whole log.
    index('audit_log_entity_idx').on(t.companyId, t.entityType, t.entityId, t.createdAt),
  ],
);

/** An invitation to join a company, for an email address that may not have an account yet. */
export const invitations = pgTable(
  'invitations',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    scopes: jsonb('scopes').$type<AccountantScope[]>().notNull().default([]),
    /** Only for clients: the customer record the invitee will act for. */
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'cascade' }),
    /** The name the inviter gave, offered to the invitee when they sign up (they may change it). */
    fullName: text('full_name'),
    tokenHash: text('token_hash').notNull().unique(),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index('invitations_company_idx').on(t.companyId),
    // An account's pending invitations are looked up by its address.
    index('invitations_email_idx').on(sql`lower(${t.email})`),
  ],
);

/**
 * Every logo a company uploaded, kept for as long as the company: issued invoices name the one they were issued
 * with, so a re-render (after the stored PDF is lost) prints the same image. The bytes are in the file storage.
 */
export const companyLogos = pgTable(
  'company_logos',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    contentType: text('content_type', { enum: ['image/png', 'image/jpeg'] as const }).notNull(),
    byteSize: integer('byte_size').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    sha256: text('sha256').notNull(),
    storage: text('storage').notNull(),
    storageKey: text('storage_key').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('company_logos_company_idx').on(t.companyId, t.createdAt)],
);
export type CompanyLogoRow = typeof companyLogos.$inferSelect;

export const COMPANY_DOCUMENT_KINDS = ['trade_licence', 'vat_certificate', 'other'] as const;
export type CompanyDocumentKind = (typeof COMPANY_DOCUMENT_KINDS)[number];

/**
 * The papers a company registers with (trade licence, VAT certificate…), read by a platform administrator before
 * approving it. The bytes are in the file storage under `storage_key`, like receipts and logos.
 */
export const companyDocuments = pgTable(
  'company_documents',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: COMPANY_DOCUMENT_KINDS }).notNull(),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    byteSize: integer('byte_size').notNull(),
    sha256: text('sha256').notNull(),
    storage: text('storage').notNull(),
    storageKey: text('storage_key').notNull(),
    uploadedBy: uuid('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('company_documents_company_idx').on(t.companyId, t.createdAt)],
);
export type CompanyDocumentRow = typeof companyDocuments.$inferSelect;
