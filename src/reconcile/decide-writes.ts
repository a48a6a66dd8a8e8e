// The one decision of what Cascade writes on a ticket, from everything known
// about it at once: its verdict, what a fresh read shows, what Cascade last
// wrote there, a person's acknowledgement, the rollout rules. Pure (time is
// passed in), so the check and the sweep's triage decide alike.
import type { ResolvedRules } from '../strategy/tree-schema.js';
import { dayStart } from '../strategy/dates.js';
import { normaliseName } from '../strategy/strategy-index.js';
import type { Verdict } from '../strategy/types.js';
import { REMOVAL_HINT_TTL_MS, type Acknowledgement, type RemovalHint, type Restoration, type WrittenRecord } from '../records/written-record.js';
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
  /**
   * Evidence that a person (an account other than Cascade's) removed a mark: a
   * webhook's actor, or the ticket's history read by the check.
   */
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
  /**
   * Cascade's mark is missing and nothing names a person who removed it: the plan
   * puts it back (once per verdict; see judgeMissingMark). The check reads the
   * ticket's history before it does, and logs why.
   */
  restoring: Restoration | null;
  /** The restoration in force after this check (to remember with what Cascade wrote). */
  restored: Restoration | null;
}

const NUDGED = new Set<Verdict>(['orphan', 'stale']);

export function decideWrites(input: WriteInputs): WriteDecision {
  const { verdict, rules } = input;
  const shown = new Set(input.labels.map(normaliseName));
  const reconciled = planReconcile({ verdict, rules, labels: input.labels, hasComment: input.botComment !== null });
  const full = input.answer ? planCommandAnswer(reconciled, input.answer) : reconciled;
  const { acknowledged, restoring, restored } = judgeMissingMark(input, shown);

  if (acknowledged && acknowledged.verdict === verdict) {
    return { plan: { labels: [], comment: { action: 'none' } }, acknowledged, heldBy: 'acknowledged', spendsBudget: false, restoring: null, restored };
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
  return { plan, acknowledged, heldBy, spendsBudget: marks && !hasMark, restoring: heldBy === null ? restoring : null, restored: heldBy === null ? restored : (input.written?.restored ?? null) };
}

interface MissingMarkJudgement {
  acknowledged: Acknowledgement | null;
  restoring: Restoration | null;
  restored: Restoration | null;
}

/**
 * An acknowledgement holds while the verdict it acknowledged stands; it ends
 * when the ticket turns aligned or exempt. A new one needs Cascade's label or
 * comment gone from the ticket AND evidence that a person took it off (a
 * webhook's actor within REMOVAL_HINT_TTL_MS, or the ticket's history): a
 * second Cascade sharing the account (staging beside production) is no person.
 * Without evidence Cascade puts the mark back, once per verdict; when it goes
 * again without evidence, Cascade leaves it off (acknowledged, `evidence: none`)
 * rather than fight whatever keeps removing it.
 */
function judgeMissingMark(input: WriteInputs, shown: Set<string>): MissingMarkJudgement {
  const { verdict, rules, written } = input;
  const none = { acknowledged: null, restoring: null, restored: null };
  if (!rules.respectPeople || !written) return none;
  if (verdict === 'aligned' || verdict === 'exempt') return none;
  const current = written.acknowledged ?? null;
  const restored = written.restored && written.restored.verdict === verdict ? written.restored : null;
  if (current && (!NUDGED.has(verdict) || current.verdict === verdict)) return { ...none, acknowledged: current, restored };
  const missing = missingMarks(input, shown);
  const what = missing[0];
  if (what === undefined) return { ...none, restored };
  const nudged = verdict as Acknowledgement['verdict'];
  const hint = evidenceFor(missing, input.removal, written, input.now);
  if (hint) {
    return { ...none, acknowledged: { verdict: nudged, what: hint.what, by: hint.by, byName: hint.byName, at: hint.at, evidence: hint.source ?? 'webhook' }, restored };
  }
  if (restored) {
    return { ...none, acknowledged: { verdict: nudged, what, by: null, byName: null, at: input.now.toISOString(), evidence: 'none' }, restored };
  }
  const restoring = { verdict: nudged, what, at: input.now.toISOString() };
  return { acknowledged: null, restoring, restored: restoring };
}

/** Which of Cascade's marks, as it left them, the ticket no longer shows under the same verdict. */
function missingMarks(input: WriteInputs, shown: Set<string>): Array<'label' | 'comment'> {
  const { written, verdict } = input;
  if (!written || !NUDGED.has(verdict) || written.verdict !== verdict) return [];
  const missing: Array<'label' | 'comment'> = [];
  if (written.label !== null && !shown.has(normaliseName(written.label))) missing.push('label');
  if (written.commentId !== null && input.botComment === null) missing.push('comment');
  return missing;
}

/**
 * Evidence names an account and a mark that is missing. The ticket's history is
 * read for the mark that is missing now, so its latest removal is the one;
 * a webhook's hint counts only for a removal after Cascade's write of the mark
 * and within the last REMOVAL_HINT_TTL_MS (it may be about another label).
 */
function evidenceFor(missing: Array<'label' | 'comment'>, hint: RemovalHint | null, written: WrittenRecord, now: Date): RemovalHint | null {
  if (!hint || hint.by === null || !missing.includes(hint.what)) return null;
  if (hint.source === 'history') return hint;
  const at = Date.parse(hint.at);
  if (!(at >= Date.parse(written.at)) || now.getTime() - at > REMOVAL_HINT_TTL_MS) return null;
  return hint;
}

/** A comment whose substance has not changed since Cascade wrote it is left as it is. */
function quiet(plan: ReconcilePlan, input: WriteInputs): ReconcilePlan {
  const { written, botComment } = input;
  const intent = plan.comment;
  if (intent.action !== 'nudge' && intent.action !== 'resolve') return plan;
  if (!botComment || !written || written.commentId !== botComment.id) return plan;
  return written.substance !== null && written.substance === input.substance ? { ...plan, comment: { action: 'none' } } : plan;
}
