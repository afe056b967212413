// A PDF render thread (render-pool.ts): the same renderer as the request thread, so the same bytes.
import { type InvoicePdfInput, renderInvoicePdf } from '@invoiceflow/pdf';

export default function render(input: InvoicePdfInput): Promise<Buffer> {
  return renderInvoicePdf(input);
}
