// What Cascade has learned about where tickets belong: for every node of the
// strategy tree, the words and phrases of the tickets linked under it (each
// aligned ticket is an example of its node and of every ancestor) together with
// the node's own title and description, which are all a node has before anything
// is linked under it.
//
// Scoring blends three views of a node, each put on one scale per query
// (standard scores over the nodes): multinomial naive Bayes with hierarchical
// smoothing (a node's word distribution is its own counts, pulled toward its
// parent's, and the objectives toward the whole workspace, so a feature with
// three examples still speaks mostly with its portfolio's voice); the TF-IDF
// centroid of everything linked under the node with its own text; and BM25
// over the node's own title, description and the names people link it by. The
// last keeps the strategy's own words in charge while the examples are few: on
// a workspace where every ticket is in one team, examples alone did no better
// than BM25 over node text. Chosen by measurement on bench/suggestions.ts, on
// two corpora (one with teams that follow the objectives, one with a single
// team); BM25 over examples, nearest neighbours, rank fusion and absolute
// rather than standard scores were tried there and did worse. Also within a
// point of this blend on both corpora, on the measured and the held-out splits,
// and so left out: BM25's IDF over tickets rather than node texts; linked
// tickets added to their node's BM25 text; an objective's confidence from its
// best node or its nodes' mean rather than their sum; a second stage scoring
// the objectives against each other; ancestors' scores added down the path;
// the team prior as a lift over everyone's links; words without two-word
// phrases; log term counts; a logistic regression over objectives (worse
// alone, 58-67%). What the one-team corpus misses mostly needs knowledge the
// words do not carry ("PCI" is compliance, "websocket" is app performance).
//
// Incremental: adding or removing one example touches only the counts of its node
// and its ancestors. Pure: no I/O, no clock.
import type { IndexedNode, StrategyIndex } from './strategy-index.js';
import { DEFAULT_FIELD_WEIGHTS, weightedTerms, type FieldWeights } from './ticket-terms.js';
import { MATCH_KEYS, MATCH_PARTS, matchValues } from './match-keys.js';

/** Options for a SuggestionModel; every field has a default. */
export interface SuggestionModelOptions {
  /** Naive Bayes: pull toward the parent's distribution, in weighted term counts. Default 60. */
  smoothing?: number;
  /** How much a node's own title and description count against one linked ticket. Default 3. */
  nodeTextWeight?: number;
  /** How much a node's own text counts against one linked ticket in its centroid. Default 2. */
  nodeTextVectorWeight?: number;
  /** Weight of the naive Bayes score in the ranking (per-query standard scores). Default 1. */
  bayesWeight?: number;
  /** Weight of the centroid similarity in the ranking (per-query standard scores). Default 2. */
  centroidWeight?: number;
  /**
   * Weight of BM25 over each node's own title and description in the ranking (per-query
   * standard scores). Default 1. The strategy's words are the cleanest evidence there is
   * (a node titled "SCIM provisioning" is where SCIM tickets go), and the examples, few
   * per node in a young workspace, must not drown them.
   */
  bm25Weight?: number;
  /**
   * Softmax temperature of the confidence: higher spreads an objective's probability
   * over all its nodes rather than its best one. Default 2: at 1, one lucky word in a
   * single node (a ticket's "small" against "Small teams find, try and buy") made an
   * objective near certain; at 2 several fair matches under one objective outweigh it.
   */
  temperature?: number;
  /** Weight of the team prior (log of the team's share under an objective against an even split). Default 0.5; 0 turns it off. */
  teamPriorWeight?: number;
  /** Title versus description. Default title 2, description 1. */
  fieldWeights?: FieldWeights;
  /**
   * Share of documents added or removed since a node's length was computed before
   * it is computed again (IDFs drift as tickets come and go). Default 0.02; 0: always exact.
   */
  normTolerance?: number;
}

