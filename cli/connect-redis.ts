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

/** `fresh`: the private server starts from empty data (the demo, whose sandboxes start anew each run). Default false. */
export async function connectRedis(redisUrl: string | undefined, dataDir: string, logger: Logger, options: { fresh?: boolean } = {}): Promise<RedisEndpoint> {
  if (redisUrl) return { url: redisUrl };
  const server = await startRedisServer({ dataDir: join(dataDir, 'redis'), fresh: options.fresh ?? false });
  logger.info({ dataDir: join(dataDir, 'redis') }, `no REDIS_URL: started a private redis-server on ${server.url} (append-only file in ${join(dataDir, 'redis')}${options.fresh ? ', emptied for the demo' : ''})`);
  return { url: server.url, server };
}
