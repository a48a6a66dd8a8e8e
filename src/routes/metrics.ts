// GET /metrics for Prometheus, behind the admin token (scrapers send it as a bearer token).
import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import type { NamedToken } from '../config/environment.js';
import { tokenCheck, UnauthorisedError } from './bearer-auth.js';

export const metricsRoutes: FastifyPluginAsync<{ registry: Registry; tokens: NamedToken[] }> = async (app, options) => {
  if (options.tokens.length === 0) return; // no token, no route: metrics are not public
  const check = tokenCheck(options.tokens);
  app.get('/metrics', async (request, reply) => {
    if (!check.nameOf(request)) throw new UnauthorisedError();
    return reply.type(options.registry.contentType).send(await options.registry.metrics());
  });
};
