// The forecast of one objective with an end date: will its open work be done by then?
// See docs/FORECASTS.md for the method in words.
import type { ForecastStatus, OpenTicket, Outlook } from './types.js';
import { countsOf, type HistoryIndex, type WeeklyCounts } from './weekly-history.js';
import { dayScale } from './calendar-days.js';
import { firstKnownWeek } from './history-window.js';
import { forecastSeed } from './prng.js';
import { NOT_DONE, quantileOf, simulate } from './simulate.js';

export interface ObjectiveToForecast {
  id: string;
  /** The last day of the objective's period ("YYYY-MM-DD", `period.end`). */
  endDate: string;
  /** Its open tickets (under its lineage), in the trackers' rank order. */
  open: readonly OpenTicket[];
}

export interface ForecastContext {
  history: HistoryIndex;
  /** Every open ticket per team (aligned or not): the denominator of an objective's share of a team. */
  teamOpen: ReadonlyMap<string, number>;
  /**
   * When completion records begin (the first backfill). Weeks before it are not zeros but
   * unknown, so they are left out. Default: the whole window is known.
   */
  recordsSince?: Date;
}

/** Tuning for forecasts; every field has a default. */
export interface ForecastOptions {
  /** Monte Carlo trials. Default 10,000. */
  trials?: number;
  /** Weeks a trial runs before it counts as "not within the horizon" (dates null). Default 156 (3 years). */
  horizonWeeks?: number;
  /** Below this many weeks of history the forecast says `low data`. Default 6. */
  minWeeks?: number;
  /** Below this many tickets done in the history the forecast says `low data`. Default 10. */
  minDone?: number;
  /** Add the weekly created work to the remaining work. Default true. */
  scopeGrowth?: boolean;
}

export interface Forecast {
  objectiveId: string;
  endDate: string;
  /** Probability (0-1) that the open work is done on or before the end date. */
  probability: number;
  /** Dates by which 50%, 85% and 95% of trials finish; null when beyond the horizon. */
  p50: string | null;
  p85: string | null;
  p95: string | null;
  status: ForecastStatus;
  /** The word the probability alone gives, also under low data. */
  outlook: Outlook;
  lowData: boolean;
  /** Whose weeks were sampled: the objective's own, or its teams' times its share of their open work. */
  basis: 'objective' | 'team share';
  /** Complete weeks of history used, and tickets done in them (the objective's own). */
  historyWeeks: number;
  doneInHistory: number;
  /** Mean done per week over the weeks sampled. */
  weeklyThroughput: number;
  /** Mean created per week over the weeks sampled (0 without scope growth). */
  weeklyCreated: number;
  openTickets: number;
  /** Open tickets, in rank order, not finished by the end date in the P85 case. */
  cutLine: string[];
}

export function outlookOf(probability: number): Outlook {
  return probability >= 0.85 ? 'on track' : probability >= 0.5 ? 'at risk' : 'off track';
}

interface Series {
  done: number[];
  created: number[];
  doneThisWeek: number;
  createdThisWeek: number;
}

/** The objective's own weeks, from the first week it had any work (earlier zeros are not its pace). */
function ownSeries(counts: WeeklyCounts, from: number): Series {
  const start = Math.max(from, counts.firstActiveWeek < 0 ? counts.done.length : counts.firstActiveWeek);
  return { done: counts.done.slice(start), created: counts.created.slice(start), doneThisWeek: counts.doneThisWeek, createdThisWeek: counts.createdThisWeek };
}

/**
 * The low-data fallback: each team's weekly done and created, times the objective's
 * share of that team's open work (its open tickets on the team ÷ all the team's open
 * tickets), summed over the teams it has open work on.
 */
