// The admin API through buildApp with a real Redis, real BullMQ queues and
// the Linear sandbox behind the real adapter: auth and its rate limit, config
// reads and writes with ETags, validation, versions, rollback, re-checks,
// explain and the queue views.
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { Worker } from 'bullmq';
import { parse, stringify } from 'yaml';
import { createQueues, type Queues } from '../../src/queue/queues.js';
import { ConfigStore } from '../../src/store/config-store.js';
import { keysFor } from '../../src/store/keys.js';
import { VerdictStore } from '../../src/store/verdict-store.js';
import type { VerdictRecord } from '../../src/records/verdict-record.js';
import type { CascadeConfig, StrategyNode } from '../../src/strategy/tree-schema.js';
import { adminPlugin, type AdminRoutesOptions, type RecheckRequest } from '../../src/routes/admin/index.js';
import { exampleConfig } from '../support/example-config.js';
import { startLinearHarness, type LinearHarness } from '../support/linear-harness.js';
import { testPrefix } from '../support/test-prefix.js';
import { routeApp } from '../support/route-app.js';

const redisUrl = inject('redisUrl');
const NOW = new Date('2026-09-15T12:00:00Z');
const ALICE = { name: 'alice', token: 'alice-0123456789-secret' };
const BOB = { name: 'bob', token: 'bob-0123456789-secret-too' };
const auth = (t: { token: string } = ALICE) => ({ authorization: `Bearer ${t.token}` });

let redis: Redis;
let queues: Queues;
let store: ConfigStore;
let verdicts: VerdictStore;
let prefix: string;
let app: FastifyInstance | undefined;
let harness: LinearHarness | undefined;
let rechecks: RecheckRequest[];

const connection = () => {
  const url = new URL(redisUrl);
  return { host: url.hostname, port: Number(url.port) };
};

beforeEach(async () => {
  prefix = testPrefix('t');
  redis = new Redis(redisUrl);
  const keys = keysFor(prefix);
  store = new ConfigStore(redis, keys, { refreshMs: 0 });
  verdicts = new VerdictStore(redis, keys);
  queues = createQueues({ connection: connection(), prefix });
  rechecks = [];
  await store.seed(exampleConfig());
});

afterEach(async () => {
  await app?.close();
  app = undefined;
  await harness?.close();
  harness = undefined;
  await queues.close();
  await redis.quit();
});

async function start(overrides: Partial<AdminRoutesOptions> = {}): Promise<FastifyInstance> {
  const options: AdminRoutesOptions = {
    tokens: [ALICE, BOB],
    configStore: store,
    verdicts,
    queues,
    trackers: {},
    now: () => NOW,
    startRecheck: async (request) => {
      rechecks.push(request);
      return { sweepIds: [`sweep-${rechecks.length}`] };
    },
    sweepProgress: async () => [],
    ...overrides,
  };
  app = await routeApp({ redis, keys: keysFor(prefix), adminTokens: options.tokens, plugins: [adminPlugin(options)] });
  return app;
}

function putConfig(a: FastifyInstance, config: unknown, ifMatch: string | undefined, token = ALICE): Promise<LightMyRequestResponse> {
  return a.inject({
    method: 'PUT',
    url: '/admin/config',
    headers: { ...auth(token), 'content-type': 'application/json', ...(ifMatch === undefined ? {} : { 'if-match': ifMatch }) },
    payload: JSON.stringify(config),
  });
}

function nodeOf(config: CascadeConfig, id: string): StrategyNode {
  const find = (nodes: StrategyNode[]): StrategyNode | undefined => {
    for (const n of nodes) {
      const hit = n.id === id ? n : find(n.children ?? []);
      if (hit) return hit;
    }
    return undefined;
  };
  const hit = find(config.objectives);
  if (!hit) throw new Error(`no node ${id}`);
  return hit;
}

