// The sandbox's in-memory Jira site. Every change goes through here, whether a
// REST call or a test helper made it, so webhooks fire the same way for both.
import { adfFromText } from './adf.js';
import { issueChangeItems, labelProblem } from './store-rules.js';
import {
  JiraSandboxError,
  type AdfNode,
  type ChangelogEntry,
  type SandboxComment,
  type SandboxIssue,
  type SandboxIssueType,
  type SandboxProject,
  type SandboxStatus,
  type SandboxUser,
  type StoreChange,
} from './types.js';

export interface CreateIssueInput {
  /** Project key. */
  project: string;
  /** Issue type name (Story, Epic, Sub-task, Initiative…). */
  type: string;
  summary: string;
  description?: string | AdfNode | null;
  labels?: string[];
  /** Key or id of the parent issue. */
  parent?: string | null;
  /** Status name; default "To Do". */
  status?: string;
  /** The issue number (ENT-<number>); default the project's next. */
  number?: number;
  createdAt?: Date | number;
  /** Values of number custom fields defined with defineNumberField. */
  customFields?: Record<string, number | null>;
  /** For an issue created in a Done status: its resolution date (default its creation). */
  resolvedAt?: Date | number;
  estimate?: number | null;
  /** Account id of the reporter (and of the webhook's `user`); default the site admin. */
  actor?: string;
}

export interface IssueChanges {
  summary?: string;
  description?: string | AdfNode | null;
  /** Replaces the whole set, as `fields.labels` does. */
  labels?: string[];
  addLabels?: string[];
  removeLabels?: string[];
  parent?: string | null;
  status?: string;
  type?: string;
  estimate?: number | null;
}

const ISSUE_NOT_FOUND = 'Issue does not exist or you do not have permission to see it.';

export class JiraStore {
  readonly projects = new Map<string, SandboxProject>();
  readonly issueTypes = new Map<string, SandboxIssueType>();
  readonly statuses = new Map<string, SandboxStatus>();
  readonly users = new Map<string, SandboxUser>();
  private readonly issues = new Map<string, SandboxIssue>();
  private readonly keys = new Map<string, string>();
  private readonly commentsByIssue = new Map<string, SandboxComment[]>();
  private readonly counters = new Map<string, number>();
  /** Number custom fields the site has, by id (customfield_NNNNN); JQL knows them as cf[NNNNN]. */
  readonly numberFields = new Set<string>();
  private readonly listeners: Array<(change: StoreChange) => void> = [];
  /** Each issue's changelog, oldest first, as GET /rest/api/3/issue/{key}/changelog pages it. */
  private readonly changelogs = new Map<string, ChangelogEntry[]>();
  private muted = 0;
  private nextId = 10000;
  /** Projects whose permission scheme grants Edit Issues to listed accounts only (others: every account). */
  private readonly editors = new Map<string, Set<string>>();
  /** A person with site-admin rights: the default actor of helper-made changes. */
  readonly admin: SandboxUser;

  constructor(readonly now: () => number = Date.now) {
    for (const [name, level] of [['Initiative', 2], ['Epic', 1], ['Story', 0], ['Task', 0], ['Bug', 0], ['Sub-task', -1]] as const) {
      this.createIssueType({ name, hierarchyLevel: level });
    }
    for (const [id, name, category] of [['10000', 'To Do', 'new'], ['3', 'In Progress', 'indeterminate'], ['10001', 'Done', 'done']] as const) {
      this.statuses.set(id, { id, name, category });
    }
    this.admin = this.createUser({ accountId: '557058:sandbox-admin', displayName: 'Site Admin', email: 'admin@example.com' });
  }

  onChange(listener: (change: StoreChange) => void): void {
    this.listeners.push(listener);
  }

  createProject(input: { key: string; name: string }): SandboxProject {
    const project = { id: this.newId(), key: input.key.toUpperCase(), name: input.name };
    this.projects.set(project.key, project);
    return project;
  }

  createIssueType(input: { name: string; hierarchyLevel: number }): SandboxIssueType {
    const type = { id: this.newId(), name: input.name, hierarchyLevel: input.hierarchyLevel };
    this.issueTypes.set(type.id, type);
    return type;
  }

