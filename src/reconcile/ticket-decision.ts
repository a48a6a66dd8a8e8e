// The one pure decision about one ticket: from the ticket as read, what Cascade
// last wrote, who removed a mark, what people asked with commands and the rules,
// its verdict, suggestions and the writes it calls for (src/reconcile/decide-writes.ts).
// The check gathers the inputs (workers/check-ticket.ts) and runs it on a fresh read,
// then writes; a sweep gathers them for a page (workers/sweep.ts) and runs it only to
// tell which tickets need a check.
import { decideVerdict, type Resolution } from '../strategy/decide-verdict.js';
import { coldModel, suggestWithModel, type Suggestion } from '../strategy/suggest-objectives.js';
import type { SuggestionModel } from '../strategy/suggestion-model.js';
import { planCommandAnswer, planReconcile } from './plan-reconcile.js';
import { withReplySubstance } from './compose-reply.js';
import type { CommandReply } from '../commands/command-reply.js';
import { commandAnswer, NO_COMMANDS, type CommandState } from './command-answer.js';
import { commentSubstance } from './comment-substance.js';
import { decideWrites, type WriteDecision } from './decide-writes.js';
import type { ReconcilePlan } from './plan-reconcile.js';
import type { StrategyIndex } from '../strategy/strategy-index.js';
import type { RemovalHint, WrittenRecord } from '../records/written-record.js';
import type { VerdictRecord } from '../records/verdict-record.js';
import type { TicketState } from '../strategy/types.js';

/** The config in force as the decision reads it: its version and the tree's index. */
export interface DecisionConfig {
  version: number;
  index: StrategyIndex;
}

export interface TicketInputs {
  written: WrittenRecord | null;
  removal: RemovalHint | null;
  /** What people asked with `/cascade` commands (absent: nothing). */
  commands?: CommandState;
}

export interface TicketDecision extends WriteDecision {
  resolution: Resolution;
  suggestions: Suggestion[];
  substance: string | null;
  /** The answer to a person's last command, which the comment carries. */
  reply: CommandReply | null;
}

/** `model`: what suggestions are scored with (learned from the workspace); default the tree's text alone. */
export function decideTicket(state: TicketState, inputs: TicketInputs, config: DecisionConfig, now: Date, model?: SuggestionModel): TicketDecision {
  const { ticket } = state;
  const { index } = config;
  const commands = inputs.commands ?? NO_COMMANDS;
  const resolution = decideVerdict(index, ticket, now, commands.exemption);
  const answer = commandAnswer(commands, resolution, inputs.written, state.botComment !== null);
  const intent = planCommandAnswer(planReconcile({ verdict: resolution.verdict, rules: index.rules, labels: ticket.labels, hasComment: state.botComment !== null }), answer).comment;
  const suggestions = intent.action === 'nudge' ? suggestWithModel(model ?? coldModel(index), ticket, now).suggestions : [];
  const substance = withReplySubstance(intent.action === 'reply' ? null : commentSubstance(intent, ticket, resolution, index.rules.reveal), commands.reply);
  const decision = decideWrites({
    verdict: resolution.verdict,
    rules: index.rules,
    labels: ticket.labels,
    createdAt: ticket.createdAt,
    botComment: state.botComment,
    written: inputs.written,
    removal: inputs.removal,
    substance,
    now,
    answer,
  });
  return { ...decision, resolution, suggestions, substance, reply: commands.reply };
}

/** What a plan would write, in words (logs, dry runs, the rollout report). */
export function describePlan(plan: ReconcilePlan, hasComment: boolean): string[] {
  const words = plan.labels.map((l) => `${l.present ? 'add' : 'remove'} label ${l.name}`);
  const c = plan.comment;
  if (c.action === 'delete') words.push('delete comment');
  else if (c.action === 'nudge') words.push(hasComment ? 'update comment' : 'create comment');
  else if (c.action === 'resolve' || c.action === 'reply') words.push(hasComment ? 'update comment' : 'create comment');
  return words;
}

export function planWrites(plan: ReconcilePlan): boolean {
  return plan.labels.length > 0 || plan.comment.action !== 'none';
}

/** The verdict record of a ticket as decided now. */
export function recordOf(state: TicketState, decision: TicketDecision, config: DecisionConfig, now: Date, previous: VerdictRecord | null, extra: Pick<VerdictRecord, 'held' | 'wouldWrite'>): VerdictRecord {
  const { ticket } = state;
  return {
    tracker: ticket.tracker,
    id: ticket.id,
    key: ticket.key,
    title: ticket.title,
    url: ticket.url,
    team: ticket.team,
    state: ticket.state,
    estimate: ticket.estimate ?? null,
    verdict: decision.resolution.verdict,
    objectiveIds: decision.resolution.objectiveIds,
    checkedAt: now.toISOString(),
    closedAt: ticket.state === 'closed' ? (previous?.closedAt ?? now.toISOString()) : undefined,
    description: ticket.description?.slice(0, 500),
    configVersion: config.version,
    createdAt: ticket.createdAt,
    ...(ticket.rank === undefined ? {} : { rank: ticket.rank }),
    ...(decision.acknowledged ? { acknowledged: decision.acknowledged } : {}),
    ...(extra.held ? { held: extra.held } : {}),
    ...(extra.wouldWrite && extra.wouldWrite.length > 0 ? { wouldWrite: extra.wouldWrite } : {}),
  };
}
