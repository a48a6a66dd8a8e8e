// The sandbox's workspace: plain maps of rows, helpers that tests and the demo
// use to set things up "as a person", and a change feed the webhook sender
// listens to. GraphQL mutations go through the same helpers, so a change made
// by the adapter and one made by a person look alike except for the actor.
import { randomUUID } from 'node:crypto';
import type {
  CommentRecord, CustomerNeedRecord, CustomerRecord, HistoryRecord, InitiativeRecord, InitiativeStatus, IssueRecord, LabelRecord, ProjectRecord,
  ProjectStatusType, StateRecord, StateType, StoreChange, TeamRecord, UpdateHealth, UserRecord,
} from './records.js';

export interface IssueSpec {
  /** Team key (ENG) or id. */
  team: string;
  title: string;
  description?: string;
  /** A state type (started…) or a state name (In Progress); default: the team's unstarted state. */
  state?: string;
  /** Parent issue id or identifier. */
  parent?: string;
  /** Project id or name. */
  project?: string;
  /** Label names; missing ones become workspace labels. */
  labels?: string[];
  estimate?: number;
  priority?: number;
  createdAt?: string;
  /** Place in the team's manual order, lowest first; default after every issue so far. */
  sortOrder?: number;
  /** When a completed or canceled issue was done; default its creation time. */
  doneAt?: string;
  actorId?: string;
}

export type IssuePatch = Partial<Pick<IssueRecord,
  'title' | 'description' | 'stateId' | 'parentId' | 'projectId' | 'labelIds' | 'estimate' | 'priority' | 'teamId'>>;

const DEFAULT_STATES: Array<[string, StateType]> = [
  ['Triage', 'triage'], ['Backlog', 'backlog'], ['Todo', 'unstarted'],
  ['In Progress', 'started'], ['Done', 'completed'], ['Canceled', 'canceled'],
];

export class LinearStore {
  readonly organization = { id: randomUUID(), name: 'Cascade Demo', urlKey: 'cascade-demo' };
  readonly teams = new Map<string, TeamRecord>();
  readonly users = new Map<string, UserRecord>();
  readonly states = new Map<string, StateRecord>();
  readonly labels = new Map<string, LabelRecord>();
  readonly initiatives = new Map<string, InitiativeRecord>();
  readonly projects = new Map<string, ProjectRecord>();
  readonly issues = new Map<string, IssueRecord>();
  readonly comments = new Map<string, CommentRecord>();
  /** Customers and their requests (Linear's Customer and CustomerNeed). */
  readonly customers = new Map<string, CustomerRecord>();
  readonly customerNeeds = new Map<string, CustomerNeedRecord>();
  /** Each issue's history, newest first (label changes only). */
  readonly history = new Map<string, HistoryRecord[]>();
  /** The API key's user: the viewer, and the actor of every GraphQL mutation. */
  readonly bot: UserRecord;
  /** A person, the default actor of the helpers below. */
  readonly person: UserRecord;
  private readonly listeners = new Set<(change: StoreChange) => void>();
  private muted = 0;

  constructor(private readonly now: () => Date = () => new Date()) {
    this.bot = this.createUser({ name: 'Cascade', email: 'cascade@bots.example.com', app: true });
    this.person = this.createUser({ name: 'Dana Reyes', email: 'dana@example.com' });
  }

  onChange(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: StoreChange): void {
    if (this.muted > 0) return;
    for (const listener of this.listeners) listener(change);
  }

  /** Changes made inside `change` send no webhook, as when Linear's delivery is lost; the history still records them. */
  withoutWebhooks<T>(change: () => T): T {
    this.muted += 1;
    try {
      return change();
    } finally {
      this.muted -= 1;
    }
  }

  historyOf(ref: string): HistoryRecord[] {
    return this.history.get(this.requireIssue(ref).id) ?? [];
  }