  createUser(input: Omit<SandboxUser, 'accountId' | 'accountType'> & Partial<SandboxUser>): SandboxUser {
    const user: SandboxUser = { accountType: 'atlassian', accountId: `712020:${this.newId()}`, ...input };
    this.users.set(user.accountId, user);
    return user;
  }

  /** The project's Edit Issues grant: only these accounts, or everyone again with null. */
  setEditors(projectKey: string, accountIds: string[] | null): void {
    const project = this.project(projectKey);
    if (!project) throw new Error(`no project ${projectKey}`);
    if (accountIds === null) this.editors.delete(project.id);
    else this.editors.set(project.id, new Set(accountIds));
  }

  /** Whether the account has EDIT_ISSUES on the issue, as its project's permission scheme grants it. */
  mayEdit(accountId: string, issue: SandboxIssue): boolean {
    if (!this.users.has(accountId)) return false;
    const only = this.editors.get(issue.projectId);
    return only === undefined || only.has(accountId);
  }

  project(keyOrIdOrName: string): SandboxProject | undefined {
    const wanted = keyOrIdOrName.toLowerCase();
    return [...this.projects.values()].find((p) => [p.key, p.id, p.name].some((v) => v.toLowerCase() === wanted));
  }

  issueType(nameOrId: string): SandboxIssueType | undefined {
    const wanted = nameOrId.toLowerCase();
    return [...this.issueTypes.values()].find((t) => t.id === nameOrId || t.name.toLowerCase() === wanted);
  }

  status(nameOrId: string): SandboxStatus | undefined {
    const wanted = nameOrId.toLowerCase();
    return [...this.statuses.values()].find((s) => s.id === nameOrId || s.name.toLowerCase() === wanted);
  }

  /** The issue with this key or numeric id, or undefined. */
  issue(idOrKey: string): SandboxIssue | undefined {
    return this.issues.get(idOrKey) ?? this.issues.get(this.keys.get(idOrKey.toUpperCase()) ?? '');
  }

  requireIssue(idOrKey: string): SandboxIssue {
    const issue = this.issue(idOrKey);
    if (!issue) throw new JiraSandboxError(404, [ISSUE_NOT_FOUND]);
    return issue;
  }

  allIssues(): SandboxIssue[] {
    return [...this.issues.values()];
  }

  children(idOrKey: string): SandboxIssue[] {
    const parent = this.requireIssue(idOrKey);
    return this.allIssues().filter((i) => i.parentId === parent.id);
  }

  projectOf(issue: SandboxIssue): SandboxProject {
    return [...this.projects.values()].find((p) => p.id === issue.projectId) as SandboxProject;
  }

  typeOf(issue: SandboxIssue): SandboxIssueType {
    return this.issueTypes.get(issue.issueTypeId) as SandboxIssueType;
  }

  statusOf(issue: SandboxIssue): SandboxStatus {
    return this.statuses.get(issue.statusId) as SandboxStatus;
  }

  parentOf(issue: SandboxIssue): SandboxIssue | undefined {
    return issue.parentId === null ? undefined : this.issues.get(issue.parentId);
  }

  labels(idOrKey: string): string[] {
    return [...this.requireIssue(idOrKey).labels];
  }

  comments(idOrKey: string): SandboxComment[] {
    return [...(this.commentsByIssue.get(this.requireIssue(idOrKey).id) ?? [])];
  }

  createIssue(input: CreateIssueInput): SandboxIssue {
    const project = this.project(input.project);
    if (!project) throw new JiraSandboxError(400, [], { project: 'valid project is required' });
    const type = this.issueType(input.type);
    if (!type) throw new JiraSandboxError(400, [], { issuetype: 'Specify a valid issue type' });
    const status = this.status(input.status ?? 'To Do');
    if (!status) throw new JiraSandboxError(400, [], { status: `Unknown status '${input.status}'` });
    const labels = input.labels ?? [];
    this.checkLabels(labels);
    const number = input.number ?? (this.counters.get(project.key) ?? 0) + 1;
    this.counters.set(project.key, Math.max(number, this.counters.get(project.key) ?? 0));
    const key = `${project.key}-${number}`;
    if (this.keys.has(key)) throw new JiraSandboxError(400, [`Issue ${key} already exists`]);
    const created = input.createdAt === undefined ? this.now() : Number(input.createdAt);
    const issue: SandboxIssue = {
      id: this.newId(),
      key,
      projectId: project.id,
      issueTypeId: type.id,
      statusId: status.id,
      summary: input.summary,
      description: toAdf(input.description),
      labels: [...new Set(labels)],
      parentId: null,
      reporterId: input.actor ?? this.admin.accountId,
      estimate: input.estimate ?? null,
      created,
      updated: created,
      resolved: status.category === 'done' ? (input.resolvedAt === undefined ? created : Number(input.resolvedAt)) : null,
      ...(input.customFields ? { customFields: this.checkedNumberFields(input.customFields) } : {}),
    };
    if (input.parent) issue.parentId = this.checkedParent(issue, type, input.parent).id;
    this.issues.set(issue.id, issue);
    this.keys.set(key, issue.id);
    this.emit({ kind: 'issue_created', issue, actorId: issue.reporterId });
    return issue;
  }

