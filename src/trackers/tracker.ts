// The one interface every tracker adapter implements: idempotent verbs in the
// manner of Renovate's platform adapters. Each verb reads what it must and
// writes only when the ticket does not already show the wanted state.
import type { BotComment, ContainerRef, TicketSnapshot, TicketState, TrackerId } from '../strategy/types.js';

export type { BotComment, ContainerRef, TicketState };
import type { CommentDoc } from '../reconcile/comment-doc.js';
import type { OutlineOptions, TrackerOutline } from '../strategy/outline.js';
import type { LinkLookup, LinkTarget, LinkWanted } from '../commands/link-target.js';

export type { LinkLookup, LinkTarget, LinkWanted };
import type { CustomerDemand, FieldDemand, ReportedHealth } from '../records/workspace-signals.js';

export type { OutlineOptions, TrackerOutline };

/** The account Cascade acts as; events by it are its own echoes. */
export interface BotIdentity {
  id: string;
  name: string;
}

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page; absent on the last page. */
  next?: string;
}

/** Which open tickets a sweep reads. Empty lists mean everything. */
export interface SweepScope {
  /** Linear team keys, or Jira project keys. */
  teams: string[];
}

export type CommentOutcome = 'created' | 'updated' | 'deleted' | 'unchanged';

/** A label taken off a ticket, as its history records it (Linear issue history, Jira changelog). */
export interface LabelRemoval {
  /** The account that took it off; null when the history names none (an automation). */
  by: string | null;
  byName: string | null;
  /** ISO 8601, the tracker's clock. */
  at: string;
}

export interface Tracker {
  readonly id: TrackerId;
  /** The bot's own account (cached after the first call). */
  identity(): Promise<BotIdentity>;
  /** The ticket with its whole ancestry and Cascade's comment; null when it no longer exists. */
  fetchTicket(idOrKey: string): Promise<TicketState | null>;
  /** Open tickets in scope, a page at a time, with ancestry: the nightly sweep and re-checks. */
  listOpenTickets(scope: SweepScope, cursor?: string): Promise<Page<TicketState>>;
  /**
   * Optional capability: tickets done (completed or canceled) at or after
   * `since` (ISO 8601) in scope, a page at a time, with ancestry and their
   * done dates (`doneAt`, `doneKind`), for the completion backfill. The same
   * `since` must be passed with every page of one listing.
   */
  listDoneSince?(since: string, scope: SweepScope, cursor?: string): Promise<Page<TicketState>>;
  /** Optional capability: every customer request, a page at a time (Linear customer needs). */
  listCustomerDemand?(cursor?: string): Promise<Page<CustomerDemand>>;
  /** Optional capability: tickets in scope whose number field `field` (rules.customer_field) is above zero, a page at a time (Jira). */
  listFieldDemand?(field: string, scope: SweepScope, cursor?: string): Promise<Page<FieldDemand>>;
  /** Optional capability: projects and initiatives whose latest update reports a health, a page at a time (Linear). */
  listReportedHealth?(cursor?: string): Promise<Page<ReportedHealth>>;
  /** Ids (or keys) of the tickets under a container, a page at a time, for fan-out. */
  listTicketsUnder(container: ContainerRef, cursor?: string): Promise<Page<string>>;
  /**
   * Make the label present or absent on the ticket; creates the label in the
   * tracker when needed. Never replaces the ticket's whole label set.
   * Returns true when it wrote.
   */
  ensureLabel(ticket: TicketSnapshot, label: string, present: boolean): Promise<boolean>;
  /**
   * Make Cascade's single comment match `doc` (create, or edit in place), or
   * remove it when `doc` is null. Unchanged when the fingerprint matches.
   * Sets `state.botComment` to the comment the ticket shows after the write.
   */
  ensureComment(state: TicketState, doc: CommentDoc | null): Promise<CommentOutcome>;
  /**
   * Whether the account may edit the ticket, the rule of
   * `rules.exemptions.who: editors`: on Jira the account has EDIT_ISSUES on
   * that issue, on Linear it is not a guest or is a member of the ticket's
   * team. Read-only; false for an account or ticket the tracker does not know.
   */
  mayEdit(ticket: { id: string; key: string }, accountId: string): Promise<boolean>;
  /**
   * Where a link points for this ticket (`/cascade link`, POST /admin/link):
   * a project or parent issue by id, name or key (Linear), an issue exactly one
   * hierarchy level above the ticket (Jira; an initiative gives its first
   * epic), an initiative's first project, or a label. Read-only. Not found or
   * several found: the closest names.
   */
  findLinkTarget(ticket: TicketSnapshot, wanted: LinkWanted): Promise<LinkLookup>;
  /**
   * Move the ticket to the target (Linear `issueUpdate` with `projectId` or
   * `parentId`; Jira `fields.parent`; a label is added). Idempotent: true only
   * when it wrote.
   */
  moveTicket(ticket: TicketSnapshot, target: LinkTarget): Promise<boolean>;
  /**
   * Optional capability: the latest removal of `label` in the ticket's history,
   * with who made it; null when the history shows none. Read only when
   * Cascade's label is missing and no webhook named a person who removed it,
   * so an ordinary check costs no request for it.
   */
  labelRemoval?(ticket: TicketSnapshot, label: string): Promise<LabelRemoval | null>;
  /** Forget cached ancestry for a container that changed (its own webhook arrived). */
  invalidate(container: ContainerRef): void;
  /**
   * Optional capability: the workspace's outline (top containers, project and
   * label names), read in pages within the rate limits. Used to check a
   * config's match entries and to import a starting config.
   */
  outline?(options?: OutlineOptions): Promise<TrackerOutline>;
}

/** A tracker error that retrying cannot fix (404 of the whole API, 401, 403, a bad document). */
export class PermanentTrackerError extends Error {
  readonly code = 'CASCADE_TRACKER_PERMANENT';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * The longest pause a tracker's Retry-After may impose on a queue. A rate
 * limit pauses every check of that tracker, so a mistaken or hostile header
 * asking for a day must not stop Cascade for a day: after the cap the queue
 * tries again, and a still-limited tracker just says so again.
 */
export const MAX_RETRY_AFTER_MS = 15 * 60 * 1000;

/** The tracker asked us to slow down; `retryAfterMs` says for how long (at most MAX_RETRY_AFTER_MS). */
export class RateLimitedError extends Error {
  readonly code = 'CASCADE_TRACKER_RATE_LIMITED';
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number) {
    super(message);
    this.retryAfterMs = Number.isNaN(retryAfterMs) ? MAX_RETRY_AFTER_MS : Math.min(Math.max(0, retryAfterMs), MAX_RETRY_AFTER_MS);
  }
}
