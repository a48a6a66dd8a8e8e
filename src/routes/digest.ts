// GET /digest (HTML), /digest.json and /digest/:isoWeek, behind DIGEST_TOKEN or
// an admin token in the Authorization header; a browser link may carry the
// digest token (never an admin token) as ?token= instead.
//
// A view never computes: the pages answer the stored digest at once. The week in
// progress is recomputed by a worker, asked for by the views (BullMQ
// deduplication: one job a minute for every viewer and receiver together), and
// stored as "current"; until the first one exists the pages say it is being
// computed and reload. Past weeks are the archive the scheduled job wrote.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import createError from '@fastify/error';
import { LRUCache } from 'lru-cache';
import type { NamedToken } from '../config/environment.js';
import { tokenCheck, UnauthorisedError } from './bearer-auth.js';
import { limitBadTokens, type BadTokenLimit } from './limit-bad-tokens.js';
import { CURRENT_DIGEST_REFRESH_MS } from '../digest/refresh-interval.js';
import { isIsoWeek, isoWeekOf } from '../strategy/iso-week.js';
import { renderDigestHtml } from '../digest/render-html.js';
import { renderPendingHtml } from '../digest/render-pending.js';
import type { Digest } from '../digest/types.js';
import type { DigestStore } from '../store/digest-store.js';

const BadWeekError = createError<[string]>('CASCADE_BAD_WEEK', '"%s" is not an ISO week: write it as 2026-W47', 400);
const NoDigestError = createError<[string]>('CASCADE_NO_DIGEST', 'no digest was recorded for %s', 404);

/** How long the "being computed" answers ask the reader to wait before asking again. */
const RETRY_AFTER_SECONDS = 5;
/** A receiver asks for a refresh at most this often (the queue deduplicates anyway; this spares Redis the calls). */
const ASK_AGAIN_MS = 5_000;
/** A receiver reads the stored digest's stamp at most this often: many viewers cost one small Redis read a second. */
const STAMP_READ_MS = 1_000;

export interface DigestRoutesOptions {
  digests: DigestStore;
  /** Accepted in the Authorization header only. */
  adminTokens: NamedToken[];
  /** DIGEST_TOKEN: in the header, or as ?token= in a link. */
  digestToken?: string;
  /** DIGEST_TZ: the zone weeks are counted in. */
  timeZone: string;
  now(): Date;
  /** Asks the workers to recompute the current digest (see src/queue/request-digest-refresh.ts). */
  requestRefresh(): Promise<unknown>;
  /** A current digest older than this is refreshed on the next view. Default a minute. */
  refreshEveryMs?: number;
  rateLimit?: BadTokenLimit;
}

/**
 * A stored digest as served: its JSON as stored, encoded once (every view sends
 * the same bytes), parsed and rendered only when a page needs it.
 */
class ServedDigest {
  readonly json: Buffer;
  private parsed: Digest | undefined;
  private readonly pages = new Map<string, Buffer>();
  constructor(
    private readonly text: string,
    readonly generatedAt: string,
  ) {
    this.json = Buffer.from(text);
  }

  html(options: { showNextWeek: boolean; token: string | undefined }): Buffer {
    const key = `${options.showNextWeek}|${options.token ?? ''}`;
    let page = this.pages.get(key);
    if (page === undefined) {
      this.parsed ??= JSON.parse(this.text) as Digest;
      page = Buffer.from(renderDigestHtml(this.parsed, options));
      this.pages.set(key, page);
    }
    return page;
  }
}

