// Calendar dates (YYYY-MM-DD) as the config writes them, compared as UTC days.

/** Milliseconds at 00:00 UTC of the date, or NaN when it is not a real date (2026-02-30). */
export function dayStart(date: string): number {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms)) return NaN;
  return new Date(ms).toISOString().slice(0, 10) === date ? ms : NaN;
}

/** Milliseconds just after the date's last moment: a period ending on `date` includes that whole day. */
export function dayEnd(date: string): number {
  return dayStart(date) + 24 * 60 * 60 * 1000;
}
