import { describe, expect, it } from 'vitest';
import { FONTS, LTR_FEATURES, PLAIN_LTR, SPACED_ASCII } from './fonts';

interface Run {
  glyphs: Array<{ id: number; codePoints: number[] }>;
  positions: Array<{ xAdvance: number; yAdvance: number; xOffset: number; yOffset: number }>;
}
interface Layout {
  layout(text: string, features?: unknown, script?: string, language?: string, direction?: string): Run;
}

const PLAIN = '0123456789,.-:%/ ';

/** Glyph ids, code points and positions of a run, comparable across the two ways of shaping. */
function summary(run: Run): string[] {
  return run.glyphs.map((g, i) => {
    const p = run.positions[i];
    return [g.id, g.codePoints.join(','), p?.xAdvance, p?.yAdvance, p?.xOffset, p?.yOffset].join(' ');
  });
}

function fontsOf(weight: 'regular' | 'bold'): { drawn: Layout; fontkit: Layout } {
  const drawn = FONTS[weight].pdfkitSource as unknown as Layout;
  return { drawn, fontkit: Object.getPrototypeOf(drawn) as Layout };
}

/** A fixed sequence of pseudo-random picks, so failures reproduce. */
function picker(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) >>> 0;
    return (state >>> 16) % n;
  };
}

describe('plain left-to-right runs', () => {
  it('covers what amounts, dates, times and rates are written with, and no letters', () => {
    for (const text of ['1,234,567.50', '-90.00', '15%', '2024-03-15 10:30:00', '12/03/2024']) {
      expect(PLAIN_LTR.test(text)).toBe(true);
    }
    expect(PLAIN_LTR.test('SAR 10.00')).toBe(false);
    expect(PLAIN_LTR.test('١٢٣')).toBe(false);
  });

  // They skip fontkit's shaper (cmap glyph at its advance): valid only while the fonts' GSUB and GPOS leave such
  // strings alone. Pair kerning needs two glyphs, the contextual lookups that mention digits need Arabic around
  // them; every pair and triple and a set of long strings are compared with fontkit itself.
  it.each(['regular', 'bold'] as const)('shape as fontkit shapes them (%s)', (weight) => {
    const { drawn, fontkit } = fontsOf(weight);
    const strings: string[] = [];
    for (const a of PLAIN) {
      for (const b of PLAIN) {
        strings.push(a + b);
        for (const c of PLAIN) strings.push(a + b + c);
      }
    }
    const pick = picker(7);
    for (let i = 0; i < 500; i++) {
      let text = '';
      for (let k = 0; k < 4 + (i % 28); k++) text += PLAIN[pick(PLAIN.length)];
      strings.push(text);
    }
    for (const text of strings) {
      const plain = drawn.layout(text, LTR_FEATURES);
      const shaped = fontkit.layout(text, [], undefined, undefined, 'ltr');
      expect(summary(plain), text).toEqual(summary(shaped));
    }
  });
});

describe('ASCII text with spaces, shaped word by word', () => {
  it('covers Latin names, addresses and amounts with a currency, not closing brackets or Arabic', () => {
    for (const text of [
      'SAR 1,234.50',
      'Al Amal Trading Est.',
      '2322 King Fahd Road, Al Olaya',
      'Page 1 of 2',
    ]) {
      expect(SPACED_ASCII.test(text), text).toBe(true);
    }
    for (const text of ['INV-2026-000123', 'SME00010 (continued)', 'Net 30 [days]', 'شركة الأمل', '   ']) {
      expect(SPACED_ASCII.test(text), text).toBe(false);
    }
  });

  // Valid only while nothing in the fonts acts across a space in such text: every pair of characters around a
  // space, with and without letters beside it, and random strings, against fontkit shaping the whole string.
  it.each(['regular', 'bold'] as const)('shapes as fontkit shapes the whole string (%s)', (weight) => {
    const { drawn, fontkit } = fontsOf(weight);
    const characters = Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)).filter(
      (ch) => !')]}'.includes(ch),
    );
    const strings: string[] = [];
    for (const a of characters) {
      for (const b of characters) strings.push(`${a} ${b}`, `A ${a}${b}`);
    }
    const pick = picker(11);
    for (let i = 0; i < 1000; i++) {
      let text = 'x ';
      for (let k = 0; k < 3 + (i % 28); k++)
        text += pick(5) === 0 ? ' ' : characters[pick(characters.length)];
      strings.push(text);
    }
    for (const text of strings) {
      expect(SPACED_ASCII.test(text), text).toBe(true);
      expect(summary(drawn.layout(text, LTR_FEATURES)), text).toEqual(
        summary(fontkit.layout(text, [], undefined, undefined, 'ltr')),
      );
    }
  });
});

describe('font programs of subsets', () => {
  interface Subset {
    glyphs: number[];
    includeGlyph(glyph: number): number;
    encode(): Uint8Array;
  }
  interface Font {
    createSubset(): Subset;
    glyphForCodePoint(codePoint: number): { id: number };
  }
  const drawn = FONTS.bold.pdfkitSource as unknown as Font;
  const fontkit = Object.getPrototypeOf(drawn) as Font;
  const ids = [...'Total 0123 إجمالي ضريبة'].map(
    (ch) => fontkit.glyphForCodePoint(ch.codePointAt(0) ?? 0).id,
  );
  const encoded = (font: Font, glyphs: number[]) => {
    const subset = font.createSubset();
    for (const id of glyphs) subset.includeGlyph(id);
    return { bytes: Buffer.from(subset.encode()), glyphs: [...subset.glyphs] };
  };

  it('are the bytes fontkit encodes for the same glyphs in the same order, cached or not', () => {
    const reversed = [...ids].reverse();
    for (const glyphs of [ids, reversed, ids, reversed]) {
      const ours = encoded(drawn, glyphs);
      const theirs = encoded(fontkit, glyphs);
      expect(ours.bytes.equals(theirs.bytes)).toBe(true);
      // The components a composite glyph brings are in the subset after a cached encoding too.
      expect(ours.glyphs).toEqual(theirs.glyphs);
    }
    expect(encoded(drawn, ids).bytes.equals(encoded(drawn, reversed).bytes)).toBe(false);
  });
});
