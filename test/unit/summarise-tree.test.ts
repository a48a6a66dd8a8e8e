// The tree's summary (`cascade validate`, the start-up log) lists each tracker's
// match entries in that tracker's words, in the schema's order.
import { describe, expect, it } from 'vitest';
import { summariseTree } from '../../src/strategy/summarise-tree.js';
import { perTracker, TRACKERS } from '../../src/trackers/registry.js';

describe('the tree summary', () => {
  it("names every match entry in its tracker's words", () => {
    const summary = summariseTree(
      {
        objectives: [
          {
            id: 'enterprise',
            title: 'Enterprise readiness',
            match: { jira: { labels: ['sso'], issues: ['ENT-1'] }, linear: { labels: ['audit'], projects: ['Audit log'], initiatives: ['Enterprise'] } },
            children: [{ id: 'scim', title: 'SCIM', match: { jira: { issues: ['ENT-2'] } } }],
          },
        ],
      },
      perTracker((id) => TRACKERS[id].words),
    ).split('\n');
    expect(summary).toEqual([
      '1 objectives, 2 nodes, 6 match entries',
      '- enterprise: Enterprise readiness',
      '    ↳ initiative "Enterprise", project "Audit log", label audit, jira ENT-1, jira label sso',
      '  - scim: SCIM',
      '      ↳ jira ENT-2',
    ]);
  });
});
