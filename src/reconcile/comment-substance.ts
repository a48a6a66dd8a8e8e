// What Cascade's comment says in substance: the verdict, the lineage (or where
// it breaks), the fix it names, why the ticket is exempt. Cascade edits its
// comment only when this changes; wording, suggestion scores and objective
// descriptions are rendering and leave the comment alone. Pure.
import { createHash } from 'node:crypto';
import type { Resolution } from '../strategy/decide-verdict.js';
import type { Suggestion } from '../strategy/suggest-objectives.js';
import type { TicketSnapshot } from '../strategy/types.js';
import type { CommentIntent } from './plan-reconcile.js';

export function commentSubstance(intent: CommentIntent, ticket: TicketSnapshot, resolution: Resolution, suggestions: readonly Suggestion[]): string | null {
  if (intent.action === 'none' || intent.action === 'delete' || intent.action === 'reply') return null;
  const parts: unknown[] = [intent.action, intent.kind];
  if (intent.action === 'nudge') {
    const path = resolution.paths[0];
    // Orphan: where the chain ends; stale: the path to the node that is no longer active.
    parts.push(intent.kind === 'orphan' ? [ticket.parents[ticket.parents.length - 1]?.key ?? null, ticket.project?.id ?? null] : [path?.via ?? null, path?.state ?? null]);
    const fix = suggestions[0]?.links[0];
    parts.push(fix ? [fix.kind, fix.name] : null);
  } else if (intent.kind === 'exempt') {
    parts.push(resolution.reason);
  } else {
    const path = resolution.paths.find((p) => p.state.state === 'active') ?? resolution.paths[0];
    parts.push(path ? [path.via, path.nodeIds[0], path.nodeIds[path.nodeIds.length - 1]] : null);
  }
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}
