// The one check every write goes through, whatever asked for it (webhook,
// fan-out, sweep, config change, re-check, a timer): one job per ticket at a
// time (BullMQ deduplication by ticket, see src/queue/enqueue.ts), a fresh
// read of that one ticket, the one decision (ticket-decision.ts), then only
// the writes it calls for, and a record of what Cascade wrote.
import { UnrecoverableError } from 'bullmq';
import type { CheckJob } from '../src/queue/job-types.js';
import { scheduleCheck, scheduleTimer } from '../src/queue/enqueue.js';
import { composeNudge, composeResolved } from '../src/reconcile/compose-comment.js';
import type { ReconcilePlan } from '../src/reconcile/plan-reconcile.js';
import type { Tracker, TicketState } from '../src/trackers/tracker.js';
import type { CurrentConfig } from '../src/store/config-store.js';
import type { WrittenRecord } from '../src/records/written-record.js';
import type { VerdictRecord } from '../src/records/verdict-record.js';
import { normaliseName } from '../src/strategy/strategy-index.js';
import type { Verdict } from '../src/strategy/types.js';
import type { WorkerContext } from './worker-context.js';
import { decideTicket, describePlan, type TicketDecision, type TicketInputs } from '../src/reconcile/ticket-decision.js';
import { recordVerdict } from './record-verdict.js';
import { learnedModel } from './suggest-for-ticket.js';
import { withReply } from '../src/reconcile/compose-reply.js';
import { loadCommandState, scheduleExemptionEnd } from './command-state.js';
import { askHistory, logAcknowledgement } from './mark-evidence.js';
import { configAtLeast } from './config-at-least.js';
import { numberSuggestions, performLink } from './perform-link.js';
import type { NumberedLink } from '../src/commands/link-target.js';
import { completionOf } from './record-completion.js';
import { TRACKERS } from '../src/trackers/registry.js';
import { InstallationEndedError, installationOf, isDefaultInstallation, teamInReach, trackerFor, type InstallationRef } from '../src/trackers/installations.js';

export interface CheckOutcome {
  key: string;
  verdict: Verdict | 'gone' | 'timer' | 'out-of-reach';
  writes: string[];
  dryRun: boolean;
}

export async function checkTicket(ctx: WorkerContext, job: CheckJob): Promise<CheckOutcome> {
  if (job.timer) {
    // A timer (grace period over, budget free) only asks for the ticket's one de-duplicated check.
    await scheduleCheck(ctx.queues.checksFor(job), { tracker: job.tracker, ...installationOf(job), ticketId: job.ticketId, reason: job.reason }, 0);
    return { key: job.ticketId, verdict: 'timer', writes: [], dryRun: false };
  }
  const tracker = await trackerOf(ctx, job);
  // A team the installation may no longer reach (known from the webhook, or from the last check) is not read.
  if (!isDefaultInstallation(job.installation) && (await outOfReach(ctx, job, job.teamId ?? (await ctx.verdicts.get(job.tracker, job.ticketId))?.teamId))) return outOfReachOutcome(ctx, job);
  const state = await tracker.fetchTicket(job.ticketId);
  ctx.metrics.trackerReads.inc({ tracker: job.tracker });
  if (!state) {
    await Promise.all([ctx.verdicts.remove(job.tracker, job.ticketId), ctx.budget.release(job.tracker, job.ticketId, ctx.now()), ctx.suggestions?.recordGone(job.tracker, job.ticketId)]);
    return { key: job.ticketId, verdict: 'gone', writes: [], dryRun: false };
  }
  const config = await configAtLeast(ctx.config, job.configVersion);
  // A person's `/cascade link` (or an admin's) is carried out here, first: the decision below sees the ticket where it now is.
  if (await outOfReach(ctx, job, state.ticket.teamId)) return outOfReachOutcome(ctx, job);
  const linked = await performLink(ctx, tracker, state, await gatherInputs(ctx, state), config, ctx.dryRun ?? config.index.rules.dryRun, job.installation);
  const outcome = await actOnTicket(ctx, tracker, linked.state, linked.inputs, job, config);
  return linked.wrote ? { ...outcome, writes: [linked.wrote, ...outcome.writes] } : outcome;
}

