// The PDF of an issued invoice: rendered once, STORED, and served as stored from then on.
//
// Why store rather than regenerate from the snapshot on every download:
// - The bytes must never change, and only storing guarantees that across versions. The renderer is deterministic
//   for one version of the code (pdfkit, fontkit, the Noto fonts, our layout), but any of those changing — a layout
//   fix, a font upgrade — would silently alter every old invoice's PDF; a stored SHA-256 would only detect it,
//   with nothing to fall back to but the altered bytes.
// - The cost is storage: ~45 KB for a one-page bilingual PDF/A-3 with its signed XML (subset fonts, deflated), so
//   ~45 GB at 1M invoices — ordinary for PostgreSQL, in a table of its own (`invoice_pdfs`, bytea out of line in
//   TOAST, uncompressed since PDF streams are already deflated) that no invoice query reads. The row keeps the
//   SHA-256, so moving the bytes to object storage later changes no contract.
// - Issuing latency: a one-page invoice costs ~10 ms of CPU to render (docs/benchmarks.md), on a render thread
//   (render-pool.ts) when the process has them. It runs right AFTER the issuing transaction commits, not inside
//   it (the issuing pipeline's afterCommit stage, pdfIssueExtension below, so every way of issuing gets it): the
//   ZATCA extension holds the company's EGS row lock until commit, and a render under that lock would cut
//   the per-unit issuing rate from ~1,000/s to well under 100/s. Between the commit and the store a crash
//   can leave an issued invoice without a stored PDF; the first download then renders it from the stored snapshot
//   and the stored ZATCA artifacts (the renderer being deterministic, the same bytes) and stores it. So a download
//   never fails for want of a stored PDF.
// - Standard (B2B) invoices on a ZATCA unit are cleared before they may be shared: their PDF is made once ZATCA
//   cleared them and embeds the cleared XML (and the QR ZATCA stamped in it); until then the download answers
//   409 INVOICE_AWAITING_CLEARANCE. On a local sandbox unit clearance is simulated, so the signed XML is final.
import { createHash } from 'node:crypto';
import type { Db } from '@invoiceflow/db';
import type { InvoiceSnapshot } from '@invoiceflow/db/schema';
import type { AppContext } from '../../context';
import { AppError, defineErrors } from '../../lib/errors';
import { readCompanyLogo } from '../companies/logo';
import type { StorageConfig } from '../files/storage';
import { type AfterCommitLog, consoleLog, type IssueExtension } from '../invoices/extensions';
import { payLinkForPdf } from '../online-payments/service';
import type { StoredZatcaArtifacts } from './invoice-pdf-input';
import * as q from './queries';
import { renderPdf } from './render-pool';

defineErrors({
  INVOICE_PDF_NOT_ISSUED: [409, 'A draft is not a tax invoice and has no PDF; issue it first.'],
  INVOICE_AWAITING_CLEARANCE: [
    409,
    'A standard tax invoice is shared only once ZATCA has cleared it; its PDF is made then.',
  ],
});

export interface InvoicePdf {
  invoiceId: string;
  number: string;
  pdf: Buffer;
  /** Hex SHA-256 of the bytes (the ETag). */
  sha256: string;
}

/** The QR ZATCA put in a cleared invoice (KSA-14, AdditionalDocumentReference "QR"). */
function qrOfXml(xml: string): string | undefined {
  return /<cbc:ID>QR<\/cbc:ID>\s*<cac:Attachment>\s*<cbc:EmbeddedDocumentBinaryObject[^>]*>([^<]+)</.exec(
    xml,
  )?.[1];
}

/** The QR and the XML a PDF carries; throws while a standard invoice waits for ZATCA's clearance. */
function zatcaPartOf(source: q.PdfSource): {
  zatca: StoredZatcaArtifacts;
  xmlSource: 'issued' | 'cleared' | 'none';
} {
  const doc = source.zatca;
  if (!doc) return { zatca: {}, xmlSource: 'none' };
  if (doc.submissionKind === 'clearance' && !doc.isSimulated) {
    if (doc.submissionStatus !== 'cleared') {
      throw new AppError('INVOICE_AWAITING_CLEARANCE', {
        ...(doc.submissionStatus === 'rejected'
          ? { message: 'ZATCA rejected this invoice: it cannot be shared; issue a corrected one.' }
          : {}),
      });
    }
    if (doc.clearedXml) {
      return {
        zatca: { xml: doc.clearedXml, qr: qrOfXml(doc.clearedXml) ?? doc.qrPayload ?? undefined },
        xmlSource: 'cleared',
      };
    }
  }
  return { zatca: { xml: doc.xml, qr: doc.qrPayload ?? undefined }, xmlSource: 'issued' };
}

function sha256Of(pdf: Buffer): string {
  return createHash('sha256').update(pdf).digest('hex');
}

/**
 * PDFs the issuing pipeline has just stored (committed, outside any transaction), each handed once to the next
 * reader in this process: the issue's own answer (pdf_base64), which would otherwise read the 45 KB straight back
 * from the database. Stored PDFs
 * never change, so the handoff cannot be stale; it is bounded, and a miss reads the database as before.
 */
