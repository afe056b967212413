// Measured text ready to draw: laid out once while planning pages, drawn later at its final position.
import { type BaseDirection, layoutText, type TextLine } from './arabic-text';
import { FONTS, type FontWeight, featuresFor, RTL_WORDS_FEATURES } from './fonts';

export interface TextStyle {
  weight: FontWeight;
  size: number;
  color: string;
  /** Line height as a multiple of size; Arabic marks need more room than Latin. */
  leading?: number;
}

export type Align = 'left' | 'right' | 'center';

export interface TextBlock {
  lines: TextLine[];
  style: TextStyle;
  lineHeight: number;
  height: number;
  /** Widest line. */
  width: number;
}

const DEFAULT_LEADING = 1.45;

// Laid-out lines by font, size, width, direction and text. Every invoice lays out the same labels, headings and
// many of the same values (dates, rates, currency codes, the seller); layout is a function of these five alone, so
// a cached entry is exactly what laying out again would give. Entries are shared and never modified. One map of
// texts per font, size, width and direction (a handful of each), so the text itself is the key: a key built per
// lookup would be hashed anew every time. Bounded like the shaped runs in fonts.ts.
const LINES_CACHE_LIMIT = 20_000;
const linesCache = new Map<string, Map<string, TextLine[]>>();
let cachedLines = 0;

function linesOf(text: string, style: TextStyle, maxWidth: number, base: BaseDirection): TextLine[] {
  if (text === '') return [];
  const setting = `${style.weight} ${style.size} ${maxWidth} ${base}`;
  let byText = linesCache.get(setting);
  if (byText === undefined) {
    byText = new Map();
    linesCache.set(setting, byText);
  }
  let lines = byText.get(text);
  if (lines === undefined) {
    lines = layoutText(text, FONTS[style.weight], style.size, maxWidth, base);
    if (cachedLines >= LINES_CACHE_LIMIT) {
      linesCache.clear();
      cachedLines = 0;
      byText = new Map();
      linesCache.set(setting, byText);
    }
    byText.set(text, lines);
    cachedLines++;
  }
  return lines;
}

export function textBlock(
  text: string,
  style: TextStyle,
  maxWidth: number,
  base: BaseDirection = 'auto',
): TextBlock {
  const lines = linesOf(text, style, maxWidth, base);
  const lineHeight = style.size * (style.leading ?? DEFAULT_LEADING);
  let width = 0;
  for (const line of lines) width = Math.max(width, line.width);
  return { lines, style, lineHeight, height: lines.length * lineHeight, width };
}

/** pdfkit 0.20's PDFDocument#_fragment: one string at one position, as text() draws each of its lines. */
type FragmentDrawer = (text: string, x: number, y: number, options: PDFKit.Mixins.TextOptions) => void;

/**
 * Draws one piece of text as pdfkit's text() would, without text()'s bookkeeping: it copies and normalises the
 * options, splits lines, and after drawing lays the string out once more to advance its cursor, which nothing
 * here reads (a piece is one line, measured and placed already). Same content stream.
 */
function drawFragment(
  doc: PDFKit.PDFDocument,
  text: string,
  x: number,
  y: number,
  options: PDFKit.Mixins.TextOptions,
): void {
  const fragment = (doc as unknown as { _fragment?: FragmentDrawer })._fragment;
  if (typeof fragment === 'function') fragment.call(doc, text, x, y, options);
  else doc.text(text, x, y, options);
}

/** Draws the block's lines with their tops from y, aligned within [x, x + width]. */
export function drawTextBlock(
  doc: PDFKit.PDFDocument,
  block: TextBlock,
  x: number,
  y: number,
  width: number,
  align: Align,
): void {
  const { style } = block;
  const font = FONTS[style.weight];
  // pdfkit puts the font's ascender at the given y; we want the baseline at ~1.08 em below the line top so the
  // extra leading sits mostly under the line (Arabic descends deeper than Latin).
  const shift = style.size * (1.08 - font.ascender) + (block.lineHeight - style.size * DEFAULT_LEADING) / 2;
  doc.font(style.weight).fontSize(style.size).fillColor(style.color);
  let top = y;
  for (const line of block.lines) {
    let cx = align === 'left' ? x : align === 'right' ? x + width - line.width : x + (width - line.width) / 2;
    // Positions follow display order; drawing follows logical order (see TextRun.pieces).
    const placed = line.runs.map((run) => {
      const left = cx;
      cx += run.width;
      return { run, left };
    });
    if (placed.length > 1) placed.sort((a, b) => a.run.start - b.run.start);
    for (const { run, left } of placed) {
      const [first] = run.pieces;
      if (run.direction === 'rtl' && first && run.pieces.length > 1) {
        // The run's words in one fragment, in the order they are read, each where measureRun placed it.
        const options: PDFKit.Mixins.TextOptions & { textWidth: number; wordCount: number } = {
          lineBreak: false,
          features: RTL_WORDS_FEATURES,
          textWidth: run.width,
          wordCount: run.pieces.length,
        };
        drawFragment(doc, run.text, left + first.dx, top + shift, options);
        continue;
      }
      const features = featuresFor(run.direction);
      for (const piece of run.pieces) {
        // textWidth/wordCount spare pdfkit one of its two layouts of the string (we measured it already).
        const options: PDFKit.Mixins.TextOptions & { textWidth: number; wordCount: number } = {
          lineBreak: false,
          features,
          textWidth: piece.width,
          wordCount: 1,
        };
        drawFragment(doc, piece.text, left + piece.dx, top + shift, options);
      }
    }
    top += block.lineHeight;
  }
}
