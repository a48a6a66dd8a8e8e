// ISO 8601 weeks ("2026-W47") as people in one IANA time zone see them. The week a
// Monday-morning digest belongs to depends on the reader's wall clock, not on UTC;
// Luxon does the calendar, the zones and the DST gaps.
import { DateTime, IANAZone } from 'luxon';

const WEEK_RE = /^(\d{4})-W(\d{2})$/;

export interface IsoWeekParts {
  year: number;
  week: number;
}

/** A calendar date as written on a wall calendar (month 1-12). */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/**
 * Zones already found valid. Luxon checks a zone by building an
 * Intl.DateTimeFormat, a costly ICU object: once per page view it was a fifth
 * of the receiver's time under many viewers (bench/digest-views.ts).
 */
const validZones = new Set<string>();

/** Throws a RangeError naming the zone when it is not a valid IANA time zone. */
export function assertTimeZone(timeZone: string): void {
  if (validZones.has(timeZone)) return;
  if (!IANAZone.isValidZone(timeZone)) {
    throw new RangeError(`Unknown time zone "${timeZone}": use an IANA name such as "Europe/Paris" or "UTC"`);
  }
  validZones.add(timeZone);
}

function inZone(date: Date, timeZone: string): DateTime {
  assertTimeZone(timeZone);
  return DateTime.fromJSDate(date, { zone: timeZone });
}

/** "YYYY-MM-DD" of an instant in a zone. */
export function isoDateOf(date: Date, timeZone: string): string {
  return inZone(date, timeZone).toISODate() as string;
}

/**
 * The first instant of a calendar day in a zone. Where a DST jump skips midnight
 * (e.g. America/Santiago), the day starts at the first wall time that exists.
 */
export function startOfDay(d: CalendarDate, timeZone: string): Date {
  assertTimeZone(timeZone);
  return DateTime.fromObject({ year: d.year, month: d.month, day: d.day }, { zone: timeZone }).startOf('day').toJSDate();
}

export function formatIsoWeek(p: IsoWeekParts): string {
  return `${String(p.year).padStart(4, '0')}-W${String(p.week).padStart(2, '0')}`;
}

function weekOf(dt: DateTime): string {
  return formatIsoWeek({ year: dt.weekYear, week: dt.weekNumber });
}

/** The ISO week an instant falls in, in a zone: "2026-W47". */
export function isoWeekOf(date: Date, timeZone: string): string {
  return weekOf(inZone(date, timeZone));
}

/** 52 or 53. */
export function weeksInIsoYear(year: number): number {
  return DateTime.utc(year, 6, 1).weeksInWeekYear;
}

/** Parses "2026-W47"; null for anything else, including week 53 of a 52-week year. */
export function parseIsoWeek(text: string): IsoWeekParts | null {
  const m = WEEK_RE.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (year < 1 || week < 1 || week > weeksInIsoYear(year)) return null;
  return { year, week };
}

export function isIsoWeek(text: string): boolean {
  return parseIsoWeek(text) !== null;
}

/** The Monday of an ISO week as a zone-free calendar day (Luxon in UTC). */
function mondayOf(isoWeek: string): DateTime {
  const p = parseIsoWeek(isoWeek);
  if (!p) throw new RangeError(`Not an ISO week: "${isoWeek}" (expected e.g. "2026-W47")`);
  return DateTime.fromObject({ weekYear: p.year, weekNumber: p.week, weekday: 1 }, { zone: 'utc' });
}

/** The ISO week n weeks after (or before, when negative) the given one. */
export function addIsoWeeks(isoWeek: string, n: number): string {
  return weekOf(mondayOf(isoWeek).plus({ weeks: n }));
}

export interface IsoWeekRange {
  /** Monday 00:00 in the zone (inclusive). */
  start: Date;
  /** The next Monday 00:00 in the zone (exclusive); a DST week is 167 or 169 hours long. */
  end: Date;
  /** Monday and Sunday as "YYYY-MM-DD", for people. */
  firstDay: string;
  lastDay: string;
}

/** The instants that bound an ISO week in a zone. */
export function isoWeekRange(isoWeek: string, timeZone: string): IsoWeekRange {
  const monday = mondayOf(isoWeek);
  const nextMonday = monday.plus({ weeks: 1 });
  return {
    start: startOfDay(monday, timeZone),
    end: startOfDay(nextMonday, timeZone),
    firstDay: monday.toISODate() as string,
    lastDay: monday.plus({ days: 6 }).toISODate() as string,
  };
}

/** The week that ended last, in the digest's zone: on a Monday morning, last Monday to Sunday. */
export function finishedWeekOf(now: Date, timeZone: string): string {
  return addIsoWeeks(isoWeekOf(now, timeZone), -1);
}