describe('admin API: authentication', () => {
  it('answers 401 without a token or with a wrong one, and serves a right one', async () => {
    const a = await start();
    const none = await a.inject({ method: 'GET', url: '/admin/config' });
    expect(none.statusCode).toBe(401);
    expect(none.json().error).toBe('CASCADE_UNAUTHORISED');
    const wrong = await a.inject({ method: 'GET', url: '/admin/config', headers: { authorization: 'Bearer not-the-token-at-all' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error).toBe('CASCADE_UNAUTHORISED');
    const right = await a.inject({ method: 'GET', url: '/admin/config', headers: auth(BOB) });
    expect(right.statusCode).toBe(200);
  });

  it('registers no admin route at all without tokens', async () => {
    const a = await start({ tokens: [] });
    const res = await a.inject({ method: 'GET', url: '/admin/config', headers: auth() });
    expect(res.statusCode).toBe(404);
  });

  it('slows down repeated bad tokens from one address: the 11th attempt in a minute gets 429', async () => {
    const a = await start();
    for (let i = 0; i < 10; i++) {
      const res = await a.inject({ method: 'GET', url: '/admin/queues', headers: { authorization: `Bearer guess-${i}` } });
      expect(res.statusCode).toBe(401);
    }
    const limited = await a.inject({ method: 'GET', url: '/admin/queues', headers: { authorization: 'Bearer guess-10' } });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error).toBe('CASCADE_RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // The admin with the right token is not locked out by a guesser.
    expect((await a.inject({ method: 'GET', url: '/admin/queues', headers: auth() })).statusCode).toBe(200);
  });

  it('serves the OpenAPI description behind the token', async () => {
    const a = await start();
    expect((await a.inject({ method: 'GET', url: '/docs/json' })).statusCode).toBe(401);
    const res = await a.inject({ method: 'GET', url: '/docs/json', headers: auth() });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/admin/config', '/admin/config/validate', '/admin/config/versions', '/admin/config/rollback/{version}',
      '/admin/recheck', '/admin/explain/{tracker}/{ticket}', '/admin/queues', '/admin/queues/failed/retry',
    ]));
  });
});