  /** A number custom field, as a site admin adds one (e.g. "Customer requests"). */
  defineNumberField(id: string): void {
    if (!/^customfield_\d+$/.test(id)) throw new Error(`not a custom field id: ${id}`);
    this.numberFields.add(id);
  }

  /** A person sets number custom fields on an issue (no webhook: the sandbox's field edits are for seeding). */
  setNumberFields(idOrKey: string, values: Record<string, number | null>): void {
    const issue = this.requireIssue(idOrKey);
    issue.customFields = { ...issue.customFields, ...this.checkedNumberFields(values) };
  }

  private checkedNumberFields(values: Record<string, number | null>): Record<string, number | null> {
    for (const id of Object.keys(values)) if (!this.numberFields.has(id)) throw new JiraSandboxError(400, [], { [id]: `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.` });
    return { ...values };
  }

  updateIssue(idOrKey: string, changes: IssueChanges, actorId: string = this.admin.accountId): SandboxIssue {
    const issue = this.requireIssue(idOrKey);
    const before = { ...issue, labels: [...issue.labels] };
    let labels = changes.labels ? [...changes.labels] : [...issue.labels];
    for (const label of changes.addLabels ?? []) if (!labels.includes(label)) labels.push(label);
    labels = labels.filter((l) => !(changes.removeLabels ?? []).includes(l));
    this.checkLabels(labels);
    const type = changes.type === undefined ? this.typeOf(issue) : this.issueType(changes.type);
    if (!type) throw new JiraSandboxError(400, [], { issuetype: 'Specify a valid issue type' });
    const status = changes.status === undefined ? this.statusOf(issue) : this.status(changes.status);
    if (!status) throw new JiraSandboxError(400, [], { status: `Unknown status '${changes.status}'` });
    let parentId = issue.parentId;
    if (changes.parent === null) parentId = null;
    else if (changes.parent !== undefined) parentId = this.checkedParent(issue, type, changes.parent).id;
    Object.assign(issue, {
      labels,
      parentId,
      issueTypeId: type.id,
      statusId: status.id,
      summary: changes.summary ?? issue.summary,
      description: changes.description === undefined ? issue.description : toAdf(changes.description),
      estimate: changes.estimate === undefined ? issue.estimate : changes.estimate,
    });
    const items = issueChangeItems(this, before, issue);
    if (items.length === 0) return issue;
    issue.updated = this.now();
    // Jira sets the resolution date on the way into Done and clears it on the way out.
    if (status.category === 'done') issue.resolved ??= issue.updated;
    else issue.resolved = null;
    const log = this.changelogs.get(issue.id) ?? [];
    log.push({ id: this.newId(), authorId: actorId, created: issue.updated, items });
    this.changelogs.set(issue.id, log);
    // Jira names a workflow transition `issue_generic` and a field edit `issue_updated`.
    const eventTypeName = items.some((i) => i.field === 'status') ? 'issue_generic' : 'issue_updated';
    this.emit({ kind: 'issue_updated', issue, actorId, items, eventTypeName });
    return issue;
  }

  deleteIssue(idOrKey: string, actorId: string = this.admin.accountId): void {
    const issue = this.requireIssue(idOrKey);
    for (const child of this.children(issue.id)) child.parentId = null;
    this.issues.delete(issue.id);
    this.keys.delete(issue.key);
    this.commentsByIssue.delete(issue.id);
    this.emit({ kind: 'issue_deleted', issue, actorId });
  }

