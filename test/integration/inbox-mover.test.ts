// The inbox mover on a real redis-server with real BullMQ: accepted deliveries
// reach the events queue exactly once in spirit (never lost, re-added at worst
// under the same job id) when a mover stalls past its lock or dies half-way;
// entries that are not deliveries are counted, logged and kept, not dropped;
// the inbox's length shows in /metrics and GET /admin/queues.
import { Writable } from 'node:stream';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { Redis } from 'ioredis';
import { Worker, type Queue } from 'bullmq';
import { pino } from 'pino';
import { buildApp } from '../../src/app.js';
import { createMetrics } from '../../src/metrics.js';
import { createQueues, type Queues } from '../../src/queue/queues.js';
import { DELIVERY_DEDUPE_MS, Inbox } from '../../src/queue/inbox.js';
import type { EventJob } from '../../src/queue/job-types.js';
import { keysFor, type Keys } from '../../src/store/keys.js';
import { ConfigStore } from '../../src/store/config-store.js';
import { VerdictStore } from '../../src/store/verdict-store.js';
import { adminPlugin } from '../../src/routes/admin/index.js';
import { startInboxMover } from '../../workers/move-inbox.js';
import { exampleConfig } from '../support/example-config.js';
import { testPrefix } from '../support/test-prefix.js';

const redisUrl = inject('redisUrl');
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean().catch(() => undefined);
});

function connect(): Redis {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  cleanups.push(async () => redis.disconnect());
  return redis;
}

/** A connection a BullMQ worker may block on. */
function blocking(): Redis {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  redis.on('error', () => undefined);
  cleanups.push(async () => redis.disconnect());
  return redis;
}

function setUp(): { redis: Redis; keys: Keys; prefix: string; queues: Queues } {
  const prefix = testPrefix('t');
  const queues = createQueues({ connection: connect(), prefix });
  cleanups.push(() => queues.close());
  return { redis: connect(), keys: keysFor(prefix), prefix, queues };
}

const delivery = (n: number): EventJob => ({
  tracker: 'jira',
  deliveryId: `d-${n}`,
  receivedAt: new Date().toISOString(),
  event: { kind: 'ticket', tracker: 'jira', action: 'update', ticketId: `${10_000 + n}`, changed: ['parent'], relevant: true, fanout: false, fields: { key: `ENT-${n}` } },
});

async function acceptAll(inbox: Inbox, from: number, to: number): Promise<void> {
  for (let n = from; n <= to; n++) expect(await inbox.accept(delivery(n))).toBe('queued');
}

async function queuedIds(queue: Queue<EventJob>): Promise<string[]> {
  const jobs = await queue.getJobs(['wait', 'paused', 'prioritized', 'delayed', 'active']);
  return jobs.map((j) => j.data.deliveryId).sort((a, b) => Number(a.slice(2)) - Number(b.slice(2)));
}

const ids = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `d-${from + i}`);

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A queue whose addBulk waits for the test to let it go (or to fail it). */
function gatedQueue(queue: Queue<EventJob>, beforeAdd = true) {
  let release!: () => void;
  let fail!: (err: Error) => void;
  const gate = new Promise<void>((resolve, reject) => {
    release = resolve;
    fail = reject;
  });
  let entered!: () => void;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  const gated: Pick<Queue<EventJob>, 'addBulk'> = {
    addBulk: async (jobs) => {
      entered();
      if (!beforeAdd) {
        const added = await queue.addBulk(jobs);
        await gate;
        return added;
      }
      await gate;
      return queue.addBulk(jobs);
    },
  };
  return { gated, inside, release, fail };
}

