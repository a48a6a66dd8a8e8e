// The weekly digest, computed from the latest verdict of every ticket in one pass.
// Pure: the records, the tree, earlier snapshots and the time all come in as
// arguments, so the same input always gives the same digest.
import type { ForecastReport } from '../forecast/forecast-report.js';
import { peopleExemptions } from './people-exemptions.js';
import type { Exemption } from '../commands/exemption.js';
import type { TrackerId } from '../strategy/types.js';
import type { CascadeConfig } from '../strategy/tree-schema.js';
import { RolloutTally } from './rollout-tally.js';
import type { VerdictRecord } from '../records/verdict-record.js';
import type { Verdict } from '../strategy/types.js';
import { addIsoWeeks, assertTimeZone, isoDateOf, isoWeekOf, isoWeekRange } from '../strategy/iso-week.js';
import { flattenTree, type FlatNode } from './objective-tree.js';
import { TeamTally, estimateOf, toTicketRef } from './team-work.js';
import { findThemes, type ThemeOptions } from './themes.js';
import { themePlacer } from './theme-placement.js';
import { ReviewTally } from './review.js';
import type { ProposalGroup } from './group-proposals.js';
import type { AlignedShare, Digest, ObjectiveRef, ObjectiveRow, TrendPoint, VerdictCounts, WeeklySnapshot } from './types.js';

/** Tuning for computeDigest; every field has a default. */
export interface DigestOptions {
  /** Tickets listed per team (the counts always cover all). Default 25. */
  maxTicketsPerTeam?: number;
  /** Weeks in the trend, this one included. Default 8. */
  trendWeeks?: number;
  themes?: ThemeOptions;
}

export interface DigestInput {
  config: CascadeConfig;
  records: Iterable<VerdictRecord>;
  /** Snapshots of earlier weeks (any order; the current week's, if present, is ignored). */
  history: WeeklySnapshot[];
  now: Date;
  /** IANA zone the weeks are counted in, e.g. "Europe/Paris". */
  timeZone: string;
  /** The week to describe. Default the week `now` falls in; the scheduled digest passes the week that just ended. */
  isoWeek?: string;
  publicUrl?: string;
  options?: DigestOptions;
  /** Bottom-up proposals (`/cascade propose`) as the worker grouped them, for the review section. */
  proposals?: ProposalGroup[];
  /** Groups in all; default the length of `proposals`. */
  proposalGroups?: number;
  /** Exemptions people set with `/cascade exempt`: those of this week are counted per team beside the share. */
  exemptions?: Array<{ tracker: TrackerId; exemption: Exemption }>;
  /** The review's window in days ("Ending within 30 days"). Default 30. */
  reviewDays?: number;
  /** The forecast report the workers computed (src/forecast/forecast-report.ts), shown as it is. */
  forecasts?: ForecastReport;
}

export function emptyCounts(): VerdictCounts {
  return { aligned: 0, orphan: 0, stale: 0, exempt: 0, pending: 0, closed: 0 };
}

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);

