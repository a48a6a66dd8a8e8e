// Linear's webhook envelope and `data` shapes (TRACKERS.md §1, @linear/sdk's
// *WebhookPayload types), built from the sandbox's rows.
import { randomUUID } from 'node:crypto';
import type { LinearStore } from './store.js';
import type {
  CommentRecord, InitiativeRecord, IssueRecord, ProjectRecord, StoreChange, UserRecord,
} from './records.js';
import { initiativeUrl, issueUrl, projectUrl } from './urls.js';

export interface LinearWebhookEnvelope {
  action: 'create' | 'update' | 'remove';
  actor: { id: string; name: string; email: string; type: 'user'; url: string };
  createdAt: string;
  data: Record<string, unknown>;
  organizationId: string;
  type: StoreChange['type'];
  updatedFrom?: Record<string, unknown>;
  url: string;
  webhookId: string;
  webhookTimestamp: number;
}

export function issueData(store: LinearStore, issue: IssueRecord): Record<string, unknown> {
  const team = store.requireTeam(issue.teamId);
  const state = store.stateOf(issue);
  const project = issue.projectId === null ? undefined : store.projects.get(issue.projectId);
  return {
    id: issue.id, createdAt: issue.createdAt, updatedAt: issue.updatedAt, archivedAt: null,
    number: issue.number, title: issue.title, description: issue.description, priority: issue.priority,
    estimate: issue.estimate, identifier: store.identifierOf(issue), url: issueUrl(store, issue),
    teamId: team.id, team: { id: team.id, key: team.key, name: team.name },
    stateId: state.id, state: { id: state.id, name: state.name, type: state.type, color: '#95a2b3' },
    parentId: issue.parentId, projectId: issue.projectId,
    project: project ? { id: project.id, name: project.name, url: projectUrl(store, project) } : null,
    labelIds: issue.labelIds,
    labels: issue.labelIds.flatMap((id) => {
      const label = store.labels.get(id);
      return label ? [{ id: label.id, name: label.name, color: label.color, parentId: null }] : [];
    }),
    creatorId: issue.creatorId, assigneeId: null, subscriberIds: [issue.creatorId], botActor: null,
  };
}

export function commentData(store: LinearStore, comment: CommentRecord): Record<string, unknown> {
  const issue = store.issues.get(comment.issueId);
  const user = store.users.get(comment.userId);
  return {
    id: comment.id, createdAt: comment.createdAt, updatedAt: comment.updatedAt, body: comment.body,
    issueId: comment.issueId, parentId: null, userId: comment.userId, botActor: botActorOf(user),
    issue: issue
      ? { id: issue.id, identifier: store.identifierOf(issue), title: issue.title, teamId: issue.teamId, url: issueUrl(store, issue) }
      : undefined,
    user: user ? { id: user.id, name: user.name, email: user.email } : undefined,
  };
}

/** An OAuth app's user (actor=app) writes as the app: Linear names it in botActor. */
export function botActorOf(user: UserRecord | undefined): Record<string, unknown> | null {
  return user?.oauthClientId ? { id: user.oauthClientId, name: user.name, type: 'oauthClient', subType: null } : null;
}

export function projectData(store: LinearStore, project: ProjectRecord): Record<string, unknown> {
  return {
    id: project.id, name: project.name, url: projectUrl(store, project), createdAt: project.createdAt,
    updatedAt: project.updatedAt, statusId: `${project.id}-status`,
    status: { id: `${project.id}-status`, name: project.statusType, type: project.statusType },
    initiatives: project.initiativeIds.flatMap((id) => {
      const initiative = store.initiatives.get(id);
      return initiative ? [{ id, name: initiative.name, url: initiativeUrl(store, initiative) }] : [];
    }),
  };
}

export function initiativeData(store: LinearStore, initiative: InitiativeRecord): Record<string, unknown> {
  const parent = initiative.parentId === null ? undefined : store.initiatives.get(initiative.parentId);
  return {
    id: initiative.id, name: initiative.name, url: initiativeUrl(store, initiative), status: initiative.status,
    createdAt: initiative.createdAt, updatedAt: initiative.updatedAt,
    parentInitiative: parent ? { id: parent.id, name: parent.name, url: initiativeUrl(store, parent) } : null,
    projects: [...store.projects.values()]
      .filter((p) => p.initiativeIds.includes(initiative.id))
      .map((p) => ({ id: p.id, name: p.name, url: projectUrl(store, p) })),
  };
}

/** The envelope Linear would send for this change. */
export function envelopeFor(
  store: LinearStore,
  change: StoreChange,
  options: { webhookId: string; now?: () => number },
): LinearWebhookEnvelope {
  const now = options.now?.() ?? Date.now();
  const actor = store.users.get(change.actorId) ?? store.person;
  const data =
    change.type === 'Issue' ? issueData(store, change.record as IssueRecord)
    : change.type === 'Comment' ? commentData(store, change.record as CommentRecord)
    : change.type === 'Project' ? projectData(store, change.record as ProjectRecord)
    : initiativeData(store, change.record as InitiativeRecord);
  return {
    action: change.action,
    actor: {
      id: actor.id, name: actor.name, email: actor.email, type: 'user',
      url: `https://linear.app/${store.organization.urlKey}/profiles/${actor.id.slice(0, 8)}`,
    },
    createdAt: new Date(now).toISOString(),
    data,
    organizationId: store.organization.id,
    type: change.type,
    ...(change.updatedFrom ? { updatedFrom: change.updatedFrom } : {}),
    url: typeof data.url === 'string' ? data.url : `https://linear.app/${store.organization.urlKey}`,
    webhookId: options.webhookId,
    webhookTimestamp: now,
  };
}

/** A fresh webhook id, as Linear assigns one per configured webhook. */
export function newWebhookId(): string {
  return randomUUID();
}
