// The rankers the suggestion benchmark compares Cascade's model with: BM25 over
// node text (the keyword baseline the targets are set against), and the
// alternatives tried before choosing naive Bayes with hierarchical smoothing.
import type { StrategyIndex } from '../src/strategy/strategy-index.js';
import { weightedTerms } from '../src/strategy/ticket-terms.js';
import type { CorpusTicket } from './suggestion-corpus.js';

export interface Ranked {
  nodeId: string;
  score: number;
}
export type Ranker = (t: CorpusTicket) => Ranked[];

const docTerms = (title: string, description: string | undefined, titleWeight = 1): Map<string, number> =>
  weightedTerms(title, description, { title: titleWeight, description: 1 });

/** Okapi BM25 (k1 1.2, b 0.75) over one document per node. */
export function bm25Ranker(docs: Map<string, Map<string, number>>): Ranker {
  const N = docs.size;
  const df = new Map<string, number>();
  let totalLength = 0;
  const lengths = new Map<string, number>();
  for (const [id, terms] of docs) {
    let len = 0;
    for (const [term, n] of terms) {
      df.set(term, (df.get(term) ?? 0) + 1);
      len += n;
    }
    lengths.set(id, len);
    totalLength += len;
  }
  const avg = totalLength / Math.max(1, N);
  return (t) => {
    const q = docTerms(t.title, t.description);
    const out: Ranked[] = [];
    for (const [id, terms] of docs) {
      let score = 0;
      const len = lengths.get(id) ?? 0;
      for (const term of q.keys()) {
        const tf = terms.get(term);
        if (!tf) continue;
        const n = df.get(term) ?? 0;
        const idf = Math.log(1 + (N - n + 0.5) / (n + 0.5));
        score += (idf * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * len) / avg));
      }
      if (score > 0) out.push({ nodeId: id, score });
    }
    return out.sort((a, b) => b.score - a.score);
  };
}

/** The keyword baseline: BM25 over each node's title and description, nothing learned. */
export function nodeTextBm25(index: StrategyIndex): Ranker {
  const docs = new Map<string, Map<string, number>>();
  for (const node of index.nodes.values()) docs.set(node.id, docTerms(node.title, node.description));
  return bm25Ranker(docs);
}

/** BM25 where a node's document is its text plus every ticket linked under it (its subtree). */
export function exampleBm25(index: StrategyIndex, linked: readonly CorpusTicket[]): Ranker {
  const docs = new Map<string, Map<string, number>>();
  const addTo = (id: string, terms: Map<string, number>): void => {
    const doc = docs.get(id) ?? new Map<string, number>();
    for (const [term, n] of terms) doc.set(term, (doc.get(term) ?? 0) + n);
    docs.set(id, doc);
  };
  for (const node of index.nodes.values()) for (const a of node.chainIds) addTo(a, docTerms(node.title, node.description, 2));
  for (const t of linked) for (const a of index.nodes.get(t.nodeId)?.chainIds ?? []) addTo(a, docTerms(t.title, t.description, 2));
  return bm25Ranker(docs);
}

function tfidfVectors(texts: Map<string, number>[]): { idf: (term: string) => number; vector: (terms: Map<string, number>) => Map<string, number> } {
  const df = new Map<string, number>();
  for (const terms of texts) for (const term of terms.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const N = texts.length;
  const idf = (term: string): number => Math.log((N + 1) / ((df.get(term) ?? 0) + 1)) + 1;
  const vector = (terms: Map<string, number>): Map<string, number> => {
    const v = new Map<string, number>();
    let norm = 0;
    for (const [term, n] of terms) {
      const w = (1 + Math.log(n)) * idf(term);
      v.set(term, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [term, w] of v) v.set(term, w / norm);
    return v;
  };
  return { idf, vector };
}

const cosine = (a: Map<string, number>, b: Map<string, number>): number => {
  let s = 0;
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  for (const [term, w] of small) s += w * (large.get(term) ?? 0);
  return s;
};

/** Nearest neighbours: TF-IDF cosine to each linked ticket and node text; a node scores the sum of its k best. */
export function nearestNeighbours(index: StrategyIndex, linked: readonly CorpusTicket[], k = 3): Ranker {
  const items: { nodeId: string; terms: Map<string, number> }[] = [
    ...[...index.nodes.values()].map((n) => ({ nodeId: n.id, terms: docTerms(n.title, n.description, 2) })),
    ...linked.map((t) => ({ nodeId: t.nodeId, terms: docTerms(t.title, t.description, 2) })),
  ];
  const { vector } = tfidfVectors(items.map((i) => i.terms));
  const vectors = items.map((i) => ({ nodeId: i.nodeId, v: vector(i.terms) }));
  return (t) => {
    const q = vector(docTerms(t.title, t.description, 2));
    const best = new Map<string, number[]>();
    for (const item of vectors) {
      const s = cosine(q, item.v);
      if (s <= 0) continue;
      for (const a of index.nodes.get(item.nodeId)?.chainIds ?? []) {
        const list = best.get(a) ?? [];
        list.push(s);
        best.set(a, list);
      }
    }
    const out: Ranked[] = [];
    for (const [nodeId, list] of best) {
      list.sort((x, y) => y - x);
      out.push({ nodeId, score: list.slice(0, k).reduce((x, y) => x + y, 0) });
    }
    return out.sort((a, b) => b.score - a.score);
  };
}

/** Centroids: TF-IDF cosine to the mean vector of each node's subtree (its text and its linked tickets). */
export function centroids(index: StrategyIndex, linked: readonly CorpusTicket[]): Ranker {
  const items: { nodeId: string; terms: Map<string, number> }[] = [
    ...[...index.nodes.values()].map((n) => ({ nodeId: n.id, terms: docTerms(n.title, n.description, 2) })),
    ...linked.map((t) => ({ nodeId: t.nodeId, terms: docTerms(t.title, t.description, 2) })),
  ];
  const { vector } = tfidfVectors(items.map((i) => i.terms));
  const sums = new Map<string, Map<string, number>>();
  for (const item of items) {
    const v = vector(item.terms);
    for (const a of index.nodes.get(item.nodeId)?.chainIds ?? []) {
      const sum = sums.get(a) ?? new Map<string, number>();
      for (const [term, w] of v) sum.set(term, (sum.get(term) ?? 0) + w);
      sums.set(a, sum);
    }
  }
  for (const sum of sums.values()) {
    const norm = Math.sqrt([...sum.values()].reduce((x, w) => x + w * w, 0)) || 1;
    for (const [term, w] of sum) sum.set(term, w / norm);
  }
  return (t) => {
    const q = vector(docTerms(t.title, t.description, 2));
    return [...sums].map(([nodeId, c]) => ({ nodeId, score: cosine(q, c) })).sort((a, b) => b.score - a.score);
  };
}
