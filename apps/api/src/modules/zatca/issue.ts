// The ZATCA part of issuing (modules/invoices/extensions.ts). validate: what ZATCA would reject is refused before
// the number is taken and before the EGS lock. onIssue, inside the issuing transaction: lock the company's EGS
// unit, take the next counter (ICV) and the previous hash (PIH), build + sign + QR, store, and queue the reporting
// (simplified) or clearance (standard) submission in the transaction — or, on a local sandbox unit, simulate it.

import type { Db } from '@invoiceflow/db';
import { issuesZatcaXml } from '@invoiceflow/jurisdictions';
import { FIRST_PIH, validateZatcaInvoice } from '@invoiceflow/zatca';
import type { AppContext } from '../../context';
import { AppError } from '../../lib/errors';
import type { CompanyRow } from '../companies/queries';
import * as egsQueries from '../egs/queries';
import { lockIssuingEgs, signingKeysOf } from '../egs/service';
import type { IssueCandidate, IssueExtension } from '../invoices/extensions';
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
  snapshot: unknown;
  seller: CompanyRow;
}

/**
 * What ZATCA would reject, refused before the invoice number and the ICV are taken (the number is still
 * provisional here; no ZATCA rule reads it beyond its presence). Other companies are not concerned.
 */
export function validateZatcaDocument({ invoiceId, snapshot, seller }: IssueCandidate): void {
  if (seller.country !== 'SA') return;
  const source = snapshot as unknown as ZatcaSourceDocument;
  // KSA-1: the invoice's own id is its UUID.
  const issues = validateZatcaInvoice(
    zatcaInput(source, { uuid: invoiceId, counter: 1, previousHash: FIRST_PIH }),
    { now: riyadhNow() },
  );
  if (issues.length > 0) {
    throw new AppError('INVOICE_INVALID', {
      message: 'ZATCA would reject this invoice; see errors (ZATCA rule ids).',
      errors: issues.map((issue) => fieldErrorOf(issue, source)),
    });
  }
}

/**
 * Issues the ZATCA document of an invoice of a Saudi company, validated by validateZatcaDocument; other
 * companies are not concerned (undefined).
 */
export async function issueZatcaDocument(
  ctx: AppContext,
  tx: Db,
  { invoice, snapshot, seller }: IssuedDocument,
): Promise<ZatcaArtifacts | undefined> {
  if (!issuesZatcaXml(seller.country)) return undefined;
  const source = snapshot as ZatcaSourceDocument;
  // KSA-1: the invoice's own id is its UUID.
  const uuid = invoice.id;

  // Held until the issuing transaction ends: the counter and the hash chain stay strictly sequential.
  const egs = await lockIssuingEgs(ctx, tx, seller);
  const icv = egs.lastIcv + 1;
  const previousHash = egs.lastInvoiceHash;
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
    companyId: invoice.companyId,
    egsId: egs.id,
    environment: egs.environment,
    uuid,
    icv,
    invoiceHash: signed.hash,
    previousHash,
    xml: signed.xml,
    qrPayload: signed.qr,
    signatureStatus: 'signed',
    submissionKind: kind,
    submissionStatus: status,
    isSimulated: isLocal,
    ...(isLocal
      ? {
          zatcaStatus: kind === 'clearance' ? 'CLEARED (LOCAL SIMULATION)' : 'REPORTED (LOCAL SIMULATION)',
          warnings: [{ type: 'INFO', code: 'LOCAL_SANDBOX', message: LOCAL_SUBMISSION_NOTICE }],
          submittedAt: new Date(),
        }
      : {}),
  });
  await egsQueries.advanceChain(tx, {
    companyId: invoice.companyId,
    id: egs.id,
    icv,
    invoiceHash: signed.hash,
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

/** The issuing extension (modules/invoices/extensions.ts): its artifacts are stored as `artifacts.zatca`. */
export function zatcaIssueExtension(ctx: AppContext): IssueExtension {
  return {
    name: 'zatca',
    validate: async (_tx, candidate) => validateZatcaDocument(candidate),
    onIssue: (tx, document) => issueZatcaDocument(ctx, tx, document),
  };
}
