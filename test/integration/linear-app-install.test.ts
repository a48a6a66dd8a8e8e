// Cascade installed as a Linear OAuth app, end to end against the Linear sandbox
// through Cascade's real routes: POST /admin/installs/linear, the sandbox's consent,
// GET /oauth/linear/callback, GET/DELETE /admin/installs; then the installation's
// adapter reading and writing with its own token only, refreshes raced by keepers
// on separate Redis connections, and what makes an installation need a new consent.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import { readEnvironment, type AppEnv } from '../../src/config/environment.js';
import { startCascade, type RunningCascade } from '../../cli/start-cascade.js';
import { startLinearSandbox, type LinearSandbox, type LinearSandboxOptions } from '../../sandbox/linear/index.js';
import { InstallationStore, installKeys } from '../../src/installs/installation-store.js';
import { secretBox } from '../../src/installs/secret-box.js';
import { InstallationInactiveError, TokenKeeper } from '../../src/installs/token-keeper.js';
import { createLinearApp, linearApp, type LinearApp } from '../../src/trackers/linear/app.js';
import type { AccessTokenSource } from '../../src/trackers/descriptor.js';
import type { InstallationRecord, TokenSet } from '../../src/records/installation.js';
import type { Tracker } from '../../src/trackers/tracker.js';
import { testPrefix } from '../support/test-prefix.js';
import { exampleConfig } from '../support/example-config.js';

const KEY = 'c'.repeat(64);
const PUBLIC_URL = 'https://cascade.example.com';
const REDIRECT = `${PUBLIC_URL}/oauth/linear/callback`;
const HOUR_S = 3600;
const silent = pino({ level: 'silent' });

interface Harness {
  linear: LinearSandbox;
  cascade: RunningCascade;
  env: AppEnv;
  store: InstallationStore;
  installsPrefix: string;
  auth: { authorization: string };
  /** Another Cascade on the same Redis prefix and environment (a restart). */
  startAgain(): Promise<RunningCascade>;
}

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(options: { env?: Record<string, string>; sandbox?: LinearSandboxOptions; logger?: Logger } = {}): Promise<Harness> {
  const linear = await startLinearSandbox({ oauth: { redirectUris: [REDIRECT], accessTokenLifetimeSeconds: HOUR_S }, ...options.sandbox });
  cleanups.push(() => linear.close());
  linear.store.createTeam({ key: 'ENG', name: 'Engineering' });
  const adminToken = randomUUID();
  const env = readEnvironment({
    ADMIN_TOKEN: `ops:${adminToken}`, CASCADE_SECRET_KEY: KEY, PUBLIC_URL,
    LINEAR_CLIENT_ID: linear.oauth.clientId, LINEAR_CLIENT_SECRET: linear.oauth.clientSecret,
    LINEAR_AUTHORIZE_URL: linear.oauth.authorizeUrl, LINEAR_TOKEN_URL: linear.oauth.tokenUrl, LINEAR_API_URL: linear.apiUrl,
    ...options.env,
  });
  const prefix = testPrefix('linear-app');
  const start = async (): Promise<RunningCascade> => {
    const started = await startCascade({ role: 'serve', env, redisUrl: inject('redisUrl'), logger: options.logger ?? silent, trackers: {}, seedConfig: exampleConfig(), prefix });
    cleanups.push(() => started.close());
    return started;
  };
  const cascade = await start();
  const installsPrefix = prefix.replace(/}$/, ':installs}');
  return {
    linear, cascade, env, store: new InstallationStore(cascade.redis, installKeys(installsPrefix)), installsPrefix,
    auth: { authorization: `Bearer ${adminToken}` }, startAgain: start,
  };
}

async function beginInstall(h: Harness): Promise<URL> {
  const response = await h.cascade.app!.inject({ method: 'POST', url: '/admin/installs/linear', headers: h.auth, payload: {} });
  expect(response.statusCode).toBe(200);
  return new URL(response.json<{ authorizeUrl: string }>().authorizeUrl);
}

