// Page planning: every block is measured first (text laid out once), then placed on pages, so the page count is
// known before anything is drawn and "Page 1 of 3" needs no second pass.
import type { LineResult } from '@invoiceflow/totals';
import { isolateLtr } from './arabic-text';
import { withoutBidiControls } from './bidi-input';
import { type Align, drawTextBlock, type TextBlock, type TextStyle, textBlock } from './draw-text';
import { formatAmount, formatDateTime, formatQuantity, formatRate, isZero } from './format';
import { type Bilingual, LABELS, TITLES, VAT_CATEGORY_NAMES } from './labels';
import { latinOf } from './languages';
import { drawQr, type QrMatrix, qrMatrix, qrSide } from './qr-image';
import type { InvoicePdfInput, PdfAddress, PdfParty } from './types';

export const PAGE = {
  width: 595.28,
  height: 841.89,
  marginX: 36,
  top: 30,
  /** Height of the title band repeated on every page. */
  headerHeight: 54,
  /** Lowest y a block may reach; the footer lives below. */
  bottom: 841.89 - 48,
} as const;

export const CONTENT_WIDTH = PAGE.width - 2 * PAGE.marginX;

const COLORS = {
  ink: '#1f2933',
  muted: '#5f6b7a',
  accent: '#0f4c81',
  rule: '#c9d2dc',
  band: '#eef3f8',
  white: '#ffffff',
} as const;

const STYLE = {
  title: { weight: 'bold', size: 17, color: COLORS.accent, leading: 1.3 },
  label: { weight: 'regular', size: 7.5, color: COLORS.muted },
  value: { weight: 'bold', size: 8.5, color: COLORS.ink },
  body: { weight: 'regular', size: 8.5, color: COLORS.ink },
  bodyBold: { weight: 'bold', size: 8.5, color: COLORS.ink },
  small: { weight: 'regular', size: 7, color: COLORS.muted },
  heading: { weight: 'bold', size: 8.5, color: COLORS.accent },
  tableHead: { weight: 'bold', size: 7, color: COLORS.accent, leading: 1.35 },
  footer: { weight: 'regular', size: 7, color: COLORS.muted },
  payable: { weight: 'bold', size: 10, color: COLORS.white },
} as const satisfies Record<string, TextStyle>;

/** Something measured that can be drawn at any y. */
export interface Block {
  height: number;
  draw(doc: PDFKit.PDFDocument, y: number): void;
}

export interface PlannedPage {
  items: Array<{ y: number; block: Block }>;
  /** Indexes (into doc.lines) of the lines on this page. */
  lineIndexes: number[];
}

export interface InvoicePlan {
  pages: PlannedPage[];
  drawPageFrame(doc: PDFKit.PDFDocument, pageIndex: number): void;
}

const GAP = 10;

// ---------------------------------------------------------------------------------------------------------------
// Small building blocks

function text(
  value: string,
  style: TextStyle,
  width: number,
  base: 'ltr' | 'rtl' | 'auto' = 'auto',
): TextBlock {
  return textBlock(value, style, width, base);
}

/** Whether Arabic stands beside English (the default); the seller's jurisdiction profile decides. */
const isBilingual = (doc: InvoicePdfInput) => doc.bilingual !== false;

/** The label's Latin side: English beside Arabic, or the document language of a one-language document. */
const latin = (doc: InvoicePdfInput, label: Bilingual) =>
  latinOf(label, isBilingual(doc) ? 'en' : doc.language);

/** The label's Arabic, or nothing on an English-only document. */
function arabicOf(doc: InvoicePdfInput, label: Bilingual): string {
  return isBilingual(doc) ? label.ar : '';
}

/** English label at the left, Arabic label at the right of the same box; stacked when they would collide. */
function bilingualLabel(doc: InvoicePdfInput, label: Bilingual, style: TextStyle, width: number) {
  const en = text(latin(doc, label), style, width, 'ltr');
  const ar = text(arabicOf(doc, label), style, width, 'rtl');
  const sideBySide = en.width + ar.width + 6 <= width;
  const height = sideBySide ? Math.max(en.height, ar.height) : en.height + ar.height;
  return {
    height,
    draw(doc: PDFKit.PDFDocument, x: number, y: number) {
      drawTextBlock(doc, en, x, y, width, 'left');
      drawTextBlock(doc, ar, x, sideBySide ? y : y + en.height, width, 'right');
    },
  };
}

function hRule(doc: PDFKit.PDFDocument, x: number, y: number, width: number, color: string = COLORS.rule) {
  doc
    .moveTo(x, y)
    .lineTo(x + width, y)
    .lineWidth(0.6)
    .strokeColor(color)
    .stroke();
}