  addComment(
    idOrKey: string,
    body: AdfNode | string,
    authorId: string = this.admin.accountId,
    created?: Date | number,
    properties?: Record<string, unknown>,
    visibility?: SandboxComment['visibility'],
  ): SandboxComment {
    const issue = this.requireIssue(idOrKey);
    const at = created === undefined ? this.now() : Number(created);
    const comment: SandboxComment = { id: this.newId(), issueId: issue.id, authorId, updateAuthorId: authorId, body, created: at, updated: at };
    if (properties) comment.properties = { ...properties };
    if (visibility) comment.visibility = { ...visibility };
    const list = this.commentsByIssue.get(issue.id) ?? [];
    list.push(comment);
    this.commentsByIssue.set(issue.id, list);
    this.emit({ kind: 'comment_created', issue, comment, actorId: authorId });
    return comment;
  }

  /** Properties given with an edit are set (Jira keeps the others); a property alone is no edit of the text. */
  updateComment(
    idOrKey: string,
    commentId: string,
    body: AdfNode | string,
    actorId: string = this.admin.accountId,
    properties?: Record<string, unknown>,
  ): SandboxComment {
    const issue = this.requireIssue(idOrKey);
    const comment = this.requireComment(issue, commentId);
    Object.assign(comment, { body, updateAuthorId: actorId, updated: this.now() });
    if (properties) comment.properties = { ...comment.properties, ...properties };
    this.emit({ kind: 'comment_updated', issue, comment, actorId });
    return comment;
  }

  deleteComment(idOrKey: string, commentId: string, actorId: string = this.admin.accountId): void {
    const issue = this.requireIssue(idOrKey);
    const comment = this.requireComment(issue, commentId);
    const list = this.commentsByIssue.get(issue.id) ?? [];
    this.commentsByIssue.set(issue.id, list.filter((c) => c !== comment));
    this.emit({ kind: 'comment_deleted', issue, comment, actorId });
  }

  /** A comment by its id alone, as /rest/api/3/comment/… addresses it; null when there is none. */
  commentById(commentId: string): { issue: SandboxIssue; comment: SandboxComment } | null {
    for (const [issueId, list] of this.commentsByIssue) {
      const comment = list.find((c) => c.id === commentId);
      const issue = this.issues.get(issueId);
      if (comment && issue) return { issue, comment };
    }
    return null;
  }

  private requireComment(issue: SandboxIssue, commentId: string): SandboxComment {
    const comment = this.commentsByIssue.get(issue.id)?.find((c) => c.id === commentId);
    if (!comment) throw new JiraSandboxError(404, [`Can not find a comment for the id: ${commentId}.`]);
    return comment;
  }

  private checkedParent(issue: SandboxIssue, type: SandboxIssueType, parentRef: string): SandboxIssue {
    const parent = this.issue(parentRef);
    if (!parent) throw new JiraSandboxError(400, [], { parent: `Could not find issue by id or key '${parentRef}'.` });
    // The unified parent field joins adjacent hierarchy levels only; a loop is impossible then.
    if (this.typeOf(parent).hierarchyLevel !== type.hierarchyLevel + 1 || parent.id === issue.id) {
      throw new JiraSandboxError(400, [], { parent: 'Given parent work item does not belong to appropriate hierarchy.' });
    }
    return parent;
  }

  private checkLabels(labels: string[]): void {
    for (const label of labels) {
      const problem = labelProblem(label);
      if (problem) throw new JiraSandboxError(400, [], { labels: problem });
    }
  }

  private emit(change: StoreChange): void {
    if (this.muted > 0) return;
    for (const listener of this.listeners) listener(change);
  }

  /** Changes made inside `change` send no webhook, as when a delivery is lost; the changelog still records them. */
  withoutWebhooks<T>(change: () => T): T {
    this.muted += 1;
    try {
      return change();
    } finally {
      this.muted -= 1;
    }
  }

  /** The issue's changelog, oldest first. */
  changelog(idOrKey: string): ChangelogEntry[] {
    return [...(this.changelogs.get(this.requireIssue(idOrKey).id) ?? [])];
  }

  private newId(): string {
    return String(this.nextId++);
  }
}

function toAdf(description: string | AdfNode | null | undefined): AdfNode | null {
  if (description === undefined || description === null || description === '') return null;
  return typeof description === 'string' ? adfFromText(description) : description;
}
