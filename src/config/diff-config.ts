// What changed between two config versions, as a few short lines for people:
// the version history and the admin API's answers show them. Pure.
import type { CascadeConfig, Rules, StrategyNode } from '../strategy/tree-schema.js';
import { MATCH_PARTS, matchValues, type MatchKey } from '../strategy/match-keys.js';
import type { TrackerId } from '../strategy/types.js';

/** Lines kept at most; a wholesale rewrite would otherwise store thousands. */
export const MAX_DIFF_LINES = 40;

interface FlatNode {
  node: StrategyNode;
  parentId: string | null;
}

/** A match entry's place: `<tracker>.<key>`, as the config spells it. */
type MatchKind = `${TrackerId}.${MatchKey}`;

export function diffConfig(before: CascadeConfig | null, after: CascadeConfig): string[] {
  if (!before) {
    const count = flatten(after.objectives).size;
    return [`first version: ${after.objectives.length} objective${plural(after.objectives.length)}, ${count} node${plural(count)} in all`];
  }
  const lines: string[] = [];
  const old = flatten(before.objectives);
  const now = flatten(after.objectives);

  if (JSON.stringify(before.levels ?? null) !== JSON.stringify(after.levels ?? null)) {
    lines.push(`levels: ${listOrNone(before.levels)} → ${listOrNone(after.levels)}`);
  }
  for (const [id, { node, parentId }] of now) {
    const was = old.get(id);
    if (!was) {
      lines.push(`added "${id}" (${node.title}) ${parentId ? `under "${parentId}"` : 'as an objective'}`);
      continue;
    }
    lines.push(...nodeChanges(id, was, { node, parentId }));
  }
  for (const [id, { node }] of old) if (!now.has(id)) lines.push(`removed "${id}" (${node.title})`);
  lines.push(...matchChanges(old, now));
  lines.push(...ruleChanges(before.rules, after.rules));

  if (lines.length > MAX_DIFF_LINES) {
    const rest = lines.length - (MAX_DIFF_LINES - 1);
    return [...lines.slice(0, MAX_DIFF_LINES - 1), `… and ${rest} more changes`];
  }
  return lines;
}

function nodeChanges(id: string, was: FlatNode, is: FlatNode): string[] {
  const lines: string[] = [];
  const a = was.node;
  const b = is.node;
  if (was.parentId !== is.parentId) lines.push(`moved "${id}" from ${place(was.parentId)} to ${place(is.parentId)}`);
  if (a.title !== b.title) lines.push(`renamed "${id}": "${a.title}" → "${b.title}"`);
  const retiredBefore = a.status === 'retired';
  const retiredAfter = b.status === 'retired';
  if (retiredBefore !== retiredAfter) lines.push(`${retiredAfter ? 'retired' : 'reactivated'} "${id}"`);
  if (periodText(a.period) !== periodText(b.period)) lines.push(`period of "${id}": ${periodText(a.period)} → ${periodText(b.period)}`);
  if (a.target_share !== b.target_share) lines.push(`target_share of "${id}": ${a.target_share ?? 'none'} → ${b.target_share ?? 'none'}`);
  if ((a.owner ?? '') !== (b.owner ?? '')) lines.push(`owner of "${id}": ${a.owner ?? 'none'} → ${b.owner ?? 'none'}`);
  if ((a.description ?? '') !== (b.description ?? '')) lines.push(`description of "${id}" changed`);
  return lines;
}

/**
 * Match entries by what they match (case-insensitively, as the lineage engine
 * compares them), so an entry handed from one node to another reads as a move.
 * Entries of wholly added or removed nodes are left out: the node's own line says it.
 */
function matchChanges(old: Map<string, FlatNode>, now: Map<string, FlatNode>): string[] {
  const lines: string[] = [];
  const before = claims(old);
  const after = claims(now);
  for (const [key, to] of after) {
    const from = before.get(key);
    if (!from) {
      if (old.has(to.nodeId)) lines.push(`match ${to.kind} "${to.value}" added to "${to.nodeId}"`);
    } else if (from.nodeId !== to.nodeId) {
      lines.push(`match ${to.kind} "${to.value}" moved from "${from.nodeId}" to "${to.nodeId}"`);
    }
  }
  for (const [key, from] of before) {
    if (!after.has(key) && now.has(from.nodeId)) lines.push(`match ${from.kind} "${from.value}" removed from "${from.nodeId}"`);
  }
  return lines;
}

function claims(nodes: Map<string, FlatNode>): Map<string, { nodeId: string; kind: MatchKind; value: string }> {
  const out = new Map<string, { nodeId: string; kind: MatchKind; value: string }>();
  for (const [nodeId, { node }] of nodes) {
    const entries = MATCH_PARTS.flatMap(({ tracker, keys }) => keys.map((key): [MatchKind, string[]] => [`${tracker}.${key}`, matchValues(node.match, tracker, key)]));
    for (const [kind, values] of entries) {
      for (const value of values ?? []) {
        const key = `${kind}:${value.trim().toLowerCase()}`;
        if (!out.has(key)) out.set(key, { nodeId, kind, value });
      }
    }
  }
  return out;
}

const RULE_KEYS: Array<keyof Rules> = ['scope', 'exempt', 'grace_minutes', 'labels', 'comment', 'on_aligned', 'dry_run'];

function ruleChanges(before: Rules | undefined, after: Rules | undefined): string[] {
  const lines: string[] = [];
  for (const key of RULE_KEYS) {
    const a = before?.[key];
    const b = after?.[key];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    // Scalars are worth showing; nested lists are summarised by name only.
    const scalar = (v: unknown): boolean => v === undefined || typeof v !== 'object';
    lines.push(scalar(a) && scalar(b) ? `rules.${key}: ${a ?? 'default'} → ${b ?? 'default'}` : `rules.${key} changed`);
  }
  return lines;
}

function flatten(roots: StrategyNode[]): Map<string, FlatNode> {
  const out = new Map<string, FlatNode>();
  const visit = (nodes: StrategyNode[], parentId: string | null): void => {
    for (const node of nodes) {
      // A valid config has unique ids; the first wins if not.
      if (!out.has(node.id)) out.set(node.id, { node, parentId });
      visit(node.children ?? [], node.id);
    }
  };
  visit(roots, null);
  return out;
}

const place = (parentId: string | null): string => (parentId ? `under "${parentId}"` : 'the top level');
const periodText = (p: StrategyNode['period']): string => (p ? `${p.start}..${p.end}` : 'none');
const listOrNone = (l: string[] | undefined): string => (l ? `[${l.join(', ')}]` : 'none');
const plural = (n: number): string => (n === 1 ? '' : 's');