export function computeDigest(input: DigestInput): Digest {
  const { config, now, timeZone } = input;
  // Built only when there is a theme to place.
  let placer: ReturnType<typeof themePlacer> | undefined;
  assertTimeZone(timeZone);
  const maxTickets = input.options?.maxTicketsPerTeam ?? 25;
  const isoWeek = input.isoWeek ?? isoWeekOf(now, timeZone);
  const range = isoWeekRange(isoWeek, timeZone);
  const weekStart = range.start.getTime();
  const weekEnd = range.end.getTime();
  const tree = flattenTree(config, isoDateOf(now, timeZone));
  const { indexById, parents } = tree;
  const n = tree.nodes.length;

  // Per node accumulators, indexed like tree.nodes.
  const open = new Int32Array(n);
  const openEst = new Float64Array(n);
  const aligned = new Int32Array(n);
  const alignedEst = new Float64Array(n);
  const finished = new Int32Array(n);
  // stamp[i] === seq when node i already counted the current record: a ticket that
  // matches two descendants of one node counts once for that node and its ancestors.
  const stamp = new Int32Array(n).fill(-1);

  const openCounts = emptyCounts();
  let records = 0;
  let closed = 0;
  let finishedThisWeek = 0;
  let unknownObjectiveTickets = 0;
  let alignedEstimate = 0;
  let denominatorEstimate = 0;
  let estimatedTickets = 0;
  const orphans: VerdictRecord[] = [];
  const others: VerdictRecord[] = [];
  const teams = new TeamTally();
  const review = new ReviewTally(config, now, timeZone, input.reviewDays);

  /**
   * Walks the record's nodes and their ancestors once each, counting it as `as`
   * (open and stale work count as 'open'); returns false if an id is unknown.
   */
  const rollUp = (r: VerdictRecord, seq: number, as: 'open' | 'aligned' | 'finished', est: number): boolean => {
    let known = true;
    for (const id of r.objectiveIds) {
      let i = indexById.get(id);
      if (i === undefined) {
        known = false;
        continue;
      }
      while (i !== -1 && stamp[i] !== seq) {
        stamp[i] = seq;
        // (`?? 0` only satisfies noUncheckedIndexedAccess: i is always in range.)
        if (as === 'finished') finished[i] = (finished[i] ?? 0) + 1;
        else {
          open[i] = (open[i] ?? 0) + 1;
          openEst[i] = (openEst[i] ?? 0) + est;
          if (as === 'aligned') {
            aligned[i] = (aligned[i] ?? 0) + 1;
            alignedEst[i] = (alignedEst[i] ?? 0) + est;
          }
        }
        i = parents[i] as number;
      }
    }
    return known;
  };

  const rollout = new RolloutTally();
  for (const r of input.records) {
    rollout.add(r);
    const seq = records++;
    review.add(r);
    if (r.state !== 'open' || r.verdict === 'closed') {
      closed++;
      if (r.closedAt !== undefined) {
        const t = Date.parse(r.closedAt);
        if (t >= weekStart && t < weekEnd) {
          finishedThisWeek++;
          rollUp(r, seq, 'finished', 0);
        }
      }
      continue;
    }
    const v: Verdict = r.verdict;
    openCounts[v]++;
    if (v === 'exempt' || v === 'pending') {
      others.push(r);
      continue;
    }
    const est = estimateOf(r);
    denominatorEstimate += est;
    if (est > 0) estimatedTickets++;
    if (v === 'orphan') {
      orphans.push(r);
      teams.add(r, est);
      continue;
    }
    others.push(r);
    if (v === 'aligned') alignedEstimate += est;
    else teams.add(r, est);
    if (!rollUp(r, seq, v === 'aligned' ? 'aligned' : 'open', est)) unknownObjectiveTickets++;
  }

  const denominatorCount = openCounts.aligned + openCounts.orphan + openCounts.stale;
  const share: AlignedShare = {
    byCount: ratio(openCounts.aligned, denominatorCount),
    byEstimate: ratio(alignedEstimate, denominatorEstimate),
    alignedCount: openCounts.aligned,
    denominatorCount,
    alignedEstimate,
    denominatorEstimate,
    estimatedTickets,
  };

  const objectives: ObjectiveRow[] = tree.nodes.map((node, i) => {
    const parentAligned = node.parent === -1 ? openCounts.aligned : (aligned[node.parent] as number);
    return {
      id: node.id,
      title: node.title,
      ...(node.owner !== undefined ? { owner: node.owner } : {}),
      parentId: node.parent === -1 ? null : (tree.nodes[node.parent] as FlatNode).id,
      depth: node.depth,
      ...(node.level !== undefined ? { level: node.level } : {}),
      status: node.status,
      openCount: open[i] as number,
      openEstimate: openEst[i] as number,
      alignedCount: aligned[i] as number,
      alignedEstimate: alignedEst[i] as number,
      staleCount: (open[i] as number) - (aligned[i] as number),
      finishedThisWeek: finished[i] as number,
      actualShare: {
        ofParent: ratio(aligned[i] as number, parentAligned),
        absolute: ratio(aligned[i] as number, openCounts.aligned),
        absoluteByEstimate: ratio(alignedEst[i] as number, alignedEstimate),
      },
      targetShare: { ofParent: node.targetOfParent, absolute: node.targetAbsolute },
    };
  });

  const refOf = (node: FlatNode): ObjectiveRef => ({
    id: node.id,
    title: node.title,
    depth: node.depth,
    parentId: node.parent === -1 ? null : (tree.nodes[node.parent] as FlatNode).id,
    status: node.status,
    path: node.path,
  });
  const emptyObjectives = tree.nodes.filter((node, i) => node.status === 'active' && open[i] === 0).map(refOf);
  const staleObjectives = tree.nodes.flatMap((node, i) =>
    (node.status === 'retired' || node.status === 'ended') && (open[i] as number) > 0
      ? [{ ...refOf(node), openCount: open[i] as number }]
      : [],
  );

  const trend = buildTrend(isoWeek, share, input.history, input.options?.trendWeeks ?? 8);
  const change = changeOf(trend);

  return {
    isoWeek,
    previousWeek: addIsoWeeks(isoWeek, -1),
    nextWeek: addIsoWeeks(isoWeek, 1),
    firstDay: range.firstDay,
    lastDay: range.lastDay,
    timeZone,
    generatedAt: now.toISOString(),
    ...(input.publicUrl !== undefined ? { publicUrl: input.publicUrl } : {}),
    headline: headlineOf(share, change, addIsoWeeks(isoWeek, -1)),
    totals: {
      records,
      open: openCounts,
      openTotal: records - closed,
      closed,
      finishedThisWeek,
    },
    share,
    change,
    trend,
    objectives,
    emptyObjectives,
    staleObjectives,
    teams: teams.finish(maxTickets),
    themes: findThemes(orphans, others, toTicketRef, input.options?.themes, (label) => (placer ??= themePlacer(config, others))(label)),
    unknownObjectiveTickets,
    review: review.finish(input.proposals ?? [], input.proposalGroups),
    rollout: rollout.finish(),
    exemptedByPeople: peopleExemptions(input.exemptions ?? [], weekStart, weekEnd),
    ...(input.forecasts ? { forecasts: input.forecasts } : {}),
  };
}

