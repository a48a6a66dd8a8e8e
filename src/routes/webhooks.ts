// POST /webhooks/linear and /webhooks/jira: verify, dedupe, normalise, queue.
// Nothing else happens here; the workers decide what an event means.
// Checks run in a fixed order: content type, signature header (both before
// the body is read: an unsigned sender costs no buffering), signature (on the
// raw bytes), parse (once), shape, delivery id.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Counter } from 'prom-client';
import type { TrackerId } from '../strategy/types.js';
import type { Inbox } from '../queue/inbox.js';
import type { LinearVerifier } from '../webhooks/verify-linear.js';
import { verifyJiraSignature } from '../webhooks/verify-jira.js';
import { normaliseLinear } from '../webhooks/normalise-linear.js';
import { normaliseJira } from '../webhooks/normalise-jira.js';
import type { Normalised } from '../webhooks/normalised-event.js';
import { eventProblem, isNormalisedEvent } from '../webhooks/event-schema.js';
import {
  BadSignatureError,
  MalformedPayloadError,
  MissingSignatureError,
  QueueUnavailableError,
} from '../webhooks/webhook-errors.js';

export interface WebhookRoutesOptions {
  /** Absent: POST /webhooks/linear is not served (no LINEAR_WEBHOOK_SECRET). */
  linear?: LinearVerifier;
  /** Empty: POST /webhooks/jira is not served (no JIRA_WEBHOOK_SECRET). */
  jiraSecrets: string[];
  inbox: Inbox;
  /** Bodies above this get 413. */
  maxBodyBytes: number;
  deliveries: Counter<'tracker' | 'outcome'>;
}

interface Delivery {
  tracker: TrackerId;
  deliveryHeader: string;
  /** As the tracker spells it (error messages); looked up in lower case. */
  signatureHeader: string;
  /** Verifies the signature on the raw bytes and returns the parsed body. */
  verify(request: FastifyRequest<{ Body: Buffer }>): unknown;
  normalise(body: unknown): Normalised;
}

export const webhookRoutes: FastifyPluginAsync<WebhookRoutesOptions> = async (app, options) => {
  // Keep the raw bytes: any re-serialisation would break the HMAC.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.maxBodyBytes }, (_req, body, done) => done(null, body));

  const { linear } = options;
  if (linear) {
    route(app, options, {
      tracker: 'linear',
      deliveryHeader: 'linear-delivery',
      signatureHeader: 'linear-signature',
      verify: (request) => linear(request.body, header(request, 'linear-signature')),
      normalise: normaliseLinear,
    });
  }
  if (options.jiraSecrets.length > 0) {
    route(app, options, {
      tracker: 'jira',
      deliveryHeader: 'x-atlassian-webhook-identifier',
      signatureHeader: 'X-Hub-Signature',
      verify: (request) => {
        const signature = header(request, 'x-hub-signature') ?? '';
        if (!verifyJiraSignature(request.body, signature, options.jiraSecrets)) throw new BadSignatureError('JIRA_WEBHOOK_SECRET');
        try {
          return JSON.parse(request.body.toString('utf8'));
        } catch {
          throw new MalformedPayloadError('the body is not JSON');
        }
      },
      normalise: normaliseJira,
    });
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
  app.post<{ Body: Buffer }>(`/webhooks/${delivery.tracker}`, { onRequest }, async (request, reply) => {
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
  const body = delivery.verify(request);
  const normalised = delivery.normalise(body);
  if ('malformed' in normalised) throw new MalformedPayloadError(normalised.malformed);
  const deliveryId = header(request, delivery.deliveryHeader);
  if (!deliveryId || deliveryId.length > 200) throw new MalformedPayloadError(`missing or invalid ${delivery.deliveryHeader} header`);
  if ('ignored' in normalised) {
    request.log.debug({ reason: normalised.ignored }, 'delivery ignored');
    return 'ignored';
  }
  // What the normaliser made must have the shape the workers expect: a bad one is the sender's 400, never a failing job.
  if (!isNormalisedEvent(normalised.event)) throw new MalformedPayloadError(eventProblem(normalised.event));
  let result: 'queued' | 'duplicate';
  try {
    result = await options.inbox.accept({ tracker: delivery.tracker, deliveryId, receivedAt: new Date().toISOString(), event: normalised.event });
  } catch (err) {
    request.log.warn({ err }, 'could not queue the delivery: is Redis reachable? The tracker will retry');
    throw new QueueUnavailableError();
  }
  request.log.debug({ result }, 'delivery accepted');
  return result;
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
