// Suggestion quality and cost, on two labelled corpora (bench/corpus/), each
// written before any method was tuned on it: `ledgerly` (an invoicing SaaS, a
// 69-node tree, 292 tickets whose teams follow the objectives) and `helpdesk`
// (Tandem, a support helpdesk, 54 nodes under 5 objectives, 183 tickets all in
// one team, so only the text and the linked examples count). Each is split at
// random over several fixed seeds, half linked (what Cascade learns from), half
// scored as orphans. Cascade is scored on what the orphan comment shows, through
// the product's suggestWithModel with its real floor: a "no close match" counts
// as a miss. Beside it, BM25 over node titles and descriptions, in the same run.
//
// Targets, on both corpora: top-1 objective ≥ BM25 + 8 points (aim 80%), the
// three suggestions' objectives contain the right one at least as often as
// BM25's three, top-3 node ≥ 65%, "no close match" only when even the third
// is unlikely; < 5 ms per suggestion at 10,000 linked, memory linear and modest.
// `node dist/bench/suggestions.js --compare` also prints the other methods tried.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pathToFileURL } from 'node:url';
import { SuggestionModel, type SuggestionModelOptions } from '../src/strategy/suggestion-model.js';
import { suggestWithModel, SUGGESTION_FLOOR, type SuggestOptions } from '../src/strategy/suggest-objectives.js';
import type { StrategyIndex } from '../src/strategy/strategy-index.js';
import { loadCorpus, recombine, split, type CorpusName, type CorpusTicket } from './suggestion-corpus.js';
import { prng } from './digest-fixture.js';
import { centroids, exampleBm25, nearestNeighbours, nodeTextBm25, type Ranked, type Ranker } from './suggestion-methods.js';
import type { Figure } from './figures.js';
import { measureThemePlacement } from './theme-placement.js';

/** The splits the model's choices were measured on. */
export const SEEDS = [11, 23, 37, 41, 59, 67, 73, 89];
/**
 * Splits no choice was made on, reported on their own: a change that helps only
 * on SEEDS fits those splits' accidents, not the corpora.
 */
export const HELD_OUT_SEEDS = [97, 101, 103, 107, 109, 113, 127, 131];
const NOW = new Date('2026-11-23T00:00:00Z');

interface Scores {
  top1Objective: number;
  top3Objective: number;
  top3Node: number;
  /** Scored tickets shown nothing ("no close match" for Cascade; no shared word for BM25). */
  noMatch: number;
}

/** What the comment would show from a ranking: three nodes, no objective above its own suggested sub-node. */
export function shown(index: StrategyIndex, ranked: readonly Ranked[], limit = 3): string[] {
  const out: string[] = [];
  for (const r of ranked) {
    if (out.length >= limit) break;
    if (out.some((id) => index.nodes.get(id)?.chainIds.includes(r.nodeId))) continue;
    out.push(r.nodeId);
  }
  return out;
}

const rootOf = (index: StrategyIndex, id: string): string => index.nodes.get(id)?.chainIds.at(-1) ?? id;

function score(index: StrategyIndex, scored: readonly CorpusTicket[], suggest: (t: CorpusTicket) => string[]): Scores {
  let top1 = 0;
  let top3o = 0;
  let top3n = 0;
  let none = 0;
  for (const t of scored) {
    const ids = suggest(t);
    const truth = rootOf(index, t.nodeId);
    if (ids.length === 0) none++;
    if (ids[0] && rootOf(index, ids[0]) === truth) top1++;
    if (ids.some((id) => rootOf(index, id) === truth)) top3o++;
    if (ids.includes(t.nodeId)) top3n++;
  }
  const pct = (n: number): number => (100 * n) / scored.length;
  return { top1Objective: pct(top1), top3Objective: pct(top3o), top3Node: pct(top3n), noMatch: none };
}

export function trainModel(index: StrategyIndex, linked: readonly CorpusTicket[], options?: SuggestionModelOptions): SuggestionModel {
  const model = new SuggestionModel(index, options);
  linked.forEach((t, i) => model.add({ key: `t${i}`, nodeIds: [t.nodeId], title: t.title, description: t.description, team: t.team }));
  return model;
}

