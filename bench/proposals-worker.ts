// The workers' side of the proposals bench, in a process of its own at the
// priority `cascade all` gives its workers' process (cli/worker-process.ts
// giveWay): seeds the proposals through the store, then
// runs the real digest-queue worker, whose `proposals` job groups them and
// stores the groups. On 'churn' it records a new or edited proposal every
// `churnMs` and asks for a grouping, as the command handler does, so that the
// grouping job keeps running while the receiver is measured.
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { createQueues } from '../src/queue/queues.js';
import { QUEUE_NAMES, type DigestJob } from '../src/queue/job-types.js';
import { ConfigStore } from '../src/store/config-store.js';
import { DigestStore } from '../src/store/digest-store.js';
import { keysFor } from '../src/store/keys.js';
import { VerdictStore } from '../src/store/verdict-store.js';
import { ProposalStore } from '../src/store/proposal-store.js';
import { requestProposalGrouping } from '../src/queue/request-proposal-grouping.js';
import { runDigestJob } from '../workers/digest-job.js';
import { corpusProposal } from './proposal-corpus.js';

export interface ProposalsWorkerSpec {
  redisUrl: string;
  prefix: string;
  proposals: number;
}

export const PROPOSALS_WORKER_ENV = 'CASCADE_BENCH_PROPOSALS_WORKER';

const specText = process.env[PROPOSALS_WORKER_ENV];
if (specText && process.send) {
  const port = { postMessage: (message: unknown) => process.send!(message) };
  const spec = JSON.parse(specText) as ProposalsWorkerSpec;
  const redis = new Redis(spec.redisUrl, { maxRetriesPerRequest: null, enableAutoPipelining: true });
  const keys = keysFor(spec.prefix);
  const queues = createQueues({ connection: redis, prefix: spec.prefix });
  const proposals = new ProposalStore(redis, keys);
  const sources = { configStore: new ConfigStore(redis, keys), verdicts: new VerdictStore(redis, keys), digests: new DigestStore(redis, keys), timeZone: 'UTC', proposals };
  const logger = pino({ level: 'silent' });
  let worker: Worker<DigestJob> | undefined;
  let churn: NodeJS.Timeout | undefined;
  let next = spec.proposals;

  const start = async (): Promise<void> => {
    const begin = Date.now() - 30 * 86_400_000;
    for (let i = 0; i < spec.proposals; i += 500) {
      await Promise.all(Array.from({ length: Math.min(500, spec.proposals - i) }, (_, k) => proposals.add(corpusProposal(i + k, new Date(begin + (i + k) * 60_000)))));
    }
    worker = new Worker<DigestJob>(
      QUEUE_NAMES.digest,
      async (job) => {
        const started = performance.now();
        const result = await runDigestJob({ sources, queues, now: () => new Date(), logger }, job);
        if (job.data.kind === 'proposals') port.postMessage({ groupedMs: performance.now() - started, result });
        return result;
      },
      { connection: new Redis(spec.redisUrl, { maxRetriesPerRequest: null }), prefix: spec.prefix },
    );
    await worker.waitUntilReady();
    await requestProposalGrouping(queues.digest, 0);
  };

  process.on('message', (message: { churnMs?: number; stop?: boolean }) => {
    if (message.churnMs) {
      churn = setInterval(() => {
        // Every other one an edit: a person's proposal on a ticket replaced by a new title; the others new (past the cap, the oldest go).
        const n = next++;
        const fresh = corpusProposal(n, new Date());
        const { tracker, ticketId, ticketKey, team, person, personId } = corpusProposal(n % spec.proposals, new Date());
        const proposal = n % 2 === 0 ? fresh : { ...fresh, tracker, ticketId, ticketKey, team, person, personId };
        void proposals.add(proposal).then(() => requestProposalGrouping(queues.digest));
      }, message.churnMs);
    }
    if (message.stop) {
      clearInterval(churn);
      void Promise.allSettled([worker?.close(), queues.close()])
        .then(() => redis.quit())
        .finally(() => process.exit(0));
    }
  });
  start().then(
    () => port.postMessage({ ready: true }),
    (err: unknown) => port.postMessage({ error: err instanceof Error ? err.message : String(err) }),
  );
}
