export { hasArabic, isolateLtr, isolateRtl, layoutText } from './arabic-text';
export { PDF_LANGUAGES, paymentTermsText } from './languages';
export { CONTENT_TOP, LINE_COLUMNS, PAGE, planInvoice } from './layout';
export { logoImageSize } from './logo-image';
export {
  type CashReportPdfInput,
  type PieceCount,
  RECEIPT_TITLES,
  type ReceiptPdfInput,
  type ReceiptTitle,
  renderCashReportPdf,
  renderReceiptPdf,
  type SlipSeller,
} from './receipt';
export { renderInvoicePdf } from './render-invoice-pdf';
export { type ReportColumn, type ReportPdfInput, renderReportPdf } from './report';
export { SLIP, type SlipLanguage } from './slip';
export type {
  InvoicePdfInput,
  InvoicePdfType,
  PdfAddress,
  PdfAttachment,
  PdfLineText,
  PdfParty,
  RenderOptions,
} from './types';