function formatAddress(address: PdfAddress | undefined): string {
  if (!address) return '';
  const street = [address.building_number, address.street].filter(Boolean).join(' ');
  const district = address.district ?? '';
  const city = [address.city, address.postal_code].filter(Boolean).join(' ');
  const extra = address.additional_number ? `Additional no. ${address.additional_number}` : '';
  return [street, district, extra, city, address.emirate, address.country].filter(Boolean).join(', ');
}

// ---------------------------------------------------------------------------------------------------------------
// Header band, footer

/** Who issues the document: the seller, except for a purchase order, which the buyer sends to its vendor. */
export function issuerOf(doc: InvoicePdfInput): PdfParty {
  return doc.type === 'purchase_order' && doc.buyer ? doc.buyer : doc.seller;
}

function pageFrame(doc: InvoicePdfInput, pageCount: () => number) {
  const title = TITLES[doc.type];
  const x = PAGE.marginX;
  const enTitle = text(latin(doc, title), STYLE.title, CONTENT_WIDTH / 2, 'ltr');
  const arTitle = text(arabicOf(doc, title), STYLE.title, CONTENT_WIDTH / 2, 'rtl');
  const issuer = issuerOf(doc);
  const sellerEn = text(issuer.name_en ?? '', STYLE.label, CONTENT_WIDTH / 2, 'ltr');
  const sellerAr = text(issuer.name_ar ?? '', STYLE.label, CONTENT_WIDTH / 2, 'rtl');
  // Only pages after the first say "continued": laid out when such a page is drawn.
  const continuedEn = () =>
    text(`${doc.number} (${latin(doc, LABELS.continued)})`, STYLE.label, CONTENT_WIDTH / 2, 'ltr');
  const continuedAr = () =>
    text(
      isBilingual(doc) ? `${LABELS.continued.ar} ${isolateLtr(doc.number)}` : '',
      STYLE.label,
      CONTENT_WIDTH / 2,
      'rtl',
    );

  return (pdf: PDFKit.PDFDocument, pageIndex: number) => {
    const top = PAGE.top;
    let titleX = x;
    let titleWidth = CONTENT_WIDTH;
    if (doc.logo) {
      // The logo sits at the far left; the English title moves right of it.
      pdf.image(Buffer.from(doc.logo), x, top, { fit: [90, 40], valign: 'center' });
      titleX = x + 98;
      titleWidth = CONTENT_WIDTH - 98;
    }
    drawTextBlock(pdf, enTitle, titleX, top + 2, titleWidth, 'left');
    drawTextBlock(pdf, arTitle, x, top + 2, CONTENT_WIDTH, 'right');
    const sub = top + 2 + enTitle.height + 1;
    if (pageIndex === 0) {
      drawTextBlock(pdf, sellerEn, titleX, sub, titleWidth, 'left');
      drawTextBlock(pdf, sellerAr, x, sub, CONTENT_WIDTH, 'right');
    } else {
      drawTextBlock(pdf, continuedEn(), titleX, sub, titleWidth, 'left');
      drawTextBlock(pdf, continuedAr(), x, sub, CONTENT_WIDTH, 'right');
    }
    pdf.rect(x, top + PAGE.headerHeight - 4, CONTENT_WIDTH, 2).fill(COLORS.accent);

    // Footer: invoice number, page n of m in both languages.
    const count = pageCount();
    const fy = PAGE.height - 36;
    hRule(pdf, x, fy - 4, CONTENT_WIDTH);
    const pageEn = text(
      `${latin(doc, LABELS.page)} ${pageIndex + 1} ${latin(doc, LABELS.of)} ${count}`,
      STYLE.footer,
      200,
      'ltr',
    );
    const pageAr = text(
      isBilingual(doc)
        ? `${LABELS.page.ar} ${isolateLtr(String(pageIndex + 1))} ${LABELS.of.ar} ${isolateLtr(String(count))}`
        : '',
      STYLE.footer,
      200,
      'rtl',
    );
    const numberEn = text(doc.number, STYLE.footer, 200, 'ltr');
    drawTextBlock(pdf, numberEn, x, fy, 200, 'left');
    drawTextBlock(pdf, pageEn, x, fy, CONTENT_WIDTH, 'center');
    drawTextBlock(pdf, pageAr, x, fy, CONTENT_WIDTH, 'right');
    if (doc.pay_url) {
      const payEn = text(
        `${latin(doc, LABELS.payOnline)}: ${doc.pay_url}`,
        STYLE.footer,
        CONTENT_WIDTH,
        'ltr',
      );
      const payAr = text(isBilingual(doc) ? LABELS.payOnline.ar : '', STYLE.footer, 120, 'rtl');
      const py = fy + payEn.lineHeight;
      drawTextBlock(pdf, payEn, x, py, CONTENT_WIDTH, 'left');
      drawTextBlock(pdf, payAr, x, py, CONTENT_WIDTH, 'right');
      // A URI link annotation (allowed in PDF/A): the printed address is also clickable.
      pdf.link(x, py, payEn.width, payEn.height, doc.pay_url);
    }
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Page 1: document facts and QR code

function metaBlock(doc: InvoicePdfInput): Block {
  const isNote = doc.type === 'credit_note' || doc.type === 'debit_note';
  const isQuotation = doc.type === 'quotation';
  const isOrder = doc.type === 'purchase_order';
  const currency = doc.currency ?? doc.totals.totals.currency;
  const rows: Array<{ label: Bilingual; value: string; valueAr?: string }> = [
    {
      label: isOrder
        ? LABELS.orderNumber
        : isQuotation
          ? LABELS.quoteNumber
          : isNote
            ? LABELS.noteNumber
            : LABELS.invoiceNumber,
      value: doc.number,
    },
    { label: LABELS.issueDate, value: formatDateTime(doc.issue_date, doc.issue_time) },
  ];
  if (doc.supply_date) {
    const period = doc.supply_end_date ? `${doc.supply_date} – ${doc.supply_end_date}` : doc.supply_date;
    rows.push({ label: LABELS.supplyDate, value: period });
  }
  if (doc.due_date) {
    const label = isOrder ? LABELS.expectedDate : isQuotation ? LABELS.validUntil : LABELS.dueDate;
    rows.push({ label, value: doc.due_date });
  }
  rows.push({ label: LABELS.currency, value: currency });
  if (doc.original_invoice_number) {
    const original = doc.original_invoice_date
      ? `${doc.original_invoice_number} (${doc.original_invoice_date})`
      : doc.original_invoice_number;
    rows.push({ label: LABELS.originalInvoice, value: original });
  }
  if (doc.note_reason || doc.note_reason_ar) {
    rows.push({ label: LABELS.reason, value: doc.note_reason ?? '', valueAr: doc.note_reason_ar });
  }

  const qr: QrMatrix | undefined = doc.qr_payload ? qrMatrix(doc.qr_payload) : undefined;
  const side = qr ? qrSide(qr) : 0;
  const tableWidth = CONTENT_WIDTH - (qr ? side + GAP * 2 : 0);
  const labelWidth = 88;
  // An English-only document gives the Arabic labels' column to the values.
  const arLabelWidth = isBilingual(doc) ? 92 : 0;
  const valueWidth = tableWidth - labelWidth - arLabelWidth - 12;
  const measured = rows.map((row) => {
    const en = text(latin(doc, row.label), STYLE.label, labelWidth, 'ltr');
    const ar = text(arabicOf(doc, row.label), STYLE.label, arLabelWidth, 'rtl');
    const value = text(row.value, STYLE.value, valueWidth, 'ltr');
    const valueAr = row.valueAr ? text(row.valueAr, STYLE.value, valueWidth, 'rtl') : undefined;
    const height = Math.max(en.height, ar.height, value.height + (valueAr?.height ?? 0)) + 5;
    return { en, ar, value, valueAr, height };
  });
  const tableHeight = measured.reduce((sum, r) => sum + r.height, 0);
  const height = Math.max(tableHeight, side) + 4;

  return {
    height,
    draw(pdf, y) {
      const x = PAGE.marginX;
      let rowY = y;
      for (const [i, row] of measured.entries()) {
        if (i % 2 === 0) pdf.rect(x, rowY, tableWidth, row.height).fill(COLORS.band);
        drawTextBlock(pdf, row.en, x + 6, rowY + 3, labelWidth, 'left');
        drawTextBlock(pdf, row.value, x + 6 + labelWidth, rowY + 2.5, valueWidth, 'left');
        if (row.valueAr) {
          drawTextBlock(
            pdf,
            row.valueAr,
            x + 6 + labelWidth,
            rowY + 2.5 + row.value.height,
            valueWidth,
            'right',
          );
        }
        drawTextBlock(pdf, row.ar, x + tableWidth - arLabelWidth - 6, rowY + 3, arLabelWidth, 'right');
        rowY += row.height;
      }
      if (qr) {
        const qx = PAGE.marginX + CONTENT_WIDTH - side;
        drawQr(pdf, qr, qx, y, side);
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Seller and buyer

function partyBox(
  doc: InvoicePdfInput,
  heading: Bilingual,
  party: PdfParty,
  vatLabel: Bilingual,
  width: number,
) {
  const inner = width - 12;
  const head = bilingualLabel(doc, heading, STYLE.heading, inner);
  const nameEn = party.name_en ? text(party.name_en, STYLE.bodyBold, inner, 'ltr') : undefined;
  const nameAr = party.name_ar ? text(party.name_ar, STYLE.bodyBold, inner, 'rtl') : undefined;
  // Each fact on one row: English label | value | Arabic label, as on Saudi paper invoices.
  const enWidth = 58;
  const arWidth = isBilingual(doc) ? 72 : 0;
  const valueWidth = inner - enWidth - arWidth - 8;
  const rows: Array<{ en: TextBlock; ar: TextBlock; value: TextBlock; height: number }> = [];
  const addRow = (label: Bilingual, value: string | undefined, base: 'ltr' | 'auto' = 'ltr') => {
    if (!value) return;
    const en = text(latin(doc, label), STYLE.label, enWidth, 'ltr');
    const ar = text(arabicOf(doc, label), STYLE.label, arWidth, 'rtl');
    const valueBlock = text(value, STYLE.body, valueWidth, base);
    rows.push({ en, ar, value: valueBlock, height: Math.max(en.height, ar.height, valueBlock.height) + 1 });
  };
  addRow(vatLabel, party.vat_number);
  addRow(LABELS.crn, party.crn);
  addRow(LABELS.address, formatAddress(party.address), 'auto');
  const headHeight = head.height + 6;
  let height = headHeight + 4 + (nameEn?.height ?? 0) + (nameAr?.height ?? 0) + 3;
  for (const row of rows) height += row.height;
  height += 4;
  return {
    height,
    draw(pdf: PDFKit.PDFDocument, x: number, y: number, boxHeight: number) {
      pdf.rect(x, y, width, headHeight).fill(COLORS.band);
      pdf.rect(x, y, width, boxHeight).lineWidth(0.6).strokeColor(COLORS.rule).stroke();
      head.draw(pdf, x + 6, y + 3);
      let cy = y + headHeight + 4;
      if (nameEn) {
        drawTextBlock(pdf, nameEn, x + 6, cy, inner, 'left');
        cy += nameEn.height;
      }
      if (nameAr) {
        drawTextBlock(pdf, nameAr, x + 6, cy, inner, 'right');
        cy += nameAr.height;
      }
      cy += 3;
      for (const row of rows) {
        // Labels are smaller than values: nudge them down so baselines line up.
        drawTextBlock(pdf, row.en, x + 6, cy + 1, enWidth, 'left');
        drawTextBlock(pdf, row.value, x + 6 + enWidth + 4, cy, valueWidth, 'left');
        drawTextBlock(pdf, row.ar, x + 6 + inner - arWidth, cy + 1, arWidth, 'right');
        cy += row.height;
      }
    },
  };
}

function partiesBlock(doc: InvoicePdfInput): Block {
  const width = (CONTENT_WIDTH - GAP) / 2;
  const vatLabel = doc.tax_id_label === 'trn' ? LABELS.trn : LABELS.vatNumber;
  const sellerHeading = doc.type === 'purchase_order' ? LABELS.vendor : LABELS.seller;
  const seller = partyBox(doc, sellerHeading, doc.seller, vatLabel, width);
  const buyer = doc.buyer ? partyBox(doc, LABELS.buyer, doc.buyer, vatLabel, width) : undefined;
  const boxHeight = Math.max(seller.height, buyer?.height ?? 0);
  return {
    height: boxHeight,
    draw(pdf, y) {
      seller.draw(pdf, PAGE.marginX, y, boxHeight);
      buyer?.draw(pdf, PAGE.marginX + width + GAP, y, boxHeight);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Line table

interface Column {
  label: Bilingual;
  width: number;
  align: Align;
}

export const LINE_COLUMNS = {
  no: { label: LABELS.lineNo, width: 20, align: 'center' },
  description: { label: LABELS.description, width: 0, align: 'left' },
  quantity: { label: LABELS.quantity, width: 36, align: 'right' },
  unitPrice: { label: LABELS.unitPrice, width: 54, align: 'right' },
  taxable: { label: LABELS.taxableAmount, width: 58, align: 'right' },
  vatRate: { label: LABELS.vatRate, width: 36, align: 'right' },
  vatAmount: { label: LABELS.vatAmount, width: 50, align: 'right' },
  total: { label: LABELS.lineTotal, width: 60, align: 'right' },
} satisfies Record<string, Column>;

type ColumnKey = keyof typeof LINE_COLUMNS;
const COLUMN_ORDER: ColumnKey[] = [
  'no',
  'description',
  'quantity',
  'unitPrice',
  'taxable',
  'vatRate',
  'vatAmount',
  'total',
];
const CELL_PAD_X = 4;
const CELL_PAD_Y = 3.5;

function columnLayout(): Array<{ key: ColumnKey; x: number; width: number; align: Align; label: Bilingual }> {
  const fixed = COLUMN_ORDER.reduce((sum, key) => sum + LINE_COLUMNS[key].width, 0);
  let x = PAGE.marginX;
  return COLUMN_ORDER.map((key) => {
    const column = LINE_COLUMNS[key];
    const width = key === 'description' ? CONTENT_WIDTH - fixed : column.width;
    const placed = { key, x, width, align: column.align, label: column.label };
    x += width;
    return placed;
  });
}

const COLUMNS = columnLayout();

function tableHeaderBlock(doc: InvoicePdfInput, columns: typeof COLUMNS): Block {
  const cells = columns.map((column) => {
    const inner = column.width - 2 * CELL_PAD_X;
    const en = text(latin(doc, column.label), STYLE.tableHead, inner, 'ltr');
    const ar = text(arabicOf(doc, column.label), STYLE.tableHead, inner, 'rtl');
    // Description header reads "Description ... الوصف" across the cell like the rows below it.
    const align: Align = column.key === 'description' ? 'left' : column.align;
    return { column, en, ar, inner, align };
  });
  const height = Math.max(...cells.map((c) => c.en.height + c.ar.height)) + 2 * CELL_PAD_Y;
  return {
    height,
    draw(pdf, y) {
      pdf.rect(PAGE.marginX, y, CONTENT_WIDTH, height).fill(COLORS.band);
      hRule(pdf, PAGE.marginX, y + height, CONTENT_WIDTH, COLORS.accent);
      for (const cell of cells) {
        const x = cell.column.x + CELL_PAD_X;
        drawTextBlock(pdf, cell.en, x, y + CELL_PAD_Y, cell.inner, cell.align);
        const arAlign: Align = cell.column.key === 'description' ? 'right' : cell.align;
        drawTextBlock(pdf, cell.ar, x, y + CELL_PAD_Y + cell.en.height, cell.inner, arAlign);
      }
    },
  };
}

function allowanceChargeText(doc: InvoicePdfInput, line: LineResult): string {
  return line.allowances_charges
    .map((ac) => {
      const kind = latin(doc, ac.is_charge ? LABELS.charge : LABELS.allowance);
      const percent = ac.percent ? ` ${formatRate(ac.percent)}` : '';
      const reason = ac.reason ? ` (${ac.reason})` : '';
      return `${kind}${percent}${reason}: ${ac.is_charge ? '' : '-'}${formatAmount(ac.amount)}`;
    })
    .join('\n');
}

function lineRowBlock(doc: InvoicePdfInput, index: number, line: LineResult, shaded: boolean): Block {
  const texts = doc.lines[index] ?? {};
  const descColumn = COLUMNS[1] as (typeof COLUMNS)[number];
  const inner = descColumn.width - 2 * CELL_PAD_X;
  const en = texts.description ? text(texts.description, STYLE.body, inner, 'ltr') : undefined;
  const ar = texts.description_ar ? text(texts.description_ar, STYLE.body, inner, 'rtl') : undefined;
  const extras =
    line.allowances_charges.length > 0
      ? text(allowanceChargeText(doc, line), STYLE.small, inner, 'ltr')
      : undefined;
  const exemption = line.exemption_reason
    ? text(line.exemption_reason, STYLE.small, inner, 'auto')
    : undefined;
  const values: Record<Exclude<ColumnKey, 'description'>, string> = {
    no: String(index + 1),
    quantity: `${formatQuantity(line.quantity)}${line.unit_code && line.unit_code !== 'PCE' ? ` ${line.unit_code}` : ''}`,
    unitPrice: formatAmount(line.unit_price),
    taxable: formatAmount(line.net_amount),
    vatRate: `${line.vat_category} ${formatRate(line.vat_rate)}`,
    vatAmount: formatAmount(line.vat_amount),
    total: formatAmount(line.amount_with_vat),
  };
  const cells = COLUMNS.filter((c) => c.key !== 'description').map((column) => ({
    column,
    block: text(
      values[column.key as Exclude<ColumnKey, 'description'>],
      STYLE.body,
      column.width - 2 * CELL_PAD_X,
      'ltr',
    ),
  }));
  const descHeight = (en?.height ?? 0) + (ar?.height ?? 0) + (extras?.height ?? 0) + (exemption?.height ?? 0);
  const height = Math.max(descHeight, ...cells.map((c) => c.block.height)) + 2 * CELL_PAD_Y;
  return {
    height,
    draw(pdf, y) {
      if (shaded) pdf.rect(PAGE.marginX, y, CONTENT_WIDTH, height).fill('#f7f9fb');
      const dx = descColumn.x + CELL_PAD_X;
      let cy = y + CELL_PAD_Y;
      for (const [block, align] of [
        [en, 'left'],
        [ar, 'right'],
        [extras, 'left'],
        [exemption, 'left'],
      ] as const) {
        if (!block) continue;
        drawTextBlock(pdf, block, dx, cy, inner, align);
        cy += block.height;
      }
      for (const cell of cells) {
        drawTextBlock(
          pdf,
          cell.block,
          cell.column.x + CELL_PAD_X,
          y + CELL_PAD_Y,
          cell.column.width - 2 * CELL_PAD_X,
          cell.column.align,
        );
      }
      hRule(pdf, PAGE.marginX, y + height, CONTENT_WIDTH);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Document-level allowances and charges

/** Document-level allowances and charges, drawn above the VAT breakdown (they explain its taxable amounts). */
function allowanceChargeTable(doc: InvoicePdfInput, width: number) {
  const list = doc.totals.allowances_charges;
  const title = bilingualLabel(doc, LABELS.allowancesCharges, STYLE.heading, width);
  const amountWidth = 62;
  const catWidth = 38;
  const kindWidth = 68;
  const reasonWidth = width - amountWidth - catWidth - kindWidth;
  const rows = list.map((ac) => {
    const label = ac.is_charge ? LABELS.charge : LABELS.allowance;
    const kind = bilingualLabel(doc, label, STYLE.body, kindWidth - 6);
    const reason = text(
      [ac.reason, ac.reason_code ? `[${ac.reason_code}]` : ''].filter(Boolean).join(' '),
      STYLE.body,
      reasonWidth - 8,
      'auto',
    );
    const category = text(
      ac.vat_category ? `${ac.vat_category} ${ac.vat_rate ? formatRate(ac.vat_rate) : ''}` : '',
      STYLE.body,
      catWidth - 4,
      'ltr',
    );
    const amount = text(
      `${ac.is_charge ? '' : '-'}${formatAmount(ac.amount)}`,
      STYLE.body,
      amountWidth - 8,
      'ltr',
    );
    const height = Math.max(kind.height, reason.height, category.height, amount.height) + 5;
    return { kind, reason, category, amount, height };
  });
  const height = list.length === 0 ? 0 : title.height + 4 + rows.reduce((sum, r) => sum + r.height, 0) + GAP;
  return {
    height,
    draw(pdf: PDFKit.PDFDocument, x: number, y: number) {
      if (list.length === 0) return;
      title.draw(pdf, x, y);
      let cy = y + title.height + 4;
      hRule(pdf, x, cy, width, COLORS.accent);
      for (const row of rows) {
        row.kind.draw(pdf, x + 2, cy + 2.5);
        drawTextBlock(pdf, row.reason, x + kindWidth + 4, cy + 2.5, reasonWidth - 8, 'left');
        drawTextBlock(pdf, row.category, x + kindWidth + reasonWidth, cy + 2.5, catWidth - 4, 'left');
        drawTextBlock(pdf, row.amount, x + width - amountWidth + 4, cy + 2.5, amountWidth - 8, 'right');
        cy += row.height;
        hRule(pdf, x, cy, width);
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// VAT breakdown and totals, side by side and never split

function vatBreakdownTable(doc: InvoicePdfInput, width: number) {
  const catWidth = width - 32 - 64 - 56;
  const cols = [
    { label: LABELS.category, width: catWidth, align: 'left' as Align },
    { label: LABELS.rate, width: 32, align: 'right' as Align },
    { label: LABELS.taxable, width: 64, align: 'right' as Align },
    { label: LABELS.vatAmount, width: 56, align: 'right' as Align },
  ];
  const head = cols.map((c) => ({
    en: text(latin(doc, c.label), STYLE.tableHead, c.width - 8, 'ltr'),
    ar: text(arabicOf(doc, c.label), STYLE.tableHead, c.width - 8, 'rtl'),
  }));
  const headHeight = Math.max(...head.map((h) => h.en.height + h.ar.height)) + 6;
  const title = bilingualLabel(doc, LABELS.vatBreakdown, STYLE.heading, width);
  const rows = doc.totals.vat_breakdown.map((vat) => {
    const name = VAT_CATEGORY_NAMES[vat.category] ?? { en: vat.category, ar: '' };
    const category = bilingualLabel(
      doc,
      { en: `${vat.category} · ${latin(doc, name)}`, ar: name.ar },
      STYLE.body,
      catWidth - 8,
    );
    const reason = vat.exemption_reason
      ? text(
          [vat.exemption_reason_code, vat.exemption_reason].filter(Boolean).join(' '),
          STYLE.small,
          catWidth - 8,
          'auto',
        )
      : undefined;
    const cells = [
      text(formatRate(vat.rate), STYLE.body, 30, 'ltr'),
      text(formatAmount(vat.taxable_amount), STYLE.body, 62, 'ltr'),
      text(formatAmount(vat.vat_amount), STYLE.body, 54, 'ltr'),
    ];
    const height = category.height + (reason?.height ?? 0) + 6;
    return { category, reason, cells, height };
  });
  const height = title.height + 4 + headHeight + rows.reduce((s, r) => s + r.height, 0);
  return {
    height,
    draw(pdf: PDFKit.PDFDocument, x: number, y: number) {
      title.draw(pdf, x, y);
      let cy = y + title.height + 4;
      pdf.rect(x, cy, width, headHeight).fill(COLORS.band);
      let cx = x;
      for (const [i, c] of cols.entries()) {
        const h = head[i];
        if (h) {
          drawTextBlock(pdf, h.en, cx + 4, cy + 3, c.width - 8, c.align);
          drawTextBlock(
            pdf,
            h.ar,
            cx + 4,
            cy + 3 + h.en.height,
            c.width - 8,
            c.align === 'left' ? 'right' : c.align,
          );
        }
        cx += c.width;
      }
      cy += headHeight;
      hRule(pdf, x, cy, width, COLORS.accent);
      for (const row of rows) {
        let ry = cy + 3;
        row.category.draw(pdf, x + 4, ry);
        ry += row.category.height;
        if (row.reason) drawTextBlock(pdf, row.reason, x + 4, ry, catWidth - 8, 'left');
        let vx = x + catWidth;
        for (const [i, cell] of row.cells.entries()) {
          const colWidth = (cols[i + 1] as (typeof cols)[number]).width;
          drawTextBlock(pdf, cell, vx + 4, cy + 3, colWidth - 8, 'right');
          vx += colWidth;
        }
        cy += row.height;
        hRule(pdf, x, cy, width);
      }
    },
  };
}

function totalsTable(doc: InvoicePdfInput, width: number) {
  const t = doc.totals.totals;
  const currency = doc.currency ?? t.currency;
  const amountWidth = 78;
  const labelWidth = width - amountWidth;
  const rows: Array<{ label: Bilingual; amount: string; strong?: boolean; payable?: boolean }> = [
    { label: LABELS.subtotal, amount: t.line_extension_amount },
  ];
  if (!isZero(t.allowance_total_amount))
    rows.push({ label: LABELS.totalAllowances, amount: `-${t.allowance_total_amount}` });
  if (!isZero(t.charge_total_amount))
    rows.push({ label: LABELS.totalCharges, amount: t.charge_total_amount });
  rows.push({ label: LABELS.totalTaxable, amount: t.tax_exclusive_amount, strong: true });
  rows.push({ label: LABELS.totalVat, amount: t.tax_amount });
  rows.push({ label: LABELS.totalInclVat, amount: t.tax_inclusive_amount, strong: true });
  if (!isZero(t.prepaid_amount)) rows.push({ label: LABELS.prepaid, amount: `-${t.prepaid_amount}` });
  if (!isZero(t.rounding_amount)) rows.push({ label: LABELS.rounding, amount: t.rounding_amount });
  rows.push({ label: LABELS.payable, amount: t.payable_amount, payable: true });
  if (t.tax_currency && t.tax_currency !== currency && t.tax_amount_in_tax_currency) {
    rows.push({
      label: {
        en: `${latin(doc, LABELS.vatInTaxCurrency)} ${t.tax_currency}`,
        ar: `${LABELS.vatInTaxCurrency.ar} ${isolateLtr(t.tax_currency)}`,
      },
      amount: t.tax_amount_in_tax_currency,
    });
    if (t.exchange_rate) {
      rows.push({
        label: LABELS.exchangeRate,
        amount: `1 ${currency} = ${t.exchange_rate} ${t.tax_currency}`,
      });
    }
  }
  const measured = rows.map((row) => {
    const style: TextStyle = row.payable ? STYLE.payable : row.strong ? STYLE.bodyBold : STYLE.body;
    const label = bilingualLabel(doc, row.label, style, labelWidth - 12);
    const amountText = row.payable ? `${currency} ${formatAmount(row.amount)}` : formatAmount(row.amount);
    const amount = text(amountText, style, amountWidth + 40, 'ltr');
    const height = Math.max(label.height, amount.height) + (row.payable ? 9 : 4);
    return { row, label, amount, height };
  });
  const height = measured.reduce((s, r) => s + r.height, 0);
  return {
    height,
    draw(pdf: PDFKit.PDFDocument, x: number, y: number) {
      let cy = y;
      for (const m of measured) {
        if (m.row.payable) {
          pdf.rect(x, cy, width, m.height).fill(COLORS.accent);
        } else if (m.row.strong) {
          pdf.rect(x, cy, width, m.height).fill(COLORS.band);
        }
        const pad = m.row.payable ? 4.5 : 2;
        m.label.draw(pdf, x + 6, cy + pad);
        drawTextBlock(pdf, m.amount, x + 6, cy + pad, width - 12, 'right');
        cy += m.height;
        if (!m.row.payable) hRule(pdf, x, cy, width);
      }
    },
  };
}

function summaryBlock(doc: InvoicePdfInput): Block {
  const totalsWidth = 256;
  const leftWidth = CONTENT_WIDTH - totalsWidth - GAP * 2;
  const allowances = allowanceChargeTable(doc, leftWidth);
  const vat = vatBreakdownTable(doc, leftWidth);
  const totals = totalsTable(doc, totalsWidth);
  return {
    height: Math.max(allowances.height + vat.height, totals.height),
    draw(pdf, y) {
      allowances.draw(pdf, PAGE.marginX, y);
      vat.draw(pdf, PAGE.marginX, y + allowances.height);
      totals.draw(pdf, PAGE.marginX + CONTENT_WIDTH - totalsWidth, y);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Notes and payment terms

function paragraphBlocks(
  doc: InvoicePdfInput,
  label: Bilingual,
  en: string | undefined,
  ar: string | undefined,
): Block[] {
  if (!en && !ar) return [];
  const title = bilingualLabel(doc, label, STYLE.heading, CONTENT_WIDTH);
  const enBlock = en ? text(en, STYLE.body, CONTENT_WIDTH, 'ltr') : undefined;
  const arBlock = ar ? text(ar, STYLE.body, CONTENT_WIDTH, 'rtl') : undefined;
  const height = title.height + 2 + (enBlock?.height ?? 0) + (arBlock?.height ?? 0) + 4;
  return [
    {
      height,
      draw(pdf, y) {
        title.draw(pdf, PAGE.marginX, y);
        let cy = y + title.height + 2;
        if (enBlock) {
          drawTextBlock(pdf, enBlock, PAGE.marginX, cy, CONTENT_WIDTH, 'left');
          cy += enBlock.height;
        }
        if (arBlock) drawTextBlock(pdf, arBlock, PAGE.marginX, cy, CONTENT_WIDTH, 'right');
      },
    },
  ];
}

function spacer(height: number): Block {
  return { height, draw() {} };
}

// ---------------------------------------------------------------------------------------------------------------
// Pagination

/** First y below the title band. */
export const CONTENT_TOP = PAGE.top + PAGE.headerHeight + 8;

export function planInvoice(input: InvoicePdfInput): InvoicePlan {
  const doc = withoutBidiControls(input);
  const pages: PlannedPage[] = [{ items: [], lineIndexes: [] }];
  let y = CONTENT_TOP;
  const current = () => pages[pages.length - 1] as PlannedPage;
  const newPage = () => {
    pages.push({ items: [], lineIndexes: [] });
    y = CONTENT_TOP;
  };
  const place = (block: Block) => {
    current().items.push({ y, block });
    y += block.height;
  };
  const fits = (height: number) => y + height <= PAGE.bottom;
  /** Places a block, moving to a new page first if it does not fit (unless the page is still empty). */
  const placeKept = (block: Block) => {
    if (!fits(block.height) && y > CONTENT_TOP) newPage();
    place(block);
  };

  place(metaBlock(doc));
  place(spacer(GAP));
  place(partiesBlock(doc));
  place(spacer(GAP + 2));

  // Rows: the table header is repeated at the top of every page the table continues on.
  const header = tableHeaderBlock(doc, COLUMNS);
  const lines = doc.totals.lines;
  if (lines.length > 0) {
    const first = lineRowBlock(doc, 0, lines[0] as LineResult, false);
    if (!fits(header.height + first.height)) newPage();
    place(header);
    for (const [i, line] of lines.entries()) {
      const row = i === 0 ? first : lineRowBlock(doc, i, line, i % 2 === 1);
      if (!fits(row.height)) {
        newPage();
        place(header);
      }
      current().lineIndexes.push(i);
      place(row);
    }
  }

  place(spacer(GAP + 2));
  placeKept(summaryBlock(doc));

  const paragraphs = [
    ...paragraphBlocks(doc, LABELS.paymentTerms, doc.payment_terms, doc.payment_terms_ar),
    ...paragraphBlocks(doc, LABELS.notes, doc.notes, doc.notes_ar),
  ];
  for (const paragraph of paragraphs) {
    place(spacer(GAP));
    placeKept(paragraph);
  }

  const frame = pageFrame(doc, () => pages.length);
  return {
    pages,
    drawPageFrame(pdf, pageIndex) {
      frame(pdf, pageIndex);
    },
  };
}
