// Ranks the places in the strategy tree a ticket most likely belongs, so the
// comment can say "this looks like X: link it to project Y". The ranking comes
// from a SuggestionModel (the node texts and the tickets already linked under
// them); this file turns it into what a reader can act on: active nodes only,
// no objective repeated under its own sub-node, the projects or epics to link,
// and nothing below the confidence floor.
import type { TicketSnapshot, TrackerId } from './types.js';
import { chainToRoot, nodeStateAt, type IndexedNode, type StrategyIndex } from './strategy-index.js';
import { SuggestionModel, type RankedNode } from './suggestion-model.js';
import { LINK_KINDS, MATCH_KEYS, matchValues } from './match-keys.js';

export interface Suggestion {
  nodeId: string;
  title: string;
  /** Titles from the root objective down to this node. */
  path: string[];
  score: number;
  /** Where to link the ticket in its own tracker: names from this node, else its nearest descendants. */
  links: { kind: 'project' | 'initiative' | 'issue' | 'label'; name: string }[];
}

/**
 * When the comment shows nothing ("no close match"): only when even its three
 * suggestions together are unlikely. The comment names one node from each of
 * the three likeliest objectives; it says "no close match" when those
 * objectives together hold less than 0.6 of the probability. Measured on
 * bench/suggestions.ts (8 splits of two corpora, 1,912 orphans): 9 comments
 * fell below it, and only one of them had the right objective among its three;
 * above it, one of the three was right nine times in ten or more. (The floor
 * it replaced, 0.6 on the first objective alone, hid about one comment in five
 * on the one-team corpus, most of them with the right objective second or third.) A suggestion must also share some vocabulary with
 * its node's tickets and text (similarity), so a team's habits alone never make one.
 */
export const SUGGESTION_FLOOR: SuggestionFloor = { confidence: 0.6, similarity: 0.05 };

export interface SuggestionFloor {
  /** Least confidence in the suggestions' objectives together (sum of RankedNode.confidence, once per objective). */
  confidence: number;
  /** Least similarity of every suggestion (RankedNode.similarity). */
  similarity: number;
}

export interface SuggestOptions {
  /** Most suggestions returned. Default 3. */
  limit?: number;
  /** Default SUGGESTION_FLOOR. */
  floor?: SuggestionFloor;
  /**
   * A broad node is replaced by its best sub-node when that scores at most this
   * much lower: people link work to features, and a portfolio's mixed vocabulary
   * fits vague text better than any one of its features does. Default DESCEND_MARGIN.
   */
  descend?: number;
  /**
   * Confidence in an objective above which its second node may be suggested before
   * the next objective's first. Default REPEAT_OBJECTIVE_ABOVE.
   */
  repeatObjectiveAbove?: number;
}

export const REPEAT_OBJECTIVE_ABOVE = 0.9;

/**
 * Measured on bench/suggestions.ts: from 1.5 (when the ranking blended two
 * standard scores) to 3.5 now that it blends four weights' worth, the right node
 * among the three went from 67% to 69% on the one-team corpus and 81% to 82% on
 * the other, with the objectives unchanged.
 */
export const DESCEND_MARGIN = 3.5;

type TicketText = Pick<TicketSnapshot, 'title' | 'description' | 'tracker' | 'team'>;

export interface SuggestionResult {
  /** What the comment shows, best first; empty means "no close match". */
  suggestions: Suggestion[];
  floor: SuggestionFloor;
  /** The similarity of the top-ranked active node, shown or not (null: no known word in the text). */
  bestSimilarity: number | null;
  /** The closest active nodes with their scores, shown or not: for explain. */
  ranked: RankedNode[];
}

