import { randomUUID } from 'node:crypto';
import type { Db } from '@invoiceflow/db';
import type { EgsEnvironment } from '@invoiceflow/db/schema';
import { issuesZatcaXml, profileFor, SA_VAT_PATTERN, ZATCA_COUNTRY } from '@invoiceflow/jurisdictions';
import { computeTotals, type DocumentInput } from '@invoiceflow/totals';
import {
  buildCsr,
  buildSignedInvoice,
  type CsrInput,
  FIRST_PIH,
  generateEgsKeyPair,
  issueSelfSignedTestCertificate,
  lineTextsFromDocument,
  type SigningKeys,
  sellerLegalName,
  toPem,
  type ZatcaEnvironment,
  type ZatcaInvoiceInput,
  type ZatcaPartyIdScheme,
} from '@invoiceflow/zatca';
import type { AppContext } from '../../context';
import type { Actor } from '../../lib/actor';
import { recordAudit } from '../../lib/audit';
import { decrypt, encrypt } from '../../lib/crypto';
import { AppError, defineErrors, type FieldError } from '../../lib/errors';
import { requireApprovedCompany } from '../companies/approval';
import { type CompanyRow, getCompany } from '../companies/queries';
import {
  asList,
  type Credentials,
  certificateFromToken,
  tokenFromCertificate,
  ZatcaApiError,
  ZatcaClient,
  type ZatcaMessage,
} from '../zatca/client';
import { riyadhTime } from '../zatca/document';
import * as q from './queries';
import type { EgsCreateInput, EgsCsrOptions } from './schemas';

defineErrors({
  EGS_NOT_FOUND: [404, 'EGS unit not found.'],
  EGS_NOT_APPLICABLE: [409, 'EGS units are for Saudi (ZATCA) companies.'],
  EGS_COMPANY_INCOMPLETE: [422, 'The company data the certificate request needs is incomplete; see errors.'],
  EGS_WRONG_STEP: [409, 'This onboarding step does not apply to the unit in its current state.'],
  ZATCA_REFUSED: [422, 'ZATCA refused the request; see errors.'],
  ZATCA_UNAVAILABLE: [503, 'ZATCA could not be reached or is busy; try again later.'],
  ZATCA_COMPLIANCE_FAILED: [422, 'Some compliance checks did not pass; see errors.'],
  EGS_UNIT_UNUSABLE: [422, 'The EGS unit named cannot sign invoices; see errors.'],
});

/** The solution name and model in the EGS serial number ("1-Solution|2-Model|3-Serial"). */
const SOLUTION = 'InvoiceFlow';
const MODEL = 'API';

const TEMPLATE_ENVIRONMENT: Record<EgsEnvironment, ZatcaEnvironment> = {
  local: 'sandbox',
  'developer-portal': 'sandbox',
  simulation: 'simulation',
  production: 'production',
};

export function presentEgs(row: q.EgsWithChain) {
  const certificate = row.productionCertificate ?? row.complianceCertificate;
  return {
    id: row.id,
    environment: row.environment,
    is_local_sandbox: row.environment === 'local',
    status: row.status,
    is_default: row.isDefault,
    is_current: row.isDefault,
    replaces_egs_id: row.replacesEgsId,
    common_name: row.commonName,
    serial_number: row.serialNumber,
    organization_identifier: row.organizationIdentifier,
    organization_name: row.organizationName,
    organization_unit_name: row.organizationUnitName,
    registration_number: row.registrationNumber,
    invoice_type: row.invoiceType,
    location: row.location,
    industry: row.industry,
    public_key_pem: row.publicKeyPem,
    csr_pem: row.csrPem,
    has_compliance_csid: row.complianceCertificate !== null,
    has_production_csid: row.environment !== 'local' && row.productionCertificate !== null,
    certificate: certificate ? toPem(certificate, 'CERTIFICATE') : null,
    compliance_request_id: row.complianceRequestId,
    production_request_id: row.productionRequestId,
    compliance_checks: row.complianceChecks,
    last_icv: row.lastPosition,
    last_invoice_hash: row.lastHash,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    ...(row.environment === 'local'
      ? {
          notice:
            'Local sandbox: invoices are signed with a self-issued test certificate (NOT from ZATCA) and are not ' +
            'reported or cleared; onboard a unit with ZATCA before issuing for real.',
        }
      : {}),
  };
}