describe('admin API: reading and writing the config', () => {
  it('returns the config as JSON with a quoted ETag, and as YAML on request', async () => {
    const a = await start();
    const res = await a.inject({ method: 'GET', url: '/admin/config', headers: auth() });
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('"1"');
    expect(res.headers['x-config-version']).toBe('1');
    expect(res.json()).toEqual(exampleConfig());
    const yaml = await a.inject({ method: 'GET', url: '/admin/config?format=yaml', headers: auth() });
    expect(yaml.headers['content-type']).toMatch(/^application\/yaml/);
    expect(yaml.headers.etag).toBe('"1"');
    expect(parse(yaml.body)).toEqual(exampleConfig());
    const bad = await a.inject({ method: 'GET', url: '/admin/config?format=xml', headers: auth() });
    expect(bad.statusCode).toBe(400);
  });

  it('requires If-Match (428) and refuses a stale one (412, naming the current version)', async () => {
    const a = await start();
    const config = exampleConfig();
    config.rules!.grace_minutes = 60;
    const missing = await putConfig(a, config, undefined);
    expect(missing.statusCode).toBe(428);
    expect(missing.json().error).toBe('CASCADE_PRECONDITION_REQUIRED');
    const stale = await putConfig(a, config, '"7"');
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({ error: 'CASCADE_STALE_ETAG', currentVersion: 1 });
    expect(stale.json().message).toContain('version 1');
    expect(await store.currentVersion()).toBe(1);
    expect(rechecks).toEqual([]);
  });

  it('stores a YAML body as a new version with author and summary, re-checks, and returns the new ETag', async () => {
    const a = await start();
    const config = exampleConfig();
    nodeOf(config, 'audit').title = 'Audit trail';
    config.rules!.grace_minutes = 60;
    const res = await a.inject({
      method: 'PUT', url: '/admin/config', headers: { ...auth(BOB), 'content-type': 'application/yaml', 'if-match': '"1"' }, payload: stringify(config),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.json()).toEqual({
      version: 2,
      summary: ['renamed "audit": "Audit log and compliance exports" → "Audit trail"', 'rules.grace_minutes: 120 → 60'],
      recheck: { sweepIds: ['sweep-1'] },
    });
    expect(rechecks).toEqual([{ reason: 'config' }]);
    const stored = await store.get(2);
    expect(stored).toMatchObject({ author: 'bob', config });
    const after = await a.inject({ method: 'GET', url: '/admin/config', headers: auth() });
    expect(after.headers.etag).toBe('"2"');
    expect(after.json()).toEqual(config);
  });

  it('stores nothing and re-checks nothing when the document equals the current config', async () => {
    const a = await start();
    const res = await putConfig(a, exampleConfig(), 'W/"1"');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ version: 1, unchanged: true, summary: ['no changes'] });
    expect(await store.currentVersion()).toBe(1);
    expect(rechecks).toEqual([]);
  });

  it('takes JSON with a charset or as text/plain, refuses other media types, and starts from "0" when Redis holds no config', async () => {
    const a = await start();
    const config = exampleConfig();
    config.rules!.comment = false;
    const charset = await a.inject({
      method: 'POST', url: '/admin/config/validate', headers: { ...auth(), 'content-type': 'application/json; charset=utf-8' }, payload: JSON.stringify(config),
    });
    expect(charset.statusCode).toBe(200);
    expect(charset.json().summary).toEqual(['rules.comment: true → false']);
    const plain = await a.inject({ method: 'POST', url: '/admin/config/validate', headers: { ...auth(), 'content-type': 'text/plain' }, payload: stringify(config) });
    expect(plain.statusCode).toBe(200);
    const xml = await a.inject({ method: 'POST', url: '/admin/config/validate', headers: { ...auth(), 'content-type': 'application/xml' }, payload: '<config/>' });
    expect(xml.statusCode).toBe(400);
    expect(xml.json().error).toBe('FST_ERR_CTP_INVALID_MEDIA_TYPE');

    await redis.del(keysFor(prefix).configCurrent);
    const none = await a.inject({ method: 'GET', url: '/admin/config', headers: auth() });
    expect(none.statusCode).toBe(404);
    expect(none.json().error).toBe('CASCADE_NO_CONFIG');
    const first = await putConfig(a, config, '"0"');
    expect(first.statusCode).toBe(200);
    expect(first.json().summary).toEqual(['first version: 4 objectives, 13 nodes in all']);
    expect(await store.currentVersion()).toBe(1);
  });

  it('lets exactly one of two concurrent writers win; the other gets 412', async () => {
    const a = await start();
    const first = exampleConfig();
    first.rules!.grace_minutes = 30;
    const second = exampleConfig();
    second.rules!.grace_minutes = 90;
    const answers = await Promise.all([putConfig(a, first, '"1"', ALICE), putConfig(a, second, '"1"', BOB)]);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 412]);
    const loser = answers.find((r) => r.statusCode === 412)!;
    expect(loser.json()).toMatchObject({ error: 'CASCADE_STALE_ETAG', currentVersion: 2 });
    const winner = answers.find((r) => r.statusCode === 200)!;
    expect(await store.currentVersion()).toBe(2);
    expect((await store.get(2))?.config.rules?.grace_minutes).toBe(winner === answers[0] ? 30 : 90);
    expect(await store.get(3)).toBeNull();
  });

  it('reports every problem of an invalid config at once and leaves the config as it was', async () => {
    const a = await start();
    const bad = exampleConfig();
    nodeOf(bad, 'audit').id = 'identity'; // duplicate id
    nodeOf(bad, 'retention').period = { start: '2026-07-01', end: '2026-06-01' }; // ends before it starts
    nodeOf(bad, 'public-api').period = { start: '2026-07-01', end: '2027-12-31' }; // outside its parent's
    nodeOf(bad, 'onboarding').match = { linear: { projects: ['SSO'] } }; // claimed by "identity" already
    bad.objectives[0]!.target_share = 0.9; // siblings add up to more than 1
    const res = await putConfig(a, bad, '"1"');
    expect(res.statusCode).toBe(400);
    const body = res.json() as { error: string; issues: Array<{ path: string; message: string }> };
    expect(body.error).toBe('CASCADE_INVALID_CONFIG');
    expect(body.issues.map((i) => i.path).sort()).toEqual([
      'objectives',
      'objectives[0].children[0].children[1].id',
      'objectives[1].children[0].match.linear.projects[0]',
      'objectives[1].period.end',
      'objectives[2].children[0].period.end',
    ]);
    for (const issue of body.issues) expect(issue.message.length).toBeGreaterThan(5);

    // Shape errors are listed all together too.
    const shape = exampleConfig() as unknown as { objectives: Array<Record<string, unknown>>; rules: Record<string, unknown> };
    shape.objectives[0]!.id = 'Not An Id';
    shape.objectives[1]!.colour = 'blue';
    shape.rules.grace_minutes = 'soon';
    const shapeRes = await putConfig(a, shape, '"1"');
    expect(shapeRes.statusCode).toBe(400);
    expect((shapeRes.json().issues as Array<{ path: string }>).map((i) => i.path).sort()).toEqual([
      'objectives[0].id', 'objectives[1].colour', 'rules.grace_minutes',
    ]);

    const yamlRes = await a.inject({
      method: 'PUT', url: '/admin/config', headers: { ...auth(), 'content-type': 'text/yaml', 'if-match': '"1"' }, payload: 'objectives: [\n  - id: x\n',
    });
    expect(yamlRes.statusCode).toBe(400);
    expect(yamlRes.json().issues[0].message).toMatch(/not valid YAML/);
    const empty = await a.inject({ method: 'PUT', url: '/admin/config', headers: { ...auth(), 'content-type': 'application/json', 'if-match': '"1"' }, payload: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toBe('CASCADE_INVALID_CONFIG');

    expect(await store.currentVersion()).toBe(1);
    expect((await store.list()).map((v) => v.version)).toEqual([1]);
    const after = await a.inject({ method: 'GET', url: '/admin/config', headers: auth() });
    expect(after.json()).toEqual(exampleConfig());
    expect(rechecks).toEqual([]);
  });
});

