import { describe, expect, it } from 'vitest';
import {
  compareCounts,
  countsOf,
  countsTotal,
  isFaceValue,
  quickAmounts,
  stepQuantity,
} from '../src/pages/till/till-math';

describe('the till screen’s cash arithmetic', () => {
  it('adds counted pieces exactly (no float drift on 0.10 coins)', () => {
    expect(countsTotal([{ value: '0.10', count: 3 }], 'SAR')).toBe('0.30');
    expect(
      countsTotal(
        [
          { value: '500', count: 2 },
          { value: '0.50', count: 1 },
        ],
        'INR',
      ),
    ).toBe('1000.50');
  });

  it('offers the exact amount and the next round amounts of the drawer’s notes', () => {
    expect(quickAmounts('23.40', ['100', '50', '10', '5'], 'SAR')).toEqual([
      '23.40',
      '25.00',
      '30.00',
      '50.00',
      '100.00',
    ]);
    // A multiple already: the exact amount once, no duplicate.
    expect(quickAmounts('100.00', ['100', '50'], 'SAR')).toEqual(['100.00']);
  });

  it('knows a quick amount that is one note (sent as the piece handed over) from a sum of notes', () => {
    expect(isFaceValue('50.00', ['100', '50', '10'], 'SAR')).toBe(true);
    expect(isFaceValue('100', ['100.00'], 'SAR')).toBe(true);
    expect(isFaceValue('30.00', ['100', '50', '10'], 'SAR')).toBe(false);
    expect(isFaceValue('0.5', ['0.50'], 'KWD')).toBe(true);
  });

  it('compares the drawer with the count per face value, the missing money negative', () => {
    const lines = compareCounts(
      [
        { value: '100.00', count: 2 },
        { value: '10.00', count: 5 },
      ],
      [
        { value: '100', count: 2 },
        { value: '10', count: 4 },
        { value: '1', count: 3 },
      ],
      'SAR',
    );
    expect(lines).toEqual([
      { value: '100.00', expected: 2, counted: 2, difference: 0, amount: '0.00' },
      { value: '10.00', expected: 5, counted: 4, difference: -1, amount: '-10.00' },
      { value: '1.00', expected: 0, counted: 3, difference: 3, amount: '3.00' },
    ]);
  });

  it('reads typed counts and refuses what is not a whole number of pieces', () => {
    expect(countsOf({ '10.00': '3', '1.00': '', '5.00': '0' })).toEqual([{ value: '10.00', count: 3 }]);
    expect(countsOf({ '10.00': '1.5' })).toBeNull();
  });

  it('steps a quantity by one and never below one', () => {
    expect(stepQuantity('1.5', 1)).toBe('2.5');
    expect(stepQuantity('1', -1)).toBe('1');
    expect(stepQuantity('3', -1)).toBe('2');
  });
});
