// LinearTracker: Cascade's Tracker over @linear/sdk, sending its own GraphQL
// documents through `client.client.rawRequest` (the SDK's model getters cost a
// request each). No retries here: errors are mapped and the queue retries.
import { LinearClient } from '@linear/sdk';
import { COMMENT_MARKER_PREFIX, fingerprintIn, type CommentDoc } from '../../reconcile/comment-doc.js';
import {
  PermanentTrackerError,
  type BotIdentity, type CommentOutcome, type ContainerRef, type LabelRemoval, type Page, type SweepScope, type TicketState, type Tracker,
} from '../tracker.js';
import type { TicketSnapshot } from '../../strategy/types.js';
import {
  ADD_LABEL, CREATE_COMMENT, CREATE_LABEL, CUSTOMER_NEEDS_PAGE, DELETE_COMMENT, DONE_ISSUES_PAGE, INITIATIVE_HEALTH_PAGE, ISSUE_IDS_PAGE, PROJECT_HEALTH_PAGE, ISSUE_LABEL_HISTORY, ISSUE_WITH_ANCESTRY, OPEN_ISSUES_PAGE,
  MOVE_TO_PROJECT, MOVE_UNDER_PARENT, REMOVE_LABEL, UPDATE_COMMENT, USER_MAY_EDIT, VIEWER,
} from './documents.js';
import { findLinearLink } from './link-target.js';
import type { LinkLookup, LinkTarget, LinkWanted } from '../tracker.js';
import { containerFilter, doneIssuesFilter, openIssuesFilter } from './container-filters.js';
import { isAuthenticationError, isNotFound, toTrackerError } from './linear-errors.js';
import { botCommentOf, snapshotFromIssue, snapshotFromSweep, sweepParents } from './map-snapshot.js';
import { renderMarkdown } from './render-markdown.js';
import type { HistoryNode, IssueData, LabelNode, Page as GqlPage, SweepIssueNode } from './response-types.js';
import { WorkspaceCache, type CachedLabel, type WorkspaceCacheOptions } from './workspace-cache.js';
import { readLinearOutline } from './read-outline.js';
import type { TrackerOutline } from '../../strategy/outline.js';
import type { CustomerDemand, HealthWord, ReportedHealth } from '../../records/workspace-signals.js';

interface CustomerNeedNode {
  id: string;
  priority: number;
  issue: { id: string } | null;
  project: { id: string } | null;
  customer: { id: string; name: string; revenue: number | null; tier: { name: string } | null } | null;
}

interface HealthNode {
  id: string;
  name: string;
  health: HealthWord | null;
}

export interface LinearTrackerLog {
  info(obj: object, msg: string): void;
}

/** An installation's current OAuth token (src/trackers/descriptor.ts AccessTokenSource). */
export interface LinearTokenSource {
  current(): Promise<string>;
  afterUnauthorised(stale: string): Promise<string>;
}

export interface LinearTrackerOptions {
  /** A personal or bot API key (`lin_api_…`), sent raw. One of apiKey/accessToken/client/token is required. */
  apiKey?: string;
  /** An OAuth access token, sent as `Bearer …`. */
  accessToken?: string;
  /** Default Linear's own endpoint; http is accepted for 127.0.0.1/localhost (the sandbox). */
  apiUrl?: string;
  /** A ready client instead of the three options above. */
  client?: LinearClient;
  /**
   * Installed as an app: the token is asked for on every request (it is refreshed
   * elsewhere, by whichever process gets there first); a 401 asks for a new one once
   * and the request is sent again once.
   */
  token?: LinearTokenSource;
  /** Workspace lookups (labels, projects, initiatives): TTL 10 min, reload-on-unknown after 5 s. */
  cache?: WorkspaceCacheOptions;
  /** Colour of labels Cascade creates. Default Linear's grey. */
  labelColor?: string;
  log?: LinearTrackerLog;
  now?: () => number;
}

export class LinearTracker implements Tracker {
  readonly id = 'linear' as const;
  private readonly client?: LinearClient;
  /** The client for the token last used (token source only): rebuilt when the token changes. */
  private tokenClient?: { token: string; client: LinearClient };
  private readonly cache: WorkspaceCache;
  private readonly now: () => number;
  private viewer?: Promise<BotIdentity>;

