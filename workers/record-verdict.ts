// What a check and a sweep's page both do once a ticket is decided: store its
// verdict record, feed the learned suggestions, and ask for a look again when a
// pending ticket's grace period ends.
import type { TicketState } from '../src/strategy/types.js';
import type { VerdictRecord } from '../src/records/verdict-record.js';
import type { CurrentConfig } from '../src/store/config-store.js';
import { recordOf, type TicketDecision } from '../src/reconcile/ticket-decision.js';
import { scheduleTimer } from '../src/queue/enqueue.js';
import type { WorkerContext } from './worker-context.js';
import { installationOf } from '../src/trackers/installations.js';

export async function recordVerdict(
  ctx: WorkerContext,
  state: TicketState,
  decision: TicketDecision,
  config: CurrentConfig,
  now: Date,
  extra: Pick<VerdictRecord, 'held' | 'wouldWrite' | 'installation'>,
): Promise<{ previous: VerdictRecord | null; record: VerdictRecord }> {
  const { ticket } = state;
  const previous = await ctx.verdicts.get(ticket.tracker, ticket.id);
  // The installation it was read through: what later works on the ticket from this record (release-held) goes there.
  const record: VerdictRecord = { ...recordOf(state, decision, config, now, previous, extra), ...(ticket.teamId ? { teamId: ticket.teamId } : {}), ...installationOf(extra) };
  await ctx.verdicts.put(record);
  await ctx.suggestions?.recordVerdict(previous, record);
  const { resolution } = decision;
  if (resolution.verdict === 'pending' && resolution.recheckAt) {
    // Look again when the grace period ends.
    const ref = { tracker: ticket.tracker, ...installationOf(extra) };
    await scheduleTimer(ctx.queues.checksFor(ref), { ...ref, ticketId: ticket.id, reason: 'pending' }, 'pending', Date.parse(resolution.recheckAt) + 1000, now);
  }
  return { previous, record };
}