/** A linked ticket, as the model keeps it: enough to take it back out again. */
export interface SuggestionExample {
  /** Stable per ticket: `${tracker}:${id}`. */
  key: string;
  /** The nodes the ticket is linked to (the nearest matched nodes, not their ancestors). */
  nodeIds: string[];
  title: string;
  description?: string;
  team?: string;
}

export interface RankedNode {
  nodeId: string;
  /** The root objective of the node. */
  objectiveId: string;
  /** The ranking score: relative to the other nodes for this text, no meaning across texts. */
  score: number;
  /**
   * Cosine similarity (0 to 1) between the text and everything linked under the
   * node with its own description, TF-IDF weighted: comparable across texts, so
   * the confidence floor and the digest's "far from every objective" use it.
   */
  similarity: number;
  /**
   * How sure the ranking is of this node's objective: its share of the softmax
   * over every node's score (0 to 1). The confidence floor applies to it.
   */
  confidence: number;
}

interface Stored {
  nodeIds: string[];
  termIds: Uint32Array;
  counts: Float32Array;
  team?: string;
  /** The objectives it counted for in the team prior (once each). */
  rootIds: string[];
}

interface NodeCounts {
  /** The node's own title and description (term id → count), for BM25; fixed with the tree. */
  text?: Map<number, number>;
  textLength?: number;
  counts: Map<number, number>;
  total: number;
  /** Sum of the unit (log-tf) vectors of its documents; IDF is applied at query time. */
  vector: Map<number, number>;
  /** The vector's IDF-weighted length, and the document count it was computed at (NaN: recompute). */
  norm: number;
  normAt: number;
}

export class SuggestionModel {
  readonly options: Required<SuggestionModelOptions>;
  private readonly vocabulary = new Map<string, number>();
  private readonly nodeCounts = new Map<string, NodeCounts>();
  private readonly background: NodeCounts = emptyCounts();
  private readonly examples = new Map<string, Stored>();
  /** In how many documents (linked tickets and node texts) each term occurs, and how many documents there are. */
  private readonly documentFrequency = new Map<number, number>();
  private documents = 0;
  /** In how many node texts each term occurs, and their mean length (BM25). */
  private readonly textFrequency = new Map<number, number>();
  private averageTextLength = 1;
  /** team → objective id → linked tickets. */
  private readonly teams = new Map<string, Map<string, number>>();
  /** Nodes parents first, so smoothing can run top-down in one pass. */
  private readonly order: { node: NodeCounts; id: string; objectiveId: string; parentIndex: number }[] = [];

  constructor(
    readonly tree: StrategyIndex,
    options: SuggestionModelOptions = {},
  ) {
    this.options = {
      smoothing: options.smoothing ?? 60,
      nodeTextWeight: options.nodeTextWeight ?? 3,
      bayesWeight: options.bayesWeight ?? 1,
      centroidWeight: options.centroidWeight ?? 2,
      bm25Weight: options.bm25Weight ?? 1,
      nodeTextVectorWeight: options.nodeTextVectorWeight ?? 2,
      temperature: options.temperature ?? 2,
      teamPriorWeight: options.teamPriorWeight ?? 0.5,
      fieldWeights: options.fieldWeights ?? DEFAULT_FIELD_WEIGHTS,
      normTolerance: options.normTolerance ?? 0.02,
    };
    const position = new Map<string, number>();
    const visit = (id: string, parentIndex: number): void => {
      const node = tree.nodes.get(id);
      if (!node || position.has(id)) return;
      const counts = emptyCounts();
      position.set(id, this.order.length);
      this.order.push({ node: counts, id, objectiveId: node.chainIds.at(-1) ?? id, parentIndex });
      this.nodeCounts.set(id, counts);
      for (const child of node.childIds) visit(child, position.get(id) as number);
    };
    for (const root of tree.rootIds) visit(root, -1);
    // The cold start: each node's text, as if a few tickets said it.
    let textLength = 0;
    for (const node of tree.nodes.values()) {
      const description = nodeDescription(node);
      this.addCounts(node.chainIds, this.encode(weightedTerms(node.title, description, this.options.fieldWeights)), this.options.nodeTextWeight, this.options.nodeTextVectorWeight);
      const encoded = this.encode(weightedTerms(node.title, description, BM25_FIELDS));
      const own = this.nodeCounts.get(node.id) as NodeCounts;
      own.text = new Map();
      encoded.ids.forEach((id, i) => {
        own.text?.set(id, encoded.counts[i] as number);
        this.textFrequency.set(id, (this.textFrequency.get(id) ?? 0) + 1);
      });
      own.textLength = encoded.counts.reduce((a, b) => a + b, 0);
      textLength += own.textLength;
    }
    this.averageTextLength = textLength / Math.max(1, tree.nodes.size);
  }