function teamShareSeries(objective: ObjectiveToForecast, context: ForecastContext, from: number): Series {
  const weeks = context.history.window.weeks.length;
  const mine = new Map<string, number>();
  for (const t of objective.open) mine.set(t.team, (mine.get(t.team) ?? 0) + 1);
  const teams = [...mine].map(([team, count]) => {
    const counts = countsOf(context.history.byTeam, team, weeks);
    return { counts, share: count / Math.max(count, context.teamOpen.get(team) ?? 0) };
  });
  const active = teams.map((t) => t.counts.firstActiveWeek).filter((w) => w >= 0);
  const start = Math.max(from, active.length ? Math.min(...active) : weeks);
  const series: Series = { done: [], created: [], doneThisWeek: 0, createdThisWeek: 0 };
  for (let w = start; w < weeks; w++) {
    series.done.push(teams.reduce((sum, t) => sum + t.share * t.counts.done[w]!, 0));
    series.created.push(teams.reduce((sum, t) => sum + t.share * t.counts.created[w]!, 0));
  }
  series.doneThisWeek = teams.reduce((sum, t) => sum + t.share * t.counts.doneThisWeek, 0);
  series.createdThisWeek = teams.reduce((sum, t) => sum + t.share * t.counts.createdThisWeek, 0);
  return series;
}

const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

export function forecastObjective(objective: ObjectiveToForecast, context: ForecastContext, options: ForecastOptions = {}): Forecast {
  const trials = options.trials ?? 10_000;
  const horizonWeeks = options.horizonWeeks ?? 156;
  if (!Number.isInteger(trials) || trials < 1) throw new RangeError(`trials must be a whole number from 1, got ${trials}`);
  if (!Number.isInteger(horizonWeeks) || horizonWeeks < 1) throw new RangeError(`horizonWeeks must be a whole number from 1, got ${horizonWeeks}`);
  const { window } = context.history;
  const scale = dayScale(window);
  const endOffset = scale.offsetOf(objective.endDate, `Objective ${objective.id}: end date`);
  const todayOffset = scale.offsetOf(window.today);
  const from = firstKnownWeek(window, context.recordsSince);
  const own = ownSeries(countsOf(context.history.byNode, objective.id, window.weeks.length), from);
  const doneInHistory = own.done.reduce((a, b) => a + b, 0);
  const lowData = own.done.length < (options.minWeeks ?? 6) || doneInHistory < (options.minDone ?? 10);
  const series = lowData ? teamShareSeries(objective, context, from) : own;
  const created = options.scopeGrowth === false ? series.created.map(() => 0) : series.created;
  const open = objective.open.length;
  const result = simulate({
    done: series.done,
    created,
    open,
    doneThisWeek: series.doneThisWeek,
    createdThisWeek: options.scopeGrowth === false ? 0 : series.createdThisWeek,
    todayOffset,
    endOffset,
    trials,
    horizonWeeks,
    seed: forecastSeed(objective.id, window.currentWeek),
  });
  const probability = result.finishedByEnd / trials;
  const dateAt = (q: number): string | null => {
    const offset = quantileOf(result.finish, q);
    return offset === NOT_DONE ? null : scale.dateAt(offset);
  };
  // The P85 case of the work finished by the end date: at least 85% of trials finish this much.
  const burnP85 = result.burnAtEnd[trials - Math.ceil(0.85 * trials)]!;
  const finishedTickets = Math.min(open, Math.floor(burnP85 + 1e-9));
  const outlook = outlookOf(probability);
  return {
    objectiveId: objective.id,
    endDate: objective.endDate,
    probability,
    p50: dateAt(0.5),
    p85: dateAt(0.85),
    p95: dateAt(0.95),
    // Nothing open is nothing to doubt: low data only qualifies a forecast of open work.
    status: lowData && open > 0 ? 'low data' : outlook,
    outlook,
    lowData,
    basis: lowData ? 'team share' : 'objective',
    historyWeeks: own.done.length,
    doneInHistory,
    weeklyThroughput: mean(series.done),
    weeklyCreated: mean(created),
    openTickets: open,
    cutLine: objective.open.slice(finishedTickets).map((t) => t.key),
  };
}
