// Installations on a real redis-server: tokens sealed at rest, a second consent
// for a workspace keeps its installation, a state works once, and processes
// racing to refresh one installation's rotating, single-use refresh token
// refresh it exactly once.
import { afterEach, describe, expect, inject, it } from 'vitest';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { InstallationStore, installKeys } from '../../src/installs/installation-store.js';
import { secretBox, SecretKeyChangedError } from '../../src/installs/secret-box.js';
import { InstallationInactiveError, TokenKeeper, type Refresh } from '../../src/installs/token-keeper.js';
import { InvalidGrantError } from '../../src/trackers/app-errors.js';
import type { InstallationRecord, TokenSet } from '../../src/records/installation.js';
import { testPrefix } from '../support/test-prefix.js';

const KEY = 'a'.repeat(64);
const OTHER_KEY = 'b'.repeat(64);
const connections: Redis[] = [];
afterEach(() => {
  for (const c of connections.splice(0)) c.disconnect();
});

function setUp() {
  const redis = new Redis(inject('redisUrl'));
  connections.push(redis);
  return { redis, store: new InstallationStore(redis, installKeys(testPrefix('installs'))) };
}

const box = secretBox(KEY);
const at = '2026-12-07T10:00:00.000Z';

function record(tokens: TokenSet, workspaceId = 'org-1'): Omit<InstallationRecord, 'id'> {
  return { tracker: 'linear', tenant: 'default', workspace: { id: workspaceId, name: 'Acme' }, status: 'active', sealedTokens: box.seal(JSON.stringify(tokens)), expiresAt: tokens.expiresAt, installedAt: at, updatedAt: at };
}

describe('sealed tokens', () => {
  it('never stores a token in plain text, and opens only with the same key', async () => {
    const { redis, store } = setUp();
    const { id } = await store.upsert(record({ accessToken: 'lin_oauth_secret_access', refreshToken: 'lin_refresh_secret', grant: 'authorization_code' }));
    const raw = await redis.hget(store.keys.records, id);
    expect(raw).not.toContain('lin_oauth_secret_access');
    expect(raw).not.toContain('lin_refresh_secret');
    const sealed = (await store.get(id))!.sealedTokens;
    expect(JSON.parse(box.open(sealed)).accessToken).toBe('lin_oauth_secret_access');
    expect(() => secretBox(OTHER_KEY).open(sealed)).toThrow(SecretKeyChangedError);
  });
});

describe('InstallationStore', () => {
  it('keeps the installation id when the same workspace consents again, with the new tokens', async () => {
    const { store } = setUp();
    const first = await store.upsert(record({ accessToken: 'one', grant: 'authorization_code' }));
    const second = await store.upsert(record({ accessToken: 'two', grant: 'authorization_code' }));
    const other = await store.upsert(record({ accessToken: 'three', grant: 'authorization_code' }, 'org-2'));
    expect(second).toEqual({ id: first.id, replaced: true });
    expect(other.id).not.toBe(first.id);
    expect(JSON.parse(box.open((await store.get(first.id))!.sealedTokens)).accessToken).toBe('two');
    expect((await store.list()).map((r) => r.workspace.id).sort()).toEqual(['org-1', 'org-2']);
  });

  it('answers a state once', async () => {
    const { store } = setUp();
    await store.putState('s1', { tenant: 'default' }, 60_000);
    expect(await store.takeState('s1')).toEqual({ tenant: 'default' });
    expect(await store.takeState('s1')).toBeUndefined();
  });
});

describe('TokenKeeper', () => {
  it('refreshes a rotating single-use refresh token once when many keepers find it expiring at once', async () => {
    const { store } = setUp();
    const now = new Date('2026-12-07T12:00:00.000Z');
    // The tracker's side: each refresh token works once and is replaced.
    let current = 'refresh-0';
    let refreshes = 0;
    const refresh: Refresh = async (_installation, tokens) => {
      if (tokens.refreshToken !== current) throw new InvalidGrantError('invalid_grant');
      refreshes++;
      await new Promise((resolve) => setImmediate(resolve));
      current = `refresh-${refreshes}`;
      return { accessToken: `access-${refreshes}`, refreshToken: current, expiresAt: new Date(now.getTime() + 24 * 3600_000).toISOString(), lifetimeMs: 24 * 3600_000, grant: 'authorization_code' };
    };
    // Ten minutes left of a 24-hour token: inside the hour's margin.
    const { id } = await store.upsert(record({ accessToken: 'access-0', refreshToken: 'refresh-0', expiresAt: new Date(now.getTime() + 600_000).toISOString(), lifetimeMs: 24 * 3600_000, grant: 'authorization_code' }));
    const keepers = Array.from({ length: 8 }, () => {
      const redis = new Redis(inject('redisUrl'));
      connections.push(redis);
      return new TokenKeeper({ store: new InstallationStore(redis, store.keys), box, refresh: () => refresh, logger: pino({ level: 'silent' }), now: () => now });
    });
    const tokens = await Promise.all(keepers.map((k) => k.accessToken(id)));
    expect(refreshes).toBe(1);
    expect(new Set(tokens)).toEqual(new Set(['access-1']));
    // A 401 on the new token: refreshed once more, however many saw it.
    const after401 = await Promise.all(keepers.map((k) => k.accessToken(id, 'access-1')));
    expect(refreshes).toBe(2);
    expect(new Set(after401)).toEqual(new Set(['access-2']));
  });

  it('marks the installation needs_reauth when the refresh token is refused, and stops handing out tokens', async () => {
    const { store } = setUp();
    const now = new Date('2026-12-07T12:00:00.000Z');
    const { id } = await store.upsert(record({ accessToken: 'old', refreshToken: 'dead', expiresAt: new Date(now.getTime() - 1000).toISOString(), grant: 'authorization_code' }));
    const paused: string[] = [];
    const keeper = new TokenKeeper({ store, box, refresh: () => async () => { throw new InvalidGrantError('invalid_grant'); }, logger: pino({ level: 'silent' }), now: () => now, onNeedsReauth: (r) => { paused.push(r.id); } });
    await expect(keeper.accessToken(id)).rejects.toBeInstanceOf(InstallationInactiveError);
    expect((await store.get(id))!.status).toBe('needs_reauth');
    expect(paused).toEqual([id]);
    await expect(keeper.accessToken(id)).rejects.toThrow(/needs reauth/);
  });
});
