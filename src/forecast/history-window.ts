// The calendar weeks a history is counted in: the last complete ISO weeks before the
// current one, in the digest's time zone (a ticket done on Sunday 23:30 in Paris
// belongs to that Sunday's week, whatever UTC says).
import { addIsoWeeks, isoDateOf, isoWeekOf, isoWeekRange } from '../strategy/iso-week.js';

export interface HistoryWindow {
  timeZone: string;
  /** Today as "YYYY-MM-DD" in the zone. */
  today: string;
  /** The ISO week `now` falls in: week 1 of every forecast. */
  currentWeek: string;
  /** The complete weeks before it, oldest first ("2026-W38" … "2026-W49"). */
  weeks: string[];
  /**
   * Week starts as epoch ms: bounds[i] starts weeks[i], bounds[weeks.length] starts the
   * current week and bounds[weeks.length + 1] ends it. Bucketing compares numbers, so a
   * hundred thousand records never build a calendar object each.
   */
  bounds: number[];
}

/** The default history: 12 complete weeks. */
export const HISTORY_WEEKS = 12;

export function historyWindow(now: Date, timeZone: string, weeks = HISTORY_WEEKS): HistoryWindow {
  if (!Number.isInteger(weeks) || weeks < 1) throw new RangeError(`A history needs a whole number of weeks (at least 1), got ${weeks}`);
  if (Number.isNaN(now.getTime())) throw new RangeError('The time given to the forecast is not a valid date');
  const currentWeek = isoWeekOf(now, timeZone);
  const names = Array.from({ length: weeks }, (_, i) => addIsoWeeks(currentWeek, i - weeks));
  const bounds = [...names, currentWeek].map((w) => isoWeekRange(w, timeZone).start.getTime());
  bounds.push(isoWeekRange(currentWeek, timeZone).end.getTime());
  return { timeZone, today: isoDateOf(now, timeZone), currentWeek, weeks: names, bounds };
}

/**
 * Where an instant falls: 0 … weeks.length - 1 for a complete week, weeks.length for the
 * current week, -1 before the window or after the current week.
 */
export function weekIndexOf(window: HistoryWindow, epochMs: number): number {
  const { bounds } = window;
  if (!(epochMs >= bounds[0]!) || epochMs >= bounds[bounds.length - 1]!) return -1;
  let lo = 0;
  let hi = bounds.length - 2;
  // The last i with bounds[i] <= epochMs.
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (bounds[mid]! <= epochMs) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The index of the first complete week that starts at or after `recordsSince` (when
 * completion records begin): a partly recorded week would read as a slow one.
 * 0 when records cover the whole window.
 */
export function firstKnownWeek(window: HistoryWindow, recordsSince?: Date): number {
  if (!recordsSince) return 0;
  const ms = recordsSince.getTime();
  if (Number.isNaN(ms)) throw new RangeError('recordsSince is not a valid date');
  const i = window.bounds.findIndex((b) => b >= ms);
  return i < 0 ? window.weeks.length : Math.min(i, window.weeks.length);
}
