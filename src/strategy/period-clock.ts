// Calendar dates of the strategy tree read in one time zone (DIGEST_TZ), so the
// verdict engine and the digest agree on when a period starts and ends: a node
// whose period ends on 31 Dec is active until midnight there, for both.
import { DateTime } from 'luxon';

/** Milliseconds at 00:00 of `date` (YYYY-MM-DD) in `timeZone`; NaN for a date that does not exist. */
export function dayStartIn(date: string, timeZone: string): number {
  const day = DateTime.fromISO(date, { zone: timeZone });
  return day.isValid ? day.startOf('day').toMillis() : NaN;
}

/** Milliseconds just after the last moment of `date` in `timeZone`: a period ending that day includes all of it. */
export function dayEndIn(date: string, timeZone: string): number {
  const day = DateTime.fromISO(date, { zone: timeZone });
  return day.isValid ? day.startOf('day').plus({ days: 1 }).toMillis() : NaN;
}

/** "Today" (YYYY-MM-DD) at `now` in `timeZone`. */
export function todayIn(now: Date, timeZone: string): string {
  return DateTime.fromJSDate(now, { zone: timeZone }).toISODate() ?? now.toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round(DateTime.fromISO(to, { zone: 'UTC' }).diff(DateTime.fromISO(from, { zone: 'UTC' }), 'days').days);
}

/** `date` plus `days` calendar days (YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate() ?? date;
}
