// `/cascade link` and POST /admin/link, carried out by the ticket's one check
// (the only place that writes to a tracker): the request waits as the
// ticket's last command answer; the check, after its fresh read, resolves it
// (the numbered suggestion as the comment showed it, or a name), moves the
// ticket, reads it again, and replaces the request with what happened, so the
// usual decision then removes the label and edits the comment. A request is
// carried out once: a person who moves the ticket back later is not undone.
import type { CommandReply } from '../src/commands/command-reply.js';
import { describeTarget, numberLinks, wantedFor, type NumberedLink } from '../src/commands/link-target.js';
import { scheduleTimer } from '../src/queue/enqueue.js';
import type { CurrentConfig } from '../src/store/config-store.js';
import type { Suggestion } from '../src/strategy/suggest-objectives.js';
import { resolveLink } from '../src/trackers/resolve-link.js';
import { TRACKERS } from '../src/trackers/registry.js';
import type { TicketState, Tracker } from '../src/trackers/tracker.js';
import type { TicketInputs } from '../src/reconcile/ticket-decision.js';
import type { WorkerContext } from './worker-context.js';
import { installationOf } from '../src/trackers/installations.js';

export interface LinkStep {
  state: TicketState;
  inputs: TicketInputs;
  /** What was written ("move to the project …"), when something was. */
  wrote: string | null;
}

type LinkRequest = Extract<CommandReply, { kind: 'link-requested' }>;

export async function performLink(ctx: WorkerContext, tracker: Tracker, state: TicketState, inputs: TicketInputs, config: CurrentConfig, dryRun: boolean, installation?: string): Promise<LinkStep> {
  const request = inputs.commands?.reply;
  if (!request || request.kind !== 'link-requested' || dryRun || state.ticket.state === 'closed') return { state, inputs, wrote: null };
  const { ticket } = state;
  const now = ctx.now();
  const decision = await resolveLink(tracker, ticket, request.wanted ?? request.choice, inputs.written?.links ?? [], config.index, now);
  const at = now.toISOString();
  let next: CommandReply;
  let fresh = state;
  let wrote: string | null = null;
  if ('refused' in decision) {
    // A name written in a restricted Jira comment is not repeated in public.
    const reason = request.restricted && typeof request.choice === 'string' ? 'the project or epic named in a restricted comment could not be linked; nothing moved.' : decision.refused;
    next = { kind: 'link-refused', reason, ...(decision.closest.length && !request.restricted ? { closest: decision.closest } : {}), person: request.person, at, ...(request.restricted ? { restricted: true } : {}) };
  } else {
    const reserved = !decision.already && request.source === 'admin';
    if (reserved && !(await budgetAllows(ctx, state, request, config, now, installation))) return { state, inputs, wrote: null };
    // The unit an admin's link reserved is spent only by a move that happened (as for a first mark).
    const moved = await tracker.moveTicket(ticket, decision.target).catch(async (err: unknown) => {
      if (reserved) await ctx.budget.settle(ticket.tracker, ticket.id, 'back', now).catch(() => undefined);
      throw err;
    });
    if (reserved) await ctx.budget.settle(ticket.tracker, ticket.id, moved ? 'spent' : 'none', now);
    if (moved) {
      wrote = `link to ${describeTarget(TRACKERS[ticket.tracker].words, decision.target)}`;
      ctx.metrics.writes.inc({ tracker: ticket.tracker, kind: 'link' });
      // Read again: the decision that follows sees the ticket where it now is.
      fresh = (await tracker.fetchTicket(ticket.id)) ?? state;
      ctx.metrics.trackerReads.inc({ tracker: ticket.tracker });
    }
    next = { kind: 'linked', target: decision.target, person: request.person, at };
  }
  const replaced = await ctx.commandReplies.replaceIf(ticket.tracker, ticket.id, request, next);
  const reply = replaced ? next : await ctx.commandReplies.get(ticket.tracker, ticket.id);
  ctx.logger.info(
    { tracker: ticket.tracker, ticket: ticket.key, person: request.person, choice: request.choice, outcome: next.kind, source: request.source ?? 'comment' },
    next.kind === 'linked' ? `${ticket.key}: ${wrote ?? 'already linked'} at ${request.person}'s request` : `${ticket.key}: ${request.person}'s link request refused: ${'reason' in next ? next.reason : ''}`,
  );
  return { state: fresh, inputs: { ...inputs, commands: { exemption: inputs.commands?.exemption ?? null, reply } }, wrote };
}

/** An admin's bulk link spends the write budget like a first mark; beyond it the request waits for its turn. */
async function budgetAllows(ctx: WorkerContext, state: TicketState, request: LinkRequest, config: CurrentConfig, now: Date, installation: string | undefined): Promise<boolean> {
  const { ticket } = state;
  const answer = await ctx.budget.take(ticket.tracker, ticket.id, config.index.rules.writesPerHour, now);
  if (answer.granted) return true;
  const ref = { tracker: ticket.tracker, ...installationOf({ installation }) };
  await scheduleTimer(ctx.queues.checksFor(ref), { ...ref, ticketId: ticket.id, reason: 'budget' }, 'held', answer.retryAt, now);
  ctx.logger.info({ tracker: ticket.tracker, ticket: ticket.key, person: request.person }, `${ticket.key}: link held for the write budget (rules.budget)`);
  return false;
}

/**
 * The numbers the comment gives its suggestions: each suggestion's one-step
 * target as the tracker knows it (an initiative becomes its first project or
 * epic; none: no number). Read only when the comment is about to be written.
 */
export async function numberSuggestions(tracker: Tracker, state: TicketState, suggestions: Suggestion[]): Promise<NumberedLink[]> {
  const found = await Promise.all(
    suggestions.map(async (s) => {
      const wanted = wantedFor(s);
      const lookup = wanted ? await tracker.findLinkTarget(state.ticket, wanted) : null;
      return { nodeId: s.nodeId, target: lookup?.found ?? null };
    }),
  );
  return numberLinks(found);
}
