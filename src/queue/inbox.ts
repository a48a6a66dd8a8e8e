// The receiver's durable hand-off. Accepting a delivery is one tiny script:
// remember its id for 24 h and append it to a Redis list, in a single round
// trip that ioredis pipelines across concurrent requests. Workers then move the
// list into BullMQ's events queue in bulk.
//
// Why not queue.add from the route: BullMQ's add script (job hash, events
// stream, deduplication) measured at half the receiver's throughput on its own
// (bench/ingest.ts); the route must answer fast and never lose what it accepted,
// and a list in Redis with an append-only file is as durable as the queue.
import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Queue } from 'bullmq';
import type { EventJob } from './job-types.js';
import type { Keys } from '../store/keys.js';

/** A delivery id is remembered this long: Linear and Jira retry within hours. */
export const DELIVERY_DEDUPE_MS = 24 * 60 * 60 * 1000;

const ACCEPT = `
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then
  redis.call('RPUSH', KEYS[2], ARGV[2])
  return 1
end
return 0`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const sha1 = (script: string): string => createHash('sha1').update(script).digest('hex');
const SCRIPTS = { accept: { lua: ACCEPT, sha: sha1(ACCEPT) }, release: { lua: RELEASE, sha: sha1(RELEASE) } };

export class Inbox {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  /** Durably accepts a delivery unless the same one was accepted in the last 24 h. */
  async accept(job: EventJob): Promise<'queued' | 'duplicate'> {
    const added = await this.run('accept', [this.keys.delivery(job.tracker, job.deliveryId), this.keys.inbox], [DELIVERY_DEDUPE_MS, JSON.stringify(job)]);
    return added === 1 ? 'queued' : 'duplicate';
  }

  /**
   * EVALSHA by the script's own hash, loading it once when Redis does not
   * know it (a fresh or restarted Redis). Not ioredis' defineCommand: its
   * NOSCRIPT fallback breaks under auto-pipelining, which the receiver relies on.
   */
  private async run(name: keyof typeof SCRIPTS, keys: string[], args: Array<string | number>): Promise<unknown> {
    const script = SCRIPTS[name];
    try {
      return await this.redis.evalsha(script.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      await this.redis.script('LOAD', script.lua);
      return this.redis.evalsha(script.sha, keys.length, ...keys, ...args);
    }
  }

  /** Accepted deliveries not yet moved to the events queue. */
  length(): Promise<number> {
    return this.redis.llen(this.keys.inbox);
  }

  /**
   * Moves up to `max` deliveries into the events queue and returns how many.
   * One mover at a time (a lock); the list is trimmed only after BullMQ has
   * them, and the job id is the delivery's, so a mover that dies half-way
   * leaves nothing lost and at worst one re-check, which writes nothing twice.
   */
  async drain(queue: Queue<EventJob>, max = 500): Promise<number> {
    const owner = randomUUID();
    if ((await this.redis.set(this.keys.inboxLock, owner, 'PX', 30_000, 'NX')) !== 'OK') return 0;
    try {
      const raw = await this.redis.lrange(this.keys.inbox, 0, max - 1);
      if (raw.length === 0) return 0;
      const jobs = raw.flatMap((r) => {
        try {
          return [JSON.parse(r) as EventJob];
        } catch {
          return []; // not ours to interpret: drop it rather than block the inbox
        }
      });
      await queue.addBulk(
        jobs.map((job) => ({ name: 'event', data: job, opts: { jobId: `${job.tracker}-${job.deliveryId}`.replace(/:/g, '_'), removeOnComplete: true } })),
      );
      await this.redis.ltrim(this.keys.inbox, raw.length, -1);
      return raw.length;
    } finally {
      await this.run('release', [this.keys.inboxLock], [owner]);
    }
  }
}
