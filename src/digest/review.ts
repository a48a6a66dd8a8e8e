// The strategy review, top-down: nodes whose period ends within the window
// (with the open work that turns stale on that day) and nodes that have not
// started yet. Pure: the config, the verdict records and the time come in.
import type { CascadeConfig, StrategyNode } from '../strategy/tree-schema.js';
import type { VerdictRecord } from '../records/verdict-record.js';
import { addDays, daysBetween, todayIn } from '../strategy/period-clock.js';
import type { ProposalGroup } from './group-proposals.js';

/** Open tickets listed per node (the count covers all). */
const EXAMPLES = 5;

export interface ReviewTicket {
  tracker: VerdictRecord['tracker'];
  key: string;
  title: string;
  url?: string;
}

export interface ReviewNode {
  id: string;
  title: string;
  /** Titles from the root down to the parent. */
  path: string[];
  start: string;
  end: string;
  /** endingSoon: days from today to the last day of the period (0 = ends today). upcoming: days until it starts. */
  daysLeft: number;
  /** Open tickets serving this node or one below it, each once. */
  openTickets: number;
  /** Their summed estimate. */
  estimate: number;
  examples: ReviewTicket[];
}

export interface Review {
  /** Today in the time zone, YYYY-MM-DD. */
  today: string;
  days: number;
  /** Active nodes whose own period ends within `days`, soonest first. */
  endingSoon: ReviewNode[];
  /** Nodes whose period starts after today, soonest first (work under them is aligned: planning ahead). */
  upcoming: ReviewNode[];
  /** Bottom-up proposals grouped by similar title, largest group first (the largest few, as the worker stored them). */
  proposals: ProposalGroup[];
  /** Groups in all (GET /admin/proposals lists every one). */
  proposalGroups: number;
}

export interface ReviewInput {
  config: CascadeConfig;
  records: Iterable<VerdictRecord>;
  /** The grouped proposals, as the worker stored them (workers/group-proposals-job.ts). */
  proposals: ProposalGroup[];
  /** Groups in all; default the length of `proposals`. */
  proposalGroups?: number;
  now: Date;
  timeZone: string;
  /** The window, in days. Default 30. */
  days?: number;
}

export function computeReview(input: ReviewInput): Review {
  const tally = new ReviewTally(input.config, input.now, input.timeZone, input.days);
  for (const r of input.records) tally.add(r);
  return tally.finish(input.proposals, input.proposalGroups);
}

interface Watched {
  node: ReviewNode;
  kind: 'ending' | 'upcoming';
}

/** Built once, fed every record (the digest feeds it from its own single pass), then finished. */
export class ReviewTally {
  private readonly watched = new Map<string, Watched>();
  readonly today: string;
  readonly days: number;

  constructor(config: CascadeConfig, now: Date, timeZone: string, days = 30) {
    this.today = todayIn(now, timeZone);
    this.days = days;
    const last = addDays(this.today, days);
    const visit = (n: StrategyNode, path: string[], retired: boolean, inherited: StrategyNode['period']): void => {
      const gone = retired || n.status === 'retired';
      const period = n.period ?? inherited;
      // Only a node's own period: its children end with it, and listing them all would repeat the one decision.
      if (!gone && n.period && period) {
        const started = period.start <= this.today;
        if (started && n.period.end >= this.today && n.period.end <= last) {
          this.watch(n, path, 'ending', daysBetween(this.today, n.period.end));
        } else if (!started) {
          this.watch(n, path, 'upcoming', daysBetween(this.today, period.start));
        }
      }
      for (const c of n.children ?? []) visit(c, [...path, n.title], gone, period);
    };
    for (const o of config.objectives) visit(o, [], false, undefined);
  }

  private watch(n: StrategyNode, path: string[], kind: Watched['kind'], daysLeft: number): void {
    const period = n.period!;
    this.watched.set(n.id, {
      kind,
      node: { id: n.id, title: n.title, path, start: period.start, end: period.end, daysLeft, openTickets: 0, estimate: 0, examples: [] },
    });
  }

  /** Open work that serves a watched node (its objectiveIds hold the node and its ancestors). */
  add(r: VerdictRecord): void {
    if (this.watched.size === 0 || r.state !== 'open' || (r.verdict !== 'aligned' && r.verdict !== 'pending')) return;
    for (const id of r.objectiveIds) {
      const w = this.watched.get(id);
      if (!w) continue;
      const node = w.node;
      node.openTickets++;
      node.estimate += typeof r.estimate === 'number' && r.estimate > 0 ? r.estimate : 0;
      if (node.examples.length < EXAMPLES) node.examples.push({ tracker: r.tracker, key: r.key, title: r.title, ...(r.url ? { url: r.url } : {}) });
    }
  }

  finish(proposals: ProposalGroup[], proposalGroups = proposals.length): Review {
    const pick = (kind: Watched['kind']): ReviewNode[] =>
      [...this.watched.values()]
        .filter((w) => w.kind === kind)
        .map((w) => ({ ...w.node, examples: [...w.node.examples].sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true })) }))
        .sort((a, b) => a.daysLeft - b.daysLeft || a.id.localeCompare(b.id));
    return { today: this.today, days: this.days, endingSoon: pick('ending'), upcoming: pick('upcoming'), proposals, proposalGroups };
  }
}

/** "Mobile beta ends 31 Dec with 14 open tickets: move them or let them lapse" */
export function endingSentence(n: ReviewNode): string {
  const [y, m, d] = n.end.split('-').map(Number);
  const when = new Date(Date.UTC(y!, m! - 1, d!)).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const work = n.openTickets === 0 ? 'no open tickets' : `${n.openTickets} open ticket${n.openTickets === 1 ? '' : 's'}`;
  const advice = n.openTickets === 0 ? 'nothing will turn stale' : `move ${n.openTickets === 1 ? 'it' : 'them'} or let ${n.openTickets === 1 ? 'it' : 'them'} lapse`;
  return `${n.title} ends ${when} with ${work}: ${advice}`;
}