/**
 * What the orphan comment shows, through the product's own function and its
 * floor: a ticket whose comment says "no close match" scores as a miss.
 */
const cascadeRanker = (model: SuggestionModel, suggest?: SuggestOptions): ((t: CorpusTicket) => string[]) => (t) =>
  suggestWithModel(model, { tracker: 'linear', title: t.title, description: t.description, team: t.team }, NOW, suggest).suggestions.map((s) => s.nodeId);

const fromRanker = (index: StrategyIndex, ranker: Ranker): ((t: CorpusTicket) => string[]) => (t) => shown(index, ranker(t));

export interface SplitResult {
  seed: number;
  scored: number;
  /** What the comment shows, with the real floor. */
  cascade: Scores;
  /** The same ranking with no floor: what the floor costs. */
  unfloored: Scores;
  bm25: Scores;
  /** "No close match" comments where one of the three objectives the floor hid was right. */
  hiddenRight: number;
}

export interface EvaluateOptions extends SuggestionModelOptions {
  suggest?: SuggestOptions;
  /** Share of tickets given a team at random (see scrambleTeams). */
  teamNoise?: number;
  /** Share of the linked half the model learns from (1: all of it; 0: the tree alone). */
  linkedShare?: number;
}

export function evaluateSplits(corpus: CorpusName, seeds = SEEDS, options: EvaluateOptions = {}): SplitResult[] {
  const { index, tickets: written } = loadCorpus(corpus);
  const tickets = options.teamNoise ? scrambleTeams(written, options.teamNoise, 5) : written;
  const bm25 = nodeTextBm25(index);
  return seeds.map((seed) => {
    const { linked, scored } = split(tickets, seed);
    const model = trainModel(index, linked.slice(0, Math.round((options.linkedShare ?? 1) * linked.length)), options);
    const comment = cascadeRanker(model, options.suggest);
    const open = cascadeRanker(model, { ...options.suggest, floor: { ...(options.suggest?.floor ?? SUGGESTION_FLOOR), confidence: 0 } });
    const hiddenRight = scored.filter((t) => comment(t).length === 0 && open(t).some((id) => rootOf(index, id) === rootOf(index, t.nodeId))).length;
    return {
      seed,
      hiddenRight,
      scored: scored.length,
      cascade: score(index, scored, cascadeRanker(model, options.suggest)),
      unfloored: score(index, scored, open),
      bm25: score(index, scored, fromRanker(index, bm25)),
    };
  });
}

/**
 * The corpus with a share of tickets given a team at random: how much the team
 * prior helps must not rest on teams that map one-to-one onto objectives.
 */
export function scrambleTeams(tickets: readonly CorpusTicket[], share: number, seed: number): CorpusTicket[] {
  const rnd = prng(seed);
  const teams = [...new Set(tickets.map((t) => t.team))].sort();
  return tickets.map((t) => (rnd() < share ? { ...t, team: teams[Math.floor(rnd() * teams.length)] as string } : t));
}

