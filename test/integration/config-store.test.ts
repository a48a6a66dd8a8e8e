// The config store's compare-and-set on a real redis-server: saves racing on
// one shared connection that also runs unrelated MULTI/EXEC (as the digest
// store and sweeps do) never both win, and old versions are pruned.
import { afterEach, describe, expect, inject, it } from 'vitest';
import { Redis } from 'ioredis';
import { CONFIG_VERSIONS_KEPT, ConfigStore, VersionConflictError } from '../../src/store/config-store.js';
import { keysFor } from '../../src/store/keys.js';
import { exampleConfig } from '../support/example-config.js';
import { testPrefix } from '../support/test-prefix.js';

const redisUrl = inject('redisUrl');
const connections: Redis[] = [];
afterEach(async () => {
  await Promise.all(connections.splice(0).map((c) => c.quit()));
});

function setUp() {
  const redis = new Redis(redisUrl);
  connections.push(redis);
  const keys = keysFor(testPrefix('t'));
  return { redis, keys };
}

describe('ConfigStore.put', () => {
  it('lets exactly one save win per base version on a shared connection busy with other MULTI/EXEC', async () => {
    const { redis, keys } = setUp();
    // Two stores on one connection: as the admin API and a sweep share one in a process.
    const stores = [new ConfigStore(redis, keys), new ConfigStore(redis, keys)];
    await stores[0]!.seed(exampleConfig());
    let busy = true;
    const unrelated = (async () => {
      let n = 0;
      while (busy) await redis.multi().hset(`${keys.digests}:other`, 'n', String(n++)).expire(`${keys.digests}:other`, 60).exec();
    })();
    const rounds = 20;
    const perRound = 6;
    for (let round = 0; round < rounds; round++) {
      const base = (await stores[0]!.currentVersion())!;
      const results = await Promise.allSettled(
        Array.from({ length: perRound }, (_, i) => stores[i % 2]!.put(exampleConfig(), { author: `admin-${i}`, summary: [`round ${round} save ${i}`], expected: base })),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won, `round ${round}`).toHaveLength(1);
      for (const r of lost) expect(r.reason).toBeInstanceOf(VersionConflictError);
      expect(await stores[1]!.currentVersion()).toBe(base + 1);
    }
    busy = false;
    await unrelated;
    // Every winning save is a version of its own: none overwrote another.
    const listed = await stores[0]!.list();
    expect(listed.map((v) => v.version)).toEqual(Array.from({ length: rounds + 1 }, (_, i) => rounds + 1 - i));
    expect(new Set(listed.map((v) => v.summary[0])).size).toBe(rounds + 1);
  });

  it('answers a conflict with the version now current', async () => {
    const { redis, keys } = setUp();
    const store = new ConfigStore(redis, keys);
    await store.seed(exampleConfig());
    await store.put(exampleConfig(), { author: 'a', summary: ['second'], expected: 1 });
    await expect(store.put(exampleConfig(), { author: 'b', summary: ['stale'], expected: 1 })).rejects.toMatchObject({ current: 2 });
    expect(await store.seed(exampleConfig())).toBe(false);
  });

  it(`keeps the last ${CONFIG_VERSIONS_KEPT} versions and deletes the ones before`, async () => {
    const { redis, keys } = setUp();
    const store = new ConfigStore(redis, keys);
    await store.seed(exampleConfig());
    const total = CONFIG_VERSIONS_KEPT + 5;
    for (let expected = 1; expected < total; expected++) await store.put(exampleConfig(), { author: 'a', summary: [`v${expected + 1}`], expected });
    expect(await store.currentVersion()).toBe(total);
    expect(await redis.llen(keys.configVersions)).toBe(CONFIG_VERSIONS_KEPT);
    expect(await store.get(total - CONFIG_VERSIONS_KEPT)).toBeNull();
    expect(await store.get(total - CONFIG_VERSIONS_KEPT + 1)).not.toBeNull();
    const stored = await redis.keys(`${keys.configVersion(0).slice(0, -1)}*`);
    expect(stored).toHaveLength(CONFIG_VERSIONS_KEPT);
    expect((await store.current()).version).toBe(total);
  });
});
