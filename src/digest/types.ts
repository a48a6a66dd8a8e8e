import type { ForecastReport } from '../forecast/forecast-report.js';
import type { PeopleExemptions } from './people-exemptions.js';
import type { RolloutCounts } from './rollout-tally.js';
// The digest as plain data: what computeDigest returns, what the renderers and
// the JSON route show, and the small snapshot stored each week for the trend.
import type { TrackerId, Verdict } from '../strategy/types.js';
import type { Review } from './review.js';

/** Tickets by verdict. In `Digest.totals.open` only open tickets are counted, so `closed` is 0 there. */
export type VerdictCounts = Record<Verdict, number>;

/**
 * The aligned share of open work.
 *
 * Denominator: open tickets (state `open`, verdict not `closed`) whose verdict is
 * `aligned`, `orphan` or `stale`, i.e. the work Cascade enforces. `exempt` tickets
 * (out of scope, bugs, keep-the-lights-on) and `pending` ones (still in their grace
 * period, verdict not yet final) are left out of both numerator and denominator.
 * Numerator: the `aligned` ones among them.
 *
 * By estimate: the same tickets weighted by their estimate; tickets with no
 * estimate (or a non-positive one) weigh nothing on either side, and
 * `estimatedTickets` says how many tickets carried one, so a reader can judge it.
 * Shares are null when their denominator is 0 (no work is not 0% aligned).
 */
export interface AlignedShare {
  byCount: number | null;
  byEstimate: number | null;
  alignedCount: number;
  /** aligned + orphan + stale open tickets. */
  denominatorCount: number;
  alignedEstimate: number;
  denominatorEstimate: number;
  /** Tickets in the denominator with a positive estimate. */
  estimatedTickets: number;
}

export interface TrendPoint {
  isoWeek: string;
  /** null for a week with no snapshot: a gap in the line, not a zero. */
  byCount: number | null;
  byEstimate: number | null;
  /** Open tickets in the denominator that week; null for a gap. */
  denominatorCount: number | null;
}

/**
 * `active`: not retired and today is inside its (possibly inherited) period.
 * `retired`: the node or an ancestor says `status: retired`.
 * `ended`: its period ended before today. `upcoming`: its period starts after today.
 */
export type ObjectiveStatus = 'active' | 'retired' | 'ended' | 'upcoming';

export interface ObjectiveRow {
  id: string;
  title: string;
  owner?: string;
  parentId: string | null;
  /** 0 for a root objective. */
  depth: number;
  /** Level name from `levels` when the config names one for this depth. */
  level?: string;
  status: ObjectiveStatus;
  /** Open tickets that serve this node or one of its descendants, each counted once. */
  openCount: number;
  openEstimate: number;
  /** Of those, the ones whose verdict is aligned (the rest are stale). */
  alignedCount: number;
  alignedEstimate: number;
  staleCount: number;
  /** Tickets closed inside the digest's ISO week that served this node. */
  finishedThisWeek: number;
  /**
   * Actual share by count of aligned open work: `ofParent` relative to the
   * parent's aligned work (roots: to all aligned work), `absolute` relative to all
   * aligned open work. A ticket serving two roots counts for both, so roots may sum above 1.
   */
  actualShare: { ofParent: number | null; absolute: number | null; absoluteByEstimate: number | null };
  /**
   * The intended share: `ofParent` as written (`target_share`, a share of the
   * parent's share), `absolute` the product down the chain; null where a node on
   * the chain sets none.
   */
  targetShare: { ofParent: number | null; absolute: number | null };
}

/** Enough of a ticket to name and link it. */
export interface TicketRef {
  tracker: TrackerId;
  key: string;
  title: string;
  url?: string;
  team: string | null;
  verdict: Verdict;
  estimate: number | null;
}