/** The admin's browser: the authorize URL (the sandbox consents at once), then Cascade's callback from the Location header. */
async function consentAndReturn(h: Harness, authorizeUrl: URL): Promise<{ status: number; body: string; callback: string }> {
  const consent = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(consent.status).toBe(302);
  const location = new URL(consent.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
  const callback = `${location.pathname}${location.search}`;
  const page = await h.cascade.app!.inject({ method: 'GET', url: callback });
  return { status: page.statusCode, body: page.body, callback };
}

async function install(h: Harness, workspaceId: string): Promise<InstallationRecord> {
  h.linear.consentTo(workspaceId);
  const { status } = await consentAndReturn(h, await beginInstall(h));
  expect(status).toBe(200);
  const record = await h.store.byWorkspace('linear', workspaceId);
  expect(record).toBeDefined();
  return record!;
}

/** A token keeper on a Redis connection of its own, on the sandbox's clock. */
function keeper(h: Harness, app: LinearApp, key = KEY): TokenKeeper {
  const redis = new Redis(inject('redisUrl'));
  cleanups.push(() => redis.disconnect());
  return new TokenKeeper({
    store: new InstallationStore(redis, installKeys(h.installsPrefix)),
    box: secretBox(key),
    refresh: (tracker) => (tracker === 'linear' ? (installation, tokens) => app.refresh(h.env, installation, tokens) : undefined),
    logger: silent,
    now: () => new Date(h.linear.now()),
  });
}

function sourceOf(k: TokenKeeper, id: string): AccessTokenSource {
  return { current: () => k.accessToken(id), afterUnauthorised: (stale) => k.accessToken(id, stale) };
}

function tokensOf(record: InstallationRecord): TokenSet {
  return JSON.parse(secretBox(KEY).open(record.sealedTokens)) as TokenSet;
}

describe('POST /admin/installs/linear', () => {
  it('answers an authorize URL as Linear wants it, with a new state on every request, and only to an admin', async () => {
    const h = await setUp();
    const first = await beginInstall(h);
    const second = await beginInstall(h);
    expect(`${first.origin}${first.pathname}`).toBe(h.linear.oauth.authorizeUrl);
    expect(Object.fromEntries(first.searchParams)).toMatchObject({
      client_id: h.linear.oauth.clientId, redirect_uri: REDIRECT, response_type: 'code', actor: 'app', prompt: 'consent', scope: 'read,write,initiative:read,customer:read',
    });
    expect(first.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(second.searchParams.get('state')).not.toBe(first.searchParams.get('state'));
    expect((await h.cascade.app!.inject({ method: 'POST', url: '/admin/installs/linear', payload: {} })).statusCode).toBe(401);
  });
});

describe('the consent and the callback', () => {
  it('stores an active installation of the workspace, written as its app user, and names the workspace escaped', async () => {
    const h = await setUp();
    const hostile = h.linear.addWorkspace({ name: 'Acme <script>alert(1)</script>', urlKey: 'acme', seed: (s) => s.createTeam({ key: 'OPS', name: 'Operations' }) });
    const record = await install(h, hostile.id);
    expect(record).toMatchObject({ tracker: 'linear', tenant: 'default', status: 'active', actorId: hostile.appUser!.id, workspace: { id: hostile.id, name: 'Acme <script>alert(1)</script>', urlKey: 'acme' } });
    expect(tokensOf(record)).toMatchObject({ grant: 'authorization_code', refreshToken: expect.any(String), lifetimeMs: HOUR_S * 1000 });
    const raw = await h.cascade.redis.hget(`${h.installsPrefix}:records`, record.id);
    expect(raw).not.toContain(tokensOf(record).accessToken);

    const listed = await h.cascade.app!.inject({ method: 'GET', url: '/admin/installs', headers: h.auth });
    expect(listed.json()).toEqual([expect.objectContaining({ id: record.id, status: 'active', workspace: { id: hostile.id, name: 'Acme <script>alert(1)</script>' } })]);
    expect(JSON.stringify(listed.json())).not.toContain(tokensOf(record).accessToken);
    expect(h.linear.grantCounts(hostile.id).authorizationCode).toBe(1);
  });

  it('escapes the workspace name on the page it answers', async () => {
    const h = await setUp();
    const hostile = h.linear.addWorkspace({ name: 'Acme <script>alert(1)</script>' });
    h.linear.consentTo(hostile.id);
    const page = await consentAndReturn(h, await beginInstall(h));
    expect(page.status).toBe(200);
    expect(page.body).toContain('Acme &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.body).not.toContain('<script>');
  });

  it('refuses a used, unknown or forged state with 4xx and stores nothing more', async () => {
    const h = await setUp();
    const authorizeUrl = await beginInstall(h);
    const consent = await fetch(authorizeUrl, { redirect: 'manual' });
    const location = new URL(consent.headers.get('location')!);
    const code = location.searchParams.get('code')!;

    const forged = await h.cascade.app!.inject({ method: 'GET', url: `/oauth/linear/callback?code=${code}&state=${randomUUID()}` });
    expect(forged.statusCode).toBe(400);
    expect(await h.store.list()).toEqual([]);

    const first = await h.cascade.app!.inject({ method: 'GET', url: `${location.pathname}${location.search}` });
    expect(first.statusCode).toBe(200);
    const used = await h.cascade.app!.inject({ method: 'GET', url: `${location.pathname}${location.search}` });
    expect(used.statusCode).toBe(400);
    // A fresh, good code with the used state: the state alone is refused, the code never exchanged.
    const fresh = new URL((await fetch(await beginInstall(h), { redirect: 'manual' })).headers.get('location')!);
    const usedState = location.searchParams.get('state')!;
    const replayed = await h.cascade.app!.inject({ method: 'GET', url: `/oauth/linear/callback?code=${fresh.searchParams.get('code')}&state=${usedState}` });
    expect(replayed.statusCode).toBe(400);
    const unknown = await h.cascade.app!.inject({ method: 'GET', url: `/oauth/linear/callback?code=${code}&state=nobody-asked-for-this` });
    expect(unknown.statusCode).toBe(400);
    expect(await h.store.list()).toHaveLength(1);
    expect(h.linear.grantCounts(h.linear.store.organization.id).authorizationCode).toBe(1);
  });

  it('leaves installations needing a new consent when CASCADE_SECRET_KEY changes', async () => {
    const h = await setUp();
    const record = await install(h, h.linear.store.organization.id);
    const changedKey = keeper(h, createLinearApp({ now: () => new Date(h.linear.now()) }), 'd'.repeat(64));
    await expect(changedKey.accessToken(record.id)).rejects.toBeInstanceOf(InstallationInactiveError);
    await expect.poll(async () => (await h.store.get(record.id))?.status).toBe('needs_reauth');
    const listed = await h.cascade.app!.inject({ method: 'GET', url: '/admin/installs', headers: h.auth });
    expect(listed.json()).toEqual([expect.objectContaining({ id: record.id, status: 'needs_reauth' })]);
  });

  it('disconnects: the token is revoked at Linear and the installation here', async () => {
    const h = await setUp();
    const record = await install(h, h.linear.store.organization.id);
    const response = await h.cascade.app!.inject({ method: 'DELETE', url: `/admin/installs/${record.id}`, headers: h.auth });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'revoked' });
    expect(h.linear.grantCounts(h.linear.store.organization.id).revoked).toBe(1);
  });
});

describe('an installation\'s adapter', () => {
  it('reads and writes each workspace with its own token only, as that workspace\'s app user', async () => {
    const h = await setUp();
    const other = h.linear.addWorkspace({ name: 'Globex', seed: (s) => s.createTeam({ key: 'OPS', name: 'Operations' }) });
    const first = await install(h, h.linear.store.organization.id);
    const second = await install(h, other.id);
    const app = createLinearApp({ now: () => new Date(h.linear.now()) });
    const k = keeper(h, app);
    const trackers: Record<string, Tracker> = {
      [first.id]: app.create(h.env, first, sourceOf(k, first.id), silent),
      [second.id]: app.create(h.env, second, sourceOf(k, second.id), silent),
    };
    const mine = h.linear.store.createIssue({ team: 'ENG', title: 'Ours' });
    const theirs = other.store.createIssue({ team: 'OPS', title: 'Theirs' });

    for (const [record, issueId, workspace] of [[first, mine.id, h.linear.workspaces()[0]!], [second, theirs.id, other]] as const) {
      const tracker = trackers[record.id]!;
      expect((await tracker.identity()).id).toBe(workspace.appUser!.id);
      const state = await tracker.fetchTicket(issueId);
      expect(state?.ticket.id).toBe(issueId);
      await tracker.ensureComment(state!, { fingerprint: 'f1', blocks: [] });
    }
    // Neither reaches the other's tickets.
    expect(await trackers[first.id]!.fetchTicket(theirs.id)).toBeNull();
    expect(await trackers[second.id]!.fetchTicket(mine.id)).toBeNull();

    const comments = [...h.linear.store.comments.values(), ...other.store.comments.values()];
    expect(comments.map((c) => c.userId).sort()).toEqual([h.linear.workspaces()[0]!.appUser!.id, other.appUser!.id].sort());
    const tokenOf = (r: InstallationRecord) => tokensOf(r).accessToken;
    for (const [record, workspaceId] of [[first, h.linear.store.organization.id], [second, other.id]] as const) {
      const used = h.linear.accessLog({ workspaceId });
      expect(used.filter((e) => e.operation === 'mutation').length).toBeGreaterThan(0);
      expect(new Set(used.map((e) => e.token))).toEqual(new Set([tokenOf(record)]));
    }
  });

  it('after a 401 asks for a new token once and sends the request again', async () => {
    const h = await setUp();
    const record = await install(h, h.linear.store.organization.id);
    const app = createLinearApp({ now: () => new Date(h.linear.now()) });
    // The keeper's clock stands still while the sandbox's moves past the token's end: only the 401 tells.
    const stillClock = new TokenKeeper({
      store: h.store, box: secretBox(KEY), logger: silent, now: () => new Date(),
      refresh: () => (installation, tokens) => app.refresh(h.env, installation, tokens),
    });
    const tracker = app.create(h.env, record, sourceOf(stillClock, record.id), silent);
    h.linear.advanceClock((HOUR_S + 1) * 1000);
    const issue = h.linear.store.createIssue({ team: 'ENG', title: 'After the token ended' });
    expect((await tracker.fetchTicket(issue.id))?.ticket.id).toBe(issue.id);
    expect(h.linear.grantCounts(h.linear.store.organization.id).refresh).toBe(1);
  });
});

describe('refreshing', () => {
  it('refreshes exactly once per expiry while keepers on four Redis connections race for the token, over several expiries', async () => {
    const h = await setUp({ sandbox: { latencyMs: 5 } });
    const workspaceId = h.linear.store.organization.id;
    const record = await install(h, workspaceId);
    const app = createLinearApp({ now: () => new Date(h.linear.now()) });
    const keepers = [1, 2, 3, 4].map(() => keeper(h, app));
    let previous = tokensOf(record).accessToken;
    for (let expiry = 1; expiry <= 3; expiry++) {
      // Into the refresh margin (a quarter of the hour), not yet past the end.
      h.linear.advanceClock((HOUR_S - 600) * 1000);
      const tokens = await Promise.all(keepers.flatMap((k) => [k.accessToken(record.id), k.accessToken(record.id), k.accessToken(record.id)]));
      expect(new Set(tokens).size).toBe(1);
      expect(tokens[0]).not.toBe(previous);
      previous = tokens[0]!;
      expect(h.linear.grantCounts(workspaceId)).toMatchObject({ refresh: expiry, refusedRefresh: 0 });
    }
    // The token they agreed on works.
    const tracker = app.create(h.env, record, sourceOf(keepers[0]!, record.id), silent);
    expect((await tracker.identity()).id).toBe(record.actorId);
  });

  it('marks the installation needs_reauth when Linear answers invalid_grant', async () => {
    const h = await setUp();
    const record = await install(h, h.linear.store.organization.id);
    const app = createLinearApp({ now: () => new Date(h.linear.now()) });
    // Someone else used the stored refresh token (a copy of the data, an old deployment): it is dead now.
    await linearApp.refresh(h.env, record, tokensOf(record));
    h.linear.advanceClock((HOUR_S - 60) * 1000);
    await expect(keeper(h, app).accessToken(record.id)).rejects.toBeInstanceOf(InstallationInactiveError);
    const stored = await h.store.get(record.id);
    expect(stored).toMatchObject({ status: 'needs_reauth', statusReason: expect.stringContaining('invalid_grant') });
  });
});

describe('LINEAR_CLIENT_CREDENTIALS', () => {
  it('installs the workspace at start-up with a client-credentials token, reuses it on a restart and renews it before it ends', async () => {
    const h = await setUp({ env: { LINEAR_CLIENT_CREDENTIALS: 'true' }, sandbox: { oauth: { clientCredentialsLifetimeSeconds: 4 * HOUR_S } } });
    const workspace = h.linear.workspaces()[0]!;
    const listed = await h.cascade.app!.inject({ method: 'GET', url: '/admin/installs', headers: h.auth });
    expect(listed.json()).toEqual([expect.objectContaining({ tracker: 'linear', tenant: 'default', status: 'active', workspace: { id: workspace.id, name: workspace.store.organization.name } })]);
    const [record] = await h.store.list();
    expect(record).toMatchObject({ actorId: workspace.appUser!.id });
    expect(tokensOf(record!)).toMatchObject({ grant: 'client_credentials', lifetimeMs: 4 * HOUR_S * 1000 });
    expect(tokensOf(record!).refreshToken).toBeUndefined();

    await h.startAgain();
    expect(h.linear.grantCounts(workspace.id).clientCredentials).toBe(1);

    // Within the last hour of its four: a new client-credentials token, which works.
    h.linear.advanceClock(3.5 * HOUR_S * 1000);
    const app = createLinearApp({ now: () => new Date(h.linear.now()) });
    const k = keeper(h, app);
    const renewed = await k.accessToken(record!.id);
    expect(renewed).not.toBe(tokensOf(record!).accessToken);
    expect(h.linear.grantCounts(workspace.id).clientCredentials).toBe(2);
    expect((await app.create(h.env, record!, sourceOf(k, record!.id), silent).identity()).id).toBe(workspace.appUser!.id);
  });

  it('warns once at start-up about a pasted LINEAR_ACCESS_TOKEN, which cannot be refreshed', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    await setUp({ env: { LINEAR_ACCESS_TOKEN: 'lin_oauth_pasted_by_hand' }, logger });
    const warnings = lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level === 40 && l.msg.includes('LINEAR_ACCESS_TOKEN'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toMatch(/cannot refresh/);
    expect(lines.join('\n')).not.toContain('lin_oauth_pasted_by_hand');
  });
});
