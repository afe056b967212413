// Bidirectional text: split into bidi runs with bidi-js, wrap lines ourselves, order runs for display.
// Each run is later shaped as one piece with its direction (see fonts.ts), which is what makes Arabic join
// and read right to left while numbers and Latin names inside it stay left to right.
import bidiFactory from 'bidi-js';
import type { Direction, ShapingFont } from './fonts';

const bidi = bidiFactory();

/** A piece of text in one direction, in logical order; lines hold runs in display order (left to right). */
export interface TextRun {
  text: string;
  direction: Direction;
  width: number;
  /** Index of the run's first character in its paragraph: drawing in this order keeps the content stream logical. */
  start: number;
  /**
   * What to draw and where (dx from the run's left edge), in logical order. Right-to-left runs are drawn word by
   * word from the right so text extraction that follows the content stream (pdftotext -raw, screen readers)
   * reads the words as typed; letters never join across a space, so the shapes are those of the whole run.
   */
  pieces: Array<{ text: string; dx: number; width: number }>;
}

export interface TextLine {
  runs: TextRun[];
  width: number;
}

export type BaseDirection = 'ltr' | 'rtl' | 'auto';

// Unicode bidi controls (LRM, RLM, embeddings, overrides, isolates) steer the algorithm but are not drawn.
const BIDI_CONTROL = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
// Below U+0590 nothing is right-to-left, so plain Latin text skips the bidi algorithm.
const NEEDS_BIDI = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** Wraps a value (date, number, code) so that bidi keeps it in one piece in the order it was written. */
export function isolateLtr(value: string): string {
  return `\u2066${value}\u2069`;
}

export function isolateRtl(value: string): string {
  return `\u2067${value}\u2069`;
}

export function hasArabic(text: string): boolean {
  return /[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]/.test(text);
}

/**
 * Lays out text into lines no wider than maxWidth (unless a single unbreakable piece is wider and cannot be
 * split), each line a list of runs in display order.
 */
export function layoutText(
  text: string,
  font: ShapingFont,
  size: number,
  maxWidth: number,
  base: BaseDirection = 'auto',
): TextLine[] {
  const lines: TextLine[] = [];
  for (const paragraph of text.split('\n')) {
    if (!NEEDS_BIDI.test(paragraph) && base !== 'rtl') {
      layoutLtrParagraph(paragraph, font, size, maxWidth, lines);
    } else {
      layoutBidiParagraph(paragraph, font, size, maxWidth, base, lines);
    }
  }
  return lines;
}

interface Word {
  start: number;
  /** End of the word itself, exclusive. */
  end: number;
  /** End including the spaces after it, exclusive. */
  next: number;
}

function splitWords(text: string): Word[] {
  const words: Word[] = [];
  const re = /(\S+)(\s*)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const word = m[1] ?? '';
    words.push({ start: m.index, end: m.index + word.length, next: m.index + m[0].length });
  }
  return words;
}

function layoutLtrParagraph(
  text: string,
  font: ShapingFont,
  size: number,
  maxWidth: number,
  out: TextLine[],
) {
  const measure = (start: number, end: number) => font.widthOf(text.slice(start, end), size, 'ltr');
  for (const [start, end] of breakLines(text, measure, maxWidth)) {
    const piece = text.slice(start, end);
    const width = font.widthOf(piece, size, 'ltr');
    out.push({
      runs: piece
        ? [{ text: piece, direction: 'ltr', width, start, pieces: [{ text: piece, dx: 0, width }] }]
        : [],
      width,
    });
  }
}

function layoutBidiParagraph(
  text: string,
  font: ShapingFont,
  size: number,
  maxWidth: number,
  base: BaseDirection,
  out: TextLine[],
) {
  const embedding = bidi.getEmbeddingLevels(text, base);
  const levels = embedding.levels;
  const runsOf = (start: number, end: number) => levelRuns(text, levels, start, end);
  const measure = (start: number, end: number) => {
    let width = 0;
    for (const run of runsOf(start, end)) width += font.widthOf(run.text, size, run.direction);
    return width;
  };
  for (const [start, end] of breakLines(text, measure, maxWidth)) {
    const runs = orderForDisplay(runsOf(start, end)).map((run) => measureRun(run, font, size));
    out.push({ runs, width: runs.reduce((sum, r) => sum + r.width, 0) });
  }
}

