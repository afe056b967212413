// A PDF render thread (render-pool.ts): the same mapping and renderer as the request thread, so the same bytes.

import type { InvoiceSnapshot } from '@invoiceflow/db/schema';
import { renderInvoicePdf } from '@invoiceflow/pdf';
import { pdfInputOf, type StoredZatcaArtifacts } from './invoice-pdf-input';

export interface RenderTask {
  snapshot: InvoiceSnapshot;
  zatca: StoredZatcaArtifacts;
  /** A quotation's PDF (modules/quotes): the invoice layout, titled as an offer. */
  isQuotation?: boolean;
}

export default function render(task: RenderTask): Promise<Buffer> {
  return renderInvoicePdf(pdfInputOf(task.snapshot, task.zatca, { isQuotation: task.isQuotation }));
}