function defaultLocation(company: CompanyRow): string {
  const a = company.address;
  return [a.building_number, a.street, a.district, a.city].filter(Boolean).join(' ') || 'Saudi Arabia';
}

/** The CSR fields from the company (Security Features Implementation Standard, Table 1), or why they cannot be. */
function csrFieldsOf(company: CompanyRow, environment: EgsEnvironment, input: EgsCsrOptions, egsId: string) {
  if (!issuesZatcaXml(company.country)) throw new AppError('EGS_NOT_APPLICABLE');
  const errors: FieldError[] = [];
  if (!company.vatNumber || !SA_VAT_PATTERN.test(company.vatNumber)) {
    errors.push({
      path: 'company.vat_number',
      code: 'BR-KSA-40',
      message: 'The organization identifier is the 15-digit VAT number starting and ending with 3.',
    });
  }
  if (errors.length > 0) throw new AppError('EGS_COMPANY_INCOMPLETE', { errors });
  const id = company.registrationNumber ?? company.vatNumber ?? '';
  const csr: CsrInput = {
    commonName: input.common_name ?? `${SOLUTION}-EGS-${id}-${egsId.slice(0, 8)}`,
    serialNumber: `1-${SOLUTION}|2-${MODEL}|3-${egsId}`,
    organizationIdentifier: company.vatNumber ?? '',
    organizationUnitName: input.branch_name ?? 'Main Branch',
    organizationName: company.legalNameEn,
    countryName: company.country,
    invoiceType: input.invoice_type ?? '1100',
    location: input.location ?? defaultLocation(company),
    industry: input.industry ?? 'Other',
    environment: TEMPLATE_ENVIRONMENT[environment],
  };
  return csr;
}

/**
 * A new unit's row: keys (the private one encrypted), CSR, and for `local` the self-issued test certificate; its
 * chain is the caller's to make (`withNewChain`).
 */
function newEgsValues(
  ctx: AppContext,
  company: CompanyRow,
  environment: EgsEnvironment,
  input: EgsCsrOptions,
): Omit<q.NewEgs, 'chainId'> {
  const id = randomUUID();
  const csr = csrFieldsOf(company, environment, input, id);
  const keys = generateEgsKeyPair();
  const isLocal = environment === 'local';
  return {
    id,
    companyId: company.id,
    environment,
    status: isLocal ? 'active' : 'new',
    isDefault: false,
    commonName: csr.commonName,
    serialNumber: csr.serialNumber,
    organizationIdentifier: csr.organizationIdentifier,
    organizationName: csr.organizationName,
    organizationUnitName: csr.organizationUnitName,
    registrationNumber: company.registrationNumber,
    invoiceType: csr.invoiceType,
    location: csr.location,
    industry: csr.industry,
    privateKeyEnc: encrypt(ctx.secrets.dataKey, keys.privateKeyPem),
    publicKeyPem: keys.publicKeyPem,
    csrPem: buildCsr(csr, keys.privateKeyPem).pem,
    productionCertificate: isLocal
      ? issueSelfSignedTestCertificate(csr, keys.privateKeyPem, { validDays: 3650 }).certificatePem
      : null,
  };
}

/** The unit's values with a fresh chain of its own (position 0, the first-invoice PIH), made in `tx`. */
async function withNewChain(tx: Db, values: Omit<q.NewEgs, 'chainId'>): Promise<q.NewEgs> {
  const chain = await q.insertChain(tx, { companyId: values.companyId, lastHash: FIRST_PIH });
  return { ...values, chainId: chain.id };
}

/** The unit as the API shows it (with its chain), read in `db`. */
async function shown(db: Db, row: q.EgsRow): Promise<q.EgsWithChain> {
  const found = await q.getEgsWithChain(db, { companyId: row.companyId, id: row.id });
  if (!found) throw new AppError('EGS_NOT_FOUND');
  return found;
}

/** The keys an EGS signs with: its private key, and its production certificate (or, during checks, compliance). */
export function signingKeysOf(
  ctx: AppContext,
  egs: q.EgsRow,
  which: 'production' | 'compliance' = 'production',
): SigningKeys {
  const certificate = which === 'production' ? egs.productionCertificate : egs.complianceCertificate;
  if (!certificate)
    throw new AppError('EGS_WRONG_STEP', { message: `The unit has no ${which} certificate yet.` });
  return {
    privateKeyPem: decrypt(ctx.secrets.dataKey, egs.privateKeyEnc),
    certificatePem: toPem(certificate, 'CERTIFICATE'),
  };
}

