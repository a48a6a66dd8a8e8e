// The demo: with no tracker credentials, `npm start` runs Cascade against its
// own Linear- and Jira-compatible sandboxes, seeded with a small workspace,
// replays signed webhooks through the real receiver, and then plays a person
// who links an orphan ticket, so every verdict, label and comment shows in the log.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { AppEnv } from '../src/config/environment.js';
import { startLinearSandbox, seedDemoWorkspace, envelopeFor, buildLinearDelivery, type LinearSandbox } from './linear/index.js';
import { startJiraSandbox, JiraStore, seedDemoJira, buildSignedJiraDelivery, DEMO_JIRA_BOT, type JiraSandbox } from './jira/index.js';
import { payloadsFor } from './jira/webhooks.js';
import { adfToText } from '../src/trackers/jira/adf-text.js';

export interface Demo {
  /** The environment Cascade runs with: the sandboxes' credentials and fresh webhook secrets. */
  env: AppEnv;
  linear: LinearSandbox;
  jira: JiraSandbox;
  /** Replays the workspace as webhooks, then a person fixes one ticket in each tracker. */
  play(receiverUrl: string): Promise<void>;
  close(): Promise<void>;
}

const secret = (): string => randomBytes(24).toString('hex');

export async function startDemo(base: AppEnv, logger: Logger): Promise<Demo> {
  const linearSecret = secret();
  const jiraSecret = secret();
  const receiver = `http://127.0.0.1:${base.port}`;
  const linear = await startLinearSandbox({ seed: (store) => seedDemoWorkspace(store), webhook: { url: `${receiver}/webhooks/linear`, secret: linearSecret } });
  const jiraStore = new JiraStore();
  seedDemoJira(jiraStore);
  const jira = await startJiraSandbox({ store: jiraStore, webhook: { url: `${receiver}/webhooks/jira`, secret: jiraSecret } });
  showBotWrites(linear, jira, logger);
  const env: AppEnv = {
    ...base,
    linear: { apiKey: linear.apiKey, apiUrl: linear.apiUrl, webhookSecret: linearSecret },
    linearWebhookSecret: linearSecret,
    jira: { baseUrl: jira.baseUrl, email: DEMO_JIRA_BOT.email, apiToken: DEMO_JIRA_BOT.apiToken, webhookSecret: jiraSecret },
    jiraWebhookSecret: jiraSecret,
    // Snappier than production, so the story unfolds in seconds.
    quietPeriodMs: Math.min(base.quietPeriodMs, 1000),
  };
  return {
    env,
    linear,
    jira,
    async play(receiverUrl) {
      const post = async (path: string, headers: Record<string, string>, body: string): Promise<void> => {
        const res = await fetch(`${receiverUrl}${path}`, { method: 'POST', headers, body });
        if (!res.ok) logger.warn({ status: res.status }, `demo: the receiver answered ${res.status} to a replayed delivery`);
      };
      const store = linear.store;
      for (const issue of store.issues.values()) {
        const envelope = envelopeFor(store, { type: 'Issue', action: 'create', record: issue, actorId: store.person.id }, { webhookId: 'demo' });
        const delivery = buildLinearDelivery(linearSecret, envelope);
        await post('/webhooks/linear', delivery.headers, delivery.body);
      }
      for (const issue of jiraStore.allIssues()) {
        for (const payload of payloadsFor(jiraStore, jira.baseUrl, { kind: 'issue_created', issue, actorId: '712020:priya' })) {
          const delivery = buildSignedJiraDelivery(payload, jiraSecret);
          await post('/webhooks/jira', delivery.headers, delivery.body);
        }
      }
      logger.info(`demo: replayed ${store.issues.size} Linear and ${jiraStore.allIssues().length} Jira deliveries; checks follow after the ${env.quietPeriodMs} ms quiet period`);
      await delay(env.quietPeriodMs + 6000);
      fixOneOrphanEach(linear, jiraStore, logger);
      proposeObjectives(linear, logger);
    },
    async close() {
      await Promise.allSettled([linear.close(), jira.close()]);
    },
  };
}

/** A person links an orphan in each tracker; the webhooks that follow make Cascade clear its marks. */
function fixOneOrphanEach(linear: LinearSandbox, jiraStore: JiraStore, logger: Logger): void {
  const store = linear.store;
  const orphan = [...store.issues.values()].find((i) => i.projectId === null && i.parentId === null && store.commentsOn(i.id).some((c) => c.userId === store.bot.id));
  if (orphan) {
    const key = store.identifierOf(orphan);
    logger.info(`demo: a person moves ${key} "${orphan.title}" into the project "Guided onboarding"`);
    store.updateIssue(orphan.id, { projectId: store.requireProject('Guided onboarding').id });
  }
  const jiraOrphan = jiraStore.allIssues().find((i) => i.parentId === null && i.labels.includes('no-objective'));
  if (jiraOrphan) {
    logger.info(`demo: a person sets the parent of ${jiraOrphan.key} "${jiraOrphan.summary}" to the epic OPS-10`);
    jiraStore.updateIssue(jiraOrphan.key, { parent: 'OPS-10' }, '712020:priya');
  }
}

/** People propose objectives from below, on the orphan tickets that share a theme (cli/demo/demo-review.ts records the same). */
function proposeObjectives(linear: LinearSandbox, logger: Logger): void {
  const store = linear.store;
  const proposals: Array<[key: string, person: string, title: string]> = [
    ['WEB-7', 'Mei Chen', 'Dark mode across the product'],
    ['WEB-8', 'Tomás Silva', 'Dark mode everywhere'],
    ['ENG-12', 'Priya Natarajan', 'Data export for customers'],
  ];
  for (const [key, name, title] of proposals) {
    const issue = store.findIssue(key);
    const user = [...store.users.values()].find((u) => u.name === name);
    if (!issue || !user) continue;
    store.createComment({ issue: issue.id, body: `/cascade propose ${title}`, userId: user.id });
    logger.info(`demo: ${name} comments on ${key} "${issue.title}": /cascade propose ${title}`);
  }
}

/** Shows Cascade's comments as the trackers would: the demo's proof that it writes what it says. */
function showBotWrites(linear: LinearSandbox, jira: JiraSandbox, logger: Logger): void {
  const store = linear.store;
  store.onChange((change) => {
    if (change.type !== 'Comment' || change.actorId !== store.bot.id) return;
    const comment = change.record as { issueId: string; body: string };
    const issue = store.findIssue(comment.issueId);
    logger.info({ tracker: 'linear', ticket: issue ? store.identifierOf(issue) : comment.issueId, action: change.action }, `demo: Cascade ${verb(change.action)} its comment on ${issue ? store.identifierOf(issue) : 'an issue'}:\n${indent(comment.body)}`);
  });
  jira.store.onChange((change) => {
    if (!change.kind.startsWith('comment_') || !('comment' in change) || change.actorId !== '712020:cascade-bot') return;
    logger.info({ tracker: 'jira', ticket: change.issue.key }, `demo: Cascade ${verb(change.kind.replace('comment_', ''))} its comment on ${change.issue.key}:\n${indent(adfToText(change.comment.body))}`);
  });
}

const verb = (action: string): string => (action === 'create' || action === 'created' ? 'posted' : action === 'remove' || action === 'deleted' ? 'deleted' : 'edited');
const indent = (text: string): string => text.split('\n').map((l) => `    │ ${l}`).join('\n');
const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
