// A worker thread that hosts the Linear sandbox behind the delay proxy, so
// the tracker's own work (GraphQL execution, the 20 ms wait) does not run on
// the event loop of the Cascade workers being measured.
import { parentPort, workerData } from 'node:worker_threads';
import { startLinearSandbox } from '../sandbox/linear/index.js';
import { startDelayProxy } from './delay-proxy.js';
import { seedLinearBacklog } from './linear-workspace.js';

export interface TrackerHostSpec {
  issues: number;
  /** Share of issues that are orphan or stale (need a label and a comment). */
  needsMarks: number;
  delayMs: number;
}

export type TrackerHostMessage =
  | { ready: { apiUrl: string; apiKey: string; issueIds: string[] } }
  | { counts: { reads: number; writes: number; sandboxRequests: number } }
  | { closed: true }
  | { error: string };

async function host(spec: TrackerHostSpec): Promise<void> {
  const port = parentPort!;
  let issueIds: string[] = [];
  const sandbox = await startLinearSandbox({ requestsLimit: 1_000_000, seed: (store) => (issueIds = seedLinearBacklog(store, spec.issues, spec.needsMarks)) });
  const proxy = await startDelayProxy(sandbox.apiUrl, spec.delayMs);
  port.postMessage({ ready: { apiUrl: `${proxy.origin}/graphql`, apiKey: sandbox.apiKey, issueIds } } satisfies TrackerHostMessage);
  port.on('message', (message: 'counts' | 'close') => {
    if (message === 'counts') {
      port.postMessage({ counts: { ...proxy.counts(), sandboxRequests: sandbox.requestCount() } } satisfies TrackerHostMessage);
      return;
    }
    void Promise.allSettled([proxy.close(), sandbox.close()]).then(() => port.postMessage({ closed: true } satisfies TrackerHostMessage));
  });
}

if (parentPort && (workerData as { trackerHost?: TrackerHostSpec } | undefined)?.trackerHost) {
  host((workerData as { trackerHost: TrackerHostSpec }).trackerHost).catch((err: unknown) =>
    parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) } satisfies TrackerHostMessage),
  );
}