export function credentialsOf(
  ctx: AppContext,
  egs: q.EgsRow,
  which: 'production' | 'compliance',
): Credentials {
  const certificate = which === 'production' ? egs.productionCertificate : egs.complianceCertificate;
  const secret = which === 'production' ? egs.productionSecretEnc : egs.complianceSecretEnc;
  if (!certificate || !secret) {
    throw new AppError('EGS_WRONG_STEP', { message: `The unit has no ${which} CSID yet.` });
  }
  return {
    binarySecurityToken: tokenFromCertificate(certificate.replace(/-----[^-]+-----|\s+/g, '')),
    secret: decrypt(ctx.secrets.dataKey, secret),
  };
}

export function zatcaClientFor(ctx: AppContext, environment: EgsEnvironment): ZatcaClient {
  if (environment === 'local') throw new Error('a local EGS talks to no one');
  return new ZatcaClient({
    environment,
    baseUrl: ctx.config.ZATCA_BASE_URL,
    timeoutMs: ctx.config.ZATCA_TIMEOUT_MS,
  });
}

async function audit(
  tx: Db,
  companyId: string,
  actor: Actor,
  action: string,
  egs: q.EgsRow,
  data: Record<string, unknown> = {},
) {
  await recordAudit(tx, {
    companyId,
    actorUserId: actor.userId,
    action,
    entityType: 'egs_unit',
    entityId: egs.id,
    data: { environment: egs.environment, status: egs.status, ...data },
    requestId: actor.requestId,
  });
}

/** Why a unit cannot sign, or undefined when it can: it is the company's and active (a local unit is at once). */
export async function unusableSigningUnit(
  db: Db,
  { companyId, id }: { companyId: string; id: string },
): Promise<FieldError | undefined> {
  const egs = await q.getEgs(db, { companyId, id });
  if (!egs) return { path: 'egs_unit_id', code: 'EGS_NOT_FOUND', message: 'No EGS unit with this id.' };
  if (egs.status !== 'active') {
    return {
      path: 'egs_unit_id',
      code: 'EGS_NOT_ACTIVE',
      message: `The unit is ${egs.status}; only an active unit signs invoices.`,
    };
  }
  return undefined;
}

/**
 * The unit that signs an invoice (`unitId`, or the company's default one) with its chain locked until the issuing
 * transaction ends. A Saudi company without any unit gets a local sandbox unit (self-issued test certificate) as
 * its default, so that it can issue out of the box, with no ZATCA account.
 */
export async function lockSigningChain(
  ctx: AppContext,
  tx: Db,
  company: CompanyRow,
  unitId?: string,
): Promise<{ egs: q.EgsRow; chain: q.ChainRow }> {
  const companyId = company.id;
  let egs = unitId ? await q.getEgs(tx, { companyId, id: unitId }) : await q.getDefaultEgs(tx, { companyId });
  if (!egs && !unitId) {
    const values = await withNewChain(tx, newEgsValues(ctx, company, 'local', {}));
    if (!(await q.insertDefaultEgsIfAbsent(tx, values))) {
      // Another transaction made the default unit first: its chain is the one; this one was never used.
      await q.deleteChain(tx, { companyId, id: values.chainId });
    }
    egs = await q.getDefaultEgs(tx, { companyId });
  }
  if (!egs) throw new Error('the signing unit could not be found or created');
  const chain = await q.lockChain(tx, { companyId, id: egs.chainId });
  // Read again under the chain's lock: a unit retired meanwhile (its successor took over) no longer signs.
  const current = await q.getEgs(tx, { companyId, id: egs.id });
  if (!chain || current?.status !== 'active') {
    if (!unitId && current && !current.isDefault) return lockSigningChain(ctx, tx, company);
    throw new AppError('EGS_UNIT_UNUSABLE', {
      errors: [{ path: 'egs_unit_id', code: 'EGS_NOT_ACTIVE', message: 'The unit is no longer active.' }],
    });
  }
  return { egs: current, chain };
}

/**
 * A unit becomes active: the unit it replaces (if any) is retired, keeping its chain for verification, and it
 * becomes the company's default when the company has none left.
 */
