// A PDF render thread (render-pool.ts): the same mapping and renderer as the request thread, so the same bytes.

import type { InvoiceSnapshot } from '@invoiceflow/db/schema';
import {
  type CashReportPdfInput,
  type InvoicePdfInput,
  type ReceiptPdfInput,
  renderCashReportPdf,
  renderInvoicePdf,
  renderReceiptPdf,
} from '@invoiceflow/pdf';
import { pdfInputOf, type StoredZatcaArtifacts } from './invoice-pdf-input';

/**
 * An invoice (or a quotation, titled as an offer) from its snapshot, a document already mapped to the renderer's
 * input (a purchase order), or a till's slip (a receipt, an X or Z report).
 */
export type RenderTask =
  | {
      snapshot: InvoiceSnapshot;
      zatca: StoredZatcaArtifacts;
      isQuotation?: boolean;
      logo?: Uint8Array;
      payUrl?: string;
    }
  | { document: InvoicePdfInput }
  | { receipt: ReceiptPdfInput }
  | { cashReport: CashReportPdfInput };

export default function render(task: RenderTask): Promise<Buffer> {
  if ('receipt' in task) return renderReceiptPdf(task.receipt);
  if ('cashReport' in task) return renderCashReportPdf(task.cashReport);
  if ('document' in task) return renderInvoicePdf(task.document);
  return renderInvoicePdf(
    pdfInputOf(task.snapshot, task.zatca, {
      isQuotation: task.isQuotation,
      logo: task.logo,
      ...(task.payUrl ? { payUrl: task.payUrl } : {}),
    }),
  );
}
