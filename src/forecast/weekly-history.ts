// Completions and creations bucketed into the window's weeks, per strategy node (the
// work under its lineage), per team and overall, in one pass over the records.
import type { CompletionRecord, CreatedEvent } from './types.js';
import { weekIndexOf, type HistoryWindow } from './history-window.js';

/** Weekly counts over a window's complete weeks (oldest first), and the current week so far. */
export interface WeeklyCounts {
  done: number[];
  /** Sum of the estimates of the done tickets (a missing estimate counts 0). */
  doneEstimate: number[];
  created: number[];
  /** Done that was orphan or exempt when it closed: unplanned work. */
  unplanned: number[];
  unplannedEstimate: number[];
  doneThisWeek: number;
  createdThisWeek: number;
  /** The first complete week with any completion or creation; -1 when none. */
  firstActiveWeek: number;
}

export interface HistoryIndex {
  window: HistoryWindow;
  byNode: Map<string, WeeklyCounts>;
  byTeam: Map<string, WeeklyCounts>;
  all: WeeklyCounts;
}

export function emptyCounts(weeks: number): WeeklyCounts {
  const zeros = (): number[] => new Array<number>(weeks).fill(0);
  return { done: zeros(), doneEstimate: zeros(), created: zeros(), unplanned: zeros(), unplannedEstimate: zeros(), doneThisWeek: 0, createdThisWeek: 0, firstActiveWeek: -1 };
}

function instantOf(text: string, key: string, field: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new RangeError(`Ticket ${key}: ${field} "${text}" is not an ISO 8601 date`);
  return ms;
}

function countsFor(map: Map<string, WeeklyCounts>, id: string, weeks: number): WeeklyCounts {
  let c = map.get(id);
  if (!c) map.set(id, (c = emptyCounts(weeks)));
  return c;
}

function markActive(c: WeeklyCounts, week: number, weeks: number): void {
  if (week < weeks && (c.firstActiveWeek < 0 || week < c.firstActiveWeek)) c.firstActiveWeek = week;
}

function addDone(c: WeeklyCounts, week: number, weeks: number, estimate: number, unplanned: boolean): void {
  markActive(c, week, weeks);
  if (week === weeks) {
    c.doneThisWeek++;
    return;
  }
  c.done[week]!++;
  c.doneEstimate[week]! += estimate;
  if (unplanned) {
    c.unplanned[week]!++;
    c.unplannedEstimate[week]! += estimate;
  }
}

function addCreated(c: WeeklyCounts, week: number, weeks: number): void {
  markActive(c, week, weeks);
  if (week === weeks) c.createdThisWeek++;
  else c.created[week]!++;
}

/** Buckets records into the window; records outside it are ignored, a bad date is an error naming the ticket. */
export function bucketHistory(window: HistoryWindow, completions: Iterable<CompletionRecord>, created: Iterable<CreatedEvent> = []): HistoryIndex {
  const weeks = window.weeks.length;
  const index: HistoryIndex = { window, byNode: new Map(), byTeam: new Map(), all: emptyCounts(weeks) };
  for (const r of completions) {
    const week = weekIndexOf(window, instantOf(r.doneAt, r.key, 'doneAt'));
    if (week < 0) continue;
    const estimate = typeof r.estimate === 'number' && Number.isFinite(r.estimate) && r.estimate > 0 ? r.estimate : 0;
    const unplanned = r.verdict === 'orphan' || r.verdict === 'exempt';
    addDone(index.all, week, weeks, estimate, unplanned);
    addDone(countsFor(index.byTeam, r.team, weeks), week, weeks, estimate, unplanned);
    // A lineage that names a node twice (hostile or looping data) counts the ticket once.
    for (const id of new Set(r.nodeIds)) addDone(countsFor(index.byNode, id, weeks), week, weeks, estimate, unplanned);
  }
  for (const e of created) {
    const week = weekIndexOf(window, instantOf(e.createdAt, e.key, 'createdAt'));
    if (week < 0) continue;
    addCreated(index.all, week, weeks);
    addCreated(countsFor(index.byTeam, e.team, weeks), week, weeks);
    for (const id of new Set(e.nodeIds)) addCreated(countsFor(index.byNode, id, weeks), week, weeks);
  }
  return index;
}

/** The counts of a node or team, zeros when it has none. */
export function countsOf(map: Map<string, WeeklyCounts>, id: string, weeks: number): WeeklyCounts {
  return map.get(id) ?? emptyCounts(weeks);
}
