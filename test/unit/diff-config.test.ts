import { describe, expect, it } from 'vitest';
import { diffConfig, MAX_DIFF_LINES } from '../../src/config/diff-config.js';
import type { CascadeConfig, StrategyNode } from '../../src/strategy/tree-schema.js';
import { exampleConfig } from '../support/example-config.js';

function node(config: CascadeConfig, id: string): StrategyNode {
  const find = (nodes: StrategyNode[]): StrategyNode | undefined => {
    for (const n of nodes) {
      if (n.id === id) return n;
      const inner = find(n.children ?? []);
      if (inner) return inner;
    }
    return undefined;
  };
  const found = find(config.objectives);
  if (!found) throw new Error(`no node ${id}`);
  return found;
}

describe('diffConfig', () => {
  it('summarises a first version', () => {
    expect(diffConfig(null, exampleConfig())).toEqual(['first version: 4 objectives, 13 nodes in all']);
  });

  it('says nothing for an identical config', () => {
    expect(diffConfig(exampleConfig(), exampleConfig())).toEqual([]);
  });

  it('names added and removed nodes, without repeating their match entries', () => {
    const after = exampleConfig();
    after.objectives = after.objectives.filter((o) => o.id !== 'mobile-launch');
    node(after, 'retention').children?.push({ id: 'churn', title: 'Cut churn', match: { linear: { labels: ['churn'] } } });
    expect(diffConfig(exampleConfig(), after)).toEqual([
      'added "churn" (Cut churn) under "retention"',
      'removed "mobile-launch" (Launch the mobile apps)',
    ]);
  });

  it('names a node moved to another parent, retitled, retired and reactivated', () => {
    const after = exampleConfig();
    const enterprise = node(after, 'enterprise');
    const admin = enterprise.children!.pop()!;
    node(after, 'platform').children!.push(admin);
    node(after, 'audit').title = 'Audit trail';
    node(after, 'marketplace').status = 'retired';
    delete node(after, 'mobile-launch').status;
    // In the new tree's order: the moved node now comes after platform's own children.
    expect(diffConfig(exampleConfig(), after)).toEqual([
      'renamed "audit": "Audit log and compliance exports" → "Audit trail"',
      'retired "marketplace"',
      'moved "enterprise-admin" from under "enterprise" to under "platform"',
      'reactivated "mobile-launch"',
    ]);
  });

  it('names period, target_share, owner and description changes', () => {
    const after = exampleConfig();
    node(after, 'platform').period = { start: '2026-07-01', end: '2026-12-31' };
    node(after, 'retention').target_share = 0.3;
    delete node(after, 'enterprise-admin').target_share;
    node(after, 'retention').owner = 'COO';
    node(after, 'onboarding').description = 'Shorter.';
    // In tree order: enterprise-admin sits under the first objective.
    expect(diffConfig(exampleConfig(), after)).toEqual([
      'target_share of "enterprise-admin": 0.4 → none',
      'target_share of "retention": 0.35 → 0.3',
      'owner of "retention": Head of Growth → COO',
      'description of "onboarding" changed',
      'period of "platform": 2026-07-01..2027-06-30 → 2026-07-01..2026-12-31',
    ]);
  });

  it('reads an entry handed to another node as a move, and names added and removed entries', () => {
    const after = exampleConfig();
    node(after, 'identity').match = { linear: { projects: ['SSO'] } };
    node(after, 'audit').match!.linear!.projects = ['Audit log', 'scim provisioning'];
    node(after, 'marketplace').match = { jira: { labels: ['marketplace', 'partners'] } };
    delete node(after, 'performance').match!.jira;
    expect(diffConfig(exampleConfig(), after)).toEqual([
      'match linear.projects "scim provisioning" moved from "identity" to "audit"',
      'match jira.labels "partners" added to "marketplace"',
      'match jira.issues "OPS-10" removed from "performance"',
    ]);
  });

  it('names changed rules, with values for scalars', () => {
    const after = exampleConfig();
    after.rules!.grace_minutes = 60;
    after.rules!.exempt = { labels: ['bug'] };
    delete after.rules!.dry_run;
    after.levels = ['company', 'theme', 'goal', 'feature'];
    expect(diffConfig(exampleConfig(), after)).toEqual([
      'levels: [company, portfolio, product, feature] → [company, theme, goal, feature]',
      'rules.exempt changed',
      'rules.grace_minutes: 120 → 60',
      'rules.dry_run: false → default',
    ]);
  });

  it('keeps a wholesale rewrite short', () => {
    const after = exampleConfig();
    after.objectives = Array.from({ length: 100 }, (_, i) => ({ id: `o-${i}`, title: `Objective ${i}` }));
    const lines = diffConfig(exampleConfig(), after);
    expect(lines).toHaveLength(MAX_DIFF_LINES);
    expect(lines.at(-1)).toMatch(/^… and \d+ more changes$/);
  });
});
