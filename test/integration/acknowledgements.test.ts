// A person's choice wins: removing Cascade's label or deleting its comment
// acknowledges the verdict. Cascade writes nothing more on the ticket while the
// verdict stays the same, records who and when (explain shows it), and acts
// again only on a new verdict after the ticket was aligned.
import { afterEach, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from '../support/e2e.js';
import { exampleConfig } from '../support/example-config.js';
import { adfToText } from '../../src/trackers/jira/adf-text.js';

let e2e: E2E | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

const DAY = 86_400_000;

async function explain(e: E2E, tracker: string, ref: string): Promise<Record<string, unknown>> {
  const answer = await fetch(`${e.url}/admin/explain/${tracker}/${ref}`, { headers: { authorization: `Bearer ${e.adminToken}` } });
  expect(answer.status).toBe(200);
  return (await answer.json()) as Record<string, unknown>;
}

async function recheckAll(e: E2E): Promise<void> {
  const answer = await fetch(`${e.url}/admin/recheck`, { method: 'POST', headers: { authorization: `Bearer ${e.adminToken}`, 'content-type': 'application/json' }, body: '{}' });
  expect(answer.status).toBe(202);
  await e.idle();
}

describe('acknowledgements', () => {
  it('Linear: a label a person removes stays off, a comment a person deletes stays gone, until a new verdict', async () => {
    e2e = await startE2E();
    const { store } = e2e.linear;
    const own = (id: string) => store.commentsOn(id).filter((c) => c.userId === store.bot.id);
    const issue = store.createIssue({ team: 'ENG', title: 'Tidy the logging configuration', createdAt: new Date(Date.now() - 2 * DAY).toISOString() });
    await e2e.idle();
    expect(store.labelNamesOf(issue.id)).toContain('no-objective');
    expect(own(issue.id)).toHaveLength(1);

    store.setIssueLabels(issue.id, ['backend']); // the person takes Cascade's label off
    await e2e.idle();
    await recheckAll(e2e); // a re-check and the sweep behind it respect it too
    expect(store.labelNamesOf(issue.id)).toEqual(['backend']);
    const record = await e2e.cascade.verdicts.get('linear', issue.id);
    expect(record?.verdict).toBe('orphan');
    expect(record?.acknowledged).toMatchObject({ verdict: 'orphan', what: 'label', by: store.person.id, byName: store.person.name });
    const why = await explain(e2e, 'linear', issue.id);
    expect(why.acknowledged).toMatchObject({ by: store.person.id, what: 'label' });

    store.deleteComment(own(issue.id)[0]!.id); // and deletes its comment
    await e2e.idle();
    await recheckAll(e2e);
    expect(own(issue.id)).toHaveLength(0);
    expect(store.labelNamesOf(issue.id)).toEqual(['backend']);

    store.updateIssue(issue.id, { projectId: store.requireProject('Audit log').id }); // aligned: the acknowledgement ends
    await e2e.idle();
    expect((await e2e.cascade.verdicts.get('linear', issue.id))?.acknowledged).toBeUndefined();
    store.updateIssue(issue.id, { projectId: null }); // an orphan again: a new verdict, acted on
    await e2e.idle();
    expect(store.labelNamesOf(issue.id)).toContain('no-objective');
    expect(own(issue.id)).toHaveLength(1);
  });

  it('Jira: a deleted comment is not posted again, and with respect_people off it is', async () => {
    e2e = await startE2E();
    const { store } = e2e.jira;
    const bot = '712020:cascade-bot';
    const person = '712020:priya';
    const own = (key: string) => store.comments(key).filter((c) => c.authorId === bot);
    const story = store.createIssue({ project: 'OPS', type: 'Story', summary: 'Rotate the staging certificates', createdAt: Date.now() - 2 * DAY, actor: person });
    await e2e.idle();
    expect(own(story.key)).toHaveLength(1);
    expect(adfToText(own(story.key)[0]!.body)).toContain('not linked');

    store.deleteComment(story.key, own(story.key)[0]!.id, person);
    await e2e.idle();
    await recheckAll(e2e);
    expect(own(story.key)).toHaveLength(0);
    expect(store.labels(story.key)).toContain('no-objective'); // what the person left stays as it is
    const record = await e2e.cascade.verdicts.get('jira', story.id);
    expect(record?.acknowledged).toMatchObject({ verdict: 'orphan', what: 'comment', by: person });
    expect((await explain(e2e, 'jira', story.key)).acknowledged).toMatchObject({ by: person, what: 'comment' });

    store.updateIssue(story.key, { labels: [] }, person); // the label too: still acknowledged, nothing re-added
    await e2e.idle();
    expect(store.labels(story.key)).toEqual([]);

    const config = exampleConfig();
    config.rules!.respect_people = false;
    const put = await fetch(`${e2e.url}/admin/config`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${e2e.adminToken}`, 'content-type': 'application/json', 'if-match': (await fetch(`${e2e.url}/admin/config`, { headers: { authorization: `Bearer ${e2e.adminToken}` } })).headers.get('etag')! },
      body: JSON.stringify(config),
    });
    expect(put.status).toBe(200);
    await e2e.idle();
    await recheckAll(e2e);
    expect(own(story.key)).toHaveLength(1);
    expect(store.labels(story.key)).toContain('no-objective');
  });
});
