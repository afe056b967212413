import { describe, expect, it } from 'vitest';
import { wallClock, wallClockTime } from './time-zones';

describe("a company's wall clock", () => {
  const instant = new Date('2026-03-29T00:30:15.250Z');

  it('reads the time of day in the company time zone, daylight saving included', () => {
    expect(wallClockTime('Asia/Riyadh', instant)).toBe('03:30:15');
    expect(wallClockTime('Europe/Amsterdam', instant)).toBe('01:30:15');
    // Summer time starts at 01:00 UTC that night.
    expect(wallClockTime('Europe/Amsterdam', new Date('2026-03-29T01:30:15Z'))).toBe('03:30:15');
    expect(wallClockTime('America/Los_Angeles', instant)).toBe('17:30:15');
  });

  it("moves the instant so its UTC fields are the company's local date and time", () => {
    expect(wallClock('Asia/Riyadh', instant).toISOString()).toBe('2026-03-29T03:30:15.250Z');
    expect(wallClock('America/Los_Angeles', instant).toISOString()).toBe('2026-03-28T17:30:15.250Z');
    expect(wallClock('UTC', instant).toISOString()).toBe(instant.toISOString());
  });
});
