// The rollout's part of the digest: what Cascade holds back (budget,
// rules.enforce_from) and what people acknowledged. Counted from the verdict
// records while the digest walks them; one line in each rendering. Pure.
import type { VerdictRecord } from '../records/verdict-record.js';
import { formatNumber } from './escape.js';

export interface RolloutCounts {
  /** Open orphan or stale tickets whose marks wait for write budget. */
  heldOverBudget: number;
  /** Open orphan or stale tickets created before rules.enforce_from: counted, never written. */
  beforeEnforceFrom: number;
  /** Open orphan or stale tickets a person acknowledged (removed Cascade's label or comment). */
  acknowledged: number;
}

export class RolloutTally {
  private readonly counts: RolloutCounts = { heldOverBudget: 0, beforeEnforceFrom: 0, acknowledged: 0 };

  add(r: VerdictRecord): void {
    if (r.state !== 'open' || (r.verdict !== 'orphan' && r.verdict !== 'stale')) return;
    if (r.held === 'budget') this.counts.heldOverBudget++;
    if (r.held === 'before-enforce-from') this.counts.beforeEnforceFrom++;
    if (r.acknowledged) this.counts.acknowledged++;
  }

  finish(): RolloutCounts {
    return { ...this.counts };
  }
}

/** "held back today: 37 tickets over budget, 1,204 before enforce_from; 12 acknowledged by people", or null when there is nothing to say. */
export function heldBackLine(counts: RolloutCounts | undefined): string | null {
  if (!counts) return null;
  const held: string[] = [];
  if (counts.heldOverBudget > 0) held.push(`${formatNumber(counts.heldOverBudget)} tickets over budget`);
  if (counts.beforeEnforceFrom > 0) held.push(`${formatNumber(counts.beforeEnforceFrom)} before enforce_from`);
  const parts: string[] = [];
  if (held.length > 0) parts.push(`held back today: ${held.join(', ')}`);
  if (counts.acknowledged > 0) parts.push(`${formatNumber(counts.acknowledged)} orphan or stale tickets acknowledged by people`);
  return parts.length > 0 ? parts.join('; ') : null;
}
