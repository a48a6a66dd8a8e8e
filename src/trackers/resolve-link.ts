// Where a `/cascade link` (or POST /admin/link) request takes a ticket, read
// from the tracker and checked against the strategy tree: the numbered
// suggestion as Cascade's comment showed it, or a name; it must lead to an
// active objective, or linking there would fix nothing. Read-only: the
// ticket's check makes the move, the admin API's dry run only reports it.
import { describeTarget, type LinkTarget, type LinkWanted, type NumberedLink } from '../commands/link-target.js';
import { resolveLineage } from '../strategy/resolve-lineage.js';
import type { StrategyIndex } from '../strategy/strategy-index.js';
import { normaliseName } from '../strategy/strategy-index.js';
import type { TicketSnapshot } from '../strategy/types.js';
import type { Tracker } from './tracker.js';
import { TRACKERS } from './registry.js';

export type LinkDecision =
  /** `already`: the ticket is there now; moving it writes nothing. */
  | { target: LinkTarget; already: boolean }
  | { refused: string; closest: string[] };

/**
 * `offered`: the numbered targets Cascade's comment showed (kept with what it
 * wrote), so `link 2` means what the person read, not what Cascade would say now.
 */
export async function resolveLink(tracker: Tracker, ticket: TicketSnapshot, choice: number | string | LinkWanted, offered: NumberedLink[], index: StrategyIndex, now: Date): Promise<LinkDecision> {
  const what = ticket.tracker === 'jira' ? 'epic' : 'project';
  let wanted: LinkWanted;
  if (typeof choice === 'object') {
    wanted = choice;
  } else if (typeof choice === 'number') {
    const link = offered.find((l) => l.n === choice);
    if (!link) {
      const reason = offered.length === 0
        ? `Cascade's comment on ${ticket.key} offers no suggestion to take; name a ${what} instead: /cascade link <${what}>.`
        : `Cascade's comment on ${ticket.key} offers ${offered.length === 1 ? 'suggestion 1 only' : `suggestions 1 to ${offered.length}`}; there is no suggestion ${choice}.`;
      return { refused: reason, closest: [] };
    }
    const target = link.target;
    wanted = target.kind === 'label' ? { kind: 'label', name: target.name } : target.kind === 'project' ? { kind: 'project', name: target.id } : { kind: 'issue', name: target.key };
  } else {
    wanted = { kind: 'name', name: choice };
  }
  const lookup = await tracker.findLinkTarget(ticket, wanted);
  if (!lookup.found) {
    const shown = typeof choice === 'number' ? `suggestion ${choice}` : `"${wanted.name}"`;
    const reason = lookup.reason ?? (lookup.ambiguous ? `${shown} names more than one ${what}; nothing moved. Write the one you mean.` : `no ${what} ${ticket.tracker === 'jira' ? 'has the key or summary' : 'is named'} ${shown}; nothing moved.`);
    return { refused: lookup.reason ? `${lookup.reason} Nothing moved.` : reason, closest: lookup.closest };
  }
  const moved: TicketSnapshot = { ...ticket, ...lookup.lineage };
  const reaches = resolveLineage(index, moved, now).paths.some((p) => p.state.state === 'active');
  if (!reaches) return { refused: `${describeTarget(TRACKERS[ticket.tracker].words, lookup.found)} is not under an active objective, so linking there would not fix ${ticket.key}; nothing moved.`, closest: [] };
  return { target: lookup.found, already: isThere(ticket, lookup.found) };
}

function isThere(ticket: TicketSnapshot, target: LinkTarget): boolean {
  switch (target.kind) {
    case 'project':
      return ticket.project?.id === target.id;
    case 'parent':
      return ticket.parents[0]?.id === target.id || ticket.parents[0]?.key === target.key;
    case 'label':
      return ticket.labels.some((l) => normaliseName(l) === normaliseName(target.name));
  }
}
