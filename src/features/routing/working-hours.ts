/**
 * Working-hours arithmetic for the SLA clock, pure and zone-aware: `Mon-Fri 09:00-17:00` in an owner's IANA zone.
 * Zone offsets come from `Intl.DateTimeFormat`, so daylight-saving changes fall where the zone's rules put them.
 */

import { wallClock, zonedInstant } from '../../slack/kit/format.js';

/** Days of the week (0 Sunday … 6 Saturday) and the minutes of the day the clock runs on them. */
export interface WorkingHours {
  readonly days: readonly number[];
  readonly startMinute: number;
  readonly endMinute: number;
}

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_MS = 86_400_000;
/** A clock that finds no working time within ten years has been given an impossible week. */
const MAX_DAYS = 3_660;

function dayIndex(name: string): number | undefined {
  const i = DAY_NAMES.indexOf(name.trim().slice(0, 3).toLowerCase());
  return i >= 0 && name.trim().length >= 3 ? i : undefined;
}

/** `Mon-Fri 09:00-17:00`, `Mon,Wed,Fri 08:30-12:00`, `Sun-Thu 08:00-16:00`; undefined when it reads otherwise. */
export function parseWorkingHours(text: string): WorkingHours | undefined {
  const match = /^\s*([A-Za-z][A-Za-z,\-\s]*?)\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/.exec(text);
  if (!match) return undefined;
  const [, dayText = '', h1, m1, h2, m2] = match;
  const days = new Set<number>();
  for (const part of dayText.split(',')) {
    const [from, to, ...rest] = part.split('-');
    const first = from === undefined ? undefined : dayIndex(from);
    const last = to === undefined ? first : dayIndex(to);
    if (first === undefined || last === undefined || rest.length > 0) return undefined;
    for (let d = first; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === last) break;
    }
  }
  const startMinute = Number(h1) * 60 + Number(m1);
  const endMinute = Number(h2) * 60 + Number(m2);
  if (Number(m1) > 59 || Number(m2) > 59 || endMinute > 24 * 60 || startMinute >= endMinute) return undefined;
  return { days: [...days].sort(), startMinute, endMinute };
}

/** The working windows [open, close) in ms, day by day from the local day of `from` on. */
function* windows(from: number, hours: WorkingHours, zone: string): Generator<[number, number]> {
  const { year: y, month: m, day: d } = wallClock(new Date(from), zone);
  const firstDay = Date.UTC(y, m - 1, d);
  for (let i = 0; i < MAX_DAYS; i++) {
    const day = new Date(firstDay + i * DAY_MS);
    if (!hours.days.includes(day.getUTCDay())) continue;
    const [yy, mm, dd] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
    yield [zonedInstant(yy, mm, dd, hours.startMinute, zone), zonedInstant(yy, mm, dd, hours.endMinute, zone)];
  }
  throw new Error('working hours never open');
}

/**
 * When `seconds` of working time have passed since `start` in `zone`: a lead handed over Friday 16:30 with a
 * 2-hour SLA and `Mon-Fri 09:00-17:00` is due Monday 10:30. Without working hours the clock always runs.
 */
export function addWorkingSeconds(start: Date, seconds: number, hours: WorkingHours | undefined, zone: string): Date {
  if (!hours) return new Date(start.getTime() + seconds * 1000);
  let remaining = seconds * 1000;
  for (const [open, close] of windows(start.getTime(), hours, zone)) {
    const from = Math.max(open, start.getTime());
    if (from >= close) continue;
    if (close - from >= remaining) return new Date(from + remaining);
    remaining -= close - from;
  }
  throw new Error('unreachable');
}

/** Working seconds between two instants in `zone` (0 when `end` is not after `start`). */
export function workingSecondsBetween(start: Date, end: Date, hours: WorkingHours | undefined, zone: string): number {
  if (end <= start) return 0;
  if (!hours) return (end.getTime() - start.getTime()) / 1000;
  let total = 0;
  for (const [open, close] of windows(start.getTime(), hours, zone)) {
    if (open >= end.getTime()) break;
    total += Math.max(0, Math.min(close, end.getTime()) - Math.max(open, start.getTime()));
  }
  return total / 1000;
}
