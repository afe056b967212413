import { describe, expect, it } from 'vitest';
import { isolateLtr, layoutText } from './arabic-text';
import { FONTS } from './fonts';
import { formatAmount, formatRate } from './format';

const font = FONTS.regular;

describe('layoutText', () => {
  it('places a number after Arabic text to its left, as a reader of Arabic expects', () => {
    const [line] = layoutText('عقد صيانة سنوي لعام 2024', font, 10, 500, 'rtl');
    expect(line?.runs.map((r) => [r.text.trim(), r.direction])).toEqual([
      ['2024', 'ltr'],
      ['عقد صيانة سنوي لعام', 'rtl'],
    ]);
  });

  it('keeps an isolated date in one piece inside Arabic', () => {
    const [line] = layoutText(`تاريخ ${isolateLtr('2024-03-15')}`, font, 10, 500, 'rtl');
    expect(line?.runs.map((r) => r.text.trim())).toEqual(['2024-03-15', 'تاريخ']);
  });

  it('wraps long Arabic text within the width and keeps every word', () => {
    const text =
      'خدمات التركيب والإعداد في الموقع من قبل مهندس معتمد بما في ذلك تنظيم الكابلات وتوصيلها بالشبكة';
    const lines = layoutText(text, font, 9, 120, 'rtl');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(line.width).toBeLessThanOrEqual(120);
    const words = lines.flatMap((l) => l.runs.flatMap((r) => r.pieces.map((p) => p.text)));
    expect(words.join(' ')).toBe(text);
  });

  it('cuts a word longer than the line', () => {
    const lines = layoutText('X'.repeat(80), font, 9, 100, 'ltr');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.map((l) => l.runs[0]?.text).join('')).toBe('X'.repeat(80));
  });
});

describe('format', () => {
  it('groups digits without touching the value', () => {
    expect(formatAmount('1234567.50')).toBe('1,234,567.50');
    expect(formatAmount('-1200.005')).toBe('-1,200.005');
    expect(formatAmount('999')).toBe('999');
    expect(formatRate('15.00')).toBe('15%');
    expect(formatRate('12.50')).toBe('12.5%');
  });
});