/** The per-ticket inputs besides the read itself: what Cascade last wrote, who removed a mark (asked only when a mark is known), and what people asked with commands. */
export async function gatherInputs(ctx: WorkerContext, state: TicketState): Promise<TicketInputs> {
  const { tracker, id } = state.ticket;
  const written = await ctx.written.get(tracker, id);
  const removal = written && (written.label !== null || written.commentId !== null) ? await ctx.written.removal(tracker, id, ctx.now()) : null;
  return { written, removal, commands: await loadCommandState(ctx, tracker, id, ctx.now()) };
}

async function actOnTicket(ctx: WorkerContext, tracker: Tracker, state: TicketState, gathered: TicketInputs, job: CheckJob, config: CurrentConfig): Promise<CheckOutcome> {
  const { reason } = job;
  const ref = { tracker: job.tracker, ...installationOf(job) };
  const started = performance.now();
  const { ticket } = state;
  const now = ctx.now();
  const { index } = config;
  const model = await learnedModel(ctx, config);
  const decide = (inputs: TicketInputs): TicketDecision => decideTicket(state, inputs, config, now, model);
  // A mark about to go back is first checked against the ticket's history (only then: no read otherwise).
  const { decision, inputs } = await askHistory(ctx, tracker, state, { decision: decide(gathered), inputs: gathered }, decide);
  logAcknowledgement(ctx, state, decision, inputs);
  const { resolution } = decision;
  const dryRun = ctx.dryRun ?? index.rules.dryRun;
  let plan = decision.plan;
  let held: VerdictRecord['held'] = decision.heldBy === 'before-enforce-from' ? 'before-enforce-from' : undefined;
  const hadComment = state.botComment !== null;
  let wouldWrite = dryRun ? describePlan(plan, hadComment) : [];
  let reserved = false;
  if (!dryRun) {
    if (decision.spendsBudget) {
      const answer = await ctx.budget.take(ticket.tracker, ticket.id, index.rules.writesPerHour, now);
      reserved = answer.granted;
      if (!answer.granted) {
        wouldWrite = describePlan(plan, hadComment);
        plan = withoutFirstMarks(plan);
        held = 'budget';
        await scheduleTimer(ctx.queues.checksFor(ref), { ...ref, ticketId: ticket.id, reason: 'budget' }, 'held', answer.retryAt, now);
      }
    } else {
      // No first mark to make: out of the line. A unit this ticket reserved on an earlier try
      // stays spent if its mark shows (that try wrote it), else it is free again.
      await ctx.budget.settle(ticket.tracker, ticket.id, showsMark(state, index.rules) ? 'spent' : 'none', now);
    }
  }
  // The comment numbers the suggestions a person can take with `/cascade link N`; those numbers are kept with what Cascade wrote.
  const links = !dryRun && plan.comment.action === 'nudge' && index.rules.commands ? await numberSuggestions(tracker, state, decision.suggestions) : null;
  const writes: string[] = [];
  if (!dryRun) {
    try {
      await apply(ctx, tracker, state, plan, decision, config, links ?? [], writes);
    } catch (err) {
      // A unit is spent only by a write that happened: a failed or rate-limited one gives it
      // back, and the ticket waits in its place for the retry. Should that fail too, the
      // retry finds its reservation and reuses it; the tracker's error is the one to report.
      if (reserved) {
        await ctx.budget.settle(ticket.tracker, ticket.id, wroteFirstMark(writes) ? 'spent' : 'back', now).catch((settleErr: unknown) => {
          ctx.logger.warn({ ticket: ticket.key, err: (settleErr as Error).message }, `${ticket.key}: could not give back its write budget unit; its retry reuses it`);
        });
      }
      throw err;
    }
    if (reserved) await ctx.budget.settle(ticket.tracker, ticket.id, wroteFirstMark(writes) ? 'spent' : 'none', now);
    // An unchanged fingerprint left the comment as it was (suggestions are not in it): so are its numbers.
    const commentWritten = writes.includes('create comment') || writes.includes('update comment');
    await remember(ctx, state, plan, decision, inputs, config, now, commentWritten ? links : null);
  } else {
    writes.push(...wouldWrite);
  }

  const { previous, record } = await recordVerdict(ctx, state, decision, config, now, { held, wouldWrite, ...ref });
  await keepCompletion(ctx, state, config, inputs, previous, record);
  if (resolution.exemptBy?.kind === 'command' && resolution.exemptBy.until) {
    // Look again on the day a person's exemption ends.
    await scheduleExemptionEnd(ctx, ref, ticket.id, resolution.exemptBy.until, now);
  }
  ctx.metrics.checks.inc({ tracker: ticket.tracker, verdict: resolution.verdict });
  ctx.metrics.checkSeconds.observe({ tracker: ticket.tracker }, (performance.now() - started) / 1000);
  const changed = previous?.verdict !== resolution.verdict;
  const log = { ticket: ticket.key, tracker: ticket.tracker, verdict: resolution.verdict, reason, writes, dryRun, held, configVersion: config.version };
  // Quiet by default: a line at info only when something changed or was written.
  if (changed || (writes.length > 0 && !dryRun)) {
    ctx.logger.info(log, `${ticket.key} is ${resolution.verdict}${dryRun && writes.length ? ' (dry run: would ' + writes.join(', ') + ')' : writes.length ? `: ${writes.join(', ')}` : ''}${held ? ` (held: ${held})` : ''}`);
  } else {
    ctx.logger.debug(log, `${ticket.key} unchanged (${resolution.verdict})`);
  }
  return { key: ticket.key, verdict: resolution.verdict, writes: dryRun ? [] : writes, dryRun };
}