/** Other methods on the same splits (no floor), for the record of what was tried. */
export function compareMethods(corpus: CorpusName, seeds = SEEDS): Record<string, Scores> {
  const { index, tickets } = loadCorpus(corpus);
  // Never "no close match"; suggestions still share some words with their nodes.
  const open = { floor: { ...SUGGESTION_FLOOR, confidence: 0 } };
  const methods: Record<string, (linked: CorpusTicket[]) => (t: CorpusTicket) => string[]> = {
    'BM25, node text (baseline)': () => fromRanker(index, nodeTextBm25(index)),
    'BM25, node text + linked tickets': (linked) => fromRanker(index, exampleBm25(index, linked)),
    'nearest neighbours (TF-IDF, k=3)': (linked) => fromRanker(index, nearestNeighbours(index, linked, 3)),
    'centroids (TF-IDF), plain ranking': (linked) => fromRanker(index, centroids(index, linked)),
    'Cascade model, node text only (cold start)': () => cascadeRanker(trainModel(index, []), open),
    'naive Bayes, flat (no tree smoothing)': (linked) => cascadeRanker(trainModel(index, linked, { smoothing: 1e-3, centroidWeight: 0, bm25Weight: 0, teamPriorWeight: 0 }), open),
    'naive Bayes + tree smoothing': (linked) => cascadeRanker(trainModel(index, linked, { centroidWeight: 0, bm25Weight: 0, teamPriorWeight: 0 }), open),
    'centroids, tree-aware display': (linked) => cascadeRanker(trainModel(index, linked, { bayesWeight: 0, bm25Weight: 0, teamPriorWeight: 0 }), open),
    'naive Bayes + centroids': (linked) => cascadeRanker(trainModel(index, linked, { bm25Weight: 0, teamPriorWeight: 0 }), open),
    'naive Bayes + centroids + BM25': (linked) => cascadeRanker(trainModel(index, linked, { teamPriorWeight: 0 }), open),
    'Cascade, never "no close match"': (linked) => cascadeRanker(trainModel(index, linked), open),
    'Cascade, as the comment shows it (floor)': (linked) => cascadeRanker(trainModel(index, linked)),
  };
  const out: Record<string, Scores> = {};
  for (const [name, make] of Object.entries(methods)) {
    const sum: Scores = { top1Objective: 0, top3Objective: 0, top3Node: 0, noMatch: 0 };
    for (const seed of seeds) {
      const { linked, scored } = split(tickets, seed);
      const s = score(index, scored, make(linked));
      sum.top1Objective += s.top1Objective / seeds.length;
      sum.top3Objective += s.top3Objective / seeds.length;
      sum.top3Node += s.top3Node / seeds.length;
      sum.noMatch += s.noMatch / seeds.length;
    }
    out[name] = sum;
  }
  return out;
}

function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** ms per suggestion with `linkedCount` linked tickets indexed, and heap bytes the model holds. */
export function measureCost(linkedCount: number): { msPerSuggestion: number; heapMb: number; buildMs: number } {
  const { index, tickets } = loadCorpus();
  const examples = recombine(tickets, linkedCount, 7);
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const model = trainModel(index, examples);
  const buildMs = performance.now() - t0;
  collectGarbage();
  const heapMb = (process.memoryUsage().heapUsed - before) / 1e6;
  const queries = tickets.map((t) => ({ tracker: 'linear' as const, title: t.title, description: t.description, team: t.team }));
  for (const q of queries) suggestWithModel(model, q, NOW); // warm up
  const rounds = Math.max(1, Math.ceil(3000 / queries.length));
  const start = performance.now();
  for (let r = 0; r < rounds; r++) for (const q of queries) suggestWithModel(model, q, NOW);
  const msPerSuggestion = (performance.now() - start) / (rounds * queries.length);
  if (model.size !== linkedCount) throw new Error('model lost examples');
  return { msPerSuggestion, heapMb, buildMs };
}

const f1 = (n: number): string => n.toFixed(1).padStart(5);

type Pick = (r: SplitResult) => number;
const meanOf = (rs: readonly SplitResult[], pick: Pick): number => rs.reduce((s, r) => s + pick(r), 0) / rs.length;
const minOf = (rs: readonly SplitResult[], pick: Pick): number => Math.min(...rs.map(pick));
const maxOf = (rs: readonly SplitResult[], pick: Pick): number => Math.max(...rs.map(pick));
const rangeOf = (rs: readonly SplitResult[], pick: Pick, digits = 1): string => `${minOf(rs, pick).toFixed(digits)}–${maxOf(rs, pick).toFixed(digits)}`;

/** One line per method: each figure as mean (range over splits). */
function summaryRows(corpus: string, rs: readonly SplitResult[]): string[] {
  const cell = (pick: Pick): string => `${f1(meanOf(rs, pick))}% (${rangeOf(rs, pick)})`.padEnd(20);
  const row = (name: string, of: (r: SplitResult) => Scores): string =>
    `${corpus.padEnd(9)} ${name.padEnd(26)} ${cell((r) => of(r).top1Objective)} ${cell((r) => of(r).top3Objective)} ${cell((r) => of(r).top3Node)} ${meanOf(rs, (r) => of(r).noMatch).toFixed(1)} of ${rs[0]?.scored ?? 0} (${rangeOf(rs, (r) => of(r).noMatch, 0)})`;
  return [row('Cascade (comment, floor)', (r) => r.cascade), row('Cascade, never "no match"', (r) => r.unfloored), row('BM25 over node text', (r) => r.bm25)];
}

