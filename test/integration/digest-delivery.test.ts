// The digest's delivery: its weekly schedule in a time zone, Slack through a
// real BullMQ job against a local HTTP receiver, the pages behind their tokens,
// and the sweep that feeds it.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { once } from 'node:events';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { createQueues, type Queues } from '../../src/queue/queues.js';
import { QUEUE_NAMES } from '../../src/queue/job-types.js';
import { ConfigStore } from '../../src/store/config-store.js';
import { DigestStore } from '../../src/store/digest-store.js';
import { VerdictStore } from '../../src/store/verdict-store.js';
import { keysFor } from '../../src/store/keys.js';
import { runDigestJob, scheduleDigest } from '../../workers/digest-job.js';
import { isoWeekOf } from '../../src/strategy/iso-week.js';
import { finishedWeekOf } from '../../src/strategy/iso-week.js';
import { startE2E, type E2E } from '../support/e2e.js';
import { exampleConfig } from '../support/example-config.js';
import { testPrefix } from '../support/test-prefix.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

function redisQueues(): { redis: Redis; queues: Queues; prefix: string } {
  const prefix = testPrefix('digest');
  const redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
  const queues = createQueues({ connection: redis, prefix });
  cleanups.push(() => redis.quit(), () => queues.close());
  return { redis, queues, prefix };
}

function localTime(ms: number, timeZone: string): { weekday: string; hour: string; minute: string } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(ms));
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return { weekday: get('weekday'), hour: get('hour'), minute: get('minute') };
}

describe('the weekly schedule', () => {
  it('runs next on Monday 09:00 in the digest time zone', async () => {
    for (const timeZone of ['Europe/Paris', 'America/New_York', 'Asia/Tokyo']) {
      const { queues } = redisQueues();
      await scheduleDigest(queues, '0 9 * * 1', timeZone);
      const scheduler = await queues.digest.getJobScheduler('weekly-digest');
      expect(scheduler?.tz).toBe(timeZone);
      expect(scheduler?.next).toBeGreaterThan(Date.now());
      expect(localTime(scheduler!.next!, timeZone)).toEqual({ weekday: 'Mon', hour: '09', minute: '00' });
    }
  });

  it('replaces the schedule when DIGEST_CRON changes', async () => {
    const { queues } = redisQueues();
    await scheduleDigest(queues, '0 9 * * 1', 'UTC');
    await scheduleDigest(queues, '30 7 * * 5', 'UTC');
    const schedulers = await queues.digest.getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(localTime(schedulers[0]!.next!, 'UTC')).toEqual({ weekday: 'Fri', hour: '07', minute: '30' });
  });
});

