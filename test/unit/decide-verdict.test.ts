import { describe, expect, it } from 'vitest';
import { compileStrategy } from '../../src/strategy/strategy-index.js';
import { decideVerdict, explainVerdict } from '../../src/strategy/decide-verdict.js';
import { PARENT_DEPTH } from '../../src/strategy/limits.js';
import { exampleConfig } from '../support/example-config.js';
import { NOW, initiative, jiraTicket, linearTicket, parent, project } from '../support/tickets.js';

const index = compileStrategy(exampleConfig());

describe('verdicts for Linear tickets', () => {
  it('is aligned through the project, with the path up to the root objective', () => {
    const r = decideVerdict(index, linearTicket({ project: project('SSO') }), NOW);
    expect(r.verdict).toBe('aligned');
    expect(r.paths[0]!.nodeIds).toEqual(['identity', 'enterprise-security', 'enterprise']);
    expect(r.objectiveIds).toEqual(['identity', 'enterprise-security', 'enterprise']);
  });

  it('matches project and initiative names regardless of case and spacing', () => {
    const r = decideVerdict(index, linearTicket({ project: project('  audit LOG ') }), NOW);
    expect(r.verdict).toBe('aligned');
  });

  it('is aligned through an initiative the project belongs to', () => {
    const r = decideVerdict(index, linearTicket({ project: project('Billing revamp', [initiative('Activation and retention')]) }), NOW);
    expect(r.verdict).toBe('aligned');
    expect(r.paths[0]!.via).toEqual(['ENG-1', 'project Billing revamp', 'initiative Activation and retention']);
  });

  it('is aligned through a parent initiative two levels up', () => {
    const root = initiative('Developer platform');
    const r = decideVerdict(index, linearTicket({ project: project('Webhooks', [initiative('Integrations', root)]) }), NOW);
    expect(r.verdict).toBe('aligned');
    expect(r.objectiveIds).toEqual(['platform']);
  });

  it('is aligned through a label on a parent issue', () => {
    const r = decideVerdict(index, linearTicket({ parents: [parent('ENG-9', { labels: ['Admin-Console'] })] }), NOW);
    expect(r.verdict).toBe('aligned');
    expect(r.paths[0]!.rule).toBe('linear.labels');
  });

  it('is aligned through the project of a grandparent', () => {
    const r = decideVerdict(index, linearTicket({ parents: [parent('ENG-2'), parent('ENG-3', { project: project('Public API v2') })] }), NOW);
    expect(r.verdict).toBe('aligned');
    expect(r.paths[0]!.via).toEqual(['ENG-1', 'ENG-2', 'ENG-3', 'project Public API v2']);
  });

  it('is an orphan with no parent and no project, and the trace says where the chain ends', () => {
    const r = explainVerdict(index, linearTicket({ labels: ['frontend'] }), NOW);
    expect(r.verdict).toBe('orphan');
    expect(r.paths).toEqual([]);
    expect(r.trace.join('\n')).toContain('ENG-1: labels [frontend] match no node');
    expect(r.trace[r.trace.length - 1]).toMatch(/chain ends at ENG-1/);
  });

  it('explains with the verdict a check gives, and the trace survives JSON', () => {
    const ticket = linearTicket({ parents: [parent('ENG-2'), parent('ENG-3', { project: project('Public API v2') })] });
    const explained = explainVerdict(index, ticket, NOW);
    const { trace, ...verdict } = explained;
    expect(verdict).toEqual(decideVerdict(index, ticket, NOW));
    expect(trace.length).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(explained)).trace).toEqual(trace);
  });

  it('names the hop where the chain breaks: a project in no initiative', () => {
    const r = explainVerdict(index, linearTicket({ parents: [parent('ENG-7', { project: project('Design system refresh') })] }), NOW);
    expect(r.verdict).toBe('orphan');
    expect(r.trace.join('\n')).toContain('project "Design system refresh" matches no node and belongs to no initiative');
  });

  it('is stale when its only lineage is a retired objective', () => {
    const r = decideVerdict(index, linearTicket({ project: project('Mobile beta') }), NOW);
    expect(r.verdict).toBe('stale');
    expect(r.reason).toContain('"mobile-launch" is retired');
    expect(r.objectiveIds).toEqual(['mobile-launch']);
  });

  it('is stale when the objective period has ended, and aligned on its last day', () => {
    const config = exampleConfig();
    config.objectives[1]!.period = { start: '2026-07-01', end: '2026-11-22' };
    const ended = compileStrategy(config);
    const ticket = linearTicket({ project: project('Guided onboarding') });
    const r = decideVerdict(ended, ticket, NOW);
    expect(r.verdict).toBe('stale');
    expect(r.reason).toContain('"retention" ended on 2026-11-22');
    expect(decideVerdict(ended, ticket, new Date('2026-11-22T23:59:00Z')).verdict).toBe('aligned');
  });

  it('a child inherits its parent period', () => {
    const config = exampleConfig();
    config.objectives[0]!.period = { start: '2026-01-01', end: '2026-10-31' };
    const r = decideVerdict(compileStrategy(config), linearTicket({ project: project('SSO') }), NOW);
    expect(r.verdict).toBe('stale');
  });

  it('a node under a retired parent is retired too', () => {
    const config = exampleConfig();
    config.objectives[0]!.children![0]!.status = 'retired';
    const r = decideVerdict(compileStrategy(config), linearTicket({ project: project('SSO') }), NOW);
    expect(r.verdict).toBe('stale');
    expect(r.reason).toContain('"enterprise-security" is retired');
  });

  it('with one retired and one active path, the active one wins', () => {
    const r = decideVerdict(index, linearTicket({ labels: ['performance'], project: project('Mobile beta') }), NOW);
    expect(r.verdict).toBe('aligned');
    expect(r.paths).toHaveLength(2);
    expect(r.objectiveIds).toEqual(['performance', 'retention']);
  });

  it('records every path when several nodes match', () => {
    const r = decideVerdict(index, linearTicket({ labels: ['admin-console'], project: project('SSO', [initiative('Enterprise readiness')]) }), NOW);
    expect(r.paths.map((p) => p.nodeIds[0]).sort()).toEqual(['enterprise', 'enterprise-admin', 'identity']);
    expect(new Set(r.objectiveIds).size).toBe(r.objectiveIds.length);
  });

  it('is pending inside the grace period, with the time to look again', () => {
    const r = decideVerdict(index, linearTicket({ createdAt: '2026-11-23T11:00:00Z' }), NOW);
    expect(r.verdict).toBe('pending');
    expect(r.recheckAt).toBe('2026-11-23T13:00:00.000Z');
  });

  it('is aligned rather than pending when linked within the grace period', () => {
    const r = decideVerdict(index, linearTicket({ createdAt: '2026-11-23T11:59:00Z', project: project('SSO') }), NOW);
    expect(r.verdict).toBe('aligned');
  });

  it('grace_minutes 0 means no grace', () => {
    const config = exampleConfig();
    config.rules!.grace_minutes = 0;
    expect(decideVerdict(compileStrategy(config), linearTicket({ createdAt: NOW.toISOString() }), NOW).verdict).toBe('orphan');
  });

  it('closed work is closed whatever its lineage, and keeps its objectives for the digest', () => {
    const r = decideVerdict(index, linearTicket({ state: 'closed', stateName: 'Done', project: project('SSO') }), NOW);
    expect(r.verdict).toBe('closed');
    expect(r.objectiveIds[0]).toBe('identity');
    expect(decideVerdict(index, linearTicket({ state: 'closed' }), NOW).verdict).toBe('closed');
  });

  it('exempts out-of-scope teams, exempt labels in any case', () => {
    const out = decideVerdict(index, linearTicket({ team: 'SALES' }), NOW);
    expect(out.verdict).toBe('exempt');
    expect(out.exemptBy).toEqual({ kind: 'scope', value: 'SALES' });
    const bug = decideVerdict(index, linearTicket({ labels: ['Bug'] }), NOW);
    expect(bug.exemptBy).toEqual({ kind: 'label', value: 'Bug' });
  });

  it('without a scope rule every team is in scope', () => {
    const config = exampleConfig();
    delete config.rules!.scope;
    expect(decideVerdict(compileStrategy(config), linearTicket({ team: 'SALES' }), NOW).verdict).toBe('orphan');
  });
});

