import { describe, expect, it } from 'vitest';
import {
  addWorkingSeconds,
  parseWorkingHours,
  workingSecondsBetween,
} from '../../../src/features/routing/working-hours.js';

const HOUR = 3600;
const office = parseWorkingHours('Mon-Fri 09:00-17:00');

describe('working hours', () => {
  it('reads days and hours, and refuses what it cannot read', () => {
    expect(office).toEqual({ days: [1, 2, 3, 4, 5], startMinute: 540, endMinute: 1020 });
    expect(parseWorkingHours('sun-thu 08:00-16:30')?.days).toEqual([0, 1, 2, 3, 4]);
    expect(parseWorkingHours('Mon,Wed,Fri 08:30-12:00')).toEqual({ days: [1, 3, 5], startMinute: 510, endMinute: 720 });
    expect(parseWorkingHours('Fri-Mon 10:00-11:00')?.days).toEqual([0, 1, 5, 6]);
    for (const bad of ['', 'Mon-Fri', '09:00-17:00', 'Mon-Fri 17:00-09:00', 'Xyz 09:00-17:00', 'Mon-Fri 09:75-17:00']) {
      expect(parseWorkingHours(bad), bad).toBeUndefined();
    }
  });

  it('a lead handed over Friday 16:30 with a 2 h SLA is due Monday 10:30 in the owner’s zone', () => {
    // 2026-11-27 is a Friday; Berlin is UTC+1 in November.
    const friday = new Date('2026-11-27T15:30:00Z');
    expect(addWorkingSeconds(friday, 2 * HOUR, office, 'Europe/Berlin').toISOString()).toBe('2026-11-30T09:30:00.000Z');
    // The same instant is Saturday 00:30 in Tokyo: the clock waits for Monday 09:00 there.
    expect(addWorkingSeconds(friday, 2 * HOUR, office, 'Asia/Tokyo').toISOString()).toBe('2026-11-30T02:00:00.000Z');
    // And Friday 10:30 in New York: due the same day at 12:30.
    expect(addWorkingSeconds(friday, 2 * HOUR, office, 'America/New_York').toISOString()).toBe(
      '2026-11-27T17:30:00.000Z',
    );
  });

  it('keeps local working hours across daylight-saving changes', () => {
    // New York springs forward on Sunday 2026-03-08: Friday 16:30 EST + 2 h is Monday 10:30 EDT (14:30 UTC).
    const beforeSpring = new Date('2026-03-06T21:30:00Z');
    expect(addWorkingSeconds(beforeSpring, 2 * HOUR, office, 'America/New_York').toISOString()).toBe(
      '2026-03-09T14:30:00.000Z',
    );
    // Berlin falls back on Sunday 2026-10-25: Friday 16:30 CEST + 2 h is Monday 10:30 CET (09:30 UTC).
    const beforeFall = new Date('2026-10-23T14:30:00Z');
    expect(addWorkingSeconds(beforeFall, 2 * HOUR, office, 'Europe/Berlin').toISOString()).toBe(
      '2026-10-26T09:30:00.000Z',
    );
    // A whole working week is 40 hours whichever way the clocks moved.
    const monday = new Date('2026-03-09T13:00:00Z');
    expect(workingSecondsBetween(new Date('2026-03-02T14:00:00Z'), monday, office, 'America/New_York')).toBe(40 * HOUR);
  });

  it('counts only working time between two instants, and all of it without working hours', () => {
    const friday = new Date('2026-11-27T15:30:00Z');
    const monday = new Date('2026-11-30T09:30:00Z');
    expect(workingSecondsBetween(friday, monday, office, 'Europe/Berlin')).toBe(2 * HOUR);
    expect(workingSecondsBetween(friday, monday, undefined, 'Europe/Berlin')).toBe(66 * HOUR);
    expect(addWorkingSeconds(friday, 2 * HOUR, undefined, 'Europe/Berlin').toISOString()).toBe(
      '2026-11-27T17:30:00.000Z',
    );
    expect(workingSecondsBetween(monday, friday, office, 'UTC')).toBe(0);
  });

  it('starting before opening counts from opening; a long SLA spans several weeks', () => {
    const early = new Date('2026-11-30T06:00:00Z'); // Monday 07:00 Berlin
    expect(addWorkingSeconds(early, HOUR, office, 'Europe/Berlin').toISOString()).toBe('2026-11-30T09:00:00.000Z');
    expect(addWorkingSeconds(early, 80 * HOUR, office, 'Europe/Berlin').toISOString()).toBe('2026-12-11T16:00:00.000Z');
  });
});