  constructor(private readonly options: LinearTrackerOptions) {
    this.client = options.client ?? (options.token && !options.apiKey && !options.accessToken ? undefined : new LinearClient({
      ...(options.apiKey ? { apiKey: options.apiKey } : {}),
      ...(options.accessToken ? { accessToken: options.accessToken } : {}),
      ...(options.apiUrl ? { apiUrl: options.apiUrl } : {}),
    }));
    this.now = options.now ?? Date.now;
    this.cache = new WorkspaceCache((doc, vars) => this.request(doc, vars), { now: this.now, ...options.cache });
  }

  identity(): Promise<BotIdentity> {
    this.viewer ??= this.request<{ viewer: BotIdentity }>(VIEWER, {}).then(({ viewer }) => ({ id: viewer.id, name: viewer.name }));
    this.viewer.catch(() => (this.viewer = undefined));
    return this.viewer;
  }

  async fetchTicket(idOrKey: string): Promise<TicketState | null> {
    let data: IssueData;
    try {
      data = await this.send<IssueData>(ISSUE_WITH_ANCESTRY, { id: idOrKey, marker: COMMENT_MARKER_PREFIX });
    } catch (error) {
      if (isNotFound(error)) return null;
      throw toTrackerError(error, this.now());
    }
    // The viewer came along for free: identity() needs no request of its own now.
    this.viewer ??= Promise.resolve({ id: data.viewer.id, name: data.viewer.name });
    return { ticket: snapshotFromIssue(data.issue), botComment: botCommentOf(data.issue.comments.nodes) };
  }

  async mayEdit(ticket: { id: string; key: string }, accountId: string): Promise<boolean> {
    let data: { user: { guest: boolean }; issue: { team: { members: { nodes: Array<{ id: string }> } } } };
    try {
      data = await this.send(USER_MAY_EDIT, { userId: accountId, memberId: accountId, issueId: ticket.id });
    } catch (error) {
      if (isNotFound(error)) return false;
      throw toTrackerError(error, this.now());
    }
    return !data.user.guest || data.issue.team.members.nodes.some((member) => member.id === accountId);
  }

  async listOpenTickets(scope: SweepScope, cursor?: string): Promise<Page<TicketState>> {
    const { issues } = await this.request<{ issues: GqlPage<SweepIssueNode> }>(OPEN_ISSUES_PAGE, {
      filter: openIssuesFilter(scope.teams), after: cursor ?? null, marker: COMMENT_MARKER_PREFIX,
    });
    const withParents = issues.nodes.flatMap((node) => [node, ...sweepParents(node)]);
    const labelNames = await this.cache.labelNames(withParents.flatMap((n) => n.labelIds));
    const projects = await this.cache.projectRefs(withParents.flatMap((n) => (n.project ? [n.project.id] : [])));
    return {
      items: issues.nodes.map((node) => ({
        ticket: snapshotFromSweep(node, { labelNames, projects }),
        botComment: botCommentOf(node.comments.nodes),
      })),
      ...nextCursor(issues),
    };
  }

  async listDoneSince(since: string, scope: SweepScope, cursor?: string): Promise<Page<TicketState>> {
    const { issues } = await this.request<{ issues: GqlPage<SweepIssueNode> }>(DONE_ISSUES_PAGE, {
      filter: doneIssuesFilter(scope.teams, since), after: cursor ?? null,
    });
    const withParents = issues.nodes.flatMap((node) => [node, ...sweepParents(node)]);
    const labelNames = await this.cache.labelNames(withParents.flatMap((n) => n.labelIds));
    const projects = await this.cache.projectRefs(withParents.flatMap((n) => (n.project ? [n.project.id] : [])));
    return {
      items: issues.nodes.map((node) => ({ ticket: snapshotFromSweep(node, { labelNames, projects }), botComment: null })),
      ...nextCursor(issues),
    };
  }

  async listCustomerDemand(cursor?: string): Promise<Page<CustomerDemand>> {
    const { customerNeeds } = await this.request<{ customerNeeds: GqlPage<CustomerNeedNode> }>(CUSTOMER_NEEDS_PAGE, { after: cursor ?? null });
    // A request not yet tied to a customer is nobody's demand yet.
    const items = customerNeeds.nodes.flatMap((n): CustomerDemand[] => (n.customer ? [{
      tracker: 'linear', needId: n.id, ticketId: n.issue?.id ?? null, projectId: n.project?.id ?? null, priority: n.priority,
      customer: { id: n.customer.id, name: n.customer.name, revenue: n.customer.revenue ?? null, tier: n.customer.tier?.name ?? null },
    }] : []));
    return { items, ...nextCursor(customerNeeds) };
  }

