// Dynamic webhooks, as OAuth 2.0 apps register them (TRACKERS.md "Jira Cloud
// OAuth 2.0 (3LO)"): POST/GET/DELETE /rest/api/3/webhook and PUT …/refresh, for
// app tokens only; JQL limited to the fields and operators Jira allows, an empty
// or unsupported one refused inside the 200 answer; each webhook expires 30 days
// after its registration or last refresh, and an expired one stops delivering
// without a word. Deliveries carry `Authorization: Bearer <JWT>` (HS256, the
// app's client secret) and go to the registered URL with ?triggeredByUser=.
import { createHmac, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { matches } from './jql-eval.js';
import { parseJql, type JqlExpr } from './jql-parse.js';
import type { SandboxClock } from './oauth.js';
import type { JiraStore } from './store.js';
import { DeliveriesInFlight, type DeliveryRecord } from './webhooks.js';
import { JiraSandboxError, type StoreChange } from './types.js';

export const WEBHOOK_LIFETIME_MS = 30 * 24 * 3600_000;
/** At most this many per app, per user, per site. */
const MAX_PER_APP = 5;
const EVENTS = new Set(['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted', 'comment_created', 'comment_updated', 'comment_deleted']);
const JQL_FIELDS = new Set(['issuekey', 'project', 'issuetype', 'status', 'assignee', 'reporter']);
const JQL_OPERATORS = new Set(['=', '!=', 'in', 'not in']);
const ONLY_APPS = 'Only Connect and OAuth 2.0 apps can access this resource.';

export interface DynamicWebhook {
  id: number;
  cloudId: string;
  clientId: string;
  /** The account whose token registered it. */
  accountId: string;
  url: string;
  events: string[];
  jqlFilter: string;
  fieldIdsFilter?: string[];
  expiresAt: number;
  where: JqlExpr;
}

/** The app behind a request's token, when it is an OAuth 2.0 app. */
export type AppOf = (request: FastifyRequest) => { clientId: string; accountId: string } | undefined;

let nextWebhookId = 1000;

/** Why Jira would refuse the filter, or undefined. */
function jqlProblem(jql: unknown): string | undefined {
  if (typeof jql !== 'string' || jql.trim() === '') return 'The JQL filter cannot be empty.';
  let where: JqlExpr | null;
  try {
    where = parseJql(jql).where;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  if (!where) return 'The JQL filter cannot be empty.';
  const visit = (expr: JqlExpr): string | undefined => {
    if (expr.type === 'and' || expr.type === 'or') return expr.items.map(visit).find(Boolean);
    if (expr.type === 'not') return visit(expr.expr);
    const field = expr.field.toLowerCase();
    if (!JQL_FIELDS.has(field) && !/^cf\[\d+\]$/.test(field) && !field.startsWith('issue.property')) return `Field '${expr.field}' is not supported in webhook JQL filters.`;
    if (!JQL_OPERATORS.has(expr.op)) return `Operator '${expr.op.toUpperCase()}' is not supported in webhook JQL filters; use =, !=, IN or NOT IN.`;
    return undefined;
  };
  return visit(where);
}

/** A delivery's JWT as Jira signs it: HS256 with the app's client secret. */
export function signDeliveryJwt(secret: string, claims: Record<string, unknown>): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

export class DynamicWebhooks {
  private readonly hooks = new Map<number, DynamicWebhook>();
  private readonly inFlight = new DeliveriesInFlight();
  readonly log: Array<DeliveryRecord & { webhookId: number; url: string }> = [];

  constructor(
    private readonly clock: SandboxClock,
    private readonly clientSecret: (clientId: string) => string | undefined,
  ) {}

  /** Every webhook of a site, expired ones too (tests look at them). */
  list(cloudId: string): DynamicWebhook[] {
    return [...this.hooks.values()].filter((h) => h.cloudId === cloudId);
  }

  /** Removes one as a site admin would (or as Jira does to a webhook of an uninstalled app). */
  remove(id: number): void {
    this.hooks.delete(id);
  }

  routes(app: FastifyInstance, cloudId: string | undefined, appOf: AppOf): void {
    const requireApp = (request: FastifyRequest): { clientId: string; accountId: string } => {
      const caller = cloudId === undefined ? undefined : appOf(request);
      if (!caller) throw new JiraSandboxError(403, [ONLY_APPS]);
      return caller;
    };
    const mine = (caller: { clientId: string }, ids: unknown): DynamicWebhook[] => {
      if (!Array.isArray(ids) || ids.length === 0) throw new JiraSandboxError(400, [], { webhookIds: 'webhookIds must list at least one id.' });
      return ids.map((id) => this.hooks.get(Number(id))).filter((h): h is DynamicWebhook => h !== undefined && h.cloudId === cloudId && h.clientId === caller.clientId);
    };

    app.post('/rest/api/3/webhook', async (request) => {
      const caller = requireApp(request);
      const body = (request.body ?? {}) as { url?: unknown; webhooks?: unknown };
      if (typeof body.url !== 'string' || !/^https?:\/\//.test(body.url)) throw new JiraSandboxError(400, [], { url: 'The webhook URL must be an absolute http(s) URL.' });
      if (!Array.isArray(body.webhooks) || body.webhooks.length === 0) throw new JiraSandboxError(400, [], { webhooks: 'At least one webhook is required.' });
      const url = body.url;
      const results = (body.webhooks as Array<{ events?: unknown; jqlFilter?: unknown; fieldIdsFilter?: unknown }>).map((spec) => {
        const ownCount = [...this.hooks.values()].filter((h) => h.cloudId === cloudId && h.clientId === caller.clientId && h.accountId === caller.accountId).length;
        const events = Array.isArray(spec.events) ? spec.events.map(String) : [];
        const problem =
          jqlProblem(spec.jqlFilter) ??
          (events.length === 0 || events.some((e) => !EVENTS.has(e)) ? `Events must be some of ${[...EVENTS].join(', ')}.` : undefined) ??
          (ownCount >= MAX_PER_APP ? `The maximum of ${MAX_PER_APP} webhooks per app and user is reached.` : undefined);
        if (problem) return { errors: [problem] };
        const hook: DynamicWebhook = {
          id: nextWebhookId++,
          cloudId: cloudId as string,
          clientId: caller.clientId,
          accountId: caller.accountId,
          url,
          events,
          jqlFilter: spec.jqlFilter as string,
          ...(Array.isArray(spec.fieldIdsFilter) ? { fieldIdsFilter: spec.fieldIdsFilter.map(String) } : {}),
          expiresAt: this.clock.now() + WEBHOOK_LIFETIME_MS,
          where: parseJql(spec.jqlFilter as string).where as JqlExpr,
        };
        this.hooks.set(hook.id, hook);
        return { createdWebhookId: hook.id };
      });
      return { webhookRegistrationResult: results };
    });

    app.get<{ Querystring: { startAt?: string; maxResults?: string } }>('/rest/api/3/webhook', async (request) => {
      const caller = requireApp(request);
      const all = [...this.hooks.values()].filter((h) => h.cloudId === cloudId && h.clientId === caller.clientId);
      const startAt = Math.max(0, Number(request.query.startAt ?? 0) || 0);
      const maxResults = Math.min(100, Math.max(1, Number(request.query.maxResults ?? 100) || 100));
      const values = all.slice(startAt, startAt + maxResults).map((h) => ({
        id: h.id,
        jqlFilter: h.jqlFilter,
        events: h.events,
        expirationDate: h.expiresAt,
        ...(h.fieldIdsFilter ? { fieldIdsFilter: h.fieldIdsFilter } : {}),
      }));
      return { maxResults, startAt, total: all.length, isLast: startAt + values.length >= all.length, values };
    });

    app.put('/rest/api/3/webhook/refresh', async (request) => {
      const caller = requireApp(request);
      const expiresAt = this.clock.now() + WEBHOOK_LIFETIME_MS;
      for (const hook of mine(caller, (request.body as { webhookIds?: unknown } | undefined)?.webhookIds)) hook.expiresAt = expiresAt;
      return { expirationDate: expiresAt };
    });

    app.delete('/rest/api/3/webhook', async (request, reply) => {
      const caller = requireApp(request);
      for (const hook of mine(caller, (request.body as { webhookIds?: unknown } | undefined)?.webhookIds)) this.hooks.delete(hook.id);
      return reply.code(202).send();
    });
  }

  /** Sends a site's change to every live webhook whose events and JQL it matches. */
  dispatch(cloudId: string, store: JiraStore, change: StoreChange, payloads: Array<Record<string, unknown>>): void {
    const now = this.clock.now();
    for (const hook of this.hooks.values()) {
      if (hook.cloudId !== cloudId || hook.expiresAt <= now) continue;
      if (!matches(store, change.issue, hook.where)) continue;
      for (const payload of payloads) if (hook.events.includes(String(payload.webhookEvent))) this.send(hook, payload, change.actorId, now);
    }
  }

  private send(hook: DynamicWebhook, payload: Record<string, unknown>, actorId: string, now: number): void {
    const secret = this.clientSecret(hook.clientId) ?? '';
    const seconds = Math.floor(now / 1000);
    const jwt = signDeliveryJwt(secret, { iss: hook.clientId, iat: seconds, exp: seconds + 180, sub: hook.accountId });
    const url = new URL(hook.url);
    url.searchParams.set('triggeredByUser', actorId);
    const identifier = randomUUID();
    const record = { webhookEvent: String(payload.webhookEvent), identifier, webhookId: hook.id, url: url.toString() } as DeliveryRecord & { webhookId: number; url: string };
    this.log.push(record);
    this.inFlight.post(url, {
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Atlassian Webhook HTTP Client',
        authorization: `Bearer ${jwt}`,
        'x-atlassian-webhook-identifier': identifier,
        'x-atlassian-webhook-flow': 'Primary',
      },
      body: JSON.stringify({ ...payload, matchedWebhookIds: [hook.id] }),
    }, record);
  }

  flush(): Promise<void> {
    return this.inFlight.flush();
  }
}
