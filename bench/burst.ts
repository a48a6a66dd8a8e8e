// Burst: a person edits one Linear issue 20 times inside the quiet period;
// the sandbox sends each edit as a signed webhook to the real receiver, and
// the real workers (startCascade, role 'all') should run one check. Counted
// at the worker (checks recorded, ticket fetches) and at the tracker.
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { startRedisServer, freePort } from '../cli/redis-server.js';
import { startCascade } from '../cli/start-cascade.js';
import { startLinearSandbox, seedDemoWorkspace } from '../sandbox/linear/index.js';
import { LinearTracker } from '../src/trackers/linear/index.js';
import { benchEnv, benchLogger, counterTotal, daysAgo, exampleConfig, pendingWork, sleep, waitUntil } from './cascade-kit.js';
import { startDelayProxy } from './delay-proxy.js';
import type { Figure } from './figures.js';

export interface BurstBenchOptions {
  edits?: number;
  /** CASCADE_QUIET_MS. Default 5000, the product's default. */
  quietMs?: number;
  /** Between two edits. Default 50 ms (20 edits in 1 s). */
  gapMs?: number;
}

export interface BurstBenchResult {
  checks: number;
  fetches: number;
  deliveriesQueued: number;
  trackerReads: number;
  trackerWrites: number;
  figures: Figure[];
}

export async function runBurstBench(options: BurstBenchOptions = {}): Promise<BurstBenchResult> {
  const edits = options.edits ?? 20;
  const quietMs = options.quietMs ?? 5000;
  const gapMs = options.gapMs ?? 50;
  const secret = randomUUID();
  const port = await freePort();
  const redis = await startRedisServer({ dataDir: undefined });
  let issueId = '';
  const linear = await startLinearSandbox({
    webhook: { url: `http://127.0.0.1:${port}/webhooks/linear`, secret },
    seed: (store) => {
      seedDemoWorkspace(store);
      issueId = store.createIssue({ team: 'ENG', title: 'Bulk edit for custom fields', createdAt: daysAgo(4) }).id;
    },
  });
  const proxy = await startDelayProxy(linear.apiUrl, 0);
  try {
    const cascade = await startCascade({
      role: 'all',
      env: benchEnv({ LINEAR_WEBHOOK_SECRET: secret, CASCADE_QUIET_MS: String(quietMs) }),
      redisUrl: redis.url,
      logger: benchLogger(),
      trackers: { linear: new LinearTracker({ apiKey: linear.apiKey, apiUrl: `${proxy.origin}/graphql` }) },
      seedConfig: exampleConfig(),
      prefix: '{bench-burst}',
    });
    try {
      await cascade.app!.listen({ port, host: '127.0.0.1' });
      const { store } = linear;
      const issue = store.requireIssue(issueId);
      const states = [store.requireState(issue.teamId, 'started').id, store.requireState(issue.teamId, 'unstarted').id];
      const before = proxy.counts();
      const started = Date.now();
      for (let i = 0; i < edits; i++) {
        store.updateIssue(issueId, { stateId: states[i % 2]!, title: `Bulk edit for custom fields (draft ${i + 1})` });
        await sleep(gapMs);
      }
      const burstMs = Date.now() - started;
      // Settled: every webhook answered, no job waiting, and the quiet period long past.
      await sleep(quietMs);
      let quiet = 0;
      await waitUntil(async () => {
        await linear.flushWebhooks();
        const busy = await Promise.all(cascade.queues.all().map(pendingWork));
        quiet = busy.every((n) => n === 0) ? quiet + 1 : 0;
        return quiet >= 3;
      }, 20_000, 100);
      const checks = await counterTotal(cascade.metrics.checks, { tracker: 'linear' });
      const fetches = await counterTotal(cascade.metrics.trackerReads, { tracker: 'linear' });
      const deliveriesQueued = await counterTotal(cascade.metrics.deliveries, { tracker: 'linear', outcome: 'queued' });
      const after = proxy.counts();
      const trackerReads = after.reads - before.reads;
      const trackerWrites = after.writes - before.writes;
      const figures: Figure[] = [
        {
          bench: 'burst',
          name: `${edits} edits of one ticket: checks run`,
          value: checks,
          unit: 'checks',
          target: { op: '==', value: 1 },
          note: `edits over ${(burstMs / 1000).toFixed(1)} s, quiet period ${quietMs / 1000} s; ${deliveriesQueued} deliveries queued (edits and the bot's own echoes); ${fetches} ticket fetches; at the tracker ${trackerReads} reads, ${trackerWrites} writes`,
        },
      ];
      return { checks, fetches, deliveriesQueued, trackerReads, trackerWrites, figures };
    } finally {
      await cascade.close();
    }
  } finally {
    await Promise.allSettled([proxy.close(), linear.close()]);
    await redis.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runBurstBench();
  for (const f of result.figures) console.log(`${f.name}: ${f.value} ${f.unit} ${f.note ?? ''}`);
  process.exit(0);
}
