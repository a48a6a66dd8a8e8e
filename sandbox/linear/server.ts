// startLinearSandbox: the in-memory workspace served as Linear's GraphQL API on
// 127.0.0.1, with Linear's authentication, rate-limit answers and headers, and
// (optionally) signed webhooks for every change.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema, graphql, type GraphQLError } from 'graphql';
import { LINEAR_SANDBOX_SDL } from './schema-sdl.js';
import { LinearStore } from './store.js';
import { rootValue } from './root-resolvers.js';
import { authenticationError, rateLimitedError } from './errors.js';
import { envelopeFor, newWebhookId } from './webhook-payloads.js';
import { WebhookSender, type WebhookSenderLog } from './webhook-sender.js';

export interface LinearSandboxOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** The key the bot user authenticates with, raw or as `Bearer …`. Default `lin_api_sandbox`. */
  apiKey?: string;
  /** When set, every change is POSTed to `url`, signed with `secret`. Default: no webhooks. */
  webhook?: { url: string; secret: string };
  /** Fills the store before webhooks are attached, so seeding sends nothing. */
  seed?: (store: LinearStore) => void;
  /** Requests allowed per window, reported in X-RateLimit-Requests-Limit. Default 5000. */
  requestsLimit?: number;
  /** Where failed webhook deliveries are reported. Default: nowhere. */
  log?: WebhookSenderLog;
  /** Answer every request this much later, as a real tracker does (widens races in tests). Default 0. */
  latencyMs?: number;
}

export interface LinearSandbox {
  /** The GraphQL endpoint, for LinearClient's `apiUrl`. */
  apiUrl: string;
  apiKey: string;
  store: LinearStore;
  /** HTTP requests received so far (answered, refused or rate-limited). */
  requestCount(): number;
  /** Answer the next `times` requests as Linear does when rate-limited. */
  rateLimitNext(times: number, retryAfterSeconds: number): void;
  /** Answer the next `times` mutations with `status`: 429 as Linear's rate limit (see rateLimitNext), 500 as a server error; queries are served. */
  failNextWrites(times: number, status: 429 | 500): void;
  /** Requests answered with a rate limit so far. */
  rateLimitedCount(): number;
  /** Resolves when every webhook delivery started so far has finished. */
  flushWebhooks(): Promise<void>;
  close(): Promise<void>;
}

const HOUR_MS = 3_600_000;
const MAX_BODY_BYTES = 1_000_000;

export async function startLinearSandbox(options: LinearSandboxOptions = {}): Promise<LinearSandbox> {
  const apiKey = options.apiKey ?? 'lin_api_sandbox';
  const requestsLimit = options.requestsLimit ?? 5000;
  const schema = buildSchema(LINEAR_SANDBOX_SDL);
  const root = rootValue();
  const store = new LinearStore();
  options.seed?.(store);

  const webhookId = newWebhookId();
  const sender = options.webhook ? new WebhookSender(options.webhook.url, options.webhook.secret, options.log) : undefined;
  if (sender) store.onChange((change) => sender.send(envelopeFor(store, change, { webhookId })));

  let requests = 0;
  let rateLimited = 0;
  let limited: { remaining: number; retryAfterSeconds: number } | undefined;
  let failingWrites = { times: 0, status: 500 };
  const windowReset = () => Date.now() + HOUR_MS;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    requests += 1;
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (req.method !== 'POST' || url.pathname !== '/graphql') {
      return send(res, 404, { errors: [{ message: 'Not found' }] });
    }
    const raw = await readBody(req);
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    if (raw === null) return send(res, 413, { errors: [{ message: 'Request body too large' }] });

    if (limited && limited.remaining > 0) {
      limited.remaining -= 1;
      rateLimited += 1;
      const resetAt = Date.now() + limited.retryAfterSeconds * 1000;
      return send(res, 400, { errors: [formatError(rateLimitedError())] }, {
        'X-RateLimit-Requests-Limit': String(requestsLimit),
        'X-RateLimit-Requests-Remaining': '0',
        'X-RateLimit-Requests-Reset': String(resetAt),
      });
    }
    const rateHeaders = {
      'X-RateLimit-Requests-Limit': String(requestsLimit),
      'X-RateLimit-Requests-Remaining': String(Math.max(0, requestsLimit - requests)),
      'X-RateLimit-Requests-Reset': String(windowReset()),
    };
    const token = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
    if (token !== apiKey) return send(res, 400, { errors: [formatError(authenticationError())] }, rateHeaders);

    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      return send(res, 400, { errors: [{ message: 'Body is not valid JSON' }] }, rateHeaders);
    }
    if (typeof body.query !== 'string') return send(res, 400, { errors: [{ message: 'Missing query' }] }, rateHeaders);
    if (failingWrites.times > 0 && /^\s*mutation\b/.test(body.query)) {
      failingWrites.times -= 1;
      if (failingWrites.status === 500) return send(res, 500, { errors: [{ message: 'Internal server error' }] });
      rateLimited += 1;
      return send(res, 400, { errors: [formatError(rateLimitedError())] }, { ...rateHeaders, 'X-RateLimit-Requests-Remaining': '0', 'X-RateLimit-Requests-Reset': String(Date.now() + 1000) });
    }
    const result = await graphql({
      schema,
      source: body.query,
      rootValue: root,
      contextValue: { store, viewerId: store.bot.id },
      variableValues: (body.variables ?? undefined) as Record<string, unknown> | undefined,
      operationName: typeof body.operationName === 'string' ? body.operationName : undefined,
    });
    const errors = result.errors?.map(formatError);
    // Linear answers a document that fails validation with 400, resolver errors with 200.
    const status = result.data === undefined && errors ? 400 : 200;
    return send(res, status, { ...(errors ? { errors } : {}), data: result.data ?? null }, rateHeaders);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      send(res, 500, { errors: [{ message: error instanceof Error ? error.message : 'Internal error' }] });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  return {
    apiUrl: `http://127.0.0.1:${port}/graphql`,
    apiKey,
    store,
    requestCount: () => requests,
    rateLimitedCount: () => rateLimited,
    rateLimitNext(times, retryAfterSeconds) {
      limited = { remaining: times, retryAfterSeconds };
    },
    failNextWrites(times, status) {
      failingWrites = { times, status };
    },
    flushWebhooks: async () => sender?.flush(),
    close() {
      closing ??= (async () => {
        await sender?.flush();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return closing;
    },
  };
}

function formatError(error: GraphQLError): Record<string, unknown> {
  return error.toJSON() as unknown as Record<string, unknown>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
