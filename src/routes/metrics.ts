// GET /metrics for Prometheus, behind the admin token (scrapers send it as a
// bearer token, never in the URL), with guessers slowed down like on every
// authenticated route.
import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import type { NamedToken } from '../config/environment.js';
import { tokenCheck, UnauthorisedError } from './bearer-auth.js';
import { limitBadTokens, type BadTokenLimit } from './limit-bad-tokens.js';

export interface MetricsRoutesOptions {
  registry: Registry;
  tokens: NamedToken[];
  rateLimit?: BadTokenLimit;
}

export const metricsRoutes: FastifyPluginAsync<MetricsRoutesOptions> = async (app, options) => {
  if (options.tokens.length === 0) return; // no token, no route: metrics are not public
  const check = tokenCheck(options.tokens);
  await limitBadTokens(app, check, options.rateLimit);
  app.get('/metrics', async (request, reply) => {
    if (!check.nameOf(request)) throw new UnauthorisedError();
    return reply.type(options.registry.contentType).send(await options.registry.metrics());
  });
};
