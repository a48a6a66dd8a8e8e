// The receiver's durable hand-off. Accepting a delivery means: remember its id
// (and, for Jira, its signed body) for 24 h and append it to a Redis list, in
// one script. Deliveries that arrive
// in the same turn of the event loop are accepted together, by one script call
// of up to ACCEPT_BATCH of them (small batches keep Redis working while the
// receiver reads the next bodies), and each gets its own answer when the call
// returns. Workers then move the list into BullMQ's events queue in bulk.
//
// Why not queue.add from the route: BullMQ's add script (job hash, events
// stream, deduplication) measured at half the receiver's throughput on its own
// (bench/ingest.ts); the route must answer fast and never lose what it accepted,
// and a list in Redis with an append-only file is as durable as the queue.
// Why one call for several deliveries: ioredis' auto-pipelining saves the round
// trips but not the cost of a command per delivery (its object, its arguments,
// its reply), which was a tenth of the receiver's time.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { RedisClient } from '../store/redis-client.js';
import type { Queue } from 'bullmq';
import type { EventJob } from './job-types.js';
import type { Keys } from '../store/keys.js';
import { luaScript, runScript } from '../store/lua-script.js';
import { isEventJob } from '../trackers/event-checks.js';

/** A delivery id is remembered this long: Linear and Jira retry within hours. */
export const DELIVERY_DEDUPE_MS = 24 * 60 * 60 * 1000;
/** Rejected inbox entries kept for inspection (the newest). */
export const REJECTED_KEPT = 1000;
/** Most deliveries accepted by one script call: bounds how long Redis runs it. */
export const ACCEPT_BATCH = 16;

// A delivery is new only when each of its keys is: its delivery id, and for a
// signed Jira body the body's digest. A replay re-sends captured bytes under a
// new X-Atlassian-Webhook-Identifier; a retry re-sends them under the same one.
// Both are duplicates; both keys are remembered either way.
// KEYS: inbox, then each delivery's keys in order (its id's, then its body's if it has one).
// ARGV: dedupe ms, then per delivery: how many keys it has (1 or 2), its entry.
// Returns 1 (appended) or 0 (a delivery already seen, in this call or in the last 24 h) per delivery.
const ACCEPT = luaScript(`
local answers = {}
local k = 2
for i = 2, #ARGV, 2 do
  local fresh = true
  for _ = 1, tonumber(ARGV[i]) do
    if not redis.call('SET', KEYS[k], '1', 'NX', 'PX', ARGV[1]) then fresh = false end
    k = k + 1
  end
  if fresh then redis.call('RPUSH', KEYS[1], ARGV[i + 1]) end
  answers[#answers + 1] = fresh and 1 or 0
end
return answers`);

interface PendingAccept {
  /** The delivery id's key, then the signed body's when there is one. */
  keys: string[];
  entry: string;
  resolve(outcome: 'queued' | 'duplicate'): void;
  reject(err: unknown): void;
}

const RELEASE = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`);

const RENEW = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`);

// The trim after addBulk, only while this mover still holds the lock: a mover
// whose lock expired (paused, slow) must not remove entries that a second
// mover has since moved and trimmed, which would make it remove newer ones
// nobody moved. Rejected entries go to their capped list in the same step; a
// lapsed lock is counted (KEYS[4]), so a bench or an operator can see it happen.
// KEYS: lock, inbox, rejected, lapses. ARGV: token, count moved, kept rejected, rejected entries...
const COMMIT = luaScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  redis.call('INCR', KEYS[4])
  return 0
end
if #ARGV > 3 then
  redis.call('LPUSH', KEYS[3], unpack(ARGV, 4))
  redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[3]) - 1)
