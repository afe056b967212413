export { hasArabic, isolateLtr, isolateRtl, layoutText } from './arabic-text';
export { PDF_LANGUAGES, paymentTermsText } from './languages';
export { CONTENT_TOP, LINE_COLUMNS, PAGE, planInvoice } from './layout';
export { renderInvoicePdf } from './render-invoice-pdf';
export type {
  InvoicePdfInput,
  InvoicePdfType,
  PdfAddress,
  PdfAttachment,
  PdfLineText,
  PdfParty,
  RenderOptions,
} from './types';
