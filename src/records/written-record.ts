// What Cascade last wrote on each ticket and what it knows of a person's removal of
// its marks: plain records the decision reads (src/reconcile/decide-writes.ts) and
// src/store/written-store.ts persists.
import type { Verdict } from '../strategy/types.js';
import type { NumberedLink } from '../commands/link-target.js';

/**
 * How long a webhook's word on who removed a mark counts (PRODUCT.md, Governance):
 * a hint older than this says nothing about a mark that goes missing now.
 */
export const REMOVAL_HINT_TTL_MS = 24 * 3_600_000;

/**
 * A person removed Cascade's mark: nothing more is written while the verdict stays the same.
 * `evidence` says how Cascade knows it was a person: the webhook's actor, the ticket's
 * history (Linear issue history, Jira changelog), or `none`: the mark went missing again
 * after Cascade had put it back once, and Cascade does not fight over it.
 */
export interface Acknowledgement {
  /** The verdict the person acknowledged. */
  verdict: 'orphan' | 'stale';
  what: 'label' | 'comment';
  /** The account that removed it (null with `evidence: none`). */
  by: string | null;
  byName: string | null;
  /** ISO 8601. */
  at: string;
  /** Absent on records written before evidence was asked for: they came from a webhook. */
  evidence?: 'webhook' | 'history' | 'none';
}

/** Cascade put its missing mark back, once for this verdict, because nothing named a person who removed it. */
export interface Restoration {
  verdict: 'orphan' | 'stale';
  what: 'label' | 'comment';
  /** ISO 8601. */
  at: string;
}

export interface WrittenRecord {
  /** The verdict Cascade last showed on the ticket. */
  verdict: Verdict;
  /** Cascade's label as it left it on the ticket, or null. */
  label: string | null;
  /** Cascade's comment as it left it, or null. */
  commentId: string | null;
  /** Fingerprint of what the comment says in substance (not of its rendering). */
  substance: string | null;
  /** ISO 8601 time of the last write. */
  at: string;
  acknowledged?: Acknowledgement;
  /** Cascade already put a missing mark back for this verdict: the next unexplained removal is left alone. */
  restored?: Restoration;
  /** The numbered suggestions the comment showed when last written: what `/cascade link N` takes. */
  links?: NumberedLink[];
}

/**
 * Who removed a mark: an account other than Cascade's, as a webhook reported it
 * (kept for the next check, which drops it once it acknowledges) or as the
 * ticket's history shows it. Counts for REMOVAL_HINT_TTL_MS.
 */
export interface RemovalHint {
  what: 'label' | 'comment';
  by: string | null;
  byName: string | null;
  at: string;
  /** Absent: a webhook. */
  source?: 'webhook' | 'history';
}