function measureRun(run: LevelRun, font: ShapingFont, size: number): TextRun {
  if (run.direction === 'ltr') {
    const width = font.widthOf(run.text, size, 'ltr');
    return {
      text: run.text,
      direction: 'ltr',
      width,
      start: run.start,
      pieces: [{ text: run.text, dx: 0, width }],
    };
  }
  const tokens = run.text.split(/(\s+)/).filter((t) => t !== '');
  const widths = tokens.map((t) => font.widthOf(t, size, 'rtl'));
  const width = widths.reduce((sum, w) => sum + w, 0);
  const pieces: TextRun['pieces'] = [];
  let right = width;
  for (const [i, token] of tokens.entries()) {
    right -= widths[i] ?? 0;
    if (token.trim() !== '') pieces.push({ text: token, dx: right, width: widths[i] ?? 0 });
  }
  return { text: run.text, direction: 'rtl', width, start: run.start, pieces };
}

/**
 * Greedy line breaking at spaces; a word wider than the line is cut between characters. Line widths are summed
 * word by word (Arabic letters never join across a space), so each word is shaped once and cached.
 */
function breakLines(
  text: string,
  measure: (start: number, end: number) => number,
  maxWidth: number,
): Array<[number, number]> {
  const words = splitWords(text);
  if (words.length === 0) return [[0, 0]];
  const lines: Array<[number, number]> = [];
  let lineStart = -1;
  let lineEnd = -1;
  let lineWidth = 0;
  for (const word of words) {
    const wordWidth = measure(word.start, word.end);
    if (lineStart >= 0) {
      const widthWithWord = lineWidth + measure(lineEnd, word.start) + wordWidth;
      if (widthWithWord <= maxWidth) {
        lineEnd = word.end;
        lineWidth = widthWithWord;
        continue;
      }
      lines.push([lineStart, lineEnd]);
    }
    lineStart = word.start;
    lineEnd = word.end;
    lineWidth = wordWidth;
    // A single word wider than the line (a long reference, a URL): cut it where it no longer fits.
    while (lineWidth > maxWidth) {
      let cut = lineEnd - 1;
      while (cut > lineStart + 1 && measure(lineStart, cut) > maxWidth) cut--;
      if (isLowSurrogate(text.charCodeAt(cut))) cut--;
      if (cut <= lineStart) break;
      lines.push([lineStart, cut]);
      lineStart = cut;
      lineWidth = measure(lineStart, lineEnd);
    }
  }
  if (lineStart >= 0) lines.push([lineStart, lineEnd]);
  return lines;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

interface LevelRun {
  text: string;
  level: number;
  direction: Direction;
  start: number;
}

/** Consecutive characters of one embedding level, control characters dropped, in logical order. */
function levelRuns(text: string, levels: Uint8Array, start: number, end: number): LevelRun[] {
  const runs: LevelRun[] = [];
  let current: LevelRun | undefined;
  for (let i = start; i < end; i++) {
    const ch = text[i] as string;
    if (BIDI_CONTROL.test(ch)) continue;
    const level = levels[i] ?? 0;
    if (current && current.level === level) {
      current.text += ch;
    } else {
      current = { text: ch, level, direction: level % 2 === 1 ? 'rtl' : 'ltr', start: i };
      runs.push(current);
    }
  }
  return runs;
}

/** UAX #9 rule L2: from the highest level down to the lowest odd level, reverse runs at that level or above. */
function orderForDisplay(runs: LevelRun[]): LevelRun[] {
  if (runs.length < 2) return runs;
  const ordered = runs.slice();
  let highest = 0;
  let lowestOdd = Number.POSITIVE_INFINITY;
  for (const run of runs) {
    highest = Math.max(highest, run.level);
    if (run.level % 2 === 1) lowestOdd = Math.min(lowestOdd, run.level);
  }
  for (let level = highest; level >= lowestOdd; level--) {
    let i = 0;
    while (i < ordered.length) {
      if ((ordered[i] as LevelRun).level < level) {
        i++;
        continue;
      }
      let j = i;
      while (j < ordered.length && (ordered[j] as LevelRun).level >= level) j++;
      const reversed = ordered.slice(i, j).reverse();
      ordered.splice(i, j - i, ...reversed);
      i = j;
    }
  }
  return ordered;
}