  /** The same examples over another tree (after a config change). */
  withTree(tree: StrategyIndex): SuggestionModel {
    const next = new SuggestionModel(tree, this.options);
    const names: string[] = [];
    for (const [term, id] of this.vocabulary) names[id] = term;
    for (const [key, stored] of this.examples) {
      const terms = new Map<string, number>();
      stored.termIds.forEach((id, i) => terms.set(names[id] as string, stored.counts[i] as number));
      next.insert(key, stored.nodeIds, terms, stored.team);
    }
    return next;
  }

  get size(): number {
    return this.examples.size;
  }

  has(key: string): boolean {
    return this.examples.has(key);
  }

  /** Adds or replaces one linked ticket. */
  add(example: SuggestionExample): void {
    this.insert(example.key, example.nodeIds, weightedTerms(example.title, example.description, this.options.fieldWeights), example.team);
  }

  /** Takes a ticket's example back out (unlinked, closed, deleted); unknown keys are ignored. */
  remove(key: string): void {
    const stored = this.examples.get(key);
    if (!stored) return;
    this.apply(stored, -1);
    this.examples.delete(key);
  }

  /** Every node scored for the text, best first. Empty when no word of it is known. */
  rank(title: string, description?: string, team?: string): RankedNode[] {
    const query: { id: number; weight: number; pb: number; idf: number }[] = [];
    let queryNorm = 0;
    // Terms in use now (the vocabulary keeps the ids of terms whose tickets are gone).
    const vocabSize = Math.max(1, this.background.counts.size);
    for (const [term, weight] of weightedTerms(title, description, this.options.fieldWeights)) {
      const id = this.vocabulary.get(term);
      // Unknown, or known only from tickets that are gone.
      if (id === undefined || !this.documentFrequency.has(id)) continue;
      const pb = ((this.background.counts.get(id) ?? 0) + 0.5) / (this.background.total + 0.5 * vocabSize);
      const idf = this.idf(id);
      query.push({ id, weight, pb, idf });
      queryNorm += ((1 + Math.log(weight)) * idf) ** 2;
    }
    if (query.length === 0) return [];
    const mu = this.options.smoothing;
    const n = this.order.length;
    const bayes = new Float64Array(n);
    const dot = new Float64Array(n);
    const p = new Float64Array(n);
    const bm25 = new Float64Array(n);
    for (const { id } of query) {
      const df = this.textFrequency.get(id);
      if (df === undefined) continue;
      const textIdf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (let i = 0; i < n; i++) {
        const node = (this.order[i] as (typeof this.order)[number]).node;
        const tf = node.text?.get(id);
        if (tf === undefined) continue;
        bm25[i] = (bm25[i] as number) + (textIdf * tf * (BM25_K1 + 1)) / (tf + BM25_K1 * (1 - BM25_B + (BM25_B * (node.textLength ?? 0)) / this.averageTextLength));
      }
    }
    for (const { id, weight, pb, idf } of query) {
      const q = (1 + Math.log(weight)) * idf * idf;
      for (let i = 0; i < n; i++) {
        const entry = this.order[i] as (typeof this.order)[number];
        const parent = entry.parentIndex < 0 ? pb : (p[entry.parentIndex] as number);
        const node = entry.node;
        const pi = ((node.counts.get(id) ?? 0) + mu * parent) / (node.total + mu);
        p[i] = pi;
        bayes[i] = (bayes[i] as number) + weight * Math.log(pi / pb);
        const v = node.vector.get(id);
        if (v !== undefined) dot[i] = (dot[i] as number) + q * v;
      }
    }
    const similarity = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const norm = this.normOf((this.order[i] as (typeof this.order)[number]).node);
      similarity[i] = norm > 0 ? (dot[i] as number) / (norm * Math.sqrt(queryNorm)) : 0;
    }
    const zBayes = standardScores(bayes);
    const zSimilarity = standardScores(similarity);
    const zBm25 = standardScores(bm25);
    const prior = team && this.options.teamPriorWeight > 0 ? this.teams.get(team) : undefined;
    const teamTotal = prior ? [...prior.values()].reduce((a, b) => a + b, 0) : 0;
    const roots = this.tree.rootIds.length;
    const out: RankedNode[] = this.order.map((entry, i) => {
      let score = this.options.bayesWeight * (zBayes[i] as number) + this.options.centroidWeight * (zSimilarity[i] as number) + this.options.bm25Weight * (zBm25[i] as number);
      if (prior) {
        // Add-one smoothed share of the team's linked work under this objective, against an even split.
        const share = ((prior.get(entry.objectiveId) ?? 0) + 1) / (teamTotal + roots);
        score += this.options.teamPriorWeight * Math.log(share * roots);
      }
      return { nodeId: entry.id, objectiveId: entry.objectiveId, score, similarity: similarity[i] as number, confidence: 0 };
    });
    let max = -Infinity;
    for (const r of out) max = Math.max(max, r.score);
    const mass = new Map<string, number>();
    let total = 0;
    const temperature = this.options.temperature;
    for (const r of out) {
      const e = Math.exp((r.score - max) / temperature);
      mass.set(r.objectiveId, (mass.get(r.objectiveId) ?? 0) + e);
      total += e;
    }
    for (const r of out) r.confidence = (mass.get(r.objectiveId) ?? 0) / total;
    return out.sort((a, b) => b.score - a.score);
  }

  private idf(id: number): number {
    return Math.log((this.documents + 1) / ((this.documentFrequency.get(id) ?? 0) + 1)) + 1;
  }

  /** The IDF-weighted length of a node's vector, recomputed when the node changed or the IDFs drifted (see normTolerance). */
  private normOf(node: NodeCounts): number {
    if (!(Math.abs(node.normAt - this.documents) <= this.options.normTolerance * this.documents)) {
      let sum = 0;
      for (const [id, v] of node.vector) sum += (v * this.idf(id)) ** 2;
      node.norm = Math.sqrt(sum);
      node.normAt = this.documents;
    }
    return node.norm;
  }

  private insert(key: string, nodeIds: readonly string[], terms: Map<string, number>, team: string | undefined): void {
    this.remove(key);
    const encoded = this.encode(terms);
    const stored: Stored = { nodeIds: nodeIds.filter((id) => this.tree.nodes.has(id)), termIds: encoded.ids, counts: encoded.counts, team, rootIds: [] };
    this.apply(stored, 1);
    this.examples.set(key, stored);
  }

  private encode(terms: Map<string, number>): { ids: Uint32Array; counts: Float32Array } {
    const ids = new Uint32Array(terms.size);
    const counts = new Float32Array(terms.size);
    let i = 0;
    for (const [term, count] of terms) {
      let id = this.vocabulary.get(term);
      if (id === undefined) {
        id = this.vocabulary.size;
        this.vocabulary.set(term, id);
      }
      ids[i] = id;
      counts[i] = count;
      i++;
    }
    return { ids, counts };
  }

  /** Adds (sign 1) or takes away (-1) an example's counts on its nodes, their ancestors once each, and the background. */
  private apply(stored: Stored, sign: 1 | -1): void {
    const chain = new Set<string>();
    for (const id of stored.nodeIds) for (const a of this.tree.nodes.get(id)?.chainIds ?? []) chain.add(a);
    this.addCounts([...chain], { ids: stored.termIds, counts: stored.counts }, sign, sign);
    if (sign === 1) stored.rootIds = [...new Set(stored.nodeIds.map((id) => this.tree.nodes.get(id)?.chainIds.at(-1)).filter((id): id is string => id !== undefined))];
    if (stored.team) {
      let byRoot = this.teams.get(stored.team);
      if (!byRoot) this.teams.set(stored.team, (byRoot = new Map()));
      for (const root of stored.rootIds) {
        const n = (byRoot.get(root) ?? 0) + sign;
        if (n > 0) byRoot.set(root, n);
        else byRoot.delete(root);
      }
      if (byRoot.size === 0) this.teams.delete(stored.team);
    }
  }

  /** Term counts scaled by `countScale`, the document's unit vector by `vectorScale` (negative to take away). */
  private addCounts(nodeIds: readonly string[], terms: { ids: Uint32Array; counts: Float32Array }, countScale: number, vectorScale: number): void {
    let length = 0;
    for (const c of terms.counts) length += (1 + Math.log(c)) ** 2;
    length = Math.sqrt(length) || 1;
    const bump = (target: NodeCounts, withVector: boolean): void => {
      terms.ids.forEach((id, i) => {
        const count = terms.counts[i] as number;
        const delta = count * countScale;
        // Float dust after removals must not leave terms behind.
        const n = (target.counts.get(id) ?? 0) + delta;
        if (n > 1e-6) target.counts.set(id, n);
        else target.counts.delete(id);
        target.total += delta;
        if (withVector) {
          const v = (target.vector.get(id) ?? 0) + (vectorScale * (1 + Math.log(count))) / length;
          if (v > 1e-6) target.vector.set(id, v);
          else target.vector.delete(id);
        }
      });
      if (target.total < 1e-6) target.total = 0;
      target.normAt = NaN;
    };
    for (const id of nodeIds) {
      const node = this.nodeCounts.get(id);
      if (node) bump(node, true);
    }
    bump(this.background, false);
    const sign = Math.sign(countScale);
    this.documents += sign;
    for (const id of terms.ids) {
      const n = (this.documentFrequency.get(id) ?? 0) + sign;
      if (n > 0) this.documentFrequency.set(id, n);
      else this.documentFrequency.delete(id);
    }
  }
}

