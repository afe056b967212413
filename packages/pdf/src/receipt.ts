// The till's printouts: the receipt of a sale or a return, and a cash session's X or Z report, as 80 mm slips.
// Amounts arrive as the totals engine and the API computed them (decimal text) and are printed as given.
import { stripBidiControls } from './bidi-input';
import { formatAmount, formatQuantity, formatRate } from './format';
import type { Bilingual } from './labels';
import { renderSlipPdf, type SlipLanguage, type SlipRow, timesText } from './slip';

/** What the seller's jurisdiction profile names the slip of a sale or a return. */
export type ReceiptTitle = 'receipt' | 'simplified_tax_invoice' | 'credit_note' | 'refund_receipt';

export const RECEIPT_TITLES: Record<ReceiptTitle, Bilingual> = {
  receipt: { en: 'Receipt', ar: 'إيصال' },
  simplified_tax_invoice: { en: 'Simplified Tax Invoice', ar: 'فاتورة ضريبية مبسطة' },
  credit_note: { en: 'Credit Note', ar: 'إشعار دائن' },
  refund_receipt: { en: 'Refund Receipt', ar: 'إيصال استرداد' },
};

const L = {
  vatNumber: { en: 'VAT number', ar: 'الرقم الضريبي' },
  trn: { en: 'TRN', ar: 'رقم التسجيل الضريبي' },
  number: { en: 'No.', ar: 'الرقم' },
  originalInvoice: { en: 'Original invoice', ar: 'الفاتورة الأصلية' },
  date: { en: 'Date', ar: 'التاريخ' },
  time: { en: 'Time', ar: 'الوقت' },
  till: { en: 'Till', ar: 'نقطة البيع' },
  subtotal: { en: 'Total excl. VAT', ar: 'الإجمالي قبل الضريبة' },
  vatAt: { en: 'VAT', ar: 'الضريبة' },
  vatTotal: { en: 'VAT total', ar: 'إجمالي الضريبة' },
  total: { en: 'Total incl. VAT', ar: 'الإجمالي شامل الضريبة' },
  refundTotal: { en: 'Refund incl. VAT', ar: 'المسترد شامل الضريبة' },
  cashPaid: { en: 'Cash paid', ar: 'المبلغ المدفوع نقداً' },
  change: { en: 'Change', ar: 'الباقي' },
  refundPaid: { en: 'Cash refunded', ar: 'المبلغ المسترد نقداً' },
  piece: { en: 'Piece', ar: 'الفئة' },
  count: { en: 'Count', ar: 'العدد' },
  amount: { en: 'Amount', ar: 'المبلغ' },
  thanks: { en: 'Thank you', ar: 'شكراً لكم' },
  xReport: { en: 'X Report (shift so far)', ar: 'تقرير X (الوردية حتى الآن)' },
  zReport: { en: 'Z Report (shift closed)', ar: 'تقرير Z (إغلاق الوردية)' },
  opened: { en: 'Opened', ar: 'فتح' },
  closed: { en: 'Closed', ar: 'إغلاق' },
  printed: { en: 'Printed', ar: 'طبع' },
  float: { en: 'Opening float', ar: 'رصيد الافتتاح' },
  sales: { en: 'Sales', ar: 'المبيعات' },
  salesCount: { en: 'Number of sales', ar: 'عدد المبيعات' },
  salesTotal: { en: 'Sales incl. VAT', ar: 'المبيعات شاملة الضريبة' },
  taxable: { en: 'Taxable', ar: 'الخاضع للضريبة' },
  cash: { en: 'Cash', ar: 'النقد' },
  cashReceived: { en: 'Cash received', ar: 'النقد المستلم' },
  changeGiven: { en: 'Change given', ar: 'الباقي المدفوع' },
  cashIn: { en: 'Cash in', ar: 'إيداع نقدي' },
  cashOut: { en: 'Cash out', ar: 'سحب نقدي' },
  returns: { en: 'Returns', ar: 'المرتجعات' },
  returnsCount: { en: 'Number of returns', ar: 'عدد المرتجعات' },
  refunded: { en: 'Refunded', ar: 'المبالغ المستردة' },
  expected: { en: 'Expected cash', ar: 'النقد المتوقع' },
  counted: { en: 'Counted cash', ar: 'النقد المعدود' },
  difference: { en: 'Difference', ar: 'الفرق' },
  drawer: { en: 'Drawer by piece', ar: 'الدرج حسب الفئة' },
  expectedShort: { en: 'Expected', ar: 'المتوقع' },
  countedShort: { en: 'Counted', ar: 'المعدود' },
  differenceShort: { en: 'Diff.', ar: 'الفرق' },
  uncounted: { en: 'Cash taken without a count of pieces', ar: 'نقد مستلم دون عد الفئات' },
} satisfies Record<string, Bilingual>;

