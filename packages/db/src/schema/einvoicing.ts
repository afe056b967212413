import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns';
import { companies } from './companies';
import { invoices } from './invoicing';

/**
 * Where an EGS unit talks to: `local` is InvoiceFlow's own sandbox (a self-issued test certificate, nothing sent
 * anywhere); the others are ZATCA's developer portal, simulation and production (core) environments.
 */
export const EGS_ENVIRONMENTS = ['local', 'developer-portal', 'simulation', 'production'] as const;
export type EgsEnvironment = (typeof EGS_ENVIRONMENTS)[number];

/**
 * Onboarding: `new` (keys and CSR made) → `compliance` (compliance CSID from the OTP) → `compliance_checked`
 * (the sample invoices passed ZATCA's compliance checks) → `active` (production CSID). `retired` when replaced.
 */
export const EGS_STATUSES = ['new', 'compliance', 'compliance_checked', 'active', 'retired'] as const;
export type EgsStatus = (typeof EGS_STATUSES)[number];

/**
 * A chain of signed documents: the counter and the hash of the last document, which the next one carries (ZATCA:
 * ICV and PIH). One per signing unit; moved forward only in the issuing transaction, under this row's lock, so
 * every chain stays gapless however many units sign at once.
 */
export const documentChains = pgTable(
  'document_chains',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    /** The position of the last document in the chain (KSA-16 of the last invoice); the next takes + 1. */
    lastPosition: bigint('last_position', { mode: 'number' }).notNull().default(0),
    /** The hash of the last document, or the chain's starting value (the first-invoice PIH). */
    lastHash: text('last_hash').notNull(),
    /**
     * The format of a company-wide chain (PINT AE, Peppol BIS 3: one per company and format); null for a signing
     * unit's chain (ZATCA), which its EGS unit points at.
     */
    format: text('format', { enum: ['pint-ae', 'peppol-bis-3'] }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('document_chains_company_idx').on(t.companyId),
    uniqueIndex('document_chains_company_format_key')
      .on(t.companyId, t.format)
      .where(sql`${t.format} IS NOT NULL`),
  ],
);

/**
 * An e-invoice generation unit (one per branch or till): keys, certificates, and the chain it signs on. A company
 * may run several at once; an invoice names the unit it is signed by, or takes the company's default one.
 */
export const egsUnits = pgTable(
  'egs_units',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    environment: text('environment', { enum: EGS_ENVIRONMENTS }).notNull(),
    status: text('status', { enum: EGS_STATUSES }).notNull(),
    /** The unit an invoice is signed by when it names none: at most one per company (partial unique index). */
    isDefault: boolean('is_default').notNull().default(false),
    /**
     * The unit this one takes over from once it is active (that one is retired, its chain kept for verification);
     * null for an additional unit (another branch or till) that runs beside the others.
     */
    replacesEgsId: uuid('replaces_egs_id'),
    /** Its own gapless chain (ICV, PIH). */
    chainId: uuid('chain_id')
      .notNull()
      .references(() => documentChains.id),
    /** CSR fields (Security Features Implementation Standard, Table 1). */
    commonName: text('common_name').notNull(),
    serialNumber: text('serial_number').notNull(),
    organizationIdentifier: text('organization_identifier').notNull(),
    organizationName: text('organization_name').notNull(),
    organizationUnitName: text('organization_unit_name').notNull(),
    registrationNumber: text('registration_number'),
    invoiceType: text('invoice_type').notNull(),
    location: text('location').notNull(),
    industry: text('industry').notNull(),
    /** secp256k1 private key (PKCS#8 PEM), AES-256-GCM with the data key: never stored in clear. */
    privateKeyEnc: text('private_key_enc').notNull(),
    publicKeyPem: text('public_key_pem').notNull(),
    csrPem: text('csr_pem').notNull(),
    /** Compliance CSID: the certificate (base64 DER), its secret (encrypted) and ZATCA's request id. */
    complianceCertificate: text('compliance_certificate'),
    complianceSecretEnc: text('compliance_secret_enc'),
    complianceRequestId: text('compliance_request_id'),
    /** Production CSID (for `local`: the self-issued test certificate, marked NOT ZATCA). */
    productionCertificate: text('production_certificate'),
    productionSecretEnc: text('production_secret_enc'),
    productionRequestId: text('production_request_id'),
    /** Results of the compliance checks, one per sample document. */
    complianceChecks: jsonb('compliance_checks').$type<Record<string, unknown>[]>().notNull().default([]),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('egs_units_company_idx').on(t.companyId, t.createdAt),
    uniqueIndex('egs_units_default_key').on(t.companyId).where(sql`${t.isDefault}`),
    uniqueIndex('egs_units_chain_key').on(t.chainId),
  ],
);