  async listReportedHealth(cursor?: string): Promise<Page<ReportedHealth>> {
    // Projects first, then initiatives: the cursor says which listing it continues.
    const kind = cursor?.startsWith('i:') ? 'initiative' : 'project';
    const after = cursor ? cursor.slice(2) || null : null;
    const page = kind === 'project'
      ? (await this.request<{ projects: GqlPage<HealthNode> }>(PROJECT_HEALTH_PAGE, { after })).projects
      : (await this.request<{ initiatives: GqlPage<HealthNode> }>(INITIATIVE_HEALTH_PAGE, { after })).initiatives;
    const items = page.nodes.flatMap((n): ReportedHealth[] => (n.health ? [{ tracker: 'linear', kind, id: n.id, name: n.name, health: n.health }] : []));
    const next = page.pageInfo.hasNextPage && page.pageInfo.endCursor ? `${kind[0]}:${page.pageInfo.endCursor}` : kind === 'project' ? 'i:' : undefined;
    return next === undefined ? { items } : { items, next };
  }

  async listTicketsUnder(container: ContainerRef, cursor?: string): Promise<Page<string>> {
    const { issues } = await this.request<{ issues: GqlPage<{ id: string }> }>(ISSUE_IDS_PAGE, {
      filter: containerFilter(container), after: cursor ?? null,
    });
    return { items: issues.nodes.map((n) => n.id), ...nextCursor(issues) };
  }

  async ensureLabel(ticket: TicketSnapshot, name: string, present: boolean): Promise<boolean> {
    const shown = ticket.labels.some((l) => l.toLowerCase() === name.toLowerCase());
    if (shown === present) return false;
    if (present) {
      const [label] = await this.cache.labelsNamed(name, ticket.team);
      const labelId = label?.id ?? (await this.createLabel(name, ticket.team));
      try {
        await this.mutate('issueAddLabel', ADD_LABEL, { id: ticket.id, labelId });
      } catch (error) {
        // A label deleted since the lookup was loaded: forget it, and let the retry find or create it anew.
        if (!(error instanceof PermanentTrackerError && /IssueLabel/.test(error.message))) throw error;
        this.cache.forget('labels');
        throw new Error(`Linear label "${name}" disappeared since it was looked up; retrying will recreate it`);
      }
      return true;
    }
    // The snapshot has names only; a workspace and a team label may share one, so remove each.
    const candidates = await this.cache.labelsNamed(name, ticket.team);
    for (const label of candidates) await this.mutate('issueRemoveLabel', REMOVE_LABEL, { id: ticket.id, labelId: label.id });
    return candidates.length > 0;
  }

  async labelRemoval(ticket: TicketSnapshot, name: string): Promise<LabelRemoval | null> {
    const { issue } = await this.request<{ issue: { history: { nodes: HistoryNode[] } } }>(ISSUE_LABEL_HISTORY, { id: ticket.id });
    const wanted = name.toLowerCase();
    // An entry names the labels it took off; ids cover a label renamed or deleted since.
    const ids = new Set((await this.cache.labelsNamed(name, ticket.team)).map((l) => l.id));
    const removals = issue.history.nodes
      .filter((h) => (h.removedLabels ?? []).some((l) => l.name.toLowerCase() === wanted || ids.has(l.id)) || (h.removedLabelIds ?? []).some((id) => ids.has(id)))
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
    const latest = removals[0];
    if (!latest) return null;
    // A person's change carries actor (and actorId). An integration's or an app's carries only
    // botActor, whose id is no account Cascade can tell from its own (an app installed with
    // actor=app may be Cascade itself): it names nobody, and the mark goes back once.
    const by = latest.actor?.id ?? latest.actorId ?? null;
    return { by, byName: latest.actor?.name ?? latest.botActor?.name ?? null, at: latest.createdAt };
  }

  async ensureComment(state: TicketState, doc: CommentDoc | null): Promise<CommentOutcome> {
    const existing = state.botComment;
    // state.botComment follows each write, so the caller records what the ticket now shows.
    if (doc === null) {
      if (!existing) return 'unchanged';
      await this.mutate('commentDelete', DELETE_COMMENT, { id: existing.id });
      state.botComment = null;
      return 'deleted';
    }
    if (existing && fingerprintIn(existing.body) === doc.fingerprint) return 'unchanged';
    const body = renderMarkdown(doc);
    if (existing) {
      await this.mutate('commentUpdate', UPDATE_COMMENT, { id: existing.id, body });
      state.botComment = { id: existing.id, body, fingerprint: doc.fingerprint };
      return 'updated';
    }
    const created = await this.mutate<{ comment?: { id: string } | null }>('commentCreate', CREATE_COMMENT, { issueId: state.ticket.id, body });
    if (created.comment) state.botComment = { id: created.comment.id, body, fingerprint: doc.fingerprint };
    return 'created';
  }

