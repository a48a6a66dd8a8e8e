// A finished ticket's completion record, from the ticket as read (a check, a
// backfill page) or, for a close that needed no read, from what Cascade knew
// of it. The verdict and lineage it "had when it closed" are its lineage
// resolved as if it were still open, on the day it was done: a closed ticket's
// own verdict is only `closed`, which says nothing about what it served.
import { decideVerdict, type PersonExemption } from '../src/strategy/decide-verdict.js';
import type { TicketSnapshot } from '../src/strategy/types.js';
import type { CurrentConfig } from '../src/store/config-store.js';
import type { CompletionRecord } from '../src/records/completion-record.js';
import type { VerdictRecord } from '../src/records/verdict-record.js';
import type { PayloadFields } from '../src/records/normalised-event.js';

/**
 * The record of a closed ticket. `seenClosedAt` stands in for the done date
 * when the tracker gives none (a Jira workflow that sets no resolution).
 */
export function completionOf(
  ticket: TicketSnapshot,
  config: CurrentConfig,
  exemption: PersonExemption | null,
  seenClosedAt: string,
  source: CompletionRecord['source'],
): CompletionRecord {
  const doneAt = ticket.doneAt ?? seenClosedAt;
  const asOpen = decideVerdict(config.index, { ...ticket, state: 'open' }, new Date(doneAt), exemption);
  return {
    tracker: ticket.tracker,
    id: ticket.id,
    key: ticket.key,
    ...(ticket.team === undefined ? {} : { team: ticket.team }),
    estimate: ticket.estimate ?? null,
    createdAt: ticket.createdAt,
    doneAt,
    doneKind: ticket.doneKind ?? 'completed',
    doneFrom: ticket.doneAt ? 'tracker' : 'seen',
    // Inside its grace period with no lineage: the grace is time to link it, and it was done unlinked.
    verdict: asOpen.verdict === 'closed' || asOpen.verdict === 'pending' ? 'orphan' : asOpen.verdict,
    objectiveIds: asOpen.objectiveIds,
    source,
    configVersion: config.version,
  };
}

/**
 * A webhook said an open ticket Cascade knows is now closed, and nothing else
 * that could change its lineage moved: the verdict it had is the one on record.
 */
export function completionFromKnown(known: VerdictRecord, fields: PayloadFields, now: Date): CompletionRecord | null {
  if (known.verdict === 'closed' || !known.createdAt) return null;
  const verdict = known.verdict === 'pending' ? 'orphan' : known.verdict;
  return {
    tracker: known.tracker,
    id: known.id,
    key: fields.key ?? known.key,
    ...(known.team === undefined ? {} : { team: known.team }),
    estimate: fields.estimate === undefined ? (known.estimate ?? null) : fields.estimate,
    createdAt: known.createdAt,
    doneAt: now.toISOString(),
    doneKind: 'completed',
    doneFrom: 'seen',
    verdict,
    objectiveIds: known.objectiveIds,
    source: 'event',
    configVersion: known.configVersion,
  };
}
