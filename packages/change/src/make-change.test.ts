import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DrawerCount, makeChange } from './make-change';

/** Every combination of counts: the fewest pieces paying `amount` exactly, or null. */
function fewestPiecesByBruteForce(amount: bigint, drawer: readonly DrawerCount[]): number | null {
  let best: number | null = null;
  const walk = (index: number, left: bigint, used: number) => {
    if (left === 0n) {
      if (best === null || used < best) best = used;
      return;
    }
    if (index === drawer.length || left < 0n) return;
    const { value, count } = drawer[index] as DrawerCount;
    for (let k = 0; k <= count && BigInt(k) * value <= left; k++)
      walk(index + 1, left - BigInt(k) * value, used + k);
  };
  walk(0, amount, 0);
  return best;
}

function greedy(amount: bigint, drawer: readonly DrawerCount[]): bigint {
  let left = amount;
  for (const { value, count } of [...drawer].sort((a, b) => (a.value > b.value ? -1 : 1))) {
    const k = BigInt(Math.min(count, Number(left / value)));
    left -= k * value;
  }
  return left;
}

function checkAgainstReference(amount: bigint, drawer: DrawerCount[]) {
  const expected = fewestPiecesByBruteForce(amount, drawer);
  const result = makeChange(amount, drawer);
  if (expected === null) {
    expect(result).toEqual({ ok: false, reason: 'NO_EXACT_CHANGE' });
    return;
  }
  expect(result.ok).toBe(true);
  if (!result.ok) return;
  expect(result.pieceCount).toBe(expected);
  expect(result.pieces.reduce((sum, p) => sum + p.value * BigInt(p.count), 0n)).toBe(amount);
  expect(result.pieces.reduce((sum, p) => sum + p.count, 0)).toBe(expected);
  for (const piece of result.pieces) {
    const held = drawer.filter((d) => d.value === piece.value).reduce((sum, d) => sum + d.count, 0);
    expect(piece.count).toBeGreaterThan(0);
    expect(piece.count).toBeLessThanOrEqual(held);
  }
}

const drawerOf = (values: fc.Arbitrary<bigint>) =>
  fc.array(fc.record({ value: values, count: fc.integer({ min: 0, max: 5 }) }), { maxLength: 5 });

describe('makeChange', () => {
  it('pays 60 from {50, 20, 20, 20} as 20 + 20 + 20, where greedy is stuck', () => {
    const drawer = [
      { value: 50n, count: 1 },
      { value: 20n, count: 3 },
    ];
    expect(greedy(60n, drawer)).not.toBe(0n);
    expect(makeChange(60n, drawer)).toEqual({ ok: true, pieces: [{ value: 20n, count: 3 }], pieceCount: 3 });
  });

  it('says when nothing pays exactly, and gives nothing for nothing', () => {
    expect(makeChange(30n, [{ value: 20n, count: 5 }])).toEqual({ ok: false, reason: 'NO_EXACT_CHANGE' });
    expect(makeChange(100n, [{ value: 50n, count: 1 }])).toEqual({ ok: false, reason: 'NO_EXACT_CHANGE' });
    expect(makeChange(0n, [])).toEqual({ ok: true, pieces: [], pieceCount: 0 });
  });

  it('works in the drawer’s common step, so real currency amounts stay small', () => {
    // 499.50 SAR in halalas from notes and a 50-halala coin.
    const drawer = [
      { value: 50000n, count: 2 },
      { value: 20000n, count: 4 },
      { value: 10000n, count: 4 },
      { value: 5000n, count: 4 },
      { value: 1000n, count: 10 },
      { value: 500n, count: 10 },
      { value: 100n, count: 10 },
      { value: 50n, count: 3 },
    ];
    const result = makeChange(49950n, drawer);
    expect(result).toMatchObject({ ok: true, pieceCount: 13 });
    // 200 + 200 + 50 + 4 × 10 + 5 + 4 × 1 + 0.50
    expect(result.ok && result.pieces[0]).toEqual({ value: 20000n, count: 2 });
  });

  it('matches a brute-force reference on random drawers and amounts', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 300n }),
        drawerOf(fc.bigInt({ min: 1n, max: 100n })),
        (amount, drawer) => checkAgainstReference(amount, drawer),
      ),
      { numRuns: 2000 },
    );
  });

  it('matches the reference on non-canonical drawers, where greedy fails for many amounts', () => {
    let greedyFailures = 0;
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 200n }),
        drawerOf(fc.constantFrom(3n, 4n, 7n, 9n, 20n, 25n, 50n)),
        (amount, drawer) => {
          if (greedy(amount, drawer) !== 0n && fewestPiecesByBruteForce(amount, drawer) !== null)
            greedyFailures++;
          checkAgainstReference(amount, drawer);
        },
      ),
      { numRuns: 2000 },
    );
    // The generator really exercises the cases greedy gets wrong.
    expect(greedyFailures).toBeGreaterThan(50);
  });

  it('refuses an amount beyond what a till computes instead of stalling', () => {
    expect(makeChange(10n ** 12n + 1n, [{ value: 1n, count: Number.MAX_SAFE_INTEGER }])).toEqual({
      ok: false,
      reason: 'TOO_LARGE',
    });
  });
});
