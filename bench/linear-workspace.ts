// A Linear workspace of many issues for the benches, on top of the demo
// workspace (which lines up with config/strategy.example.yaml): mostly work
// under the strategy's projects, sub-issues, exempt bugs, and a chosen share
// of orphan and stale work (the tickets a check must label and comment).
import type { IssueSpec, LinearStore } from '../sandbox/linear/index.js';
import { seedDemoWorkspace } from '../sandbox/linear/index.js';
import { daysAgo } from './cascade-kit.js';

const ALIGNED_PROJECTS = ['SSO', 'SCIM provisioning', 'Audit log', 'Guided onboarding', 'Performance sprint', 'Public API v2'];
export const TOPICS = ['login', 'export', 'search', 'billing', 'onboarding', 'dashboard', 'notifications', 'permissions', 'reports', 'mobile'];

/** Adds `count` open issues, `needsMarks` of them (0..1) orphan or stale, and returns their ids in creation order. */
export function seedLinearBacklog(store: LinearStore, count: number, needsMarks: number): string[] {
  seedDemoWorkspace(store);
  const every = needsMarks > 0 ? Math.max(1, Math.round(1 / needsMarks)) : Number.POSITIVE_INFINITY;
  const ids: string[] = [];
  let lastAligned: string | undefined;
  for (let i = 0; i < count; i++) {
    const base: IssueSpec = {
      team: i % 2 === 0 ? 'ENG' : 'WEB',
      title: `Improve the ${TOPICS[i % TOPICS.length]} flow, part ${i}`,
      createdAt: daysAgo(3 + (i % 20)),
      estimate: 1 + (i % 5),
      state: i % 3 === 0 ? 'started' : 'unstarted',
    };
    let spec: IssueSpec;
    let aligned = false;
    if (i % every === 0) spec = Math.floor(i / every) % 2 === 0 ? base : { ...base, project: 'Mobile beta' }; // orphan, or stale (retired objective)
    else if (i % 8 === 5 && lastAligned) spec = { ...base, parent: lastAligned };
    else if (i % 8 === 6) spec = { ...base, labels: ['bug'] };
    else {
      spec = { ...base, project: ALIGNED_PROJECTS[(i * 7) % ALIGNED_PROJECTS.length]! };
      aligned = true;
    }
    const issue = store.createIssue(spec);
    if (aligned) lastAligned = issue.id;
    ids.push(issue.id);
  }
  return ids;
}
