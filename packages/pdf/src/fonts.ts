// The fonts, parsed once per process and shared by every document.
//
// Parsing a TTF and building its GSUB/GPOS lookups costs more than laying out a whole invoice, so the fontkit
// objects live at module level; pdfkit only creates a per-document subset of them.
//
// Two traps are handled here (see STACK-FINDINGS "PDF with Arabic"):
// 1. pdfkit calls `font.layout(text, features)` without a direction. We smuggle the direction through the
//    `features` argument: the two marker arrays below are compared by identity and turned into fontkit's
//    `direction` parameter. An empty feature list also makes pdfkit shape the run as one piece instead of
//    word by word.
// 2. Brackets in right-to-left runs are mirrored here (rule L4) and still read as the typed character.
// 3. Noto Sans Arabic draws dotted letters as a dotless skeleton plus separate dot glyphs (ب ت ث ن ي share one
//    skeleton). fontkit caches glyph objects by id, so a glyph keeps the code points of its first use, and
//    pdfkit writes one ToUnicode entry per glyph id: text extraction (pdftotext, copy and paste, search) would
//    read ذ as د. We give each (glyph, characters) pair its own id and duplicate the outline in the subset.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import bidiFactory from 'bidi-js';
// fontkit is pdfkit's own dependency (same copy, hoisted); it is not declared in packages/pdf/package.json
// because the lockfile is owned by the root. See the report: declare it at the next lockfile update.
import * as fontkit from 'fontkit';
import { keepDeflated } from './pdf-output';

export type Direction = 'ltr' | 'rtl';

/** The feature lists passed to pdfkit's `text(…, { features })`; identity carries the direction. */
export const LTR_FEATURES: PDFKit.Mixins.OpenTypeFeatures[] = [];
export const RTL_FEATURES: PDFKit.Mixins.OpenTypeFeatures[] = [];

/**
 * A third marker: a right-to-left run of several words drawn as one fragment, the words in logical order (the
 * reading order text extraction follows), each at the place it has in the run (see `shapeWords`).
 */
export const RTL_WORDS_FEATURES: PDFKit.Mixins.OpenTypeFeatures[] = [];

export function featuresFor(direction: Direction): PDFKit.Mixins.OpenTypeFeatures[] {
  return direction === 'rtl' ? RTL_FEATURES : LTR_FEATURES;
}

/** The subset of fontkit's glyph shape that pdfkit reads. */
interface ShapedGlyph {
  id: number;
  codePoints: number[];
  advanceWidth: number;
}

interface GlyphPosition {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
  advanceWidth?: number;
}

interface ShapedRun {
  glyphs: ShapedGlyph[];
  positions: GlyphPosition[];
  advanceWidth: number;
}

interface FontkitGlyph {
  id: number;
  codePoints: number[];
  advanceWidth: number;
}

interface FontkitSubset {
  glyphs: number[];
  mapping: Record<number, number>;
  includeGlyph(glyph: number | { id: number }): number;
  encode(): Uint8Array;
}

/** fontkit's TTFSubset, with the per-glyph step of encode() and the state it writes (fontkit 2.0.4). */
interface FontkitTtfSubset extends FontkitSubset {
  _addGlyph(gid: number): number;
  glyf: Uint8Array[];
  offset: number;
  loca: { offsets: number[] };
  hmtx: { metrics: Array<{ advance: number; bearing: number }> };
}

/** The parts of a TrueType glyph (fontkit's TTFGlyph) the subset reads. */
interface FontkitTtfGlyph extends FontkitGlyph {
  _decode(): { numberOfContours: number; components?: Array<{ glyphID: number; pos: number }> } | null;
  _getMetrics(): { leftBearing: number };
}

/** What a subset copies for one glyph: the same in every document, so read once per process. */
interface GlyphRecord {
  /** The glyph's bytes in the font's glyf table; shared, never written to. */
  bytes: Uint8Array;
  /** Components of a composite glyph: their ids and where the id sits in `bytes`. */
  components: Array<{ glyphID: number; pos: number }>;
  advance: number;
  bearing: number;
}

interface FontkitFont {
  numGlyphs: number;
  unitsPerEm: number;
  ascent: number;
  loca: { offsets: number[] };
  _variationProcessor?: unknown;
  _getTableStream(tag: string): { pos: number; readBuffer(length: number): Uint8Array };
  layout(
    text: string,
    features?: string[],
    script?: string,
    language?: string,
    direction?: Direction,
  ): { glyphs: FontkitGlyph[]; positions: GlyphPosition[] };
  getGlyph(id: number, codePoints?: number[]): FontkitGlyph;
  glyphForCodePoint(codePoint: number): FontkitGlyph;
  createSubset(): FontkitSubset;
}

