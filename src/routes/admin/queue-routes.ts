// GET /admin/queues (the inbox's length, counts, recent failures with their reasons, sweep
// progress) and POST /admin/queues/failed/retry.
import type { FastifyPluginAsync } from 'fastify';
import type { Job, Queue } from 'bullmq';
import { Type, type Static } from '@sinclair/typebox';
import { checkQueueOf, QUEUE_NAMES } from '../../queue/job-types.js';
import { TRACKER_IDS } from '../../trackers/registry.js';
import { adminSchema, StringEnum } from './route-schemas.js';
import { tenantOptions, type AdminRoutesOptions } from './admin-options.js';
import type { TrackerId } from '../../strategy/types.js';

const STATES = ['waiting', 'active', 'delayed', 'completed', 'failed', 'paused', 'prioritized'] as const;
/** Failed jobs shown per queue. */
const FAILED_SHOWN = 20;

const RetryQuery = Type.Object(
  { queue: Type.Optional(StringEnum([...Object.values(QUEUE_NAMES), ...TRACKER_IDS.map(checkQueueOf)], { description: 'Only this queue; default all' })) },
  { additionalProperties: false },
);
const RetryReply = Type.Object({ retried: Type.Record(Type.String(), Type.Integer()), total: Type.Integer() });

type Options = Pick<AdminRoutesOptions, 'queues' | 'sweepProgress' | 'inbox' | 'tenants'> & Partial<Pick<AdminRoutesOptions, 'installations'>>;

/** Every queue, the check queue of each installed workspace that is not revoked too (made here on first use). */
async function everyQueue(options: Options): Promise<Queue[]> {
  for (const record of (await options.installations?.list()) ?? []) {
    if (record.status !== 'revoked' && TRACKER_IDS.includes(record.tracker as TrackerId)) options.queues.checksFor({ tracker: record.tracker as TrackerId, installation: record.id });
  }
  return options.queues.all();
}

export const queueRoutes: FastifyPluginAsync<Options> = async (app, given) => {
  const optionsOf = tenantOptions(given); // each tenant has its own queues and inbox
  app.get('/admin/queues', {
    schema: adminSchema('Jobs per state in each queue, the latest failures with their reasons, and sweep progress', {}),
  }, async (request) => {
    const options = await optionsOf(request);
    const queues = await Promise.all((await everyQueue(options)).map(async (queue) => ({
      name: queue.name,
      counts: await queue.getJobCounts(...STATES),
      failed: (await queue.getFailed(0, FAILED_SHOWN - 1)).filter((job): job is Job => Boolean(job)).map(failure),
    })));
    let sweeps: Awaited<ReturnType<AdminRoutesOptions['sweepProgress']>> = [];
    try {
      sweeps = await options.sweepProgress();
    } catch (err) {
      request.log.warn({ err }, 'sweep progress unavailable');
    }
    // Accepted deliveries not yet on the events queue: growing means the movers are behind or stopped.
    const inbox = options.inbox ? { length: await options.inbox.length(), rejected: await options.inbox.rejectedCount() } : null;
    return { inbox, queues, sweeps };
  });

  app.post<{ Querystring: Static<typeof RetryQuery> }>('/admin/queues/failed/retry', {
    schema: adminSchema('Move failed jobs back to waiting (all queues, or ?queue=…); answers how many per queue', {
      querystring: RetryQuery,
      response: { 200: RetryReply },
    }),
  }, async (request) => {
    const options = await optionsOf(request);
    const chosen = (await everyQueue(options)).filter((q) => request.query.queue === undefined || q.name === request.query.queue);
    const retried: Record<string, number> = {};
    for (const queue of chosen) retried[queue.name] = await retryFailed(queue);
    request.log.info({ retried }, 'failed jobs retried');
    return { retried, total: Object.values(retried).reduce((a, b) => a + b, 0) };
  });
};

/** Counted first: retryJobs answers nothing. A job failing meanwhile is retried too and not counted, which is harmless. */
async function retryFailed(queue: Queue): Promise<number> {
  const count = await queue.getFailedCount();
  if (count > 0) await queue.retryJobs({ state: 'failed', count: 500 });
  return count;
}

function failure(job: Job) {
  return {
    id: job.id ?? null,
    name: job.name,
    data: dataSummary(job.data),
    failedReason: job.failedReason ?? null,
    attemptsMade: job.attemptsMade,
    finishedOn: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  };
}

/** The job's scalar fields, shortened: enough to recognise it, not a dump of a webhook payload. */
function dataSummary(data: unknown): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  if (!data || typeof data !== 'object') return out;
  for (const [key, value] of Object.entries(data as Record<string, unknown>).slice(0, 12)) {
    if (typeof value === 'string') out[key] = value.length > 120 ? `${value.slice(0, 119)}…` : value;
    else if (typeof value === 'number' || typeof value === 'boolean' || value === null) out[key] = value;
    else if (Array.isArray(value)) out[key] = `[${value.length} items]`;
    else if (value && typeof value === 'object') out[key] = summariseObject(value as Record<string, unknown>);
  }
  return out;
}

function summariseObject(value: Record<string, unknown>): string {
  const parts = Object.entries(value)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
    .slice(0, 4)
    .map(([k, v]) => `${k}=${String(v).slice(0, 40)}`);
  return `{${parts.join(', ')}}`;
}
