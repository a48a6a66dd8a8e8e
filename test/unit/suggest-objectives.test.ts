import { describe, expect, it } from 'vitest';
import { compileStrategy } from '../../src/strategy/strategy-index.js';
import { suggestObjectives } from '../../src/strategy/suggest-objectives.js';
import { exampleConfig } from '../support/example-config.js';
import { NOW } from '../support/tickets.js';

const index = compileStrategy(exampleConfig());

describe('objective suggestions', () => {
  it('ranks the closest objective first and offers the Linear project to link', () => {
    const [first] = suggestObjectives(index, { tracker: 'linear', title: 'Support Okta SAML login for single sign-on' }, NOW);
    expect(first?.nodeId).toBe('sso-saml');
    expect(first?.path).toEqual([
      'Expand into the enterprise segment',
      'Security and compliance that passes procurement',
      'Identity and access for large organisations',
      'SAML single sign-on',
    ]);
  });

  it('offers links in the ticket’s own tracker, from descendants when the node has none', () => {
    const linear = suggestObjectives(index, { tracker: 'linear', title: 'Slow page load on the dashboard', description: 'search latency is bad' }, NOW);
    expect(linear[0]?.nodeId).toBe('performance');
    expect(linear[0]?.links).toContainEqual({ kind: 'project', name: 'Performance sprint' });
    const jira = suggestObjectives(index, { tracker: 'jira', title: 'Audit log export for auditors' }, NOW);
    expect(jira[0]?.nodeId).toBe('audit');
    expect(jira[0]?.links).toEqual([{ kind: 'label', name: 'compliance' }]);
  });

  it('returns at most three, never a retired objective', () => {
    const all = suggestObjectives(index, { tracker: 'linear', title: 'mobile apps for iOS and Android field teams, api, admin, onboarding, audit' }, NOW);
    expect(all.length).toBeLessThanOrEqual(3);
    expect(all.map((s) => s.nodeId)).not.toContain('mobile-launch');
  });

  it('returns nothing for empty or stop-word-only text', () => {
    expect(suggestObjectives(index, { tracker: 'linear', title: '' }, NOW)).toEqual([]);
    expect(suggestObjectives(index, { tracker: 'linear', title: 'the and of' }, NOW)).toEqual([]);
  });
});
