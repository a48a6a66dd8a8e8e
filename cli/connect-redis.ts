// Redis for this process: REDIS_URL when given, otherwise a private
// redis-server (127.0.0.1, free port, AOF under the data dir) stopped on exit.
import { join } from 'node:path';
import type { Logger } from 'pino';
import { startRedisServer, type RedisServer } from './redis-server.js';

export interface RedisEndpoint {
  url: string;
  /** Set when this process started its own redis-server. */
  server?: RedisServer;
}

export async function connectRedis(redisUrl: string | undefined, dataDir: string, logger: Logger): Promise<RedisEndpoint> {
  if (redisUrl) return { url: redisUrl };
  const server = await startRedisServer({ dataDir: join(dataDir, 'redis') });
  logger.info({ dataDir: join(dataDir, 'redis') }, `no REDIS_URL: started a private redis-server on ${server.url} (append-only file in ${join(dataDir, 'redis')})`);
  return { url: server.url, server };
}
