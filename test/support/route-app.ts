// The real app (buildApp) with only the route plugins a test is about, on the
// test's own Redis and key prefix: no webhook secrets, a silent logger.
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { buildApp } from '../../src/app.js';
import { createMetrics } from '../../src/metrics.js';
import { Inbox } from '../../src/queue/inbox.js';
import type { Keys } from '../../src/store/keys.js';

export interface RouteAppOptions {
  redis: Redis;
  keys: Keys;
  adminTokens: Array<{ name: string; token: string }>;
  plugins: Array<(app: FastifyInstance) => Promise<void>>;
}

export function routeApp(options: RouteAppOptions): Promise<FastifyInstance> {
  const { redis, keys, adminTokens, plugins } = options;
  return buildApp({
    logger: pino({ level: 'silent' }),
    inbox: new Inbox(redis, keys),
    metrics: createMetrics(),
    ping: () => redis.ping(),
    webhooks: { secrets: {} },
    adminTokens,
    plugins,
  });
}
