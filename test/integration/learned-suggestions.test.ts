// Suggestions learned from the workspace, end to end: tickets people link under
// a node teach Cascade where similar orphans belong, through the real workers,
// the verdict records and the example stream; unlinking them unteaches it.
import { afterEach, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from '../support/e2e.js';
import { adfToText } from '../../src/trackers/jira/adf-text.js';

let e2e: E2E | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

const daysAgo = (n: number): string => new Date(Date.now() - n * 86_400_000).toISOString();

async function explain(e: E2E, tracker: 'linear' | 'jira', key: string): Promise<{ suggestions: { suggestions: { nodeId: string }[]; learnedFrom: number; ranked: { nodeId: string; score: number; confidence: number }[] } }> {
  const res = await fetch(`${e.url}/admin/explain/${tracker}/${key}`, { headers: { authorization: `Bearer ${e.adminToken}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as never;
}

const DARK_MODE = [
  { title: 'Dark mode for the dashboard', description: 'A dark colour theme that follows the system setting.' },
  { title: 'Dark theme colours for charts', description: 'Chart palette is unreadable on a dark background.' },
  { title: 'High contrast dark palette', description: 'Accessibility review asked for a dark high contrast theme.' },
];

describe('suggestions learned from linked tickets', () => {
  it('Linear: suggests the project people link similar work to, and forgets it when they unlink', async () => {
    e2e = await startE2E();
    const { store } = e2e.linear;
    const botComment = (id: string): string => store.commentsOn(id).find((c) => c.userId === store.bot.id)?.body ?? '';
    const linked = DARK_MODE.map((t) => store.createIssue({ team: 'WEB', ...t, project: 'Guided onboarding', createdAt: daysAgo(3) }));
    await e2e.idle();

    const orphan = store.createIssue({ team: 'WEB', title: 'Dark mode toggle in the web app', description: 'People want a dark theme for evening work.', createdAt: daysAgo(2) });
    await e2e.idle();
    expect(botComment(orphan.id)).toContain('Guided onboarding');
    const learned = await explain(e2e, 'linear', store.identifierOf(orphan));
    expect(learned.suggestions.learnedFrom).toBe(3);
    expect(learned.suggestions.suggestions[0]?.nodeId).toBe('onboarding');
    expect(learned.suggestions.ranked[0]?.confidence).toBeGreaterThan(0);

    for (const issue of linked) store.updateIssue(issue.id, { projectId: null });
    await e2e.idle();
    const later = store.createIssue({ team: 'WEB', title: 'Dark mode toggle in the web app', description: 'People want a dark theme for evening work.', createdAt: daysAgo(2) });
    await e2e.idle();
    expect(botComment(later.id)).toContain('not linked to a company objective');
    expect(botComment(later.id)).not.toContain('Guided onboarding');
    const forgotten = await explain(e2e, 'linear', store.identifierOf(later));
    expect(forgotten.suggestions.learnedFrom).toBe(0);
    expect(forgotten.suggestions.suggestions.map((s) => s.nodeId)).not.toContain('onboarding');
  });

  it('Jira: suggests the epic people put similar stories under', async () => {
    e2e = await startE2E();
    const { store } = e2e.jira;
    const PERSON = '712020:priya';
    const BOT = '712020:cascade-bot';
    const when = Date.now() - 3 * 86_400_000;
    for (const t of DARK_MODE) store.createIssue({ project: 'OPS', type: 'Story', summary: t.title, description: t.description, parent: 'OPS-10', createdAt: when, actor: PERSON });
    await e2e.idle();
    const orphan = store.createIssue({ project: 'OPS', type: 'Story', summary: 'Dark mode toggle in the web app', description: 'People want a dark theme for evening work.', createdAt: when, actor: PERSON });
    await e2e.idle();
    const comment = store.comments(orphan.key).filter((c) => c.authorId === BOT).map((c) => adfToText(c.body))[0] ?? '';
    expect(comment).toContain('OPS-10');
    expect((await explain(e2e, 'jira', orphan.key)).suggestions.suggestions[0]?.nodeId).toBe('performance');
  });
});
