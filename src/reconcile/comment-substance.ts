// What Cascade's comment says in substance: the verdict, the lineage (or where
// it breaks, which is the fix it names), why the ticket is exempt. Cascade
// edits its comment only when this changes; wording, suggestions (which move as
// Cascade learns from the workspace, with their scores) and objective
// descriptions are rendering and leave the comment alone. Pure.
import { createHash } from 'node:crypto';
import type { Resolution } from '../strategy/decide-verdict.js';
import type { TicketSnapshot } from '../strategy/types.js';
import type { CommentIntent } from './plan-reconcile.js';
import type { CommentReveal } from '../strategy/tree-schema.js';

/**
 * `reveal` (rules.comment.reveal) is substance too: an admin who narrows what
 * comments name wants the comments already written to say less. The default
 * leaves the fingerprint as it always was.
 */
export function commentSubstance(intent: CommentIntent, ticket: TicketSnapshot, resolution: Resolution, reveal: CommentReveal = 'path'): string | null {
  if (intent.action === 'none' || intent.action === 'delete' || intent.action === 'reply') return null;
  const parts: unknown[] = [intent.action, intent.kind];
  if (reveal !== 'path') parts.push(reveal);
  if (intent.action === 'nudge') {
    const path = resolution.paths[0];
    // Orphan: where the chain ends; stale: the path to the node that is no longer active.
    parts.push(intent.kind === 'orphan' ? [ticket.parents[ticket.parents.length - 1]?.key ?? null, ticket.project?.id ?? null] : [path?.via ?? null, path?.state ?? null]);
  } else if (intent.kind === 'exempt') {
    parts.push(resolution.reason);
  } else {
    const path = resolution.paths.find((p) => p.state.state === 'active') ?? resolution.paths[0];
    parts.push(path ? [path.via, path.nodeIds[0], path.nodeIds[path.nodeIds.length - 1]] : null);
  }
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}
