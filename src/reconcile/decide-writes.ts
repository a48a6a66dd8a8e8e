// The one decision of what Cascade writes on a ticket, from everything known
// about it at once: its verdict, what a fresh read shows, what Cascade last
// wrote there, a person's acknowledgement, the rollout rules. Pure (time is
// passed in), so the check and the sweep's triage decide alike.
import type { ResolvedRules } from '../config/schema.js';
import { dayStart } from '../config/dates.js';
import { normaliseName } from '../strategy/strategy-index.js';
import type { Verdict } from '../strategy/types.js';
import type { Acknowledgement, RemovalHint, WrittenRecord } from '../store/written-store.js';
import { planCommandAnswer, planReconcile, type ReconcilePlan } from './plan-reconcile.js';

export interface WriteInputs {
  verdict: Verdict;
  rules: ResolvedRules;
  /** The ticket as the fresh read (or, for triage, the sweep's page) shows it. */
  labels: string[];
  createdAt: string;
  botComment: { id: string } | null;
  /** What Cascade last wrote on it (null: nothing, or before this record existed). */
  written: WrittenRecord | null;
  /** Who removed a mark, when a webhook said so. */
  removal: RemovalHint | null;
  /** Fingerprint of what Cascade's comment would say now (null: it would say nothing). */
  substance: string | null;
  now: Date;
  /** A person's command to answer in the comment (see planCommandAnswer). */
  answer?: { exemptedByPerson: boolean; hasReply: boolean };
}

export type HeldBy = 'acknowledged' | 'before-enforce-from';

export interface WriteDecision {
  /** What to write now: removals and resolutions are never held back. */
  plan: ReconcilePlan;
  /** The acknowledgement in force after this check. */
  acknowledged: Acknowledgement | null;
  /** Why marks the verdict calls for are not written (null: nothing held). */
  heldBy: HeldBy | null;
  /** The plan puts Cascade's first mark on a ticket showing none: it spends write budget. */
  spendsBudget: boolean;
}

const NUDGED = new Set<Verdict>(['orphan', 'stale']);

export function decideWrites(input: WriteInputs): WriteDecision {
  const { verdict, rules } = input;
  const shown = new Set(input.labels.map(normaliseName));
  const reconciled = planReconcile({ verdict, rules, labels: input.labels, hasComment: input.botComment !== null });
  const full = input.answer ? planCommandAnswer(reconciled, input.answer) : reconciled;
  const acknowledged = acknowledgementOf(input, shown);

  if (acknowledged && acknowledged.verdict === verdict) {
    return { plan: { labels: [], comment: { action: 'none' } }, acknowledged, heldBy: 'acknowledged', spendsBudget: false };
  }
  let plan = quiet(full, input);
  let heldBy: HeldBy | null = null;
  if (NUDGED.has(verdict) && rules.enforceFrom && Date.parse(input.createdAt) < dayStart(rules.enforceFrom)) {
    // Counted, never marked: only taking Cascade's own marks away is still allowed.
    plan = { labels: plan.labels.filter((l) => !l.present), comment: plan.comment.action === 'nudge' ? { action: 'none' } : plan.comment };
    heldBy = 'before-enforce-from';
  }
  const hasMark = input.botComment !== null || shown.has(normaliseName(rules.labels.orphan)) || shown.has(normaliseName(rules.labels.stale));
  const marks = plan.labels.some((l) => l.present) || (plan.comment.action === 'nudge' && input.botComment === null);
  return { plan, acknowledged, heldBy, spendsBudget: marks && !hasMark };
}

/**
 * An acknowledgement holds while the verdict it acknowledged stands; it ends
 * when the ticket turns aligned or exempt. A new one is read from the ticket
 * itself: Cascade's label or comment, which Cascade left there, is gone.
 */
function acknowledgementOf(input: WriteInputs, shown: Set<string>): Acknowledgement | null {
  const { verdict, rules, written } = input;
  if (!rules.respectPeople || !written) return null;
  if (verdict === 'aligned' || verdict === 'exempt') return null;
  const current = written.acknowledged ?? null;
  if (current && (!NUDGED.has(verdict) || current.verdict === verdict)) return current;
  if (!NUDGED.has(verdict) || written.verdict !== verdict) return null;
  const labelGone = written.label !== null && !shown.has(normaliseName(written.label));
  const commentGone = written.commentId !== null && input.botComment === null;
  if (!labelGone && !commentGone) return null;
  const what = labelGone ? 'label' : 'comment';
  const hint = input.removal;
  return {
    verdict: verdict as Acknowledgement['verdict'],
    what,
    by: hint?.by ?? null,
    byName: hint?.byName ?? null,
    at: hint?.at ?? input.now.toISOString(),
  };
}

/** A comment whose substance has not changed since Cascade wrote it is left as it is. */
function quiet(plan: ReconcilePlan, input: WriteInputs): ReconcilePlan {
  const { written, botComment } = input;
  const intent = plan.comment;
  if (intent.action !== 'nudge' && intent.action !== 'resolve') return plan;
  if (!botComment || !written || written.commentId !== botComment.id) return plan;
  return written.substance !== null && written.substance === input.substance ? { ...plan, comment: { action: 'none' } } : plan;
}
