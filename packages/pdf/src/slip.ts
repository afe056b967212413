// A thermal-roll slip (80 mm paper, 72 mm printed): receipts and cash-session reports. Rows are measured first,
// then the page is made exactly as tall as they are, as a roll printer cuts it. English, Arabic, or both: in
// Arabic a row reads from the right (label at the right, amount at the left), in both the English label stands
// at the left and the Arabic one beside it, the amount at the right.
import PDFDocument from 'pdfkit';
import { isolateLtr } from './arabic-text';
import { drawTextBlock, type TextBlock, type TextStyle, textBlock } from './draw-text';
import { FONTS } from './fonts';
import type { Bilingual } from './labels';
import { collectPageContent, deflateStreams, skipRepeatedFillColors } from './pdf-output';
import { drawQr, qrMatrix } from './qr-image';

/** Which languages a slip prints. */
export type SlipLanguage = 'en' | 'ar' | 'both';

const MM = 72 / 25.4;
export const SLIP = {
  width: 80 * MM,
  printWidth: 72 * MM,
  marginX: 4 * MM,
  top: 4 * MM,
  bottom: 6 * MM,
} as const;

const INK = '#000000';
const STYLE = {
  title: { weight: 'bold', size: 10, color: INK, leading: 1.35 },
  seller: { weight: 'bold', size: 8.5, color: INK, leading: 1.35 },
  body: { weight: 'regular', size: 7.5, color: INK, leading: 1.4 },
  bold: { weight: 'bold', size: 7.5, color: INK, leading: 1.4 },
  total: { weight: 'bold', size: 9, color: INK, leading: 1.4 },
  small: { weight: 'regular', size: 6.5, color: INK, leading: 1.35 },
} as const satisfies Record<string, TextStyle>;

export type SlipRow =
  | { kind: 'title'; label: Bilingual }
  /** A text of its own (the seller's name): centred; `ar` marks Arabic text, printed only where Arabic is. */
  | { kind: 'center'; text: string; isArabic?: boolean; bold?: boolean }
  | { kind: 'pair'; label: Bilingual; value: string; emphasis?: 'bold' | 'total' }
  | { kind: 'heading'; label: Bilingual }
  /** A sold line: its name(s), "qty × price" under them and the amount at the end. */
  | { kind: 'item'; name?: string; nameAr?: string; detail: string; amount: string }
  /** A small table: the header labels, then rows of values (numbers), first column the widest. */
  | { kind: 'table'; header: Bilingual[]; rows: string[][] }
  | { kind: 'rule' }
  | { kind: 'qr'; payload: string }
  | { kind: 'space'; height: number };

export interface SlipInput {
  language: SlipLanguage;
  rows: SlipRow[];
  /** PDF metadata. */
  title: string;
  author: string;
  /** The instant the slip is dated by (ISO 8601): the metadata never reads the clock, so a reprint is the same. */
  dated_at: string;
}

interface Block {
  height: number;
  draw(pdf: PDFKit.PDFDocument, y: number): void;
}

const X = SLIP.marginX;
const W = SLIP.printWidth;
const hasEn = (language: SlipLanguage) => language !== 'ar';
const hasAr = (language: SlipLanguage) => language !== 'en';

function text(value: string, style: TextStyle, width: number, base: 'ltr' | 'rtl' | 'auto' = 'auto') {
  return textBlock(value, style, width, base);
}

function stack(blocks: Array<{ block: TextBlock; align: 'left' | 'right' | 'center' }>): Block {
  const present = blocks.filter(({ block }) => block.lines.length > 0);
  return {
    height: present.reduce((sum, { block }) => sum + block.height, 0),
    draw(pdf, y) {
      let top = y;
      for (const { block, align } of present) {
        drawTextBlock(pdf, block, X, top, W, align);
        top += block.height;
      }
    },
  };
}

function titleBlock(label: Bilingual, language: SlipLanguage): Block {
  return stack([
    ...(hasEn(language) ? [{ block: text(label.en, STYLE.title, W, 'ltr'), align: 'center' as const }] : []),
    ...(hasAr(language) ? [{ block: text(label.ar, STYLE.title, W, 'rtl'), align: 'center' as const }] : []),
  ]);
}

