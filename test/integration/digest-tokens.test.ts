// Tokens on the read-only routes, through buildApp with a real Redis: ?token=
// takes the digest token only (an admin token travels in the header, never in a
// URL), the page's links never carry an admin token, guessers get 429 on the
// digest and metrics routes while good tokens keep working, and a short
// DIGEST_TOKEN stops start-up with one line naming it.
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { DigestStore } from '../../src/store/digest-store.js';
import { keysFor } from '../../src/store/keys.js';
import { ConfigStore } from '../../src/store/config-store.js';
import { VerdictStore } from '../../src/store/verdict-store.js';
import { digestRoutes } from '../../src/routes/digest.js';
import { computeDigestNow } from '../../workers/current-digest.js';
import { runCommand } from '../../cli/run-command.js';
import { exampleConfig } from '../support/example-config.js';
import { testPrefix } from '../support/test-prefix.js';
import { routeApp } from '../support/route-app.js';

const redisUrl = inject('redisUrl');
const ADMIN = { name: 'admin', token: 'admin-0123456789-secret' };
const DIGEST_TOKEN = 'digest-0123456789-reader';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
  vi.restoreAllMocks();
});

/** A receiver whose current digest is already stored (as the worker would have stored it). */
async function receiver(): Promise<FastifyInstance> {
  const prefix = testPrefix('tokens');
  const keys = keysFor(prefix);
  const redis = new Redis(redisUrl);
  const configStore = new ConfigStore(redis, keys);
  await configStore.seed(exampleConfig());
  const digests = new DigestStore(redis, keys);
  const now = new Date();
  await digests.saveCurrent(await computeDigestNow({ configStore, verdicts: new VerdictStore(redis, keys), digests, timeZone: 'UTC' }, now));
  const app = await routeApp({
    redis,
    keys: keys,
    adminTokens: [ADMIN],
    plugins: [
      async (instance) => {
        await instance.register(digestRoutes, { digests, adminTokens: [ADMIN], digestToken: DIGEST_TOKEN, timeZone: 'UTC', now: () => now, requestRefresh: async () => undefined });
      },
    ],
  });
  cleanups.push(() => redis.quit(), () => app.close());
  return app;
}

const get = (app: FastifyInstance, url: string, token?: string) =>
  app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('digest tokens', () => {
  it('takes ?token= for the digest token only; an admin token works in the header and never in a URL', async () => {
    const app = await receiver();
    expect((await get(app, `/digest?token=${ADMIN.token}`)).statusCode).toBe(401);
    expect((await get(app, `/digest.json?token=${ADMIN.token}`)).statusCode).toBe(401);
    expect((await get(app, `/digest.json?token=${DIGEST_TOKEN}`)).statusCode).toBe(200);
    expect((await get(app, '/digest.json', ADMIN.token)).statusCode).toBe(200);
    expect((await get(app, '/digest.json', DIGEST_TOKEN)).statusCode).toBe(200);
    expect((await get(app, '/metrics', ADMIN.token)).statusCode).toBe(200);
    expect((await get(app, `/metrics?token=${ADMIN.token}`)).statusCode).toBe(401);
    expect((await get(app, '/metrics', DIGEST_TOKEN)).statusCode).toBe(401);
  });

  it('never puts an admin token in the page links; a digest link keeps its own digest token', async () => {
    const app = await receiver();
    const asAdmin = await get(app, `/digest?token=${ADMIN.token}`, ADMIN.token);
    expect(asAdmin.statusCode).toBe(200);
    expect(asAdmin.body).not.toContain(ADMIN.token);
    expect(asAdmin.body).not.toContain('token=');
    expect(asAdmin.body).toMatch(/<a rel="prev" href="\/digest\/\d{4}-W\d{2}">/);

    const fromLink = await get(app, `/digest?token=${DIGEST_TOKEN}`);
    expect(fromLink.statusCode).toBe(200);
    expect(fromLink.body).toMatch(new RegExp(`<a rel="prev" href="/digest/\\d{4}-W\\d{2}\\?token=${DIGEST_TOKEN}">`));
  });

  it('answers 429 to repeated bad tokens on the digest and metrics routes, while good tokens keep working', async () => {
    const app = await receiver();
    for (const [route, good] of [['/digest.json', DIGEST_TOKEN], ['/metrics', ADMIN.token]] as const) {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await get(app, `${route}?token=guess-${i}-0123456789`)).statusCode);
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
      expect(statuses.slice(10)).toEqual([429, 429]);
      const limited = await get(app, route, 'another-guess-0123456789');
      expect(limited.statusCode).toBe(429);
      expect(limited.json()).toMatchObject({ error: 'CASCADE_RATE_LIMITED' });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect((await get(app, route, good)).statusCode).toBe(200);
    }
  });
});

describe('DIGEST_TOKEN at start-up', () => {
  it('refuses one shorter than 16 characters with one line naming it', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: unknown) => void lines.push(String(line)));
    const code = await runCommand('serve', { DIGEST_TOKEN: 'short-token', REDIS_URL: redisUrl });
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/DIGEST_TOKEN is shorter than 16 characters/);
    expect(lines[0]).not.toContain('short-token');
  });
});
