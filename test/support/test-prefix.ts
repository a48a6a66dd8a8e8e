// A Redis key prefix of its own for one test, and every key under it deleted
// once the test has finished (after its afterEach hooks have closed what used it),
// so the shared redis-server does not fill up over a run.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject, onTestFinished } from 'vitest';

export function testPrefix(name: string): string {
  const prefix = `{${name}-${randomUUID()}}`;
  onTestFinished(async () => {
    await deleteKeysUnder(prefix);
  });
  return prefix;
}

/** Deletes every key that starts with `prefix` on the test run's redis-server; returns how many. */
export async function deleteKeysUnder(prefix: string): Promise<number> {
  const redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: 1 });
  try {
    let deleted = 0;
    // The prefixes are a UUID in braces: nothing in them is special to Redis' glob.
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    }
    return deleted;
  } finally {
    redis.disconnect();
  }
}