/** Suggestions for a ticket from a model learned from the workspace. */
export function suggestWithModel(model: SuggestionModel, ticket: TicketText, now: Date, options: SuggestOptions = {}): SuggestionResult {
  const limit = options.limit ?? 3;
  const floor = options.floor ?? SUGGESTION_FLOOR;
  const index = model.tree;
  const title = typeof ticket.title === 'string' ? ticket.title : '';
  const description = typeof ticket.description === 'string' ? ticket.description.slice(0, 2000) : '';
  const descend = options.descend ?? DESCEND_MARGIN;
  const repeatAbove = options.repeatObjectiveAbove ?? REPEAT_OBJECTIVE_ABOVE;
  const ranked = model.rank(title, description, ticket.team).filter((r) => nodeStateAt(index, r.nodeId, now).state === 'active');
  const byId = new Map(ranked.map((r) => [r.nodeId, r]));
  const picked: { node: IndexedNode; best: RankedNode }[] = [];
  const shown = new Set<string>();
  /** The best node not yet shown, from `result` down to its best sub-node within the margin; null when none may be shown. */
  const settle = (result: RankedNode): { node: IndexedNode; best: RankedNode } | null => {
    let node = index.nodes.get(result.nodeId);
    let best: RankedNode = result;
    while (node) {
      let child: RankedNode | null = null;
      for (const id of node.childIds) {
        const r = byId.get(id);
        if (r !== undefined && !shown.has(id) && (child === null || r.score > child.score)) child = r;
      }
      if (!child || best.score - child.score > descend) break;
      node = index.nodes.get(child.nodeId);
      best = child;
    }
    if (!node || shown.has(node.id) || best.similarity < floor.similarity) return null;
    const id = node.id;
    // A node above or below one already suggested adds nothing a reader can act on.
    if (picked.some((p) => p.node.chainIds.includes(id) || node.chainIds.includes(p.node.id))) return null;
    return { node, best };
  };
  // One suggestion per objective, likeliest objective first: the reader's three
  // choices are three different answers to "which objective is this?". A second
  // node of an objective comes first only when that objective is near certain.
  const objectives = [...new Map(ranked.map((r) => [r.objectiveId, r.confidence]))].sort((a, b) => b[1] - a[1]);
  const queue: RankedNode[] = [];
  for (const [objectiveId, confidence] of objectives) {
    const nodes = ranked.filter((r) => r.objectiveId === objectiveId);
    const first = nodes[0];
    if (first) queue.push(first);
    if (confidence >= repeatAbove) queue.push(...nodes.slice(1));
  }
  // Then, when fewer objectives share any words with the text, more nodes of those that do.
  queue.push(...ranked);
  for (const result of queue) {
    if (picked.length >= limit) break;
    if (result.similarity < floor.similarity) continue;
    const settled = settle(result);
    if (!settled) continue;
    shown.add(settled.node.id);
    picked.push(settled);
  }
  const result = { floor, bestSimilarity: ranked[0]?.similarity ?? null, ranked: ranked.slice(0, 10) };
  // "No close match" only when even the objectives of all the suggestions together are unlikely.
  const covered = [...new Set(picked.map((p) => p.best.objectiveId))].reduce((sum, id) => sum + (objectives.find(([o]) => o === id)?.[1] ?? 0), 0);
  if (covered < floor.confidence) return { suggestions: [], ...result };
  const suggestions = picked.map(({ node, best }) => ({
    nodeId: node.id,
    title: node.title,
    path: chainToRoot(index, node.id).map((n) => n.title).reverse(),
    score: Math.round(best.similarity * 1000) / 1000,
    links: linksFor(index, node, ticket.tracker),
  }));
  return { suggestions, ...result };
}

const coldModels = new WeakMap<StrategyIndex, SuggestionModel>();

/** A model of the tree alone (node titles and descriptions), for when nothing linked is known. */
export function coldModel(index: StrategyIndex): SuggestionModel {
  let model = coldModels.get(index);
  if (!model) coldModels.set(index, (model = new SuggestionModel(index)));
  return model;
}

/** Up to `limit` active nodes closest to the ticket's text by the tree alone, best first. */
export function suggestObjectives(index: StrategyIndex, ticket: TicketText, now: Date, limit = 3): Suggestion[] {
  return suggestWithModel(coldModel(index), ticket, now, { limit }).suggestions;
}

/** What a person can link to in their tracker to reach `node`: its own matches, else the nearest descendants'. */
function linksFor(index: StrategyIndex, node: IndexedNode, tracker: TrackerId): Suggestion['links'] {
  const queue: IndexedNode[] = [node];
  const links: Suggestion['links'] = [];
  while (queue.length > 0 && links.length < 3) {
    const current = queue.shift()!;
    // The ticket's own tracker's entries, in MATCH_KEYS order: projects, initiatives, issues, then labels.
    for (const key of MATCH_KEYS) for (const name of matchValues(current.match, tracker, key)) links.push({ kind: LINK_KINDS[key], name });
    for (const id of current.childIds) {
      const child = index.nodes.get(id);
      if (child) queue.push(child);
    }
  }
  return links.slice(0, 3);
}
