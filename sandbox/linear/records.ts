// The sandbox's in-memory rows. They hold ids, not objects, as Linear's own
// storage does; the GraphQL views in views.ts join them on demand.

export type StateType = 'triage' | 'backlog' | 'unstarted' | 'started' | 'completed' | 'canceled';
export type ProjectStatusType = 'backlog' | 'planned' | 'started' | 'paused' | 'completed' | 'canceled';
export type InitiativeStatus = 'Proposed' | 'Planned' | 'Active' | 'Completed' | 'Canceled';

export interface TeamRecord {
  id: string;
  key: string;
  name: string;
  nextNumber: number;
  /** Users who are members of the team (Linear's team memberships). */
  memberIds: Set<string>;
}

export interface UserRecord {
  id: string;
  name: string;
  email: string;
  /** True for the API key's bot user (Linear's `User.app`). */
  app: boolean;
  /** Linear's `User.guest`: limited to the teams they are a member of. */
  guest: boolean;
  /** An OAuth app's user in this workspace (actor=app): the app's client id. Its comments carry a botActor. */
  oauthClientId?: string;
}

export interface StateRecord {
  id: string;
  teamId: string;
  name: string;
  type: StateType;
}

export interface LabelRecord {
  id: string;
  name: string;
  color: string;
  /** Null for a workspace label. */
  teamId: string | null;
  createdAt: string;
}

export interface InitiativeRecord {
  id: string;
  name: string;
  status: InitiativeStatus;
  parentId: string | null;
  description?: string;
  /** YYYY-MM-DD, as Linear's TimelessDate. */
  targetDate?: string;
  /** The latest initiative update's health (Linear's Initiative.health); null before any update. */
  health?: UpdateHealth | null;
  createdAt: string;
  updatedAt: string;
}

export type UpdateHealth = 'onTrack' | 'atRisk' | 'offTrack';

export interface CustomerRecord {
  id: string;
  name: string;
  /** Annual revenue (Linear's Customer.revenue, an Int); null when unknown. */
  revenue: number | null;
  /** Tier name (Linear's CustomerTier.name), or null. */
  tier: string | null;
}

/** A customer request (Linear's CustomerNeed): on an issue (its project denormalised) or on a project alone. */
export interface CustomerNeedRecord {
  id: string;
  customerId: string | null;
  issueId: string | null;
  projectId: string | null;
  /** 0 = not important, 1 = important. */
  priority: number;
  createdAt: string;
}

export interface ProjectRecord {
  id: string;
  name: string;
  statusType: ProjectStatusType;
  initiativeIds: string[];
  /** The teams the project belongs to (Linear: at least one). */
  teamIds: string[];
  /** The latest project update's health (Linear's Project.health); null before any update. */
  health?: UpdateHealth | null;
  createdAt: string;
  updatedAt: string;
}

export interface IssueRecord {
  id: string;
  teamId: string;
  number: number;
  title: string;
  description: string | null;
  stateId: string;
  parentId: string | null;
  projectId: string | null;
  labelIds: string[];
  estimate: number | null;
  priority: number;
  creatorId: string;
  createdAt: string;
  updatedAt: string;
  /** Set when the issue moves into a completed state, cleared when it leaves (Linear's completedAt). */
  completedAt: string | null;
  /** Likewise for a canceled state (Linear's canceledAt). */
  canceledAt: string | null;
  /** Manual order in lists and boards, lowest first (Linear's sortOrder). */
  sortOrder: number;
}

export interface CommentRecord {
  id: string;
  issueId: string;
  userId: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

/** One entry of an issue's history (Linear's IssueHistory): here, label changes with who made them. */
export interface HistoryRecord {
  id: string;
  issueId: string;
  createdAt: string;
  /** The user who made the change (Linear's actorId; the API key's user for API changes). */
  actorId: string;
  addedLabelIds: string[];
  removedLabelIds: string[];
}

export type EntityType = 'Issue' | 'Comment' | 'Project' | 'Initiative';
export type ChangeAction = 'create' | 'update' | 'remove';

/** One change to the data, as the webhook sender sees it. */
export interface StoreChange {
  type: EntityType;
  action: ChangeAction;
  /** The row after the change (before it, for a removal). */
  record: IssueRecord | CommentRecord | ProjectRecord | InitiativeRecord;
  /** For an update: the changed keys with their OLD values. */
  updatedFrom?: Record<string, unknown>;
  /** Who made the change. */
  actorId: string;
}
