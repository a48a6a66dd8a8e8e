// The demo: with no tracker credentials, `npm start` runs Cascade against its
// own Linear- and Jira-compatible sandboxes, seeded with a small workspace,
// replays signed webhooks through the real receiver, and then plays a person
// who links an orphan ticket, so every verdict, label and comment shows in the log.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { AppEnv } from '../src/config/environment.js';
import type { SandboxWorkspace } from './linear/workspaces.js';
import { startLinearSandbox, seedDemoWorkspace, seedDoneHistory, seedForecastBacklog, envelopeFor, buildLinearDelivery, type IssueRecord, type LinearSandbox } from './linear/index.js';
import { startJiraSandbox, JiraStore, seedDemoJira, buildSignedJiraDelivery, DEMO_JIRA_BOT, adfFromText, type JiraSandbox } from './jira/index.js';
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
  // The workspace, its ranked backlog and twelve weeks of finished work for the forecasts (read back by the backfill on start, not replayed).
  const history = new Set<string>();
  const linear = await startLinearSandbox({
    seed: (store) => {
      seedDemoWorkspace(store);
      seedForecastBacklog(store);
      const before = new Set(store.issues.keys());
      seedDoneHistory(store);
      for (const id of store.issues.keys()) if (!before.has(id)) history.add(id);
    },
    webhook: { url: `${receiver}/webhooks/linear`, secret: linearSecret },
    // Installed as an app: a second workspace consents (POST /admin/installs/linear), and its changes come as app webhooks.
    appWebhook: { url: `${receiver}/webhooks/linear`, secret: linearSecret },
  });
  const appWorkspace = linear.addWorkspace({ name: 'Initech', urlKey: 'initech', seed: (store) => seedDemoWorkspace(store) });
  linear.consentTo(appWorkspace.id);
  const jiraStore = new JiraStore();
  seedDemoJira(jiraStore);
  const jira = await startJiraSandbox({ store: jiraStore, webhook: { url: `${receiver}/webhooks/jira`, secret: jiraSecret } });
  showBotWrites(linear, jira, logger);
  const env: AppEnv = {
    ...base,
    trackers: {
      ...base.trackers,
      linear: { credentials: { apiKey: linear.apiKey, apiUrl: linear.apiUrl }, webhookSecret: linearSecret },
      jira: { credentials: { baseUrl: jira.baseUrl, email: DEMO_JIRA_BOT.email, apiToken: DEMO_JIRA_BOT.apiToken }, webhookSecret: jiraSecret },
    },
    // Snappier than production, so the story unfolds in seconds.
    quietPeriodMs: Math.min(base.quietPeriodMs, 1000),
    // The sandbox's OAuth app, so the demo can be installed as an app in Initech; tokens sealed with a key of this run.
    secretKey: base.secretKey ?? randomBytes(32).toString('hex'),
    linearApp: {
      clientId: linear.oauth.clientId, clientSecret: linear.oauth.clientSecret, authorizeUrl: linear.oauth.authorizeUrl,
      tokenUrl: linear.oauth.tokenUrl, clientCredentials: false, apiUrl: linear.apiUrl,
    },
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
        if (history.has(issue.id)) continue;
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
      logger.info(`demo: replayed ${store.issues.size - history.size} Linear and ${jiraStore.allIssues().length} Jira deliveries; checks follow after the ${env.quietPeriodMs} ms quiet period`);
      await delay(env.quietPeriodMs + 6000);
      const fixed = fixOneOrphanEach(linear, jiraStore, logger);
      proposeObjectives(linear, logger);
      await takeSuggestions(linear, jiraStore, fixed, logger);
      await installInInitech(receiverUrl, base.adminTokens[0]?.token, appWorkspace, logger);
    },
    async close() {
      await Promise.allSettled([linear.close(), jira.close()]);
    },
  };
}

/**
 * An admin of a second workspace, Initech, installs Cascade as a Linear app the way
 * a real one would (POST /admin/installs/linear, the consent page, the callback),
 * then files an issue with no project: Cascade hears it through the app's webhook and
 * labels and comments on it as the app, with Initech's own token.
 */