export const ZATCA_SUBMISSION_STATUSES = ['pending', 'reported', 'cleared', 'rejected', 'failed'] as const;
export type ZatcaSubmissionStatus = (typeof ZATCA_SUBMISSION_STATUSES)[number];

export interface ZatcaMessage {
  type?: string;
  code?: string;
  category?: string;
  message?: string;
  status?: string;
}

/** The e-invoice formats an issued invoice may carry a document in (one of each at most). */
export const EINVOICE_FORMATS = ['zatca', 'pint-ae', 'peppol-bis-3'] as const;
export type EinvoiceFormat = (typeof EINVOICE_FORMATS)[number];

/**
 * The e-invoice of an issued invoice in one format: the XML as issued, its hash and place in its chain, and its
 * submission to the tax authority or network. ZATCA: the signed UBL, KSA-16 as position, KSA-13 as previous hash,
 * reporting (simplified) or clearance (standard).
 */
export const einvoiceDocuments = pgTable(
  'einvoice_documents',
  {
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id, { onDelete: 'cascade' }),
    format: text('format', { enum: EINVOICE_FORMATS }).notNull(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    /** The chain it was signed on (a signing unit's), and its position there; null for unchained formats. */
    chainId: uuid('chain_id').references(() => documentChains.id),
    position: bigint('position', { mode: 'number' }),
    /** The document's own UUID (ZATCA KSA-1: the invoice's id). */
    documentUuid: uuid('document_uuid').notNull(),
    hash: text('hash').notNull(),
    previousHash: text('previous_hash'),
    /** The XML as we issued it, byte for byte. */
    xml: text('xml').notNull(),
    /** ZATCA KSA-14: what the invoice's QR code encodes. */
    qrPayload: text('qr_payload'),
    /** The environment of the signing unit when issued; `local` submissions are simulated, never sent. */
    environment: text('environment', { enum: EGS_ENVIRONMENTS }),
    submissionKind: text('submission_kind', { enum: ['reporting', 'clearance'] }).notNull(),
    submissionStatus: text('submission_status', { enum: ZATCA_SUBMISSION_STATUSES }).notNull(),
    isSimulated: boolean('is_simulated').notNull().default(false),
    /** The authority's answer (ZATCA reportingStatus / clearanceStatus) and its validation messages. */
    authorityStatus: text('authority_status'),
    httpStatus: integer('http_status'),
    warnings: jsonb('warnings').$type<ZatcaMessage[]>().notNull().default([]),
    errors: jsonb('errors').$type<ZatcaMessage[]>().notNull().default([]),
    /** The document as the authority returned it (ZATCA clearance: stamped, with its QR). */
    returnedXml: text('returned_xml'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.invoiceId, t.format] }),
    uniqueIndex('einvoice_documents_chain_position_key').on(t.chainId, t.position),
    index('einvoice_documents_company_chain_idx').on(t.companyId, t.chainId, t.position),
    index('einvoice_documents_pending_idx')
      .on(t.companyId, t.submissionStatus)
      .where(sql`${t.submissionStatus} IN ('pending', 'failed')`),
  ],
);

export const CHAIN_RUN_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ChainRunStatus = (typeof CHAIN_RUN_STATUSES)[number];

/** Where an interrupted verification resumes: the last document verified and its hash. */
export interface ChainRunCursor {
  chainId: string;
  position: number;
  hash: string;
}

/**
 * A verification of a company's ZATCA chains (every EGS unit), run as a job: its progress while it runs, its
 * outcome (the first break, if any) afterwards. One queued or running run per company at a time.
 */
export const zatcaChainRuns = pgTable(
  'zatca_chain_runs',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    status: text('status', { enum: CHAIN_RUN_STATUSES }).notNull().default('queued'),
    /** Documents verified so far, and the chain's length when the run started. */
    checked: integer('checked').notNull().default(0),
    total: integer('total').notNull(),
    egsUnits: integer('egs_units').notNull().default(0),
    cursor: jsonb('cursor').$type<ChainRunCursor>(),
    /** Set when done: intact (true) or broken (false, with the first break). */
    isIntact: boolean('is_intact'),
    firstBreak: jsonb('first_break').$type<Record<string, unknown>>(),
    /** Why a run failed (not a break: the verification itself could not finish). */
    error: text('error'),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** Written with the progress: a running run whose heartbeat stopped was interrupted (a process died). */
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('zatca_chain_runs_active_key')
      .on(t.companyId)
      .where(sql`${t.status} IN ('queued', 'running')`),
    index('zatca_chain_runs_company_idx').on(t.companyId, t.createdAt),
  ],
);
