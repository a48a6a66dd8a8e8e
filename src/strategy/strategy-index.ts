// The strategy tree compiled once per config version into lookups the
// lineage engine can use in O(1) per hop.
import { resolveRules, type CascadeConfig, type ResolvedRules, type StrategyNode } from './tree-schema.js';
import { dayEnd } from './dates.js';
import { dayEndIn, dayStartIn } from './period-clock.js';
import { MATCH_PARTS, SCOPE_UNITS, matchValues, type MatchKey } from './match-keys.js';
import type { TrackerId } from './types.js';

export interface IndexedNode {
  id: string;
  title: string;
  description?: string;
  /** The level name from `levels`, when given. */
  level?: string;
  depth: number;
  parentId: string | null;
  childIds: string[];
  /** Retired itself or under a retired node. */
  retired: boolean;
  /** The period in force, own or inherited; undefined = open-ended. */
  period?: { start: string; end: string };
  targetShare?: number;
  owner?: string;
  match: StrategyNode['match'];
  /** This node and its ancestors up to the root, nearest first (precomputed: lineage asks often). */
  chainIds: string[];
  /** The highest retired node on the chain, or null. */
  retiredBy: string | null;
  /** Nodes on the chain whose own period has an end, highest first, with the end as epoch ms. */
  endings: { nodeId: string; end: string; endMs: number }[];
  /** When the period in force starts (epoch ms), for "upcoming": work under it is planning ahead, and aligned. */
  startMs?: number;
}

/** Where a match entry points: the node, and how the config spelled it. */
export interface MatchTarget {
  nodeId: string;
  value: string;
}

/** One tracker's match entries: for each key its part of `match` may hold, the normalised values to what claimed them. */
export type TrackerMatch = Partial<Record<MatchKey, Map<string, MatchTarget>>>;

/** The teams (or projects…) of a tracker that rules.scope lists, normalised, and what one is called. */
export interface ScopeSet {
  unit: string;
  names: Set<string>;
}

export interface StrategyIndex {
  nodes: Map<string, IndexedNode>;
  rootIds: string[];
  rules: ResolvedRules;
  /** The rules' names normalised once, for O(1) checks per ticket. */
  ruleSets: {
    /** Per tracker; absent: every ticket of it is in scope. */
    scope: Partial<Record<TrackerId, ScopeSet>>;
    exemptLabels: Set<string>;
    exemptIssueTypes: Set<string>;
  };
  levels?: string[];
  /** Per tracker with a part of `match`: a lookup for every key its part may hold (empty when the config lists none). */
  match: Partial<Record<TrackerId, TrackerMatch>>;
}

/** `startsOn`: the period has not started yet; the work is planning ahead and counts as aligned. */
export type NodeState = { state: 'active'; startsOn?: string } | { state: 'retired'; nodeId: string } | { state: 'ended'; nodeId: string; endedOn: string };

export const normaliseName = (value: string): string => value.trim().toLowerCase();
export const normaliseKey = (value: string): string => value.trim().toUpperCase();

export interface CompileOptions {
  /** IANA zone the periods' dates are read in (DIGEST_TZ), so verdicts and the digest share one "today". Default UTC. */
  timeZone?: string;
}

