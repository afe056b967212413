// Extension points of issuing. Everything here runs INSIDE the issuing transaction, after the number is taken
// and the snapshot is stored, before the audit entry and the commit: if an extension throws, nothing is issued
// and the number is not used (numbering stays gapless).
//
// The user: `@invoiceflow/zatca` (UBL XML, invoice hash and chain, XAdES signature, QR TLV, ICV/PIH), plugged in
// where the app is built: `app.ctx.issueExtensions = [zatcaIssueExtension(ctx)]`.
// Each returns what it produced; it is stored under its name in the invoice's `artifacts` (jsonb) and shown by
// the API: `artifacts.zatca.qr` as `qr_code_data` (presenter.ts). Extensions run in order, and a later one sees
// the earlier ones' artifacts.
//
// The PDF is NOT an extension: it is rendered right after the commit, outside the EGS row lock the ZATCA extension
// holds, and stored in its own table (modules/pdf/service.ts explains why).
import type { Db } from '@invoiceflow/db';
import type { CompanyRow } from '../companies/queries';
import type { InvoiceRow } from './queries';
import type { InvoiceSnapshot } from './snapshot';

export interface IssuedDocument {
  invoice: InvoiceRow;
  snapshot: InvoiceSnapshot;
  seller: CompanyRow;
  /** Artifacts of the extensions that already ran. */
  artifacts: Record<string, unknown>;
}

export interface IssueExtension {
  /** Key of the artifacts it produces: `zatca`, `pdf`. */
  name: string;
  /** Called in the issuing transaction `tx`; reads and writes only through it. */
  onIssue(tx: Db, document: IssuedDocument): Promise<Record<string, unknown> | undefined>;
}

declare module '../../context' {
  interface AppContext {
    /** Run in order inside every issuing transaction (see modules/invoices/extensions.ts). */
    issueExtensions?: IssueExtension[];
  }
}

export async function runIssueExtensions(
  extensions: readonly IssueExtension[],
  tx: Db,
  document: Omit<IssuedDocument, 'artifacts'>,
): Promise<Record<string, unknown>> {
  const artifacts: Record<string, unknown> = {};
  for (const extension of extensions) {
    const produced = await extension.onIssue(tx, { ...document, artifacts: { ...artifacts } });
    if (produced !== undefined) artifacts[extension.name] = produced;
  }
  return artifacts;
}