export interface TeamWork {
  /** Linear team key or Jira project key; null when the record has none. */
  team: string | null;
  orphanCount: number;
  staleCount: number;
  /** orphan + stale: the sort key, largest first. */
  total: number;
  estimate: number;
  /** Orphans first, then stale, by key; at most `maxTicketsPerTeam`. */
  tickets: TicketRef[];
  /** Tickets left out of `tickets` by the cap. */
  moreTickets: number;
}

export interface Theme {
  /** A word or two-word phrase as people wrote it most often. */
  label: string;
  /** The stemmed form it was counted under. */
  term: string;
  /** Orphan tickets whose title or description contains it. */
  count: number;
  /** count / orphan tickets, and the same rate in the rest of the open work. */
  orphanRate: number;
  otherRate: number;
  /** Up to 3 of the tickets. */
  examples: TicketRef[];
  /** Close to one objective's linked work, or far from every objective; absent: neither. */
  placement?: ThemePlacement;
}

/**
 * `objective`: the theme's tickets read like the work linked under this node
 * (probably belongs under it: a linking problem). `new`: like nothing linked
 * anywhere (a candidate new objective). Similarity and confidence as in
 * src/strategy/suggestion-model.ts.
 */
export type ThemePlacement =
  | { kind: 'objective'; objectiveId: string; objectiveTitle: string; nodeId: string; nodeTitle: string; similarity: number; confidence: number }
  | { kind: 'new'; similarity: number };

export interface ObjectiveRef {
  id: string;
  title: string;
  depth: number;
  parentId: string | null;
  status: ObjectiveStatus;
  /** Titles from the root down to the parent, for context. */
  path: string[];
}

export interface Digest {
  /** The week this digest describes, e.g. "2026-W47", in `timeZone`. */
  isoWeek: string;
  previousWeek: string;
  nextWeek: string;
  /** Monday and Sunday of the week, "YYYY-MM-DD". */
  firstDay: string;
  lastDay: string;
  timeZone: string;
  /** ISO 8601 instant the digest was computed for. */
  generatedAt: string;
  publicUrl?: string;
  /** e.g. "62% of open work serves an objective, up 4 points". */
  headline: string;
  totals: {
    records: number;
    /** Open tickets by verdict (closed is 0 here). */
    open: VerdictCounts;
    openTotal: number;
    closed: number;
    finishedThisWeek: number;
  };
  share: AlignedShare;
  /** Change of `share.byCount` in percentage points since the latest earlier week in the trend. */
  change: { points: number; since: string } | null;
  /** The last 8 ISO weeks, oldest first; the last one is this week. */
  trend: TrendPoint[];
  /** Every node of the tree, depth first in config order. */
  objectives: ObjectiveRow[];
  /** Active nodes with no open work. */
  emptyObjectives: ObjectiveRef[];
  /** Retired or ended nodes that still have open work (stale work). */
  staleObjectives: Array<ObjectiveRef & { openCount: number }>;
  /** Teams with orphan or stale work, most first. */
  teams: TeamWork[];
  themes: Theme[];
  /** Open tickets naming objective ids the current tree no longer has. */
  unknownObjectiveTickets: number;
  /** What ends soon, what starts later, what the teams propose (absent in digests stored before it existed). */
  review?: Review;
  /** Held back (budget, enforce_from) and acknowledged tickets; absent in digests stored before it existed. */
  rollout?: RolloutCounts;
  /** Tickets people exempted this week, per team, with their top reasons; absent in digests stored before it existed. */
  exemptedByPeople?: PeopleExemptions;
  /** Will the strategy land: forecasts, capacity, finished-work allocation, customer demand, health flags; absent until first computed. */
  forecasts?: ForecastReport;
}

/** What is stored each week so the trend survives ticket churn. Small on purpose. */
export interface WeeklySnapshot {
  v: 1;
  isoWeek: string;
  generatedAt: string;
  /** Open tickets by verdict. */
  open: VerdictCounts;
  finishedThisWeek: number;
  byCount: number | null;
  byEstimate: number | null;
  denominatorCount: number;
  /** Open ticket count per objective id (rolled up). */
  objectives: Record<string, number>;
}