/** A font ready for pdfkit (`doc.registerFont(name, font.pdfkitSource)`) and for measuring text. */
export interface ShapingFont {
  readonly name: string;
  /** What pdfkit receives: a fontkit-compatible object whose layout honours direction and keeps ToUnicode right. */
  readonly pdfkitSource: PDFKit.Mixins.PDFFontSource;
  /** Distance from the top of the em box pdfkit positions text by to the baseline, per point of size. */
  readonly ascender: number;
  /** Advance width of a run shaped as one piece, in points. */
  widthOf(text: string, size: number, direction: Direction): number;
}

// Font programs of recent subsets, by their glyph list in order: a till's receipts, a company's invoices, draw the
// same labels and digits, mostly in the same order, and encoding a subset (then deflating it) was a fifth of a
// receipt's render. The bytes are a function of the list alone; ~15 kB an entry.
const SUBSET_CACHE_LIMIT = 32;

// Bounded so a long-running server does not grow without limit (per direction, so 20 000 runs per font as
// before); output does not depend on what is cached.
const RUN_CACHE_LIMIT = 10_000;

/**
 * Digits and the punctuation of amounts, dates, times and rates. In these fonts no GSUB or GPOS lookup changes a
 * left-to-right string made of these alone (fonts.test.ts compares every pair and triple, and long strings, with
 * fontkit), so each character is its cmap glyph at its advance width. fontkit's layout takes 50–100 µs per
 * string and every invoice brings new amounts, numbers and dates.
 */
export const PLAIN_LTR = /^[0-9,.\-:%/ ]+$/;

/**
 * Printable ASCII text with spaces (and without ")", "]" or "}", which start a contextual positioning rule):
 * shaped word by word. In these fonts nothing acts across a space in such text (their GSUB rules need combining
 * marks or Arabic around, no GPOS pair involves the space; fonts.test.ts compares with fontkit), so new customer
 * names, addresses and descriptions, "SAR 1,234.50", reuse the shapes of their words.
 */
export const SPACED_ASCII = /^(?=.* )(?=.*[^ ])[\x20-\x28\x2a-\x5c\x5e-\x7c\x7e]+$/;

const bidi = bidiFactory();

/** UAX #9 rule L4: in right-to-left runs, "(" is drawn as ")" and so on; the font has no rtlm forms for them. */
function mirror(text: string): string {
  let out = '';
  for (const ch of text) out += bidi.getMirroredCharacter(ch) ?? ch;
  return out;
}

function mirrorCodePoints(codePoints: number[]): number[] {
  return codePoints.map((cp) => {
    const mirrored = bidi.getMirroredCharacter(String.fromCodePoint(cp));
    return mirrored ? (mirrored.codePointAt(0) ?? cp) : cp;
  });
}