/**
 * A node's description with the names people link to it by: a project called
 * "Answer bot" or a label "compliance" is the team's own word for the work, often
 * closer to a ticket's words than the objective's title. Issue keys are not words.
 */
/** The entries that are names people use (all but issue keys), in MATCH_KEYS order. */
const NAME_KEYS = MATCH_KEYS.filter((key) => key !== 'issues');

function nodeDescription(node: IndexedNode): string {
  const names = MATCH_PARTS.flatMap(({ tracker }) => NAME_KEYS.flatMap((key) => matchValues(node.match, tracker, key)));
  return [node.description ?? '', ...names].join('. ');
}

/** Okapi BM25's usual constants; node text counted as written (title and description alike), as the keyword baseline does. */
const BM25_K1 = 1.2;
const BM25_B = 0.75;
const BM25_FIELDS: FieldWeights = { title: 1, description: 1 };

function emptyCounts(): NodeCounts {
  return { counts: new Map(), total: 0, vector: new Map(), norm: 0, normAt: NaN };
}

/** (x - mean) / standard deviation over the nodes: puts unlike scores on one scale per query. */
function standardScores(values: Float64Array): Float64Array {
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length || 1;
  let variance = 0;
  for (const v of values) variance += (v - mean) ** 2;
  const sd = Math.sqrt(variance / (values.length || 1)) || 1;
  return values.map((v) => (v - mean) / sd);
}