export const digestRoutes: FastifyPluginAsync<DigestRoutesOptions> = async (app, options) => {
  const linkTokens = options.digestToken ? [{ name: 'digest', token: options.digestToken }] : [];
  const tokens = [...options.adminTokens, ...linkTokens];
  if (tokens.length === 0) return; // no token configured: the digest is not served
  const check = tokenCheck(tokens, { queryTokens: linkTokens });
  await limitBadTokens(app, check, options.rateLimit);
  // After the rate limit (an onRequest hook), so a guesser is counted before the 401.
  app.addHook('preHandler', async (request) => {
    if (!check.nameOf(request)) throw new UnauthorisedError();
  });

  const refreshEveryMs = options.refreshEveryMs ?? CURRENT_DIGEST_REFRESH_MS;
  const { digests } = options;
  let current: ServedDigest | undefined;
  let lastAsked = Number.NEGATIVE_INFINITY;
  let stampRead: { at: number; stamp: ReturnType<DigestStore['currentStamp']> } | undefined;
  const currentStamp = (): ReturnType<DigestStore['currentStamp']> => {
    if (!stampRead || Date.now() - stampRead.at >= STAMP_READ_MS) {
      const stamp = digests.currentStamp();
      stampRead = { at: Date.now(), stamp };
      // A failed read is not kept: the next view reads again.
      stamp.catch(() => {
        if (stampRead?.stamp === stamp) stampRead = undefined;
      });
    }
    return stampRead.stamp;
  };
  /** Archived weeks do not change once written (a re-run of the scheduled job shows within a minute). */
  const archive = new LRUCache<string, ServedDigest>({ max: 16, ttl: 60_000 });

  const askForRefresh = (request: FastifyRequest): void => {
    if (Date.now() - lastAsked < ASK_AGAIN_MS) return;
    lastAsked = Date.now();
    options.requestRefresh().catch((err: unknown) => request.log.warn({ err }, 'could not ask the workers to recompute the digest; the next view asks again'));
  };

  /** The stored current digest of the week `week` (any week when undefined); asks for a refresh when it is missing, stale or of an earlier week. */
  const storedCurrent = async (request: FastifyRequest, week: string | undefined): Promise<ServedDigest | null> => {
    const now = options.now();
    const thisWeek = isoWeekOf(now, options.timeZone);
    const stamp = await currentStamp();
    if (!stamp || stamp.isoWeek !== thisWeek || now.getTime() - Date.parse(stamp.computedAt) >= refreshEveryMs) askForRefresh(request);
    if (!stamp || (week !== undefined && stamp.isoWeek !== week)) return null;
    if (current?.generatedAt !== stamp.computedAt) {
      const stored = await digests.current();
      if (!stored) return null;
      current = new ServedDigest(stored.json, stored.computedAt);
    }
    return current;
  };

  const headers = { 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:", 'referrer-policy': 'no-referrer' };
  const sendHtml = (reply: FastifyReply, served: ServedDigest, request: FastifyRequest, showNextWeek: boolean): FastifyReply =>
    // Links repeat only a digest token that came in this page's own URL; an admin token never enters a link.
    reply.headers(headers).type('text/html; charset=utf-8').send(served.html({ showNextWeek, token: check.linkToken(request) }));
  const sendJson = (reply: FastifyReply, served: ServedDigest): FastifyReply => reply.header('cache-control', 'no-store').type('application/json; charset=utf-8').send(served.json);
  const sendPending = (reply: FastifyReply, week: string, json: boolean): FastifyReply => {
    reply.code(202).header('cache-control', 'no-store').header('retry-after', String(RETRY_AFTER_SECONDS));
    if (json) return reply.send({ status: 'computing', isoWeek: week, message: `the digest for ${week} is being computed: ask again in a few seconds`, retryAfterSeconds: RETRY_AFTER_SECONDS });
    return reply.headers(headers).type('text/html; charset=utf-8').send(renderPendingHtml(week, RETRY_AFTER_SECONDS));
  };
  const thisWeek = (): string => isoWeekOf(options.now(), options.timeZone);

  app.get('/digest', async (request, reply) => {
    const served = await storedCurrent(request, undefined);
    return served ? sendHtml(reply, served, request, false) : sendPending(reply, thisWeek(), false);
  });
  app.get('/digest.json', async (request, reply) => {
    const served = await storedCurrent(request, undefined);
    return served ? sendJson(reply, served) : sendPending(reply, thisWeek(), true);
  });
  app.get<{ Params: { isoWeek: string } }>('/digest/:isoWeek', async (request, reply) => {
    const json = request.params.isoWeek.endsWith('.json');
    const wanted = request.params.isoWeek.replace(/\.json$/, '');
    if (!isIsoWeek(wanted)) throw new BadWeekError(wanted);
    const isCurrent = wanted === thisWeek();
    let served: ServedDigest | null | undefined = isCurrent ? undefined : archive.get(wanted);
    if (served === undefined && !isCurrent) {
      const digest = await digests.week(wanted);
      if (digest) {
        served = new ServedDigest(JSON.stringify(digest), digest.generatedAt);
        archive.set(wanted, served);
      }
    }
    // The week in progress, or a week that just ended and is not archived yet (before the scheduled job ran).
    served ??= await storedCurrent(request, wanted);
    if (!served) {
      if (isCurrent) return sendPending(reply, wanted, json);
      throw new NoDigestError(wanted);
    }
    if (json) return sendJson(reply, served);
    return sendHtml(reply, served, request, !isCurrent);
  });
};