  invalidate(container: ContainerRef): void {
    // Issues are never cached (each check reads its ticket fresh); projects and
    // initiatives are, through the sweep's lookups.
    if (container.kind === 'project') this.cache.forget('projects');
    if (container.kind === 'initiative') this.cache.forget('initiatives');
  }

  /** Create a workspace label; when Linear says it exists (created meanwhile), reload and use it. */
  private async createLabel(name: string, teamKey: string | undefined): Promise<string> {
    try {
      const payload = await this.mutate<{ issueLabel: LabelNode }>('issueLabelCreate', CREATE_LABEL, {
        name, color: this.options.labelColor ?? null,
      });
      const created: CachedLabel = { id: payload.issueLabel.id, name: payload.issueLabel.name, teamKey: null };
      this.cache.rememberLabel(created);
      this.options.log?.info({ label: name, labelId: created.id }, 'Created the Linear workspace label Cascade uses');
      return created.id;
    } catch (error) {
      if (!(error instanceof Error && /duplicate|already exists/i.test(error.message))) throw error;
      this.cache.forget('labels');
      const [label] = await this.cache.labelsNamed(name, teamKey, false);
      if (!label) throw error;
      return label.id;
    }
  }

  findLinkTarget(ticket: TicketSnapshot, wanted: LinkWanted): Promise<LinkLookup> {
    return findLinearLink({ cache: this.cache, fetchTicket: (id) => this.fetchTicket(id), request: (document, variables) => this.request(document, variables) }, ticket, wanted);
  }

  async moveTicket(ticket: TicketSnapshot, target: LinkTarget): Promise<boolean> {
    switch (target.kind) {
      case 'label':
        return this.ensureLabel(ticket, target.name, true);
      case 'project':
        if (ticket.project?.id === target.id) return false;
        await this.mutate('issueUpdate', MOVE_TO_PROJECT, { id: ticket.id, projectId: target.id });
        return true;
      case 'parent':
        if (ticket.parents[0]?.id === target.id) return false;
        await this.mutate('issueUpdate', MOVE_UNDER_PARENT, { id: ticket.id, parentId: target.id });
        return true;
    }
  }

  /** Initiatives, projects and labels of the whole workspace (config check, import). */
  outline(): Promise<TrackerOutline> {
    return readLinearOutline((document, variables) => this.request(document, variables));
  }

  private async mutate<T = unknown>(field: string, document: string, variables: Record<string, unknown>): Promise<T> {
    const data = await this.request<Record<string, (T & { success: boolean }) | undefined>>(document, variables);
    const payload = data[field];
    if (!payload?.success) throw new Error(`Linear answered ${field} without success`);
    return payload;
  }

  private async request<T>(document: string, variables: Record<string, unknown>): Promise<T> {
    try {
      return await this.send<T>(document, variables);
    } catch (error) {
      throw toTrackerError(error, this.now());
    }
  }

  private async send<T>(document: string, variables: Record<string, unknown>): Promise<T> {
    const source = this.options.token;
    if (this.client || !source) return sendWith<T>(this.client!, document, variables);
    const token = await source.current();
    try {
      return await sendWith<T>(this.clientFor(token), document, variables);
    } catch (error) {
      if (!isAuthenticationError(error)) throw error;
      // Expired or revoked since it was handed out: one new token, one more try.
      const next = await source.afterUnauthorised(token);
      return sendWith<T>(this.clientFor(next), document, variables);
    }
  }

  private clientFor(token: string): LinearClient {
    if (this.tokenClient?.token !== token) {
      this.tokenClient = { token, client: new LinearClient({ accessToken: token, ...(this.options.apiUrl ? { apiUrl: this.options.apiUrl } : {}) }) };
    }
    return this.tokenClient.client;
  }
}

async function sendWith<T>(client: LinearClient, document: string, variables: Record<string, unknown>): Promise<T> {
  const response = await client.client.rawRequest<T, Record<string, unknown>>(document, variables);
  if (response.data === undefined) throw new Error('Linear answered without data');
  return response.data;
}

function nextCursor(connection: GqlPage<unknown>): { next?: string } {
  const { hasNextPage, endCursor } = connection.pageInfo;
  return hasNextPage && endCursor ? { next: endCursor } : {};
}
