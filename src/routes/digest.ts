// GET /digest (HTML), /digest.json and /digest/:isoWeek, behind DIGEST_TOKEN or
// an admin token in the Authorization header; a browser link may carry the
// digest token (never an admin token) as ?token= instead.
//
// A view never computes: the pages answer the stored digest at once. The week in
// progress is recomputed by a worker, asked for by the views (BullMQ
// deduplication: one job a minute for every viewer and receiver together), and
// stored as "current"; until the first one exists the pages say it is being
// computed and reload. Past weeks are the archive the scheduled job wrote.
//
// With tenants, each has its own digest: a tenant's digest or admin token opens
// its own only; DIGEST_TOKEN opens the `default` tenant's; the operator's admin
// tokens open `default`'s, or the tenant a request names (`?tenant=` or the
// `cascade-tenant` header).
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
import type { TenantDirectory } from '../tenants/tenant-directory.js';
import { DEFAULT_TENANT } from '../tenants/tenant-ids.js';
import { UnknownTenantError } from '../tenants/tenant-store.js';

const OtherTenantError = createError<[string]>('CASCADE_OTHER_TENANT', 'this token opens the digest of tenant %s only', 403);

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
  /** Tenants besides `default` (whose digest is `digests`): their tokens and digests. */
  tenants?: DigestTenants;
}

export interface DigestTenants {
  directory: TenantDirectory;
  /** The digest of a tenant that exists, and how to ask its workers for a refresh. */
  partsOf(tenant: string): { digests: DigestStore; requestRefresh(): Promise<unknown> };
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
  const { tenants } = options;
  if (tokens.length === 0 && !tenants) return; // no token configured: the digest is not served
  const check = tokenCheck(tokens, {
    queryTokens: linkTokens,
    ...(tenants ? { tenants: { lookup: (token: string) => tenants.directory.tokenOf(token), inHeader: ['admin', 'digest'] as const, inQuery: ['digest'] as const } } : {}),
  });
  const operatorNames = new Set(options.adminTokens.map((t) => t.name));
  if (tenants) app.addHook('onRequest', async () => tenants.directory.fresh());
  await limitBadTokens(app, check, options.rateLimit);
  // After the rate limit (an onRequest hook), so a guesser is counted before the 401.
  const readers = new WeakMap<FastifyRequest, string>();
  app.addHook('preHandler', async (request) => {
    const identity = check.identify(request);
    if (!identity) throw new UnauthorisedError();
    const named = namedTenant(request);
    if (identity.tenant !== undefined || !operatorNames.has(identity.name)) {
      // A tenant's token, or DIGEST_TOKEN (the default tenant's): its own digest only.
      const own = identity.tenant ?? DEFAULT_TENANT;
      if (named !== undefined && named !== own) throw new OtherTenantError(own);
      readers.set(request, own);
      return;
    }
    const tenant = named ?? DEFAULT_TENANT;
    if (!(tenants?.directory.has(tenant) ?? tenant === DEFAULT_TENANT)) throw new UnknownTenantError(tenant);
    readers.set(request, tenant);
  });

  const refreshEveryMs = options.refreshEveryMs ?? CURRENT_DIGEST_REFRESH_MS;
  const defaultView = digestView(options.digests, options.requestRefresh, options, refreshEveryMs);
  const views = new Map<string, DigestView>();
  /** The digest of the tenant the request's token reads. */
  const viewOf = (request: FastifyRequest): DigestView => {
    const tenant = readers.get(request) ?? DEFAULT_TENANT;
    if (tenant === DEFAULT_TENANT || !tenants) return defaultView;
    let view = views.get(tenant);
    if (!view) {
      const parts = tenants.partsOf(tenant);
      views.set(tenant, (view = digestView(parts.digests, parts.requestRefresh, options, refreshEveryMs)));
    }
    return view;
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
    const served = await viewOf(request).storedCurrent(request, undefined);
    return served ? sendHtml(reply, served, request, false) : sendPending(reply, thisWeek(), false);
  });
  app.get('/digest.json', async (request, reply) => {
    const served = await viewOf(request).storedCurrent(request, undefined);
    return served ? sendJson(reply, served) : sendPending(reply, thisWeek(), true);
  });
  app.get<{ Params: { isoWeek: string } }>('/digest/:isoWeek', async (request, reply) => {
    const json = request.params.isoWeek.endsWith('.json');
    const wanted = request.params.isoWeek.replace(/\.json$/, '');
    if (!isIsoWeek(wanted)) throw new BadWeekError(wanted);
    const isCurrent = wanted === thisWeek();
    const view = viewOf(request);
    let served: ServedDigest | null | undefined = isCurrent ? undefined : await view.archived(wanted);
    // The week in progress, or a week that just ended and is not archived yet (before the scheduled job ran).
    served ??= await view.storedCurrent(request, wanted);
    if (!served) {
      if (isCurrent) return sendPending(reply, wanted, json);
      throw new NoDigestError(wanted);
    }
    if (json) return sendJson(reply, served);
    return sendHtml(reply, served, request, !isCurrent);
  });
};

/** The tenant a request names, by `?tenant=` or header; undefined when it names none. */
function namedTenant(request: FastifyRequest): string | undefined {
  const header = request.headers['cascade-tenant'];
  if (typeof header === 'string' && header !== '') return header;
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.tenant === 'string' && query.tenant !== '' ? query.tenant : undefined;
}

interface DigestView {
  /** The stored current digest of the week `week` (any week when undefined); asks for a refresh when it is missing, stale or of an earlier week. */
  storedCurrent(request: FastifyRequest, week: string | undefined): Promise<ServedDigest | null>;
  /** An archived week, or undefined when none was recorded. */
  archived(week: string): Promise<ServedDigest | undefined>;
}

/** One tenant's digest as served: its caches, and its own pace of asking for refreshes. */
function digestView(digests: DigestStore, requestRefresh: () => Promise<unknown>, options: Pick<DigestRoutesOptions, 'now' | 'timeZone'>, refreshEveryMs: number): DigestView {
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
    requestRefresh().catch((err: unknown) => request.log.warn({ err }, 'could not ask the workers to recompute the digest; the next view asks again'));
  };

  return {
    async storedCurrent(request, week) {
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
    },
    async archived(week) {
      let served = archive.get(week);
      if (served === undefined) {
        const digest = await digests.week(week);
        if (digest) {
          served = new ServedDigest(JSON.stringify(digest), digest.generatedAt);
          archive.set(week, served);
        }
      }
      return served;
    },
  };
}
