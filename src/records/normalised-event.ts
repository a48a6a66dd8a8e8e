// What the receiver queues: a tracker delivery reduced to what the workers act on.
import type { TrackerId } from '../strategy/types.js';
import type { ContainerRef } from '../strategy/types.js';

/** Fields the digest needs, taken from the payload so an irrelevant update costs no tracker read. */
export interface PayloadFields {
  key?: string;
  title?: string;
  estimate?: number | null;
  closed?: boolean;
  stateName?: string;
  url?: string;
  team?: string;
}

export interface TicketEvent {
  kind: 'ticket';
  tracker: TrackerId;
  action: 'create' | 'update' | 'remove';
  /** Linear issue UUID, Jira issue id. */
  ticketId: string;
  /** Who acted (Linear actor id, Jira accountId), to recognise Cascade's own echoes. */
  actorId?: string;
  /** Changed fields, from Linear's updatedFrom or Jira's changelog; null when the payload does not say. */
  changed: string[] | null;
  /** Whether the change can alter a verdict (false: only title, assignee, priority… changed). */
  relevant: boolean;
  /** Whether tickets under this one must be re-checked too (its lineage-bearing fields changed). */
  fanout: boolean;
  fields: PayloadFields;
  /** The actor's display name, when the delivery carries it (explain shows who acknowledged). */
  actorName?: string;
  /** The delivery shows a label taken off or a comment deleted: if it was Cascade's, by a person, that acknowledges the verdict. */
  removed?: 'label' | 'comment';
}

export interface ContainerEvent {
  kind: 'container';
  tracker: TrackerId;
  container: ContainerRef;
  actorId?: string;
  changed: string[] | null;
}

/** A comment by someone whose first line is a `/cascade` command (other comments are not queued). */
export interface CommentEvent {
  kind: 'comment';
  tracker: TrackerId;
  action: 'create' | 'update';
  /** The ticket the comment is on: Linear issue UUID, Jira issue id. */
  ticketId: string;
  /** ENG-123: its prefix is the team (Linear) or project (Jira) key. */
  ticketKey?: string;
  ticketUrl?: string;
  commentId: string;
  /** Who wrote (or edited) it, to ignore Cascade's own account. */
  actorId?: string;
  /** Their display name, for the confirmation and the proposal. */
  actorName?: string;
  /** The command line (the comment's first line). */
  command: string;
  /** When the comment was written or last edited (ISO 8601, from the tracker): commands apply in this order. */
  writtenAt?: string;
  /** Jira: the comment is visible only to a role or group; Cascade's public answer must not quote it. */
  restricted?: boolean;
}

export type NormalisedEvent = TicketEvent | ContainerEvent | CommentEvent;

/** The receiver's verdict on a delivery before it is queued. */
export type Normalised = { event: NormalisedEvent } | { ignored: string } | { malformed: string };
