// What must change on a ticket for it to show its verdict: pure, so that
// "a re-check that changes nothing writes nothing" is a property of this
// function rather than of every adapter.
import type { ResolvedRules } from '../strategy/tree-schema.js';
import type { Verdict } from '../strategy/types.js';
import { normaliseName } from '../strategy/strategy-index.js';

export type CommentIntent =
  | { action: 'none' }
  /** Post or edit Cascade's comment to say what is missing. */
  | { action: 'nudge'; kind: 'orphan' | 'stale' }
  /** Edit the existing comment to say the ticket is fine now (on_aligned: resolve). */
  | { action: 'resolve'; kind: 'aligned' | 'exempt' }
  | { action: 'delete' }
  /** Post or edit Cascade's comment to answer a person's command, with nothing else to say. */
  | { action: 'reply' };

export interface ReconcilePlan {
  /** Label changes, only those the ticket does not already show. */
  labels: { name: string; present: boolean }[];
  comment: CommentIntent;
}

export interface PlanInput {
  verdict: Verdict;
  rules: ResolvedRules;
  /** The ticket's current labels. */
  labels: string[];
  /** Whether Cascade's comment is on the ticket now. */
  hasComment: boolean;
}

export function planReconcile({ verdict, rules, labels, hasComment }: PlanInput): ReconcilePlan {
  const current = new Set(labels.map(normaliseName));
  const want = (name: string, present: boolean): { name: string; present: boolean }[] =>
    current.has(normaliseName(name)) === present ? [] : [{ name, present }];
  const { orphan, stale } = rules.labels;

  switch (verdict) {
    case 'orphan':
    case 'stale': {
      const mine = verdict === 'orphan' ? orphan : stale;
      const other = verdict === 'orphan' ? stale : orphan;
      return {
        labels: [...want(mine, true), ...want(other, false)],
        comment: rules.comment ? { action: 'nudge', kind: verdict } : hasComment ? { action: 'delete' } : { action: 'none' },
      };
    }
    case 'aligned':
    case 'exempt':
      return { labels: [...want(orphan, false), ...want(stale, false)], comment: settle(verdict, rules, hasComment) };
    case 'pending':
    case 'closed':
      // Pending: too early to nudge. Closed: counted, never enforced; its marks are history.
      return { labels: [], comment: { action: 'none' } };
  }
}

function settle(verdict: 'aligned' | 'exempt', rules: ResolvedRules, hasComment: boolean): CommentIntent {
  if (!hasComment) return { action: 'none' };
  switch (rules.onAligned) {
    case 'resolve':
      return { action: 'resolve', kind: verdict };
    case 'delete':
      return { action: 'delete' };
    case 'keep':
      return { action: 'none' };
  }
}

/**
 * A person's command always gets its answer in Cascade's one comment: an
 * exemption they set is confirmed (a comment is posted if there was none),
 * and the answer to their last command is added to whatever else the comment
 * says, or stands alone.
 */
export function planCommandAnswer(plan: ReconcilePlan, answer: { exemptedByPerson: boolean; hasReply: boolean }): ReconcilePlan {
  if (answer.exemptedByPerson) return { ...plan, comment: { action: 'resolve', kind: 'exempt' } };
  if (answer.hasReply && (plan.comment.action === 'none' || plan.comment.action === 'delete')) return { ...plan, comment: { action: 'reply' } };
  return plan;
}
