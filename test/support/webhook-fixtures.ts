// Webhook deliveries for the receiver's tests, built from the sandboxes' own
// rows and signed with the sandboxes' own signing code, and the receiver
// assembled the way production assembles it (cli/start-cascade.ts):
// buildApp on real BullMQ queues over an ioredis connection that fails fast.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import type { Job } from 'bullmq';
import { pino } from 'pino';
import { buildApp, type AppDeps } from '../../src/app.js';
import { createMetrics, type Metrics } from '../../src/metrics.js';
import { createQueues, type Queues } from '../../src/queue/queues.js';
import { Inbox } from '../../src/queue/inbox.js';
import { keysFor } from '../../src/store/keys.js';
import type { EventJob } from '../../src/queue/job-types.js';
import { signJiraBody } from '../../src/trackers/jira/verify-webhook.js';
import {
  LinearStore, buildLinearDelivery, envelopeFor, signLinearBody,
  type IssueRecord, type LinearWebhookEnvelope, type StoreChange as LinearChange,
} from '../../sandbox/linear/index.js';
import { JiraStore, buildSignedJiraDelivery, type SandboxIssue, type StoreChange as JiraChange } from '../../sandbox/jira/index.js';
import { payloadsFor } from '../../sandbox/jira/webhooks.js';

export const LINEAR_SECRET = 'lin_wh_primary_5f0c1d2e3a4b';
/** The secret being rotated in: a delivery signed with either is accepted. */
export const LINEAR_NEXT_SECRET = 'lin_wh_rotated_9a8b7c6d5e4f';
export const JIRA_SECRET = 'jira-webhook-secret-0c9d8e7f';
/** A secret Cascade does not know. */
export const STRANGER_SECRET = 'not-the-configured-secret';

export type Route = 'linear' | 'jira';

/** What an HTTP client sends: headers and the exact bytes the signature covers. */
export interface Delivery {
  headers: Record<string, string>;
  body: string | Buffer;
}

// ---- Linear ----------------------------------------------------------------

export interface LinearIssueFixture {
  store: LinearStore;
  issue: IssueRecord;
  /** ENG-1 */
  identifier: string;
}

/** A workspace with team ENG and one issue in it, made by a person. */
export function linearIssue(title = 'Map Okta groups to workspace roles'): LinearIssueFixture {
  const store = new LinearStore();
  store.createTeam({ key: 'ENG', name: 'Engineering' });
  const issue = store.createIssue({ team: 'ENG', title, estimate: 3, labels: ['backend'] });
  return { store, issue, identifier: store.identifierOf(issue) };
}

/** The envelope Linear sends for an issue change; `ageMs` back-dates webhookTimestamp. */
export function linearIssueEnvelope(
  fixture: LinearIssueFixture,
  options: { action?: 'create' | 'update' | 'remove'; updatedFrom?: Record<string, unknown>; ageMs?: number } = {},
): LinearWebhookEnvelope {
  const change: LinearChange = {
    type: 'Issue',
    action: options.action ?? 'create',
    record: fixture.issue,
    actorId: fixture.store.person.id,
    ...(options.updatedFrom ? { updatedFrom: options.updatedFrom } : {}),
  };
  const at = Date.now() - (options.ageMs ?? 0);
  return envelopeFor(fixture.store, change, { webhookId: randomUUID(), now: () => at });
}

/** The envelope for a person's comment on the fixture's issue (Cascade ignores comments). */
export function linearCommentEnvelope(fixture: LinearIssueFixture): LinearWebhookEnvelope {
  const changes: LinearChange[] = [];
  const stop = fixture.store.onChange((change) => changes.push(change));
  fixture.store.createComment({ issue: fixture.issue.id, body: 'Is this part of the SSO work?' });
  stop();
  const change = changes.find((c) => c.type === 'Comment');
  if (!change) throw new Error('the Linear sandbox emitted no Comment change');
  return envelopeFor(fixture.store, change, { webhookId: randomUUID() });
}

/** A signed Linear delivery of an envelope, as the sandbox's sender builds it. */
export function linearDelivery(envelope: LinearWebhookEnvelope, options: { secret?: string; deliveryId?: string } = {}): Delivery {
  const delivery = buildLinearDelivery(options.secret ?? LINEAR_SECRET, envelope);
  // buildLinearDelivery types its id as a UUID; Linear's header is any string to the receiver.
  return options.deliveryId === undefined ? delivery : withHeaders(delivery, { 'linear-delivery': options.deliveryId });
}