const justStored = new Map<string, InvoicePdf>();
const JUST_STORED_MAX = 64;
const handoffKey = (companyId: string, invoiceId: string) => `${companyId}:${invoiceId}`;

function handOff(companyId: string, pdf: InvoicePdf): void {
  if (justStored.size >= JUST_STORED_MAX) {
    const oldest = justStored.keys().next().value;
    if (oldest !== undefined) justStored.delete(oldest);
  }
  justStored.set(handoffKey(companyId, pdf.invoiceId), pdf);
}

/**
 * The invoice's PDF as stored; rendered and stored first if it is not yet (right after issuing, or on the first
 * download after a crash between the issuing commit and the store).
 */
/**
 * The pay link a PDF prints in its footer, or null: a resolver the online payments module provides. The link is
 * stable per invoice (derived from its id), so it belongs in the stored, render-once PDF: every download and the
 * period's ZIP serve the same bytes. A PDF shows it when the company took payments online and something was due on
 * the invoice when the PDF was first rendered; an invoice paid since keeps it (the link then says it is paid), and
 * a company that connects its gateway later has the link in its mails and portal, not in PDFs already made.
 */
export type PayLinkOf = (db: Db, ids: { companyId: string; invoiceId: string }) => Promise<string | null>;

export async function getInvoicePdf(
  db: Db,
  { companyId, invoiceId, files }: { companyId: string; invoiceId: string; files: StorageConfig },
  payLinkOf?: PayLinkOf,
): Promise<InvoicePdf> {
  const key = handoffKey(companyId, invoiceId);
  const handed = justStored.get(key);
  if (handed) {
    justStored.delete(key);
    return handed;
  }
  const stored = await q.getStoredPdf(db, { companyId, invoiceId });
  if (stored) return { invoiceId, number: stored.number, pdf: stored.pdf, sha256: stored.sha256 };

  const source = await q.getPdfSource(db, { companyId, invoiceId });
  if (!source) throw new AppError('INVOICE_NOT_FOUND');
  if (source.status === 'draft') throw new AppError('INVOICE_PDF_NOT_ISSUED');
  const { zatca, xmlSource } = zatcaPartOf(source);
  const snapshot = source.snapshot as unknown as InvoiceSnapshot;
  // The logo the invoice was issued with (its snapshot's), never the company's logo of today.
  const logo = snapshot.seller.logo_id
    ? await readCompanyLogo({ config: files }, db, { companyId, logoId: snapshot.seller.logo_id })
    : undefined;
  const payUrl = await payLinkOf?.(db, { companyId, invoiceId });
  const pdf = await renderPdf({
    snapshot,
    zatca,
    ...(logo ? { logo: logo.bytes } : {}),
    ...(payUrl ? { payUrl } : {}),
  });
  const sha256 = sha256Of(pdf);
  const isStored = await q.insertPdfOnce(db, {
    invoiceId,
    companyId,
    sha256,
    byteLength: pdf.length,
    xmlSource,
    pdf,
  });
  if (isStored) return { invoiceId, number: source.number, pdf, sha256 };
  // Another request stored it first: serve those bytes, so every download of this invoice is the same.
  const winner = await q.getStoredPdf(db, { companyId, invoiceId });
  if (!winner) throw new Error(`invoice_pdfs row of ${invoiceId} vanished after a conflict`);
  return { invoiceId, number: winner.number, pdf: winner.pdf, sha256: winner.sha256 };
}

/**
 * The issuing pipeline's PDF stage (modules/invoices/extensions.ts): once the issue committed, the PDF is rendered
 * and stored, whoever issued (the API, a sale, an import, a recurring job). A standard invoice awaiting ZATCA's
 * clearance gets its PDF once cleared; any other failure is logged by the pipeline and the first download renders.
 */
export function pdfIssueExtension(ctx: AppContext): IssueExtension {
  return {
    name: 'pdf',
    afterCommit: async ({ companyId, invoiceId }) => {
      try {
        handOff(
          companyId,
          await getInvoicePdf(ctx.db, { companyId, invoiceId, files: ctx.config }, payLinkForPdf(ctx)),
        );
      } catch (error) {
        if (error instanceof AppError && error.code === 'INVOICE_AWAITING_CLEARANCE') return;
        throw error;
      }
    },
  };
}

/**
 * The PDF as base64 for a JSON answer (`pdf_base64`, seed 000): the issue answers (stored by then by
 * pdfIssueExtension) and a read with ?include=pdf. The invoice is issued whatever happens here, so this never
 * fails the request: a standard invoice awaiting clearance, or a render error (logged), answers null, and the
 * first download renders it.
 */
export async function invoicePdfBase64(
  db: Db,
  log: AfterCommitLog | undefined,
  { companyId, invoiceId, files }: { companyId: string; invoiceId: string; files: StorageConfig },
  payLinkOf?: PayLinkOf,
): Promise<string | null> {
  try {
    return (await getInvoicePdf(db, { companyId, invoiceId, files }, payLinkOf)).pdf.toString('base64');
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'INVOICE_AWAITING_CLEARANCE')) {
      (log ?? consoleLog).error(
        { err: error, invoiceId },
        'invoice PDF not stored at issue; the first download renders it',
      );
    }
    return null;
  }
}
