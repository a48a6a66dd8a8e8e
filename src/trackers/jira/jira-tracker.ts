// Cascade's Jira Cloud adapter over jira.js 6 (`createCloudClient`, REST v3).
// Reads: one GET issue per check, parents from a cache that their own webhooks
// invalidate, missing parents in one batched search per level. Writes: label
// add/remove operations and one ADF comment, only when something must change.
import type { TicketSnapshot } from '../../strategy/types.js';
import type { CommentDoc } from '../../reconcile/comment-doc.js';
import { fingerprintIn } from '../../reconcile/comment-doc.js';
import {
  PermanentTrackerError,
  type BotIdentity,
  type CommentOutcome,
  type ContainerRef,
  type LabelRemoval,
  type Page,
  type SweepScope,
  type TicketState,
  type Tracker,
} from '../tracker.js';
import { AncestorCache } from './ancestor-cache.js';
import { AncestryReader } from './ancestry.js';
import { adfToText } from './adf-text.js';
import { COMMENT_PROPERTY_KEY, findBotComment } from './bot-comment.js';
import { parentKeyOf, TICKET_FIELDS, toSnapshot, type JiraIssue } from './issue-mapping.js';
import { JiraApi } from './jira-api.js';
import { createJiraClient, type JiraAuth } from './jira-client.js';
import { doneIssuesJql, fieldAboveZeroJql, openIssuesJql } from './jql.js';
import type { FieldDemand } from '../../records/workspace-signals.js';
import { PARENT_DEPTH } from '../../strategy/limits.js';
import { listIssuesUnder } from './list-under.js';
import { latestLabelRemoval } from './label-removal.js';
import { renderAdf } from './render-adf.js';
import { readJiraOutline } from './read-outline.js';
import type { OutlineOptions, TrackerOutline } from '../../strategy/outline.js';
import type { LinkLookup, LinkTarget, LinkWanted } from '../tracker.js';
import { findJiraLink } from './link-target.js';

export interface JiraTrackerOptions {
  /** The site, e.g. https://acme.atlassian.net (JIRA_BASE_URL); http://127.0.0.1:PORT for the sandbox. */
  host: string;
  /** Basic auth (JIRA_EMAIL + JIRA_API_TOKEN), an OAuth 2.0 (3LO) access token, or an installation's token source (the Jira app). */
  auth: JiraAuth;
  /** The custom field holding the estimate (e.g. customfield_10016); default none. */
  estimateField?: string;
  /** The Rank custom field (a LexoRank string); default customfield_10019, Jira Cloud's usual one. */
  rankField?: string;
  /** How long a cached parent is trusted without its own webhook; default 15 minutes. */
  ancestorTtlMs?: number;
  /** Cached parents kept at most; default 50,000. */
  maxCachedAncestors?: number;
  /** Pages of epics and higher read at the start of a sweep; default 10; 0 turns it off. */
  prefetchPages?: number;
  /** Per-request timeout; default 30 s. */
  requestTimeoutMs?: number;
  now?: () => number;
}

/** Jira Cloud's Rank field on most sites (the order of backlogs and boards). */
const DEFAULT_RANK_FIELD = 'customfield_10019';

export class JiraTracker implements Tracker {
  readonly id = 'jira' as const;
  private readonly api: JiraApi;
  private readonly ancestry: AncestryReader;
  private readonly host: string;
  private readonly fields: string[];
  private readonly prefetchPages: number;
  private me: Promise<BotIdentity> | undefined;

  constructor(private readonly options: JiraTrackerOptions) {
    this.host = options.host.replace(/\/+$/, '');
    this.api = new JiraApi(createJiraClient(this.host, options.auth, options.requestTimeoutMs ?? 30_000));
    const now = options.now ?? Date.now;
    const ttlMs = options.ancestorTtlMs ?? 15 * 60_000;
    this.prefetchPages = options.prefetchPages ?? 10;
    const cache = new AncestorCache({ ttlMs, maxEntries: options.maxCachedAncestors, now });
    this.ancestry = new AncestryReader(this.api, cache, { maxDepth: PARENT_DEPTH, prefetchPages: this.prefetchPages, ttlMs, now });
    this.fields = [...TICKET_FIELDS, options.rankField ?? DEFAULT_RANK_FIELD, ...(options.estimateField ? [options.estimateField] : [])];
  }

