// POST /webhooks/<tracker>/:installation: deliveries to the webhooks a tracker's
// app registered per installation (Jira's dynamic webhooks). Such a delivery has
// no HMAC: it proves its sender with `Authorization: Bearer <JWT>` signed with
// the app's client secret, and names its installation only through the URL.
// In this order: content type, the JWT (before the body is read; forged,
// expired or missing → 401), the installation (unknown, revoked, or another
// tracker's → 200 `ignored`, so the tracker stops retrying), then the same
// normalise, shape check, dedupe and queue as POST /webhooks/<tracker>, with the
// installation on the queued delivery.
import { createHash } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Counter } from 'prom-client';
import type { AppEnv } from '../config/environment.js';
import type { Inbox } from '../queue/inbox.js';
import type { InstallationRecord } from '../records/installation.js';
import { isNormalisedEvent, eventProblem } from '../trackers/event-checks.js';
import { TRACKER_IDS, TRACKERS } from '../trackers/registry.js';
import { BadSignatureError, MalformedPayloadError, MissingSignatureError, QueueUnavailableError } from '../trackers/webhook-errors.js';
import type { TrackerId } from '../strategy/types.js';

export interface AppWebhookRoutesOptions {
  env: AppEnv;
  inbox: Inbox;
  /** The inbox of the installation's tenant (default: `inbox`). */
  inboxFor?(tenant: string): Inbox;
  /** The installation by id (the installation store's get). */
  installation(id: string): Promise<Pick<InstallationRecord, 'id' | 'tracker' | 'status' | 'tenant'> | undefined>;
  /** Bodies above this get 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Epoch ms, to judge the JWT's exp against. Default Date.now. */
  now?: () => number;
  /** Deliveries by tracker and outcome (the same counter as POST /webhooks/<tracker>'s). */
  deliveries?: Counter<'tracker' | 'outcome'>;
}

type Params = { installation: string };

export const appWebhookRoutes: FastifyPluginAsync<AppWebhookRoutesOptions> = async (app, options) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.maxBodyBytes ?? 1024 * 1024 }, (_req, body, done) => done(null, body));
  const now = options.now ?? Date.now;

  for (const tracker of TRACKER_IDS) {
    const trackerApp = TRACKERS[tracker].app;
    const webhook = trackerApp?.webhook;
    if (!trackerApp || !webhook || !trackerApp.configured(options.env)) continue;
    const count = (outcome: string): void => options.deliveries?.labels({ tracker, outcome }).inc();
    // Before the body is read: an unproven sender costs no buffering.
    const onRequest = (request: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void): void => {
      const type = String(request.headers['content-type'] ?? '');
      if (!/^application\/json\b/i.test(type)) {
        count('malformed');
        return done(new MalformedPayloadError(`content type must be application/json, not "${type || 'none'}"`));
      }
      const refusal = webhook.refusal(request.headers.authorization, options.env, now());
      if (refusal === null) return done();
      count('unauthorised');
      if (refusal === 'missing') return done(new MissingSignatureError('Authorization'));
      request.log.warn({ refusal }, `a ${tracker} app delivery was refused (${refusal}): only Jira, signing with the app's client secret, can send one`);
      return done(new BadSignatureError(`the JWT (${refusal}); the app's client secret`));
    };
    app.post<{ Params: Params; Body: Buffer }>(webhook.path, { onRequest, schema: { hide: true } }, async (request, reply) => {
      const outcome = await accept(request, options, tracker, webhook.deliveryHeader).catch((err: unknown) => {
        count((err as { statusCode?: number }).statusCode === 503 ? 'unavailable' : 'malformed');
        throw err;
      });
      count(outcome);
      return reply.send({ status: outcome });
    });
  }
};

async function accept(request: FastifyRequest<{ Params: Params; Body: Buffer }>, options: AppWebhookRoutesOptions, tracker: TrackerId, deliveryHeader: string): Promise<'queued' | 'duplicate' | 'ignored'> {
  const id = request.params.installation;
  const installation = /^[A-Za-z0-9_-]{1,80}$/.test(id) ? await options.installation(id) : undefined;
  if (!installation || installation.tracker !== tracker || installation.status === 'revoked') {
    request.log.info({ installation: id }, `a ${tracker} delivery for ${installation ? 'a revoked' : 'an unknown'} installation was ignored`);
    return 'ignored';
  }
  if (!Buffer.isBuffer(request.body)) throw new MalformedPayloadError('empty body');
  let payload: unknown;
  try {
    payload = JSON.parse(request.body.toString('utf8'));
  } catch {
    throw new MalformedPayloadError('the body is not JSON');
  }
  const normalised = TRACKERS[tracker].webhook.normalise(payload);
  if ('malformed' in normalised) throw new MalformedPayloadError(normalised.malformed);
  if ('ignored' in normalised) return 'ignored';
  if (!isNormalisedEvent(normalised.event)) throw new MalformedPayloadError(eventProblem(normalised.event));
  const header = request.headers[deliveryHeader];
  const deliveryId = Array.isArray(header) ? header[0] : header;
  if (!deliveryId || deliveryId.length > 200) throw new MalformedPayloadError(`missing or invalid ${deliveryHeader} header`);
  try {
    // The JWT does not sign the body: the same bytes under another identifier are the same event (a replay), taken once in 24 h.
    const bodyDigest = createHash('sha256').update(request.body).digest('hex');
    return await (options.inboxFor?.(installation.tenant) ?? options.inbox).accept({ tracker, installation: installation.id, tenant: installation.tenant, deliveryId, receivedAt: new Date().toISOString(), event: normalised.event }, bodyDigest);
  } catch (err) {
    request.log.warn({ err }, 'could not queue the delivery: is Redis reachable? The tracker will retry');
    throw new QueueUnavailableError();
  }
}