  /** The store's clock, in ms (relative dates in filters count from it). */
  clock(): number {
    return this.now().getTime();
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  /** A user; `teams` (keys) are the teams they are a member of. */
  createUser(spec: { name: string; email?: string; app?: boolean; guest?: boolean; teams?: string[]; oauthClientId?: string }): UserRecord {
    const email = spec.email ?? `${spec.name.toLowerCase().replace(/\W+/g, '.')}@example.com`;
    const user: UserRecord = {
      id: randomUUID(), name: spec.name, email, app: spec.app ?? false, guest: spec.guest ?? false,
      ...(spec.oauthClientId ? { oauthClientId: spec.oauthClientId } : {}),
    };
    this.users.set(user.id, user);
    for (const key of spec.teams ?? []) this.teamByKey(key).memberIds.add(user.id);
    return user;
  }

  private teamByKey(key: string): TeamRecord {
    const team = [...this.teams.values()].find((t) => t.key === key);
    if (!team) throw new Error(`no team ${key}`);
    return team;
  }

  createTeam(spec: { key: string; name: string }): TeamRecord {
    // Everyone already in the workspace who is not a guest joins a new team, as in a small workspace.
    const memberIds = new Set([...this.users.values()].filter((u) => !u.guest).map((u) => u.id));
    const team: TeamRecord = { id: randomUUID(), key: spec.key, name: spec.name, nextNumber: 1, memberIds };
    this.teams.set(team.id, team);
    for (const [name, type] of DEFAULT_STATES) {
      const state: StateRecord = { id: randomUUID(), teamId: team.id, name, type };
      this.states.set(state.id, state);
    }
    return team;
  }

  createLabel(spec: { name: string; color?: string; team?: string; id?: string }): LabelRecord {
    const teamId = spec.team === undefined ? null : this.requireTeam(spec.team).id;
    const label: LabelRecord = {
      id: spec.id ?? randomUUID(), name: spec.name, color: spec.color ?? '#95a2b3', teamId, createdAt: this.stamp(),
    };
    this.labels.set(label.id, label);
    return label;
  }

  createInitiative(spec: { name: string; status?: InitiativeStatus; parent?: string; description?: string; targetDate?: string }): InitiativeRecord {
    const at = this.stamp();
    const parentId = spec.parent === undefined ? null : this.requireInitiative(spec.parent).id;
    const initiative: InitiativeRecord = {
      id: randomUUID(), name: spec.name, status: spec.status ?? 'Active', parentId, createdAt: at, updatedAt: at,
      ...(spec.description === undefined ? {} : { description: spec.description }),
      ...(spec.targetDate === undefined ? {} : { targetDate: spec.targetDate }),
    };
    this.initiatives.set(initiative.id, initiative);
    return initiative;
  }

  createCustomer(spec: { name: string; revenue?: number | null; tier?: string | null }): CustomerRecord {
    const customer: CustomerRecord = { id: randomUUID(), name: spec.name, revenue: spec.revenue ?? null, tier: spec.tier ?? null };
    this.customers.set(customer.id, customer);
    return customer;
  }

  /** A customer request on an issue (its project denormalised, as Linear does) or on a project alone. */
  createCustomerNeed(spec: { customer: string; issue?: string; project?: string; priority?: number }): CustomerNeedRecord {
    const customer = [...this.customers.values()].find((c) => c.id === spec.customer || c.name === spec.customer);
    if (!customer) throw new Error(`no customer ${spec.customer}`);
    const issue = spec.issue === undefined ? null : this.requireIssue(spec.issue);
    const projectId = issue ? issue.projectId : spec.project === undefined ? null : this.requireProject(spec.project).id;
    if (!issue && projectId === null) throw new Error('a customer need is on an issue or a project');
    const need: CustomerNeedRecord = { id: randomUUID(), customerId: customer.id, issueId: issue?.id ?? null, projectId, priority: spec.priority ?? 0, createdAt: this.stamp() };
    this.customerNeeds.set(need.id, need);
    return need;
  }

  /** The requests on an issue, or on a project (its issues' requests included, as Linear lists them). */
  needsOf(where: { issueId?: string; projectId?: string }): CustomerNeedRecord[] {
    return [...this.customerNeeds.values()].filter((n) => (where.issueId !== undefined ? n.issueId === where.issueId : n.projectId === where.projectId));
  }

  /** A project or initiative update's health, as its latest update reports it. */
  reportHealth(kind: 'project' | 'initiative', ref: string, health: UpdateHealth | null): void {
    const row = kind === 'project' ? this.requireProject(ref) : this.requireInitiative(ref);
    row.health = health;
  }

  /** `teams`: keys or ids; default every team there is now. */
  createProject(spec: { name: string; status?: ProjectStatusType; initiatives?: string[]; teams?: string[] }): ProjectRecord {
    const at = this.stamp();
    const project: ProjectRecord = {
      id: randomUUID(), name: spec.name, statusType: spec.status ?? 'started',
      initiativeIds: (spec.initiatives ?? []).map((ref) => this.requireInitiative(ref).id),
      teamIds: spec.teams ? spec.teams.map((ref) => this.requireTeam(ref).id) : [...this.teams.keys()],
      createdAt: at, updatedAt: at,
    };
    this.projects.set(project.id, project);
    return project;
  }

  createIssue(spec: IssueSpec): IssueRecord {
    const team = this.requireTeam(spec.team);
    const at = spec.createdAt ?? this.stamp();
    const issue: IssueRecord = {
      id: randomUUID(), teamId: team.id, number: team.nextNumber++, title: spec.title,
      description: spec.description ?? null, stateId: this.requireState(team.id, spec.state ?? 'unstarted').id,
      parentId: spec.parent === undefined ? null : this.requireIssue(spec.parent).id,
      projectId: spec.project === undefined ? null : this.requireProject(spec.project).id,
      labelIds: (spec.labels ?? []).map((name) => this.labelNamed(name, team.id).id),
      estimate: spec.estimate ?? null, priority: spec.priority ?? 0,
      creatorId: spec.actorId ?? this.person.id, createdAt: at, updatedAt: at, completedAt: null, canceledAt: null,
      sortOrder: spec.sortOrder ?? this.issues.size * 1000,
    };
    this.stampDone(issue, spec.doneAt ?? at);
    this.issues.set(issue.id, issue);
    this.emit({ type: 'Issue', action: 'create', record: issue, actorId: issue.creatorId });
    return issue;
  }

  /** Apply a patch; emits an update carrying only the keys that really changed. */
  updateIssue(ref: string, patch: IssuePatch, actorId = this.person.id): IssueRecord {
    const issue = this.requireIssue(ref);
    const updatedFrom = applyPatch(issue, patch);
    if (updatedFrom === null) return issue;
    updatedFrom.updatedAt = issue.updatedAt;
    issue.updatedAt = this.stamp();
    if ('stateId' in updatedFrom) Object.assign(updatedFrom, this.stampDone(issue, issue.updatedAt));
    if (Array.isArray(updatedFrom.labelIds)) this.recordLabelChange(issue, updatedFrom.labelIds as string[], actorId);
    this.emit({ type: 'Issue', action: 'update', record: issue, updatedFrom, actorId });
    return issue;
  }

  /**
   * As Linear does: entering a completed (canceled) state sets completedAt
   * (canceledAt), leaving it clears it. Returns the old values that changed.
   */
  private stampDone(issue: IssueRecord, at: string): Record<string, unknown> {
    const type = this.stateOf(issue).type;
    const next = { completedAt: type === 'completed' ? (issue.completedAt ?? at) : null, canceledAt: type === 'canceled' ? (issue.canceledAt ?? at) : null };
    const old: Record<string, unknown> = {};
    for (const key of ['completedAt', 'canceledAt'] as const) {
      if (issue[key] !== next[key]) old[key] = issue[key];
      issue[key] = next[key];
    }
    return old;
  }

  private recordLabelChange(issue: IssueRecord, before: string[], actorId: string): void {
    const entry: HistoryRecord = {
      id: randomUUID(), issueId: issue.id, createdAt: issue.updatedAt, actorId,
      addedLabelIds: issue.labelIds.filter((id) => !before.includes(id)),
      removedLabelIds: before.filter((id) => !issue.labelIds.includes(id)),
    };
    this.history.set(issue.id, [entry, ...(this.history.get(issue.id) ?? [])]);
  }

  /** A person sets the issue's labels by name (missing ones become workspace labels). */
  setIssueLabels(ref: string, names: string[], actorId = this.person.id): IssueRecord {
    const issue = this.requireIssue(ref);
    return this.updateIssue(issue.id, { labelIds: names.map((name) => this.labelNamed(name, issue.teamId).id) }, actorId);
  }

  removeIssue(ref: string, actorId = this.person.id): void {
    const issue = this.requireIssue(ref);
    this.issues.delete(issue.id);
    this.emit({ type: 'Issue', action: 'remove', record: issue, actorId });
  }

  /** `createdAt`: when it was written, for a delivery that arrives late (default now). */
  createComment(spec: { issue: string; body: string; userId?: string; id?: string; createdAt?: string }): CommentRecord {
    const at = spec.createdAt ?? this.stamp();
    const comment: CommentRecord = {
      id: spec.id ?? randomUUID(), issueId: this.requireIssue(spec.issue).id, userId: spec.userId ?? this.person.id,
      body: spec.body, createdAt: at, updatedAt: at,
    };
    this.comments.set(comment.id, comment);
    this.emit({ type: 'Comment', action: 'create', record: comment, actorId: comment.userId });
    return comment;
  }

  updateComment(id: string, body: string, actorId = this.person.id): CommentRecord {
    const comment = this.require(this.comments, id, 'Comment');
    if (comment.body === body) return comment;
    const updatedFrom = { body: comment.body, updatedAt: comment.updatedAt };
    comment.body = body;
    comment.updatedAt = this.stamp();
    this.emit({ type: 'Comment', action: 'update', record: comment, updatedFrom, actorId });
    return comment;
  }

  deleteComment(id: string, actorId = this.person.id): void {
    const comment = this.require(this.comments, id, 'Comment');
    this.comments.delete(id);
    this.emit({ type: 'Comment', action: 'remove', record: comment, actorId });
  }

  updateProject(ref: string, patch: { name?: string; status?: ProjectStatusType; initiatives?: string[] }, actorId = this.person.id): ProjectRecord {
    const project = this.requireProject(ref);
    const next: Partial<ProjectRecord> = {};
    if (patch.name !== undefined) next.name = patch.name;
    if (patch.status !== undefined) next.statusType = patch.status;
    if (patch.initiatives !== undefined) next.initiativeIds = patch.initiatives.map((r) => this.requireInitiative(r).id);
    const updatedFrom = applyPatch(project, next);
    if (updatedFrom === null) return project;
    updatedFrom.updatedAt = project.updatedAt;
    project.updatedAt = this.stamp();
    this.emit({ type: 'Project', action: 'update', record: project, updatedFrom, actorId });
    return project;
  }

  updateInitiative(ref: string, patch: { name?: string; status?: InitiativeStatus; parent?: string | null }, actorId = this.person.id): InitiativeRecord {
    const initiative = this.requireInitiative(ref);
    const next: Partial<InitiativeRecord> = {};
    if (patch.name !== undefined) next.name = patch.name;
    if (patch.status !== undefined) next.status = patch.status;
    if (patch.parent !== undefined) next.parentId = patch.parent === null ? null : this.requireInitiative(patch.parent).id;
    const updatedFrom = applyPatch(initiative, next);
    if (updatedFrom === null) return initiative;
    updatedFrom.updatedAt = initiative.updatedAt;
    initiative.updatedAt = this.stamp();
    this.emit({ type: 'Initiative', action: 'update', record: initiative, updatedFrom, actorId });
    return initiative;
  }

  // Lookups. Issue refs take a UUID or an identifier, as Linear's `issue(id:)` does.
  findIssue(ref: string): IssueRecord | undefined {
    const byId = this.issues.get(ref);
    if (byId) return byId;
    const match = /^([A-Za-z0-9]+)-(\d+)$/.exec(ref);
    if (!match) return undefined;
    const team = this.findTeam(match[1]!.toUpperCase());
    const number = Number(match[2]);
    return team && [...this.issues.values()].find((i) => i.teamId === team.id && i.number === number);
  }

  identifierOf(issue: IssueRecord): string {
    return `${this.require(this.teams, issue.teamId, 'Team').key}-${issue.number}`;
  }

  labelNamesOf(ref: string): string[] {
    return this.requireIssue(ref).labelIds.map((id) => this.labels.get(id)?.name ?? id);
  }

  commentsOn(ref: string): CommentRecord[] {
    const issue = this.requireIssue(ref);
    return [...this.comments.values()].filter((c) => c.issueId === issue.id);
  }

  findTeam(ref: string): TeamRecord | undefined {
    return this.teams.get(ref) ?? [...this.teams.values()].find((t) => t.key === ref);
  }

  /** A workspace or team label with this name (case-insensitive), created as a workspace label if missing. */
  labelNamed(name: string, teamId?: string): LabelRecord {
    const wanted = name.toLowerCase();
    const found = [...this.labels.values()].find(
      (l) => l.name.toLowerCase() === wanted && (l.teamId === null || l.teamId === teamId),
    );
    return found ?? this.createLabel({ name });
  }

  stateOf(issue: IssueRecord): StateRecord {
    return this.require(this.states, issue.stateId, 'WorkflowState');
  }

  requireState(teamId: string, typeOrName: string): StateRecord {
    const states = [...this.states.values()].filter((s) => s.teamId === teamId);
    const state = states.find((s) => s.type === typeOrName) ?? states.find((s) => s.name === typeOrName) ?? this.states.get(typeOrName);
    if (!state) throw new Error(`No workflow state "${typeOrName}" in team ${teamId}`);
    return state;
  }

  requireIssue(ref: string): IssueRecord {
    const issue = this.findIssue(ref);
    if (!issue) throw new Error(`No issue "${ref}" in the Linear sandbox`);
    return issue;
  }

  requireTeam(ref: string): TeamRecord {
    const team = this.findTeam(ref);
    if (!team) throw new Error(`No team "${ref}" in the Linear sandbox`);
    return team;
  }

  requireProject(ref: string): ProjectRecord {
    return this.projects.get(ref) ?? this.byName(this.projects, ref, 'Project');
  }

  requireInitiative(ref: string): InitiativeRecord {
    return this.initiatives.get(ref) ?? this.byName(this.initiatives, ref, 'Initiative');
  }

  private byName<T extends { name: string }>(rows: Map<string, T>, name: string, kind: string): T {
    const row = [...rows.values()].find((r) => r.name === name);
    if (!row) throw new Error(`No ${kind} "${name}" in the Linear sandbox`);
    return row;
  }

  private require<T>(rows: Map<string, T>, id: string, kind: string): T {
    const row = rows.get(id);
    if (!row) throw new Error(`No ${kind} "${id}" in the Linear sandbox`);
    return row;
  }
}

/** Copy changed keys onto the row; returns the old values, or null when nothing changed. */
function applyPatch<T extends object>(row: T, patch: Partial<T>): Record<string, unknown> | null {
  const old: Record<string, unknown> = {};
  for (const key of Object.keys(patch) as Array<keyof T>) {
    const value = patch[key];
    if (value === undefined || JSON.stringify(row[key]) === JSON.stringify(value)) continue;
    old[key as string] = row[key];
    row[key] = value as T[keyof T];
  }
  return Object.keys(old).length === 0 ? null : old;
}
