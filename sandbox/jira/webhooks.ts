// Jira-shaped webhook deliveries (TRACKERS.md §6): payloads built from store
// changes, signed like an admin webhook with a secret, posted without ever
// holding up the REST answer that caused them.
import { randomUUID } from 'node:crypto';
import { signJiraBody } from '../../src/trackers/jira/verify-webhook.js';
import { commentView, issueView, userView } from './issue-view.js';
import type { JiraStore } from './store.js';
import type { SandboxIssue, StoreChange } from './types.js';

export interface SignedDelivery {
  headers: Record<string, string>;
  /** The exact bytes to send: the signature covers them. */
  body: string;
}

export interface DeliveryOptions {
  /** X-Atlassian-Webhook-Identifier; a new UUID when absent. */
  identifier?: string;
  flow?: 'Primary' | 'Secondary';
  retry?: number;
}

/** Serialises and signs a payload as Jira Cloud does: `X-Hub-Signature: sha256=<hex HMAC-SHA256>`. */
export function buildSignedJiraDelivery(payload: unknown, secret: string, options: DeliveryOptions = {}): SignedDelivery {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'Atlassian Webhook HTTP Client',
    'x-hub-signature': signJiraBody(body, secret),
    'x-atlassian-webhook-identifier': options.identifier ?? randomUUID(),
    'x-atlassian-webhook-flow': options.flow ?? 'Primary',
  };
  if (options.retry !== undefined) headers['x-atlassian-webhook-retry'] = String(options.retry);
  return { headers, body };
}

/** Jira gives every change history its own id; two edits in the same millisecond are still two bodies. */
const changelogIds = new WeakMap<StoreChange, string>();
let lastChangelogId = 10_000;

/** The deliveries one store change produces; a comment produces two (TRACKERS.md gotcha 2). */
export function payloadsFor(store: JiraStore, baseUrl: string, change: StoreChange): Array<Record<string, unknown>> {
  const timestamp = store.now();
  const user = userView(baseUrl, store.users.get(change.actorId), change.actorId);
  const issue = webhookIssue(store, baseUrl, change.issue, change.kind !== 'issue_deleted');
  switch (change.kind) {
    case 'issue_created':
      return [{ timestamp, webhookEvent: 'jira:issue_created', issue_event_type_name: 'issue_created', user, issue }];
    case 'issue_deleted':
      return [{ timestamp, webhookEvent: 'jira:issue_deleted', issue_event_type_name: 'issue_deleted', user, issue }];
    case 'issue_updated':
      return [
        {
          timestamp,
          webhookEvent: 'jira:issue_updated',
          issue_event_type_name: change.eventTypeName,
          user,
          issue,
          changelog: { id: changelogId(change), items: change.items },
        },
      ];
    default: {
      const comment = commentView(store, baseUrl, change.issue, change.comment);
      const eventType = { comment_created: 'issue_commented', comment_updated: 'issue_comment_edited', comment_deleted: 'issue_comment_deleted' }[change.kind];
      return [
        { timestamp, webhookEvent: change.kind, comment, issue: shortIssue(store, baseUrl, change.issue) },
        { timestamp, webhookEvent: 'jira:issue_updated', issue_event_type_name: eventType, user, issue, comment },
      ];
    }
  }
}

function changelogId(change: StoreChange): string {
  let id = changelogIds.get(change);
  if (id === undefined) changelogIds.set(change, (id = String(++lastChangelogId)));
  return id;
}

/** Webhooks carry v2-style `self` links and every field except comments (deprecated there). */
function webhookIssue(store: JiraStore, baseUrl: string, issue: SandboxIssue, live: boolean): Record<string, unknown> {
  const view = live
    ? issueView(store, issue, { baseUrl, fields: ['*all', '-comment'], defaultFields: 'all' })
    : { id: issue.id, key: issue.key, fields: { summary: issue.summary, labels: issue.labels } };
  return { ...view, self: `${baseUrl}/rest/api/2/issue/${issue.id}` };
}

function shortIssue(store: JiraStore, baseUrl: string, issue: SandboxIssue): Record<string, unknown> {
  const view = issueView(store, issue, { baseUrl, fields: ['summary', 'issuetype', 'project', 'status', 'parent'], defaultFields: 'all' });
  return { id: issue.id, self: `${baseUrl}/rest/api/2/issue/${issue.id}`, key: issue.key, fields: view.fields };
}

export interface DeliveryRecord {
  webhookEvent: string;
  identifier: string;
  status?: number;
  error?: string;
}

/** Posts deliveries in the background and remembers how each ended. */
/** Deliveries on their way: each posted once, its answer (or failure) kept in its record, all awaited by flush(). */
export class DeliveriesInFlight {
  private readonly pending = new Set<Promise<void>>();

  post(url: string | URL, init: { headers: Record<string, string>; body: string }, record: DeliveryRecord): void {
    const done = fetch(url, { method: 'POST', ...init, signal: AbortSignal.timeout(10_000) })
      .then(async (res) => {
        record.status = res.status;
        await res.arrayBuffer();
      })
      .catch((err: unknown) => {
        record.error = err instanceof Error ? err.message : String(err);
      })
      .finally(() => this.pending.delete(done));
    this.pending.add(done);
  }

  /** Resolves when every delivery posted so far has ended (answered or failed). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}

export class WebhookDispatcher {
  private readonly inFlight = new DeliveriesInFlight();
  readonly log: DeliveryRecord[] = [];

  constructor(private readonly target: { url: string; secret: string }) {}

  send(payload: Record<string, unknown>): void {
    const delivery = buildSignedJiraDelivery(payload, this.target.secret);
    const record: DeliveryRecord = {
      webhookEvent: String(payload.webhookEvent),
      identifier: delivery.headers['x-atlassian-webhook-identifier'] ?? '',
    };
    this.log.push(record);
    this.inFlight.post(this.target.url, { headers: delivery.headers, body: delivery.body }, record);
  }

  /** Resolves when every delivery sent so far has ended (answered or failed). */
  flush(): Promise<void> {
    return this.inFlight.flush();
  }
}
