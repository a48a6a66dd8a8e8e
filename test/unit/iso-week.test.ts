import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addIsoWeeks,
  isIsoWeek,
  isoDateOf,
  isoWeekOf,
  isoWeekRange,
  parseIsoWeek,
  startOfDay,
  weeksInIsoYear,
} from '../../src/strategy/iso-week.js';

describe('isoWeekOf', () => {
  it('follows ISO 8601 across year ends', () => {
    expect(isoWeekOf(new Date('2026-11-23T09:00:00Z'), 'UTC')).toBe('2026-W48');
    expect(isoWeekOf(new Date('2021-01-03T12:00:00Z'), 'UTC')).toBe('2020-W53');
    expect(isoWeekOf(new Date('2024-12-30T12:00:00Z'), 'UTC')).toBe('2025-W01');
    expect(isoWeekOf(new Date('2026-01-01T12:00:00Z'), 'UTC')).toBe('2026-W01');
  });

  it('counts the week on the wall clock of the zone', () => {
    // Sunday 23:30 UTC is already Monday 00:30 in Paris, and still Sunday in Los Angeles.
    const t = new Date('2026-11-22T23:30:00Z');
    expect(isoWeekOf(t, 'UTC')).toBe('2026-W47');
    expect(isoWeekOf(t, 'Europe/Paris')).toBe('2026-W48');
    expect(isoWeekOf(new Date('2026-11-23T05:00:00Z'), 'America/Los_Angeles')).toBe('2026-W47');
  });

  it('rejects an unknown zone with a clear error', () => {
    expect(() => isoWeekOf(new Date(), 'Mars/Olympus')).toThrow(/Unknown time zone "Mars\/Olympus"/);
  });
});

describe('isoWeekRange', () => {
  it('runs from Monday 00:00 to the next Monday 00:00 in the zone', () => {
    const r = isoWeekRange('2026-W48', 'Europe/Paris');
    expect(r.start.toISOString()).toBe('2026-11-22T23:00:00.000Z');
    expect(r.end.toISOString()).toBe('2026-11-29T23:00:00.000Z');
    expect(r.firstDay).toBe('2026-11-23');
    expect(r.lastDay).toBe('2026-11-29');
  });

  it('is one hour short in the week clocks go forward', () => {
    const r = isoWeekRange('2026-W13', 'Europe/Paris');
    expect(r.start.toISOString()).toBe('2026-03-22T23:00:00.000Z');
    expect(r.end.toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect((r.end.getTime() - r.start.getTime()) / 3_600_000).toBe(167);
  });

  it('starts a day at its first existing instant where DST skips midnight', () => {
    // Chile moves clocks from Saturday 24:00 to Sunday 01:00 in early September.
    for (const day of [5, 6, 7]) {
      const start = startOfDay({ year: 2026, month: 9, day }, 'America/Santiago');
      expect(isoDateOf(start, 'America/Santiago')).toBe(`2026-09-0${day}`);
      expect(isoDateOf(new Date(start.getTime() - 1000), 'America/Santiago')).toBe(`2026-09-0${day - 1}`);
    }
  });

  it('contains every instant of the week it names (property)', () => {
    const zones = ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Pacific/Auckland', 'America/Santiago'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.constantFrom(...zones),
        (ms, tz) => {
          const week = isoWeekOf(new Date(ms), tz);
          const r = isoWeekRange(week, tz);
          return r.start.getTime() <= ms && ms < r.end.getTime() && isoWeekOf(r.start, tz) === week;
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('parsing and arithmetic', () => {
  it('accepts only real ISO weeks', () => {
    expect(parseIsoWeek('2026-W47')).toEqual({ year: 2026, week: 47 });
    expect(weeksInIsoYear(2026)).toBe(53);
    expect(weeksInIsoYear(2025)).toBe(52);
    expect(isIsoWeek('2026-W53')).toBe(true);
    for (const bad of ['2025-W53', '2026-W00', '2026-W54', '2026-w47', '2026-W7', 'W47', '', '2026-W47x']) {
      expect(isIsoWeek(bad), bad).toBe(false);
    }
  });

  it('adds and subtracts weeks across years', () => {
    expect(addIsoWeeks('2026-W01', -1)).toBe('2025-W52');
    expect(addIsoWeeks('2026-W53', 1)).toBe('2027-W01');
    expect(addIsoWeeks('2026-W48', -7)).toBe('2026-W41');
    expect(() => addIsoWeeks('2026-W99', 1)).toThrow(/Not an ISO week/);
  });
});