function createShapingFont(name: string, bytes: Uint8Array): ShapingFont {
  const base = fontkit.create(bytes) as unknown as FontkitFont;
  const baseProto = Object.getPrototypeOf(base) as FontkitFont;
  // A child object: fontkit's lazily-cached getters (the layout engine among them) bind to the child, so the
  // layout engine calls our getGlyph below, while tables and outlines are read from the shared parent.
  const shaping = Object.create(base) as FontkitFont;

  // Glyph objects are cached by id in fontkit; return a view carrying the code points of this occurrence.
  Object.defineProperty(shaping, 'getGlyph', {
    value(id: number, codePoints?: number[]): FontkitGlyph {
      const glyph = base.getGlyph(id, codePoints);
      if (!codePoints || sameCodePoints(glyph.codePoints, codePoints)) return glyph;
      return Object.create(glyph, { codePoints: { value: codePoints } }) as FontkitGlyph;
    },
  });

  // Virtual ids above numGlyphs stand for "real glyph X read as characters Y". A glyph keeps its real id only
  // for the one character the font's cmap maps to it, so the choice never depends on what was rendered before
  // (an issued invoice must render to the same bytes in any process).
  const virtualIds = new Map<string, number>();
  const realIdOf = new Map<number, number>();
  const glyphIdFor = (id: number, codePoints: number[]): number => {
    const only = codePoints.length === 1 ? codePoints[0] : undefined;
    if (only !== undefined && base.glyphForCodePoint(only).id === id) return id;
    const key = `${id}:${codePoints.join(',')}`;
    let virtual = virtualIds.get(key);
    if (virtual === undefined) {
      virtual = base.numGlyphs + virtualIds.size;
      virtualIds.set(key, virtual);
      realIdOf.set(virtual, id);
    }
    return virtual;
  };

  const plainRun = (text: string) => {
    const glyphs: FontkitGlyph[] = [];
    const positions: GlyphPosition[] = [];
    for (const ch of text) {
      const codePoint = ch.codePointAt(0) ?? 0;
      const glyph = base.glyphForCodePoint(codePoint);
      glyphs.push({ id: glyph.id, codePoints: [codePoint], advanceWidth: glyph.advanceWidth });
      positions.push({ xAdvance: glyph.advanceWidth, yAdvance: 0, xOffset: 0, yOffset: 0 });
    }
    return { glyphs, positions };
  };

  // pdfkit's layoutRun multiplies every enumerable field of every position by 1000 / unitsPerEm in place and sets
  // advanceWidth from the glyph, each time a string is drawn. At 1000 units per em (Noto) both change nothing, so
  // the cached objects are handed out as they are (copying them dominated the render time), as HiddenPositions:
  // pdfkit's loop then finds no field to multiply by 1, and reads and writes them as before.
  // (pdfkit's wordSpacing option copies positions field by field: not used here.)
  const sharePositions = base.unitsPerEm === 1000;

  // One map per direction, keyed by the text itself: a key built per call ("l" + text) is a new string whose hash
  // is computed on every lookup, while pdfkit asks twice per drawn string with the string we gave it.
  const caches = { ltr: new Map<string, ShapedRun>(), rtl: new Map<string, ShapedRun>() };
  const shape = (text: string, direction: Direction): ShapedRun => {
    const cache = caches[direction];
    const hit = cache.get(text);
    if (hit) return hit;
    const isRtl = direction === 'rtl';
    if (!isRtl && SPACED_ASCII.test(text)) {
      const parts = text
        .split(/( +)/)
        .filter((part) => part !== '')
        .map((part) => shape(part, 'ltr'));
      const composed = {
        glyphs: parts.flatMap((part) => part.glyphs),
        positions: parts.flatMap((part) => part.positions),
        advanceWidth: parts.reduce((sum, part) => sum + part.advanceWidth, 0),
      };
      if (cache.size >= RUN_CACHE_LIMIT) cache.clear();
      cache.set(text, composed);
      return composed;
    }
    const run =
      !isRtl && PLAIN_LTR.test(text)
        ? plainRun(text)
        : baseProto.layout.call(shaping, isRtl ? mirror(text) : text, [], undefined, undefined, direction);
    const glyphs = run.glyphs.map((g) => {
      // The mirrored glyph still stands for the character that was typed (copy and paste gives "(").
      const codePoints = isRtl ? mirrorCodePoints(g.codePoints) : g.codePoints;
      return { id: glyphIdFor(g.id, codePoints), codePoints, advanceWidth: g.advanceWidth };
    });
    const positions = run.positions.map((p, i) => ({
      xAdvance: p.xAdvance,
      yAdvance: p.yAdvance,
      xOffset: p.xOffset,
      yOffset: p.yOffset,
      advanceWidth: glyphs[i]?.advanceWidth ?? 0,
    }));
    const advanceWidth = positions.reduce((sum, p) => sum + p.xAdvance, 0);
    if (cache.size >= RUN_CACHE_LIMIT) cache.clear();
    const ordered = textGlyphsFirst(glyphs, positions);
    const entry = {
      glyphs: ordered.glyphs,
      positions: sharePositions ? ordered.positions.map((p) => new HiddenPosition(p)) : ordered.positions,
      advanceWidth,
    };
    cache.set(text, entry);
    return entry;
  };

  /**
   * A right-to-left run as its words in logical order, each word's glyphs in visual order as shaped alone (letters
   * never join across a space), with a jump of the pen to the left from the end of one word to the start of the
   * next: the same glyphs at the same places as one fragment per word, placed the way measureRun (arabic-text.ts)
   * places the words, without a text object, font and matrix per word. Starts at the first word's left edge.
   */
  const wordsCache = new Map<string, ShapedRun>();
  const shapeWords = (text: string): ShapedRun => {
    const hit = wordsCache.get(text);
    if (hit) return hit;
    const tokens = text.split(/(\s+)/).filter((token) => token !== '');
    const runs = tokens.map((token) => shape(token, 'rtl'));
    let right = runs.reduce((sum, run) => sum + run.advanceWidth, 0);
    const glyphs: ShapedGlyph[] = [];
    const positions: GlyphPosition[] = [];
    let pen = 0;
    for (const [i, token] of tokens.entries()) {
      const run = runs[i] as ShapedRun;
      right -= run.advanceWidth;
      if (token.trim() === '') continue;
      const last = positions.length - 1;
      const previous = positions[last];
      if (previous) {
        const jumped = {
          xAdvance: previous.xAdvance + (right - pen),
          yAdvance: previous.yAdvance,
          xOffset: previous.xOffset,
          yOffset: previous.yOffset,
          advanceWidth: previous.advanceWidth ?? 0,
        };
        positions[last] = sharePositions ? new HiddenPosition(jumped) : jumped;
      }
      glyphs.push(...run.glyphs);
      positions.push(...run.positions);
      pen = right + run.advanceWidth;
    }
    const words = { glyphs, positions, advanceWidth: pen };
    if (wordsCache.size >= RUN_CACHE_LIMIT) wordsCache.clear();
    wordsCache.set(text, words);
    return words;
  };

  Object.defineProperty(shaping, 'layout', {
    value(text: string, features?: unknown): ShapedRun {
      const cached =
        features === RTL_WORDS_FEATURES
          ? shapeWords(text)
          : shape(text, features === RTL_FEATURES ? 'rtl' : 'ltr');
      if (sharePositions) return cached;
      const positions = cached.positions.map((p) => ({ ...p }));
      return { glyphs: cached.glyphs, positions, advanceWidth: cached.advanceWidth };
    },
  });

  // fontkit's subset decodes every glyph's outline in every document only to find the components of composite
  // glyphs (about a quarter of the render time); the bytes, components and metrics are kept per glyph instead.
  const glyphRecords = new Map<number, GlyphRecord>();
  const glyphRecord = (gid: number): GlyphRecord => {
    let record = glyphRecords.get(gid);
    if (record === undefined) {
      const glyph = base.getGlyph(gid) as FontkitTtfGlyph;
      const glyf = glyph._decode();
      const start = base.loca.offsets[gid] ?? 0;
      const end = base.loca.offsets[gid + 1] ?? start;
      const stream = base._getTableStream('glyf');
      stream.pos += start;
      record = {
        bytes: stream.readBuffer(end - start),
        components:
          glyf && glyf.numberOfContours < 0
            ? (glyf.components ?? []).map((c) => ({ glyphID: c.glyphID, pos: c.pos }))
            : [],
        advance: glyph.advanceWidth,
        bearing: glyph._getMetrics().leftBearing,
      };
      glyphRecords.set(gid, record);
    }
    return record;
  };
  // Same steps as TTFSubset._addGlyph, from the records. (A variable font re-encodes outlines: not cached.)
  const addGlyph = function (this: FontkitTtfSubset, gid: number): number {
    const record = glyphRecord(gid);
    let buffer = record.bytes;
    if (record.components.length > 0) {
      buffer = new Uint8Array(buffer);
      const view = new DataView(buffer.buffer);
      for (const component of record.components) {
        view.setUint16(component.pos, this.includeGlyph(component.glyphID));
      }
    }
    this.glyf.push(buffer);
    this.loca.offsets.push(this.offset);
    this.hmtx.metrics.push({ advance: record.advance, bearing: record.bearing });
    this.offset += buffer.length;
    return this.glyf.length - 1;
  };

  const encodedSubsets = new Map<string, { bytes: Uint8Array; glyphs: number[] }>();
  Object.defineProperty(shaping, 'createSubset', {
    value(): FontkitSubset {
      const subset = base.createSubset() as FontkitTtfSubset;
      if (!base._variationProcessor && typeof subset._addGlyph === 'function') subset._addGlyph = addGlyph;
      const includeReal = subset.includeGlyph.bind(subset);
      subset.includeGlyph = (glyph) => {
        const id = typeof glyph === 'number' ? glyph : glyph.id;
        const real = realIdOf.get(id);
        if (real === undefined) return includeReal(id);
        // Same outline, new glyph id: its ToUnicode entry can say which letter this occurrence is.
        let mapped = subset.mapping[id];
        if (mapped === undefined) {
          subset.glyphs.push(real);
          mapped = subset.glyphs.length - 1;
          subset.mapping[id] = mapped;
        }
        return mapped;
      };
      const encode = subset.encode.bind(subset);
      subset.encode = () => {
        const key = subset.glyphs.join(',');
        const hit = encodedSubsets.get(key);
        if (hit !== undefined) {
          // Least recently used first: a hit moves to the end.
          encodedSubsets.delete(key);
          encodedSubsets.set(key, hit);
          // The composite glyphs' components the encoding added, as encoding again would add them.
          for (const gid of hit.glyphs.slice(subset.glyphs.length)) includeReal(gid);
          return hit.bytes;
        }
        const bytes = encode();
        keepDeflated(bytes);
        if (encodedSubsets.size >= SUBSET_CACHE_LIMIT) {
          const oldest = encodedSubsets.keys().next().value;
          if (oldest !== undefined) encodedSubsets.delete(oldest);
        }
        encodedSubsets.set(key, { bytes, glyphs: [...subset.glyphs] });
        return bytes;
      };
      return subset;
    },
  });

  const unitsPerEm = base.unitsPerEm;
  return {
    name,
    pdfkitSource: shaping as unknown as PDFKit.Mixins.PDFFontSource,
    ascender: base.ascent / unitsPerEm,
    widthOf(text, size, direction) {
      return (shape(text, direction).advanceWidth * size) / unitsPerEm;
    },
  };
}

