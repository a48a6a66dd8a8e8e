// Ranks the objectives closest to a ticket's text, so the comment can say
// "this looks like X: link it to project Y". MiniSearch does the scoring; the
// index is built once per compiled tree.
import MiniSearch from 'minisearch';
import type { TicketSnapshot, TrackerId } from './types.js';
import { chainToRoot, nodeStateAt, type IndexedNode, type StrategyIndex } from './strategy-index.js';

export interface Suggestion {
  nodeId: string;
  title: string;
  /** Titles from the root objective down to this node. */
  path: string[];
  score: number;
  /** Where to link the ticket in its own tracker: names from this node, else its nearest descendants. */
  links: { kind: 'project' | 'initiative' | 'issue' | 'label'; name: string }[];
}

interface NodeDoc {
  id: string;
  title: string;
  description: string;
  names: string;
}

const STOP_WORDS = new Set(
  'a an and are as at be but by for from has have in into is it its of on or our that the their this to was we were will with add fix make new update use when where which should can not no yes'.split(' '),
);

const processTerm = (term: string): string | null => {
  const t = term.toLowerCase();
  return t.length < 2 || STOP_WORDS.has(t) ? null : t;
};

const engines = new WeakMap<StrategyIndex, MiniSearch<NodeDoc>>();

function engineFor(index: StrategyIndex): MiniSearch<NodeDoc> {
  let engine = engines.get(index);
  if (!engine) {
    engine = new MiniSearch<NodeDoc>({ fields: ['title', 'description', 'names'], storeFields: [], processTerm });
    engine.addAll(
      [...index.nodes.values()].map((node) => ({
        id: node.id,
        title: node.title,
        description: node.description ?? '',
        names: matchNames(node).join(' '),
      })),
    );
    engines.set(index, engine);
  }
  return engine;
}

function matchNames(node: IndexedNode): string[] {
  const m = node.match;
  return [
    ...(m?.linear?.initiatives ?? []),
    ...(m?.linear?.projects ?? []),
    ...(m?.linear?.labels ?? []),
    ...(m?.jira?.labels ?? []),
  ];
}

/** Up to `limit` active nodes closest to the ticket's title and description, best first. */
export function suggestObjectives(index: StrategyIndex, ticket: Pick<TicketSnapshot, 'title' | 'description' | 'tracker'>, now: Date, limit = 3): Suggestion[] {
  const title = typeof ticket.title === 'string' ? ticket.title : '';
  const description = typeof ticket.description === 'string' ? ticket.description.slice(0, 2000) : '';
  const text = `${title} ${description}`.trim();
  if (!text) return [];
  const results = engineFor(index).search(text, {
    boost: { title: 3, names: 2 },
    fuzzy: 0.2,
    prefix: true,
    combineWith: 'OR',
  });
  const out: Suggestion[] = [];
  for (const result of results) {
    const node = index.nodes.get(String(result.id));
    if (!node || nodeStateAt(index, node.id, now).state !== 'active') continue;
    // An objective whose sub-node is already suggested adds nothing a reader can act on.
    if (out.some((s) => index.nodes.get(s.nodeId)?.chainIds.includes(node.id))) continue;
    const links = linksFor(index, node, ticket.tracker);
    out.push({
      nodeId: node.id,
      title: node.title,
      path: chainToRoot(index, node.id).map((n) => n.title).reverse(),
      score: Math.round(result.score * 100) / 100,
      links,
    });
    if (out.length >= limit) break;
  }
  return out;
}

/** What a person can link to in their tracker to reach `node`: its own matches, else the nearest descendants'. */
function linksFor(index: StrategyIndex, node: IndexedNode, tracker: TrackerId): Suggestion['links'] {
  const queue: IndexedNode[] = [node];
  const links: Suggestion['links'] = [];
  while (queue.length > 0 && links.length < 3) {
    const current = queue.shift()!;
    const m = current.match;
    if (tracker === 'linear') {
      for (const name of m?.linear?.projects ?? []) links.push({ kind: 'project', name });
      for (const name of m?.linear?.initiatives ?? []) links.push({ kind: 'initiative', name });
      for (const name of m?.linear?.labels ?? []) links.push({ kind: 'label', name });
    } else {
      for (const name of m?.jira?.issues ?? []) links.push({ kind: 'issue', name });
      for (const name of m?.jira?.labels ?? []) links.push({ kind: 'label', name });
    }
    for (const id of current.childIds) {
      const child = index.nodes.get(id);
      if (child) queue.push(child);
    }
  }
  return links.slice(0, 3);
}
