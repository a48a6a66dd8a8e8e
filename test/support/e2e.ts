// Cascade end to end, as a team runs it: the Linear and Jira sandboxes (seeded
// with the demo workspaces) send signed webhooks to the real receiver, BullMQ
// on a real redis-server carries them to the real workers, which write back
// through the real SDK clients. Every test gets its own Redis prefix.
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { pino } from 'pino';
import { readEnvironment } from '../../src/config/environment.js';
import type { CascadeConfig } from '../../src/config/schema.js';
import { startCascade, type RunningCascade } from '../../cli/start-cascade.js';
import { freePort } from '../../cli/redis-server.js';
import { startLinearSandbox, seedDemoWorkspace, type LinearSandbox } from '../../sandbox/linear/index.js';
import { startJiraSandbox, JiraStore, seedDemoJira, DEMO_JIRA_BOT, type JiraSandbox } from '../../sandbox/jira/index.js';
import { LinearTracker } from '../../src/trackers/linear/index.js';
import { JiraTracker } from '../../src/trackers/jira/index.js';
import type { Queue } from 'bullmq';
import { exampleConfig } from './example-config.js';

export interface E2E {
  cascade: RunningCascade;
  url: string;
  linear: LinearSandbox;
  jira: JiraSandbox;
  linearSecret: string;
  jiraSecret: string;
  adminToken: string;
  /** Resolves once every webhook is delivered and every queue has settled. */
  idle(): Promise<void>;
  /** Stops Cascade and starts a fresh one on the same Redis (new adapters: empty caches). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface E2EOptions {
  env?: Record<string, string>;
  config?: CascadeConfig;
  /** Cascade's clock (default: the real one). */
  now?: () => Date;
}

export async function startE2E(options: E2EOptions = {}): Promise<E2E> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const linearSecret = randomUUID();
  const jiraSecret = randomUUID();
  const adminToken = randomUUID();
  const linear = await startLinearSandbox({ seed: (store) => seedDemoWorkspace(store), webhook: { url: `${url}/webhooks/linear`, secret: linearSecret } });
  const jiraStore = new JiraStore();
  seedDemoJira(jiraStore);
  const jira = await startJiraSandbox({ store: jiraStore, webhook: { url: `${url}/webhooks/jira`, secret: jiraSecret } });
  const env = readEnvironment({
    CASCADE_QUIET_MS: '150',
    LINEAR_WEBHOOK_SECRET: linearSecret,
    JIRA_WEBHOOK_SECRET: jiraSecret,
    ADMIN_TOKEN: `e2e:${adminToken}`,
    ...options.env,
  });
  const prefix = `{e2e-${randomUUID()}}`;
  const start = async (): Promise<RunningCascade> => {
    const cascade = await startCascade({
      role: 'all',
      env,
      redisUrl: inject('redisUrl'),
      logger: pino({ level: 'silent' }),
      trackers: {
        linear: new LinearTracker({ apiKey: linear.apiKey, apiUrl: linear.apiUrl }),
        jira: new JiraTracker({ host: jira.baseUrl, auth: { email: DEMO_JIRA_BOT.email, apiToken: DEMO_JIRA_BOT.apiToken } }),
      },
      seedConfig: options.config ?? exampleConfig(),
      prefix,
      ...(options.now ? { now: options.now } : {}),
    });
    await cascade.app?.listen({ port, host: '127.0.0.1' });
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
      const deadline = Date.now() + 20_000;
      let quiet = 0;
      while (quiet < 3) {
        if (Date.now() > deadline) throw new Error('Cascade did not settle within 20 s');
        await Promise.all([linear.flushWebhooks(), jira.flushWebhooks()]);
        const busy = await Promise.all([e2e.cascade.queues.events, e2e.cascade.queues.checks.linear, e2e.cascade.queues.checks.jira, e2e.cascade.queues.fanout, e2e.cascade.queues.sweeps].map(pendingWork));
        quiet = busy.every((n) => n === 0) ? quiet + 1 : 0;
        await sleep(100);
      }
    },
    async restart() {
      await e2e.cascade.close();
      e2e.cascade = await start();
    },
    async close() {
      await e2e.cascade.close();
      await Promise.allSettled([linear.close(), jira.close()]);
    },
  };
  return e2e;
}

/** Jobs still to run, leaving out the schedulers' next runs, grace-period re-checks and exemption ends (hours away). */
async function pendingWork(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children');
  const delayed = await queue.getJobs(['delayed']);
  const soon = delayed.filter((job) => !job.id?.startsWith('repeat:') && !job.id?.startsWith('pending-') && !job.id?.startsWith('exemption-ends-'));
  return Object.values(counts).reduce((a, b) => a + b, 0) + soon.length;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