export interface SlipSeller {
  name_en?: string;
  name_ar?: string;
  vat_number?: string;
  tax_id_label?: 'vat_number' | 'trn';
}

export interface PieceCount {
  value: string;
  count: number;
}

export interface ReceiptPdfInput {
  title: ReceiptTitle;
  language: SlipLanguage;
  seller: SlipSeller;
  /** The invoice's (or credit note's) number. */
  number: string;
  /** A return: the number of the sale's invoice. */
  original_number?: string;
  /** The seller's wall clock: YYYY-MM-DD and HH:MM:SS. */
  date: string;
  time: string;
  /** The instant of issue (ISO 8601), which dates the PDF's metadata. */
  issued_at: string;
  till: string;
  currency: string;
  lines: Array<{ name?: string; name_ar?: string; quantity: string; unit_price: string; amount: string }>;
  vat_breakdown: Array<{ category: string; rate: string; taxable_amount: string; vat_amount: string }>;
  tax_exclusive_amount: string;
  vat_total: string;
  total: string;
  /** A sale: the cash handed over and the change given back with its pieces. */
  cash?: { paid: string; change: string; pieces: PieceCount[] };
  /** A return: the cash paid back, with its pieces when recorded. */
  refund?: { amount: string; pieces: PieceCount[] };
  /** ZATCA: the invoice's QR (base64 TLV), drawn exactly as given. */
  qr_payload?: string;
}

const money = (amount: string, currency: string) => `${formatAmount(amount)} ${currency}`;

function sellerRows(seller: SlipSeller): SlipRow[] {
  const taxLabel = seller.tax_id_label === 'trn' ? L.trn : L.vatNumber;
  return [
    { kind: 'center', text: seller.name_en ?? '', bold: true },
    { kind: 'center', text: seller.name_ar ?? '', bold: true, isArabic: true },
    ...(seller.vat_number ? [{ kind: 'pair' as const, label: taxLabel, value: seller.vat_number }] : []),
  ];
}

function pieceTable(pieces: PieceCount[], currency: string): SlipRow {
  return {
    kind: 'table',
    header: [L.piece, L.count],
    rows: pieces.map((piece) => [money(piece.value, currency), `× ${piece.count}`]),
  };
}

