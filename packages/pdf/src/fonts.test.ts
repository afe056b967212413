import { describe, expect, it } from 'vitest';
import { FONTS, LTR_FEATURES, PLAIN_LTR } from './fonts';

interface Run {
  glyphs: Array<{ id: number; codePoints: number[] }>;
  positions: Array<{ xAdvance: number; yAdvance: number; xOffset: number; yOffset: number }>;
}
interface Layout {
  layout(text: string, features?: unknown, script?: string, language?: string, direction?: string): Run;
}

const PLAIN = '0123456789,.-:%/ ';

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
    const drawn = FONTS[weight].pdfkitSource as unknown as Layout;
    const fontkit = Object.getPrototypeOf(drawn) as Layout;
    const strings: string[] = [];
    for (const a of PLAIN) {
      for (const b of PLAIN) {
        strings.push(a + b);
        for (const c of PLAIN) strings.push(a + b + c);
      }
    }
    let state = 7;
    for (let i = 0; i < 500; i++) {
      let text = '';
      for (let k = 0; k < 4 + (i % 28); k++) {
        state = (state * 1103515245 + 12345) >>> 0;
        text += PLAIN[(state >>> 16) % PLAIN.length];
      }
      strings.push(text);
    }
    for (const text of strings) {
      const plain = drawn.layout(text, LTR_FEATURES);
      const shaped = fontkit.layout(text, [], undefined, undefined, 'ltr');
      const summary = (run: Run) =>
        run.glyphs.map((g, i) => {
          const p = run.positions[i];
          return [g.id, g.codePoints.join(','), p?.xAdvance, p?.yAdvance, p?.xOffset, p?.yOffset].join(' ');
        });
      expect(summary(plain), text).toEqual(summary(shaped));
    }
  });
});