/** The figures one corpus must meet, each on its worst split. */
function corpusFigures(corpus: string, rs: readonly SplitResult[]): Figure[] {
  const bench = 'suggest';
  const splits = `${rs.length} splits, ${corpus}`;
  return [
    { bench, name: `${corpus}: top-1 objective lead over BM25, mean`, value: meanOf(rs, (r) => r.cascade.top1Objective - r.bm25.top1Objective), unit: 'points', target: { op: '>=', value: 8 }, note: `${splits}; top-1 ${meanOf(rs, (r) => r.cascade.top1Objective).toFixed(1)}% (${rangeOf(rs, (r) => r.cascade.top1Objective)}), BM25 ${meanOf(rs, (r) => r.bm25.top1Objective).toFixed(1)}% (${rangeOf(rs, (r) => r.bm25.top1Objective)})` },
    { bench, name: `${corpus}: top-1 objective lead over BM25, worst`, value: minOf(rs, (r) => r.cascade.top1Objective - r.bm25.top1Objective), unit: 'points', target: { op: '>=', value: 8 }, note: `leads by split ${rs.map((r) => (r.cascade.top1Objective - r.bm25.top1Objective).toFixed(1)).join(', ')}` },
    { bench, name: `${corpus}: top-1 objective, mean of splits`, value: meanOf(rs, (r) => r.cascade.top1Objective), unit: '%', target: { op: '>=', value: 80 }, note: 'the aim' },
    { bench, name: `${corpus}: top-3 objective minus BM25's, worst`, value: minOf(rs, (r) => r.cascade.top3Objective - r.bm25.top3Objective), unit: 'points', target: { op: '>=', value: 0 }, note: `top-3 ${meanOf(rs, (r) => r.cascade.top3Objective).toFixed(1)}% (${rangeOf(rs, (r) => r.cascade.top3Objective)}), BM25 ${meanOf(rs, (r) => r.bm25.top3Objective).toFixed(1)}% (${rangeOf(rs, (r) => r.bm25.top3Objective)})` },
    { bench, name: `${corpus}: top-3 node, worst split`, value: minOf(rs, (r) => r.cascade.top3Node), unit: '%', target: { op: '>=', value: 65 }, note: `range ${rangeOf(rs, (r) => r.cascade.top3Node)}; BM25 ${meanOf(rs, (r) => r.bm25.top3Node).toFixed(1)}% mean` },
    { bench, name: `${corpus}: "no close match", mean of splits`, value: meanOf(rs, (r) => r.cascade.noMatch), unit: 'comments', note: `of ${rs[0]?.scored ?? 0} scored (${rangeOf(rs, (r) => r.cascade.noMatch, 0)}); floor ${JSON.stringify(SUGGESTION_FLOOR)}` },
    { bench, name: `${corpus}: hidden by the floor though one was right`, value: rs.reduce((sum, r) => sum + r.hiddenRight, 0), unit: 'comments', note: `over all ${rs.length} splits, of ${rs.reduce((sum, r) => sum + r.cascade.noMatch, 0)} "no close match"` },
  ];
}

