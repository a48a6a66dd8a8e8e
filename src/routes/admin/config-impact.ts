// What a proposed config would do to the tickets Cascade already knows, for
// POST /admin/config/validate. Records keep no ancestry, so verdicts cannot be
// recomputed here: the estimate works from each record's objectiveIds (the
// nodes its lineage passes through) against the nodes the change removes,
// retires or brings back. The answer says so in `basis`.
import type { CascadeConfig } from '../../strategy/tree-schema.js';
import { compileStrategy, nodeStateAt, type StrategyIndex } from '../../strategy/strategy-index.js';
import type { VerdictStore } from '../../store/verdict-store.js';
import type { VerdictRecord } from '../../records/verdict-record.js';
import { MATCH_PARTS } from '../../strategy/match-keys.js';

/** Ticket keys listed per group at most. */
const EXAMPLES = 10;

export interface TicketGroup {
  count: number;
  /** A few ticket keys (tracker:key), for a look before saving. */
  examples: string[];
}

export interface ConfigImpact {
  basis: string;
  /** Open tickets with a recorded verdict. */
  openTickets: number;
  /** Open tickets per recorded verdict, as things stand. */
  verdictsNow: Record<string, number>;
  removedNodes: string[];
  /** Active now, retired or past their period under the new config. */
  deactivatedNodes: string[];
  /** Retired or ended now, active under the new config. */
  reactivatedNodes: string[];
  /** Aligned or stale tickets whose lineage runs through a removed node: orphans unless another path holds. */
  mayLoseLineage: TicketGroup;
  /** Aligned tickets whose lineage runs through a node the new config retires or ends. */
  mayBecomeStale: TicketGroup;
  /** Stale tickets whose every node is active under the new config. */
  mayBecomeAligned: TicketGroup;
  /** Orphans now, re-evaluated by the re-check; new match entries may link some of them. */
  orphansToReevaluate: { count: number; newMatchEntries: number };
}

/** `timeZone`: the zone periods' dates are read in (DIGEST_TZ), as the verdicts read them. */
export async function estimateImpact(verdicts: VerdictStore, before: CascadeConfig | null, after: CascadeConfig, now: Date, timeZone?: string): Promise<ConfigImpact> {
  const oldIndex = before ? compileStrategy(before, { timeZone }) : null;
  const newIndex = compileStrategy(after, { timeZone });
  const activeIn = (index: StrategyIndex | null, id: string): boolean =>
    index !== null && index.nodes.has(id) && nodeStateAt(index, id, now).state === 'active';

  const oldIds = [...(oldIndex?.nodes.keys() ?? [])];
  const removed = new Set(oldIds.filter((id) => !newIndex.nodes.has(id)));
  const deactivated = new Set(oldIds.filter((id) => newIndex.nodes.has(id) && activeIn(oldIndex, id) && !activeIn(newIndex, id)));
  const reactivated = new Set(oldIds.filter((id) => newIndex.nodes.has(id) && !activeIn(oldIndex, id) && activeIn(newIndex, id)));

  const group = (): TicketGroup => ({ count: 0, examples: [] });
  const add = (g: TicketGroup, r: VerdictRecord): void => {
    g.count++;
    if (g.examples.length < EXAMPLES) g.examples.push(`${r.tracker}:${r.key}`);
  };
  const impact: ConfigImpact = {
    basis:
      'estimated from the verdicts already recorded, not recomputed: records keep the objective nodes each ticket ' +
      'serves but not its ancestry, so tickets are grouped by whether those nodes are removed, retired, ended or ' +
      'reactivated; orphans can only be counted. The re-check after saving decides every ticket for real.',
    openTickets: 0,
    verdictsNow: {},
    removedNodes: [...removed],
    deactivatedNodes: [...deactivated],
    reactivatedNodes: [...reactivated],
    mayLoseLineage: group(),
    mayBecomeStale: group(),
    mayBecomeAligned: group(),
    orphansToReevaluate: { count: 0, newMatchEntries: newMatchEntries(oldIndex, newIndex) },
  };

  for await (const record of verdicts.all()) {
    if (record.state !== 'open') continue;
    impact.openTickets++;
    impact.verdictsNow[record.verdict] = (impact.verdictsNow[record.verdict] ?? 0) + 1;
    const ids = record.objectiveIds;
    if (record.verdict === 'orphan') impact.orphansToReevaluate.count++;
    else if (record.verdict === 'aligned' || record.verdict === 'stale') {
      if (ids.some((id) => removed.has(id))) add(impact.mayLoseLineage, record);
      else if (record.verdict === 'aligned' && ids.some((id) => deactivated.has(id))) add(impact.mayBecomeStale, record);
      else if (record.verdict === 'stale' && ids.length > 0 && ids.every((id) => activeIn(newIndex, id))) add(impact.mayBecomeAligned, record);
    }
  }
  return impact;
}

/** Match entries the new config has that the old one did not (by what they match). */
function newMatchEntries(oldIndex: StrategyIndex | null, newIndex: StrategyIndex): number {
  // Every tracker's lookups in one order, so the old and the new index's line up.
  const maps = (index: StrategyIndex) => MATCH_PARTS.flatMap(({ tracker, keys }) => keys.map((key) => index.match[tracker]?.[key] ?? new Map<string, unknown>()));
  const oldMaps = oldIndex ? maps(oldIndex) : [];
  let count = 0;
  maps(newIndex).forEach((map, i) => {
    for (const key of map.keys()) if (!oldMaps[i]?.has(key)) count++;
  });
  return count;
}
