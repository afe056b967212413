import { addDays } from '../payments/company-date';

export type Frequency = 'weekly' | 'monthly' | 'quarterly' | 'yearly';

export interface ScheduleRule {
  frequency: Frequency;
  /** Monthly and longer; null: the start date's day. */
  dayOfMonth: number | null;
  startDate: string;
  endDate: string | null;
  maxCount: number | null;
}

const MONTHS: Record<Exclude<Frequency, 'weekly'>, number> = { monthly: 1, quarterly: 3, yearly: 12 };

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The `day` of a month, or its last day when the month is shorter (31 → 30 April, 28 or 29 February). */
function dayIn(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(Math.min(day, daysInMonth(year, month)))}`;
}

/**
 * The n-th period date (0-based) of a rule, ignoring its end: weekly every 7 days from the start; otherwise
 * every 1, 3 or 12 months on the day of the month, the first on or after the start date. Each period is
 * computed from the start, never from the previous one, so a 31st after a short month is the 31st again.
 */
export function periodDate(rule: ScheduleRule, n: number): string {
  if (rule.frequency === 'weekly') return addDays(rule.startDate, 7 * n);
  const year = Number(rule.startDate.slice(0, 4));
  const month = Number(rule.startDate.slice(5, 7));
  const day = rule.dayOfMonth ?? Number(rule.startDate.slice(8, 10));
  const first = dayIn(year, month, day) >= rule.startDate ? 0 : 1;
  const index = month - 1 + (first + n) * MONTHS[rule.frequency];
  return dayIn(year + Math.floor(index / 12), (index % 12) + 1, day);
}

/**
 * The rule's period dates on or before `today` (the company's calendar day), oldest first: what a run that is
 * late (downtime, a paused worker) may still owe. Dates are bounded (2000–2099), so the walk is too.
 */
export function duePeriods(rule: ScheduleRule, today: string): string[] {
  const due: string[] = [];
  for (let n = 0; ; n++) {
    if (rule.maxCount !== null && n >= rule.maxCount) break;
    const date = periodDate(rule, n);
    if (date > today || (rule.endDate !== null && date > rule.endDate)) break;
    due.push(date);
  }
  return due;
}

/** The first period after `today`, or null when the rule has ended by then. */
export function nextPeriod(rule: ScheduleRule, today: string): string | null {
  for (let n = 0; ; n++) {
    if (rule.maxCount !== null && n >= rule.maxCount) return null;
    const date = periodDate(rule, n);
    if (rule.endDate !== null && date > rule.endDate) return null;
    if (date > today) return date;
  }
}