end
redis.call('LTRIM', KEYS[2], tonumber(ARGV[2]), -1)
return 1`);

/** Another mover took over while this one was moving: its entries are left for that mover. */
export class InboxLockLostError extends Error {
  readonly code = 'CASCADE_INBOX_LOCK_LOST';
  constructor() {
    super('the inbox lock expired while moving; the entries stay in the inbox for the next mover');
  }
}

export interface RejectedEntry {
  /** The first 200 characters of the entry. */
  sample: string;
  reason: string;
}

export interface InboxOptions {
  /** How long the mover's lock lives without renewal. Default 30 s; renewed every third of it. */
  lockMs?: number;
}

export interface DrainOptions {
  /** Entries per move. Default 500. */
  max?: number;
  /** Told of entries that are not a valid delivery (kept in the rejected list, not queued). */
  onRejected?: (entries: RejectedEntry[]) => void;
  /** The jobs' BullMQ priorities (src/queue/fair-order.ts); absent: first in, first out. */
  priorities?: (jobs: EventJob[]) => Promise<number[]>;
}

export class Inbox {
  private readonly lockMs: number;
  private pending: PendingAccept[] = [];
  private flushScheduled = false;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    options: InboxOptions = {},
  ) {
    this.lockMs = options.lockMs ?? 30_000;
  }

  /**
   * Durably accepts a delivery unless the same one (by its id, or by
   * `bodyDigest`, the digest of its signed bytes, when given) was accepted in
   * the last 24 h. Resolves once Redis has it; rejects when Redis could not
   * take it (then nothing of its batch was taken, and the sender retries).
   */
  accept(job: EventJob, bodyDigest?: string): Promise<'queued' | 'duplicate'> {
    return new Promise((resolve, reject) => {
      const keys = [this.keys.delivery(job.tracker, job.deliveryId)];
      if (bodyDigest !== undefined) keys.push(this.keys.deliveredBody(job.tracker, bodyDigest));
      this.pending.push({ keys, entry: JSON.stringify(job), resolve, reject });
      if (this.pending.length >= ACCEPT_BATCH) this.flush();
      // After the poll phase: every delivery whose body completed in this turn goes in the same call.
      else if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(this.flush);
      }
    });
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    runScript(
      this.redis,
      ACCEPT,
      [this.keys.inbox, ...batch.flatMap((p) => p.keys)],
      [DELIVERY_DEDUPE_MS, ...batch.flatMap((p) => [p.keys.length, p.entry])],
    ).then(
      (answers) => {
        const list = answers as number[];
        batch.forEach((p, i) => p.resolve(list[i] === 1 ? 'queued' : 'duplicate'));
      },
      (err: unknown) => {
        for (const p of batch) p.reject(err);
      },
    );
  };

  /** Accepted deliveries not yet moved to the events queue. */
  length(): Promise<number> {
    return this.redis.llen(this.keys.inbox);
  }

  /** Times a mover's lock lapsed before it could trim what it moved (see COMMIT). */
  async lockLapses(): Promise<number> {
    return Number((await this.redis.get(this.keys.inboxLockLapses)) ?? 0);
  }

  /** Entries kept in the rejected list (not valid deliveries). */
  rejectedCount(): Promise<number> {
    return this.redis.llen(this.keys.inboxRejected);
  }

  /**
   * Moves up to `max` deliveries into the events queue and returns how many.
   * One mover at a time (a lock, renewed while it works); the list is trimmed
   * only after BullMQ has them and only while the lock is still this mover's,
   * and the job id is the delivery's, so a mover that dies or stalls half-way
   * leaves nothing lost and at worst one re-check, which writes nothing twice.
   */
  /** Drops the lock when its holder is a process of this host that no longer runs; true when it did. */
  private async freeLockOfDeadMover(): Promise<boolean> {
    const lock = await this.redis.get(this.keys.inboxLock);
    if (!lock || !deadHolder(lock)) return false;
    return (await runScript(this.redis, RELEASE, [this.keys.inboxLock], [lock])) === 1;
  }

  async drain(queue: Pick<Queue<EventJob>, 'addBulk'>, options: DrainOptions = {}): Promise<number> {
    const max = options.max ?? 500;
    const token = `${hostname()}:${process.pid}:${randomUUID()}`;
    if ((await this.redis.set(this.keys.inboxLock, token, 'PX', this.lockMs, 'NX')) !== 'OK') {
      if (!(await this.freeLockOfDeadMover())) return 0;
      if ((await this.redis.set(this.keys.inboxLock, token, 'PX', this.lockMs, 'NX')) !== 'OK') return 0;
    }
    const renewal = setInterval(() => {
      runScript(this.redis, RENEW, [this.keys.inboxLock], [token, this.lockMs]).catch(() => undefined);
    }, Math.max(1, Math.floor(this.lockMs / 3)));
    try {
      const raw = await this.redis.lrange(this.keys.inbox, 0, max - 1);
      if (raw.length === 0) return 0;
      const jobs: EventJob[] = [];
      const rejected: string[] = [];
      const reasons: RejectedEntry[] = [];
      for (const entry of raw) {
        const reason = problemWith(entry);
        if (reason === null) {
          jobs.push(JSON.parse(entry) as EventJob);
        } else {
          rejected.push(entry);
          reasons.push({ sample: entry.slice(0, 200), reason });
        }
      }
      if (jobs.length > 0) {
        const priorities = await options.priorities?.(jobs);
        await queue.addBulk(
          jobs.map((job, i) => ({
            name: 'event',
            data: job,
            opts: { jobId: `${job.tracker}-${job.deliveryId}`.replace(/:/g, '_'), removeOnComplete: true, ...(priorities ? { priority: priorities[i] } : {}) },
          })),
        );
      }
      const committed = await runScript(this.redis, COMMIT, [this.keys.inboxLock, this.keys.inbox, this.keys.inboxRejected, this.keys.inboxLockLapses], [token, raw.length, REJECTED_KEPT, ...rejected]);
      if (committed !== 1) throw new InboxLockLostError();
      if (reasons.length > 0) options.onRejected?.(reasons);
      return raw.length;
    } finally {
      clearInterval(renewal);
      await runScript(this.redis, RELEASE, [this.keys.inboxLock], [token]);
    }
  }
}

/**
 * A mover killed in the middle of a move (kill -9, a crash) leaves its lock for
 * the lock's whole life (2 minutes in the workers), and deliveries wait in the
 * inbox meanwhile. The lock names the host and process that took it: when that
 * process is on this host and no longer runs, the lock is dropped at once. A
 * holder on another host, or one that runs, is waited for as before.
 */
export function deadHolder(lock: string | null, host = hostname(), pid = process.pid): boolean {
  const [holderHost, holderPid] = (lock ?? '').split(':');
  const holder = Number(holderPid);
  if (holderHost !== host || !Number.isInteger(holder) || holder <= 1 || holder === pid) return false;
  try {
    process.kill(holder, 0);
    return false;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Why an inbox entry cannot be queued, or null when it can. */
function problemWith(entry: string): string | null {
  let value: unknown;
  try {
    value = JSON.parse(entry);
  } catch {
    return 'not JSON';
  }
  return isEventJob(value) ? null : 'not a valid delivery';
}
