import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
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

/** An e-invoice generation unit: keys, certificates, and the invoice counter (ICV) and hash chain (PIH). */
export const egsUnits = pgTable(
  'egs_units',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    environment: text('environment', { enum: EGS_ENVIRONMENTS }).notNull(),
    status: text('status', { enum: EGS_STATUSES }).notNull(),
    /** The unit the company issues with: at most one per company (partial unique index below). */
    isCurrent: boolean('is_current').notNull().default(false),
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
    /** KSA-16: the last invoice counter value used; the next invoice takes lastIcv + 1. */
    lastIcv: bigint('last_icv', { mode: 'number' }).notNull().default(0),
    /** KSA-13 of the next invoice: the hash of the last one, or the first-invoice PIH. */
    lastInvoiceHash: text('last_invoice_hash').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('egs_units_company_idx').on(t.companyId, t.createdAt),
    uniqueIndex('egs_units_current_key').on(t.companyId).where(sql`${t.isCurrent}`),
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

/** The ZATCA side of an issued invoice (1:1): the signed XML, its place in the EGS chain, and its submission. */
export const zatcaDocuments = pgTable(
  'zatca_documents',
  {
    invoiceId: uuid('invoice_id')
      .primaryKey()
      .references(() => invoices.id, { onDelete: 'cascade' }),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    egsId: uuid('egs_id')
      .notNull()
      .references(() => egsUnits.id),
    /** The environment of the EGS when issued; `local` submissions are simulated, never sent. */
    environment: text('environment', { enum: EGS_ENVIRONMENTS }).notNull(),
    /** KSA-1 */
    uuid: uuid('uuid').notNull(),
    /** KSA-16 */
    icv: bigint('icv', { mode: 'number' }).notNull(),
    invoiceHash: text('invoice_hash').notNull(),
    /** KSA-13 */
    previousHash: text('previous_hash').notNull(),
    /** The signed UBL XML as we issued it. */
    xml: text('xml').notNull(),
    qrPayload: text('qr_payload').notNull(),
    signatureStatus: text('signature_status', { enum: ['signed'] }).notNull(),
    /** reporting (simplified) or clearance (standard). */
    submissionKind: text('submission_kind', { enum: ['reporting', 'clearance'] }).notNull(),
    submissionStatus: text('submission_status', { enum: ZATCA_SUBMISSION_STATUSES }).notNull(),
    isSimulated: boolean('is_simulated').notNull().default(false),
    /** ZATCA's answer: reportingStatus / clearanceStatus, and the validation messages. */
    zatcaStatus: text('zatca_status'),
    httpStatus: integer('http_status'),
    warnings: jsonb('warnings').$type<ZatcaMessage[]>().notNull().default([]),
    errors: jsonb('errors').$type<ZatcaMessage[]>().notNull().default([]),
    /** Clearance: the invoice as ZATCA stamped it (with its QR). */
    clearedXml: text('cleared_xml'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('zatca_documents_egs_icv_key').on(t.egsId, t.icv),
    index('zatca_documents_company_idx').on(t.companyId, t.egsId, t.icv),
    index('zatca_documents_pending_idx')
      .on(t.companyId, t.submissionStatus)
      .where(sql`${t.submissionStatus} IN ('pending', 'failed')`),
  ],
);

export const CHAIN_RUN_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ChainRunStatus = (typeof CHAIN_RUN_STATUSES)[number];

/** Where an interrupted verification resumes: the last document verified and its hash. */
export interface ChainRunCursor {
  egsId: string;
  icv: number;
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