describe('admin API: validate, versions and rollback', () => {
  const record = (key: string, verdict: VerdictRecord['verdict'], objectiveIds: string[], state: 'open' | 'closed' = 'open'): VerdictRecord => ({
    tracker: 'linear', id: `id-${key}`, key, title: key, team: 'ENG', state, verdict, objectiveIds, checkedAt: NOW.toISOString(), configVersion: 1,
  });

  it('validates without storing, with the diff and the estimated impact on recorded tickets', async () => {
    const a = await start();
    await verdicts.put(record('ENG-1', 'aligned', ['audit', 'enterprise-security', 'enterprise']));
    await verdicts.put(record('ENG-2', 'aligned', ['public-api', 'platform']));
    await verdicts.put(record('ENG-3', 'stale', ['mobile-launch']));
    await verdicts.put(record('ENG-4', 'orphan', []));
    await verdicts.put(record('ENG-5', 'aligned', ['onboarding', 'retention']));
    await verdicts.put(record('ENG-6', 'orphan', [], 'closed'));
    const next = exampleConfig();
    const security = nodeOf(next, 'enterprise-security');
    security.children = security.children!.filter((c) => c.id !== 'audit');
    nodeOf(next, 'platform').status = 'retired';
    const mobile = nodeOf(next, 'mobile-launch');
    delete mobile.status;
    mobile.period = { start: '2026-07-01', end: '2027-03-31' };
    nodeOf(next, 'onboarding').match!.linear!.labels = ['onboarding'];

    const res = await a.inject({ method: 'POST', url: '/admin/config/validate', headers: { ...auth(), 'content-type': 'application/json' }, payload: JSON.stringify(next) });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.valid).toBe(true);
    expect(body.summary).toEqual([
      'retired "platform"',
      'reactivated "mobile-launch"',
      'period of "mobile-launch": 2026-01-01..2026-06-30 → 2026-07-01..2027-03-31',
      'removed "audit" (Audit log and compliance exports)',
      'match linear.labels "onboarding" added to "onboarding"',
    ]);
    expect(body.impact).toMatchObject({
      openTickets: 5,
      verdictsNow: { aligned: 3, stale: 1, orphan: 1 },
      removedNodes: ['audit'],
      deactivatedNodes: ['platform', 'public-api', 'marketplace'],
      reactivatedNodes: ['mobile-launch'],
      mayLoseLineage: { count: 1, examples: ['linear:ENG-1'] },
      mayBecomeStale: { count: 1, examples: ['linear:ENG-2'] },
      mayBecomeAligned: { count: 1, examples: ['linear:ENG-3'] },
      orphansToReevaluate: { count: 1, newMatchEntries: 1 },
    });
    expect(body.impact.basis).toMatch(/estimated from the verdicts already recorded/);
    expect(await store.currentVersion()).toBe(1);
    expect(rechecks).toEqual([]);

    const invalid = await a.inject({ method: 'POST', url: '/admin/config/validate', headers: { ...auth(), 'content-type': 'application/yaml' }, payload: 'objectives: []\n' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ error: 'CASCADE_INVALID_CONFIG', issues: [{ path: 'objectives' }] });
  });

  it('lists versions newest first and rolls back as a new version by the token that asked', async () => {
    const a = await start();
    const changed = exampleConfig();
    changed.rules!.dry_run = true;
    expect((await putConfig(a, changed, '"1"', ALICE)).statusCode).toBe(200);

    const rollback = await a.inject({ method: 'POST', url: '/admin/config/rollback/1', headers: auth(BOB) });
    expect(rollback.statusCode).toBe(200);
    expect(rollback.headers.etag).toBe('"3"');
    expect(rollback.json()).toEqual({
      version: 3, rolledBackTo: 1, summary: ['rollback to v1', 'rules.dry_run: true → false'], recheck: { sweepIds: ['sweep-2'] },
    });
    expect(rechecks).toEqual([{ reason: 'config' }, { reason: 'config' }]);
    expect((await store.get(3))?.config).toEqual(exampleConfig());

    const list = await a.inject({ method: 'GET', url: '/admin/config/versions', headers: auth() });
    expect(list.statusCode).toBe(200);
    const { current, versions } = list.json() as { current: number; versions: Array<{ version: number; author: string; current: boolean; summary: string[]; createdAt: string }> };
    expect(current).toBe(3);
    expect(versions.map((v) => [v.version, v.author, v.current])).toEqual([[3, 'bob', true], [2, 'alice', false], [1, 'seed', false]]);
    expect(versions[1]!.summary).toEqual(['rules.dry_run: false → true']);
    expect(Date.parse(versions[0]!.createdAt)).not.toBeNaN();

    const unknown = await a.inject({ method: 'POST', url: '/admin/config/rollback/99', headers: auth() });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toBe('CASCADE_UNKNOWN_VERSION');
    const notNumber = await a.inject({ method: 'POST', url: '/admin/config/rollback/latest', headers: auth() });
    expect(notNumber.statusCode, notNumber.body).toBe(400);
    expect(await store.currentVersion()).toBe(3);
  });
});

