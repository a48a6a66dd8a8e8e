// What people asked on a ticket with `/cascade` commands, as the check needs
// it: the exemption that still holds, and the answer to their last command.
// An exemption past its date is forgotten here; one with a date has a delayed
// check waiting for that day, so the ticket is looked at again when it lapses.
import type { Exemption } from '../src/store/exemption-store.js';
import type { CommandReply } from '../src/commands/command-reply.js';
import { exemptionHolds } from '../src/strategy/decide-verdict.js';
import { lapsesAt } from '../src/commands/parse-command.js';
import type { TrackerId } from '../src/strategy/types.js';
import type { WorkerContext } from './worker-context.js';

export interface CommandState {
  exemption: Exemption | null;
  reply: CommandReply | null;
}

export async function loadCommandState(ctx: WorkerContext, tracker: TrackerId, ticketId: string, now: Date): Promise<CommandState> {
  const [exemption, reply] = await Promise.all([ctx.exemptions.get(tracker, ticketId), ctx.commandReplies.get(tracker, ticketId)]);
  if (exemption && !exemptionHolds(exemption, now)) {
    await ctx.exemptions.remove(tracker, ticketId);
    return { exemption: null, reply };
  }
  return { exemption, reply };
}

/**
 * The check on the day an exemption ends. One job per ticket and end date
 * (re-adding it is a no-op), so every check that sees the exemption may ask.
 */
export async function scheduleExemptionEnd(ctx: WorkerContext, tracker: TrackerId, ticketId: string, until: string, now: Date): Promise<void> {
  const delay = Math.max(0, lapsesAt(until).getTime() - now.getTime());
  await ctx.queues.checks[tracker].add('check', { tracker, ticketId, reason: 'exemption-ends' }, { delay, jobId: `exemption-ends-${tracker}-${ticketId}-${until}` });
}
