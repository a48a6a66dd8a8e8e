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
  /** The team's id (Linear), to tell a team the installation may no longer reach before reading anything. */
  teamId?: string;
}

/** Which workspace a delivery came from (Linear's organizationId): the receiver routes it to that workspace's installation. */
interface FromWorkspace {
  workspaceId?: string;
}

export interface TicketEvent extends FromWorkspace {
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

export interface ContainerEvent extends FromWorkspace {
  kind: 'container';
  tracker: TrackerId;
  container: ContainerRef;
  actorId?: string;
  changed: string[] | null;
}

/** A comment by someone whose first line is a `/cascade` command (other comments are not queued). */
export interface CommentEvent extends FromWorkspace {
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

/** The app was removed from the workspace (Linear's OAuthApp `revoked`): its installation ends, with no further reads or writes. */
export interface InstallationRevokedEvent {
  kind: 'installation-revoked';
  tracker: TrackerId;
  workspaceId: string;
  /** The app the delivery names (Linear's oauthClientId), when it names one. */
  appId?: string;
}

/** An admin changed the teams the app may reach (Linear's PermissionChange): checks and sweeps leave the others alone. */
export interface AccessChangedEvent {
  kind: 'access-changed';
  tracker: TrackerId;
  workspaceId: string;
  addedTeamIds: string[];
  removedTeamIds: string[];
  /** Whether the app may reach every public team; absent: unchanged. */
  allPublic?: boolean;
}

/** What happens to an installation itself, not to a ticket. */
export type InstallationEvent = InstallationRevokedEvent | AccessChangedEvent;

export type NormalisedEvent = TicketEvent | ContainerEvent | CommentEvent | InstallationEvent;

/** The receiver's verdict on a delivery before it is queued. */
export type Normalised = { event: NormalisedEvent } | { ignored: string } | { malformed: string };