async function activate(tx: Db, companyId: string, unit: { id: string; replacesEgsId: string | null }) {
  if (unit.replacesEgsId && unit.replacesEgsId !== unit.id) {
    await q.retireEgs(tx, { companyId, id: unit.replacesEgsId });
  }
  if (!(await q.getDefaultEgs(tx, { companyId }))) await q.makeDefaultEgs(tx, { companyId, id: unit.id });
}

export async function createEgs(ctx: AppContext, companyId: string, actor: Actor, input: EgsCreateInput) {
  const company = await getCompany(ctx.db, { companyId });
  if (!company) throw new AppError('COMPANY_NOT_FOUND');
  const { replaces_egs_id: replaces, ...csrInput } = input;
  const values = newEgsValues(ctx, company, input.environment, csrInput);
  return ctx.db.transaction(async (tx) => {
    // Absent: the new unit takes over from the default one (a renewal); null: it runs beside the others.
    let replacesEgsId: string | null = null;
    if (replaces === undefined) {
      replacesEgsId = (await q.getDefaultEgs(tx, { companyId }))?.id ?? null;
    } else if (replaces !== null) {
      const replaced = await q.lockEgs(tx, { companyId, id: replaces });
      if (!replaced || replaced.status === 'retired') {
        throw new AppError('EGS_NOT_FOUND', {
          errors: [
            { path: 'replaces_egs_id', code: 'EGS_NOT_FOUND', message: 'No unit in service with this id.' },
          ],
        });
      }
      replacesEgsId = replaced.id;
    }
    const row = await q.insertEgs(tx, await withNewChain(tx, { ...values, replacesEgsId }));
    // A local unit is active at once; a ZATCA one when it gets its production CSID.
    if (input.environment === 'local') await activate(tx, companyId, row);
    await audit(tx, companyId, actor, 'egs.created', row, { replaces_egs_id: replacesEgsId });
    return shown(tx, row);
  });
}

/** An active unit becomes the one invoices are signed by when they name none. */
export async function makeDefault(ctx: AppContext, companyId: string, actor: Actor, id: string) {
  return ctx.db.transaction(async (tx) => {
    const egs = await q.lockEgs(tx, { companyId, id });
    if (!egs) throw new AppError('EGS_NOT_FOUND');
    if (egs.status !== 'active') {
      throw new AppError('EGS_WRONG_STEP', {
        message: `Only an active unit can be the default; this one is ${egs.status}.`,
      });
    }
    await q.makeDefaultEgs(tx, { companyId, id });
    await audit(tx, companyId, actor, 'egs.default', egs);
    return shown(tx, egs);
  });
}

async function requireEgs(ctx: AppContext, companyId: string, id: string): Promise<q.EgsRow> {
  const egs = await q.getEgs(ctx.db, { companyId, id });
  if (!egs) throw new AppError('EGS_NOT_FOUND');
  return egs;
}

function requireStep(egs: q.EgsRow, allowed: readonly string[], step: string): void {
  if (egs.environment === 'local') {
    throw new AppError('EGS_WRONG_STEP', {
      message:
        'A local sandbox unit is not onboarded with ZATCA; create a unit for developer-portal, simulation or production.',
    });
  }
  if (!allowed.includes(egs.status)) {
    throw new AppError('EGS_WRONG_STEP', {
      message: `${step} needs the unit in state ${allowed.join(' or ')}; it is ${egs.status}.`,
    });
  }
}

function zatcaProblem(error: unknown): AppError {
  if (!(error instanceof ZatcaApiError)) throw error;
  if (error.isRetryable) return new AppError('ZATCA_UNAVAILABLE', { message: error.message });
  return new AppError('ZATCA_REFUSED', {
    message: error.message,
    errors: zatcaMessagesAsErrors(error.body),
  });
}

function zatcaMessagesAsErrors(body: unknown): FieldError[] {
  const b = body as { code?: string; message?: string; errors?: ZatcaMessage[] } | null;
  const list = Array.isArray(b?.errors) ? b.errors : b?.message || b?.code ? [b] : [];
  return list.map((m) => ({ path: 'zatca', code: m?.code ?? 'ZATCA', message: m?.message ?? 'Refused.' }));
}

