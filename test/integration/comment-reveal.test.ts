// What a comment reveals, end to end: an admin narrows rules.comment.reveal and
// Cascade's comments already on tickets say less (objective: only root
// objectives; none: only where to link). A command in a restricted Jira comment
// is answered in public without quoting it.
import { afterEach, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from '../support/e2e.js';
import { exampleConfig } from '../support/example-config.js';
import { adfToText } from '../../src/trackers/jira/adf-text.js';
import { adfFromText } from '../../sandbox/jira/index.js';
import type { CascadeConfig, StrategyNode } from '../../src/strategy/tree-schema.js';
import { ExemptionStore } from '../../src/store/exemption-store.js';

let e2e: E2E | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

const DAY = 86_400_000;
const BOT = '712020:cascade-bot';
const PERSON = '712020:priya';

const config = exampleConfig();
const roots = config.objectives.map((o) => o.title);
const below = (nodes: StrategyNode[]): string[] => nodes.flatMap((n) => [n.title, ...below(n.children ?? [])]);
const deeper = config.objectives.flatMap((o) => below(o.children ?? []));

async function reveal(e: E2E, value: 'objective' | 'none'): Promise<void> {
  const headers = { authorization: `Bearer ${e.adminToken}` };
  const etag = (await fetch(`${e.url}/admin/config`, { headers })).headers.get('etag')!;
  const next: CascadeConfig = { ...config, rules: { ...config.rules, comment: { enabled: true, reveal: value } } };
  const put = await fetch(`${e.url}/admin/config`, { method: 'PUT', headers: { ...headers, 'content-type': 'application/json', 'if-match': etag }, body: JSON.stringify(next) });
  expect(put.status).toBe(200);
  await e.idle();
}

/** Checks the comment across the three settings: the whole path, then root objectives only, then none. */
async function narrowing(e: E2E, said: () => string, linkName: string): Promise<void> {
  const path = said();
  expect(deeper.some((title) => path.includes(title))).toBe(true);

  await reveal(e, 'objective');
  const objective = said();
  expect(objective).toContain(linkName);
  expect(roots.some((title) => objective.includes(title))).toBe(true);
  for (const title of deeper) expect(objective).not.toContain(title);
  expect(objective).not.toContain('›');

  await reveal(e, 'none');
  const none = said();
  expect(none).toContain(linkName);
  for (const title of [...roots, ...deeper]) expect(none).not.toContain(title);
}

describe('what a comment reveals', () => {
  it('Linear: narrowing reveal edits the comment down to the root objective, then to the project alone', async () => {
    e2e = await startE2E();
    const { store } = e2e.linear;
    const issue = store.createIssue({ team: 'ENG', title: 'Export the audit trail to CSV for auditors', createdAt: new Date(Date.now() - 2 * DAY).toISOString() });
    await e2e.idle();
    const said = () => {
      const own = store.commentsOn(issue.id).filter((c) => c.userId === store.bot.id);
      expect(own).toHaveLength(1);
      return own[0]!.body;
    };
    await narrowing(e2e, said, 'Audit log');
  });

  it('Jira: the same for a story, with the epic to link', async () => {
    e2e = await startE2E();
    const { store } = e2e.jira;
    const story = store.createIssue({ project: 'OPS', type: 'Story', summary: 'Speed up the dashboard page load', createdAt: Date.now() - 2 * DAY, actor: PERSON });
    await e2e.idle();
    const said = () => {
      const own = store.comments(story.key).filter((c) => c.authorId === BOT);
      expect(own).toHaveLength(1);
      return adfToText(own[0]!.body);
    };
    await narrowing(e2e, said, 'OPS-10');
  });

  it('Jira: a /cascade exempt in a comment only a role can see is confirmed without its reason', async () => {
    e2e = await startE2E();
    const { store } = e2e.jira;
    const story = store.createIssue({ project: 'OPS', type: 'Story', summary: 'Rotate the staging certificates', createdAt: Date.now() - 2 * DAY, actor: PERSON });
    await e2e.idle();
    expect(store.labels(story.key)).toContain('no-objective');

    store.addComment(story.key, adfFromText('/cascade exempt secret reason'), PERSON, undefined, undefined, { type: 'role', value: 'Administrators' });
    await e2e.idle();
    expect(store.labels(story.key)).not.toContain('no-objective');
    const own = store.comments(story.key).filter((c) => c.authorId === BOT).map((c) => adfToText(c.body));
    expect(own).toHaveLength(1);
    expect(own[0]).toContain('Exempt from objective checks');
    expect(own[0]).toContain('restricted comment');
    expect(own[0]).not.toContain('secret');
    // The reason is kept for the people who may read it (explain, the admin API).
    expect((await new ExemptionStore(e2e.cascade.redis, e2e.cascade.keys).get('jira', story.id))?.reason).toBe('secret reason');
  });
});
