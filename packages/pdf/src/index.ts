export { hasArabic, isolateLtr, isolateRtl, layoutText } from './arabic-text.ts';
export { CONTENT_TOP, LINE_COLUMNS, PAGE, planInvoice } from './layout.ts';
export { renderInvoicePdf } from './render-invoice-pdf.ts';
export type {
  InvoicePdfInput,
  InvoicePdfType,
  PdfAddress,
  PdfAttachment,
  PdfLineText,
  PdfParty,
  RenderOptions,
} from './types.ts';