/** Onboarding step 1: the OTP from the Fatoora portal and the CSR → compliance CSID. */
export async function requestComplianceCsid(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  id: string,
  otp: string,
) {
  await requireApprovedCompany(ctx, ctx.db, companyId);
  const egs = await requireEgs(ctx, companyId, id);
  requireStep(egs, ['new', 'compliance'], 'The compliance CSID');
  // The HTTP call runs outside any transaction: a slow ZATCA must not hold a database connection.
  const csid = await zatcaClientFor(ctx, egs.environment)
    .requestComplianceCsid(Buffer.from(egs.csrPem, 'utf8').toString('base64'), otp)
    .catch((error) => {
      throw zatcaProblem(error);
    });
  return ctx.db.transaction(async (tx) => {
    const locked = await q.lockEgs(tx, { companyId, id });
    if (!locked) throw new AppError('EGS_NOT_FOUND');
    requireStep(locked, ['new', 'compliance'], 'The compliance CSID');
    const row = await q.updateEgs(tx, {
      companyId,
      id,
      values: {
        status: 'compliance',
        complianceCertificate: certificateFromToken(csid.binarySecurityToken),
        complianceSecretEnc: encrypt(ctx.secrets.dataKey, csid.secret),
        complianceRequestId: String(csid.requestID),
        complianceChecks: [],
      },
    });
    await audit(tx, companyId, actor, 'egs.compliance_csid', row, { request_id: String(csid.requestID) });
    return shown(tx, row);
  });
}

const CHECK_BUYER = {
  name_en: 'Compliance Check Buyer LTD',
  vat_number: '399999999800003',
  address: {
    street: 'Salah Al-Din',
    building_number: '1111',
    district: 'Al-Murooj',
    city: 'Riyadh',
    postal_code: '12222',
    country: ZATCA_COUNTRY,
  },
};

/** The sample documents ZATCA asks for an invoice type "1100": standard and simplified invoice, credit and debit note. */
export function complianceSamples(
  company: CompanyRow,
  egs: q.EgsRow,
  now: Date = new Date(),
): ZatcaInvoiceInput[] {
  const subtypes = [
    ...(egs.invoiceType[0] === '1' ? (['standard'] as const) : []),
    ...(egs.invoiceType[1] === '1' ? (['simplified'] as const) : []),
  ];
  const document: DocumentInput = {
    jurisdiction: profileFor(ZATCA_COUNTRY).rules,
    currency: profileFor(ZATCA_COUNTRY).currency,
    lines: [
      {
        description: 'Compliance check item',
        description_ar: 'صنف فحص المطابقة',
        quantity: '1',
        unit_price: '100',
      },
    ],
  };
  const totals = computeTotals(document);
  const issueDate = new Date(now.getTime() + 3 * 3_600_000).toISOString().slice(0, 10);
  const samples: ZatcaInvoiceInput[] = [];
  let counter = 0;
  for (const subtype of subtypes) {
    for (const type of ['invoice', 'credit_note', 'debit_note'] as const) {
      counter++;
      const isNote = type !== 'invoice';
      samples.push({
        type,
        subtype,
        number: `CHK-${counter}`,
        uuid: randomUUID(),
        issue_date: issueDate,
        issue_time: riyadhTime(now),
        counter,
        previous_hash: FIRST_PIH,
        ...(subtype === 'standard' && !isNote ? { supply_date: issueDate } : {}),
        ...(isNote ? { billing_references: ['CHK-1'], note_reason: 'Compliance check' } : {}),
        seller: {
          name: sellerLegalName(company.legalNameEn, company.legalNameAr),
          vat_number: company.vatNumber ?? '',
          ...(company.registrationNumber
            ? {
                other_id: {
                  scheme: (company.registrationScheme ?? 'CRN') as ZatcaPartyIdScheme,
                  value: company.registrationNumber,
                },
              }
            : {}),
          address: { ...company.address, country: company.address.country ?? ZATCA_COUNTRY },
        },
        buyer: {
          name: CHECK_BUYER.name_en,
          vat_number: CHECK_BUYER.vat_number,
          address: CHECK_BUYER.address,
        },
        totals,
        lines: lineTextsFromDocument(document),
      });
    }
  }
  return samples;
}

interface CheckResult extends Record<string, unknown> {
  number: string;
  type: string;
  subtype: string;
  http_status: number | null;
  status: string;
  warnings: ZatcaMessage[];
  errors: ZatcaMessage[];
}

