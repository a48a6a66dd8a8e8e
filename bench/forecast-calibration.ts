// Calibration of the forecasts on synthetic objectives whose future is known in law:
// each objective's weekly throughput is Poisson with its own rate, 12 weeks of history
// are drawn from it, the forecast is made, then the actual future is drawn from the same
// Poisson and we look at whether the work was done by the P85 date. A calibrated P85 is
// met 85% of the time. Deterministic: everything is drawn from one seed.
import { mulberry32 } from '../src/forecast/prng.js';
import { historyWindow } from '../src/forecast/history-window.js';
import { bucketHistory } from '../src/forecast/weekly-history.js';
import { forecastObjective } from '../src/forecast/forecast-objective.js';
import { dayScale } from '../src/forecast/calendar-days.js';
import type { CompletionRecord, OpenTicket } from '../src/forecast/types.js';

export interface CalibrationResult {
  objectives: number;
  /** Share of objectives whose actual finish fell on or before the P85 date. */
  p85HitRate: number;
  p50HitRate: number;
  p95HitRate: number;
}

/** Knuth's method: fine for the small rates of weekly ticket counts. */
export function poisson(rate: number, rand: () => number): number {
  const limit = Math.exp(-rate);
  let k = 0;
  let p = rand();
  while (p > limit) {
    k++;
    p *= rand();
  }
  return k;
}

/** The day (from the first future week's Monday) the open work finishes, by the forecasts' own within-week rule. */
function actualFinish(open: number, rate: number, rand: () => number): number {
  let remaining = open;
  for (let k = 0; ; k++) {
    const d = poisson(rate, rand);
    if (d > 0 && d >= remaining) return 7 * k + Math.max(1, Math.ceil((7 * remaining) / d)) - 1;
    remaining -= d;
  }
}

export const CALIBRATION_NOW = new Date('2026-12-07T08:00:00Z');
export const CALIBRATION_TZ = 'Europe/Paris';

export function calibrate(seed: number, objectives = 500, trials = 10_000): CalibrationResult {
  const rand = mulberry32(seed);
  const window = historyWindow(CALIBRATION_NOW, CALIBRATION_TZ);
  const scale = dayScale(window);
  const hits = { p50: 0, p85: 0, p95: 0 };
  for (let i = 0; i < objectives; i++) {
    const id = `synthetic-${seed}-${i}`;
    const rate = 1 + rand() * 11;
    const openCount = 5 + Math.floor(rand() * 95);
    const records: CompletionRecord[] = [];
    window.weeks.forEach((_, w) => {
      // Wednesday noon-ish of each history week.
      const doneAt = new Date(window.bounds[w]! + 2.5 * 86_400_000).toISOString();
      const count = poisson(rate, rand);
      for (let k = 0; k < count; k++) records.push({ key: `${id}-D${w}-${k}`, team: 'T', doneAt, verdict: 'aligned', nodeIds: [id] });
    });
    const open: OpenTicket[] = Array.from({ length: openCount }, (_, k) => ({ key: `${id}-O${k}`, team: 'T' }));
    const history = bucketHistory(window, records);
    const f = forecastObjective({ id, endDate: scale.dateAt(7 * 104), open }, { history, teamOpen: new Map([['T', openCount]]) }, { trials, minDone: 0 });
    const actual = actualFinish(openCount, rate, rand);
    for (const q of ['p50', 'p85', 'p95'] as const) {
      const date = f[q];
      if (date !== null && actual <= scale.offsetOf(date)) hits[q]++;
    }
  }
  return { objectives, p50HitRate: hits.p50 / objectives, p85HitRate: hits.p85 / objectives, p95HitRate: hits.p95 / objectives };
}
