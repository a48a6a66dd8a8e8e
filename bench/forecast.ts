// Forecast figures: calibration of the P85 date over synthetic Poisson objectives, and
// the time to forecast 50 objectives over 100,000 tickets and 12 weeks of completions
// (bucketing included: what the review's worker will run).
import { calibrate } from './forecast-calibration.js';
import { mulberry32 } from '../src/forecast/prng.js';
import { historyWindow } from '../src/forecast/history-window.js';
import { bucketHistory } from '../src/forecast/weekly-history.js';
import { forecastObjective, type Forecast, type ObjectiveToForecast } from '../src/forecast/forecast-objective.js';
import { teamCapacity } from '../src/forecast/capacity.js';
import { allocation } from '../src/forecast/allocation.js';
import { dayScale } from '../src/forecast/calendar-days.js';
import type { CompletionRecord, CreatedEvent, OpenTicket } from '../src/forecast/types.js';
import type { Figure } from './figures.js';

export const NOW = new Date('2026-12-07T08:00:00Z');
export const TZ = 'Europe/Paris';
const WEEK_MS = 7 * 86_400_000;

export interface ForecastWorkspace {
  completions: CompletionRecord[];
  created: CreatedEvent[];
  objectives: ObjectiveToForecast[];
  teamOpen: Map<string, number>;
}

export type WorkspaceMix = 'mixed' | 'steady';

/**
 * 100,000 tickets by default in 5 teams; 50 objectives with an end date, each with 3
 * lineage nodes (objective, theme, root).
 * - `mixed`: objective o finishes 20 to 80 tickets a week over the 12 weeks (10% more
 *   done as orphans), takes in new work at 0% to 90% of that pace, and has open work for
 *   2 to 40 weeks of its net pace; its end date is drawn apart from that, so the forecasts
 *   span on track to off track. The tickets left over are open outside those objectives
 *   (undated goals, orphans): they count in the teams' open work and the bucketing.
 * - `steady`: every objective takes in as much as it finishes (a stable backlog) and
 *   holds 1,400 open tickets: every trial runs until it is clear it cannot finish, the slow case.
 */
export function forecastWorkspace(mix: WorkspaceMix = 'mixed', tickets = 100_000, objectiveCount = 50, seed = 7): ForecastWorkspace {
  const rand = mulberry32(seed);
  const window = historyWindow(NOW, TZ);
  const scale = dayScale(window);
  const start = window.bounds[0]!;
  const span = window.bounds[window.weeks.length + 1]! - start;
  const teams = ['ENG', 'WEB', 'MOB', 'OPS', 'DATA'];
  const completions: CompletionRecord[] = [];
  const created: CreatedEvent[] = [];
  const teamOpen = new Map<string, number>();
  const objectives: ObjectiveToForecast[] = [];
  let made = 0;
  const inWindow = (): number => start + rand() * span;
  const ticket = (team: string, nodeIds: string[], createdInWindow: boolean, done: 'aligned' | 'orphan' | null): string => {
    const key = `${team}-${++made}`;
    created.push({ key, team, createdAt: new Date(createdInWindow ? inWindow() : start - rand() * 40 * WEEK_MS).toISOString(), nodeIds });
    if (done) completions.push({ key, team, doneAt: new Date(inWindow()).toISOString(), verdict: done, nodeIds: done === 'orphan' ? [] : nodeIds, estimate: 1 + Math.floor(rand() * 5) });
    else teamOpen.set(team, (teamOpen.get(team) ?? 0) + 1);
    return key;
  };
  for (let o = 0; o < objectiveCount; o++) {
    const team = teams[o % teams.length]!;
    const nodeIds = [`obj-${o}`, `theme-${Math.floor(o / 5)}`, 'root'];
    const pace = mix === 'steady' ? 50 : 20 + Math.floor(rand() * 61);
    const intake = mix === 'steady' ? 1 : 0.9 * rand();
    const doneCount = pace * 12;
    const createdCount = Math.round(intake * doneCount);
    const openCount = mix === 'steady' ? 1400 : Math.max(1, Math.round(pace * (1 - intake) * (2 + rand() * 38)));
    for (let k = 0; k < doneCount; k++) ticket(team, nodeIds, k < createdCount, 'aligned');
    for (let k = 0; k < Math.round(doneCount / 10); k++) ticket(team, [], false, 'orphan');
    const open: OpenTicket[] = [];
    for (let k = 0; k < openCount; k++) open.push({ key: ticket(team, nodeIds, false, null), team });
    objectives.push({ id: `obj-${o}`, endDate: scale.dateAt(7 * (2 + Math.floor(rand() * 38)) + 6), open });
  }
  while (made < tickets) ticket(teams[made % teams.length]!, rand() < 0.5 ? [] : [`goal-${made % 40}`], rand() < 0.2, null);
  return { completions, created, objectives, teamOpen };
}