/**
 * Draws the glyphs that carry text first and the dot glyphs (no code points) after them, at the same places.
 * In visual order each dot precedes its skeleton and sits to its right, so the pen goes backwards between them;
 * text extractors (poppler's raw mode among them) take that as a word break and cut "ضريبية" into "ض" +
 * "ريبية". Drawn afterwards, the dots still land where GPOS put them but no longer split the words.
 */
function textGlyphsFirst(
  glyphs: ShapedGlyph[],
  positions: GlyphPosition[],
): { glyphs: ShapedGlyph[]; positions: GlyphPosition[] } {
  if (!glyphs.some((g) => g.codePoints.length === 0)) return { glyphs, positions };
  const textGlyphs: ShapedGlyph[] = [];
  const textPositions: GlyphPosition[] = [];
  const marks: Array<{ glyph: ShapedGlyph; position: GlyphPosition; x: number }> = [];
  let pen = 0;
  for (const [i, glyph] of glyphs.entries()) {
    const position = positions[i] as GlyphPosition;
    if (glyph.codePoints.length === 0) {
      marks.push({ glyph, position, x: pen + position.xOffset });
      // A mark with an advance of its own widens the preceding text glyph's step instead.
      const previous = textPositions[textPositions.length - 1];
      if (previous) previous.xAdvance += position.xAdvance;
    } else {
      textGlyphs.push(glyph);
      textPositions.push({ ...position });
    }
    pen += position.xAdvance;
  }
  if (textGlyphs.length === 0) return { glyphs, positions };
  // A leading mark's advance (if any) would be lost; marks have zero advance in Noto, so keep it simple.
  for (const mark of marks) {
    textGlyphs.push(mark.glyph);
    textPositions.push({
      xAdvance: 0,
      yAdvance: 0,
      xOffset: mark.x - pen,
      yOffset: mark.position.yOffset,
      advanceWidth: mark.glyph.advanceWidth,
    });
  }
  return { glyphs: textGlyphs, positions: textPositions };
}

