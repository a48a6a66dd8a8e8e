// Which recorded tickets are labelled examples for suggestions, and of which
// nodes. Pure: shared by the run-time model (src/store/learned-suggestions.ts)
// and the digest's theme placement.
import type { StrategyIndex } from './strategy-index.js';
import type { Verdict } from './types.js';

/** Whether a recorded verdict makes the ticket a labelled example: linked now, or finished while linked. */
export function isExample<T extends { verdict: Verdict; objectiveIds: readonly string[] }>(record: T | null | undefined): record is T {
  return record != null && record.objectiveIds.length > 0 && (record.verdict === 'aligned' || record.verdict === 'closed');
}

/** The nodes a ticket is linked to directly: its lineage without the ancestors of other nodes in it. */
export function linkedNodes(objectiveIds: readonly string[], tree: StrategyIndex): string[] {
  const ancestors = new Set<string>();
  for (const id of objectiveIds) for (const a of tree.nodes.get(id)?.chainIds.slice(1) ?? []) ancestors.add(a);
  return objectiveIds.filter((id) => tree.nodes.has(id) && !ancestors.has(id));
}