export interface ReviewComputation {
  forecasts: Forecast[];
  ms: number;
  /** Of which bucketing the records into weeks. */
  bucketMs: number;
  /** CPU time of the process over the same span: what the review costs on a busy machine, where wall time also counts waiting. */
  cpuMs: number;
}

/** Everything the review computes from the records: history, 50 forecasts, capacity per team, allocation. */
export function computeForecastReview(ws: ForecastWorkspace): ReviewComputation {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const window = historyWindow(NOW, TZ);
  const history = bucketHistory(window, ws.completions, ws.created);
  const bucketMs = performance.now() - t0;
  const forecasts = ws.objectives.map((o) => forecastObjective(o, { history, teamOpen: ws.teamOpen }));
  for (const team of ws.teamOpen.keys()) {
    const commitments = ws.objectives.map((o) => ({ objectiveId: o.id, endDate: o.endDate, remaining: o.open.filter((t) => t.team === team).length }));
    teamCapacity({ team, history, commitments });
  }
  const openTotal = ws.objectives.reduce((s, o) => s + o.open.length, 0);
  allocation({ history, nodes: ws.objectives.map((o) => ({ id: o.id, targetShare: 1 / ws.objectives.length, openCount: o.open.length })), openTotal });
  const cpu = process.cpuUsage(cpu0);
  return { forecasts, ms: performance.now() - t0, bucketMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const range = (xs: number[], digits: number): string => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function timeReview(ws: ForecastWorkspace, runs: number): { times: number[]; bucketTimes: number[]; cpuTimes: number[]; statuses: string } {
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const bucketTimes: number[] = [];
  let statuses = '';
  for (let r = 0; r < runs; r++) {
    const { forecasts, ms, bucketMs, cpuMs } = computeForecastReview(ws);
    times.push(ms);
    cpuTimes.push(cpuMs);
    bucketTimes.push(bucketMs);
    const tally = new Map<string, number>();
    for (const f of forecasts) tally.set(f.status, (tally.get(f.status) ?? 0) + 1);
    statuses = [...tally].map(([s, n]) => `${n} ${s}`).join(', ');
  }
  return { times, bucketTimes, cpuTimes, statuses };
}

export function runForecastBench(options: { seeds?: number; runs?: number } = {}): Figure[] {
  const seeds = options.seeds ?? 8;
  const runs = options.runs ?? 7;
  const rates = Array.from({ length: seeds }, (_, i) => calibrate(i + 1).p85HitRate * 100);
  const worst = Math.max(...rates.map((x) => Math.abs(x - 85)));
  const mixed = timeReview(forecastWorkspace('mixed'), runs);
  const steady = timeReview(forecastWorkspace('steady'), runs);
  return [
    { bench: 'forecast', name: `P85 met, 500 Poisson objectives × ${seeds} seeds`, value: rates.reduce((a, b) => a + b) / seeds, unit: '%', note: `per seed ${range(rates, 1)}%, target 85 ± 4` },
    { bench: 'forecast', name: 'worst seed off 85%', value: worst, unit: 'points', target: { op: '<=', value: 4 } },
    { bench: 'forecast', name: `review, 50 objectives, 100k tickets (median of ${runs})`, value: median(mixed.times), unit: 'ms', target: { op: '<', value: 1000 }, note: `range ${range(mixed.times, 0)} ms, CPU ${range(mixed.cpuTimes, 0)} ms, bucketing ${range(mixed.bucketTimes, 0)} ms; ${mixed.statuses}` },
    { bench: 'forecast', name: `the same, backlogs that never shrink (median of ${runs})`, value: median(steady.times), unit: 'ms', target: { op: '<', value: 1000 }, note: `range ${range(steady.times, 0)} ms, CPU ${range(steady.cpuTimes, 0)} ms, bucketing ${range(steady.bucketTimes, 0)} ms; ${steady.statuses}` },
  ];
}
