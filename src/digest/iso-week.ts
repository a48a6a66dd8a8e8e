// ISO 8601 weeks ("2026-W47") as people in one IANA time zone see them.
// Only Intl is used: the week a Monday-morning digest belongs to depends on the
// reader's wall clock, not on UTC, and Node ships full ICU.

const WEEK_RE = /^(\d{4})-W(\d{2})$/;
const DAY_MS = 86_400_000;

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

/** One formatter per zone: constructing Intl.DateTimeFormat is far costlier than using it. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new RangeError(`Unknown time zone "${timeZone}": use an IANA name such as "Europe/Paris" or "UTC"`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws a RangeError naming the zone when it is not a valid IANA time zone. */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

interface WallTime extends CalendarDate {
  hour: number;
  minute: number;
  second: number;
}

function wallTime(ms: number, timeZone: string): WallTime {
  const out: WallTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of formatterFor(timeZone).formatToParts(ms)) {
    if (p.type === 'year' || p.type === 'month' || p.type === 'day' || p.type === 'hour' || p.type === 'minute' || p.type === 'second') {
      out[p.type] = Number(p.value);
    }
  }
  return out;
}

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallTime(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The calendar date of an instant in a zone. */
export function calendarDateOf(date: Date, timeZone: string): CalendarDate {
  const w = wallTime(date.getTime(), timeZone);
  return { year: w.year, month: w.month, day: w.day };
}

/** "YYYY-MM-DD" of an instant in a zone. */
export function isoDateOf(date: Date, timeZone: string): string {
  return formatCalendarDate(calendarDateOf(date, timeZone));
}

export function formatCalendarDate(d: CalendarDate): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/**
 * The first instant of a calendar day in a zone. Where a DST jump skips midnight
 * (e.g. America/Santiago), the day starts at the first wall time that exists.
 */
export function startOfDay(d: CalendarDate, timeZone: string): Date {
  const guess = Date.UTC(d.year, d.month - 1, d.day);
  let t = guess - offsetAt(guess, timeZone);
  const second = guess - offsetAt(t, timeZone);
  if (second !== t) {
    // Offsets differ either side of a transition: pick the candidate that lands on the day.
    const w = wallTime(second, timeZone);
    t = w.day === d.day ? Math.min(t, second) : Math.max(t, second);
  }
  return new Date(t);
}

function isoWeekOfCalendar(d: CalendarDate): IsoWeekParts {
  const dayMs = Date.UTC(d.year, d.month - 1, d.day);
  const weekday = (new Date(dayMs).getUTCDay() + 6) % 7; // Monday = 0
  // The ISO year is the year of this week's Thursday.
  const thursday = new Date(dayMs + (3 - weekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return { year, week };
}

export function formatIsoWeek(p: IsoWeekParts): string {
  return `${String(p.year).padStart(4, '0')}-W${String(p.week).padStart(2, '0')}`;
}

/** The ISO week an instant falls in, in a zone: "2026-W47". */
export function isoWeekOf(date: Date, timeZone: string): string {
  return formatIsoWeek(isoWeekOfCalendar(calendarDateOf(date, timeZone)));
}

/** 52 or 53: a year has 53 ISO weeks when 28 December falls in week 53. */
export function weeksInIsoYear(year: number): number {
  return isoWeekOfCalendar({ year, month: 12, day: 28 }).week;
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

function parseOrThrow(isoWeek: string): IsoWeekParts {
  const p = parseIsoWeek(isoWeek);
  if (!p) throw new RangeError(`Not an ISO week: "${isoWeek}" (expected e.g. "2026-W47")`);
  return p;
}

/** The Monday of an ISO week as a calendar date (zone-free). */
export function mondayOf(isoWeek: string): CalendarDate {
  const { year, week } = parseOrThrow(isoWeek);
  const jan4 = Date.UTC(year, 0, 4);
  const jan4Weekday = (new Date(jan4).getUTCDay() + 6) % 7;
  const monday = new Date(jan4 + ((week - 1) * 7 - jan4Weekday) * DAY_MS);
  return { year: monday.getUTCFullYear(), month: monday.getUTCMonth() + 1, day: monday.getUTCDate() };
}

function addDays(d: CalendarDate, days: number): CalendarDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day) + days * DAY_MS);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** The ISO week n weeks after (or before, when negative) the given one. */
export function addIsoWeeks(isoWeek: string, n: number): string {
  return formatIsoWeek(isoWeekOfCalendar(addDays(mondayOf(isoWeek), n * 7)));
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
  return {
    start: startOfDay(monday, timeZone),
    end: startOfDay(addDays(monday, 7), timeZone),
    firstDay: formatCalendarDate(monday),
    lastDay: formatCalendarDate(addDays(monday, 6)),
  };
}
