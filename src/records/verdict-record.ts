// What Cascade remembers about each ticket it checked: the digest's raw material.
import type { TrackerId, Verdict } from '../strategy/types.js';
import type { Acknowledgement } from './written-record.js';

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
  /** The team's id, when the tracker gives one (Linear): a check of a team out of an installation's reach reads nothing. */
  teamId?: string;
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
  /** A person removed Cascade's mark while this verdict stands: who and when. */
  acknowledged?: Acknowledgement;
  /** Why the marks this verdict calls for are not on the ticket: waiting for write budget, or created before rules.enforce_from. */
  held?: 'budget' | 'before-enforce-from';
  /** In a dry run (or while held): what enforcing would write now. */
  wouldWrite?: string[];
  /** The tracker's installation (an installed app's workspace) the ticket was read through; absent: the default one. Timers and released work go back to its check queue. */
  installation?: string;
  /** ISO 8601 creation time of the ticket. */
  createdAt?: string;
  /** The tracker's rank of the ticket, lowest first (see TicketSnapshot.rank): the forecasts' cut line follows it. */
  rank?: number | string;
}