export function receiptRows(input: ReceiptPdfInput): SlipRow[] {
  const { currency } = input;
  const isReturn = input.refund !== undefined;
  const rows: SlipRow[] = [
    { kind: 'title', label: RECEIPT_TITLES[input.title] },
    { kind: 'space', height: 3 },
    ...sellerRows(input.seller),
    { kind: 'rule' },
    { kind: 'pair', label: L.number, value: input.number, emphasis: 'bold' },
    ...(input.original_number
      ? [{ kind: 'pair' as const, label: L.originalInvoice, value: input.original_number }]
      : []),
    { kind: 'pair', label: L.date, value: input.date },
    { kind: 'pair', label: L.time, value: input.time },
    { kind: 'pair', label: L.till, value: input.till },
    { kind: 'rule' },
  ];
  for (const line of input.lines) {
    rows.push({
      kind: 'item',
      ...(line.name ? { name: line.name } : {}),
      ...(line.name_ar ? { nameAr: line.name_ar } : {}),
      detail: timesText(formatQuantity(line.quantity), formatAmount(line.unit_price)),
      amount: formatAmount(line.amount),
    });
  }
  rows.push({ kind: 'rule' });
  rows.push({ kind: 'pair', label: L.subtotal, value: money(input.tax_exclusive_amount, currency) });
  for (const vat of input.vat_breakdown) {
    const rate = formatRate(vat.rate);
    rows.push({
      kind: 'pair',
      label: {
        en: `${L.vatAt.en} ${rate} on ${formatAmount(vat.taxable_amount)}`,
        ar: `${L.vatAt.ar} ${rate}`,
      },
      value: money(vat.vat_amount, currency),
    });
  }
  rows.push({ kind: 'pair', label: L.vatTotal, value: money(input.vat_total, currency) });
  rows.push({
    kind: 'pair',
    label: isReturn ? L.refundTotal : L.total,
    value: money(input.total, currency),
    emphasis: 'total',
  });
  if (input.cash) {
    rows.push({ kind: 'rule' });
    rows.push({ kind: 'pair', label: L.cashPaid, value: money(input.cash.paid, currency) });
    rows.push({ kind: 'pair', label: L.change, value: money(input.cash.change, currency), emphasis: 'bold' });
    if (input.cash.pieces.length > 0) rows.push(pieceTable(input.cash.pieces, currency));
  }
  if (input.refund) {
    rows.push({ kind: 'rule' });
    rows.push({
      kind: 'pair',
      label: L.refundPaid,
      value: money(input.refund.amount, currency),
      emphasis: 'bold',
    });
    if (input.refund.pieces.length > 0) rows.push(pieceTable(input.refund.pieces, currency));
  }
  if (input.qr_payload) {
    rows.push({ kind: 'space', height: 4 });
    rows.push({ kind: 'qr', payload: input.qr_payload });
  }
  rows.push({ kind: 'space', height: 2 });
  rows.push({ kind: 'heading', label: L.thanks });
  return rows;
}

export function renderReceiptPdf(raw: ReceiptPdfInput): Promise<Buffer> {
  const input = { ...stripBidiControls({ ...raw, qr_payload: undefined }), qr_payload: raw.qr_payload };
  const title = RECEIPT_TITLES[input.title];
  return renderSlipPdf({
    language: input.language,
    rows: receiptRows(input),
    title: `${input.language === 'ar' ? title.ar : title.en} ${input.number}`,
    author: input.seller.name_en ?? input.seller.name_ar ?? '',
    dated_at: input.issued_at,
  });
}

// ------------------------------------------------------------------------------------------- X and Z reports

