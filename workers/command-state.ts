// What people asked on a ticket with `/cascade` commands, as the check needs
// it: the exemption that still holds, and the answer to their last command.
// An exemption past its day (the person's date, or rules.exemptions.max_days)
// is forgotten here; one in force has a delayed check waiting for that day, so
// the ticket is looked at again when it lapses. While rules.commands is false
// no exemption applies, but each is kept.
import type { Exemption } from '../src/store/exemption-store.js';
import type { CommandReply } from '../src/commands/command-reply.js';
import { exemptionEnded, exemptionInForce } from '../src/commands/exemption.js';
import type { ResolvedRules } from '../src/strategy/tree-schema.js';
import { lapsesAt } from '../src/commands/parse-command.js';
import type { TrackerId } from '../src/strategy/types.js';
import type { WorkerContext } from './worker-context.js';
import { scheduleTimer } from '../src/queue/enqueue.js';
import type { Resolution } from '../src/strategy/decide-verdict.js';
import type { WrittenRecord } from '../src/records/written-record.js';

export interface CommandState {
  exemption: Exemption | null;
  reply: CommandReply | null;
}

export async function loadCommandState(ctx: WorkerContext, tracker: TrackerId, ticketId: string, now: Date): Promise<CommandState> {
  const [exemption, reply, { index }] = await Promise.all([ctx.exemptions.get(tracker, ticketId), ctx.commandReplies.get(tracker, ticketId), ctx.config.current()]);
  if (exemption && exemptionEnded(exemption, index.rules.exemptions.maxDays, now)) {
    await ctx.exemptions.remove(tracker, ticketId);
    return { exemption: null, reply };
  }
  return { exemption: applied(exemption, index.rules, now), reply };
}

/**
 * The exemption as the verdict applies it: ending on its bounded day (the
 * person's date or `max_days`), and none while `rules.commands` is false (it
 * stays stored, so turning commands back on restores it).
 */
function applied(exemption: Exemption | null, rules: ResolvedRules, now: Date): Exemption | null {
  const inForce = exemptionInForce(exemption, rules, now);
  return exemption && inForce ? { ...exemption, until: inForce.until } : null;
}

/**
 * The check on the day an exemption ends. One job per ticket and end date
 * (re-adding it is a no-op), so every check that sees the exemption may ask.
 */
export async function scheduleExemptionEnd(ctx: WorkerContext, tracker: TrackerId, ticketId: string, until: string, now: Date): Promise<void> {
  await scheduleTimer(ctx.queues.checks[tracker], { tracker, ticketId, reason: 'exemption-ends' }, 'exemption-ends', lapsesAt(until).getTime(), now);
}

/**
 * Whether the comment must answer now. A new command (newer than Cascade's
 * last write on the ticket) is answered, posting the comment if need be; an
 * answer already given is kept in the comment but never re-posted, so a
 * person who deletes it is not answered twice.
 */
export function commandAnswer(commands: CommandState, resolution: Resolution, written: WrittenRecord | null, hasComment: boolean): { exemptedByPerson: boolean; hasReply: boolean } {
  const since = written?.at ?? '';
  return {
    exemptedByPerson: resolution.exemptBy?.kind === 'command' && commands.exemption !== null && (hasComment || commands.exemption.at > since),
    hasReply: commands.reply !== null && commands.reply.at > since,
  };
}

/** The command state of a page of tickets, for a sweep's triage: two reads for the page. */
export async function loadCommandStates(ctx: WorkerContext, tracker: TrackerId, ids: string[]): Promise<Map<string, CommandState>> {
  const [exemptions, replies, { index }] = await Promise.all([ctx.exemptions.getMany(tracker, ids), ctx.commandReplies.getMany(tracker, ids), ctx.config.current()]);
  const now = ctx.now();
  return new Map(ids.map((id) => [id, { exemption: applied(exemptions.get(id) ?? null, index.rules, now), reply: replies.get(id) ?? null }]));
}

export const NO_COMMANDS: CommandState = { exemption: null, reply: null };
