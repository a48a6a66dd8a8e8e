// The REST v3 endpoints Cascade's Jira adapter calls, with Jira's status codes
// and error bodies. Each handler reads or writes the store; nothing else.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { adfProblem } from './adf.js';
import { issueView, commentView, userView } from './issue-view.js';
import { searchPage } from './search.js';
import { jiraDate } from './store-rules.js';
import type { IssueChanges, JiraStore } from './store.js';
import { JiraSandboxError, type AdfNode, type SandboxComment, type SandboxUser } from './types.js';

export interface RouteContext {
  store: JiraStore;
  baseUrl: () => string;
  /** The account the request authenticated as (set by the auth hook). */
  actor: (request: FastifyRequest) => SandboxUser;
}

type IssueParams = { idOrKey: string };
/** Project permissions the sandbox knows; only EDIT_ISSUES is granted per account (the others: everyone). */
const KNOWN_PERMISSIONS = new Set(['BROWSE_PROJECTS', 'EDIT_ISSUES', 'ADD_COMMENTS']);
type CommentParams = { idOrKey: string; id: string };
type Query = Record<string, string | undefined>;

function splitFields(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' ? value.split(',') : undefined;
}

/** The `properties: [{ key, value }]` a comment is added or edited with (REST v3 EntityProperty). */
export function commentProperties(body: unknown): Record<string, unknown> | undefined {
  const list = (body as { properties?: unknown } | null)?.properties;
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) throw new JiraSandboxError(400, [], { properties: 'Properties must be a list.' });
  const out: Record<string, unknown> = {};
  for (const entry of list as Array<{ key?: unknown; value?: unknown }>) {
    if (typeof entry?.key !== 'string' || entry.key === '' || entry.key.length > 255) throw new JiraSandboxError(400, ['The property key must be between 1 and 255 characters.']);
    out[entry.key] = entry.value;
  }
  return out;
}

/** REST v3 `visibility: { type: 'role' | 'group', value }`: who may see the comment. */
function commentVisibility(body: unknown): SandboxComment['visibility'] {
  const visibility = (body as { visibility?: { type?: unknown; value?: unknown } } | null)?.visibility;
  if (visibility === undefined) return undefined;
  if ((visibility.type !== 'role' && visibility.type !== 'group') || typeof visibility.value !== 'string') {
    throw new JiraSandboxError(400, [], { visibility: 'Visibility must name a role or a group.' });
  }
  return { type: visibility.type, value: visibility.value };
}

function commentBody(body: unknown): AdfNode {
  const value = (body as { body?: unknown } | null)?.body;
  if (adfProblem(value) !== null) throw new JiraSandboxError(400, [], { comment: 'Comment body is not valid!' });
  return value as AdfNode;
}

function ref(value: unknown): string | undefined {
  const r = value as { key?: unknown; id?: unknown } | null | undefined;
  if (typeof r?.key === 'string') return r.key;
  return typeof r?.id === 'string' ? r.id : undefined;
}

/** Reads an edit-issue body (`fields` replace, `update` operations) into store changes. */
export function issueChanges(body: unknown): IssueChanges {
  const { fields = {}, update = {} } = (body ?? {}) as { fields?: Record<string, unknown>; update?: Record<string, unknown> };
  const changes: IssueChanges = {};
  const invalid = (field: string, message: string): never => {
    throw new JiraSandboxError(400, [], { [field]: message });
  };
  if ('labels' in fields) {
    if (!Array.isArray(fields.labels) || fields.labels.some((l) => typeof l !== 'string')) invalid('labels', 'Labels must be a list of strings.');
    changes.labels = fields.labels as string[];
  }
  if (typeof fields.summary === 'string') changes.summary = fields.summary;
  if ('description' in fields) {
    if (fields.description !== null && adfProblem(fields.description) !== null) invalid('description', 'Operation value must be an Atlassian Document (see the Atlassian Document Format)');
    changes.description = fields.description as AdfNode | null;
  }
  if ('parent' in fields) changes.parent = fields.parent === null ? null : (ref(fields.parent) ?? invalid('parent', 'Parent must be given by key or id.'));
  if ('issuetype' in fields) {
    const type = fields.issuetype as { name?: string; id?: string } | null;
    changes.type = type?.id ?? type?.name ?? invalid('issuetype', 'Specify a valid issue type');
  }
  const labelOps = update.labels;
  if (labelOps !== undefined) {
    if (!Array.isArray(labelOps)) invalid('labels', 'Operation must be a list.');
    for (const op of labelOps as Array<Record<string, unknown>>) {
      if (typeof op.add === 'string') (changes.addLabels ??= []).push(op.add);
      else if (typeof op.remove === 'string') (changes.removeLabels ??= []).push(op.remove);
      else if (Array.isArray(op.set)) changes.labels = op.set.map(String);
      else invalid('labels', 'Unsupported label operation; use add, remove or set.');
    }
  }
  const parentOps = update.parent as Array<{ set?: { none?: boolean; key?: string; id?: string } }> | undefined;
  for (const op of parentOps ?? []) changes.parent = op.set?.none ? null : (ref(op.set) ?? invalid('parent', 'Parent must be given by key or id.'));
  return changes;
}

