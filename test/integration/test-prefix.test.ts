// Test support: a test's Redis prefix is emptied once the test has finished.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { testPrefix } from '../support/test-prefix.js';

const redis = new Redis(inject('redisUrl'));
afterAll(() => redis.disconnect());
let used: string | undefined;

describe('testPrefix', () => {
  it('gives a test its own prefix to write under', async () => {
    used = testPrefix('cleanup');
    await redis.set(`${used}:config:1`, 'x');
    await redis.rpush(`${used}:inbox`, 'a', 'b');
    expect(await redis.keys(`${used}*`)).toHaveLength(2);
  });

  it('leaves nothing under the previous test\'s prefix', async () => {
    expect(used).toBeDefined();
    expect(await redis.keys(`${used}*`)).toEqual([]);
  });
});