describe('admin API: re-check', () => {
  it('starts an admin re-check with the body given, or of everything without one, answering 202', async () => {
    harness = await startLinearHarness();
    const a = await start({ trackers: { linear: harness.tracker } });
    const some = await a.inject({ method: 'POST', url: '/admin/recheck', headers: auth(), payload: { tracker: 'linear', teams: ['ENG'] } });
    expect(some.statusCode).toBe(202);
    expect(some.json()).toEqual({ sweepIds: ['sweep-1'] });
    const all = await a.inject({ method: 'POST', url: '/admin/recheck', headers: auth() });
    expect(all.statusCode).toBe(202);
    expect(rechecks).toEqual([{ tracker: 'linear', teams: ['ENG'], reason: 'admin' }, { reason: 'admin' }]);

    const badTracker = await a.inject({ method: 'POST', url: '/admin/recheck', headers: auth(), payload: { tracker: 'github' } });
    expect(badTracker.statusCode).toBe(400);
    expect(badTracker.json().message).toMatch(/tracker/);
    const unconfigured = await a.inject({ method: 'POST', url: '/admin/recheck', headers: auth(), payload: { tracker: 'jira' } });
    expect(unconfigured.statusCode).toBe(404);
    expect(unconfigured.json().error).toBe('CASCADE_TRACKER_NOT_CONFIGURED');
    expect(rechecks).toHaveLength(2);
  });
});

