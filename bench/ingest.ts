// Ingest: requests/s and p99 of POST /webhooks/linear (verify, dedupe, durable
// enqueue) against a bare Fastify route with the same raw-body parser, in the
// same run, over loopback keep-alive connections. The receiver is assembled by
// startCascade (role 'serve'): the real buildApp, the real BullMQ queue and
// ioredis options, on a private redis-server. The client runs in a worker thread.
import { Worker } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { startRedisServer } from '../cli/redis-server.js';
import { startCascade } from '../cli/start-cascade.js';
import { LinearStore, envelopeFor, seedDemoWorkspace } from '../sandbox/linear/index.js';
import type { StoreChange } from '../sandbox/linear/records.js';
import { benchEnv, benchLogger, exampleConfig } from './cascade-kit.js';
import { createLinearVerifier } from '../src/trackers/linear/verify-webhook.js';
import type { LoadResult, LoadSpec } from './load-client.js';
import { formatNumber, type Figure } from './figures.js';

export interface IngestBenchOptions {
  connections?: number;
  warmupMs?: number;
  durationMs?: number;
}

export interface IngestBenchResult {
  bare: LoadResult & { serverBusy: number };
  signatureOnly: LoadResult & { serverBusy: number };
  cascade: LoadResult & { serverBusy: number };
  ratio: number;
  /** Event jobs found in Redis after the run, against the deliveries answered `queued`. */
  jobsInRedis: number;
  figures: Figure[];
}

const MAX_BODY_BYTES = 1024 * 1024;
const pct = (share: number): string => `${Math.round(share * 100)}%`;

/** What the delivery reports a person did to a demo issue. */
export type IssueChange = 'state' | 'project';

/**
 * A realistic delivery: a person moves a demo issue to another state (a
 * check), or to another project (a check, and a fan-out over what hangs under it).
 */
export function issueUpdateTemplate(change: IssueChange = 'state'): string {
  const store = new LinearStore();
  seedDemoWorkspace(store);
  let captured: StoreChange | undefined;
  store.onChange((c) => (captured = c));
  const issue = [...store.issues.values()].find((i) => store.identifierOf(i) === 'ENG-3') ?? [...store.issues.values()][0]!;
  if (change === 'state') store.updateIssue(issue.id, { stateId: store.requireState(issue.teamId, 'completed').id });
  else store.updateIssue(issue.id, { projectId: [...store.projects.values()].find((p) => p.id !== issue.projectId)!.id });
  if (!captured) throw new Error('the sandbox emitted no change');
  return JSON.stringify(envelopeFor(store, captured, { webhookId: randomUUID() }));
}

/** The baseline: a Fastify route that only answers, behind the receiver's own raw-body parser. */
export async function bareApp(handler: (request: FastifyRequest) => Promise<unknown> = async () => ({ ok: true })): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_req, body, done) => done(null, body));
  app.post('/webhooks/linear', handler);
  return app;
}

/**
 * For scale: the bare route plus the SDK's signature check on the raw bytes,
 * which also parses the body once (src/webhooks/verify-linear.ts), on the
 * event loop that answers, and nothing else. The least a receiver that checks
 * on its event loop can do; Cascade's receiver checks in a thread of its own.
 */
export async function signatureOnlyApp(secret: string): Promise<FastifyInstance> {
  const verify = createLinearVerifier([secret]);
  return bareApp(async (request) => {
    const signature = request.headers['linear-signature'];
    verify(request.body as Buffer, typeof signature === 'string' ? signature : undefined);
    return { ok: true };
  });
}

/** Listens on a free port, runs the load against it, and closes the app. */
export async function loadOnce(app: FastifyInstance, spec: (port: number) => LoadSpec): Promise<LoadResult & { serverBusy: number }> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    return await load(spec((app.server.address() as AddressInfo).port));
  } finally {
    await app.close();
  }
}

/** Runs the load in a worker thread; `serverBusy` is this (the server's) thread's event-loop utilisation meanwhile. */
export async function load(spec: LoadSpec): Promise<LoadResult & { serverBusy: number }> {
  let elu = performance.eventLoopUtilization();
  const eluTimer = setTimeout(() => (elu = performance.eventLoopUtilization()), spec.warmupMs);
  const result = await loadInWorker(spec);
  clearTimeout(eluTimer);
  return { ...result, serverBusy: performance.eventLoopUtilization(elu).utilization };
}

