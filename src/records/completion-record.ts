// What Cascade keeps about each finished ticket: the raw material of the
// forecasts (throughput per node and team), the capacity's unplanned share and
// the allocation on finished work. Plain data; the maths lives elsewhere.
import type { TrackerId, Verdict } from '../strategy/types.js';

/** How far back completion records are read and kept: the forecasts' 12 weeks. */
export const HISTORY_WEEKS = 12;
/** Kept two weeks longer than read, so a week that is still in the window is never cut short by a late prune. */
export const KEPT_WEEKS = HISTORY_WEEKS + 2;

export interface CompletionRecord {
  tracker: TrackerId;
  /** Tracker id (Linear UUID, Jira numeric id). */
  id: string;
  /** Human key: ENG-123, ENT-7. */
  key: string;
  /** Linear team key or Jira project key. */
  team?: string;
  estimate: number | null;
  /** ISO 8601 creation time of the ticket. */
  createdAt: string;
  /** ISO 8601 time the ticket was done: the tracker's own date when it gives one, else when Cascade first saw it closed. */
  doneAt: string;
  /** `canceled`: Linear's canceledAt (or a Jira resolution such as Won't Do); `completed` otherwise. */
  doneKind: 'completed' | 'canceled';
  /** Whether `doneAt` is the tracker's date (`tracker`) or when Cascade saw the close (`seen`). */
  doneFrom: 'tracker' | 'seen';
  /**
   * The verdict the ticket had when it closed: its lineage resolved as if it
   * were still open, on the day it was done: aligned, orphan, stale or exempt
   * (one done inside its grace period with no lineage is orphan: it was
   * finished unlinked). Never `closed` or `pending`.
   */
  verdict: Exclude<Verdict, 'closed' | 'pending'>;
  /** Nodes it served when it closed, nearest first (active lineage when it had one, else any). */
  objectiveIds: string[];
  /** What wrote it: a check that saw it closed, a webhook that closed it without a read, or the 12-week backfill. */
  source: 'check' | 'event' | 'backfill';
  /** The config version its lineage was resolved under. */
  configVersion: number;
}
