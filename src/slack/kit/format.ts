/** How numbers, amounts, dates and durations read in every message, the same everywhere. */

/** `<!date^…>` renders in each reader's own time zone; the fallback (the UTC day) is for clients without it. */
export function slackDate(date: Date, options: { withTime?: boolean } = {}): string {
  const format = options.withTime ? '{date_short_pretty} at {time}' : '{date_short_pretty}';
  return `<!date^${Math.floor(date.getTime() / 1000)}^${format}|${date.toISOString().slice(0, 10)}>`;
}

const dayMonthFormats = new Map<string, Intl.DateTimeFormat>();
const fullDateFormats = new Map<string, Intl.DateTimeFormat>();

function cached(cache: Map<string, Intl.DateTimeFormat>, timeZone: string, options: Intl.DateTimeFormatOptions) {
  let format = cache.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { ...options, timeZone });
    cache.set(timeZone, format);
  }
  return format;
}

const dayMonth = (date: Date, timeZone: string) =>
  cached(dayMonthFormats, timeZone, { month: 'short', day: 'numeric' }).format(date);

/** `Nov 3, 2026`: the calendar day in `timeZone` (UTC by default: a CRM's dates are days, not moments). */
export function calendarDay(date: Date, timeZone = 'UTC'): string {
  return cached(fullDateFormats, timeZone, { month: 'short', day: 'numeric', year: 'numeric' }).format(date);
}

/** `Nov 23 – Dec 15, 2026` (both days inclusive), `From …`, `Until …`; null when neither is known. */
export function dayRange(start: Date | null, end: Date | null, timeZone = 'UTC'): string | null {
  if (start && end) {
    const first = calendarDay(start, timeZone);
    const last = calendarDay(end, timeZone);
    if (first === last) return first;
    const sameYear = first.slice(-4) === last.slice(-4);
    return `${sameYear ? dayMonth(start, timeZone) : first} – ${last}`;
  }
  if (start) return `From ${calendarDay(start, timeZone)}`;
  if (end) return `Until ${calendarDay(end, timeZone)}`;
  return null;
}

const DAY_MS = 86_400_000;

/** Whole calendar days (UTC) from `from` to `to`; negative when `to` is earlier. */
export function daysBetween(from: Date, to: Date): number {
  const day = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return Math.round((day(to) - day(from)) / DAY_MS);
}

/** `1 lead`, `3 leads`; the plural is the singular plus `s` unless given. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** "45 minutes", "26 hours", "3 days": how long something has waited, rounded down. */
export function waitedFor(seconds: number): string {
  const minutes = Math.max(0, Math.floor(seconds / 60));
  if (minutes < 120) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 72) return plural(hours, 'hour');
  return plural(Math.floor(hours / 24), 'day');
}

/** What every figure shows when there is nothing to divide by. */
export const NO_FIGURE = '—';

/** A 0–1 rate as a whole percentage. */
export function percent(rate: number | null): string {
  return rate === null ? NO_FIGURE : `${Math.round(rate * 100)}%`;
}

/** A 1–5 average rating with one decimal. */
export function averageRating(rating: number | null): string {
  return rating === null ? NO_FIGURE : rating.toFixed(1);
}

const DECIMAL = /^\d+(?:\.(\d+))?$/;

/**
 * An amount as people read it in its currency: `$48,000`, `€12,500`, `¥1,000,000`, `$1,234.50`. Whole amounts show
 * no decimals; others the currency's usual minor digits. `amount` is a numeric column (a string from both drivers)
 * or a number; a decimal string is formatted exactly, without a round trip through floating point.
 */
export function formatMoney(amount: string | number, currency: string): string {
  const text = typeof amount === 'number' ? String(amount) : amount.trim();
  const match = DECIMAL.exec(text);
  const whole = match ? /^0*$/.test(match[1] ?? '') : Number.isInteger(Number(text));
  const value = match ? (text as `${number}`) : Number(text);
  try {
    const format = new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency,
      ...(whole ? { minimumFractionDigits: 0, maximumFractionDigits: 0 } : {}),
    });
    return format.format(value);
  } catch {
    // A code Intl does not know (the schema accepts only codes it does, but rows outlive runtimes): still readable.
    return `${text} ${currency}`;
  }
}

const partsFormats = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock fields of `date` in `timeZone`, as numbers (weekday 0 = Monday). */
export function wallClock(date: Date, timeZone: string) {
  const format = cached(partsFormats, timeZone, {
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    weekday: 'short',
    hourCycle: 'h23',
  });
  const parts = Object.fromEntries(format.formatToParts(date).map((part) => [part.type, part.value]));
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(String(parts.weekday));
  const n = (type: string) => Number(parts[type]);
  return {
    year: n('year'),
    month: n('month'),
    day: n('day'),
    hour: n('hour'),
    minute: n('minute'),
    second: n('second'),
    weekday,
  };
}

/**
 * Midnight at the start of the calendar day `date` falls on in `timeZone`, moved by `addDays` calendar days (so a
 * "day" across a daylight-saving change is 23 or 25 hours, as people count days).
 */
export function localMidnight(date: Date, timeZone: string, addDays = 0): Date {
  const { year, month, day } = wallClock(date, timeZone);
  return new Date(zonedInstant(year, month, day + addDays, 0, timeZone));
}

/** The zone's offset from UTC at instant `t`, in ms (positive east of Greenwich). */
function offsetAt(t: number, timeZone: string): number {
  const w = wallClock(new Date(t), timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(t / 1000) * 1000;
}

/**
 * The instant when the wall clock in `timeZone` shows `minute` minutes into the day year-month-day (a day past the
 * month's end rolls over). Two passes settle the offset across a daylight-saving change; a time skipped by
 * spring-forward lands just before the gap.
 */
export function zonedInstant(year: number, month: number, day: number, minute: number, timeZone: string): number {
  const local = Date.UTC(year, month - 1, day, 0, minute);
  const first = local - offsetAt(local, timeZone);
  return local - offsetAt(first, timeZone);
}

/** The Monday-midnight that starts the week `date` falls in, in `timeZone`. */
export function localWeekStart(date: Date, timeZone: string): Date {
  return localMidnight(date, timeZone, -wallClock(date, timeZone).weekday);
}
