// The tracker conformance harness over the Linear sandbox and the real adapter.
import { startLinearSandbox, type LinearSandbox, type LinearSandboxOptions } from '../../sandbox/linear/index.js';
import { LinearTracker, type LinearTrackerOptions } from '../../src/trackers/linear/index.js';
import type { TrackerHarness } from './tracker-harness.js';

const DAY_MS = 86_400_000;

export interface LinearHarness extends TrackerHarness {
  tracker: LinearTracker;
  sandbox: LinearSandbox;
}

export async function startLinearHarness(
  options: { sandbox?: LinearSandboxOptions; tracker?: Partial<LinearTrackerOptions> } = {},
): Promise<LinearHarness> {
  const sandbox = await startLinearSandbox({
    ...options.sandbox,
    seed: (store) => {
      store.createTeam({ key: 'ENG', name: 'Engineering' });
      options.sandbox?.seed?.(store);
    },
  });
  const tracker = new LinearTracker({ apiKey: sandbox.apiKey, apiUrl: sandbox.apiUrl, ...options.tracker });
  const { store } = sandbox;
  return {
    tracker,
    sandbox,
    async createTicket(spec) {
      const issue = store.createIssue({
        team: 'ENG',
        title: spec.title,
        // Past any grace period, as most tickets a check meets are.
        createdAt: new Date(Date.now() - 2 * DAY_MS).toISOString(),
        ...(spec.description === undefined ? {} : { description: spec.description }),
        ...(spec.labels ? { labels: spec.labels } : {}),
        ...(spec.parent === undefined ? {} : { parent: spec.parent }),
        ...(spec.closed || spec.doneAt ? { state: 'completed' } : {}),
        ...(spec.doneAt ? { doneAt: spec.doneAt } : {}),
      });
      return issue.id;
    },
    async labelsOf(ref) {
      return store.labelNamesOf(ref);
    },
    async commentsOf(ref) {
      return store.commentsOn(ref).map((c) => ({ id: c.id, authorId: c.userId, text: c.body }));
    },
    async setLabelsAsPerson(ref, labels) {
      store.setIssueLabels(ref, labels);
    },
    requestCount: () => sandbox.requestCount(),
    rateLimitNext: (times, retryAfterSeconds) => sandbox.rateLimitNext(times, retryAfterSeconds),
    close: () => sandbox.close(),
  };
}