export interface CashReportPdfInput {
  report: 'X' | 'Z';
  language: SlipLanguage;
  seller: SlipSeller;
  till: string;
  /** The seller's wall clock, "YYYY-MM-DD HH:MM:SS". */
  opened_at: string;
  closed_at?: string;
  /** An X report: when it was printed (wall clock) — it is the shift so far. */
  printed_at?: string;
  /** The instant that dates the PDF's metadata: the close, or the print of an X report. */
  dated_at: string;
  currency: string;
  opening_float: string;
  opening_counts: PieceCount[];
  sales_count: number;
  sales_total: string;
  vat_by_rate: Array<{ category: string; rate: string; taxable_amount: string; vat_amount: string }>;
  cash_received: string;
  change_given: string;
  cash_in: string;
  /** Cash taken out, refunds of returns included. */
  cash_out: string;
  returns_count: number;
  returns_total: string;
  expected_cash: string;
  counted_cash?: string;
  difference?: string;
  /** Per denomination: what the drawer should hold, and what was counted (Z). */
  drawer: Array<{ value: string; expected: number; counted?: number; difference?: number }>;
  /** Cash of sales taken without counting the pieces: in the expected total, in no denomination. */
  uncounted_cash: string;
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

export function cashReportRows(input: CashReportPdfInput): SlipRow[] {
  const { currency } = input;
  const rows: SlipRow[] = [
    { kind: 'title', label: input.report === 'X' ? L.xReport : L.zReport },
    { kind: 'space', height: 3 },
    ...sellerRows(input.seller),
    { kind: 'rule' },
    { kind: 'pair', label: L.till, value: input.till },
    { kind: 'pair', label: L.opened, value: input.opened_at },
    ...(input.closed_at ? [{ kind: 'pair' as const, label: L.closed, value: input.closed_at }] : []),
    ...(input.printed_at ? [{ kind: 'pair' as const, label: L.printed, value: input.printed_at }] : []),
    { kind: 'rule' },
    { kind: 'pair', label: L.float, value: money(input.opening_float, currency), emphasis: 'bold' },
  ];
  if (input.opening_counts.length > 0) rows.push(pieceTable(input.opening_counts, currency));
  rows.push({ kind: 'rule' }, { kind: 'heading', label: L.sales });
  rows.push({ kind: 'pair', label: L.salesCount, value: String(input.sales_count) });
  for (const vat of input.vat_by_rate) {
    const rate = formatRate(vat.rate);
    rows.push({
      kind: 'pair',
      label: { en: `${L.taxable.en} ${rate}`, ar: `${L.taxable.ar} ${rate}` },
      value: money(vat.taxable_amount, currency),
    });
    rows.push({
      kind: 'pair',
      label: { en: `${L.vatAt.en} ${rate}`, ar: `${L.vatAt.ar} ${rate}` },
      value: money(vat.vat_amount, currency),
    });
  }
  rows.push({
    kind: 'pair',
    label: L.salesTotal,
    value: money(input.sales_total, currency),
    emphasis: 'bold',
  });
  rows.push({ kind: 'rule' }, { kind: 'heading', label: L.returns });
  rows.push({ kind: 'pair', label: L.returnsCount, value: String(input.returns_count) });
  rows.push({ kind: 'pair', label: L.refunded, value: money(input.returns_total, currency) });
  rows.push({ kind: 'rule' }, { kind: 'heading', label: L.cash });
  rows.push({ kind: 'pair', label: L.cashReceived, value: money(input.cash_received, currency) });
  rows.push({ kind: 'pair', label: L.changeGiven, value: money(input.change_given, currency) });
  rows.push({ kind: 'pair', label: L.cashIn, value: money(input.cash_in, currency) });
  rows.push({ kind: 'pair', label: L.cashOut, value: money(input.cash_out, currency) });
  rows.push({
    kind: 'pair',
    label: L.expected,
    value: money(input.expected_cash, currency),
    emphasis: 'bold',
  });
  if (input.counted_cash !== undefined) {
    rows.push({
      kind: 'pair',
      label: L.counted,
      value: money(input.counted_cash, currency),
      emphasis: 'bold',
    });
  }
  if (input.difference !== undefined) {
    rows.push({
      kind: 'pair',
      label: L.difference,
      value: money(input.difference, currency),
      emphasis: 'total',
    });
  }
  if (input.drawer.length > 0) {
    const isCounted = input.drawer.some((row) => row.counted !== undefined);
    rows.push({ kind: 'rule' }, { kind: 'heading', label: L.drawer });
    rows.push({
      kind: 'table',
      header: isCounted
        ? [L.piece, L.expectedShort, L.countedShort, L.differenceShort]
        : [L.piece, L.expectedShort],
      rows: input.drawer.map((row) =>
        isCounted
          ? [
              formatAmount(row.value),
              String(row.expected),
              String(row.counted ?? 0),
              signed(row.difference ?? 0),
            ]
          : [formatAmount(row.value), String(row.expected)],
      ),
    });
  }
  if (!/^0*(\.0*)?$/.test(input.uncounted_cash)) {
    rows.push({ kind: 'pair', label: L.uncounted, value: money(input.uncounted_cash, currency) });
  }
  return rows;
}

export function renderCashReportPdf(raw: CashReportPdfInput): Promise<Buffer> {
  const input = stripBidiControls(raw);
  const title = input.report === 'X' ? L.xReport : L.zReport;
  return renderSlipPdf({
    language: input.language,
    rows: cashReportRows(input),
    title: `${input.language === 'ar' ? title.ar : title.en} ${input.till}`,
    author: input.seller.name_en ?? input.seller.name_ar ?? '',
    dated_at: input.dated_at,
  });
}