export function registerJiraRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { store } = ctx;
  const view = { get baseUrl() { return ctx.baseUrl(); } };

  app.get('/rest/api/3/myself', async (request) => {
    const user = ctx.actor(request);
    return { ...userView(view.baseUrl, user, user.accountId), emailAddress: user.email };
  });

  // Find users with permissions: the users among those asked for who hold every permission on the issue.
  // Like Jira, a caller without "Browse users and groups" gets an empty list, not an error.
  app.get<{ Querystring: Query }>('/rest/api/3/user/permission/search', async (request) => {
    const { permissions, issueKey, accountId, query } = request.query;
    if (!permissions) throw new JiraSandboxError(400, ['The permissions parameter is required.']);
    const wanted = permissions.split(',').map((p) => p.trim());
    const unknown = wanted.find((p) => !KNOWN_PERMISSIONS.has(p));
    if (unknown) throw new JiraSandboxError(400, [`Invalid permission: ${unknown}`]);
    if (!accountId && !query) throw new JiraSandboxError(400, ['The query or accountId parameter is required.']);
    if (!issueKey) throw new JiraSandboxError(400, ['This sandbox answers for an issueKey only.']);
    const issue = store.requireIssue(issueKey);
    if (ctx.actor(request).browseUsers === false) return [];
    const candidates = [...store.users.values()].filter((u) => (accountId ? u.accountId === accountId : u.displayName.toLowerCase().includes(String(query).toLowerCase())));
    const holders = candidates.filter((u) => wanted.every((p) => p !== 'EDIT_ISSUES' || store.mayEdit(u.accountId, issue)));
    return holders.map((u) => userView(view.baseUrl, u, u.accountId));
  });

  app.get('/rest/api/3/issuetype', async () =>
    [...store.issueTypes.values()].map((t) => ({
      self: `${view.baseUrl}/rest/api/3/issuetype/${t.id}`,
      id: t.id,
      name: t.name,
      description: '',
      subtask: t.hierarchyLevel === -1,
      hierarchyLevel: t.hierarchyLevel,
    })),
  );

  // GET /rest/api/3/label: every label on the site, paged (PageBeanString; Jira's default and largest page is 1000).
  app.get<{ Querystring: { startAt?: string; maxResults?: string } }>('/rest/api/3/label', async (request) => {
    const all = [...new Set(store.allIssues().flatMap((i) => i.labels))].sort();
    const startAt = Math.max(0, Number(request.query.startAt ?? 0) || 0);
    const maxResults = Math.min(1000, Math.max(1, Number(request.query.maxResults ?? 1000) || 1000));
    const values = all.slice(startAt, startAt + maxResults);
    return { maxResults, startAt, total: all.length, isLast: startAt + values.length >= all.length, values };
  });

  app.get<{ Params: IssueParams; Querystring: Query }>('/rest/api/3/issue/:idOrKey', async (request) => {
    const issue = store.requireIssue(request.params.idOrKey);
    return issueView(store, issue, { baseUrl: view.baseUrl, fields: splitFields(request.query.fields), defaultFields: 'all' });
  });

  app.put<{ Params: IssueParams; Querystring: Query }>('/rest/api/3/issue/:idOrKey', async (request, reply) => {
    const issue = store.updateIssue(store.requireIssue(request.params.idOrKey).id, issueChanges(request.body), ctx.actor(request).accountId);
    if (request.query.returnIssue !== 'true') return reply.code(204).send();
    return issueView(store, issue, { baseUrl: view.baseUrl, fields: undefined, defaultFields: 'all' });
  });

  app.delete<{ Params: IssueParams }>('/rest/api/3/issue/:idOrKey', async (request, reply) => {
    store.deleteIssue(request.params.idOrKey, ctx.actor(request).accountId);
    return reply.code(204).send();
  });

  // PageBeanChangelog: oldest first, at most 100 a page.
  app.get<{ Params: IssueParams; Querystring: Query }>('/rest/api/3/issue/:idOrKey/changelog', async (request) => {
    const all = store.changelog(request.params.idOrKey);
    const startAt = Math.max(0, Number(request.query.startAt) || 0);
    const maxResults = Math.min(100, Math.max(1, Number(request.query.maxResults) || 100));
    const values = all.slice(startAt, startAt + maxResults).map((entry) => ({
      id: entry.id,
      author: userView(view.baseUrl, store.users.get(entry.authorId), entry.authorId),
      created: jiraDate(entry.created),
      items: entry.items,
    }));
    return { self: `${view.baseUrl}/rest/api/3/issue/${request.params.idOrKey}/changelog`, maxResults, startAt, total: all.length, isLast: startAt + values.length >= all.length, values };
  });

  app.get<{ Params: IssueParams; Querystring: Query }>('/rest/api/3/issue/:idOrKey/comment', async (request) => {
    const issue = store.requireIssue(request.params.idOrKey);
    const all = store.comments(issue.id);
    if (request.query.orderBy === '-created') all.reverse();
    // jira.js sends `startAt=false` when called with a bare key; Jira reads that as 0.
    const startAt = Math.max(0, Number(request.query.startAt) || 0);
    const maxResults = Math.min(5000, Math.max(1, Number(request.query.maxResults) || 5000));
    const comments = all.slice(startAt, startAt + maxResults).map((c) => commentView(store, view.baseUrl, issue, c));
    return { startAt, maxResults, total: all.length, comments };
  });

  app.get<{ Params: CommentParams }>('/rest/api/3/issue/:idOrKey/comment/:id', async (request) => {
    const issue = store.requireIssue(request.params.idOrKey);
    const comment = store.comments(issue.id).find((c) => c.id === request.params.id);
    if (!comment) throw new JiraSandboxError(404, [`Can not find a comment for the id: ${request.params.id}.`]);
    return commentView(store, view.baseUrl, issue, comment);
  });

  app.post<{ Params: IssueParams }>('/rest/api/3/issue/:idOrKey/comment', async (request, reply) => {
    const issue = store.requireIssue(request.params.idOrKey);
    const comment = store.addComment(issue.id, commentBody(request.body), ctx.actor(request).accountId, undefined, commentProperties(request.body), commentVisibility(request.body));
    return reply.code(201).send(commentView(store, view.baseUrl, issue, comment));
  });

  app.put<{ Params: CommentParams }>('/rest/api/3/issue/:idOrKey/comment/:id', async (request) => {
    const issue = store.requireIssue(request.params.idOrKey);
    const comment = store.updateComment(issue.id, request.params.id, commentBody(request.body), ctx.actor(request).accountId, commentProperties(request.body));
    return commentView(store, view.baseUrl, issue, comment);
  });

  app.delete<{ Params: CommentParams }>('/rest/api/3/issue/:idOrKey/comment/:id', async (request, reply) => {
    store.deleteComment(request.params.idOrKey, request.params.id, ctx.actor(request).accountId);
    return reply.code(204).send();
  });

  app.get<{ Querystring: Query }>('/rest/api/3/search/jql', async (request) => {
    const q = request.query;
    return searchPage(store, view.baseUrl, { jql: q.jql, fields: splitFields(q.fields), maxResults: q.maxResults, nextPageToken: q.nextPageToken });
  });

  app.post('/rest/api/3/search/jql', async (request) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    return searchPage(store, view.baseUrl, {
      jql: typeof body.jql === 'string' ? body.jql : undefined,
      fields: splitFields(body.fields),
      maxResults: body.maxResults,
      nextPageToken: typeof body.nextPageToken === 'string' ? body.nextPageToken : undefined,
    });
  });

  // The old search endpoints are gone on Jira Cloud since Aug 2025 (TRACKERS.md §7).
  for (const path of ['/rest/api/2/search', '/rest/api/3/search']) {
    app.all(path, async (_request, reply) =>
      reply.code(410).send({ errorMessages: ['The requested API has been removed. Please migrate to the /rest/api/3/search/jql API.'], errors: {} }),
    );
  }
}
