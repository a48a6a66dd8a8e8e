// The two ways to say "Redis is a cluster" (a redis+cluster:// REDIS_URL, or
// REDIS_CLUSTER=true beside a plain one), the one-line refusals, and what the
// connection factory makes of each address (no connection is opened here).
import { describe, expect, it } from 'vitest';
import { Cluster, Redis } from 'ioredis';
import { EnvironmentError, readEnvironment } from '../../src/config/environment.js';
import { parseClusterAddress } from '../../src/config/redis-address.js';
import { createRedisClient } from '../../src/store/redis-client.js';

function problems(env: Record<string, string>): string[] {
  try {
    readEnvironment(env);
    return [];
  } catch (err) {
    if (err instanceof EnvironmentError) return err.problems;
    throw err;
  }
}

describe('REDIS_URL and REDIS_CLUSTER', () => {
  it('keeps a plain URL a single server, and no URL the private server', () => {
    expect(readEnvironment({ REDIS_URL: 'redis://redis:6379/' })).toMatchObject({ redisUrl: 'redis://redis:6379', redisCluster: false });
    expect(readEnvironment({ REDIS_URL: 'redis://redis:6379', REDIS_CLUSTER: 'false' })).toMatchObject({ redisUrl: 'redis://redis:6379', redisCluster: false });
    expect(readEnvironment({})).toMatchObject({ redisUrl: undefined, redisCluster: false });
  });

  it('takes a redis+cluster:// URL with one or more nodes', () => {
    expect(readEnvironment({ REDIS_URL: 'redis+cluster://10.0.0.5:7001' })).toMatchObject({ redisUrl: 'redis+cluster://10.0.0.5:7001', redisCluster: true });
    const env = readEnvironment({ REDIS_URL: 'rediss+cluster://default:s3cret@a.example:7000,b.example:7001', REDIS_CLUSTER: 'true' });
    expect(env.redisCluster).toBe(true);
    expect(parseClusterAddress(env.redisUrl!)).toEqual({
      seeds: [{ host: 'a.example', port: 7000 }, { host: 'b.example', port: 7001 }],
      username: 'default',
      password: 's3cret',
      tls: true,
    });
  });

  it('makes a plain URL a cluster seed with REDIS_CLUSTER=true, 1 or yes', () => {
    for (const flag of ['true', '1', 'yes', 'TRUE']) {
      expect(readEnvironment({ REDIS_URL: 'redis://127.0.0.1:7102', REDIS_CLUSTER: flag })).toMatchObject({ redisUrl: 'redis+cluster://127.0.0.1:7102', redisCluster: true });
    }
    expect(readEnvironment({ REDIS_URL: 'rediss://:pw@cache.example:6380', REDIS_CLUSTER: 'on' }).redisUrl).toBe('rediss+cluster://:pw@cache.example:6380');
  });

  it('refuses bad values with one line each, never printing the password', () => {
    expect(problems({ REDIS_URL: 'redis://127.0.0.1:7000', REDIS_CLUSTER: 'maybe' })).toEqual(['REDIS_CLUSTER=maybe must be true or false']);
    expect(problems({ REDIS_CLUSTER: 'true' })).toEqual(['REDIS_CLUSTER is set but REDIS_URL is not: name a node of the cluster (redis://host:port)']);
    expect(problems({ REDIS_URL: 'redis+cluster://127.0.0.1' })).toEqual(['REDIS_URL=redis+cluster://127.0.0.1 has a node "127.0.0.1" that is not host:port']);
    expect(problems({ REDIS_URL: 'redis+cluster://127.0.0.1:7000,:7001' })[0]).toMatch(/node ":7001" that is not host:port/);
    expect(problems({ REDIS_URL: 'redis+cluster://127.0.0.1:7000/2' })).toEqual(['REDIS_URL=redis+cluster://127.0.0.1:7000/2 names a database: a Redis Cluster has only database 0']);
    expect(problems({ REDIS_URL: 'redis+cluster://127.0.0.1:7000', REDIS_CLUSTER: 'false' })[0]).toMatch(/names a cluster but REDIS_CLUSTER=false/);
    expect(problems({ REDIS_URL: 'redis://127.0.0.1', REDIS_CLUSTER: 'true' })[0]).toMatch(/^REDIS_URL=redis\+cluster:\/\/127\.0\.0\.1 has a node/);
    const secret = problems({ REDIS_URL: 'memcached://admin:hunter22@cache:11211' });
    expect(secret).toEqual(['REDIS_URL=memcached://admin:***@cache:11211 is not a valid redis, rediss or redis+cluster URL']);
    expect(problems({ REDIS_URL: 'redis+cluster://u:hunter22@h', REDIS_CLUSTER: 'yes' }).join('\n')).not.toContain('hunter22');
  });
});

describe('createRedisClient', () => {
  it('opens one server for a plain URL and the cluster client for a cluster address, with the same options', () => {
    const options = { maxRetriesPerRequest: null, enableOfflineQueue: false, commandTimeout: 750, lazyConnect: true, enableAutoPipelining: true };
    const single = createRedisClient('redis://127.0.0.1:6390', options);
    expect(single).toBeInstanceOf(Redis);
    expect(single.options).toMatchObject({ port: 6390, ...options });
    const cluster = createRedisClient('redis+cluster://user:pw@127.0.0.1:7001,127.0.0.1:7002', options);
    expect(cluster).toBeInstanceOf(Cluster);
    // Retries and timeouts apply to each node's connection (BullMQ reads maxRetriesPerRequest there); queueing, laziness
    // and pipelining to the cluster client.
    expect((cluster as Cluster).options).toMatchObject({ enableOfflineQueue: false, lazyConnect: true, enableAutoPipelining: true });
    expect((cluster as Cluster).options.redisOptions).toMatchObject({ maxRetriesPerRequest: null, commandTimeout: 750, username: 'user', password: 'pw' });
    expect((cluster as Cluster).options.redisOptions).not.toHaveProperty('tls');
    expect(((createRedisClient('rediss+cluster://127.0.0.1:7001', { lazyConnect: true }) as Cluster).options.redisOptions)).toHaveProperty('tls');
    for (const client of [single, cluster]) client.disconnect();
  });
});