describe('accepting deliveries', () => {
  it('answers each of many concurrent deliveries on its own: a repeat in the same moment is a duplicate, and every queued one is in the inbox in order', async () => {
    const { keys, redis } = setUp();
    const inbox = new Inbox(connect(), keys);
    // 40 at once spans several script calls; delivery 7 is sent three times, 30 twice.
    const sent = [...Array.from({ length: 40 }, (_, i) => i + 1), 7, 30, 7];
    const answers = await Promise.all(sent.map((n) => inbox.accept(delivery(n))));
    expect(answers.slice(0, 40)).toEqual(Array(40).fill('queued'));
    expect(answers.slice(40)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    const entries = (await redis.lrange(keys.inbox, 0, -1)).map((e) => (JSON.parse(e) as EventJob).deliveryId);
    expect(entries).toEqual(ids(1, 40));
    expect(await inbox.accept(delivery(40))).toBe('duplicate');
  });

  it('takes the same signed body once whatever its delivery id, beside deliveries known by their id alone, in one call and after it', async () => {
    const { keys, redis } = setUp();
    const inbox = new Inbox(connect(), keys);
    const digest = (c: string): string => c.repeat(64);
    // One script call: Linear-like (id only) and Jira (id and body digest) deliveries mixed, so each has its own number of keys.
    const answers = await Promise.all([
      inbox.accept(delivery(1)),
      inbox.accept(delivery(2), digest('a')),
      inbox.accept(delivery(3)),
      inbox.accept(delivery(4), digest('a')), // the same bytes under a new id: a replay
      inbox.accept(delivery(2), digest('b')), // the same id with other bytes: Jira's re-serialised retry
      inbox.accept(delivery(5), digest('c')),
      inbox.accept(delivery(1)),
    ]);
    expect(answers).toEqual(['queued', 'queued', 'queued', 'duplicate', 'duplicate', 'queued', 'duplicate']);
    const entries = (await redis.lrange(keys.inbox, 0, -1)).map((e) => (JSON.parse(e) as EventJob).deliveryId);
    expect(entries).toEqual(['d-1', 'd-2', 'd-3', 'd-5']);
    expect(await inbox.accept(delivery(6), digest('c'))).toBe('duplicate');
    expect(await inbox.accept(delivery(7), digest('d'))).toBe('queued');
    // Both are remembered as long as a delivery id.
    const ttl = await redis.pttl(keys.deliveredBody('jira', digest('d')));
    expect(ttl).toBeGreaterThan(DELIVERY_DEDUPE_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(DELIVERY_DEDUPE_MS);
  });

  it('fails every delivery of a call Redis did not take, so each sender retries, and takes them when it answers again', async () => {
    const { keys, redis } = setUp();
    const down = new Redis(redisUrl, { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true });
    down.on('error', () => undefined);
    const failing = new Inbox(down, keys);
    const outcomes = await Promise.allSettled([1, 2, 3].map((n) => failing.accept(delivery(n))));
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await redis.llen(keys.inbox)).toBe(0);
    const answers = await Promise.all([1, 2, 3].map((n) => new Inbox(connect(), keys).accept(delivery(n))));
    expect(answers).toEqual(['queued', 'queued', 'queued']);
  });
});

describe('the inbox mover', () => {
  it('does not let a mover whose lock expired trim entries a second mover has not moved, and counts the lapse', async () => {
    const { redis, keys, queues } = setUp();
    const slow = new Inbox(connect(), keys);
    const second = new Inbox(connect(), keys);
    await acceptAll(slow, 1, 3);

    const { gated, inside, release } = gatedQueue(queues.events);
    const slowMove = slow.drain(gated).then(
      (n) => ({ moved: n }),
      (err: Error) => ({ error: err.message }),
    );
    await inside; // it has read d-1..d-3 and is stalled in addBulk
    await redis.del(keys.inboxLock); // …long enough for its lock to expire (a pause, a long GC)

    await acceptAll(second, 4, 5);
    expect(await second.drain(queues.events)).toBe(5);
    await acceptAll(second, 6, 7); // nobody has moved these yet

    release();
    expect(await slowMove).toEqual({ error: expect.stringMatching(/lock expired/) });
    expect(await second.lockLapses()).toBe(1); // counted, for the locks bench and an operator
    expect(await second.length()).toBe(2);
    expect(await second.drain(queues.events)).toBe(2);
    expect(await queuedIds(queues.events)).toEqual(ids(1, 7));
  });

  it.each([
    ['before BullMQ has the entries', true],
    ['after BullMQ has them, before the trim', false],
  ])('loses nothing when a mover dies %s', async (_when, beforeAdd) => {
    const { keys, queues } = setUp();
    const doomedConnection = connect();
    const doomed = new Inbox(doomedConnection, keys, { lockMs: 300 });
    const next = new Inbox(connect(), keys, { lockMs: 300 });
    await acceptAll(next, 1, 40);

    const { gated, inside, fail } = gatedQueue(queues.events, beforeAdd);
    const dying = doomed.drain(gated, { max: 25 }).catch(() => 'died');
    await inside;
    doomedConnection.disconnect(); // the process is gone: its connection closes, its lock is left to expire
    await acceptAll(next, 41, 45);

    await until(async () => (await next.drain(queues.events)) > 0, 'the lock to expire and the next mover to move');
    while ((await next.drain(queues.events)) > 0);
    expect(await next.length()).toBe(0);
    // Re-added entries keep their delivery's job id: each delivery is on the queue once.
    expect(await queuedIds(queues.events)).toEqual(ids(1, 45));
    fail(new Error('killed'));
    expect(await dying).toBe('died');
  });

  it("takes the inbox at once from a mover of this host whose process is gone, and waits for one that still runs", async () => {
    const { redis, keys, queues } = setUp();
    const inbox = new Inbox(connect(), keys, { lockMs: 120_000 });
    await acceptAll(inbox, 1, 3);
    // A worker process killed with kill -9 in the middle of a move: its lock lives on for two minutes.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    await redis.set(keys.inboxLock, `${hostname()}:${gone}:a-move-cut-short`, 'PX', 120_000);
    expect(await inbox.drain(queues.events)).toBe(3);
    expect(await queuedIds(queues.events)).toEqual(ids(1, 3));
    // A mover that still runs (the test's parent process), or one of another host, keeps the inbox until its lock ends.
    await acceptAll(inbox, 4, 5);
    await redis.set(keys.inboxLock, `${hostname()}:${process.ppid}:moving`, 'PX', 120_000);
    expect(await inbox.drain(queues.events)).toBe(0);
    await redis.set(keys.inboxLock, `another-host:${gone}:moving`, 'PX', 120_000);
    expect(await inbox.drain(queues.events)).toBe(0);
    expect(await inbox.length()).toBe(2);
  });

  it('counts, logs at warn and keeps entries that are not deliveries, and moves the rest', async () => {
    const { redis, keys, queues } = setUp();
    const inbox = new Inbox(connect(), keys);
    await acceptAll(inbox, 1, 2);
    await redis.rpush(keys.inbox, '{not json', JSON.stringify({ ...delivery(3), event: { ...delivery(3).event, ticketId: 10003 } }));
    await acceptAll(inbox, 4, 4);
    const lines: Array<{ level: number; msg: string }> = [];
    const logger = pino({ level: 'info' }, new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
        done();
      },
    }));
    const metrics = createMetrics();
    const mover = startInboxMover(inbox, queues.events, logger, metrics);
    cleanups.push(() => mover.close());
    await until(async () => (await inbox.length()) === 0, 'the inbox to empty');
    await mover.close();

    expect(await queuedIds(queues.events)).toEqual(['d-1', 'd-2', 'd-4']);
    expect((await metrics.inboxRejected.get()).values[0]?.value).toBe(2);
    expect(await redis.lrange(keys.inboxRejected, 0, -1)).toHaveLength(2);
    expect(lines.filter((l) => l.level === 40 && /not valid deliveries/.test(l.msg))).toHaveLength(1);
  });

  it('logs a mover that cannot reach Redis at warn, once, and says when it moves again', async () => {
    const { keys, queues } = setUp();
    const flaky = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
    flaky.on('error', () => undefined);
    cleanups.push(async () => flaky.disconnect());
    const inbox = new Inbox(flaky, keys);
    const lines: Array<{ level: number; msg: string }> = [];
    const logger = pino({ level: 'debug' }, new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
        done();
      },
    }));
    const mover = startInboxMover(inbox, queues.events, logger, createMetrics());
    cleanups.push(() => mover.close());
    await until(async () => lines.length > 0, 'a log line');
    expect(lines[0]).toMatchObject({ level: 40, msg: expect.stringMatching(/could not move the inbox/) });

    await new Inbox(connect(), keys).accept(delivery(1));
    await until(async () => (await queuedIds(queues.events)).length === 1, 'the delivery to be moved');
    await mover.close();
    expect(lines.filter((l) => l.level === 40)).toHaveLength(1);
    expect(lines.at(-1)).toMatchObject({ level: 30, msg: expect.stringMatching(/again/) });
  });

  it('leaves deliveries in the inbox while the events queue is full, and moves them once the workers have caught up', async () => {
    const { redis, keys, queues } = setUp();
    const inbox = new Inbox(connect(), keys);
    // Counts the mover's looks at the queue, so the test can wait for it to have looked (and held) a few times.
    let looks = 0;
    const events = new Proxy(queues.events, {
      get(target, name, receiver) {
        if (name === 'getJobCountByTypes') return (...types: Parameters<typeof target.getJobCountByTypes>) => ((looks += 1), target.getJobCountByTypes(...types));
        const value = Reflect.get(target, name, receiver) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    await acceptAll(inbox, 1, 20);
    const mover = startInboxMover(inbox, events, pino({ level: 'silent' }), createMetrics(), { eventsWaitingHigh: 5 });
    cleanups.push(() => mover.close());
    await until(async () => (await queuedIds(queues.events)).length === 20, 'the first deliveries to be moved');
    await acceptAll(inbox, 21, 30);
    const looked = looks;
    await until(async () => looks >= looked + 3, 'the mover to look at the full queue three times');
    expect(await redis.llen(keys.inbox)).toBe(10);
    await queues.events.drain();
    await until(async () => (await redis.llen(keys.inbox)) === 0, 'the held deliveries to be moved');
    expect(await queuedIds(queues.events)).toEqual(ids(21, 30));
  });

  it("serves installations in turns: a storm's backlog in one does not hold up another's next event, and each keeps its own order", async () => {
    const { keys, queues, prefix } = setUp();
    const inbox = new Inbox(connect(), keys);
    const of = (n: number, installation: string): EventJob => ({ ...delivery(n), installation });
    for (let n = 1; n <= 30; n++) expect(await inbox.accept(of(n, 'stormy'))).toBe('queued');
    for (let n = 31; n <= 32; n++) expect(await inbox.accept(of(n, 'quiet'))).toBe('queued');
    const mover = startInboxMover(inbox, queues.events, pino({ level: 'silent' }), createMetrics());
    cleanups.push(() => mover.close());
    await until(async () => (await queuedIds(queues.events)).length === 32, 'every delivery to be moved');
    await mover.close();

    // One event at a time, in the order the queue hands them out.
    const order: string[] = [];
    const worker = new Worker<EventJob>(queues.events.name, async (job) => void order.push(job.data.deliveryId), { connection: blocking(), prefix, concurrency: 1 });
    cleanups.push(() => worker.close());
    await until(async () => order.length === 32, 'every event to be taken');
    // The quiet installation's two wait behind one stormy event each, not behind thirty.
    expect(order.indexOf('d-31')).toBeLessThan(2);
    expect(order.indexOf('d-32')).toBeLessThan(4);
    expect(order.filter((id) => Number(id.slice(2)) <= 30)).toEqual(ids(1, 30));
    expect(order.filter((id) => Number(id.slice(2)) > 30)).toEqual(ids(31, 32));
  });

  it('shows the inbox length in /metrics and GET /admin/queues', async () => {
    const { redis, keys, queues } = setUp();
    const inbox = new Inbox(connect(), keys);
    const token = { name: 'ops', token: 'ops-token-0123456789' };
    const configStore = new ConfigStore(redis, keys);
    await configStore.seed(exampleConfig());
    const app = await buildApp({
      logger: pino({ level: 'silent' }),
      inbox,
      metrics: createMetrics(),
      ping: () => redis.ping(),
      webhooks: { secrets: {} },
      adminTokens: [token],
      plugins: [adminPlugin({ tokens: [token], configStore, verdicts: new VerdictStore(redis, keys), queues, trackers: {}, now: () => new Date(), startRecheck: async () => ({ sweepIds: [] }), sweepProgress: async () => [], inbox })],
    });
    cleanups.push(() => app.close());
    await acceptAll(inbox, 1, 3);
    await redis.rpush(keys.inboxRejected, 'junk');
    const headers = { authorization: `Bearer ${token.token}` };

    const metrics = await app.inject({ method: 'GET', url: '/metrics', headers });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toMatch(/^cascade_inbox_length 3$/m);
    expect(metrics.body).toMatch(/^cascade_inbox_rejected 1$/m);
    const admin = await app.inject({ method: 'GET', url: '/admin/queues', headers });
    expect(admin.json()).toMatchObject({ inbox: { length: 3, rejected: 1 } });

    await inbox.drain(queues.events);
    expect((await app.inject({ method: 'GET', url: '/metrics', headers })).body).toMatch(/^cascade_inbox_length 0$/m);
  });
});