async function installInInitech(receiverUrl: string, adminToken: string | undefined, workspace: SandboxWorkspace, logger: Logger): Promise<void> {
  if (!adminToken) return;
  const begun = await fetch(`${receiverUrl}/admin/installs/linear`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: '{}' });
  if (!begun.ok) {
    logger.warn({ status: begun.status }, `demo: the install link was refused (${begun.status})`);
    return;
  }
  const { authorizeUrl } = (await begun.json()) as { authorizeUrl: string };
  logger.info(`demo: an admin of Initech installs Cascade as a Linear app: POST /admin/installs/linear, then consents at ${authorizeUrl.split('?')[0]}`);
  // The sandbox consents at once and sends the browser back to Cascade's callback.
  const consent = await fetch(authorizeUrl, { redirect: 'manual' });
  const callback = consent.headers.get('location');
  const page = callback ? await fetch(callback) : undefined;
  if (!page?.ok) {
    logger.warn({ status: page?.status ?? consent.status }, 'demo: the install did not complete');
    return;
  }
  logger.info(`demo: Cascade is installed in Initech as the app user "${workspace.appUser?.name ?? 'Cascade'}" (GET /admin/installs lists it; /settings shows it)`);
  const store = workspace.store;
  store.onChange((change) => {
    if (change.type !== 'Comment' || change.actorId !== workspace.appUser?.id) return;
    const comment = change.record as { issueId: string; body: string };
    const issue = store.findIssue(comment.issueId);
    logger.info({ tracker: 'linear', workspace: 'initech', ticket: issue ? store.identifierOf(issue) : comment.issueId }, `demo: Cascade, as the Initech app, ${verb(change.action)} its comment on ${issue ? store.identifierOf(issue) : 'an issue'}:\n${indent(comment.body)}`);
  });
  const team = [...store.teams.values()][0];
  if (!team) return;
  // Filed two days ago, past the grace new tickets get (rules.pending), so it is checked as an orphan at once.
  const issue = store.createIssue({ team: team.key, title: 'Bulk-edit invoices from the billing page', createdAt: new Date(Date.now() - 2 * 86_400_000).toISOString() });
  logger.info(`demo: someone at Initech files ${store.identifierOf(issue)} "${issue.title}" with no project (two days ago)`);
}

/** A person links an orphan in each tracker; the webhooks that follow make Cascade clear its marks. */
function fixOneOrphanEach(linear: LinearSandbox, jiraStore: JiraStore, logger: Logger): Set<string> {
  const fixed = new Set<string>();
  const store = linear.store;
  const orphan = [...store.issues.values()].find((i) => i.projectId === null && i.parentId === null && store.commentsOn(i.id).some((c) => c.userId === store.bot.id));
  if (orphan) {
    const key = store.identifierOf(orphan);
    logger.info(`demo: a person moves ${key} "${orphan.title}" into the project "Guided onboarding"`);
    store.updateIssue(orphan.id, { projectId: store.requireProject('Guided onboarding').id });
    fixed.add(orphan.id);
  }
  const jiraOrphan = jiraStore.allIssues().find((i) => i.parentId === null && i.labels.includes('no-objective'));
  if (jiraOrphan) {
    logger.info(`demo: a person sets the parent of ${jiraOrphan.key} "${jiraOrphan.summary}" to the epic OPS-10`);
    jiraStore.updateIssue(jiraOrphan.key, { parent: 'OPS-10' }, '712020:priya');
    fixed.add(jiraOrphan.key);
  }
  return fixed;
}

const PROPOSING = new Set(['WEB-7', 'WEB-8', 'ENG-12']);

/**
 * People take Cascade's first suggestion with `/cascade link 1` (the orphan's
 * comment numbers them), and a guest outside the team, who may not edit the
 * ticket, tries the same and is answered: nothing moves for them.
 */
async function takeSuggestions(linear: LinearSandbox, jiraStore: JiraStore, fixed: Set<string>, logger: Logger): Promise<void> {
  const store = linear.store;
  const offering = (): IssueRecord[] => [...store.issues.values()].filter(
    (i) => !fixed.has(i.id) && !PROPOSING.has(store.identifierOf(i)) && i.projectId === null && i.parentId === null && store.commentsOn(i.id).some((c) => c.userId === store.bot.id && c.body.includes('to move it into the project')),
  );
  // The comments come with the checks: wait for two orphans that offer a project (at most 20 s).
  for (let waited = 0; offering().length < 2 && waited < 20_000; waited += 500) await delay(500);
  const [taken, refused] = offering();
  if (taken) {
    logger.info(`demo: ${store.person.name} takes Cascade's first suggestion on ${store.identifierOf(taken)} "${taken.title}": /cascade link 1`);
    store.createComment({ issue: taken.id, body: '/cascade link 1', userId: store.person.id });
  }
  if (refused) {
    const guest = store.createUser({ name: 'Gus Visitor', guest: true, teams: [] });
    logger.info(`demo: ${guest.name}, a guest outside the team, tries the same on ${store.identifierOf(refused)} "${refused.title}": /cascade link 1`);
    store.createComment({ issue: refused.id, body: '/cascade link 1', userId: guest.id });
  }
  const jiraTaken = jiraStore.allIssues().find(
    (i) => !fixed.has(i.key) && i.parentId === null && jiraStore.comments(i.key).some((c) => c.authorId === '712020:cascade-bot' && adfToText(c.body).includes('/cascade link 1 to set its parent')),
  );
  if (jiraTaken) {
    logger.info(`demo: Priya Raman takes Cascade's first suggestion on ${jiraTaken.key} "${jiraTaken.summary}": /cascade link 1`);
    jiraStore.addComment(jiraTaken.key, adfFromText('/cascade link 1'), '712020:priya');
  }
}

/** People propose objectives from below with `/cascade propose`, on orphan tickets that share a theme. */
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