/** Label(s) and a value on one row; the labels wrap within their part, the value never does. */
function pairBlock(label: Bilingual, value: string, language: SlipLanguage, style: TextStyle): Block {
  const valueBlock = text(value, style, W, 'ltr');
  const labelWidth = Math.max(40, W - valueBlock.width - 6);
  const en = hasEn(language) ? text(label.en, style, labelWidth, 'ltr') : undefined;
  const ar = hasAr(language) ? text(label.ar, style, labelWidth, 'rtl') : undefined;
  const sideBySide = !en || !ar || en.width + ar.width + 4 <= labelWidth;
  const labelsHeight = sideBySide
    ? Math.max(en?.height ?? 0, ar?.height ?? 0)
    : (en?.height ?? 0) + (ar?.height ?? 0);
  return {
    height: Math.max(labelsHeight, valueBlock.height),
    draw(pdf, y) {
      if (language === 'ar') {
        // Right to left: the label at the right, the amount at the left.
        if (ar) drawTextBlock(pdf, ar, X, y, W, 'right');
        drawTextBlock(pdf, valueBlock, X, y, W, 'left');
        return;
      }
      if (en) drawTextBlock(pdf, en, X, y, labelWidth, 'left');
      if (ar) drawTextBlock(pdf, ar, X, sideBySide ? y : y + (en?.height ?? 0), labelWidth, 'right');
      drawTextBlock(pdf, valueBlock, X, y, W, 'right');
    },
  };
}

function itemBlock(row: Extract<SlipRow, { kind: 'item' }>, language: SlipLanguage): Block {
  const style = STYLE.body;
  const names: Array<{ block: TextBlock; align: 'left' | 'right' }> = [];
  const en = row.name ?? row.nameAr ?? '';
  const ar = row.nameAr ?? row.name ?? '';
  if (language === 'en' || (language === 'both' && row.name)) {
    names.push({ block: text(en, STYLE.bold, W, 'auto'), align: 'left' });
  }
  if (hasAr(language) && (language === 'ar' || row.nameAr)) {
    names.push({ block: text(ar, STYLE.bold, W, 'auto'), align: 'right' });
  }
  const detail = text(row.detail, style, W / 2, 'ltr');
  const amount = text(row.amount, style, W / 2, 'ltr');
  const namesHeight = names.reduce((sum, { block }) => sum + block.height, 0);
  return {
    height: namesHeight + Math.max(detail.height, amount.height),
    draw(pdf, y) {
      let top = y;
      for (const { block, align } of names) {
        drawTextBlock(pdf, block, X, top, W, align);
        top += block.height;
      }
      const rtl = language === 'ar';
      drawTextBlock(pdf, detail, X, top, W, rtl ? 'right' : 'left');
      drawTextBlock(pdf, amount, X, top, W, rtl ? 'left' : 'right');
    },
  };
}

function tableBlock(row: Extract<SlipRow, { kind: 'table' }>, language: SlipLanguage): Block {
  const columns = row.header.length;
  const cellWidth = W / columns;
  const rtl = language === 'ar';
  // Arabic reads the columns from the right: the first column is drawn at the right edge.
  const xOf = (index: number) => (rtl ? X + W - (index + 1) * cellWidth : X + index * cellWidth);
  const heads = row.header.map((label, index) =>
    stackCell(
      [
        ...(hasEn(language) ? [text(label.en, STYLE.bold, cellWidth - 2, 'ltr')] : []),
        ...(hasAr(language) ? [text(label.ar, STYLE.bold, cellWidth - 2, 'rtl')] : []),
      ],
      index,
      rtl,
    ),
  );
  const headHeight = Math.max(...heads.map((head) => head.height));
  const body = row.rows.map((cells) => cells.map((cell) => text(cell, STYLE.body, cellWidth - 2, 'ltr')));
  const rowHeight = (cells: TextBlock[]) => Math.max(...cells.map((cell) => cell.height));
  return {
    height: headHeight + body.reduce((sum, cells) => sum + rowHeight(cells), 0),
    draw(pdf, y) {
      heads.forEach((head, index) => {
        head.draw(pdf, xOf(index), y, cellWidth);
      });
      let top = y + headHeight;
      for (const cells of body) {
        cells.forEach((cell, index) => {
          // Numbers line up at the column's far side; the first column (the piece) at its near side.
          const align = index === 0 ? (rtl ? 'right' : 'left') : rtl ? 'left' : 'right';
          drawTextBlock(pdf, cell, xOf(index), top, cellWidth, align);
        });
        top += rowHeight(cells);
      }
    },
  };
}

