// Allocation on finished work: where the last weeks' effort actually went, per
// objective, beside where the open work sits and where the strategy says it should go.
//
// Shares are of planned work (done under some objective: aligned or stale at close), the
// same denominator as the digest's actual share of open work; orphan and exempt work is
// the team's unplanned share (capacity.ts), not an objective's.
import { countsOf, type HistoryIndex } from './weekly-history.js';

export interface AllocationNode {
  id: string;
  /** The intended share of all planned work (0-1; the digest's absolute target), or null when none is set. */
  targetShare: number | null;
  /** Open tickets under the node, and their estimates. */
  openCount: number;
  openEstimate?: number;
}

export interface AllocationInput {
  history: HistoryIndex;
  nodes: readonly AllocationNode[];
  /** All planned open tickets and estimates: the denominators of the open-work shares. */
  openTotal: number;
  openEstimateTotal?: number;
  /** Trailing weeks of finished work. Default 4. */
  weeks?: number;
}

export type Band = 'in' | 'out';

export interface AllocationRow {
  nodeId: string;
  finished: number;
  finishedEstimate: number;
  /** Share of the planned work finished in the trailing weeks, by count and by estimate; null when none finished. */
  actualShare: number | null;
  actualEstimateShare: number | null;
  openShare: number | null;
  openEstimateShare: number | null;
  targetShare: number | null;
  /** By count against the target; null without a target or without finished work. */
  band: Band | null;
}

/** Out of band when |actual − target| > max(5 points, 25% of the target). */
export function bandOf(actual: number | null, target: number | null): Band | null {
  if (actual === null || target === null) return null;
  return Math.abs(actual - target) > Math.max(0.05, 0.25 * target) + 1e-12 ? 'out' : 'in';
}

const sum = (xs: readonly number[], from: number, to: number): number => {
  let s = 0;
  for (let i = Math.max(0, from); i < to; i++) s += xs[i]!;
  return s;
};
const share = (part: number, whole: number | undefined): number | null => (whole !== undefined && whole > 0 ? part / whole : null);

function trailingWeeks(input: AllocationInput): number {
  const weeks = input.weeks ?? 4;
  if (!Number.isInteger(weeks) || weeks < 1) throw new RangeError(`Allocation needs a whole number of weeks (at least 1), got ${weeks}`);
  return weeks;
}

/** Each node's row over the `weeks` complete weeks ending with complete week `upTo` (exclusive); default the latest. */
export function allocation(input: AllocationInput, upTo = input.history.window.weeks.length): AllocationRow[] {
  const { history } = input;
  const n = history.window.weeks.length;
  const from = upTo - trailingWeeks(input);
  const all = history.all;
  const planned = sum(all.done, from, upTo) - sum(all.unplanned, from, upTo);
  const plannedEstimate = sum(all.doneEstimate, from, upTo) - sum(all.unplannedEstimate, from, upTo);
  return input.nodes.map((node) => {
    const c = countsOf(history.byNode, node.id, n);
    const finished = sum(c.done, from, upTo) - sum(c.unplanned, from, upTo);
    const finishedEstimate = sum(c.doneEstimate, from, upTo) - sum(c.unplannedEstimate, from, upTo);
    const actualShare = share(finished, planned);
    return {
      nodeId: node.id,
      finished,
      finishedEstimate,
      actualShare,
      actualEstimateShare: share(finishedEstimate, plannedEstimate),
      openShare: share(node.openCount, input.openTotal),
      openEstimateShare: node.openEstimate === undefined ? null : share(node.openEstimate, input.openEstimateTotal),
      targetShare: node.targetShare,
      band: bandOf(actualShare, node.targetShare),
    };
  });
}

export interface WeeklyBand {
  week: string;
  actualShare: number | null;
  band: Band | null;
}

/**
 * A node's band at the end of each complete week that has a full trailing window in the
 * history (oldest first): with 12 weeks and a 4-week window, the last 9 weeks.
 */
export function bandHistory(input: AllocationInput, nodeId: string): WeeklyBand[] {
  const node = input.nodes.find((x) => x.id === nodeId);
  if (!node) throw new RangeError(`No allocation node "${nodeId}"`);
  const { weeks } = input.history.window;
  const out: WeeklyBand[] = [];
  for (let upTo = trailingWeeks(input); upTo <= weeks.length; upTo++) {
    const row = allocation({ ...input, nodes: [node] }, upTo)[0]!;
    out.push({ week: weeks[upTo - 1]!, actualShare: row.actualShare, band: row.band });
  }
  return out;
}
