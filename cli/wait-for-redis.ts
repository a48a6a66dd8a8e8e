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
  const deadline = Date.now() + options.timeoutMs;
  let lastError = '';
  let told = false;
  for (;;) {
    // The connection's own error (ECONNREFUSED, a bad password) says more than the rejected command's "Connection is closed".
    let connectionError: string | undefined;
    try {
      await attempt(url, Math.min(2000, options.timeoutMs), (message) => (connectionError ??= message));
      if (told) options.logger.info('Redis answers: starting');
      return;
    } catch (err) {
      if (err instanceof StartupError) throw err;
      lastError = connectionError ?? (err instanceof Error ? err.message : String(err));
    }
    if (Date.now() + retryMs > deadline) break;
    if (!told) options.logger.warn({ err: lastError }, `Redis does not answer yet: waiting up to ${Math.round(options.timeoutMs / 1000)} s`);
    told = true;
    await new Promise((resolve) => setTimeout(resolve, retryMs));
  }
  throw new StartupError(`Redis at ${redactAddress(url)} did not answer within ${Math.round(options.timeoutMs / 1000)} s (${lastError || 'no answer'}); exiting so a supervisor can restart Cascade (CASCADE_REDIS_WAIT_MS sets the wait)`);
}

/**
 * One connection per attempt, closed after it: a cluster client that failed
 * once is not reused (connecting it again may resolve without any node behind
 * it). Every master must answer INFO: on a cluster, each one holds keys.
 */
async function attempt(url: string, connectTimeout: number, onError: (message: string) => void): Promise<void> {
  const redis = createRedisClient(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout,
    // Attempts are driven by the caller; ioredis must not reconnect on its own behind them.
    reconnect: false,
  });
  redis.on('error', (err: Error) => onError(err.message));
  try {
    await withTimeout(redis.connect(), 2000);
    const masters = masterNodes(redis);
    if (masters.length === 0) throw new Error('no node of the cluster answered');
    for (const node of masters) checkEvictionPolicy(await withTimeout(node.info('memory'), 2000));
  } finally {
    redis.disconnect();
  }
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