/** Onboarding step 2: the sample documents, signed with the compliance CSID, through ZATCA's compliance checks. */
export async function runComplianceChecks(ctx: AppContext, companyId: string, actor: Actor, id: string) {
  await requireApprovedCompany(ctx, ctx.db, companyId);
  const egs = await requireEgs(ctx, companyId, id);
  requireStep(egs, ['compliance', 'compliance_checked'], 'Compliance checks');
  const company = await getCompany(ctx.db, { companyId });
  if (!company) throw new AppError('COMPANY_NOT_FOUND');
  const keys = signingKeysOf(ctx, egs, 'compliance');
  const credentials = credentialsOf(ctx, egs, 'compliance');
  const client = zatcaClientFor(ctx, egs.environment);
  const results: CheckResult[] = [];
  let previousHash = FIRST_PIH;
  for (const sample of complianceSamples(company, egs)) {
    const signed = buildSignedInvoice({ ...sample, previous_hash: previousHash }, keys);
    previousHash = signed.hash;
    const base = { number: sample.number, type: sample.type, subtype: sample.subtype };
    try {
      const answer = await client.checkCompliance(credentials, {
        invoiceHash: signed.hash,
        uuid: sample.uuid,
        invoice: Buffer.from(signed.xml, 'utf8').toString('base64'),
      });
      const v = answer.body.validationResults;
      const accepted =
        answer.httpStatus !== 400 &&
        (sample.subtype === 'standard'
          ? answer.body.clearanceStatus === 'CLEARED'
          : answer.body.reportingStatus === 'REPORTED');
      results.push({
        ...base,
        http_status: answer.httpStatus,
        status: accepted ? 'passed' : 'failed',
        warnings: asList(v?.warningMessages),
        errors: asList(v?.errorMessages),
      });
    } catch (error) {
      throw zatcaProblem(error);
    }
  }
  const hasPassed = results.every((r) => r.status === 'passed');
  const row = await ctx.db.transaction(async (tx) => {
    const locked = await q.lockEgs(tx, { companyId, id });
    if (!locked) throw new AppError('EGS_NOT_FOUND');
    requireStep(locked, ['compliance', 'compliance_checked'], 'Compliance checks');
    const updated = await q.updateEgs(tx, {
      companyId,
      id,
      values: { status: hasPassed ? 'compliance_checked' : 'compliance', complianceChecks: results },
    });
    await audit(tx, companyId, actor, 'egs.compliance_checks', updated, { passed: hasPassed });
    return shown(tx, updated);
  });
  if (!hasPassed) {
    throw new AppError('ZATCA_COMPLIANCE_FAILED', {
      errors: results
        .filter((r) => r.status !== 'passed')
        .flatMap((r) =>
          (r.errors.length > 0 ? r.errors : [{ code: 'NOT_ACCEPTED', message: 'Not accepted.' }]).map(
            (m) => ({
              path: `${r.subtype}.${r.type}`,
              code: m.code ?? 'ZATCA',
              message: m.message ?? 'Refused.',
            }),
          ),
        ),
    });
  }
  return row;
}

/**
 * Onboarding step 3: the production CSID. The unit is active and signs on its own chain (from ICV 1, the
 * first-invoice PIH); the unit it replaces (by default the default unit when it was created) is retired and keeps
 * its chain for verification, and it becomes the default when the company has none left.
 */
export async function requestProductionCsid(ctx: AppContext, companyId: string, actor: Actor, id: string) {
  await requireApprovedCompany(ctx, ctx.db, companyId);
  const egs = await requireEgs(ctx, companyId, id);
  requireStep(egs, ['compliance_checked'], 'The production CSID');
  if (!egs.complianceRequestId) throw new AppError('EGS_WRONG_STEP');
  const csid = await zatcaClientFor(ctx, egs.environment)
    .requestProductionCsid(credentialsOf(ctx, egs, 'compliance'), egs.complianceRequestId)
    .catch((error) => {
      throw zatcaProblem(error);
    });
  return ctx.db.transaction(async (tx) => {
    const locked = await q.lockEgs(tx, { companyId, id });
    if (!locked) throw new AppError('EGS_NOT_FOUND');
    requireStep(locked, ['compliance_checked'], 'The production CSID');
    const row = await q.updateEgs(tx, {
      companyId,
      id,
      values: {
        status: 'active',
        productionCertificate: certificateFromToken(csid.binarySecurityToken),
        productionSecretEnc: encrypt(ctx.secrets.dataKey, csid.secret),
        productionRequestId: String(csid.requestID),
      },
    });
    await activate(tx, companyId, row);
    await audit(tx, companyId, actor, 'egs.production_csid', row, { request_id: String(csid.requestID) });
    return shown(tx, row);
  });
}
