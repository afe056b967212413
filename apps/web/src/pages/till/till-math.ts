// Cash arithmetic of the till screen in integer minor units (bigint): never a float on money. The amounts of a
// sale itself (lines, VAT, change) are the API's; these are the counts the cashier types and the buttons offered.
import { compareMoney, exactMinorUnits, fromMinorUnits } from '@invoiceflow/totals';
import type { PieceCount } from '../../api/pos';

/** Σ value × count, as a decimal amount in the currency. */
export function countsTotal(counts: readonly PieceCount[], currency: string): string {
  let units = 0n;
  for (const piece of counts) units += exactMinorUnits(piece.value, currency) * BigInt(piece.count);
  return fromMinorUnits(units, currency);
}

/** A count typed into a box: a whole number of pieces, empty meaning none; null when it is not one. */
export function parseCount(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return 0;
  if (!/^\d{1,7}$/.test(trimmed)) return null;
  return Number.parseInt(trimmed, 10);
}

/** Counts typed by value, as the API takes them (zero counts left out). */
export function countsOf(typed: Readonly<Record<string, string>>): PieceCount[] | null {
  const counts: PieceCount[] = [];
  for (const [value, text] of Object.entries(typed)) {
    const count = parseCount(text);
    if (count === null) return null;
    if (count > 0) counts.push({ value, count });
  }
  return counts.sort((a, b) => compareMoney(b.value, a.value));
}

/**
 * What a customer is likely to hand over for `total`: the exact amount, then the next multiples of the drawer's
 * face values above it (for 23.40 with notes of 5, 10, 50, 100: 23.40, 25, 30, 50, 100), at most `limit`.
 */
export function quickAmounts(
  total: string,
  faceValues: readonly string[],
  currency: string,
  limit = 5,
): string[] {
  const due = exactMinorUnits(total, currency);
  const seen = new Set<bigint>([due]);
  const rounded: bigint[] = [];
  for (const value of faceValues) {
    const unit = exactMinorUnits(value, currency);
    if (unit <= 0n) continue;
    const next = due % unit === 0n ? due : (due / unit + 1n) * unit;
    if (!seen.has(next)) {
      seen.add(next);
      rounded.push(next);
    }
  }
  rounded.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [due, ...rounded].slice(0, limit).map((units) => fromMinorUnits(units, currency));
}

/** Whether `amount` is itself one of the drawer's face values (one note or coin hands it over). */
export function isFaceValue(amount: string, faceValues: readonly string[], currency: string): boolean {
  const units = exactMinorUnits(amount, currency);
  return faceValues.some((value) => exactMinorUnits(value, currency) === units);
}

export interface CountLine {
  value: string;
  expected: number;
  counted: number;
  /** counted − expected pieces */
  difference: number;
  /** the difference in money: negative when cash is missing */
  amount: string;
}

/** Expected (the drawer as the API keeps it) against counted, per face value, largest first. */
export function compareCounts(
  expected: readonly PieceCount[],
  counted: readonly PieceCount[],
  currency: string,
): CountLine[] {
  const values = new Map<string, { expected: number; counted: number }>();
  const key = (value: string) => fromMinorUnits(exactMinorUnits(value, currency), currency);
  for (const piece of expected) {
    const entry = values.get(key(piece.value)) ?? { expected: 0, counted: 0 };
    entry.expected += piece.count;
    values.set(key(piece.value), entry);
  }
  for (const piece of counted) {
    const entry = values.get(key(piece.value)) ?? { expected: 0, counted: 0 };
    entry.counted += piece.count;
    values.set(key(piece.value), entry);
  }
  return [...values]
    .map(([value, entry]) => {
      const difference = entry.counted - entry.expected;
      return {
        value,
        ...entry,
        difference,
        amount: fromMinorUnits(exactMinorUnits(value, currency) * BigInt(difference), currency),
      };
    })
    .sort((a, b) => compareMoney(b.value, a.value));
}

/** A quantity the cashier typed: a positive decimal with at most three places (the API's own check follows). */
export function isQuantity(text: string): boolean {
  return /^\d{1,6}(\.\d{1,3})?$/.test(text.trim()) && compareMoney(text.trim(), '0') > 0;
}

/** quantity ± 1 on the whole part, kept at least 1 (decimal-exact for weighed goods: 1.5 + 1 = 2.5). */
export function stepQuantity(quantity: string, step: 1 | -1): string {
  const [whole = '0', fraction] = quantity.trim().split('.');
  const next = BigInt(whole) + BigInt(step);
  if (next < 1n) return quantity;
  return fraction ? `${next}.${fraction}` : String(next);
}
