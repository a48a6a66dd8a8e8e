// Capacity against commitments, per team: is the team promised more than it finishes?
//
// load     = Σ over the team's objectives with an end date of (its open tickets on the team ÷ weeks left)
// capacity = the team's mean weekly done × (1 − unplanned share), where the unplanned share
//            is the part of its done work in the history that was orphan or exempt when it
//            closed: measured, not assumed.
// load ÷ capacity above 1 is over-committed.
import { dayScale } from './calendar-days.js';
import { firstKnownWeek } from './history-window.js';
import { countsOf, type HistoryIndex } from './weekly-history.js';

export interface TeamCommitment {
  objectiveId: string;
  /** The last day of the objective's period, "YYYY-MM-DD". */
  endDate: string;
  /** The team's open tickets under the objective. */
  remaining: number;
}

export interface ObjectiveLoad extends TeamCommitment {
  /** Days from today to the end date, both counted, ÷ 7; at least 1 (see weeksLeftOf). */
  weeksLeft: number;
  /** Tickets per week this objective needs from the team. */
  load: number;
}

export interface MoveEndLever {
  objectiveId: string;
  /** Whole weeks to move this objective's end, alone, to bring the team to 1.0; null when that cannot suffice. */
  weeks: number | null;
}

export interface CapacityLevers {
  /** Open tickets to drop to bring load ÷ capacity to 1.0, taken from the nearest end dates first (each frees the most load there). */
  dropTickets: number;
  dropFrom: Array<{ objectiveId: string; tickets: number }>;
  /** Per colliding objective: move its end by this many weeks (the latest end is the last). */
  moveEnd: MoveEndLever[];
}

export interface TeamCapacity {
  team: string;
  /** Mean done per complete week of history. */
  throughput: number;
  /** Share (0-1) of the history's done work that was orphan or exempt. */
  unplannedShare: number;
  /** throughput × (1 − unplannedShare): tickets per week left for the objectives. */
  capacity: number;
  load: number;
  /** load ÷ capacity; Infinity when there is load and no capacity, 0 without load. */
  ratio: number;
  overCommitted: boolean;
  historyWeeks: number;
  /** Every commitment with open work, largest load first. */
  objectives: ObjectiveLoad[];
  /** When over-committed: the objectives with open work on the team (largest load first). */
  colliding: string[];
  /** When over-committed: what would bring the ratio to 1.0. */
  levers: CapacityLevers | null;
}

export interface CapacityInput {
  team: string;
  history: HistoryIndex;
  commitments: readonly TeamCommitment[];
  /** When completion records begin; default the whole window is known. */
  recordsSince?: Date;
}

const EPS = 1e-9;

/**
 * Weeks from today to the end date, both days counted. An objective ending within a
 * week, or already ended with work open, counts as due within one week: its work is
 * wanted now, and a smaller divisor would let one overdue ticket outweigh a quarter's.
 */
export function weeksLeftOf(daysLeftInclusive: number): number {
  return Math.max(1, daysLeftInclusive / 7);
}

function drop(objectives: readonly ObjectiveLoad[], excess: number): { total: number; dropFrom: CapacityLevers['dropFrom'] } {
  const dropFrom: CapacityLevers['dropFrom'] = [];
  let left = excess;
  let total = 0;
  for (const o of [...objectives].sort((a, b) => a.weeksLeft - b.weeksLeft || a.objectiveId.localeCompare(b.objectiveId))) {
    if (left <= EPS) break;
    const tickets = Math.min(o.remaining, Math.ceil(left * o.weeksLeft - EPS));
    if (tickets <= 0) continue;
    dropFrom.push({ objectiveId: o.objectiveId, tickets });
    total += tickets;
    left -= tickets / o.weeksLeft;
  }
  return { total, dropFrom };
}

function moveEnd(o: ObjectiveLoad, load: number, capacity: number): number | null {
  const room = capacity - (load - o.load);
  if (room <= EPS) return null;
  return Math.max(1, Math.ceil(o.remaining / room - o.weeksLeft - EPS));
}

export function teamCapacity(input: CapacityInput): TeamCapacity {
  const { history } = input;
  const { window } = history;
  const counts = countsOf(history.byTeam, input.team, window.weeks.length);
  const start = Math.max(firstKnownWeek(window, input.recordsSince), counts.firstActiveWeek < 0 ? window.weeks.length : counts.firstActiveWeek);
  const done = counts.done.slice(start).reduce((a, b) => a + b, 0);
  const unplanned = counts.unplanned.slice(start).reduce((a, b) => a + b, 0);
  const weeks = window.weeks.length - start;
  const throughput = weeks > 0 ? done / weeks : 0;
  const unplannedShare = done > 0 ? unplanned / done : 0;
  const capacity = throughput * (1 - unplannedShare);
  const scale = dayScale(window);
  const todayOffset = scale.offsetOf(window.today);
  const objectives = input.commitments
    .filter((c) => c.remaining > 0)
    .map((c) => {
      if (!Number.isInteger(c.remaining)) throw new RangeError(`Objective ${c.objectiveId}: remaining must be a whole number of tickets, got ${c.remaining}`);
      const weeksLeft = weeksLeftOf(scale.offsetOf(c.endDate, `Objective ${c.objectiveId}: end date`) - todayOffset + 1);
      return { ...c, weeksLeft, load: c.remaining / weeksLeft };
    })
    .sort((a, b) => b.load - a.load || a.objectiveId.localeCompare(b.objectiveId));
  const load = objectives.reduce((sum, o) => sum + o.load, 0);
  const ratio = load === 0 ? 0 : capacity > 0 ? load / capacity : Number.POSITIVE_INFINITY;
  const overCommitted = ratio > 1 + EPS;
  let levers: CapacityLevers | null = null;
  if (overCommitted) {
    const { total, dropFrom } = drop(objectives, load - capacity);
    const byEnd = [...objectives].sort((a, b) => a.endDate.localeCompare(b.endDate) || a.objectiveId.localeCompare(b.objectiveId));
    levers = { dropTickets: total, dropFrom, moveEnd: byEnd.map((o) => ({ objectiveId: o.objectiveId, weeks: moveEnd(o, load, capacity) })) };
  }
  return {
    team: input.team,
    throughput,
    unplannedShare,
    capacity,
    load,
    ratio,
    overCommitted,
    historyWeeks: weeks,
    objectives,
    colliding: overCommitted ? objectives.map((o) => o.objectiveId) : [],
    levers,
  };
}