function buildTrend(isoWeek: string, share: AlignedShare, history: WeeklySnapshot[], weeks: number): TrendPoint[] {
  const byWeek = new Map<string, WeeklySnapshot>();
  for (const s of history) {
    const seen = byWeek.get(s.isoWeek);
    // Two snapshots for one week (a re-run): the later one wins.
    if (!seen || seen.generatedAt < s.generatedAt) byWeek.set(s.isoWeek, s);
  }
  const points: TrendPoint[] = [];
  for (let k = weeks - 1; k >= 1; k--) {
    const w = addIsoWeeks(isoWeek, -k);
    const s = byWeek.get(w);
    points.push(
      s
        ? { isoWeek: w, byCount: s.byCount, byEstimate: s.byEstimate, denominatorCount: s.denominatorCount }
        : { isoWeek: w, byCount: null, byEstimate: null, denominatorCount: null },
    );
  }
  points.push({ isoWeek, byCount: share.byCount, byEstimate: share.byEstimate, denominatorCount: share.denominatorCount });
  return points;
}

/** Whole points, from rounded percentages, so the headline agrees with the numbers shown. */
function changeOf(trend: TrendPoint[]): Digest['change'] {
  const current = trend[trend.length - 1];
  if (!current || current.byCount === null) return null;
  for (let k = trend.length - 2; k >= 0; k--) {
    const p = trend[k] as TrendPoint;
    if (p.byCount !== null) {
      return { points: Math.round(current.byCount * 100) - Math.round(p.byCount * 100), since: p.isoWeek };
    }
  }
  return null;
}

export function headlineOf(share: AlignedShare, change: Digest['change'], previousWeek: string): string {
  if (share.byCount === null) return 'No open work to measure yet';
  const base = `${Math.round(share.byCount * 100)}% of open work serves an objective`;
  if (!change) return base;
  const since = change.since === previousWeek ? '' : ` since ${change.since}`;
  if (change.points === 0) return `${base}, unchanged${since}`;
  const pts = Math.abs(change.points) === 1 ? 'point' : 'points';
  return `${base}, ${change.points > 0 ? 'up' : 'down'} ${Math.abs(change.points)} ${pts}${since}`;
}

/** The small aggregate stored each week for the trend. */
export function snapshotOf(digest: Digest): WeeklySnapshot {
  const objectives: Record<string, number> = {};
  for (const o of digest.objectives) objectives[o.id] = o.openCount;
  return {
    v: 1,
    isoWeek: digest.isoWeek,
    generatedAt: digest.generatedAt,
    open: { ...digest.totals.open },
    finishedThisWeek: digest.totals.finishedThisWeek,
    byCount: digest.share.byCount,
    byEstimate: digest.share.byEstimate,
    denominatorCount: digest.share.denominatorCount,
    objectives,
  };
}