  identity(): Promise<BotIdentity> {
    this.me ??= this.api.myself().then(
      (user) => ({ id: user.accountId, name: user.displayName ?? user.accountId }),
      (err: unknown) => {
        this.me = undefined;
        throw err;
      },
    );
    return this.me;
  }

  async fetchTicket(idOrKey: string): Promise<TicketState | null> {
    const [issue, bot] = await Promise.all([this.api.getIssue(idOrKey, this.fields), this.identity()]);
    if (!issue) return null;
    this.ancestry.refresh(issue);
    await this.ancestry.load([parentKeyOf(issue)]);
    return this.stateOf(issue, bot.id, true);
  }

  findLinkTarget(ticket: TicketSnapshot, wanted: LinkWanted): Promise<LinkLookup> {
    return findJiraLink({ api: this.api, fetchTicket: (key) => this.fetchTicket(key) }, ticket, wanted);
  }

  async moveTicket(ticket: TicketSnapshot, target: LinkTarget): Promise<boolean> {
    if (target.kind === 'label') return this.ensureLabel(ticket, target.name, true);
    // Linear's words: a Jira ticket has no project to move into.
    if (target.kind === 'project') throw new PermanentTrackerError(`a Jira ticket has no project to move into (${target.name})`);
    if (ticket.parents[0]?.key === target.key) return false;
    await this.api.setParent(ticket.key, target.key);
    return true;
  }

  async mayEdit(ticket: { id: string; key: string }, accountId: string): Promise<boolean> {
    const found = await this.api.usersWithPermission('EDIT_ISSUES', ticket.key, accountId);
    if (found === null) return false;
    if (found.some((user) => user.accountId === accountId)) return true;
    // An empty answer is also what a bot without "Browse users and groups" gets for anyone.
    // Cascade's own account edits the ticket (its label), so asking about it tells the two apart.
    const bot = await this.identity();
    if (bot.id === accountId) return false;
    const self = await this.api.usersWithPermission('EDIT_ISSUES', ticket.key, bot.id);
    if (self !== null && self.length === 0) {
      throw new PermanentTrackerError(
        `Jira answers no user with Edit Issues on ${ticket.key}, not even Cascade's own account: give Cascade's Jira account the "Browse users and groups" global permission, so that it can tell who may exempt a ticket (rules.exemptions.who: editors)`,
        403,
      );
    }
    return false;
  }

  async listOpenTickets(scope: SweepScope, cursor?: string): Promise<Page<TicketState>> {
    const bot = await this.identity();
    if (cursor === undefined && this.prefetchPages > 0) await this.ancestry.prefetchContainers();
    const page = await this.api.search(openIssuesJql(scope.teams), this.fields, cursor);
    const issues = page.issues ?? [];
    // The page itself is fresh: its epics and stories are parents of others on it.
    for (const issue of issues) this.ancestry.remember(issue);
    await this.ancestry.load(issues.map(parentKeyOf));
    const items: TicketState[] = [];
    // Pages only find the tickets that need a check, which reads its comment anew.
    for (const issue of issues) items.push(await this.stateOf(issue, bot.id, false));
    return page.nextPageToken ? { items, next: page.nextPageToken } : { items };
  }

