// The ZATCA part of issuing (modules/invoices/extensions.ts). validate: what ZATCA would reject, and a signing unit
// that cannot sign, are refused before the number is taken and before any chain lock. onIssue, inside the issuing
// transaction: lock the signing unit's chain (the unit named, or the company's default), take the next counter
// (ICV) and the previous hash (PIH), build + sign + QR, store, and queue the reporting (simplified) or clearance
// (standard) submission in the transaction — or, on a local sandbox unit, simulate it. Each unit has its own
// chain: two tills sign at once without waiting for each other.

import type { Db } from '@invoiceflow/db';
import { issuesZatcaXml } from '@invoiceflow/jurisdictions';
import { FIRST_PIH, validateZatcaInvoice } from '@invoiceflow/zatca';
import type { AppContext } from '../../context';
import { AppError, type FieldError } from '../../lib/errors';
import type { CompanyRow } from '../companies/queries';
import * as egsQueries from '../egs/queries';
import { lockSigningChain, signingKeysOf, unusableSigningUnit } from '../egs/service';
import type { IssueCandidate, IssueExtension } from '../invoices/extensions';
import { describeIssues, splitBySeverity } from '../invoices/issue-messages';
import { fieldErrorOf, riyadhNow, type ZatcaSourceDocument, zatcaInput } from './document';
import * as q from './queries';
import { CLEARANCE_JOB, REPORTING_JOB } from './submission';
import { signInvoiceOffThread } from './threads';

export const LOCAL_SUBMISSION_NOTICE =
  'Local sandbox: not sent to ZATCA. Reporting/clearance simulated locally; onboard an EGS unit with ZATCA to submit.';

export interface ZatcaArtifacts extends Record<string, unknown> {
  /** KSA-14, base64 TLV (what the invoice's QR code encodes). */
  qr: string;
  uuid: string;
  icv: number;
  invoice_hash: string;
  previous_hash: string;
  egs_id: string;
  environment: string;
  submission: 'reporting' | 'clearance';
}

interface IssuedDocument {
  invoice: { id: string; companyId: string };
  snapshot: ZatcaSourceDocument;
  seller: CompanyRow;
  signingUnitId?: string;
}

/**
 * What ZATCA would reject, refused before the invoice number and the ICV are taken (the number is still
 * provisional here; no ZATCA rule reads it beyond its presence). Other companies are not concerned.
 */
export async function validateZatcaDocument(
  tx: Db,
  { invoiceId, snapshot, seller, signingUnitId }: IssueCandidate,
): Promise<FieldError[] | undefined> {
  if (!issuesZatcaXml(seller.country)) {
    if (signingUnitId) {
      throw new AppError('INVOICE_INVALID', {
        errors: [
          {
            path: 'egs_unit_id',
            code: 'NOT_ALLOWED',
            message: 'Only companies that issue ZATCA e-invoices have EGS units.',
          },
        ],
      });
    }
    return;
  }
  // KSA-1: the invoice's own id is its UUID. The engine's own issues were judged by the issue already.
  const engineIssues = new Set<object>(snapshot.totals.errors);
  const issues = validateZatcaInvoice(
    zatcaInput(snapshot, { uuid: invoiceId, counter: 1, previousHash: FIRST_PIH }),
    { now: riyadhNow() },
  )
    .filter((issue) => !engineIssues.has(issue))
    .map((issue) => fieldErrorOf(issue, snapshot));
  const { errors, warnings } = splitBySeverity(issues, true);
  const unit = signingUnitId
    ? await unusableSigningUnit(tx, { companyId: seller.id, id: signingUnitId })
    : undefined;
  if (unit) errors.push(unit);
  if (errors.length > 0) {
    throw new AppError('INVOICE_INVALID', {
      message:
        unit && errors.length === 1
          ? undefined
          : 'ZATCA would reject this invoice; see errors (ZATCA rule ids).',
      errors: describeIssues(errors),
    });
  }
  return warnings;
}

/**
 * Issues the ZATCA document of an invoice of a Saudi company, validated by validateZatcaDocument; other
 * companies are not concerned (undefined).
 */
export async function issueZatcaDocument(
  ctx: AppContext,
  tx: Db,
  { invoice, snapshot: source, seller, signingUnitId }: IssuedDocument,
): Promise<ZatcaArtifacts | undefined> {
  if (!issuesZatcaXml(seller.country)) return undefined;
  // KSA-1: the invoice's own id is its UUID.
  const uuid = invoice.id;

  // Held until the issuing transaction ends: the unit's counter and hash chain stay strictly sequential.
  const { egs, chain } = await lockSigningChain(ctx, tx, seller, signingUnitId);
  const icv = chain.lastPosition + 1;
  const previousHash = chain.lastHash;
  // Built and signed on a ZATCA thread (threads.ts): ~1.5 MB of XML for a 1,000-line invoice.
  const signed = await signInvoiceOffThread({
    input: zatcaInput(source, { uuid, counter: icv, previousHash }),
    keys: signingKeysOf(ctx, egs),
    options: { signingTime: new Date(source.issued_at) },
  });
  const kind = source.subtype === 'standard' ? 'clearance' : 'reporting';
  const isLocal = egs.environment === 'local';
  const status = isLocal ? (kind === 'clearance' ? 'cleared' : 'reported') : 'pending';
  await q.insertZatcaDocument(tx, {
    invoiceId: invoice.id,
    format: 'zatca',
    companyId: invoice.companyId,
    chainId: chain.id,
    position: icv,
    environment: egs.environment,
    documentUuid: uuid,
    hash: signed.hash,
    previousHash,
    xml: signed.xml,
    qrPayload: signed.qr,
    submissionKind: kind,
    submissionStatus: status,
    isSimulated: isLocal,
    ...(isLocal
      ? {
          authorityStatus:
            kind === 'clearance' ? 'CLEARED (LOCAL SIMULATION)' : 'REPORTED (LOCAL SIMULATION)',
          warnings: [{ type: 'INFO', code: 'LOCAL_SANDBOX', message: LOCAL_SUBMISSION_NOTICE }],
          submittedAt: new Date(),
        }
      : {}),
  });
  await egsQueries.advanceChain(tx, {
    companyId: invoice.companyId,
    id: chain.id,
    position: icv,
    hash: signed.hash,
  });
  if (!isLocal) {
    await ctx.jobs.enqueue(tx, kind === 'clearance' ? CLEARANCE_JOB : REPORTING_JOB, {
      companyId: invoice.companyId,
      invoiceId: invoice.id,
    });
  }
  return {
    qr: signed.qr,
    uuid,
    icv,
    invoice_hash: signed.hash,
    previous_hash: previousHash,
    egs_id: egs.id,
    environment: egs.environment,
    submission: kind,
  };
}

/** The issuing extension (modules/invoices/extensions.ts); its document is stored in einvoice_documents. */
export function zatcaIssueExtension(ctx: AppContext): IssueExtension {
  return {
    name: 'zatca',
    validate: validateZatcaDocument,
    onIssue: (tx, document) => issueZatcaDocument(ctx, tx, document),
  };
}
