// Calendar days counted from the current week's Monday. Dates here are wall-calendar
// days ("2026-12-28"), zone-free: the zone was applied when the window was built.
import { DateTime } from 'luxon';
import { isoWeekRange } from '../strategy/iso-week.js';
import type { HistoryWindow } from './history-window.js';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function day(text: string, what: string): DateTime {
  const dt = DATE_RE.test(text) ? DateTime.fromISO(text, { zone: 'utc' }) : null;
  if (!dt?.isValid) throw new RangeError(`${what} "${text}" is not a calendar date (expected YYYY-MM-DD)`);
  return dt;
}

export interface DayScale {
  /** Days from the current week's Monday to a date (negative before it). */
  offsetOf(date: string, what?: string): number;
  /** The date a number of days after the current week's Monday. */
  dateAt(offset: number): string;
}

export function dayScale(window: HistoryWindow): DayScale {
  const monday = day(isoWeekRange(window.currentWeek, window.timeZone).firstDay, 'Monday');
  return {
    offsetOf: (date, what = 'Date') => Math.round(day(date, what).diff(monday, 'days').days),
    dateAt: (offset) => monday.plus({ days: offset }).toISODate() as string,
  };
}
