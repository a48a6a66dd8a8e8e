// A `/cascade` command in a person's comment. The handler records what was
// asked (an exemption, a proposal, the answer to give) and asks for the one
// de-duplicated check of the ticket; that check decides and writes. Nothing
// here writes to the tracker.
import { parseCommand, type Command } from '../src/commands/parse-command.js';
import type { CommandReply } from '../src/commands/command-reply.js';
import { inScope } from '../src/strategy/decide-verdict.js';
import { scheduleCheck } from '../src/queue/enqueue.js';
import { requestProposalGrouping } from '../src/queue/request-proposal-grouping.js';
import type { EventJob } from '../src/queue/job-types.js';
import type { Tracker } from '../src/trackers/tracker.js';
import type { CommentEvent } from '../src/webhooks/normalised-event.js';
import type { WorkerContext } from './worker-context.js';

export type CommandOutcome = 'own-comment' | 'commands-off' | 'gone' | 'exempted' | 'unexempted' | 'proposed' | 'help';

export async function handleCommand(ctx: WorkerContext, tracker: Tracker, job: EventJob, event: CommentEvent): Promise<CommandOutcome> {
  if (event.actorId !== undefined && event.actorId === (await tracker.identity()).id) return 'own-comment';
  const { index } = await ctx.config.current();
  if (!index.rules.commands) return 'commands-off';
  const ticket = await ticketOf(ctx, tracker, event);
  if (!ticket) return 'gone';
  const now = ctx.now();
  const at = now.toISOString();
  const person = event.actorName ?? 'Someone';
  const { tracker: id, ticketId } = event;

  let command: Command = parseCommand(event.command, now) ?? { kind: 'help' };
  if (!inScope(index, id, ticket.team)) {
    const what = id === 'linear' ? 'team' : 'project';
    command = { kind: 'help', error: `${ticket.key} is in the ${what} ${ticket.team || '(unknown)'}, outside the teams Cascade checks (rules.scope), so Cascade takes no commands here.` };
  }
  let reply: CommandReply | null = null;
  switch (command.kind) {
    case 'exempt':
      await ctx.exemptions.put(id, ticketId, { reason: command.reason, person, until: command.until, at });
      break;
    case 'unexempt':
      reply = { kind: 'unexempted', ended: await ctx.exemptions.remove(id, ticketId), person, at };
      break;
    case 'propose':
      await ctx.proposals.add({ title: command.title, tracker: id, ticketId, ticketKey: ticket.key, ticketUrl: ticket.url, team: ticket.team || undefined, person, personId: event.actorId, at });
      await requestProposalGrouping(ctx.queues.digest);
      reply = { kind: 'proposed', title: command.title, person, at };
      break;
    case 'help':
      reply = { kind: 'help', ...(command.error ? { error: command.error } : {}), person, at };
      break;
  }
  // The exemption's confirmation is the exemption itself; any other command replaces the last answer.
  if (reply) await ctx.commandReplies.put(id, ticketId, reply);
  else await ctx.commandReplies.remove(id, ticketId);
  ctx.logger.info({ tracker: id, ticket: ticket.key, command: command.kind, person, delivery: job.deliveryId }, `${person} asked Cascade on ${ticket.key}: ${command.kind}`);
  await scheduleCheck(ctx.queues.checks[id], { tracker: id, ticketId, reason: 'command', deliveryId: job.deliveryId }, ctx.quietMs);
  return command.kind === 'exempt' ? 'exempted' : command.kind === 'unexempt' ? 'unexempted' : command.kind === 'propose' ? 'proposed' : 'help';
}

/** Key, team and link of the ticket: from the payload (the key's prefix is the team or project), else one read. */
async function ticketOf(ctx: WorkerContext, tracker: Tracker, event: CommentEvent): Promise<{ key: string; team: string; url?: string } | null> {
  if (event.ticketKey) return { key: event.ticketKey, team: event.ticketKey.replace(/-\d+$/, ''), url: event.ticketUrl };
  const state = await tracker.fetchTicket(event.ticketId);
  ctx.metrics.trackerReads.inc({ tracker: event.tracker });
  if (!state) return null;
  return { key: state.ticket.key, team: state.ticket.team ?? '', url: state.ticket.url };
}
