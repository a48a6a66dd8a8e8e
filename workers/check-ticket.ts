// On a check: fetch the ticket with its ancestry (one tracker read), decide
// its verdict, make the ticket show it (writing only what differs), record it.
import { UnrecoverableError } from 'bullmq';
import type { CheckJob, CheckReason } from '../src/queue/job-types.js';
import { decideVerdict } from '../src/strategy/decide-verdict.js';
import { suggestObjectives } from '../src/strategy/suggest-objectives.js';
import { planCommandAnswer, planReconcile, type ReconcilePlan } from '../src/reconcile/plan-reconcile.js';
import { withReply } from '../src/reconcile/compose-reply.js';
import { loadCommandState, scheduleExemptionEnd, type CommandState } from './command-state.js';
import { composeNudge, composeResolved } from '../src/reconcile/compose-comment.js';
import type { Tracker, TicketState } from '../src/trackers/tracker.js';
import { fingerprintIn } from '../src/reconcile/comment-doc.js';
import type { CurrentConfig } from '../src/store/config-store.js';
import type { VerdictRecord } from '../src/store/verdict-record.js';
import type { Verdict } from '../src/strategy/types.js';
import type { WorkerContext } from './worker-context.js';

export interface CheckOutcome {
  key: string;
  verdict: Verdict | 'gone';
  writes: string[];
  dryRun: boolean;
}

export async function checkTicket(ctx: WorkerContext, job: CheckJob): Promise<CheckOutcome> {
  const tracker = trackerFor(ctx, job.tracker);
  const state = await tracker.fetchTicket(job.ticketId);
  ctx.metrics.trackerReads.inc({ tracker: job.tracker });
  if (!state) {
    await ctx.verdicts.remove(job.tracker, job.ticketId);
    return { key: job.ticketId, verdict: 'gone', writes: [], dryRun: false };
  }
  return evaluateTicket(ctx, tracker, state, job.reason, await ctx.config.current());
}

/** The check after the read: also used by sweeps, whose pages already hold each ticket. */
export async function evaluateTicket(ctx: WorkerContext, tracker: Tracker, state: TicketState, reason: CheckReason, config: CurrentConfig): Promise<CheckOutcome> {
  const started = performance.now();
  const { ticket } = state;
  const now = ctx.now();
  const { index, version } = config;
  const commands = await loadCommandState(ctx, ticket.tracker, ticket.id, now);
  const resolution = decideVerdict(index, ticket, now, commands.exemption);
  const dryRun = ctx.dryRun ?? index.rules.dryRun;
  const exemptedByPerson = resolution.exemptBy?.kind === 'command';
  const plan = planCommandAnswer(planReconcile({ verdict: resolution.verdict, rules: index.rules, labels: ticket.labels, hasComment: state.botComment !== null }), { exemptedByPerson, hasReply: commands.reply !== null });
  const writes = await apply(ctx, tracker, state, plan, { resolution, index, now, dryRun, commands });
  if (exemptedByPerson && resolution.exemptBy?.until) await scheduleExemptionEnd(ctx, ticket.tracker, ticket.id, resolution.exemptBy.until, now);

  const previous = await ctx.verdicts.get(ticket.tracker, ticket.id);
  const record: VerdictRecord = {
    tracker: ticket.tracker,
    id: ticket.id,
    key: ticket.key,
    title: ticket.title,
    url: ticket.url,
    team: ticket.team,
    state: ticket.state,
    estimate: ticket.estimate ?? null,
    verdict: resolution.verdict,
    objectiveIds: resolution.objectiveIds,
    checkedAt: now.toISOString(),
    closedAt: ticket.state === 'closed' ? (previous?.closedAt ?? now.toISOString()) : undefined,
    description: ticket.description?.slice(0, 500),
    configVersion: version,
  };
  await ctx.verdicts.put(record);
  if (resolution.verdict === 'pending' && resolution.recheckAt) {
    // Look again when the grace period ends.
    const delay = Math.max(0, Date.parse(resolution.recheckAt) - now.getTime()) + 1000;
    await ctx.queues.checks[ticket.tracker].add('check', { tracker: ticket.tracker, ticketId: ticket.id, reason: 'pending' }, { delay, jobId: `pending-${ticket.tracker}-${ticket.id}-${resolution.recheckAt.replace(/[^0-9]/g, '')}` });
  }
  ctx.metrics.checks.inc({ tracker: ticket.tracker, verdict: resolution.verdict });
  ctx.metrics.checkSeconds.observe({ tracker: ticket.tracker }, (performance.now() - started) / 1000);
  const changed = previous?.verdict !== resolution.verdict;
  const log = { ticket: ticket.key, tracker: ticket.tracker, verdict: resolution.verdict, reason, writes, dryRun, configVersion: version };
  // Quiet by default: a line at info only when something changed or was written.
  if (changed || (writes.length > 0 && !dryRun)) {
    ctx.logger.info(log, `${ticket.key} is ${resolution.verdict}${dryRun && writes.length ? ' (dry run: would ' + writes.join(', ') + ')' : writes.length ? `: ${writes.join(', ')}` : ''}`);
  } else {
    ctx.logger.debug(log, `${ticket.key} unchanged (${resolution.verdict})`);
  }
  return { key: ticket.key, verdict: resolution.verdict, writes: dryRun ? [] : writes, dryRun };
}

