// Cascade end to end, as a team runs it: the Linear and Jira sandboxes (seeded
// with the demo workspaces) send signed webhooks to the real receiver, BullMQ
// on a real redis-server carries them to the real workers, which write back
// through the real SDK clients. Every test gets its own Redis prefix.
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { pino, type Logger } from 'pino';
import { readEnvironment } from '../../src/config/environment.js';
import type { CascadeConfig } from '../../src/strategy/tree-schema.js';
import { startCascade, type RunningCascade } from '../../cli/start-cascade.js';
import { freePort } from '../../cli/redis-server.js';
import { startLinearSandbox, seedDemoWorkspace, type LinearSandbox } from '../../sandbox/linear/index.js';
import { startJiraSandbox, JiraStore, seedDemoJira, DEMO_JIRA_BOT, type JiraSandbox } from '../../sandbox/jira/index.js';
import { LinearTracker } from '../../src/trackers/linear/index.js';
import { JiraTracker } from '../../src/trackers/jira/index.js';
import type { Queue } from 'bullmq';
import { Inbox } from '../../src/queue/inbox.js';
import { testPrefix } from './test-prefix.js';
import { exampleConfig } from './example-config.js';

/** How often idle() looks at the queues again while it waits for them to stay empty (three looks in a row). */
const SETTLE_POLL_MS = 100;

export interface E2E {
  cascade: RunningCascade;
  url: string;
  linear: LinearSandbox;
  jira: JiraSandbox;
  linearSecret: string;
  jiraSecret: string;
  adminToken: string;
  /** Resolves once every webhook is delivered, the receiver's inbox is empty and every queue has settled. */
  idle(): Promise<void>;
  /** Stops Cascade and starts a fresh one on the same Redis (new adapters: empty caches). */
  restart(): Promise<void>;
  /** Starts another worker process's worth of workers (own connections, own adapters) on the same Redis. */
  addWorkers(): Promise<RunningCascade>;
  close(): Promise<void>;
}

export interface E2EOptions {
  env?: Record<string, string>;
  config?: CascadeConfig;
  /** Cascade's clock (budget windows, grace periods). Default the real one. */
  now?: () => Date;
  /** Sandbox answer delay, to widen races. Default 0. */
  latencyMs?: number;
  /** Where Cascade logs. Default silent. */
  logger?: Logger;
  /** Redis address (a `redis+cluster://` one too). Default the test run's redis-server. */
  redisUrl?: string;
  /** Key prefix. Default a fresh one per test, deleted afterwards from the test run's redis-server. */
  prefix?: string;
}

export async function startE2E(options: E2EOptions = {}): Promise<E2E> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const linearSecret = randomUUID();
  const jiraSecret = randomUUID();
  const adminToken = randomUUID();
  const linear = await startLinearSandbox({ seed: (store) => seedDemoWorkspace(store), webhook: { url: `${url}/webhooks/linear`, secret: linearSecret }, latencyMs: options.latencyMs });
  const jiraStore = new JiraStore();
  seedDemoJira(jiraStore);
  const jira = await startJiraSandbox({ store: jiraStore, webhook: { url: `${url}/webhooks/jira`, secret: jiraSecret }, latencyMs: options.latencyMs });
  const env = readEnvironment({
    CASCADE_QUIET_MS: '150',
    LINEAR_WEBHOOK_SECRET: linearSecret,
    JIRA_WEBHOOK_SECRET: jiraSecret,
    ADMIN_TOKEN: `e2e:${adminToken}`,
    ...options.env,
  });
  const prefix = options.prefix ?? testPrefix('e2e');
  const extra: RunningCascade[] = [];
  const start = async (role: 'all' | 'work' = 'all'): Promise<RunningCascade> => {
    const cascade = await startCascade({
      role,
      env,
      redisUrl: options.redisUrl ?? inject('redisUrl'),
      logger: options.logger ?? pino({ level: 'silent' }),
      trackers: {
        linear: new LinearTracker({ apiKey: linear.apiKey, apiUrl: linear.apiUrl }),
        jira: new JiraTracker({ host: jira.baseUrl, auth: { email: DEMO_JIRA_BOT.email, apiToken: DEMO_JIRA_BOT.apiToken } }),
      },
      seedConfig: options.config ?? exampleConfig(),
      ...(options.now ? { now: options.now } : {}),
      prefix,
    });
    if (role === 'all') await cascade.app?.listen({ port, host: '127.0.0.1' });
    return cascade;
  };
  const e2e: E2E = {
    cascade: await start(),
    url,
    linear,
    jira,
    linearSecret,
    jiraSecret,
    adminToken,
    async idle() {
      const { queues, redis, keys } = e2e.cascade;
      await settle({
        flush: () => Promise.all([linear.flushWebhooks(), jira.flushWebhooks()]),
        // Accepted deliveries wait in the receiver's inbox before the mover puts them on the events queue.
        busy: () => Promise.all([new Inbox(redis, keys).length(), ...[queues.events, queues.checks.linear, queues.checks.jira, queues.fanout, queues.sweeps].map(pendingWork)]),
        timeoutMs: 20_000,
      });
    },
    async restart() {
      await e2e.cascade.close();
      e2e.cascade = await start();
    },
    async addWorkers() {
      const workers = await start('work');
      extra.push(workers);
      return workers;
    },
    async close() {
      await Promise.allSettled(extra.map((c) => c.close()));
      await e2e.cascade.close();
      await Promise.allSettled([linear.close(), jira.close()]);
    },
  };
  return e2e;
}

/** Jobs still to run (a paused queue's too), leaving out the schedulers' next runs, grace-period re-checks and exemption ends (hours away). */
export async function pendingWork(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children', 'paused');
  const delayed = await queue.getJobs(['delayed']);
  const soon = delayed.filter((job) => !job.id?.startsWith('repeat:') && !job.id?.startsWith('pending-') && !job.id?.startsWith('held-') && !job.id?.startsWith('exemption-ends-'));
  return Object.values(counts).reduce((a, b) => a + b, 0) + soon.length;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Resolves once Cascade has settled: the sandboxes' webhooks delivered (`flush`) and
 * every count `busy` gives at zero on three polls in a row; throws after `timeoutMs`.
 */
export async function settle(options: { flush(): Promise<unknown>; busy(): Promise<number[]>; timeoutMs?: number }): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (quiet < 3) {
    if (Date.now() > deadline) throw new Error(`Cascade did not settle within ${timeoutMs / 1000} s`);
    await options.flush();
    quiet = (await options.busy()).every((n) => n === 0) ? quiet + 1 : 0;
    await sleep(SETTLE_POLL_MS);
  }
}

/**
 * A counter's total for one tracker so far: webhook deliveries answered (any outcome),
 * checks made (any verdict) or writes to the tracker (labels and comments).
 */
export async function countFor(e2e: E2E, counter: 'deliveries' | 'checks' | 'writes', tracker: 'linear' | 'jira'): Promise<number> {
  const metric = await e2e.cascade.metrics[counter].get();
  return metric.values.filter((v) => v.labels.tracker === tracker).reduce((a, v) => a + v.value, 0);
}

/** Polls `condition` until it holds; throws naming `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}