function loadInWorker(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./load-client.js', import.meta.url), { workerData: { loadSpec: spec } });
    worker.once('message', (message: { result?: LoadResult; error?: string }) => {
      if (message.result) resolve(message.result);
      else reject(new Error(`load generator failed: ${message.error}`));
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

export interface IngestLoad {
  connections: number;
  warmupMs: number;
  durationMs: number;
  secret: string;
  spec(port: number, expect: string): LoadSpec;
}

/**
 * The load both ingest benches send: options with their defaults, a fresh
 * secret, and the spec for a port. With `tickets`, each delivery is about one
 * of those tickets (else a ticket id nobody has).
 */
export function ingestLoad(options: IngestBenchOptions, load: { change?: IssueChange; tickets?: string[] } = {}): IngestLoad {
  const connections = options.connections ?? 64;
  const warmupMs = options.warmupMs ?? 2000;
  const durationMs = options.durationMs ?? 5000;
  const secret = randomUUID();
  const template = issueUpdateTemplate(load.change);
  const { tickets } = load;
  return { connections, warmupMs, durationMs, secret, spec: (port, expect) => ({ port, path: '/webhooks/linear', connections, warmupMs, durationMs, template, secret, expect, tickets }) };
}

export async function runIngestBench(options: IngestBenchOptions = {}): Promise<IngestBenchResult> {
  const { connections, warmupMs, durationMs, secret, spec } = ingestLoad(options);

  const bareResult = await loadOnce(await bareApp(), (port) => spec(port, '"ok":true'));
  const signedResult = await loadOnce(await signatureOnlyApp(secret), (port) => spec(port, '"ok":true'));

  const redis = await startRedisServer({ dataDir: undefined });
  try {
    const cascade = await startCascade({
      role: 'serve',
      env: benchEnv({ LINEAR_WEBHOOK_SECRET: secret }),
      redisUrl: redis.url,
      logger: benchLogger(),
      trackers: {},
      seedConfig: exampleConfig(),
      prefix: '{bench-ingest}',
    });
    try {
      const app = cascade.app!;
      await app.listen({ port: 0, host: '127.0.0.1' });
      const result = await load(spec((app.server.address() as AddressInfo).port, '"status":"queued"'));
      // The receiver alone runs here: every accepted delivery waits in the inbox for the workers.
      const jobsInRedis = await cascade.redis.llen(cascade.keys.inbox);
      const ratio = result.perSecond / bareResult.perSecond;
      const how = `${connections} keep-alive connections, ${warmupMs / 1000} s warm-up, ${durationMs / 1000} s measured`;
      const figures: Figure[] = [
        { bench: 'ingest', name: 'bare Fastify route', value: Math.round(bareResult.perSecond), unit: 'req/s', note: `${how}; p99 ${formatNumber(bareResult.p99Ms)} ms; event loops busy: server ${pct(bareResult.serverBusy)}, client ${pct(bareResult.clientBusy)}` },
        {
          bench: 'ingest',
          name: 'bare route + signature check only',
          value: Math.round(signedResult.perSecond),
          unit: 'req/s',
          note: `${(signedResult.perSecond / bareResult.perSecond).toFixed(3)}× the bare route: the SDK's check (verify, one parse) on the event loop that answers; errors ${signedResult.non200 + signedResult.unexpected + signedResult.errors}`,
        },
        { bench: 'ingest', name: 'POST /webhooks/linear', value: Math.round(result.perSecond), unit: 'req/s', note: `p50 ${formatNumber(result.p50Ms)} ms; event loops busy: server ${pct(result.serverBusy)}, client ${pct(result.clientBusy)}` },
        { bench: 'ingest', name: 'cascade / bare', value: Number(ratio.toFixed(3)), unit: '×', target: { op: '>=', value: 0.6 }, note: `the receiver role (cascade serve, deliveries checked in a thread of their own); ${(result.perSecond / signedResult.perSecond).toFixed(3)}× the signature check alone on the event loop` },
        { bench: 'ingest', name: 'p99 answer', value: Number(result.p99Ms.toFixed(2)), unit: 'ms', target: { op: '<', value: 25 }, note: `max ${formatNumber(result.maxMs)} ms` },
        {
          bench: 'ingest',
          name: 'answers not "200 queued"',
          value: result.non200 + result.unexpected + result.errors,
          unit: 'answers',
          target: { op: '==', value: 0 },
          note: `of ${result.requests.toLocaleString('en')}; statuses ${JSON.stringify(result.statuses)}; ${jobsInRedis.toLocaleString('en')} event jobs in Redis for ${result.acceptedTotal.toLocaleString('en')} "queued" answers`,
        },
      ];
      return { bare: bareResult, signatureOnly: signedResult, cascade: result, ratio, jobsInRedis, figures };
    } finally {
      await cascade.close();
    }
  } finally {
    await redis.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runIngestBench();
  for (const f of result.figures) console.log(`${f.name}: ${f.value} ${f.unit} ${f.note ?? ''}`);
  process.exit(0);
}
