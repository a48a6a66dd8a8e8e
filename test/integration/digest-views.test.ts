// The digest pages under many viewers: real Redis, real BullMQ queue and digest
// worker, the routes through buildApp. A view answers the stored digest; the
// week in progress is recomputed by the worker at most once a minute for every
// viewer and receiver together, and never archived; the scheduled job archives
// the week that just ended.
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { Worker, type Job } from 'bullmq';
import { pino } from 'pino';
import { createQueues, type Queues } from '../../src/queue/queues.js';
import { QUEUE_NAMES, type DigestJob } from '../../src/queue/job-types.js';
import { requestDigestRefresh } from '../../src/queue/request-digest-refresh.js';
import { ConfigStore } from '../../src/store/config-store.js';
import { DigestStore } from '../../src/store/digest-store.js';
import { keysFor, type Keys } from '../../src/store/keys.js';
import { VerdictStore } from '../../src/store/verdict-store.js';
import type { VerdictRecord } from '../../src/records/verdict-record.js';
import { digestRoutes } from '../../src/routes/digest.js';
import { runDigestJob } from '../../workers/digest-job.js';
import { isoWeekOf } from '../../src/strategy/iso-week.js';
import { exampleConfig } from '../support/example-config.js';
import { testPrefix } from '../support/test-prefix.js';
import { routeApp } from '../support/route-app.js';

const redisUrl = inject('redisUrl');
const ADMIN = { name: 'admin', token: 'admin-0123456789-secret' };
const DIGEST_TOKEN = 'digest-0123456789-reader';
const TZ = 'Europe/Paris';
const header = { authorization: `Bearer ${DIGEST_TOKEN}` };

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

interface Pages {
  keys: Keys;
  redis: Redis;
  queues: Queues;
  verdicts: VerdictStore;
  digests: DigestStore;
  /** Moves the clock every part reads. */
  clock: { offsetMs: number };
  /** Digests the worker actually computed (refresh jobs that found a fresh one do not count). */
  computed(): number;
  /** A receiver: its own Fastify instance on the shared Redis and queue. */
  receiver(): Promise<FastifyInstance>;
}

async function startPages(options: { now: () => Date; dedupMs?: number }): Promise<Pages> {
  const prefix = testPrefix('views');
  const keys = keysFor(prefix);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queues = createQueues({ connection: redis, prefix });
  const configStore = new ConfigStore(redis, keys);
  await configStore.seed(exampleConfig());
  const verdicts = new VerdictStore(redis, keys);
  const digests = new DigestStore(redis, keys);
  const clock = { offsetMs: 0 };
  const now = (): Date => new Date(options.now().getTime() + clock.offsetMs);
  let computed = 0;
  const sources = { configStore, verdicts, digests, timeZone: TZ };
  const worker = new Worker(
    QUEUE_NAMES.digest,
    async (job: Job<DigestJob>) => {
      const result = await runDigestJob({ sources, queues, now, logger: pino({ level: 'silent' }) }, job);
      if (result === 'computed') computed++;
      return result;
    },
    { connection: new Redis(redisUrl, { maxRetriesPerRequest: null }), prefix },
  );
  cleanups.push(() => redis.quit(), () => queues.close(), () => worker.close());
  return {
    keys,
    redis,
    queues,
    verdicts,
    digests,
    clock,
    computed: () => computed,
    async receiver() {
      const app = await routeApp({
        redis,
        keys: keys,
        adminTokens: [ADMIN],
        plugins: [
          async (instance) => {
            await instance.register(digestRoutes, { digests, adminTokens: [ADMIN], digestToken: DIGEST_TOKEN, timeZone: TZ, now, requestRefresh: () => requestDigestRefresh(queues.digest, options.dedupMs) });
          },
        ],
      });
      cleanups.push(() => app.close());
      return app;
    },
  };
}

function record(id: string, fields: Partial<VerdictRecord>): VerdictRecord {
  return { tracker: 'linear', id, key: `ENG-${id}`, title: `Ticket ${id}`, team: 'ENG', state: 'open', verdict: 'orphan', objectiveIds: [], checkedAt: new Date().toISOString(), configVersion: 1, ...fields };
}