/** Linear's headers over arbitrary raw bytes, signed with the sandbox's signing code. */
export function signedLinearRaw(body: string | Buffer, options: { secret?: string; deliveryId?: string; event?: string } = {}): Delivery {
  return {
    body,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'linear-delivery': options.deliveryId ?? randomUUID(),
      'linear-event': options.event ?? 'Issue',
      'linear-signature': signLinearBody(options.secret ?? LINEAR_SECRET, typeof body === 'string' ? body : body.toString('utf8')),
      'user-agent': 'Linear-Webhook',
    },
  };
}

/** A Reaction envelope (Linear sends them for comment reactions; Cascade ignores them). */
export function linearReactionBody(): string {
  return JSON.stringify({
    action: 'create',
    type: 'Reaction',
    createdAt: new Date().toISOString(),
    organizationId: randomUUID(),
    webhookId: randomUUID(),
    webhookTimestamp: Date.now(),
    url: 'https://linear.app/cascade-demo/issue/ENG-1',
    actor: { id: randomUUID(), name: 'Dana Reyes', type: 'user' },
    data: { id: randomUUID(), emoji: '+1', commentId: randomUUID(), userId: randomUUID(), createdAt: new Date().toISOString() },
  });
}

// ---- Jira ------------------------------------------------------------------

export const JIRA_BASE_URL = 'https://cascade-test.atlassian.net';

export interface JiraIssueFixture {
  store: JiraStore;
  issue: SandboxIssue;
  /** Every change the store emitted, in order. */
  changes: JiraChange[];
}

/** A site with project ENT and one story in it, made by a person. */
export function jiraIssue(summary = 'Map Okta groups to workspace roles'): JiraIssueFixture {
  const store = new JiraStore();
  const changes: JiraChange[] = [];
  store.onChange((change) => changes.push(change));
  store.createProject({ key: 'ENT', name: 'Enterprise' });
  const person = store.createUser({ displayName: 'Dana Engineer', email: 'dana@example.com', accountId: '712020:dana' });
  const issue = store.createIssue({ project: 'ENT', type: 'Story', summary, labels: ['backend'], actor: person.accountId });
  return { store, issue, changes };
}

/** The `jira:issue_created` payload Jira sends for the fixture's issue. */
export function jiraIssueCreatedPayload(fixture: JiraIssueFixture): Record<string, unknown> {
  const change = fixture.changes.find((c) => c.kind === 'issue_created' && c.issue.id === fixture.issue.id);
  if (!change) throw new Error('the Jira sandbox emitted no issue_created change');
  const [payload] = payloadsFor(fixture.store, JIRA_BASE_URL, change);
  if (!payload) throw new Error('no payload for issue_created');
  return payload;
}

/** The `comment_created` payload for a person's comment on the fixture's issue (Cascade ignores it). */
export function jiraCommentCreatedPayload(fixture: JiraIssueFixture): Record<string, unknown> {
  fixture.store.addComment(fixture.issue.key, 'Is this part of the SSO work?', '712020:dana');
  const change = fixture.changes.at(-1);
  if (!change || change.kind !== 'comment_created') throw new Error('the Jira sandbox emitted no comment_created change');
  const payload = payloadsFor(fixture.store, JIRA_BASE_URL, change).find((p) => p.webhookEvent === 'comment_created');
  if (!payload) throw new Error('no comment_created payload');
  return payload;
}

/** A signed Jira delivery of a payload, as the sandbox's dispatcher builds it. */
export function jiraDelivery(payload: unknown, options: { secret?: string; deliveryId?: string } = {}): Delivery {
  return buildSignedJiraDelivery(payload, options.secret ?? JIRA_SECRET, { identifier: options.deliveryId ?? randomUUID() });
}

/** Jira's headers over arbitrary raw bytes: `X-Hub-Signature: sha256=<hex HMAC-SHA256>` (TRACKERS.md §6). */
export function signedJiraRaw(body: string | Buffer, options: { secret?: string; deliveryId?: string } = {}): Delivery {
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Atlassian Webhook HTTP Client',
      'x-hub-signature': signJiraBody(body, options.secret ?? JIRA_SECRET),
      'x-atlassian-webhook-identifier': options.deliveryId ?? randomUUID(),
      'x-atlassian-webhook-flow': 'Primary',
    },
  };
}

