// POST /webhooks/<tracker>, one route per tracker in the registry whose webhook
// secret is set: verify, dedupe, normalise, queue.
// Nothing else happens here; the workers decide what an event means.
// Checks run in a fixed order: content type, signature header (both before
// the body is read: an unsigned sender costs no buffering), then the delivery
// check (signature on the raw bytes, parse once, the signed body's age,
// normalise, shape: src/webhooks/check-delivery.ts, run off the event loop by
// the checker), delivery id; then the inbox takes it unless it has the
// delivery id, or (Jira) the same signed bytes, from the last 24 h.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Counter } from 'prom-client';
import type { TrackerId } from '../strategy/types.js';
import type { Inbox } from '../queue/inbox.js';
import type { QueuedDelivery } from '../records/event-schema.js';
import { DEFAULT_TENANT } from '../tenants/tenant-ids.js';
import type { DeliveryChecker } from '../webhooks/delivery-checker.js';
import { refusalError } from '../webhooks/check-delivery.js';
import { MalformedPayloadError, MissingSignatureError, QueueUnavailableError } from '../trackers/webhook-errors.js';
import { TRACKER_IDS, TRACKERS } from '../trackers/registry.js';
import type { WorkspaceRouter } from '../installs/workspace-directory.js';

export interface WebhookRoutesOptions {
  /** Which routes are served: a tracker without a webhook secret has none. */
  serve: Partial<Record<TrackerId, boolean>>;
  /** Verifies, parses and normalises a delivery's bytes (on or off the event loop). */
  checker: DeliveryChecker;
  /** The `default` tenant's inbox. */
  inbox: Inbox;
  /** Another tenant's inbox, for a delivery routed to it (its installation's tenant); absent: every delivery goes to `inbox`. */
  inboxFor?(tenant: string): Inbox;
  /** Bodies above this get 413. */
  maxBodyBytes: number;
  deliveries: Counter<'tracker' | 'outcome'>;
  /**
   * Which installation a delivery belongs to, by the workspace its body names
   * (src/installs/workspace-directory.ts). Absent: every delivery is the default
   * installation's, as in a deployment without apps.
   */
  router?: WorkspaceRouter;
}

interface Delivery {
  tracker: TrackerId;
  path: string;
  deliveryHeader: string;
  /** As the tracker spells it (error messages); looked up in lower case. */
  signatureHeader: string;
}

export const webhookRoutes: FastifyPluginAsync<WebhookRoutesOptions> = async (app, options) => {
  // Keep the raw bytes: any re-serialisation would break the HMAC.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.maxBodyBytes }, (_req, body, done) => done(null, body));

  for (const tracker of TRACKER_IDS.filter((id) => options.serve[id])) {
    const { path, deliveryHeader, signatureHeader } = TRACKERS[tracker].webhook;
    route(app, options, { tracker, path, deliveryHeader, signatureHeader });
  }
};

function route(app: FastifyInstance, options: WebhookRoutesOptions, delivery: Delivery): void {
  // Bound once: prom-client hashes a label object on every inc(), and this runs per delivery.
  const counted = new Map<string, { inc(): void }>();
  const count = (outcome: string): void => {
    let counter = counted.get(outcome);
    if (!counter) counted.set(outcome, (counter = options.deliveries.labels({ tracker: delivery.tracker, outcome })));
    counter.inc();
  };
  // Before the body is read: what needs no body is refused without buffering one.
  // A callback hook, not an async one: this runs on every delivery, and a promise per request shows in the profile.
  const onRequest = (request: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void): void => {
    try {
      checkHeaders(request, delivery);
    } catch (err) {
      count(rejection(err));
      done(err as Error);
      return;
    }
    done();
  };
  app.post<{ Body: Buffer }>(delivery.path, { onRequest }, async (request, reply) => {
    const outcome = await handle(request, options, delivery).catch((err: unknown) => {
      count(rejection(err));
      throw err;
    });
    count(outcome);
    return reply.send({ status: outcome });
  });
}

async function handle(
  request: FastifyRequest<{ Body: Buffer }>,
  options: WebhookRoutesOptions,
  delivery: Delivery,
): Promise<'queued' | 'duplicate' | 'ignored'> {
  if (!Buffer.isBuffer(request.body)) throw new MalformedPayloadError('empty body');
  const receivedAt = Date.now();
  const verdict = await options.checker.check(delivery.tracker, request.body, header(request, delivery.signatureHeader.toLowerCase()), receivedAt);
  if (verdict.kind === 'refused') throw refusalError(verdict);
  if (verdict.kind === 'failed') throw new Error(`the delivery could not be checked: ${verdict.message}`);
  const deliveryId = header(request, delivery.deliveryHeader);
  if (!deliveryId || deliveryId.length > 200) throw new MalformedPayloadError(`missing or invalid ${delivery.deliveryHeader} header`);
  if (verdict.kind === 'ignored') {
    request.log.debug({ reason: verdict.reason }, 'delivery ignored');
    return 'ignored';
  }
  // Answered from memory in the common case: no promise to wait for.
  const routed = options.router ? options.router.route(delivery.tracker, verdict.event.workspaceId) : {};
  const route = routed instanceof Promise ? await routed : routed;
  if ('ignored' in route) {
    request.log.debug({ reason: route.ignored }, 'delivery ignored');
    return 'ignored';
  }
  let result: 'queued' | 'duplicate';
  try {
    const job: QueuedDelivery = { tracker: delivery.tracker, ...route, deliveryId, receivedAt: new Date(receivedAt).toISOString(), event: verdict.event };
    result = await inboxOf(options, job.tenant).accept(job, verdict.bodyDigest);
  } catch (err) {
    request.log.warn({ err }, 'could not queue the delivery: is Redis reachable? The tracker will retry');
    throw new QueueUnavailableError();
  }
  request.log.debug({ result }, 'delivery accepted');
  return result;
}

/** Each tenant's deliveries go to its own inbox, moved into its own events queue by its own workers. */
function inboxOf(options: WebhookRoutesOptions, tenant: string | undefined): Inbox {
  return tenant === undefined || tenant === DEFAULT_TENANT || !options.inboxFor ? options.inbox : options.inboxFor(tenant);
}

function checkHeaders(request: FastifyRequest, delivery: Delivery): void {
  const type = header(request, 'content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) throw new MalformedPayloadError(`content type must be application/json, not "${type || 'none'}"`);
  if (!header(request, delivery.signatureHeader.toLowerCase())) throw new MissingSignatureError(delivery.signatureHeader);
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function rejection(err: unknown): string {
  const code = (err as { statusCode?: number }).statusCode ?? 503;
  return code === 401 ? 'unauthorised' : code === 413 ? 'too_large' : code < 500 ? 'malformed' : 'unavailable';
}
