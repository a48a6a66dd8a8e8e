// The plain data the pure core works on. Nothing here knows about HTTP, Redis
// or a particular tracker's API shapes: adapters translate into these types.

/**
 * The trackers Cascade knows, one member per id. Empty here: the registry
 * (src/trackers/registry.ts) declares its map's ids into it, so the core reads
 * the ids without naming a tracker or importing the adapters.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by declaration merging
export interface TrackerIds {}

/** A tracker's id, as the registry's map has it ('linear', 'jira'). */
export type TrackerId = keyof TrackerIds & string;

export type Verdict = 'aligned' | 'orphan' | 'stale' | 'exempt' | 'pending' | 'closed';

/** A Linear initiative as seen from a project, with its parent chain. */
export interface InitiativeRef {
  id: string;
  name: string;
  /** Linear's `parentInitiative`; may be missing, and hostile data may loop. */
  parent?: InitiativeRef | null;
}

/** A Linear project (the container of an issue) with the initiatives it belongs to. */
export interface ProjectRef {
  id: string;
  name: string;
  initiatives: InitiativeRef[];
}

/** One ticket above the checked one: a Linear parent issue, or a Jira parent (story, epic, initiative…). */
export interface AncestorTicket {
  id?: string;
  key: string;
  title?: string;
  labels: string[];
  issueType?: string;
  /** The Linear project of this ancestor, when it has one. */
  project?: ProjectRef | null;
}

/**
 * A tracker-neutral snapshot of one ticket and its ancestry, as the lineage
 * engine needs it. `parents` is ordered nearest first.
 */
export interface TicketSnapshot {
  tracker: TrackerId;
  /** The tracker's stable id (Linear UUID, Jira numeric id). */
  id: string;
  /** The human key: ENG-123, ABC-1. */
  key: string;
  title: string;
  description?: string;
  url?: string;
  labels: string[];
  /** Jira issue type name (Story, Bug…); Linear has none. */
  issueType?: string;
  state: 'open' | 'closed';
  /** The tracker's own state name (In Progress, Done…), for people. */
  stateName?: string;
  /** Linear team key or Jira project key. */
  team?: string;
  /** The team's id (Linear): an installed app's reach is given in team ids. */
  teamId?: string;
  /** ISO 8601. */
  createdAt: string;
  estimate?: number | null;
  /** The Linear project of the ticket itself. */
  project?: ProjectRef | null;
  /** Parent tickets, nearest first. */
  parents: AncestorTicket[];
  /** ISO 8601 time the tracker says the ticket was done (Linear `completedAt`/`canceledAt`, Jira `resolutiondate`); closed tickets only. */
  doneAt?: string;
  /** How it was done: Linear's `canceledAt` (or a Jira resolution of that kind) is `canceled`. */
  doneKind?: 'completed' | 'canceled';
  /**
   * The ticket's place in the tracker's own ordering, lowest first: Linear's
   * `sortOrder` (a number), Jira's Rank (a LexoRank string, compared as text).
   * Compare ranks only within one tracker.
   */
  rank?: number | string;
}

// Shared with the adapters, the routes and the queue: what a tracker tells about a ticket.

/** Cascade's own comment on a ticket, as found on the tracker. */
export interface BotComment {
  id: string;
  /** The comment's text (Markdown, or ADF flattened to text). */
  body: string;
  /**
   * The fingerprint of what it says, when known: from the marker in its text
   * (Linear, older Jira comments) or from its comment property (Jira).
   */
  fingerprint?: string | null;
}

/** A ticket with what reconcile needs to know about Cascade's own marks on it. */
export interface TicketState {
  ticket: TicketSnapshot;
  /** Cascade's comment (by the bot's account, and carrying the marker or Jira's comment property), or null. */
  botComment: BotComment | null;
}

/** Something tickets sit under; a change to it re-checks them. */
export type ContainerRef =
  | { kind: 'ticket'; id: string } // sub-issues of a Linear issue, children of a Jira issue (epic, initiative…)
  | { kind: 'project'; id: string } // Linear project
  | { kind: 'initiative'; id: string }; // Linear initiative (and its sub-initiatives)
