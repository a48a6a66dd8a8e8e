// When allocation drift becomes an alert, and when it stops being one. An alert is
// posted once when it starts and once when it ends, so the decision takes the state
// the caller kept and says what (if anything) to post now.
import type { Band } from './allocation.js';

/** Consecutive weeks out of band before an alert starts. */
export const DRIFT_WEEKS = 3;

export interface DriftState {
  active: boolean;
}

export interface DriftDecision {
  active: boolean;
  post: 'started' | 'ended' | null;
}

/**
 * `bands`: the node's weekly bands, oldest first, the latest last. A week with no band
 * (nothing finished, no target) says nothing: it neither starts nor ends an alert, and
 * breaks a run of out-of-band weeks.
 */
export function decideDrift(bands: readonly (Band | null)[], previous: DriftState): DriftDecision {
  const latest = bands.length ? bands[bands.length - 1] : null;
  if (previous.active) return latest === 'in' ? { active: false, post: 'ended' } : { active: true, post: null };
  const recent = bands.slice(-DRIFT_WEEKS);
  const starts = recent.length === DRIFT_WEEKS && recent.every((b) => b === 'out');
  return starts ? { active: true, post: 'started' } : { active: false, post: null };
}
