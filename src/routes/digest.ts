// GET /digest (HTML), /digest.json and /digest/:isoWeek, behind DIGEST_TOKEN or
// an admin token; a browser link may carry ?token= instead of the header.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import createError from '@fastify/error';
import type { NamedToken } from '../config/environment.js';
import { tokenCheck, UnauthorisedError } from './bearer-auth.js';
import { currentDigest, type DigestSources } from '../digest/current-digest.js';
import { isIsoWeek, isoWeekOf } from '../digest/iso-week.js';
import { renderDigestHtml } from '../digest/render-html.js';
import type { Digest } from '../digest/types.js';

const BadWeekError = createError<[string]>('CASCADE_BAD_WEEK', '"%s" is not an ISO week: write it as 2026-W47', 400);
const NoDigestError = createError<[string]>('CASCADE_NO_DIGEST', 'no digest was recorded for %s', 404);

export interface DigestRoutesOptions extends DigestSources {
  tokens: NamedToken[];
  now(): Date;
}

export const digestRoutes: FastifyPluginAsync<DigestRoutesOptions> = async (app, options) => {
  if (options.tokens.length === 0) return; // no token configured: the digest is not served
  const check = tokenCheck(options.tokens);
  const authorise = async (request: FastifyRequest): Promise<void> => {
    if (!check.nameOf(request, { allowQuery: true })) throw new UnauthorisedError();
  };
  const html = (digest: Digest, request: FastifyRequest, current: boolean): string => {
    const token = (request.query as { token?: unknown }).token;
    return renderDigestHtml(digest, { showNextWeek: !current, token: typeof token === 'string' ? token : undefined });
  };
  const headers = { 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:", 'referrer-policy': 'no-referrer' };

  app.get('/digest', { onRequest: authorise }, async (request, reply) => {
    const digest = await currentDigest(options, options.now());
    return reply.headers(headers).type('text/html; charset=utf-8').send(html(digest, request, true));
  });
  app.get('/digest.json', { onRequest: authorise }, async (_request, reply) => reply.header('cache-control', 'no-store').send(await currentDigest(options, options.now())));
  app.get<{ Params: { isoWeek: string } }>('/digest/:isoWeek', { onRequest: authorise }, async (request, reply) => {
    const wanted = request.params.isoWeek.replace(/\.json$/, '');
    if (!isIsoWeek(wanted)) throw new BadWeekError(wanted);
    const now = options.now();
    const current = wanted === isoWeekOf(now, options.timeZone);
    const digest = current ? await currentDigest(options, now) : await options.digests.week(wanted);
    if (!digest) throw new NoDigestError(wanted);
    if (request.params.isoWeek.endsWith('.json')) return reply.header('cache-control', 'no-store').send(digest);
    return reply.headers(headers).type('text/html; charset=utf-8').send(html(digest, request, current));
  });
};
