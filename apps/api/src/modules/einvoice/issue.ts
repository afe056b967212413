// The PINT AE / Peppol BIS 3 part of issuing (modules/invoices/extensions.ts), registered before the PDF.
// validate: the official rules a user can fix (ublIssues), before the number is taken; a debit note is refused
// in the UAE. onIssue, inside the issuing transaction: the XML from the snapshot, its hash, and its place in the
// company's chain of that format (locked until the transaction ends), stored in einvoice_documents.
//
// Severity: every official rule a user can fix refuses the issue (422 INVOICE_INVALID, each error at the request
// field to change): under PINT AE, issuing is the finalize step of the UAE lifecycle and nothing is cleared by
// the authority afterwards, so what is finalized must be right the first time; under Peppol BIS 3 (opted into by
// giving the company and the customer a Peppol address) the receiving access point would reject it. A rule
// answered as a warning (severity 'warning') is kept with the invoice and does not block it, and so is every rule
// for a subtype outside the country's e-invoicing scope (the profile's einvoiceMandatorySubtypes: UAE consumer
// sales).
import { createHash } from 'node:crypto';
import type { Db } from '@invoiceflow/db';
import { findProfile } from '@invoiceflow/jurisdictions';
import { buildUblXml, ublIssues } from '@invoiceflow/ubl';
import type { AppContext } from '../../context';
import { AppError, type FieldError } from '../../lib/errors';
import type { IssueCandidate, IssuedDocument, IssueExtension } from '../invoices/extensions';
import { describeIssues } from '../invoices/issue-messages';
import { isSelfBilled, requestPathOf, ublInputOf, ublProfileOf } from './document';
import * as q from './queries';

export interface EinvoiceArtifacts extends Record<string, unknown> {
  format: 'pint-ae' | 'peppol-bis-3';
  hash: string;
  previous_hash: string;
  position: number;
}

export async function validateUblDocument(
  _tx: Db,
  { invoiceId, snapshot }: IssueCandidate,
): Promise<FieldError[] | undefined> {
  const profile = ublProfileOf(snapshot);
  if (!profile) return undefined;
  if (profile === 'pint-ae' && snapshot.type === 'debit_note') {
    throw new AppError('INVOICE_INVALID', {
      message: 'UAE invoices are corrected by a credit note or a new invoice: there are no debit notes.',
      errors: describeIssues([
        {
          path: 'type',
          code: 'DEBIT_NOTE_NOT_ALLOWED',
          message:
            'There are no debit notes under UAE e-invoicing (PINT AE): issue a credit note or an invoice.',
        },
      ]),
    });
  }
  const byCustomer = snapshot.buyer.customer_id !== null;
  const selfBilled = isSelfBilled(profile, snapshot);
  const issues = ublIssues(profile, ublInputOf(profile, snapshot, invoiceId));
  const described = (severity: 'error' | 'warning') =>
    issues
      .filter((issue) => issue.severity === severity)
      .map((issue) => ({
        path: requestPathOf(issue.path, byCustomer, selfBilled),
        code: issue.code,
        message: issue.message,
      }));
  const mandatory = findProfile(snapshot.seller.country)?.einvoiceMandatorySubtypes;
  if (mandatory && !mandatory.includes(snapshot.subtype)) {
    return described('error').concat(described('warning'));
  }
  const errors = described('error');
  if (errors.length > 0) {
    throw new AppError('INVOICE_INVALID', {
      message:
        profile === 'pint-ae'
          ? 'PINT AE (UAE e-invoicing) would reject this invoice; see errors (official rule ids).'
          : 'Peppol BIS Billing 3.0 would reject this invoice; see errors (official rule ids).',
      errors: describeIssues(dedupe(errors)),
    });
  }
  const warnings = described('warning');
  return warnings.length > 0 ? warnings : undefined;
}

/** One entry per field and rule: several document paths can lead to the same request field (customer_id). */
function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    const key = `${error.path} ${error.code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export async function issueUblDocument(
  tx: Db,
  { invoice, snapshot }: Pick<IssuedDocument, 'invoice' | 'snapshot'>,
): Promise<EinvoiceArtifacts | undefined> {
  const profile = ublProfileOf(snapshot);
  if (!profile) return undefined;
  const xml = buildUblXml(profile, ublInputOf(profile, snapshot, invoice.id));
  const hash = createHash('sha256').update(xml, 'utf8').digest('base64');
  // Held until the issuing transaction ends: the company's chain of this format stays strictly sequential.
  const chain = await q.lockFormatChain(tx, { companyId: invoice.companyId, format: profile });
  const position = chain.lastPosition + 1;
  await q.insertEinvoiceDocument(tx, {
    invoiceId: invoice.id,
    format: profile,
    companyId: invoice.companyId,
    chainId: chain.id,
    position,
    documentUuid: invoice.id,
    hash,
    previousHash: chain.lastHash,
    xml,
    // Reported through the company's service provider once transmission exists; nothing is sent yet.
    submissionKind: 'reporting',
    submissionStatus: 'pending',
  });
  await q.advanceFormatChain(tx, { companyId: invoice.companyId, id: chain.id, position, hash });
  return { format: profile, hash, previous_hash: chain.lastHash, position };
}

export function einvoiceIssueExtension(_ctx: AppContext): IssueExtension {
  return {
    name: 'einvoice',
    validate: validateUblDocument,
    onIssue: (tx, document) => issueUblDocument(tx, document),
  };
}