describe('admin API: explain against the Linear sandbox', () => {
  const OLD = '2026-08-01T09:00:00Z';

  it('explains aligned, orphan, pending, exempt and stale tickets live, writing nothing', async () => {
    harness = await startLinearHarness({
      sandbox: {
        seed: (s) => {
          s.createInitiative({ name: 'Enterprise readiness' });
          s.createProject({ name: 'SSO', initiatives: ['Enterprise readiness'] });
          s.createProject({ name: 'Mobile beta', status: 'completed' });
        },
      },
    });
    const s = harness.sandbox.store;
    const epic = s.createIssue({ team: 'ENG', title: 'SAML login', project: 'SSO', createdAt: OLD });
    const aligned = s.createIssue({ team: 'ENG', title: 'Okta metadata', parent: epic.id, createdAt: OLD });
    const orphan = s.createIssue({ team: 'ENG', title: 'Dark mode', createdAt: OLD });
    const pending = s.createIssue({ team: 'ENG', title: 'Brand new', createdAt: new Date(NOW.getTime() - 10 * 60_000).toISOString() });
    const exempt = s.createIssue({ team: 'ENG', title: 'Crash on emoji', labels: ['bug'], createdAt: OLD });
    const stale = s.createIssue({ team: 'ENG', title: 'Offline mode', project: 'Mobile beta', createdAt: OLD });
    const a = await start({ trackers: { linear: harness.tracker } });
    const explain = async (id: string) => {
      const res = await a.inject({ method: 'GET', url: `/admin/explain/linear/${s.identifierOf(s.requireIssue(id))}`, headers: auth() });
      expect(res.statusCode).toBe(200);
      return res.json();
    };

    const a1 = await explain(aligned.id);
    expect(a1).toMatchObject({
      ticket: { key: 'ENG-2', title: 'Okta metadata', team: 'ENG', state: 'open', labels: [], parents: ['ENG-1'] },
      verdict: 'aligned',
      objectiveIds: ['identity', 'enterprise-security', 'enterprise'],
      configVersion: 1,
    });
    expect(a1.ticket.url).toMatch(/ENG-2/);
    expect(a1.paths[0]).toMatchObject({ rule: 'linear.projects', value: 'SSO', nodeIds: ['identity', 'enterprise-security', 'enterprise'] });
    expect(a1.trace.length).toBeGreaterThan(0);
    expect(a1.trace.join('\n')).toMatch(/SSO/);

    const o = await explain(orphan.id);
    expect(o).toMatchObject({ verdict: 'orphan', objectiveIds: [], paths: [] });
    expect(o.trace.length).toBeGreaterThan(0);

    const p = await explain(pending.id);
    expect(p).toMatchObject({ verdict: 'pending', recheckAt: new Date(NOW.getTime() + 110 * 60_000).toISOString() });

    const e = await explain(exempt.id);
    expect(e).toMatchObject({ verdict: 'exempt', exemptBy: { kind: 'label', value: 'bug' }, ticket: { labels: ['bug'] } });

    const st = await explain(stale.id);
    expect(st).toMatchObject({ verdict: 'stale', objectiveIds: ['mobile-launch'], ticket: { project: { name: 'Mobile beta' } } });
    expect(st.reason).toMatch(/mobile-launch/);

    // Explaining wrote nothing to the tracker.
    for (const issue of [aligned, orphan, pending, exempt, stale]) expect(s.commentsOn(issue.id)).toEqual([]);
    expect(s.labelNamesOf(orphan.id)).toEqual([]);
    expect(await verdicts.get('linear', orphan.id)).toBeNull();
  });

  it('answers 503 with Retry-After when the tracker is rate limiting', async () => {
    harness = await startLinearHarness();
    const a = await start({ trackers: { linear: harness.tracker } });
    harness.rateLimitNext(5, 30);
    const res = await a.inject({ method: 'GET', url: '/admin/explain/linear/ENG-1', headers: auth() });
    expect(res.statusCode).toBe(503);
    expect(res.json().error).toBe('CASCADE_TRACKER_UNAVAILABLE');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('answers 404 for a missing ticket or an unconfigured tracker, 400 for an unknown tracker', async () => {
    harness = await startLinearHarness();
    const a = await start({ trackers: { linear: harness.tracker } });
    const missing = await a.inject({ method: 'GET', url: '/admin/explain/linear/ENG-999', headers: auth() });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toBe('CASCADE_TICKET_NOT_FOUND');
    const jira = await a.inject({ method: 'GET', url: '/admin/explain/jira/ENT-1', headers: auth() });
    expect(jira.statusCode).toBe(404);
    expect(jira.json()).toMatchObject({ error: 'CASCADE_TRACKER_NOT_CONFIGURED' });
    expect(jira.json().message).toMatch(/JIRA_BASE_URL/);
    const github = await a.inject({ method: 'GET', url: '/admin/explain/github/ENG-1', headers: auth() });
    expect(github.statusCode).toBe(400);
    expect(github.json().error).toBe('FST_ERR_VALIDATION');
  });
});

describe('admin API: queues', () => {
  it('shows counts and a real failure with its reason, then retries it back to waiting', async () => {
    const progress = [{ sweepId: 's-1', tracker: 'linear', reason: 'admin', pages: 2, tickets: 150, done: false, startedAt: NOW.toISOString() }];
    const a = await start({ sweepProgress: async () => progress });
    await queues.checks.linear.add('check', { tracker: 'linear', ticketId: 'ENG-42', reason: 'webhook', deliveryId: 'd-1' }, { attempts: 1 });
    await queues.events.add('event', { tracker: 'linear', deliveryId: 'd-2', receivedAt: NOW.toISOString(), event: { kind: 'ignored' } as never });
    const worker = new Worker(queues.checks.linear.name, async () => {
      throw new Error('Linear refused the request: bad token');
    }, { connection: connection(), prefix });
    await new Promise<void>((resolve) => worker.once('failed', () => resolve()));
    await worker.close();

    const res = await a.inject({ method: 'GET', url: '/admin/queues', headers: auth() });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { queues: Array<{ name: string; counts: Record<string, number>; failed: Array<Record<string, unknown>> }>; sweeps: unknown[] };
    expect(body.queues.map((q) => q.name).sort()).toEqual(['checks-jira', 'checks-linear', 'digest', 'events', 'fanout', 'sweeps']);
    const checks = body.queues.find((q) => q.name === 'checks-linear')!;
    expect(checks.counts).toMatchObject({ failed: 1, waiting: 0, active: 0, delayed: 0, completed: 0, paused: 0, prioritized: 0 });
    expect(checks.failed).toHaveLength(1);
    expect(checks.failed[0]).toMatchObject({
      name: 'check', failedReason: 'Linear refused the request: bad token', attemptsMade: 1,
      data: { tracker: 'linear', ticketId: 'ENG-42', reason: 'webhook', deliveryId: 'd-1' },
    });
    expect(Date.parse(checks.failed[0]!.finishedOn as string)).not.toBeNaN();
    expect(body.queues.find((q) => q.name === 'events')!.counts.waiting).toBe(1);
    expect(body.sweeps).toEqual(progress);

    const badQueue = await a.inject({ method: 'POST', url: '/admin/queues/failed/retry?queue=nope', headers: auth() });
    expect(badQueue.statusCode).toBe(400);
    const retry = await a.inject({ method: 'POST', url: '/admin/queues/failed/retry?queue=checks-linear', headers: auth() });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual({ retried: { 'checks-linear': 1 }, total: 1 });
    expect(await queues.checks.linear.getJobCounts('failed', 'waiting')).toMatchObject({ failed: 0, waiting: 1 });

    const again = await a.inject({ method: 'POST', url: '/admin/queues/failed/retry', headers: auth() });
    expect(again.json()).toEqual({ retried: { events: 0, 'checks-linear': 0, 'checks-jira': 0, fanout: 0, sweeps: 0, digest: 0 }, total: 0 });
  });
});
