// IssueFilters for "every issue under this container", at any depth up to
// PARENT_DEPTH: a sub-issue inherits its lineage through its parents, so a
// change to a project must re-check the sub-issues of the project's issues too.
// One filtered, paged query per container; no walking the tree request by request.
import type { ContainerRef } from '../tracker.js';
import { PARENT_DEPTH } from '../../strategy/limits.js';

type Filter = Record<string, unknown>;

/** `inner` applied to the issue itself (from depth 0) or to its parent, grandparent… */
function atAnyDepth(inner: Filter, fromDepth: number): Filter {
  const alternatives: Filter[] = [];
  for (let depth = fromDepth; depth <= PARENT_DEPTH; depth++) {
    let filter = inner;
    for (let i = 0; i < depth; i++) filter = { parent: filter };
    alternatives.push(filter);
  }
  return { or: alternatives };
}

export function containerFilter(container: ContainerRef): Filter {
  const id = { eq: container.id };
  switch (container.kind) {
    case 'ticket':
      return atAnyDepth({ id }, 1);
    case 'project':
      return atAnyDepth({ project: { id } }, 0);
    case 'initiative':
      // The initiative's own projects and those of its sub-initiatives (any depth).
      return atAnyDepth({ project: { initiatives: { some: { or: [{ id }, { ancestors: { some: { id } } }] } } } }, 0);
  }
}

/** Open states only; team keys when the scope names some. */
/** Issues completed or canceled at or after `since` (ISO 8601), in the given teams (all when empty). */
export function doneIssuesFilter(teams: string[], since: string): Filter {
  return {
    or: [{ completedAt: { gte: since } }, { canceledAt: { gte: since } }],
    ...(teams.length > 0 ? { team: { key: { in: teams } } } : {}),
  };
}

export function openIssuesFilter(teams: string[]): Filter {
  return {
    state: { type: { nin: ['completed', 'canceled'] } },
    ...(teams.length > 0 ? { team: { key: { in: teams } } } : {}),
  };
}
