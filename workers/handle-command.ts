// A `/cascade` command in a person's comment. The handler records what was
// asked (an exemption, a proposal, the answer to give) and asks for the one
// de-duplicated check of the ticket; that check decides and writes. Nothing
// here writes to the tracker.
//
// Two rules bound what a command can do (PRODUCT.md "Governance"): only the
// people `rules.exemptions.who` allows may exempt or unexempt (a refusal is
// answered and changes nothing), and commands take effect in the order they
// were written: the exemption store compares the comment's time with the
// newest command's in the same Redis step that applies it.
import { parseCommand, type Command } from '../src/commands/parse-command.js';
import type { CommandReply } from '../src/commands/command-reply.js';
import { exemptionRight, needsEditCheck, type ExemptionRight } from '../src/commands/who-may-exempt.js';
import type { ResolvedRules } from '../src/strategy/tree-schema.js';
import { inScope } from '../src/strategy/decide-verdict.js';
import { scheduleCheck } from '../src/queue/enqueue.js';
import { requestProposalGrouping } from '../src/queue/request-proposal-grouping.js';
import type { EventJob } from '../src/queue/job-types.js';
import { commandStamp, type OrderedCommand } from '../src/store/exemption-store.js';
import { PermanentTrackerError, type Tracker } from '../src/trackers/tracker.js';
import type { CommentEvent } from '../src/records/normalised-event.js';
import type { WorkerContext } from './worker-context.js';
import { installationOf } from '../src/trackers/installations.js';
import { TRACKERS } from '../src/trackers/registry.js';

export type CommandOutcome = 'own-comment' | 'commands-off' | 'gone' | 'exempted' | 'unexempted' | 'proposed' | 'link-requested' | 'help' | 'refused' | 'superseded';

interface CommandTicket {
  key: string;
  team: string;
  url?: string;
}

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
    // Out of scope: its tracker's rules.scope exists, and says what it lists.
    const what = index.ruleSets.scope[id]?.unit ?? 'team';
    command = { kind: 'help', error: `${ticket.key} is in the ${what} ${ticket.team || '(unknown)'}, outside the teams Cascade checks (rules.scope), so Cascade takes no commands here.` };
  }
  // A command in a restricted Jira comment is answered in public without quoting it.
  const restricted = event.restricted ? { restricted: true } : {};
  // Moving a ticket is editing it: only people who may edit it may ask, whatever rules.exemptions.who says.
  const right =
    command.kind === 'exempt' || command.kind === 'unexempt'
      ? await rightToExempt(ctx, tracker, index.rules, event, ticket, person)
      : command.kind === 'link'
        ? await rightToExempt(ctx, tracker, { ...index.rules, exemptions: { ...index.rules.exemptions, who: 'editors' } }, event, ticket, person, 'move or link')
        : null;
  let outcome: CommandOutcome;
  let order: Omit<OrderedCommand, 'stamp'>;
  if (right && !right.allowed) {
    outcome = 'refused';
    order = { exemption: { op: 'keep' }, reply: { op: 'put', value: { kind: 'refused', reason: right.reason, person, at } } };
  } else {
    switch (command.kind) {
      case 'exempt':
        outcome = 'exempted';
        // The exemption's confirmation is the exemption itself: the last answer goes.
        order = {
          exemption: { op: 'put', value: { reason: command.reason, person, ...(event.actorId ? { personId: event.actorId } : {}), until: command.until, at, key: ticket.key, ...(ticket.team ? { team: ticket.team } : {}), ...restricted } },
          reply: { op: 'remove' },
        };
        break;
      case 'unexempt':
        outcome = 'unexempted';
        order = { exemption: { op: 'remove' }, reply: { op: 'put', value: unexempted(true, person, at), ifNone: unexempted(false, person, at) } };
        break;
      case 'propose':
        outcome = 'proposed';
        await ctx.proposals.add({ title: command.title, tracker: id, ticketId, ticketKey: ticket.key, ticketUrl: ticket.url, team: ticket.team || undefined, person, personId: event.actorId, at });
        await requestProposalGrouping(ctx.queues.digest);
        order = { exemption: { op: 'keep' }, reply: { op: 'put', value: { kind: 'proposed', title: command.title, person, at, ...restricted } } };
        break;
      case 'link':
        // Recorded only: the ticket's one check moves it, after a fresh read (workers/perform-link.ts).
        outcome = 'link-requested';
        order = { exemption: { op: 'keep' }, reply: { op: 'put', value: { kind: 'link-requested', choice: command.choice, person, ...(event.actorId ? { personId: event.actorId } : {}), at, source: 'comment', ...restricted } } };
        break;
      case 'help':
        outcome = 'help';
        order = { exemption: { op: 'keep' }, reply: { op: 'put', value: { kind: 'help', ...(command.error ? { error: command.error } : {}), person, at, ...restricted } } };
        break;
    }
  }
  // The comment's own time orders commands; an event without one (queued before it was kept) counts as written now.
  const written = event.writtenAt ? Date.parse(event.writtenAt) : now.getTime();
  const applied = await ctx.exemptions.applyInOrder(id, ticketId, { ...order, stamp: commandStamp(written, event.commentId) });
  const log = { tracker: id, ticket: ticket.key, command: command.kind, outcome, person, personId: event.actorId, writtenAt: event.writtenAt, delivery: job.deliveryId };
  if (!applied.applied) {
    ctx.logger.info(log, `${person}'s ${command.kind} on ${ticket.key} was written before a command already applied there: it changes nothing`);
    return 'superseded';
  }
  ctx.logger.info(log, `${person} asked Cascade on ${ticket.key}: ${command.kind}${outcome === 'refused' ? ' (refused: rules.exemptions.who)' : ''}`);
  const ref = { tracker: id, ...installationOf(job) };
  await scheduleCheck(ctx.queues.checksFor(ref), { ...ref, ticketId, reason: 'command', deliveryId: job.deliveryId }, ctx.quietMs);
  return outcome;
}

