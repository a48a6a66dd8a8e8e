// Scripts run by their hash; a Redis that does not know one (fresh, restarted,
// or flushed) gets EVAL, which runs it and keeps it for the next EVALSHA. On a
// Redis Cluster that lands on the node owning the keys (redis-cluster.test.ts).
import { afterAll, describe, expect, it, inject } from 'vitest';
import { Redis } from 'ioredis';
import { luaScript, runScript } from '../../src/store/lua-script.js';
import { testPrefix } from '../support/test-prefix.js';

const INCREMENT = luaScript(`return redis.call('INCRBY', KEYS[1], ARGV[1])`);
const redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: 1 });
afterAll(() => redis.disconnect());

describe('runScript', () => {
  it('runs a script Redis does not know, and by its hash afterwards', async () => {
    const key = `${testPrefix('lua')}:counter`;
    await redis.script('FLUSH');
    expect(await redis.script('EXISTS', INCREMENT.sha)).toEqual([0]);
    expect(await runScript(redis, INCREMENT, [key], [2])).toBe(2);
    expect(await redis.script('EXISTS', INCREMENT.sha)).toEqual([1]);
    expect(await runScript(redis, INCREMENT, [key], [3])).toBe(5);
  });
});
