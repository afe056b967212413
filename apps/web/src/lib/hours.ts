/**
 * Decimal hours for the time between two instants, rounded up to the hundredth so no started part of an hour is
 * lost, at least 0.01 (the server refuses zero hours) and at most 24 (one entry is one day's work at most).
 */
export function hoursBetween(startMs: number, endMs: number): string {
  const hundredths = Math.max(1, Math.ceil((endMs - startMs) / 36_000));
  const capped = Math.min(hundredths, 2400);
  // Written from the integer count of hundredths: the decimal is exact, never a float's rounding.
  return `${Math.trunc(capped / 100)}.${String(capped % 100).padStart(2, '0')}`;
}
