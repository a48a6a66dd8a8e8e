// GraphQL views of the rows. graphql-js's default resolver reads a property,
// or calls it with (args, context) when it is a function: so a view is a plain
// object whose relations are functions, resolved only when a document asks.
import type { FilterContext } from './filters.js';
import { ancestorsOf, matchComment, matchIssue, matchUser } from './filters.js';
import { paginate, type PageArgs } from './connection.js';
import { issueUrl, initiativeUrl, projectUrl } from './urls.js';
import type {
  CommentRecord, CustomerNeedRecord, HistoryRecord, InitiativeRecord, IssueRecord, LabelRecord, ProjectRecord, StateRecord, TeamRecord, UserRecord,
} from './records.js';

type Args = PageArgs & { filter?: Record<string, unknown>; includeSubInitiatives?: boolean | null };

export function teamView(team: TeamRecord) {
  return {
    id: team.id, key: team.key, name: team.name,
    members: (args: Args, ctx: FilterContext) => {
      const rows = [...team.memberIds].flatMap((id) => ctx.store.users.get(id) ?? []).filter((u) => matchUser(ctx, args.filter, u));
      return paginate(rows, args, (u) => userView(ctx, u));
    },
  };
}

export function userView(ctx: FilterContext, user: UserRecord) {
  return {
    id: user.id, name: user.name, displayName: user.name.split(' ')[0], email: user.email, app: user.app,
    guest: user.guest, isMe: user.id === ctx.viewerId,
  };
}

export function stateView(ctx: FilterContext, state: StateRecord) {
  return { id: state.id, name: state.name, type: state.type, team: () => teamView(ctx.store.requireTeam(state.teamId)) };
}

export function labelView(ctx: FilterContext, label: LabelRecord) {
  const team = label.teamId === null ? undefined : ctx.store.teams.get(label.teamId);
  return {
    id: label.id, name: label.name, color: label.color, isGroup: false, createdAt: label.createdAt,
    team: () => (team ? teamView(team) : null),
  };
}

export function initiativeView(ctx: FilterContext, initiative: InitiativeRecord) {
  const { store } = ctx;
  return {
    id: initiative.id, name: initiative.name, url: initiativeUrl(store, initiative), status: initiative.status,
    createdAt: initiative.createdAt, updatedAt: initiative.updatedAt, health: initiative.health ?? null,
    description: initiative.description ?? null, targetDate: initiative.targetDate ?? null,
    parentInitiative: () => {
      const parent = initiative.parentId === null ? undefined : store.initiatives.get(initiative.parentId);
      return parent ? initiativeView(ctx, parent) : null;
    },
    subInitiatives: (args: Args) =>
      paginate([...store.initiatives.values()].filter((i) => i.parentId === initiative.id), args, (i) => initiativeView(ctx, i)),
    projects: (args: Args) => {
      // includeSubInitiatives: Linear's way to list the projects of a whole initiative tree.
      const inTree = (i: InitiativeRecord) =>
        i.id === initiative.id || (args.includeSubInitiatives === true && ancestorsOf(ctx, i).some((a) => a.id === initiative.id));
      const ids = new Set([...store.initiatives.values()].filter(inTree).map((i) => i.id));
      const projects = [...store.projects.values()].filter((p) => p.initiativeIds.some((id) => ids.has(id)));
      return paginate(projects, args, (p) => projectView(ctx, p));
    },
  };
}

export function projectView(ctx: FilterContext, project: ProjectRecord) {
  const { store } = ctx;
  return {
    id: project.id, name: project.name, url: projectUrl(store, project),
    status: { id: `${project.id}-status`, name: project.statusType, type: project.statusType },
    createdAt: project.createdAt, updatedAt: project.updatedAt, health: project.health ?? null,
    needs: (args: Args) => paginate(store.needsOf({ projectId: project.id }), args, (n) => customerNeedView(ctx, n)),
    initiatives: (args: Args) =>
      paginate(project.initiativeIds.flatMap((id) => store.initiatives.get(id) ?? []), args, (i) => initiativeView(ctx, i)),
    issues: (args: Args) => issueConnection(ctx, (i) => i.projectId === project.id, args),
    teams: (args: Args) => paginate(project.teamIds.map((id) => store.requireTeam(id)), args, teamView),
  };
}

