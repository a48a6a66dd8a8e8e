// buildApp(deps): the Fastify instance with its plugins and routes, unstarted.
// Tests call app.inject(); the entry point listens.
import Fastify, { LogController, type FastifyError, type FastifyInstance } from 'fastify';
import type { FastifyBaseLogger } from 'fastify';
import { randomUUID } from 'node:crypto';
import { healthRoutes } from './routes/health.js';
import { webhookRoutes } from './routes/webhooks.js';
import { metricsRoutes } from './routes/metrics.js';
import { registerOpenApi } from './routes/admin/open-api.js';
import type { Inbox } from './queue/inbox.js';
import { measureInbox, type Metrics } from './metrics.js';
import { startDeliveryChecker } from './webhooks/delivery-checker.js';
import type { DeliverySecrets } from './webhooks/check-delivery.js';
import type { WorkspaceRouter } from './installs/workspace-directory.js';
import { perTracker, TRACKER_IDS, TRACKERS } from './trackers/registry.js';
import type { NamedToken } from './config/environment.js';

export interface AppDeps {
  logger: FastifyBaseLogger;
  /** Where accepted deliveries go (see src/queue/inbox.ts). */
  inbox: Inbox;
  /** Another tenant's inbox (see src/routes/webhooks.ts); absent: one tenant. */
  inboxFor?(tenant: string): Inbox;
  metrics: Metrics;
  /** Resolves when Redis answers. */
  ping(): Promise<unknown>;
  webhooks: {
    /** Signing secrets by tracker (several while rotating); a tracker without one has no webhook route. */
    secrets: DeliverySecrets;
    /** Default 1 MiB. */
    maxBodyBytes?: number;
    /**
     * Verify and parse deliveries in a thread of their own (src/webhooks/delivery-checker.ts).
     * Default true; false keeps them on the event loop.
     */
    checkOffThread?: boolean;
    /** Which installation a delivery belongs to (apps installed in several workspaces); absent: the default one. */
    router?: WorkspaceRouter;
  };
  /** Tokens that may read /metrics (the admin tokens). */
  adminTokens: NamedToken[];
  /** Further route plugins (admin, digest), registered after the core ones. */
  plugins?: Array<(app: FastifyInstance) => Promise<void>>;
  /** Socket bounds; the defaults suit production (tests shorten them). */
  timeouts?: Partial<HttpTimeouts>;
}

export interface HttpTimeouts {
  /** The whole request, body included, must arrive within this. Default 10 s. */
  requestMs: number;
  /** A socket silent this long is closed. Default 75 s: longer than Fastify's keep-alive (72 s), which closes idle ones first. */
  connectionMs: number;
  /** How often Node checks requests against requestMs. Default 1 s. */
  checkEveryMs: number;
}

/**
 * A slow or stalled sender (a slowloris, a dead proxy) must not hold a socket
 * for ever: trackers send small bodies at once, so 10 s for a request is ample.
 */
export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = { requestMs: 10_000, connectionMs: 75_000, checkEveryMs: 1000 };


export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const timeouts = { ...DEFAULT_HTTP_TIMEOUTS, ...deps.timeouts };
  const deliveryHeaders = TRACKER_IDS.map((id) => TRACKERS[id].webhook.deliveryHeader);
  const app = Fastify({
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.connectionMs,
    // Node checks requestTimeout on this interval (30 s by default, which would triple the bound),
    // and silently skips the check while headersTimeout (60 s by default) exceeds requestTimeout.
    http: { connectionsCheckingInterval: timeouts.checkEveryMs, requestTimeout: timeouts.requestMs, headersTimeout: Math.min(timeouts.requestMs, 60_000) },
    loggerInstance: deps.logger,
    // One line per check is the workers' job; the receiver logs deliveries at debug.
    logController: new LogController({ disableRequestLogging: true }),
    // Every log line of a delivery carries its id.
    genReqId: (req) => {
      for (const name of deliveryHeaders) {
        const value = req.headers[name];
        if (typeof value === 'string' && value.length <= 200) return value;
      }
      return randomUUID();
    },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status < 500) {
      // Fastify's own 415 for a missing content type is, for callers, a malformed request.
      const code = error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 400 : status;
      return reply.code(code).send({ error: error.code ?? 'BAD_REQUEST', message: error.message });
    }
    request.log.error({ err: error }, 'request failed');
    // Webhook senders retry on 503; nothing a sender does may produce a 500.
    const unavailable = status === 503 || request.url.startsWith('/webhooks/');
    return reply.code(unavailable ? 503 : 500).send({
      error: unavailable ? (error.code ?? 'CASCADE_UNAVAILABLE') : 'CASCADE_INTERNAL',
      message: unavailable ? 'temporarily unavailable; retry later' : 'internal error: see the server log',
    });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` }));

  // First, so the OpenAPI description sees every route registered after it.
  await registerOpenApi(app);
  await app.register(healthRoutes, { ping: deps.ping });
  measureInbox(deps.metrics, deps.inbox);
  await app.register(metricsRoutes, { registry: deps.metrics.registry, tokens: deps.adminTokens });
  const { secrets } = deps.webhooks;
  const checker = startDeliveryChecker(secrets, { offThread: deps.webhooks.checkOffThread ?? true });
  app.addHook('onClose', () => checker.close());
  await app.register(webhookRoutes, {
    serve: perTracker((id) => (secrets[id] ?? []).length > 0),
    checker,
    inbox: deps.inbox,
    ...(deps.inboxFor ? { inboxFor: deps.inboxFor } : {}),
    maxBodyBytes: deps.webhooks.maxBodyBytes ?? 1024 * 1024,
    deliveries: deps.metrics.deliveries,
    router: deps.webhooks.router,
  });
  for (const plugin of deps.plugins ?? []) await app.register(plugin);
  return app;
}
