// The nightly sweep's mark and sweep on a real redis-server with real BullMQ:
// records of open tickets a full nightly sweep did not list are forgotten,
// those that may carry Cascade's label get a normal per-ticket check instead
// (never a write from the sweep), and the sweep index stays bounded.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import { createQueues, type Queues } from '../../src/queue/queues.js';
import { keysFor, type Keys } from '../../src/store/keys.js';
import { VerdictStore } from '../../src/store/verdict-store.js';
import type { VerdictRecord } from '../../src/records/verdict-record.js';
import type { SweepJob } from '../../src/queue/job-types.js';
import { notePageSeen } from '../../workers/prune-unseen.js';
import { SWEEP_INDEX_KEPT } from '../../src/store/sweep-progress.js';
import { testPrefix } from '../support/test-prefix.js';

const redisUrl = inject('redisUrl');
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean().catch(() => undefined);
});

const HOUR = 3600_000;

function setUp(): { redis: Redis; keys: Keys; queues: Queues; verdicts: VerdictStore; ctx: { queues: Queues; logger: Logger } } {
  const prefix = testPrefix('t');
  const redis = new Redis(redisUrl);
  cleanups.push(async () => redis.disconnect());
  const queues = createQueues({ connection: new Redis(redisUrl, { maxRetriesPerRequest: null }), prefix });
  cleanups.push(() => queues.close());
  const keys = keysFor(prefix);
  return { redis, keys, queues, verdicts: new VerdictStore(redis, keys), ctx: { queues, logger: pino({ level: 'silent' }) as Logger } };
}

function record(id: string, overrides: Partial<VerdictRecord> = {}): VerdictRecord {
  return {
    tracker: 'jira', id, key: `ENT-${id}`, title: `Ticket ${id}`, state: 'open', verdict: 'aligned', objectiveIds: [],
    checkedAt: new Date(Date.now() - 20 * HOUR).toISOString(), configVersion: 1, ...overrides,
  };
}

async function startSweep(redis: Redis, keys: Keys, job: Omit<SweepJob, 'sweepId'>): Promise<SweepJob> {
  const sweepId = randomUUID();
  await redis.hset(keys.sweepProgress(sweepId), { sweepId, tracker: job.tracker, reason: job.reason, startedAt: new Date(Date.now() - HOUR).toISOString() });
  await redis.zadd(keys.sweepProgress('index'), Date.now(), sweepId);
  return { ...job, sweepId };
}

