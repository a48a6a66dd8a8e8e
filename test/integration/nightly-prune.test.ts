// The nightly sweep forgets what it no longer sees, end to end: a whole
// Cascade against the Jira sandbox. A record whose ticket was deleted while
// its webhook was lost is forgotten; a labelled orphan whose project left the
// scope gets its normal check, which clears Cascade's label, and the next
// night forgets its record.
import { afterEach, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from '../support/e2e.js';
import { exampleConfig } from '../support/example-config.js';

let e2e: E2E | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

const PERSON = '712020:priya';

async function nightly(e: E2E): Promise<void> {
  await e.cascade.queues.sweeps.add('start-sweep', { start: 'nightly' });
  await e.idle();
}

describe('the nightly sweep', () => {
  it('forgets deleted and out-of-scope tickets, clearing its label through a check', async () => {
    e2e = await startE2E();
    const { store } = e2e.jira;
    const { verdicts, configStore } = e2e.cascade;
    const story = store.createIssue({ project: 'OPS', type: 'Story', summary: 'Rotate the on-call schedule export', createdAt: Date.now() - 2 * 86_400_000, actor: PERSON });
    await e2e.idle();
    expect(store.labels(story.key)).toContain('no-objective');
    // A ticket deleted while Cascade missed the webhook.
    await verdicts.put({ tracker: 'jira', id: '9999999', key: 'ENT-9999', title: 'Gone', state: 'open', verdict: 'aligned', objectiveIds: [], checkedAt: new Date(Date.now() - 86_400_000).toISOString(), configVersion: 1 });

    // OPS leaves the scope.
    const config = exampleConfig();
    config.rules!.scope!.jira = { projects: ['ENT', 'API', 'MOB'] };
    await configStore.put(config, { author: 'test', summary: ['OPS out of scope'], expected: (await configStore.currentVersion())! });
    await e2e.idle();

    await nightly(e2e);
    expect(await verdicts.get('jira', '9999999')).toBeNull();
    expect(store.labels(story.key)).not.toContain('no-objective');
    expect((await verdicts.get('jira', story.id))?.verdict).toBe('exempt');

    await nightly(e2e);
    expect(await verdicts.get('jira', story.id)).toBeNull();
  }, 60_000);
});
