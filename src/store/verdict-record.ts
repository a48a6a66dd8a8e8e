// What Cascade remembers about each ticket it checked: the digest's raw material.
import type { TrackerId, Verdict } from '../strategy/types.js';

export interface VerdictRecord {
  tracker: TrackerId;
  /** Tracker id (Linear UUID, Jira numeric id). */
  id: string;
  /** Human key: ENG-123, ENT-7. */
  key: string;
  title: string;
  url?: string;
  /** Linear team key or Jira project key. */
  team?: string;
  state: 'open' | 'closed';
  estimate?: number | null;
  verdict: Verdict;
  /** Nodes the ticket serves (matched nodes and their ancestors, nearest first): active lineage when it has one, else any (stale, and closed work keeps its lineage for "finished this week"). */
  objectiveIds: string[];
  /** ISO 8601 time of the check. */
  checkedAt: string;
  /** ISO 8601 time the ticket was closed, when Cascade saw it closed (for "finished this week"). */
  closedAt?: string;
  /** Ticket text kept for the digest's orphan themes (truncated). */
  description?: string;
  /** The config version the check ran under. */
  configVersion: number;
}