describe('a full nightly sweep', () => {
  it('forgets open tickets it did not list and sends the ones that may carry its label to a check', async () => {
    const { redis, keys, queues, verdicts, ctx } = setUp();
    await verdicts.put(record('1')); // listed
    await verdicts.put(record('2')); // listed on the second page
    await verdicts.put(record('3')); // deleted in Jira
    await verdicts.put(record('4', { verdict: 'exempt' })); // out of scope, nothing of Cascade's on it
    await verdicts.put(record('5', { verdict: 'orphan' })); // left the scope with Cascade's label
    await verdicts.put(record('6', { verdict: 'stale' })); // the same, stale
    await verdicts.put(record('7', { state: 'closed', verdict: 'closed' })); // closed work: the digest still shows it
    await verdicts.put(record('8', { checkedAt: new Date().toISOString() })); // created while the sweep ran
    await verdicts.put(record('9', { tracker: 'linear' })); // the other tracker's sweep decides
    const job = await startSweep(redis, keys, { tracker: 'jira', reason: 'nightly', teams: [] });

    expect(await notePageSeen(ctx, redis, keys, job, ['1', '100'], false)).toBeNull();
    expect(await verdicts.get('jira', '3')).not.toBeNull(); // nothing is forgotten before the last page
    const outcome = await notePageSeen(ctx, redis, keys, job, ['2'], true);

    expect(outcome).toEqual({ forgotten: 2, checked: 2 });
    const left = new Map<string, VerdictRecord>();
    for await (const r of verdicts.all()) left.set(`${r.tracker}:${r.id}`, r);
    expect([...left.keys()].sort()).toEqual(['jira:1', 'jira:2', 'jira:5', 'jira:6', 'jira:7', 'jira:8', 'linear:9']);
    // The labelled ones are the normal de-duplicated check's to decide: nothing else was queued.
    const checks = await queues.checks.jira.getJobs(['wait', 'delayed', 'prioritized']);
    expect(checks.map((j) => j.data).sort((a, b) => a.ticketId.localeCompare(b.ticketId))).toEqual([
      { tracker: 'jira', ticketId: '5', reason: 'sweep' },
      { tracker: 'jira', ticketId: '6', reason: 'sweep' },
    ]);
    expect(await queues.checks.linear.getJobCounts('wait', 'delayed')).toEqual({ wait: 0, delayed: 0 });
    expect(await redis.exists(keys.sweepProgress(`${job.sweepId}:seen`))).toBe(0);
  });

  it('leaves records alone after a partial sweep (some teams, or an admin re-check)', async () => {
    const { redis, keys, verdicts, ctx } = setUp();
    await verdicts.put(record('3'));
    await verdicts.put(record('5', { verdict: 'orphan' }));
    for (const partial of [
      { tracker: 'jira' as const, reason: 'nightly' as const, teams: ['ENT'] },
      { tracker: 'jira' as const, reason: 'admin' as const, teams: [] },
      { tracker: 'jira' as const, reason: 'config' as const, teams: [] },
    ]) {
      const job = await startSweep(redis, keys, partial);
      expect(await notePageSeen(ctx, redis, keys, job, ['1'], true)).toBeNull();
    }
    expect(await verdicts.get('jira', '3')).not.toBeNull();
    expect(await verdicts.get('jira', '5')).not.toBeNull();
  });

  it('does not forget a record a check rewrote while the sweep was pruning', async () => {
    const { redis, keys, verdicts, ctx } = setUp();
    await verdicts.put(record('3'));
    const job = await startSweep(redis, keys, { tracker: 'jira', reason: 'nightly', teams: [] });
    await notePageSeen(ctx, redis, keys, job, ['1'], false);
    // The check writes its record between the sweep's read and its delete: the compare-and-delete sees a different record.
    const rewritten = record('3', { title: 'Renamed', checkedAt: new Date(Date.now() - 2 * HOUR).toISOString() });
    const hscan = redis.hscan.bind(redis);
    redis.hscan = (async (...args: Parameters<typeof redis.hscan>) => {
      const answer = await hscan(...args);
      await verdicts.put(rewritten);
      return answer;
    }) as typeof redis.hscan;
    expect(await notePageSeen(ctx, redis, keys, job, [], true)).toEqual({ forgotten: 0, checked: 0 });
    expect(await verdicts.get('jira', '3')).toEqual(rewritten);
  });
});

describe('the sweep index', () => {
  it(`keeps the newest ${SWEEP_INDEX_KEPT} sweeps of the last week when a sweep ends`, async () => {
    const { redis, keys, ctx } = setUp();
    const index = keys.sweepProgress('index');
    const now = Date.now();
    for (let i = 0; i < 30; i++) await redis.zadd(index, now - (8 + i) * 24 * HOUR, `old-${i}`);
    for (let i = 0; i < SWEEP_INDEX_KEPT + 50; i++) await redis.zadd(index, now - i * 60_000, `recent-${i}`);
    const job = await startSweep(redis, keys, { tracker: 'jira', reason: 'admin', teams: [] });
    await notePageSeen(ctx, redis, keys, job, [], true);
    const kept = await redis.zrange(index, 0, -1);
    expect(kept).toHaveLength(SWEEP_INDEX_KEPT);
    expect(kept.some((id) => id.startsWith('old-'))).toBe(false);
    expect(kept).toContain(job.sweepId);
    expect(kept).toContain('recent-0');
    expect(kept).not.toContain(`recent-${SWEEP_INDEX_KEPT + 49}`);
  });
});