/** The header that carries the delivery id on each route. */
export const DELIVERY_HEADER: Record<Route, string> = { linear: 'linear-delivery', jira: 'x-atlassian-webhook-identifier' };
/** The header that carries the signature on each route. */
export const SIGNATURE_HEADER: Record<Route, string> = { linear: 'linear-signature', jira: 'x-hub-signature' };

/** `delivery` with some headers replaced, and those mapped to undefined removed. */
export function withHeaders(delivery: Delivery, changes: Record<string, string | undefined>): Delivery {
  const headers = { ...delivery.headers };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return { headers, body: delivery.body };
}

export function post(app: FastifyInstance, route: Route, delivery: Delivery): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: `/webhooks/${route}`, headers: delivery.headers, payload: delivery.body });
}

// ---- The receiver ----------------------------------------------------------

export interface WebhookApp {
  app: FastifyInstance;
  queues: Queues;
  /** Where the route puts accepted deliveries. */
  inbox: Inbox;
  metrics: Metrics;
  /** The connection /readyz pings. */
  redis: Redis;
  /** The queues' own connection. */
  queueRedis: Redis;
  close(): Promise<void>;
}

export interface WebhookAppOptions {
  redisUrl: string;
  /** Unique per test: `{t-<uuid>}`. */
  prefix: string;
  linearSecrets?: string[];
  jiraSecrets?: string[];
  maxBodyBytes?: number;
  timeouts?: AppDeps['timeouts'];
}

/** Production's options: commands fail at once while Redis is away, so webhooks get 503 and the sender retries. */
export const PRODUCTION_REDIS_OPTIONS = { maxRetriesPerRequest: 1, enableOfflineQueue: false, enableAutoPipelining: true } as const;

export async function startWebhookApp(options: WebhookAppOptions): Promise<WebhookApp> {
  const redis = new Redis(options.redisUrl, { ...PRODUCTION_REDIS_OPTIONS, lazyConnect: true });
  redis.on('error', () => undefined);
  await redis.connect();
  const queueRedis = new Redis(options.redisUrl, PRODUCTION_REDIS_OPTIONS);
  queueRedis.on('error', () => undefined);
  const queues = createQueues({ connection: queueRedis, prefix: options.prefix });
  // As start-cascade does (reportRedisErrors): queues have an 'error' listener.
  for (const queue of queues.all()) queue.on('error', () => undefined);
  // Ready before any test runs: BullMQ 5.81 leaves an unhandled rejection per queue when
  // queues closed before their first connection is ready see that connection fail.
  await Promise.all(queues.all().map((queue) => queue.waitUntilReady()));
  const metrics = createMetrics();
  const linearSecrets = options.linearSecrets ?? [LINEAR_SECRET];
  const inbox = new Inbox(queueRedis, keysFor(options.prefix));
  const app = await buildApp({
    logger: pino({ level: 'silent' }),
    inbox,
    metrics,
    ping: () => redis.ping(),
    webhooks: {
      secrets: { linear: linearSecrets, jira: options.jiraSecrets ?? [JIRA_SECRET] },
      ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
    },
    adminTokens: [],
    timeouts: options.timeouts,
  });
  let closing: Promise<void> | undefined;
  return {
    app,
    queues,
    inbox,
    metrics,
    redis,
    queueRedis,
    // Every step runs even when Redis is gone; disconnect (not quit) never waits for an answer.
    close: () =>
      (closing ??= (async () => {
        await Promise.allSettled([app.close()]);
        // Leave the shared Redis as found; skipped when this Redis is gone (the outage test).
        if (queueRedis.status === 'ready') await Promise.allSettled(queues.all().map((queue) => queue.obliterate({ force: true })));
        await Promise.allSettled([queues.close()]);
        redis.disconnect();
        queueRedis.disconnect();
      })()),
  };
}

/** Accepted events, moved from the inbox into the events queue as a worker would (no worker runs in these tests). */
export async function queuedEvents(queues: Queues, inbox: Inbox): Promise<Array<Job<EventJob>>> {
  while ((await inbox.drain(queues.events)) > 0);
  return queues.events.getJobs(['wait', 'paused', 'prioritized', 'delayed', 'active']);
}