/**
 * Makes the ticket show the plan and returns what it wrote. In a dry run it
 * writes nothing and returns what it would have written.
 */
async function apply(
  ctx: WorkerContext,
  tracker: Tracker,
  state: TicketState,
  plan: ReconcilePlan,
  parts: { resolution: ReturnType<typeof decideVerdict>; index: CurrentConfig['index']; now: Date; dryRun: boolean; commands: CommandState },
): Promise<string[]> {
  const { ticket } = state;
  const writes: string[] = [];
  for (const label of plan.labels) {
    const what = `${label.present ? 'add' : 'remove'} label ${label.name}`;
    if (parts.dryRun || (await tracker.ensureLabel(ticket, label.name, label.present))) {
      writes.push(what);
      if (!parts.dryRun) ctx.metrics.writes.inc({ tracker: ticket.tracker, kind: label.present ? 'label_add' : 'label_remove' });
    }
  }
  const intent = plan.comment;
  if (intent.action === 'none') return writes;
  const base = { ticket, resolution: parts.resolution, index: parts.index, publicUrl: ctx.publicUrl, suggestions: [] as ReturnType<typeof suggestObjectives> };
  const main =
    intent.action === 'nudge'
      ? composeNudge(intent.kind, { ...base, suggestions: suggestObjectives(parts.index, ticket, parts.now) })
      : intent.action === 'resolve'
        ? composeResolved(intent.kind, base)
        : null;
  // The answer to a person's last command goes with whatever the comment says.
  const doc = intent.action === 'delete' ? null : withReply(main, parts.commands.reply);
  if (parts.dryRun) {
    const existing = state.botComment ? fingerprintIn(state.botComment.body) : null;
    if (doc === null && state.botComment) writes.push('delete comment');
    else if (doc && existing !== doc.fingerprint) writes.push(state.botComment ? 'update comment' : 'create comment');
    return writes;
  }
  const outcome = await tracker.ensureComment(state, doc);
  if (outcome !== 'unchanged') {
    writes.push(COMMENT_WRITES[outcome]);
    ctx.metrics.writes.inc({ tracker: ticket.tracker, kind: `comment_${outcome}` });
  }
  return writes;
}

const COMMENT_WRITES = { created: 'create comment', updated: 'update comment', deleted: 'delete comment' } as const;

export function trackerFor(ctx: WorkerContext, id: CheckJob['tracker']): Tracker {
  const tracker = ctx.trackers[id];
  if (!tracker) throw new UnrecoverableError(`no ${id} credentials are configured: set ${id === 'linear' ? 'LINEAR_API_KEY' : 'JIRA_BASE_URL, JIRA_EMAIL and JIRA_API_TOKEN'}`);
  return tracker;
}