  async listDoneSince(since: string, scope: SweepScope, cursor?: string): Promise<Page<TicketState>> {
    const bot = await this.identity();
    const page = await this.api.search(doneIssuesJql(scope.teams, since.slice(0, 10)), this.fields, cursor);
    const issues = page.issues ?? [];
    for (const issue of issues) this.ancestry.remember(issue);
    await this.ancestry.load(issues.map(parentKeyOf));
    const items: TicketState[] = [];
    for (const issue of issues) items.push(await this.stateOf(issue, bot.id, false));
    return page.nextPageToken ? { items, next: page.nextPageToken } : { items };
  }

  async listFieldDemand(field: string, scope: SweepScope, cursor?: string): Promise<Page<FieldDemand>> {
    const page = await this.api.search(fieldAboveZeroJql(scope.teams, field), [field], cursor);
    const items = (page.issues ?? []).flatMap((issue): FieldDemand[] => {
      const value = issue.fields?.[field];
      return typeof value === 'number' && value > 0 ? [{ tracker: 'jira', ticketId: issue.id, key: issue.key, field, value }] : [];
    });
    return page.nextPageToken ? { items, next: page.nextPageToken } : { items };
  }

  async listTicketsUnder(container: ContainerRef, cursor?: string): Promise<Page<string>> {
    // Projects and initiatives are Linear's containers; in Jira every container is an issue.
    if (container.kind !== 'ticket') return { items: [] };
    return listIssuesUnder(this.api, container.id, PARENT_DEPTH, cursor);
  }

  async ensureLabel(ticket: TicketSnapshot, label: string, present: boolean): Promise<boolean> {
    if (label.trim() === '' || /\s/.test(label)) {
      throw new PermanentTrackerError(
        `Jira labels cannot contain spaces or be empty: "${label}" — change it in the config (rules.labels or exempt labels).`,
      );
    }
    if (ticket.labels.includes(label) === present) return false;
    await this.api.editLabel(ticket.key, label, present);
    return true;
  }

  labelRemoval(ticket: TicketSnapshot, label: string): Promise<LabelRemoval | null> {
    return latestLabelRemoval(this.api, ticket.key, label);
  }

  async ensureComment(state: TicketState, doc: CommentDoc | null): Promise<CommentOutcome> {
    const key = state.ticket.key;
    const existing = state.botComment;
    // state.botComment follows each write, so the caller records what the ticket now shows.
    if (doc === null) {
      if (!existing) return 'unchanged';
      const deleted = await this.api.deleteComment(key, existing.id);
      state.botComment = null;
      return deleted ? 'deleted' : 'unchanged';
    }
    // An older comment whose marker still shows keeps it until what it says changes.
    if (existing && (existing.fingerprint ?? fingerprintIn(existing.body)) === doc.fingerprint) return 'unchanged';
    const body = renderAdf(doc);
    const properties = [{ key: COMMENT_PROPERTY_KEY, value: { fingerprint: doc.fingerprint } }];
    const written = { body: adfToText(body), fingerprint: doc.fingerprint };
    // A comment a person deleted since the read is written anew rather than failing the job.
    if (existing && (await this.api.updateComment(key, existing.id, body, properties))) {
      state.botComment = { id: existing.id, ...written };
      return 'updated';
    }
    const created = await this.api.addComment(key, body, properties);
    state.botComment = { id: String(created.id), ...written };
    return 'created';
  }

  invalidate(container: ContainerRef): void {
    if (container.kind === 'ticket') this.ancestry.forget(container.id);
  }

  /** Open epics and higher, every label, and which of `issueKeys` exist (config check, import). */
  outline(options?: OutlineOptions): Promise<TrackerOutline> {
    return readJiraOutline(this.api, options);
  }

  private async stateOf(issue: JiraIssue, botId: string, verify: boolean): Promise<TicketState> {
    const parents = this.ancestry.chain(parentKeyOf(issue));
    const ticket = toSnapshot(issue, parents, { host: this.host, estimateField: this.options.estimateField, rankField: this.options.rankField ?? DEFAULT_RANK_FIELD });
    return { ticket, botComment: await findBotComment(this.api, issue, botId, verify) };
  }
}