/**
 * A glyph position whose fields are accessors over private slots: for…in sees no field (see `sharePositions`),
 * reads and writes work as on a plain object (pdfkit assigns advanceWidth).
 */
class HiddenPosition implements GlyphPosition {
  #xAdvance: number;
  #yAdvance: number;
  #xOffset: number;
  #yOffset: number;
  #advanceWidth: number;
  constructor(position: GlyphPosition) {
    this.#xAdvance = position.xAdvance;
    this.#yAdvance = position.yAdvance;
    this.#xOffset = position.xOffset;
    this.#yOffset = position.yOffset;
    this.#advanceWidth = position.advanceWidth ?? 0;
  }
  get xAdvance(): number {
    return this.#xAdvance;
  }
  set xAdvance(value: number) {
    this.#xAdvance = value;
  }
  get yAdvance(): number {
    return this.#yAdvance;
  }
  set yAdvance(value: number) {
    this.#yAdvance = value;
  }
  get xOffset(): number {
    return this.#xOffset;
  }
  set xOffset(value: number) {
    this.#xOffset = value;
  }
  get yOffset(): number {
    return this.#yOffset;
  }
  set yOffset(value: number) {
    this.#yOffset = value;
  }
  get advanceWidth(): number {
    return this.#advanceWidth;
  }
  set advanceWidth(value: number) {
    this.#advanceWidth = value;
  }
}

function sameCodePoints(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const require = createRequire(import.meta.url);
function readFont(file: string): Uint8Array {
  return readFileSync(require.resolve(`@expo-google-fonts/noto-sans-arabic/${file}`));
}

export const FONTS = {
  regular: createShapingFont('NotoSansArabic-Regular', readFont('400Regular/NotoSansArabic_400Regular.ttf')),
  bold: createShapingFont('NotoSansArabic-Bold', readFont('700Bold/NotoSansArabic_700Bold.ttf')),
} as const;

export type FontWeight = keyof typeof FONTS;
