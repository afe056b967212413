import { describe, expect, it } from 'vitest';
import { csvDocument, csvField, neutraliseCell } from './spreadsheet';

describe('spreadsheet cells', () => {
  it('neutralises every cell a spreadsheet would run as a formula (OWASP CSV injection)', () => {
    for (const hostile of ['=1+1', '+1', '-2+3', '@SUM(A1)', '\tcmd', '\r=x', '=HYPERLINK("http://x")']) {
      expect(neutraliseCell(hostile)).toBe(`'${hostile}`);
    }
    // A negative amount is a number, not a formula: it stays one ("-2+3" above is still neutralised).
    for (const plain of ['Acme', '12.50', '-150.00', '-5', '', 'a=b', "'quoted", 'شركة'])
      expect(neutraliseCell(plain)).toBe(plain);
  });

  it('quotes fields with separators, quotes and line breaks, and writes CRLF records with a BOM', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=cmd|"/c calc"!A1')).toBe(`"'=cmd|""/c calc""!A1"`);
    expect(csvField(null)).toBe('');
    expect(
      csvDocument([
        ['name', 'error'],
        ['-5', '-1-1'],
      ]),
    ).toBe("\uFEFFname,error\r\n-5,'-1-1\r\n");
  });
});