export function commentView(ctx: FilterContext, comment: CommentRecord) {
  const { store } = ctx;
  return {
    id: comment.id, body: comment.body, createdAt: comment.createdAt, updatedAt: comment.updatedAt,
    botActor: () => {
      const user = store.users.get(comment.userId);
      return user?.oauthClientId ? { id: user.oauthClientId, name: user.name, type: 'oauthClient' } : null;
    },
    user: () => {
      const user = store.users.get(comment.userId);
      return user ? userView(ctx, user) : null;
    },
    issue: () => {
      const issue = store.issues.get(comment.issueId);
      return issue ? issueView(ctx, issue) : null;
    },
  };
}

export function issueConnection(ctx: FilterContext, where: (issue: IssueRecord) => boolean, args: Args) {
  const rows = [...ctx.store.issues.values()].filter((i) => where(i) && matchIssue(ctx, args.filter, i));
  return paginate(rows, args, (i) => issueView(ctx, i));
}

export function issueView(ctx: FilterContext, issue: IssueRecord) {
  const { store } = ctx;
  return {
    id: issue.id, identifier: store.identifierOf(issue), number: issue.number, title: issue.title,
    description: issue.description, url: issueUrl(store, issue), createdAt: issue.createdAt,
    updatedAt: issue.updatedAt, completedAt: issue.completedAt, canceledAt: issue.canceledAt, sortOrder: issue.sortOrder, estimate: issue.estimate, priority: issue.priority, labelIds: issue.labelIds,
    team: () => teamView(store.requireTeam(issue.teamId)),
    state: () => stateView(ctx, store.stateOf(issue)),
    parent: () => {
      const parent = issue.parentId === null ? undefined : store.issues.get(issue.parentId);
      return parent ? issueView(ctx, parent) : null;
    },
    children: (args: Args) => issueConnection(ctx, (i) => i.parentId === issue.id, args),
    project: () => {
      const project = issue.projectId === null ? undefined : store.projects.get(issue.projectId);
      return project ? projectView(ctx, project) : null;
    },
    needs: (args: Args) => paginate(store.needsOf({ issueId: issue.id }), args, (n) => customerNeedView(ctx, n)),
    labels: (args: Args) =>
      paginate(issue.labelIds.flatMap((id) => store.labels.get(id) ?? []), args, (l) => labelView(ctx, l)),
    comments: (args: Args) => {
      const rows = [...store.comments.values()].filter((c) => c.issueId === issue.id && matchComment(ctx, args.filter, c));
      return paginate(rows, args, (c) => commentView(ctx, c));
    },
    // Newest first. The API key's user is a User (actor); an OAuth app's user is a botActor (historyView).
    history: (args: Args) => paginate(store.history.get(issue.id) ?? [], args, (h) => historyView(ctx, h)),
  };
}

export function customerNeedView(ctx: FilterContext, need: CustomerNeedRecord) {
  const { store } = ctx;
  const customer = need.customerId === null ? undefined : store.customers.get(need.customerId);
  return {
    id: need.id, priority: need.priority, createdAt: need.createdAt,
    customer: customer ? {
      id: customer.id, name: customer.name, revenue: customer.revenue,
      tier: customer.tier === null ? null : { id: `tier-${customer.tier}`, name: customer.tier, displayName: customer.tier, position: 0 },
    } : null,
    issue: () => {
      const issue = need.issueId === null ? undefined : store.issues.get(need.issueId);
      return issue ? issueView(ctx, issue) : null;
    },
    project: () => {
      const project = need.projectId === null ? undefined : store.projects.get(need.projectId);
      return project ? projectView(ctx, project) : null;
    },
  };
}

export function historyView(ctx: FilterContext, entry: HistoryRecord) {
  const { store } = ctx;
  const labels = (ids: string[]) => ids.flatMap((id) => store.labels.get(id) ?? []).map((l) => labelView(ctx, l));
  const actor = store.users.get(entry.actorId);
  // An OAuth app's change (actor=app) names the app as botActor and no user, as Linear's history does.
  if (actor?.oauthClientId) {
    return {
      id: entry.id, createdAt: entry.createdAt, actorId: null, actor: null,
      botActor: { id: actor.oauthClientId, name: actor.name, type: 'oauthClient' },
      addedLabelIds: entry.addedLabelIds, removedLabelIds: entry.removedLabelIds,
      addedLabels: labels(entry.addedLabelIds), removedLabels: labels(entry.removedLabelIds),
    };
  }
  return {
    id: entry.id, createdAt: entry.createdAt, actorId: entry.actorId, botActor: null,
    actor: actor ? userView(ctx, actor) : null,
    addedLabelIds: entry.addedLabelIds, removedLabelIds: entry.removedLabelIds,
    addedLabels: labels(entry.addedLabelIds), removedLabels: labels(entry.removedLabelIds),
  };
}
