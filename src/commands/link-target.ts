// Where `/cascade link` moves a ticket, as plain data: a project (Linear), a
// parent issue one hierarchy level up (a Linear parent issue, a Jira epic), or
// the label of a node matched only by a label. The comment numbers the targets
// it offers; Cascade keeps those numbers with what it wrote on the ticket, so
// `/cascade link 2` means what the comment showed when the person read it,
// whatever Cascade would suggest today. Pure.
import type { TicketSnapshot, TrackerId } from '../strategy/types.js';
import type { TrackerWords } from '../strategy/tracker-words.js';
import type { StrategyIndex } from '../strategy/strategy-index.js';
import type { Suggestion } from '../strategy/suggest-objectives.js';
import { editDistance } from '../strategy/closest-name.js';
import { LINK_KINDS, MATCH_KEYS, matchValues } from '../strategy/match-keys.js';

export type LinkTarget =
  | { kind: 'project'; id: string; name: string }
  | { kind: 'parent'; id: string; key: string; name: string }
  | { kind: 'label'; name: string };

/** A target the comment offered under a number (1-based). */
export interface NumberedLink {
  n: number;
  /** The suggested node it serves. */
  nodeId: string;
  target: LinkTarget;
}

/** What to look up in the tracker: a suggestion's link as the config names it, or a name a person wrote. */
export type LinkWanted = { kind: Suggestion['links'][number]['kind']; name: string } | { kind: 'name'; name: string };

/** What the tracker found for a wanted link. */
export type LinkLookup =
  /** `lineage`: the ticket's project, parents and labels as they would be after the move (to check it reaches an objective). */
  | { found: LinkTarget; lineage: Pick<TicketSnapshot, 'project' | 'parents' | 'labels'> }
  /** Nothing, or more than one (`ambiguous`): the closest names, to answer with. */
  | { found: null; ambiguous: boolean; closest: string[]; /** Why a name that exists cannot be taken (wrong hierarchy level). */ reason?: string };

/** How a target reads in a sentence, in the tracker's words: `the project "Audit log"`, `ENT-2 "SAML SSO"`. */
export function describeTarget(words: TrackerWords, target: LinkTarget): string {
  switch (target.kind) {
    case 'project':
      return `the project "${target.name}"`;
    case 'parent':
      return words.parentTarget(target.key, target.name);
    case 'label':
      return `the label "${target.name}"`;
  }
}

/** The sentence a move reads as: "move it into the project …", "set its parent to …", "add the label …". */
export function moveWords(words: TrackerWords, target: LinkTarget): string {
  switch (target.kind) {
    case 'project':
      return `move it into ${describeTarget(words, target)}`;
    case 'parent':
      return words.moveUnder(describeTarget(words, target));
    case 'label':
      return `add ${describeTarget(words, target)}`;
  }
}

/** What was done, in words: `moved into the project "Audit log"`, `parent set to ENT-2 "SAML SSO"`. */
export function movedWords(words: TrackerWords, target: LinkTarget): string {
  switch (target.kind) {
    case 'project':
      return `moved into ${describeTarget(words, target)}`;
    case 'parent':
      return words.movedUnder(describeTarget(words, target));
    case 'label':
      return `labelled "${target.name}"`;
  }
}

/**
 * The one link of a suggestion a person can take in one step: its first project
 * or issue; an initiative (resolved by the tracker to its first project or
 * epic); a label only when the node has nothing else to link.
 */
export function wantedFor(suggestion: Pick<Suggestion, 'links'>): LinkWanted | null {
  const direct = suggestion.links.find((l) => l.kind === 'project' || l.kind === 'issue' || l.kind === 'initiative');
  return direct ?? suggestion.links.find((l) => l.kind === 'label') ?? null;
}

/**
 * What a strategy node id points to in a tracker, for POST /admin/link's `to`:
 * the first one-step link of the node, else of its nearest descendants; null
 * when `to` is no node id (then it is a name).
 */
export function wantedForNode(index: StrategyIndex, nodeId: string, tracker: TrackerId): LinkWanted | null {
  const queue = [index.nodes.get(nodeId)].filter((n) => n !== undefined);
  if (queue.length === 0) return null;
  const labels: LinkWanted[] = [];
  while (queue.length > 0) {
    const node = queue.shift()!;
    // A project, initiative or issue of the tracker's part of `match` is one step; a label only when nothing else is.
    const direct = MATCH_KEYS.filter((key) => key !== 'labels').flatMap((key) => matchValues(node.match, tracker, key).map((name) => ({ kind: LINK_KINDS[key], name })));
    if (direct[0]) return direct[0];
    labels.push(...matchValues(node.match, tracker, 'labels').map((name) => ({ kind: 'label' as const, name })));
    for (const id of node.childIds) {
      const child = index.nodes.get(id);
      if (child) queue.push(child);
    }
  }
  return labels[0] ?? null;
}

/** Numbers the targets found, in the suggestions' order, one per suggestion, each target once. */
export function numberLinks(found: Array<{ nodeId: string; target: LinkTarget | null }>): NumberedLink[] {
  const links: NumberedLink[] = [];
  for (const { nodeId, target } of found) {
    if (!target || links.some((l) => sameTarget(l.target, target))) continue;
    links.push({ n: links.length + 1, nodeId, target });
  }
  return links;
}

export function sameTarget(a: LinkTarget, b: LinkTarget): boolean {
  if (a.kind === 'label' || b.kind === 'label') return a.kind === b.kind && a.name.toLowerCase() === b.name.toLowerCase();
  return a.kind === b.kind && a.id === b.id;
}

/** Names in `candidates` closest to `name`: containing it first, then by edit distance; at most `limit`. */
export function closestNames(name: string, candidates: string[], limit = 3): string[] {
  const wanted = name.trim().toLowerCase();
  const scored = [...new Set(candidates)].map((c) => {
    const lower = c.toLowerCase();
    const contains = lower.includes(wanted) || wanted.includes(lower);
    return { c, score: (contains ? 0 : 1000) + editDistance(wanted, lower) };
  });
  return scored.sort((a, b) => a.score - b.score || a.c.localeCompare(b.c)).slice(0, limit).map((s) => s.c);
}