describe('Slack delivery', () => {
  it('posts Block Kit to the webhook, retrying after a failed answer', async () => {
    const { redis, queues, prefix } = redisQueues();
    const keys = keysFor(prefix);
    const configStore = new ConfigStore(redis, keys);
    await configStore.seed(exampleConfig());
    const verdicts = new VerdictStore(redis, keys);
    await verdicts.put({ tracker: 'linear', id: 'a', key: 'ENG-1', title: 'Dark mode <b>now</b>', team: 'ENG', state: 'open', verdict: 'orphan', objectiveIds: [], checkedAt: new Date().toISOString(), configVersion: 1 });
    await verdicts.put({ tracker: 'linear', id: 'b', key: 'ENG-2', title: 'SAML login', team: 'ENG', state: 'open', verdict: 'aligned', objectiveIds: ['identity', 'enterprise-security', 'enterprise'], checkedAt: new Date().toISOString(), configVersion: 1 });

    const received: unknown[] = [];
    let answers = 0;
    const server: Server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        answers++;
        if (answers === 1) {
          res.writeHead(500).end('server_error'); // Slack has a bad moment: the job must retry
          return;
        }
        received.push(JSON.parse(body));
        res.writeHead(200).end('ok');
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanups.push(() => new Promise((r) => server.close(r)));
    const address = server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/services/T/B/X`;

    const digests = new DigestStore(redis, keys);
    const worker = new Worker(
      QUEUE_NAMES.digest,
      (job) => runDigestJob({ sources: { configStore, verdicts, digests, timeZone: 'UTC', publicUrl: 'https://cascade.example.com' }, queues, slackWebhookUrl: url, now: () => new Date(), logger: pino({ level: 'silent' }), slackRetryDelayMs: 100 }, job),
      { connection: new Redis(inject('redisUrl'), { maxRetriesPerRequest: null }), prefix },
    );
    cleanups.push(() => worker.close());
    await queues.digest.add('compute', { kind: 'compute' });

    const deadline = Date.now() + 10_000;
    while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(answers).toBe(2);
    const payload = received[0] as { blocks: Array<{ type: string; text?: { text: string }; elements?: Array<{ url?: string }> }> };
    expect(payload.blocks[0]?.type).toBe('header');
    const text = JSON.stringify(payload);
    expect(text).toContain('50%'); // one aligned of two open tickets
    expect(text).not.toContain('<b>'); // user text is escaped for Slack mrkdwn
    expect(text).toContain('https://cascade.example.com/digest');
    // The scheduled digest archives the week that just ended.
    expect(await digests.week(finishedWeekOf(new Date(), 'UTC'))).not.toBeNull();
    expect(await digests.week(isoWeekOf(new Date(), 'UTC'))).toBeNull();
  });
});

describe('digest pages and the sweep that feeds them', () => {
  let e2e: E2E | undefined;
  afterEach(async () => {
    await e2e?.close();
    e2e = undefined;
  });

  it('sweeps every open ticket through the worker, then serves the digest only with a token', async () => {
    e2e = await startE2E({ env: { DIGEST_TOKEN: 'digest-reader-token-123' } });
    const app = e2e.cascade.app!;
    const auth = { authorization: `Bearer ${e2e.adminToken}` };
    const recheck = await app.inject({ method: 'POST', url: '/admin/recheck', headers: auth, payload: {} });
    expect(recheck.statusCode).toBe(202);
    await e2e.idle();
    const queues = (await app.inject({ method: 'GET', url: '/admin/queues', headers: auth })).json() as { sweeps: Array<{ tracker: string; done: boolean; tickets: number }> };
    expect(queues.sweeps.map((s) => s.tracker).sort()).toEqual(['jira', 'linear']);
    expect(queues.sweeps.every((s) => s.done && s.tickets > 0)).toBe(true);

    expect((await app.inject({ method: 'GET', url: '/digest' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/digest?token=wrong-token-000000' })).statusCode).toBe(401);
    // The first view asks a worker for the digest and says so; the page then reloads until it is there.
    const first = await app.inject({ method: 'GET', url: '/digest?token=digest-reader-token-123' });
    expect([200, 202]).toContain(first.statusCode);
    let page = first;
    const deadline = Date.now() + 10_000;
    while (page.statusCode === 202 && Date.now() < deadline) {
      expect(page.body).toContain('being computed');
      await new Promise((r) => setTimeout(r, 50));
      page = await app.inject({ method: 'GET', url: '/digest?token=digest-reader-token-123' });
    }
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<svg');
    const json = await app.inject({ method: 'GET', url: '/digest.json', headers: auth });
    const digest = json.json() as { totals: { openTotal: number }; teams: unknown[] };
    expect(digest.totals.openTotal).toBeGreaterThan(20);
    expect(digest.teams.length).toBeGreaterThan(0);
    expect((await app.inject({ method: 'GET', url: '/digest/2025-W02', headers: auth })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/digest/last-week', headers: auth })).json()).toMatchObject({ error: 'CASCADE_BAD_WEEK' });
    const thisWeek = await app.inject({ method: 'GET', url: `/digest/${isoWeekOf(new Date(), 'UTC')}.json`, headers: auth });
    expect(thisWeek.statusCode).toBe(200);
  });
});