/** A closed ticket's completion record (with the lineage it had when it closed); a reopened one loses it. */
async function keepCompletion(ctx: WorkerContext, state: TicketState, config: CurrentConfig, inputs: TicketInputs, previous: VerdictRecord | null, record: VerdictRecord): Promise<void> {
  const { ticket } = state;
  if (ticket.state === 'closed') {
    const seenClosedAt = record.closedAt ?? ctx.now().toISOString();
    await ctx.completions.put(completionOf(ticket, config, inputs.commands?.exemption ?? null, seenClosedAt, 'check'), ctx.now());
  } else if (previous?.state === 'closed') {
    await ctx.completions.remove(ticket.tracker, ticket.id);
  }
}

/** Held for budget: the first marks wait; nothing else in the plan needs them. */
function withoutFirstMarks(plan: ReconcilePlan): ReconcilePlan {
  return { labels: plan.labels.filter((l) => !l.present), comment: plan.comment.action === 'nudge' ? { action: 'none' } : plan.comment };
}

/** Cascade's label or comment shows on the ticket as read. */
function showsMark(state: TicketState, rules: CurrentConfig['index']['rules']): boolean {
  const shown = new Set(state.ticket.labels.map(normaliseName));
  return state.botComment !== null || shown.has(normaliseName(rules.labels.orphan)) || shown.has(normaliseName(rules.labels.stale));
}

/** One of the writes made Cascade's first mark (what a budget unit pays for). */
function wroteFirstMark(writes: string[]): boolean {
  return writes.some((w) => w.startsWith('add label ') || w === COMMENT_WRITES.created);
}

/** Makes the ticket show the plan, adding each write to `writes` as it is made (so a failure part-way still says what was written). */
async function apply(ctx: WorkerContext, tracker: Tracker, state: TicketState, plan: ReconcilePlan, decision: TicketDecision, config: CurrentConfig, links: NumberedLink[], writes: string[]): Promise<void> {
  const { ticket } = state;
  for (const label of plan.labels) {
    if (await tracker.ensureLabel(ticket, label.name, label.present)) {
      writes.push(`${label.present ? 'add' : 'remove'} label ${label.name}`);
      ctx.metrics.writes.inc({ tracker: ticket.tracker, kind: label.present ? 'label_add' : 'label_remove' });
    }
  }
  const intent = plan.comment;
  if (intent.action === 'none') return;
  // Linked at a person's request: the aligned edit names them, and is the whole answer.
  const reply = decision.reply;
  const linked = reply?.kind === 'linked' && intent.action === 'resolve' && intent.kind === 'aligned' ? { person: reply.person, target: reply.target } : undefined;
  const base = { ticket, words: TRACKERS[ticket.tracker].words, resolution: decision.resolution, index: config.index, publicUrl: ctx.publicUrl, suggestions: decision.suggestions, links, ...(linked ? { linked } : {}) };
  const main = intent.action === 'nudge' ? composeNudge(intent.kind, base) : intent.action === 'resolve' ? composeResolved(intent.kind, base) : null;
  // The answer to a person's last command goes with whatever the comment says (or stands alone).
  const doc = intent.action === 'delete' ? null : withReply(main, linked ? null : reply, base.words);
  const outcome = await tracker.ensureComment(state, doc);
  if (outcome !== 'unchanged') {
    writes.push(COMMENT_WRITES[outcome]);
    ctx.metrics.writes.inc({ tracker: ticket.tracker, kind: `comment_${outcome}` });
  }
}

