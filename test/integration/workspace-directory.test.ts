// The receiver's map of workspaces to installations, over a real installation
// store: a delivery from a known workspace costs no Redis read while the map is
// fresh, the version is looked at no more than every 500 ms, a workspace the
// map does not know makes it read again at most once a second, and the rules
// (active, revoked, no installation with and without the tracker's own
// credentials) answer as the product says; a revoked workspace's delivery
// looks at the version, so a new consent is served from its first delivery.
import { afterEach, describe, expect, inject, it } from 'vitest';
import { Redis } from 'ioredis';
import { InstallationStore, installKeys } from '../../src/installs/installation-store.js';
import { WorkspaceDirectory, type WorkspaceRoute } from '../../src/installs/workspace-directory.js';
import type { InstallationRecord } from '../../src/records/installation.js';
import { testPrefix } from '../support/test-prefix.js';

const connections: Redis[] = [];
afterEach(() => {
  for (const c of connections.splice(0)) c.disconnect();
});

const at = '2026-12-07T10:00:00.000Z';
const record = (workspaceId: string, tenant = 'default'): Omit<InstallationRecord, 'id'> => ({ tracker: 'linear', tenant, workspace: { id: workspaceId, name: workspaceId }, status: 'active', sealedTokens: 'sealed', installedAt: at, updatedAt: at });

function setUp(hasDefault = false) {
  const redis = new Redis(inject('redisUrl'));
  connections.push(redis);
  const store = new InstallationStore(redis, installKeys(testPrefix('installs')));
  const reads = { version: 0, list: 0 };
  // The real store, with its reads counted.
  const counted = {
    version: () => {
      reads.version += 1;
      return store.version();
    },
    list: () => {
      reads.list += 1;
      return store.list();
    },
  };
  const clock = { now: 1_000_000 };
  const directory = new WorkspaceDirectory({ store: counted, hasDefault: () => hasDefault, now: () => clock.now });
  const route = async (workspaceId: string | undefined): Promise<WorkspaceRoute> => directory.route('linear', workspaceId);
  return { store, reads, clock, route };
}

describe('routing deliveries by workspace', () => {
  it("sends a workspace's deliveries to its installation and tenant, and answers from memory while the map is fresh", async () => {
    const { store, reads, clock, route } = setUp();
    const { id } = await store.upsert(record('org-acme', 'acme'));
    expect(await route('org-acme')).toEqual({ installation: id, tenant: 'acme' });
    const before = { ...reads };
    for (let i = 0; i < 100; i++) {
      clock.now += 4;
      expect(directory(await route('org-acme'))).toBe(id);
    }
    expect(reads).toEqual(before);
    // After 500 ms, one look at the version; unchanged, so no list.
    clock.now += 500;
    await route('org-acme');
    expect(reads).toEqual({ version: before.version + 1, list: before.list });
  });

  it('answers 200 ignored for a workspace without an installation unless the environment has the tracker\'s own credentials', async () => {
    const without = setUp(false);
    expect(await without.route('org-unknown')).toEqual({ ignored: expect.stringContaining('has not installed Cascade') });
    expect(await without.route(undefined)).toEqual({ ignored: expect.stringContaining('no linear credentials') });
    const withKey = setUp(true);
    expect(await withKey.route('org-unknown')).toEqual({});
    expect(await withKey.route(undefined)).toEqual({});
  });

  it('reads the map again for an unknown workspace at most once a second, and finds one installed meanwhile', async () => {
    const { store, reads, clock, route } = setUp();
    await route('org-new');
    const first = { ...reads };
    // Within the 500 ms of the last look at the version, and the second of the last read: no read at all.
    for (let i = 0; i < 40; i++) {
      clock.now += 10;
      await route('org-new');
    }
    expect(reads).toEqual(first);
    const { id } = await store.upsert(record('org-new'));
    clock.now += 1000;
    expect(await route('org-new')).toEqual({ installation: id, tenant: 'default' });
    expect(reads.list).toBe(first.list + 1);
  });

  it('ignores the deliveries of a revoked installation once the version moved', async () => {
    const { store, clock, route } = setUp(true);
    const { id } = await store.upsert(record('org-gone'));
    expect(directory(await route('org-gone'))).toBe(id);
    await store.update(id, (r) => ({ ...r, status: 'revoked' }));
    clock.now += 500;
    expect(await route('org-gone')).toEqual({ ignored: expect.stringContaining('revoked') });
  });

  it('serves a revoked workspace that consents again from its first delivery after the consent, reading only the version until then', async () => {
    const { store, reads, clock, route } = setUp();
    const { id } = await store.upsert(record('org-back'));
    await route('org-back');
    await store.update(id, (r) => ({ ...r, status: 'revoked' }));
    clock.now += 500;
    expect(await route('org-back')).toEqual({ ignored: expect.stringContaining('revoked') });
    const before = { ...reads };
    clock.now += 10;
    expect(await route('org-back')).toEqual({ ignored: expect.stringContaining('revoked') });
    expect(reads).toEqual({ version: before.version + 1, list: before.list });
    await store.update(id, (r) => ({ ...r, status: 'active' }));
    clock.now += 10;
    expect(await route('org-back')).toEqual({ installation: id, tenant: 'default' });
  });
});

function directory(route: WorkspaceRoute): string | undefined {
  return 'installation' in route ? route.installation : undefined;
}
