// The Monte Carlo behind a forecast: each trial replays the future week by week from
// the history's own weeks, adding the work created that week and taking off the work
// done, until the open work is gone.
//
// Sampling is a two-stage (predictive) bootstrap. A plain bootstrap of 12 weeks treats
// those 12 weeks as the truth and comes out too narrow: when the 12 weeks happen to run
// fast, every trial runs fast, and the P85 date is met only about 80% of the time. So each
// trial first draws its own resample of the history (12 weeks with replacement: what the
// team's "true" pace might be, given what was seen), then draws its weeks from that
// resample. The spread of the trials then covers both the week-to-week noise and the
// uncertainty of the pace itself; bench/forecast.ts measures the calibration.
//
// A trial's finish is a day, not a week: within the week it finishes, the work is taken
// as done evenly over the days, so 5 left with 10 done that week finishes mid-week.
//
// Each trial draws from its own stream, seeded by the forecast's seed and the trial's
// number, not from one stream shared in turn: then trial t sees the same weeks whatever
// the open work or the pace, so more open work can only finish later and more throughput
// only sooner, trial by trial (common random numbers), not merely on average.
import { mixSeed } from './prng.js';

export interface SimulationInput {
  /** Done per history week (may be fractional: the team-share fallback). */
  done: readonly number[];
  /** Created per history week, paired with `done` week by week (a busy week keeps both). Zeros for no scope growth. */
  created: readonly number[];
  /** Open work now, in tickets. */
  open: number;
  /** Already done and created in the current week: that week's sampled figures are reduced by them. */
  doneThisWeek: number;
  createdThisWeek: number;
  /** Today's day in the current week: 0 Monday … 6 Sunday. */
  todayOffset: number;
  /** Days from the current week's Monday to the end date (its last day); negative when it has passed. */
  endOffset: number;
  trials: number;
  horizonWeeks: number;
  seed: number;
}

export interface SimulationResult {
  /** Each trial's finishing day (days from the current week's Monday), ascending; NOT_DONE past the horizon. */
  finish: Int32Array;
  /** Each trial's open work finished by the end date (0 … open), ascending. */
  burnAtEnd: Float64Array;
  /** Trials finished on or before the end date. */
  finishedByEnd: number;
}

export const NOT_DONE = 0x7fffffff;

// Float sums of team shares (0.1 + 0.2) must still finish.
const EPS = 1e-9;

export function simulate(input: SimulationInput): SimulationResult {
  const { done, created, open, trials, horizonWeeks, todayOffset, endOffset } = input;
  const n = done.length;
  const finish = new Int32Array(trials).fill(NOT_DONE);
  const burnAtEnd = new Float64Array(trials);
  const endWeek = endOffset >= todayOffset ? Math.floor(endOffset / 7) : -1;
  if (n === 0 || open <= 0) {
    // Nothing open is done today, whatever the end date; with no history to sample, nothing finishes.
    if (open <= 0) finish.fill(todayOffset);
    return { finish, burnAtEnd, finishedByEnd: open <= 0 ? trials : 0 };
  }
  const resample = new Int32Array(n);
  let finishedByEnd = 0;
  for (let t = 0; t < trials; t++) {
    // mulberry32 (prng.ts), inlined: this loop runs millions of times per review.
    let a = mixSeed(input.seed, t);
    const rand = (): number => {
      a = (a + 0x6d2b79f5) >>> 0;
      let z = Math.imul(a ^ (a >>> 15), a | 1);
      z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
      return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
    };
    // The best week this trial can draw: past it, a trial that cannot finish within the
    // horizon even at that pace every week stops early (it would end NOT_DONE anyway), so
    // objectives whose work grows as fast as it is done cost weeks, not the whole horizon.
    let bestNet = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const j = (rand() * n) | 0;
      resample[i] = j;
      bestNet = Math.max(bestNet, done[j]! - created[j]!);
    }
    let remaining = open;
    let burn = endWeek < 0 ? 0 : Number.NaN;
    for (let k = 0; k < horizonWeeks; k++) {
      const j = resample[(rand() * n) | 0]!;
      let d = done[j]!;
      let c = created[j]!;
      const first = k === 0 ? todayOffset : 0;
      if (k === 0) {
        d = Math.max(0, d - input.doneThisWeek);
        c = Math.max(0, c - input.createdThisWeek);
      }
      remaining += c;
      if (k === endWeek) {
        const fraction = (endOffset - 7 * k - first + 1) / (7 - first);
        burn = open - Math.max(0, remaining - d * fraction);
      }
      if (d > 0 && d >= remaining - EPS) {
        const day = first + Math.max(1, Math.ceil(((7 - first) * remaining) / d - EPS)) - 1;
        finish[t] = 7 * k + day;
        if (Number.isNaN(burn)) burn = open;
        break;
      }
      remaining -= d;
      if (k >= endWeek && remaining > (horizonWeeks - 1 - k) * bestNet + 1e-6) break;
    }
    if (Number.isNaN(burn)) burn = open - remaining;
    burnAtEnd[t] = Math.min(open, Math.max(0, burn));
    if (finish[t]! <= endOffset) finishedByEnd++;
  }
  finish.sort();
  burnAtEnd.sort();
  return { finish, burnAtEnd, finishedByEnd };
}

/** The value at quantile q of ascending samples: the smallest value at least q of them do not exceed. */
export function quantileOf(sorted: Int32Array, q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}
