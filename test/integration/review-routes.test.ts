// The strategy review through the admin API: buildApp, a real Redis, the real
// adapters against the sandboxes seeded as in the demo. GET /admin/review and
// /admin/proposals, GET /admin/import/:tracker, and the warnings of
// POST /admin/config/validate and PUT /admin/config.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { parse, stringify } from 'yaml';
import { createQueues, type Queues } from '../../src/queue/queues.js';
import { ConfigStore } from '../../src/store/config-store.js';
import { keysFor } from '../../src/store/keys.js';
import { VerdictStore } from '../../src/store/verdict-store.js';
import { ProposalStore } from '../../src/store/proposal-store.js';
import { adminPlugin } from '../../src/routes/admin/index.js';
import { groupStoredProposals } from '../../workers/group-proposals-job.js';
import { pino } from 'pino';
import { validateConfig } from '../../src/config/validate-config.js';
import { startLinearSandbox, seedDemoWorkspace, type LinearSandbox } from '../../sandbox/linear/index.js';
import { startJiraSandbox, JiraStore, seedDemoJira, DEMO_JIRA_BOT, type JiraSandbox } from '../../sandbox/jira/index.js';
import { LinearTracker } from '../../src/trackers/linear/index.js';
import { JiraTracker } from '../../src/trackers/jira/jira-tracker.js';
import { exampleConfig } from '../support/example-config.js';
import { deleteKeysUnder } from '../support/test-prefix.js';
import { routeApp } from '../support/route-app.js';

const redisUrl = inject('redisUrl');
const NOW = new Date('2026-12-10T12:00:00Z');
const ADMIN = { name: 'alice', token: 'alice-0123456789-secret' };
const auth = { authorization: `Bearer ${ADMIN.token}` };

let redis: Redis;
// One prefix for the file (its tests share one app), emptied after the last test.
let prefix: string;
let queues: Queues;
let app: FastifyInstance;
let linear: LinearSandbox;
let jira: JiraSandbox;

beforeAll(async () => {
  prefix = `{t-${randomUUID()}}`;
  redis = new Redis(redisUrl);
  const keys = keysFor(prefix);
  const configStore = new ConfigStore(redis, keys, { refreshMs: 0, timeZone: 'Europe/Paris' });
  await configStore.seed(exampleConfig());
  const verdicts = new VerdictStore(redis, keys);
  const proposals = new ProposalStore(redis, keys);
  const base = { tracker: 'linear' as const, state: 'open' as const, checkedAt: NOW.toISOString(), configVersion: 1 };
  await verdicts.put({ ...base, id: 'a', key: 'WEB-3', title: 'Sample project', verdict: 'aligned', objectiveIds: ['onboarding', 'retention'], estimate: 2 });
  await verdicts.put({ ...base, id: 'b', key: 'ENG-4', title: 'Cursor pagination', verdict: 'aligned', objectiveIds: ['public-api', 'platform'] });
  await proposals.add({ title: 'Dark mode everywhere', tracker: 'linear', ticketId: 'w8', ticketKey: 'WEB-8', person: 'Tomás Silva', at: '2026-12-01T10:00:00Z' });
  await proposals.add({ title: 'Dark mode across the product', tracker: 'linear', ticketId: 'w7', ticketKey: 'WEB-7', person: 'Mei Chen', at: '2026-12-02T10:00:00Z' });
  linear = await startLinearSandbox({ seed: (store) => seedDemoWorkspace(store) });
  const jiraStore = new JiraStore();
  seedDemoJira(jiraStore);
  jira = await startJiraSandbox({ store: jiraStore, webhook: null });
  const url = new URL(redisUrl);
  queues = createQueues({ connection: { host: url.hostname, port: Number(url.port) }, prefix });
  // The worker's grouping, which the routes answer (test/integration/proposals.test.ts runs it through the queue).
  await groupStoredProposals(proposals, queues.digest, () => NOW, pino({ level: 'silent' }));
  app = await routeApp({
    redis,
    keys: keys,
    adminTokens: [ADMIN],
    plugins: [adminPlugin({
      tokens: [ADMIN], configStore, verdicts, queues, proposals, timeZone: 'Europe/Paris', now: () => NOW,
      trackers: {
        linear: new LinearTracker({ apiKey: linear.apiKey, apiUrl: linear.apiUrl }),
        jira: new JiraTracker({ host: jira.baseUrl, auth: { email: DEMO_JIRA_BOT.email, apiToken: DEMO_JIRA_BOT.apiToken } }),
      },
      startRecheck: async () => ({ sweepIds: ['s1'] }),
      sweepProgress: async () => [],
    })],
  });
});

afterAll(async () => {
  await app?.close();
  await queues?.close();
  await linear?.close();
  await jira?.close();
  redis?.disconnect();
  await deleteKeysUnder(prefix);
});

describe('GET /admin/review', () => {
  it('lists the objectives ending within the window with their open work, and the grouped proposals', async () => {
    const res = await app.inject({ method: 'GET', url: '/admin/review?days=30', headers: auth });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.endingSoon.map((n: { id: string }) => n.id)).toEqual(['enterprise', 'retention']);
    expect(body.endingSoon[1]).toMatchObject({ end: '2026-12-31', daysLeft: 21, openTickets: 1, estimate: 2, examples: [{ key: 'WEB-3' }] });
    expect(body.proposals).toHaveLength(1);
    expect(body.proposals[0].people).toEqual(['Tomás Silva', 'Mei Chen']);
  });

  it('refuses a bad window and answers nothing without the token', async () => {
    expect((await app.inject({ method: 'GET', url: '/admin/review?days=0', headers: auth })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/admin/review' })).statusCode).toBe(401);
  });
});

describe('GET /admin/proposals', () => {
  it('answers the proposals grouped by similar title, with the tickets and people', async () => {
    const res = await app.inject({ method: 'GET', url: '/admin/proposals', headers: auth });
    expect(res.json()).toMatchObject({ total: 2, groups: [{ count: 2, tickets: [{ key: 'WEB-8' }, { key: 'WEB-7' }] }] });
  });
});

describe('GET /admin/import/:tracker', () => {
  it('answers a strategy YAML that validates, for both trackers', async () => {
    for (const tracker of ['linear', 'jira']) {
      const res = await app.inject({ method: 'GET', url: `/admin/import/${tracker}`, headers: auth });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('yaml');
      expect(validateConfig(parse(res.body)).ok).toBe(true);
    }
  });
});

describe('warnings from the trackers', () => {
  const misspelled = () => {
    const config = exampleConfig();
    config.objectives[0]!.match = { linear: { initiatives: ['Enterprise readyness'] } };
    return stringify(config);
  };

  it('POST /admin/config/validate answers valid, with a warning naming the closest initiative', async () => {
    const res = await app.inject({ method: 'POST', url: '/admin/config/validate', headers: { ...auth, 'content-type': 'application/yaml' }, payload: misspelled() });
    expect(res.statusCode).toBe(200);
    expect(res.json().valid).toBe(true);
    expect(res.json().warnings.map((w: { message: string }) => w.message)).toEqual(['Linear initiative "Enterprise readyness" does not exist; closest: "Enterprise readiness"']);
  });

  it('PUT /admin/config saves anyway and returns the warnings', async () => {
    const res = await app.inject({ method: 'PUT', url: '/admin/config', headers: { ...auth, 'content-type': 'application/yaml', 'if-match': '"1"' }, payload: misspelled() });
    expect(res.statusCode).toBe(200);
    expect(res.json().version).toBe(2);
    expect(res.json().warnings[0].closest).toBe('Enterprise readiness');
  });
});