describe('verdicts for Jira tickets', () => {
  it('is aligned when an issue key up the parent chain is listed', () => {
    const r = decideVerdict(index, jiraTicket({ parents: [parent('ENT-2', { issueType: 'Epic' }), parent('ENT-1', { issueType: 'Initiative' })] }), NOW);
    expect(r.verdict).toBe('aligned');
    expect(r.paths.map((p) => p.nodeIds[0]).sort()).toEqual(['enterprise-security', 'sso-saml']);
  });

  it('matches the ticket itself when its own key is listed', () => {
    expect(decideVerdict(index, jiraTicket({ key: 'ENT-2', issueType: 'Epic' }), NOW).verdict).toBe('aligned');
  });

  it('uses Jira labels, not Linear ones', () => {
    expect(decideVerdict(index, jiraTicket({ labels: ['compliance'] }), NOW).verdict).toBe('aligned');
    expect(decideVerdict(index, jiraTicket({ labels: ['admin-console'] }), NOW).verdict).toBe('orphan');
  });

  it('exempts exempt issue types and out-of-scope projects', () => {
    expect(decideVerdict(index, jiraTicket({ issueType: 'Bug' }), NOW).exemptBy).toEqual({ kind: 'issue_type', value: 'Bug' });
    expect(decideVerdict(index, jiraTicket({ team: 'HR' }), NOW).verdict).toBe('exempt');
  });

  it('is stale under a retired epic', () => {
    const r = decideVerdict(index, jiraTicket({ team: 'MOB', parents: [parent('MOB-1', { issueType: 'Epic' })] }), NOW);
    expect(r.verdict).toBe('stale');
  });
});

