// Change from a cash drawer: bounded coin change with the fewest pieces.
//
// Greedy (largest note first) is wrong for a drawer: with {50, 20, 20, 20} it takes the 50 for 60 and is then
// stuck, while 20 + 20 + 20 pays. Whenever some combination of the pieces in the drawer pays the amount exactly,
// this finds one with the fewest pieces; otherwise it says so. Amounts and values are integers of the currency's
// minor units as bigint, so no binary fraction can creep in.
//
// Dynamic programming over the amount, one stage per denomination; each stage is a sliding-window minimum over
// the amounts of one residue modulo the value (a "bounded knapsack" in O(amount × denominations)), remembering how
// many pieces of that value each amount took so the answer can be read back. All values and the amount are first
// divided by their common divisor (a drawer of 0.50 steps works in halves, not cents).

export interface DrawerCount {
  /** The face value in minor units (a 20.00 note in a two-digit currency: 2000n). */
  value: bigint;
  /** How many pieces of this value the drawer holds. */
  count: number;
}

export type ChangeResult =
  | { ok: true; pieces: DrawerCount[]; pieceCount: number }
  | {
      ok: false;
      /**
       * NO_EXACT_CHANGE: no combination of the drawer's pieces pays the amount. TOO_LARGE: the amount, in steps
       * of the drawer's common divisor, times the number of values, exceeds MAX_CHANGE_WORK.
       */
      reason: 'NO_EXACT_CHANGE' | 'TOO_LARGE';
    };

/**
 * Cells × denominations the search may use (memory is about one byte to four per unit): 20 million is 20,000.00
 * of change in a drawer of ten values down to 0.01, far beyond what a till hands back.
 */
export const MAX_CHANGE_WORK = 20_000_000;

const UNREACHABLE = 0x3fffffff;

function gcd(a: bigint, b: bigint): bigint {
  let x = a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** The pieces (largest value first) that pay `amount` exactly with the fewest pieces, or why none can. */
export function makeChange(amount: bigint, drawer: readonly DrawerCount[]): ChangeResult {
  if (amount < 0n) throw new RangeError('the change cannot be negative');
  const byValue = new Map<bigint, number>();
  for (const { value, count } of drawer) {
    if (value <= 0n) throw new RangeError('a denomination is worth more than zero');
    if (!Number.isSafeInteger(count) || count < 0) throw new RangeError('a count is a whole number from 0');
    if (count > 0 && value <= amount) byValue.set(value, (byValue.get(value) ?? 0) + count);
  }
  if (amount === 0n) return { ok: true, pieces: [], pieceCount: 0 };
  const usable = [...byValue].map(([value, count]) => ({ value, count })).sort(descending);
  let available = 0n;
  let divisor = amount;
  for (const { value, count } of usable) {
    available += value * BigInt(count);
    divisor = gcd(divisor, value);
  }
  if (usable.length === 0 || available < amount) {
    return { ok: false, reason: 'NO_EXACT_CHANGE' };
  }
  const steps = amount / divisor;
  if (steps * BigInt(usable.length) > BigInt(MAX_CHANGE_WORK)) return { ok: false, reason: 'TOO_LARGE' };
  const target = Number(steps);

  let best = new Int32Array(target + 1).fill(UNREACHABLE);
  best[0] = 0;
  let next = new Int32Array(target + 1);
  const taken: (Uint8Array | Uint16Array | Uint32Array)[] = [];
  const window = new Int32Array(target + 1);
  for (const { value, count } of usable) {
    const step = Number(value / divisor);
    const limit = Math.min(count, Math.floor(target / step));
    const choice =
      limit < 0x100
        ? new Uint8Array(target + 1)
        : limit < 0x10000
          ? new Uint16Array(target + 1)
          : new Uint32Array(target + 1);
    for (let residue = 0; residue < step && residue <= target; residue++) {
      // Window of positions i (amount residue + i·step) in [j − limit, j], minimising best[·] − i.
      let head = 0;
      let tail = 0;
      for (let j = 0, at = residue; at <= target; j++, at += step) {
        const pieces = best[at] as number;
        if (pieces !== UNREACHABLE) {
          const key = pieces - j;
          // Ties keep the later position: fewer pieces of this value, more left to the smaller ones' stages.
          while (
            tail > head &&
            (best[residue + (window[tail - 1] as number) * step] as number) - (window[tail - 1] as number) >=
              key
          )
            tail--;
          window[tail++] = j;
        }
        while (tail > head && (window[head] as number) < j - limit) head++;
        if (tail > head) {
          const i = window[head] as number;
          next[at] = (best[residue + i * step] as number) - i + j;
          choice[at] = j - i;
        } else {
          next[at] = UNREACHABLE;
          choice[at] = 0;
        }
      }
    }
    taken.push(choice);
    [best, next] = [next, best];
  }
  if (best[target] === UNREACHABLE) return { ok: false, reason: 'NO_EXACT_CHANGE' };

  const pieces: DrawerCount[] = [];
  let left = target;
  for (let stage = usable.length - 1; stage >= 0; stage--) {
    const denomination = usable[stage] as DrawerCount;
    const count = (taken[stage] as Uint8Array)[left] as number;
    if (count > 0) {
      pieces.push({ value: denomination.value, count });
      left -= count * Number(denomination.value / divisor);
    }
  }
  pieces.sort(descending);
  return { ok: true, pieces, pieceCount: best[target] as number };
}

function descending(a: DrawerCount, b: DrawerCount): number {
  return a.value > b.value ? -1 : a.value < b.value ? 1 : 0;
}
