// A strategy change through the admin API reaches the running workers without
// a restart, and re-checks the open tickets it affects.
import { afterEach, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from '../support/e2e.js';

let e2e: E2E | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

describe('config hot reload', () => {
  it('a new version is used by running workers and re-checks affected tickets', async () => {
    e2e = await startE2E();
    const { store } = e2e.linear;
    const app = e2e.cascade.app!;
    const auth = { authorization: `Bearer ${e2e.adminToken}` };
    const issue = store.createIssue({ team: 'WEB', title: 'Tokens for the new design system', project: 'Design system refresh', createdAt: new Date(Date.now() - 2 * 86_400_000).toISOString() });
    await e2e.idle();
    expect(store.labelNamesOf(issue.id)).toContain('no-objective');

    const current = await app.inject({ method: 'GET', url: '/admin/config', headers: auth });
    const config = current.json() as { objectives: Array<{ id: string; children?: Array<{ id: string; match?: { linear?: { projects?: string[] } } }> }> };
    const onboarding = config.objectives.find((o) => o.id === 'retention')!.children!.find((c) => c.id === 'onboarding')!;
    onboarding.match!.linear!.projects!.push('Design system refresh');
    const put = await app.inject({ method: 'PUT', url: '/admin/config', headers: { ...auth, 'if-match': current.headers.etag as string }, payload: config });
    expect(put.statusCode).toBe(200);
    const version = (put.json() as { version: number }).version;

    await e2e.idle();
    expect(store.labelNamesOf(issue.id)).not.toContain('no-objective');
    const record = await e2e.cascade.verdicts.get('linear', issue.id);
    expect(record).toMatchObject({ verdict: 'aligned', configVersion: version });
  });
});