export function compileStrategy(config: CascadeConfig, options: CompileOptions = {}): StrategyIndex {
  const zone = options.timeZone ?? 'UTC';
  const endOf = (date: string): number => (zone === 'UTC' ? dayEnd(date) : dayEndIn(date, zone));
  const rules = resolveRules(config.rules);
  const nameSet = (names: string[]): Set<string> => new Set(names.map(normaliseName));
  const index: StrategyIndex = {
    nodes: new Map(),
    rootIds: config.objectives.map((o) => o.id),
    rules,
    ruleSets: {
      scope: scopeSets(config),
      exemptLabels: nameSet(rules.exempt.labels),
      exemptIssueTypes: nameSet(rules.exempt.issueTypes),
    },
    levels: config.levels,
    match: Object.fromEntries(MATCH_PARTS.map(({ tracker, keys }) => [tracker, Object.fromEntries(keys.map((key) => [key, new Map()]))])),
  };
  const add = (node: StrategyNode, parent: IndexedNode | null, depth: number): void => {
    const period = node.period ?? parent?.period;
    const indexed: IndexedNode = {
      id: node.id,
      title: node.title,
      description: node.description,
      level: config.levels?.[depth],
      depth,
      parentId: parent?.id ?? null,
      childIds: (node.children ?? []).map((c) => c.id),
      retired: node.status === 'retired' || (parent?.retired ?? false),
      period,
      ...(period ? { startMs: dayStartIn(period.start, zone) } : {}),
      targetShare: node.target_share,
      owner: node.owner,
      match: node.match,
      chainIds: [node.id, ...(parent?.chainIds ?? [])],
      retiredBy: parent?.retiredBy ?? (node.status === 'retired' ? node.id : null),
      endings: node.period
        ? [...(parent?.endings ?? []), { nodeId: node.id, end: node.period.end, endMs: endOf(node.period.end) }]
        : (parent?.endings ?? []),
    };
    index.nodes.set(node.id, indexed);
    const claim = (map: Map<string, MatchTarget>, values: string[] | undefined, norm: (v: string) => string): void => {
      for (const value of values ?? []) if (!map.has(norm(value))) map.set(norm(value), { nodeId: node.id, value });
    };
    for (const { tracker, keys } of MATCH_PARTS) {
      // Issue keys compare in upper case (abc-1 is ABC-1), names in lower case.
      for (const key of keys) claim(index.match[tracker]![key]!, matchValues(node.match, tracker, key), key === 'issues' ? normaliseKey : normaliseName);
    }
    for (const child of node.children ?? []) add(child, indexed, depth + 1);
  };
  for (const objective of config.objectives) add(objective, null, 0);
  return index;
}

/**
 * The maps of every tracker whose part of `match` holds `key` (projects,
 * initiatives: only Linear's today), for signals that name a container
 * without its tracker.
 */
export function matchMaps(index: StrategyIndex, key: MatchKey): Map<string, MatchTarget>[] {
  return Object.values(index.match).flatMap((maps) => (maps[key] ? [maps[key]] : []));
}

/** Each tracker's rules.scope, by its one key there (`teams`, `projects`); a tracker without one is not limited. */
function scopeSets(config: CascadeConfig): StrategyIndex['ruleSets']['scope'] {
  const sets: StrategyIndex['ruleSets']['scope'] = {};
  for (const [tracker, part] of Object.entries(config.rules?.scope ?? {})) {
    for (const [key, names] of Object.entries((part ?? {}) as Record<string, string[] | undefined>)) {
      if (names) sets[tracker as TrackerId] = { unit: SCOPE_UNITS[key] ?? key, names: new Set(names.map(normaliseName)) };
    }
  }
  return sets;
}

/** The node and its ancestors up to the root objective, nearest first. */
export function chainToRoot(index: StrategyIndex, nodeId: string): IndexedNode[] {
  const ids = index.nodes.get(nodeId)?.chainIds ?? [];
  return ids.map((id) => index.nodes.get(id)).filter((n): n is IndexedNode => n !== undefined);
}

/** Whether work under the node serves strategy at `now`: retired and ended nodes do not. */
export function nodeStateAt(index: StrategyIndex, nodeId: string, now: Date): NodeState {
  const node = index.nodes.get(nodeId);
  if (!node) return { state: 'active' };
  if (node.retiredBy) return { state: 'retired', nodeId: node.retiredBy };
  // The highest node whose own period ended names where the strategy moved on.
  const t = now.getTime();
  for (const ending of node.endings) {
    if (t >= ending.endMs) return { state: 'ended', nodeId: ending.nodeId, endedOn: ending.end };
  }
  // Not started yet: planning ahead is aligned work (PRODUCT.md "Strategy review"), said so in the trace.
  if (node.startMs !== undefined && t < node.startMs && node.period) return { state: 'active', startsOn: node.period.start };
  return { state: 'active' };
}

