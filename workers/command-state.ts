// What people asked on a ticket with `/cascade` commands, read from the stores
// for a check or a sweep's page (the pure part: src/reconcile/command-answer.ts).
// An exemption past its day (the person's date, or rules.exemptions.max_days)
// is forgotten here; one in force has a delayed check waiting for that day, so
// the ticket is looked at again when it lapses. While rules.commands is false
// no exemption applies, but each is kept.
import { exemptionEnded } from '../src/commands/exemption.js';
import { lapsesAt } from '../src/commands/parse-command.js';
import type { TrackerId } from '../src/strategy/types.js';
import type { WorkerContext } from './worker-context.js';
import { scheduleTimer } from '../src/queue/enqueue.js';
import { installationOf, type InstallationRef } from '../src/trackers/installations.js';
import { appliedExemption, type CommandState } from '../src/reconcile/command-answer.js';

export async function loadCommandState(ctx: WorkerContext, tracker: TrackerId, ticketId: string, now: Date): Promise<CommandState> {
  const [exemption, reply, { index }] = await Promise.all([ctx.exemptions.get(tracker, ticketId), ctx.commandReplies.get(tracker, ticketId), ctx.config.current()]);
  if (exemption && exemptionEnded(exemption, index.rules.exemptions.maxDays, now)) {
    await ctx.exemptions.remove(tracker, ticketId);
    return { exemption: null, reply };
  }
  return { exemption: appliedExemption(exemption, index.rules, now), reply };
}

/**
 * The check on the day an exemption ends. One job per ticket and end date
 * (re-adding it is a no-op), so every check that sees the exemption may ask.
 */
export async function scheduleExemptionEnd(ctx: WorkerContext, ref: InstallationRef, ticketId: string, until: string, now: Date): Promise<void> {
  const job = { tracker: ref.tracker, ...installationOf(ref) };
  await scheduleTimer(ctx.queues.checksFor(job), { ...job, ticketId, reason: 'exemption-ends' }, 'exemption-ends', lapsesAt(until).getTime(), now);
}

/** The command state of a page of tickets, for a sweep's triage: two reads for the page. */
export async function loadCommandStates(ctx: WorkerContext, tracker: TrackerId, ids: string[]): Promise<Map<string, CommandState>> {
  const [exemptions, replies, { index }] = await Promise.all([ctx.exemptions.getMany(tracker, ids), ctx.commandReplies.getMany(tracker, ids), ctx.config.current()]);
  const now = ctx.now();
  return new Map(ids.map((id) => [id, { exemption: appliedExemption(exemptions.get(id) ?? null, index.rules, now), reply: replies.get(id) ?? null }]));
}

