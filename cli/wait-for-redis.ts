// Start-up waits for Redis, within a bound: a Redis that comes up a few seconds
// after Cascade (a container starting beside it) is waited for; one that does
// not come up in time ends the process with one line, so a supervisor restarts
// it rather than finding a process that neither serves nor exits. Redis must
// also keep every key: BullMQ's queues break under eviction, so any
// maxmemory-policy other than noeviction is refused (on a Redis Cluster, by
// every master).
import { createRedisClient, masterNodes } from '../src/store/redis-client.js';
import { redactAddress } from '../src/config/redis-address.js';
import type { Logger } from 'pino';

export class StartupError extends Error {
  readonly code = 'CASCADE_STARTUP';
}

export interface WaitForRedisOptions {
  timeoutMs: number;
  logger: Logger;
  /** Between attempts. Default 250 ms. */
  retryMs?: number;
}

export async function waitForRedis(url: string, options: WaitForRedisOptions): Promise<void> {
  const retryMs = options.retryMs ?? 250;
  const redis = createRedisClient(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: Math.min(2000, options.timeoutMs),
    // Attempts are driven below; ioredis must not reconnect on its own behind them.
    reconnect: false,
  });
  let lastError = '';
  redis.on('error', (err: Error) => (lastError = err.message));
  const deadline = Date.now() + options.timeoutMs;
  let told = false;
  try {
    for (;;) {
      try {
        if (redis.status === 'wait' || redis.status === 'end' || redis.status === 'close') await withTimeout(redis.connect(), 2000);
        for (const node of masterNodes(redis)) checkEvictionPolicy(await withTimeout(node.info('memory'), 2000));
        if (told) options.logger.info('Redis answers: starting');
        return;
      } catch (err) {
        if (err instanceof StartupError) throw err;
        lastError = err instanceof Error ? err.message : String(err);
      }
      if (Date.now() + retryMs > deadline) break;
      if (!told) options.logger.warn({ err: lastError }, `Redis does not answer yet: waiting up to ${Math.round(options.timeoutMs / 1000)} s`);
      told = true;
      redis.disconnect();
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  } finally {
    redis.disconnect();
  }
  throw new StartupError(`Redis at ${redactAddress(url)} did not answer within ${Math.round(options.timeoutMs / 1000)} s (${lastError || 'no answer'}); exiting so a supervisor can restart Cascade (CASCADE_REDIS_WAIT_MS sets the wait)`);
}

/** Throws unless INFO memory reports noeviction (a Redis without the field, e.g. an old one, is let through). */
export function checkEvictionPolicy(infoMemory: string): void {
  const policy = /^maxmemory_policy:(\S+)/m.exec(infoMemory)?.[1];
  if (policy !== undefined && policy !== 'noeviction') {
    throw new StartupError(`Redis has maxmemory-policy ${policy}: Cascade's queues need noeviction (evicted keys are lost events); set it with CONFIG SET maxmemory-policy noeviction or in redis.conf`);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
}
