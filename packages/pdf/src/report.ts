// A report as a table on A4 landscape pages: the title in English and Arabic, a few lines saying what it covers,
// then the columns (headed in both languages) and the rows, the header repeated on every page and the total row
// last. Cells are laid out with the invoice's fonts and bidi handling, so an Arabic customer name reads right.
import PDFDocument from 'pdfkit';
import { drawTextBlock, type TextBlock, type TextStyle, textBlock } from './draw-text';
import { FONTS } from './fonts';
import type { Bilingual } from './labels';
import { collectPageContent, deflateStreams, skipRepeatedFillColors } from './pdf-output';

export interface ReportColumn {
  label: Bilingual;
  /** Amounts and counts: aligned to the column's end. */
  isNumeric?: boolean;
  /** Relative width (default 1). */
  weight?: number;
}

export interface ReportPdfInput {
  title: Bilingual;
  /** Under the title: the company, the period, the currency. */
  lines: string[];
  columns: ReportColumn[];
  rows: string[][];
  /** The last row, in bold. */
  total?: string[];
  author: string;
  /** The instant the report is dated by (ISO 8601); the metadata never reads the clock. */
  dated_at: string;
}

const PAGE_SIZE: [number, number] = [841.89, 595.28];
const MARGIN = 36;
const WIDTH = PAGE_SIZE[0] - 2 * MARGIN;
const BOTTOM = PAGE_SIZE[1] - MARGIN - 14;
const INK = '#111827';
const MUTED = '#4b5563';
const STYLE = {
  title: { weight: 'bold', size: 15, color: INK, leading: 1.4 },
  line: { weight: 'regular', size: 9, color: MUTED, leading: 1.45 },
  head: { weight: 'bold', size: 8, color: INK, leading: 1.4 },
  cell: { weight: 'regular', size: 8.5, color: INK, leading: 1.45 },
  total: { weight: 'bold', size: 8.5, color: INK, leading: 1.45 },
  footer: { weight: 'regular', size: 7.5, color: MUTED, leading: 1.3 },
} as const satisfies Record<string, TextStyle>;
const PAD = 3;

interface Row {
  cells: TextBlock[];
  height: number;
}

export async function renderReportPdf(input: ReportPdfInput): Promise<Buffer> {
  const weights = input.columns.map((c) => c.weight ?? 1);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => (WIDTH * w) / totalWeight);
  const lefts = widths.map((_, i) => MARGIN + widths.slice(0, i).reduce((a, b) => a + b, 0));
  const rowOf = (cells: string[], style: TextStyle): Row => {
    const blocks = input.columns.map((_, i) =>
      textBlock(cells[i] ?? '', style, (widths[i] ?? 0) - 2 * PAD, 'auto'),
    );
    return { cells: blocks, height: Math.max(style.size * 1.45, ...blocks.map((b) => b.height)) + 2 * PAD };
  };
  const heads = input.columns.map((c, i) => [
    textBlock(c.label.en, STYLE.head, (widths[i] ?? 0) - 2 * PAD, 'ltr'),
    textBlock(c.label.ar, STYLE.head, (widths[i] ?? 0) - 2 * PAD, 'rtl'),
  ]);
  const headHeight = Math.max(...heads.map(([en, ar]) => (en?.height ?? 0) + (ar?.height ?? 0))) + 2 * PAD;
  const body = input.rows.map((cells) => rowOf(cells, STYLE.cell));
  const total = input.total ? rowOf(input.total, STYLE.total) : undefined;
  const title = [
    textBlock(input.title.en, STYLE.title, WIDTH, 'ltr'),
    textBlock(input.title.ar, STYLE.title, WIDTH, 'rtl'),
  ];
  const lines = input.lines.map((line) => textBlock(line, STYLE.line, WIDTH, 'auto'));
  const intro = title.reduce((h, b) => h + b.height, 0) + lines.reduce((h, b) => h + b.height, 0) + 10;

  // Pages planned first, so every footer can say "page n of N".
  const pages: Row[][] = [[]];
  let y = MARGIN + intro + headHeight;
  for (const row of [...body, ...(total ? [total] : [])]) {
    if (y + row.height > BOTTOM && (pages[pages.length - 1]?.length ?? 0) > 0) {
      pages.push([]);
      y = MARGIN + headHeight;
    }
    pages[pages.length - 1]?.push(row);
    y += row.height;
  }

  const dated = new Date(Math.floor(new Date(input.dated_at).getTime() / 1000) * 1000);
  if (Number.isNaN(dated.getTime())) throw new RangeError(`Invalid report instant: ${input.dated_at}`);
  const metadata = (value: string) => value.replace(/[<>&]/g, ' ').replace(/\s+/g, ' ').trim();
  const pdf = new PDFDocument({
    size: PAGE_SIZE,
    margin: 0,
    autoFirstPage: false,
    font: '',
    pdfVersion: '1.7',
    lang: 'en',
    displayTitle: true,
    info: {
      Title: metadata(input.title.en),
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
  pages.forEach((rows, pageIndex) => {
    if (pageIndex > 0) content.endPage();
    pdf.addPage({ size: PAGE_SIZE, margin: 0 });
    let top = MARGIN;
    if (pageIndex === 0) {
      drawTextBlock(pdf, title[0] as TextBlock, MARGIN, top, WIDTH, 'left');
      drawTextBlock(pdf, title[1] as TextBlock, MARGIN, top, WIDTH, 'right');
      top += Math.max(title[0]?.height ?? 0, title[1]?.height ?? 0);
      for (const line of lines) {
        drawTextBlock(pdf, line, MARGIN, top, WIDTH, 'left');
        top += line.height;
      }
      top += 10;
    }
    pdf.rect(MARGIN, top, WIDTH, headHeight).fillColor('#f3f4f6').fill();
    heads.forEach(([en, ar], i) => {
      const align = input.columns[i]?.isNumeric ? 'right' : 'left';
      const x = (lefts[i] ?? 0) + PAD;
      const w = (widths[i] ?? 0) - 2 * PAD;
      if (en) drawTextBlock(pdf, en, x, top + PAD, w, align);
      if (ar) drawTextBlock(pdf, ar, x, top + PAD + (en?.height ?? 0), w, align);
    });
    top += headHeight;
    for (const row of rows) {
      if (row === total) {
        pdf
          .moveTo(MARGIN, top)
          .lineTo(MARGIN + WIDTH, top)
          .lineWidth(0.8)
          .strokeColor(INK)
          .stroke();
      }
      row.cells.forEach((cell, i) => {
        const align = input.columns[i]?.isNumeric ? 'right' : 'left';
        drawTextBlock(pdf, cell, (lefts[i] ?? 0) + PAD, top + PAD, (widths[i] ?? 0) - 2 * PAD, align);
      });
      top += row.height;
      pdf
        .moveTo(MARGIN, top)
        .lineTo(MARGIN + WIDTH, top)
        .lineWidth(0.3)
        .strokeColor('#d1d5db')
        .stroke();
    }
    const footer = textBlock(`${pageIndex + 1} / ${pages.length}`, STYLE.footer, WIDTH, 'ltr');
    drawTextBlock(pdf, footer, MARGIN, PAGE_SIZE[1] - MARGIN, WIDTH, 'right');
  });
  content.finish();
  pdf.end();
  return finished;
}