describe('hostile data', () => {
  it('stops at a parent chain that loops', () => {
    const r = explainVerdict(index, linearTicket({ parents: [parent('ENG-2'), parent('ENG-3'), parent('ENG-1'), parent('ENG-4', { labels: ['performance'] })] }), NOW);
    expect(r.verdict).toBe('orphan');
    expect(r.trace.join('\n')).toContain('loops back to it');
  });

  it('stops at an initiative chain that loops (objects that refer to each other)', () => {
    const a = initiative('A');
    const b = initiative('B', a);
    a.parent = b;
    const r = explainVerdict(index, linearTicket({ project: project('X', [a]) }), NOW);
    expect(r.verdict).toBe('orphan');
    expect(r.trace.join('\n')).toContain('initiative chain loops');
  });

  it('cuts parent chains deeper than the limit', () => {
    const parents = Array.from({ length: 40 }, (_, i) => parent(`ENG-${i + 100}`));
    parents[39] = parent('ENG-139', { project: project('SSO') });
    const r = explainVerdict(index, linearTicket({ parents }), NOW);
    expect(r.verdict).toBe('orphan');
    expect(r.trace.join('\n')).toContain(`more than ${PARENT_DEPTH} parent levels`);
  });

  it('survives missing and malformed fields', () => {
    const broken = { tracker: 'linear', id: 'x', key: 'ENG-1', title: 'x', state: 'open', team: 'ENG', createdAt: 'not a date' } as unknown as Parameters<typeof decideVerdict>[1];
    expect(decideVerdict(index, broken, NOW).verdict).toBe('orphan');
    const weird = linearTicket({ labels: [null, 42, 'performance'] as unknown as string[], parents: [null, { key: 7 }] as unknown as [] });
    expect(decideVerdict(index, weird, NOW).verdict).toBe('aligned');
  });
});