/**
 * Records what Cascade's marks on the ticket are now, after its writes (never
 * before: a crash in between must not pass for a person's removal).
 */
async function remember(ctx: WorkerContext, state: TicketState, plan: ReconcilePlan, decision: TicketDecision, inputs: TicketInputs, config: CurrentConfig, now: Date, links: NumberedLink[] | null): Promise<void> {
  const { ticket } = state;
  const shown = new Set(ticket.labels.map(normaliseName));
  for (const l of plan.labels) {
    if (l.present) shown.add(normaliseName(l.name));
    else shown.delete(normaliseName(l.name));
  }
  const previous = inputs.written;
  const { orphan, stale } = config.index.rules.labels;
  const ourLabels = [orphan, stale].filter((name) => shown.has(normaliseName(name)));
  const commentId = state.botComment?.id ?? null;
  const commentTouched = plan.comment.action === 'nudge' || plan.comment.action === 'resolve' || plan.comment.action === 'reply';
  const substance = commentId === null ? null : commentTouched ? decision.substance : previous?.commentId === commentId ? previous.substance : null;
  // The numbers as the comment shows them: new with a nudge written now, else those it still carries.
  const shownLinks = commentId === null ? [] : links ?? (previous?.commentId === commentId ? (previous.links ?? []) : []);
  const next: WrittenRecord = {
    verdict: decision.resolution.verdict,
    label: ourLabels[0] ?? null,
    commentId,
    substance,
    at: now.toISOString(),
    ...(decision.acknowledged ? { acknowledged: decision.acknowledged } : {}),
    ...(decision.restored ? { restored: decision.restored } : {}),
    ...(shownLinks.length > 0 ? { links: shownLinks } : {}),
  };
  const same = previous && JSON.stringify({ ...previous, at: '' }) === JSON.stringify({ ...next, at: '' });
  if (same) return;
  if (previous && sameMarks(previous, next)) next.at = previous.at;
  await ctx.written.put(ticket.tracker, ticket.id, next);
  if (decision.acknowledged && !previous?.acknowledged) await ctx.written.dropRemoval(ticket.tracker, ticket.id);
}

function sameMarks(a: WrittenRecord, b: WrittenRecord): boolean {
  return a.label === b.label && a.commentId === b.commentId && a.substance === b.substance;
}

const COMMENT_WRITES = { created: 'create comment', updated: 'update comment', deleted: 'delete comment' } as const;

/** Whether a ticket's team (by id) is out of the installation's reach (Linear's PermissionChange took it away). */
export async function outOfReach(ctx: WorkerContext, ref: InstallationRef, teamId: string | undefined): Promise<boolean> {
  if (isDefaultInstallation(ref.installation) || teamId === undefined || !ctx.installations) return false;
  const record = await ctx.installations.get(ref.installation as string);
  return !teamInReach(record?.teams, teamId);
}

function outOfReachOutcome(ctx: WorkerContext, job: CheckJob): CheckOutcome {
  ctx.logger.info({ tracker: job.tracker, installation: job.installation, ticket: job.ticketId }, `${job.tracker} ticket ${job.ticketId} is in a team the installation may no longer reach: not checked`);
  return { key: job.ticketId, verdict: 'out-of-reach', writes: [], dryRun: false };
}

/**
 * The adapter of the job's installation (src/trackers/installations.ts). A job of the default
 * installation without credentials fails for good; one of an installation no longer active
 * ends quietly (InstallationEndedError, see cli/start-workers.ts).
 */
export async function trackerOf(ctx: WorkerContext, job: InstallationRef): Promise<Tracker> {
  const tracker = await trackerFor(ctx, job);
  if (tracker) return tracker;
  if (!isDefaultInstallation(job.installation)) throw new InstallationEndedError(job);
  throw new UnrecoverableError(`no ${job.tracker} credentials are configured: set ${TRACKERS[job.tracker].credentialVariables}`);
}
