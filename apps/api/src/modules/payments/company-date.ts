/** The company's calendar day in its time zone (a payment made at 01:00 in Riyadh is not yesterday's in UTC). */
export function companyDate(timeZone: string, instant: Date = new Date()): string {
  return dayFormat(timeZone).format(instant);
}

// An Intl.DateTimeFormat costs far more to make than to use: one per time zone, bounded.
const DAY_FORMATS = new Map<string, Intl.DateTimeFormat>();

function dayFormat(timeZone: string): Intl.DateTimeFormat {
  let format = DAY_FORMATS.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    if (DAY_FORMATS.size > 500) DAY_FORMATS.clear();
    DAY_FORMATS.set(timeZone, format);
  }
  return format;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Whole days from a to b (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}
