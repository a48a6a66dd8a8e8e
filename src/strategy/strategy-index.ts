// The strategy tree compiled once per config version into lookups the
// lineage engine can use in O(1) per hop.
import { resolveRules, type CascadeConfig, type ResolvedRules, type StrategyNode } from './tree-schema.js';
import { dayEnd } from './dates.js';
import { dayEndIn, dayStartIn } from './period-clock.js';

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

export interface StrategyIndex {
  nodes: Map<string, IndexedNode>;
  rootIds: string[];
  rules: ResolvedRules;
  /** The rules' names normalised once, for O(1) checks per ticket. */
  ruleSets: {
    scope: { linear: Set<string> | null; jira: Set<string> | null };
    exemptLabels: Set<string>;
    exemptIssueTypes: Set<string>;
  };
  levels?: string[];
  linear: { initiatives: Map<string, MatchTarget>; projects: Map<string, MatchTarget>; labels: Map<string, MatchTarget> };
  jira: { issues: Map<string, MatchTarget>; labels: Map<string, MatchTarget> };
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
      scope: {
        linear: rules.scope.linear ? nameSet(rules.scope.linear) : null,
        jira: rules.scope.jira ? nameSet(rules.scope.jira) : null,
      },
      exemptLabels: nameSet(rules.exempt.labels),
      exemptIssueTypes: nameSet(rules.exempt.issueTypes),
    },
    levels: config.levels,
    linear: { initiatives: new Map(), projects: new Map(), labels: new Map() },
    jira: { issues: new Map(), labels: new Map() },
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
    claim(index.linear.initiatives, node.match?.linear?.initiatives, normaliseName);
    claim(index.linear.projects, node.match?.linear?.projects, normaliseName);
    claim(index.linear.labels, node.match?.linear?.labels, normaliseName);
    claim(index.jira.issues, node.match?.jira?.issues, normaliseKey);
    claim(index.jira.labels, node.match?.jira?.labels, normaliseName);
    for (const child of node.children ?? []) add(child, indexed, depth + 1);
  };
  for (const objective of config.objectives) add(objective, null, 0);
  return index;
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

