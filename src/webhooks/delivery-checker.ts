// Where the receiver's per-delivery CPU work runs (check-delivery.ts: the
// signature's HMAC, the parse, the normalising). In a thread of its own by
// default: on the receiver's event loop that work took close to half of what
// a bare route can answer (bench/ingest.ts, "signature check only"), while a
// second core sat mostly idle (`cascade all`, whose workers use that core,
// keeps the checks on its event loop: cli/run-command.ts). Deliveries that arrive in the same turn of the
// event loop go to the thread in one message (one hop per turn, not per
// delivery); the thread answers in order. A thread that stops fails what it
// held (the senders get 503 and retry) and is started again; one that keeps
// stopping (3 times in 10 s) is given up for checks on the event loop, which
// are slower but the same.
import { Worker } from 'node:worker_threads';
import type { TrackerId } from '../strategy/types.js';
import { createDeliveryCheck, type DeliverySecrets, type DeliveryVerdict } from './check-delivery.js';
import type { CheckRequest } from './delivery-check-thread.js';

export interface DeliveryChecker {
  /** `receivedAt`: when the delivery arrived (epoch ms): a Jira body's timestamp is judged against it. */
  check(tracker: TrackerId, body: Buffer, signature: string | undefined, receivedAt: number): Promise<DeliveryVerdict>;
  /** Whether the checks run in a thread of their own now (false: on the event loop). */
  readonly offThread: boolean;
  close(): Promise<void>;
}

/** Most deliveries in one message to the thread: bounds the time it holds a batch. */
const BATCH = 64;
const THREAD = new URL('./delivery-check-thread.js', import.meta.url);

export interface CheckerOptions {
  offThread: boolean;
  /** The thread's module. Default: delivery-check-thread.js beside this file. */
  threadFile?: URL;
}

export function startDeliveryChecker(secrets: DeliverySecrets, options: CheckerOptions): DeliveryChecker {
  // From the TypeScript sources (the tests), there is no built thread file to start: the checks run inline.
  if (!options.offThread || !import.meta.url.endsWith('.js')) return inlineChecker(secrets);
  return threadChecker(secrets, options.threadFile ?? THREAD);
}

function inlineChecker(secrets: DeliverySecrets): DeliveryChecker {
  const check = createDeliveryCheck(secrets);
  return {
    offThread: false,
    check: async (tracker, body, signature, receivedAt) => check(tracker, body, signature, receivedAt),
    close: async () => undefined,
  };
}

interface Pending {
  request: CheckRequest;
  transfer: ArrayBuffer;
  resolve(verdict: DeliveryVerdict): void;
  reject(err: Error): void;
}

const RESTARTS = 3;
const RESTART_WINDOW_MS = 10_000;

function threadChecker(secrets: DeliverySecrets, threadFile: URL): DeliveryChecker {
  let inline: DeliveryChecker | undefined;
  const stops: number[] = [];
  let waiting: Pending[] = [];
  /** Batches posted to the thread, oldest first: the thread answers them in this order. */
  let posted: Pending[][] = [];
  let scheduled = false;
  let closed = false;
  let thread = start();

  function start(): Worker {
    const worker = new Worker(threadFile, { workerData: { secrets } });
    worker.on('message', (verdicts: DeliveryVerdict[]) => {
      const batch = posted.shift() ?? [];
      batch.forEach((p, i) => p.resolve(verdicts[i] ?? { kind: 'failed', message: 'the delivery-check thread gave no verdict' }));
    });
    // An error is followed by 'exit': the held deliveries fail there.
    worker.on('error', () => undefined);
    worker.once('exit', (code) => {
      const held = posted.flat();
      posted = [];
      for (const p of held) p.reject(new Error(`the delivery-check thread stopped (exit code ${code})`));
      if (closed) return;
      const now = Date.now();
      stops.push(now);
      while (stops.length > 0 && stops[0]! < now - RESTART_WINDOW_MS) stops.shift();
      if (stops.length < RESTARTS) thread = start();
      else inline = inlineChecker(secrets);
    });
    worker.unref();
    return worker;
  }

  const flush = (): void => {
    scheduled = false;
    if (inline) {
      const checks = inline;
      for (const p of waiting.splice(0)) void checks.check(p.request[0], Buffer.from(p.request[1]), p.request[2], p.request[3]).then(p.resolve);
      return;
    }
    while (waiting.length > 0) {
      const batch = waiting.slice(0, BATCH);
      waiting = waiting.slice(BATCH);
      posted.push(batch);
      thread.postMessage(
        batch.map((p) => p.request),
        batch.map((p) => p.transfer),
      );
    }
  };

  return {
    get offThread() {
      return inline === undefined;
    },
    check(tracker, body, signature, receivedAt) {
      if (closed) return Promise.reject(new Error('the delivery checker is closed'));
      // A copy of exactly the body's bytes, handed over without a second copy (Fastify's buffer may be a slice of a shared pool).
      const bytes = new Uint8Array(body);
      return new Promise((resolve, reject) => {
        waiting.push({ request: [tracker, bytes, signature, receivedAt], transfer: bytes.buffer, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    async close() {
      closed = true;
      for (const p of waiting.splice(0)) p.reject(new Error('the delivery checker is closed'));
      await thread.terminate();
    },
  };
}