function stackCell(blocks: TextBlock[], index: number, rtl: boolean) {
  return {
    height: blocks.reduce((sum, block) => sum + block.height, 0),
    draw(pdf: PDFKit.PDFDocument, x: number, y: number, width: number) {
      let top = y;
      for (const block of blocks) {
        const align = index === 0 ? (rtl ? 'right' : 'left') : rtl ? 'left' : 'right';
        drawTextBlock(pdf, block, x, top, width, align);
        top += block.height;
      }
    },
  };
}

function ruleBlock(): Block {
  return {
    height: 7,
    draw(pdf, y) {
      pdf
        .moveTo(X, y + 3.5)
        .lineTo(X + W, y + 3.5)
        .lineWidth(0.5)
        .dash(1.5, { space: 1.5 })
        .strokeColor(INK)
        .stroke()
        .undash();
    },
  };
}

function qrBlock(payload: string): Block {
  const matrix = qrMatrix(payload);
  // About 0.5 mm a module: thermal heads print 8 dots a millimetre, phones read it from the paper.
  const side = Math.min(W * 0.7, Math.max(30 * MM, (matrix.size + 8) * 0.5 * MM));
  return {
    height: side + 4,
    draw(pdf, y) {
      drawQr(pdf, matrix, X + (W - side) / 2, y + 2, side);
    },
  };
}

function blockOf(row: SlipRow, language: SlipLanguage): Block | undefined {
  switch (row.kind) {
    case 'title':
      return titleBlock(row.label, language);
    case 'center':
      if (row.isArabic && !hasAr(language)) return undefined;
      if (row.text === '') return undefined;
      return stack([
        { block: text(row.text, row.bold ? STYLE.seller : STYLE.body, W, 'auto'), align: 'center' },
      ]);
    case 'pair':
      return pairBlock(
        row.label,
        row.value,
        language,
        row.emphasis === 'total' ? STYLE.total : row.emphasis === 'bold' ? STYLE.bold : STYLE.body,
      );
    case 'heading':
      return pairBlock(row.label, '', language, STYLE.bold);
    case 'item':
      return itemBlock(row, language);
    case 'table':
      return tableBlock(row, language);
    case 'rule':
      return ruleBlock();
    case 'qr':
      return qrBlock(row.payload);
    case 'space':
      return { height: row.height, draw() {} };
  }
}

/** "3 × 12.50" with the numbers kept in one piece inside Arabic text. */
export function timesText(quantity: string, price: string): string {
  return `${isolateLtr(quantity)} × ${isolateLtr(price)}`;
}

export async function renderSlipPdf(input: SlipInput): Promise<Buffer> {
  const blocks = input.rows.flatMap((row) => {
    const block = blockOf(row, input.language);
    return block ? [block] : [];
  });
  const height = SLIP.top + blocks.reduce((sum, block) => sum + block.height, 0) + SLIP.bottom;
  const dated = new Date(Math.floor(new Date(input.dated_at).getTime() / 1000) * 1000);
  if (Number.isNaN(dated.getTime())) throw new RangeError(`Invalid slip instant: ${input.dated_at}`);
  const metadata = (value: string) => value.replace(/[<>&]/g, ' ').replace(/\s+/g, ' ').trim();
  const pdf = new PDFDocument({
    size: [SLIP.width, height],
    margin: 0,
    autoFirstPage: false,
    font: '',
    pdfVersion: '1.7',
    lang: input.language === 'ar' ? 'ar' : 'en',
    displayTitle: true,
    info: {
      Title: metadata(input.title),
      Author: metadata(input.author),
      Creator: 'InvoiceFlow',
      Producer: 'InvoiceFlow',
      CreationDate: dated,
      ModDate: dated,
    },
  });
  deflateStreams(pdf);
  pdf.registerFont('regular', FONTS.regular.pdfkitSource);
  pdf.registerFont('bold', FONTS.bold.pdfkitSource);
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  // Synchronous from here to the end (see render-invoice-pdf.ts: the fonts' shared direction state).
  const content = collectPageContent(pdf);
  skipRepeatedFillColors(pdf);
  pdf.addPage({ size: [SLIP.width, height], margin: 0 });
  let y = SLIP.top;
  for (const block of blocks) {
    block.draw(pdf, y);
    y += block.height;
  }
  content.finish();
  pdf.end();
  return finished;
}
