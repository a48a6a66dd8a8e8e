// Where an orphan theme sits against the strategy: close to one objective's
// linked work ("probably belongs under X": a linking problem), or far from
// every objective (a candidate new objective: a strategy gap). Scored with the
// same model as the comments' suggestions, learned from the linked tickets in
// the digest's own records. Pure.
import type { CascadeConfig } from '../strategy/tree-schema.js';
import { compileStrategy } from '../strategy/strategy-index.js';
import { SuggestionModel } from '../strategy/suggestion-model.js';
import { isExample, linkedNodes } from '../strategy/linked-examples.js';
import type { VerdictRecord } from '../records/verdict-record.js';
import type { ThemePlacement } from './types.js';

/** Options for theme placement; every field has a default. */
export interface PlacementOptions {
  /** Linked tickets read into the model at most (evenly spaced), so a large digest stays fast. Default 3000. */
  maxExamples?: number;
  /**
   * Confidence in the objective (0 to 1) and similarity to its node's tickets needed
   * for "belongs under". Defaults 0.6 and 0.25, with newBelow 0.15: on
   * bench/theme-placement.ts (each objective taken out of the tree in turn), a
   * "belongs under" for work of a present objective names its own objective nine
   * times in ten, and work of the missing objective is called new about half the
   * time and put under another objective about one time in seven.
   */
  belongs?: { confidence: number; similarity: number };
  /** Similarity to every node below which a theme is a candidate new objective. Default 0.15. */
  newBelow?: number;
}

/** Places a theme by what its tickets share: its word or phrase ("dark mode"), not everything else they say. */
export type PlaceTheme = (label: string) => ThemePlacement | undefined;

export function themePlacer(config: CascadeConfig, linked: Iterable<VerdictRecord>, options: PlacementOptions = {}): PlaceTheme {
  const tree = compileStrategy(config);
  const model = new SuggestionModel(tree, { teamPriorWeight: 0 });
  const examples = [...linked].filter((r) => isExample(r));
  const step = Math.max(1, examples.length / (options.maxExamples ?? 3000));
  for (let x = 0; x < examples.length; x += step) {
    const r = examples[Math.floor(x)] as VerdictRecord;
    model.add({ key: `${r.tracker}:${r.id}`, nodeIds: linkedNodes(r.objectiveIds, tree), title: r.title, description: r.description });
  }
  const belongs = options.belongs ?? { confidence: 0.6, similarity: 0.25 };
  const newBelow = options.newBelow ?? 0.15;
  return (label) => {
    const best = model.rank(label)[0];
    if (!best) return { kind: 'new', similarity: 0 };
    const similarity = Math.round(best.similarity * 1000) / 1000;
    if (best.similarity < newBelow) return { kind: 'new', similarity };
    if (best.confidence >= belongs.confidence && best.similarity >= belongs.similarity) {
      const node = tree.nodes.get(best.nodeId);
      const objective = tree.nodes.get(best.objectiveId);
      return { kind: 'objective', objectiveId: best.objectiveId, objectiveTitle: objective?.title ?? best.objectiveId, nodeId: best.nodeId, nodeTitle: node?.title ?? best.nodeId, similarity, confidence: Math.round(best.confidence * 1000) / 1000 };
    }
    return undefined;
  };
}