export function runSuggestionBench(): { figures: Figure[]; table: string[] } {
  const ledgerly = evaluateSplits('ledgerly');
  const helpdesk = evaluateSplits('helpdesk');
  const ledgerlyHeld = evaluateSplits('ledgerly', HELD_OUT_SEEDS);
  const helpdeskHeld = evaluateSplits('helpdesk', HELD_OUT_SEEDS);
  const table = [
    `corpus    method                     top-1 objective      top-3 objective      top-3 node           "no close match" (mean of ${SEEDS.length} splits, range)`,
    ...summaryRows('ledgerly', ledgerly),
    ...summaryRows('helpdesk', helpdesk),
    `held-out splits (seeds ${HELD_OUT_SEEDS.join(', ')}):`,
    ...summaryRows('ledgerly', ledgerlyHeld),
    ...summaryRows('helpdesk', helpdeskHeld),
  ];
  // The team prior learns from how teams link; the ledgerly corpus's teams follow its
  // objectives closely, so its splits are also scored without the prior and with half
  // the teams scrambled.
  const textOnly = evaluateSplits('ledgerly', SEEDS, { teamPriorWeight: 0 });
  const scrambled = evaluateSplits('ledgerly', SEEDS, { teamNoise: 0.5 });
  const lead = (rs: SplitResult[]): number => minOf(rs, (r) => r.cascade.top1Objective - r.bm25.top1Objective);
  const placement = measureThemePlacement(SEEDS.slice(0, 3));
  const cost10 = measureCost(10_000);
  const cost20 = measureCost(20_000);
  const figures: Figure[] = [
    ...corpusFigures('ledgerly', ledgerly),
    ...corpusFigures('helpdesk', helpdesk),
    ...corpusFigures('ledgerly, held-out splits', ledgerlyHeld),
    ...corpusFigures('helpdesk, held-out splits', helpdeskHeld),
    { bench: 'suggest', name: 'ledgerly: top-1 lead, no team prior, worst split', value: lead(textOnly), unit: 'points', note: `text alone: top-1 ${meanOf(textOnly, (r) => r.cascade.top1Objective).toFixed(1)}%, top-3 node ${meanOf(textOnly, (r) => r.cascade.top3Node).toFixed(1)}% (means)` },
    { bench: 'suggest', name: 'ledgerly: top-1 lead, half the teams scrambled, worst', value: lead(scrambled), unit: 'points', note: `top-1 ${meanOf(scrambled, (r) => r.cascade.top1Objective).toFixed(1)}%, top-3 node ${meanOf(scrambled, (r) => r.cascade.top3Node).toFixed(1)}% (means)` },
    { bench: 'suggest', name: 'digest themes: "belongs under" names the right one', value: (100 * placement.present.own) / Math.max(1e-9, placement.present.own + placement.present.other), unit: '%', note: `present objectives: ${placement.present.own.toFixed(0)}% under their own, ${placement.present.other.toFixed(0)}% another, ${placement.present.new.toFixed(0)}% "new"` },
    { bench: 'suggest', name: 'digest themes: a missing objective called "new"', value: placement.missing.new, unit: '%', note: `and put under another objective ${placement.missing.other.toFixed(0)}% (each objective taken out in turn)` },
    { bench: 'suggest', name: 'time per suggestion, 10,000 linked', value: cost10.msPerSuggestion, unit: 'ms', target: { op: '<', value: 5 }, note: `index built in ${cost10.buildMs.toFixed(0)} ms` },
    { bench: 'suggest', name: 'model heap per 10,000 linked', value: cost10.heapMb, unit: 'MB', target: { op: '<', value: 50 }, note: `${(cost20.heapMb / 2).toFixed(1)} MB per 10,000 at 20,000 (linear if close)` },
  ];
  return { figures, table };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { figures, table } = runSuggestionBench();
  for (const line of table) console.log(line);
  for (const f of figures) console.log(`${f.name}: ${f.value.toFixed(2)} ${f.unit} ${f.note ?? ''}`);
  if (process.argv.includes('--compare')) {
    for (const corpus of ['ledgerly', 'helpdesk'] as const) {
      for (const [splits, seeds] of [['splits', SEEDS], ['held-out splits', HELD_OUT_SEEDS]] as const) {
        console.log(`\n${corpus}, ${splits}: method (mean, no floor unless said)          top1-obj top3-obj top3-node no-match`);
        for (const [name, s] of Object.entries(compareMethods(corpus, seeds))) console.log(`${name.padEnd(52)} ${f1(s.top1Objective)}%  ${f1(s.top3Objective)}%  ${f1(s.top3Node)}%  ${s.noMatch.toFixed(1)}`);
      }
    }
  }
}
