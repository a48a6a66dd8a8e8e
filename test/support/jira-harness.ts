// The conformance harness for Jira: the real JiraTracker (jira.js) against the
// Jira sandbox on a free port, with one project (CAS), a bot and a person.
import { adfToText } from '../../src/trackers/jira/adf-text.js';
import { JiraTracker, type JiraTrackerOptions } from '../../src/trackers/jira/jira-tracker.js';
import { startJiraSandbox, type JiraSandbox } from '../../sandbox/jira/server.js';
import { JiraStore } from '../../sandbox/jira/store.js';
import type { SandboxIssue, SandboxUser } from '../../sandbox/jira/types.js';
import type { HarnessTicketSpec, TrackerHarness } from './tracker-harness.js';

export const HARNESS_PROJECT = 'CAS';
export const HARNESS_BOT = { email: 'cascade-bot@example.com', apiToken: 'harness-token' };

export interface JiraHarness extends TrackerHarness {
  tracker: JiraTracker;
  sandbox: JiraSandbox;
  store: JiraStore;
  bot: SandboxUser;
  person: SandboxUser;
}

export interface JiraHarnessOptions {
  webhook?: { url: string; secret: string };
  tracker?: Partial<JiraTrackerOptions>;
}

/** The standard type one level below a parent; the levels above epics are sites' own names. */
function typeNameFor(store: JiraStore, level: number): string {
  const standard: Record<number, string> = { [-1]: 'Sub-task', 0: 'Story', 1: 'Epic', 2: 'Initiative' };
  const name = standard[level] ?? `Level ${level}`;
  if (!store.issueType(name)) store.createIssueType({ name, hierarchyLevel: level });
  return name;
}

/**
 * Jira joins adjacent hierarchy levels only, while the tracker-neutral suite may
 * nest tickets freely: a child under a sub-task raises the sub-task and
 * everything above it by one level (sub-task → story → epic → initiative → …).
 */
function raise(store: JiraStore, issue: SandboxIssue): void {
  const parent = store.parentOf(issue);
  if (parent && store.typeOf(parent).hierarchyLevel === store.typeOf(issue).hierarchyLevel + 1) raise(store, parent);
  store.updateIssue(issue.id, { type: typeNameFor(store, store.typeOf(issue).hierarchyLevel + 1) });
}

export async function startJiraHarness(options: JiraHarnessOptions = {}): Promise<JiraHarness> {
  const store = new JiraStore();
  store.createProject({ key: HARNESS_PROJECT, name: 'Cascade conformance' });
  const bot = store.createUser({ displayName: 'Cascade', accountType: 'app', accountId: '712020:cascade-bot', ...HARNESS_BOT });
  const person = store.createUser({ displayName: 'Dana Engineer', email: 'dana@example.com', accountId: '712020:dana' });
  const sandbox = await startJiraSandbox({ store, webhook: options.webhook ?? null });
  const tracker = new JiraTracker({ host: sandbox.baseUrl, auth: HARNESS_BOT, ...options.tracker });

  return {
    tracker,
    sandbox,
    store,
    bot,
    person,
    async createTicket(spec: HarnessTicketSpec): Promise<string> {
      let level = 0;
      if (spec.parent) {
        const parent = store.requireIssue(spec.parent);
        if (store.typeOf(parent).hierarchyLevel === -1) raise(store, parent);
        level = store.typeOf(parent).hierarchyLevel - 1;
      }
      const issue = store.createIssue({
        project: HARNESS_PROJECT,
        type: typeNameFor(store, level),
        summary: spec.title,
        description: spec.description ?? null,
        labels: spec.labels ?? [],
        parent: spec.parent ?? null,
        status: spec.closed || spec.doneAt ? 'Done' : 'To Do',
        ...(spec.doneAt ? { resolvedAt: Date.parse(spec.doneAt) } : {}),
        actor: person.accountId,
      });
      return issue.key;
    },
    async labelsOf(ref: string): Promise<string[]> {
      return store.labels(ref);
    },
    async commentsOf(ref: string): Promise<Array<{ id: string; authorId: string; text: string }>> {
      return store.comments(ref).map((c) => ({ id: c.id, authorId: c.authorId, text: adfToText(c.body) }));
    },
    async setLabelsAsPerson(ref: string, labels: string[]): Promise<void> {
      store.updateIssue(ref, { labels }, person.accountId);
    },
    requestCount: () => sandbox.requestCount(),
    rateLimitNext: (times, retryAfterSeconds) => sandbox.rateLimitNext(times, retryAfterSeconds),
    close: () => sandbox.close(),
  };
}