let ticketSeq = 0;
async function putTickets(verdicts: VerdictStore, aligned: number, orphan: number): Promise<void> {
  for (let i = 0; i < aligned; i++) await verdicts.put(record(`a${++ticketSeq}`, { verdict: 'aligned', objectiveIds: ['identity', 'enterprise-security', 'enterprise'] }));
  for (let i = 0; i < orphan; i++) await verdicts.put(record(`o${++ticketSeq}`, { verdict: 'orphan' }));
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const views = (apps: FastifyInstance[], each: number, url = '/digest.json'): Promise<LightMyRequestResponse[]> =>
  Promise.all(apps.flatMap((app) => Array.from({ length: each }, () => app.inject({ method: 'GET', url, headers: header }))));

describe('digest pages under many viewers', () => {
  it('20 concurrent viewers on two receivers get one computation a minute, each view answered from the stored digest', async () => {
    const pages = await startPages({ now: () => new Date() });
    await putTickets(pages.verdicts, 3, 1);
    const receivers = [await pages.receiver(), await pages.receiver()];

    // Nothing stored yet: a clear "being computed" answer, never an inline computation.
    const first = await views(receivers, 10);
    for (const res of first) expect([200, 202]).toContain(res.statusCode);
    const pending = first.find((res) => res.statusCode === 202);
    if (pending) {
      expect(pending.json()).toMatchObject({ status: 'computing' });
      expect(Number(pending.headers['retry-after'])).toBeGreaterThan(0);
    }
    const ready = await waitFor(async () => {
      const res = await receivers[0]!.inject({ method: 'GET', url: '/digest.json', headers: header });
      return res.statusCode === 200 ? res : undefined;
    }, 'the first digest');
    const generatedAt = (ready.json() as { generatedAt: string }).generatedAt;
    expect(ready.json()).toMatchObject({ share: { alignedCount: 3, denominatorCount: 4 } });

    // New work arrives; for the rest of the minute viewers keep getting the stored digest.
    await putTickets(pages.verdicts, 0, 5);
    pages.clock.offsetMs = 50_000;
    for (let round = 0; round < 5; round++) {
      const answers = await views(receivers, 10);
      expect(answers.map((res) => res.statusCode)).toEqual(Array(20).fill(200));
      for (const res of answers) expect((res.json() as { generatedAt: string }).generatedAt).toBe(generatedAt);
    }
    const html = await views(receivers, 10, '/digest');
    for (const res of html) expect(res.body).toContain(`Computed ${generatedAt}`);
    expect(pages.computed()).toBe(1);
    const counts = await pages.queues.digest.getJobCounts('completed', 'failed', 'waiting', 'active', 'delayed');
    expect(counts).toMatchObject({ completed: 1, failed: 0, waiting: 0, active: 0, delayed: 0 });
  });

  it('serves a digest older than a minute at once and has the worker recompute it in the background', async () => {
    const pages = await startPages({ now: () => new Date(), dedupMs: 200 });
    await putTickets(pages.verdicts, 1, 1);
    const app = await pages.receiver();
    const firstAt = await waitFor(async () => {
      const res = await app.inject({ method: 'GET', url: '/digest.json', headers: header });
      return res.statusCode === 200 ? (res.json() as { generatedAt: string }).generatedAt : undefined;
    }, 'the first digest');

    await putTickets(pages.verdicts, 0, 2);
    pages.clock.offsetMs = 61_000;
    const stale = await app.inject({ method: 'GET', url: '/digest.json', headers: header });
    expect(stale.statusCode).toBe(200);
    expect(stale.json()).toMatchObject({ generatedAt: firstAt, share: { denominatorCount: 2 } });
    const fresh = await waitFor(async () => {
      const res = await app.inject({ method: 'GET', url: '/digest.json', headers: header });
      const body = res.json() as { generatedAt: string; share: { denominatorCount: number } };
      return body.generatedAt !== firstAt ? body : undefined;
    }, 'the refreshed digest', 15_000);
    expect(fresh.share.denominatorCount).toBe(4);
    expect(pages.computed()).toBe(2);
  });

  it('a view never writes the archive: no week digest, no trend snapshot', async () => {
    const pages = await startPages({ now: () => new Date() });
    await putTickets(pages.verdicts, 2, 2);
    const app = await pages.receiver();
    const week = isoWeekOf(new Date(), TZ);
    await waitFor(async () => ((await app.inject({ method: 'GET', url: `/digest/${week}.json`, headers: header })).statusCode === 200 ? true : undefined), 'the current digest');
    expect((await app.inject({ method: 'GET', url: `/digest/${week}`, headers: header })).statusCode).toBe(200);
    expect(await pages.redis.hlen(pages.keys.digests)).toBe(0);
    expect(await pages.redis.hlen(pages.keys.snapshots)).toBe(0);
    expect(await pages.digests.week(week)).toBeNull();
  });
});

describe('the scheduled digest', () => {
  it('on Monday morning reports the week that just ended, and archives it with its trend snapshot', async () => {
    // Monday 23 November 2026, 09:00 in Paris: week 48 began nine hours ago.
    const monday = new Date('2026-11-23T08:00:00Z');
    const pages = await startPages({ now: () => monday });
    await putTickets(pages.verdicts, 1, 1);
    await pages.verdicts.put(record('done-sunday', { state: 'closed', verdict: 'closed', closedAt: '2026-11-22T20:00:00Z' }));
    await pages.verdicts.put(record('done-monday', { state: 'closed', verdict: 'closed', closedAt: '2026-11-23T07:30:00Z' }));

    const job = await pages.queues.digest.add('compute', { kind: 'compute' });
    const week = await waitFor(async () => {
      const state = await job.getState();
      if (state === 'failed') throw new Error('the digest job failed');
      return state === 'completed' ? (await pages.queues.digest.getJob(job.id!))?.returnvalue as string : undefined;
    }, 'the scheduled digest');

    expect(week).toBe('2026-W47');
    const archived = await pages.digests.week('2026-W47');
    expect(archived).toMatchObject({ isoWeek: '2026-W47', firstDay: '2026-11-16', lastDay: '2026-11-22', totals: { finishedThisWeek: 1 } });
    expect(await pages.digests.week('2026-W48')).toBeNull();
    expect(await pages.redis.hkeys(pages.keys.snapshots)).toEqual(['2026-W47']);

    // Its page is the archive's, linking on to the week in progress.
    const app = await pages.receiver();
    const page = await app.inject({ method: 'GET', url: '/digest/2026-W47', headers: header });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('href="/digest/2026-W48"');
  });
});