const unexempted = (ended: boolean, person: string, at: string): CommandReply => ({ kind: 'unexempted', ended, person, at });

/** Whether this person may exempt or unexempt the ticket; only `editors` asks the tracker. */
async function rightToExempt(ctx: WorkerContext, tracker: Tracker, rules: ResolvedRules, event: CommentEvent, ticket: CommandTicket, person: string, action?: string): Promise<ExemptionRight> {
  let editor = false;
  if (needsEditCheck(rules) && event.actorId !== undefined) {
    try {
      editor = await tracker.mayEdit({ id: event.ticketId, key: ticket.key }, event.actorId);
      ctx.metrics.trackerReads.inc({ tracker: event.tracker });
    } catch (err) {
      if (!(err instanceof PermanentTrackerError)) throw err;
      // The bot's account cannot tell (a missing permission): say so once to the person, and to the operator what to fix.
      ctx.logger.error({ tracker: event.tracker, ticket: ticket.key, err: err.message }, err.message);
      return { allowed: false, reason: `Cascade cannot check who may edit ${ticket.key} (its account lacks a permission; its admin is told in the log), so nothing changed.` };
    }
  }
  return exemptionRight(rules, TRACKERS[event.tracker].words, ticket.key, { ...(event.actorId ? { id: event.actorId } : {}), name: person }, editor, action);
}

/** Key, team and link of the ticket: from the payload (the key's prefix is the team or project), else one read. */
async function ticketOf(ctx: WorkerContext, tracker: Tracker, event: CommentEvent): Promise<CommandTicket | null> {
  if (event.ticketKey) return { key: event.ticketKey, team: event.ticketKey.replace(/-\d+$/, ''), url: event.ticketUrl };
  const state = await tracker.fetchTicket(event.ticketId);
  ctx.metrics.trackerReads.inc({ tracker: event.tracker });
  if (!state) return null;
  return { key: state.ticket.key, team: state.ticket.team ?? '', url: state.ticket.url };
}
