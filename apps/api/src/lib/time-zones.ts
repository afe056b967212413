// A company's wall clock: the day and the time of day in its time zone (companies.time_zone), for the rules that
// read "today" or "now" the way the company does (an issue date not in the future, an issue time on the XML).

// One formatter per time zone: building an Intl.DateTimeFormat costs far more than using one. Bounded.
const formats = new Map<string, Intl.DateTimeFormat>();

function wallClockFormat(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    if (formats.size > 500) formats.clear();
    formats.set(timeZone, format);
  }
  return format;
}

function wallClockParts(timeZone: string, instant: Date): Record<string, string> {
  const parts: Record<string, string> = {};
  for (const part of wallClockFormat(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  return parts;
}

/** HH:MM:SS on the wall clock of the time zone (daylight saving included). */
export function wallClockTime(timeZone: string, instant: Date): string {
  const p = wallClockParts(timeZone, instant);
  return `${p.hour}:${p.minute}:${p.second}`;
}

/**
 * The instant moved so that its UTC fields read the time zone's wall clock: to compare with dates and times that
 * are written in the company's local time (e.g. an issue date that must not be in the future).
 */
export function wallClock(timeZone: string, instant: Date = new Date()): Date {
  const p = wallClockParts(timeZone, instant);
  const local = Date.UTC(
    Number(p.year),
    Number(p.month) - 1,
    Number(p.day),
    Number(p.hour),
    Number(p.minute),
    Number(p.second),
  );
  return new Date(local + instant.getUTCMilliseconds());
}
