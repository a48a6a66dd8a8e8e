// A Jira site of many issues for the benches, on top of the demo site (which
// lines up with config/strategy.example.yaml): stories under the strategy's
// epics, stories matched by label, sub-tasks created right after their story,
// exempt bugs, and a chosen share of orphan and stale stories.
import { JiraStore, seedDemoJira } from '../sandbox/jira/index.js';
import { DAY_MS } from './cascade-kit.js';
import { TOPICS } from './linear-workspace.js';

const EPICS: Array<[epic: string, project: string]> = [['ENT-2', 'ENT'], ['OPS-10', 'OPS'], ['API-1', 'API']];
const PROJECTS = ['ENT', 'OPS', 'API', 'MOB'];

/** Adds `count` open issues, `needsMarks` of them (0..1) orphan or stale; returns their keys. */
export function seedJiraBacklog(store: JiraStore, count: number, needsMarks: number, now = Date.now()): string[] {
  seedDemoJira(store);
  const every = needsMarks > 0 ? Math.max(1, Math.round(1 / needsMarks)) : Number.POSITIVE_INFINITY;
  const keys: string[] = [];
  let lastStory: { key: string; project: string } | undefined;
  for (let i = 0; i < count; i++) {
    const summary = `Improve the ${TOPICS[i % TOPICS.length]} flow, part ${i}`;
    const base = { summary, createdAt: now - (3 + (i % 20)) * DAY_MS, estimate: 1 + (i % 5), status: i % 3 === 0 ? 'In Progress' : 'To Do' };
    const project = PROJECTS[i % PROJECTS.length]!;
    let issue;
    if (i % every === 0) {
      issue = Math.floor(i / every) % 2 === 0
        ? store.createIssue({ ...base, project, type: 'Story' }) // orphan
        : store.createIssue({ ...base, project: 'MOB', type: 'Story', parent: 'MOB-1' }); // stale
    } else if (i % 8 === 5 && lastStory) issue = store.createIssue({ ...base, project: lastStory.project, type: 'Sub-task', parent: lastStory.key });
    else if (i % 8 === 6) issue = store.createIssue({ ...base, project, type: 'Bug' });
    else if (i % 8 === 7) issue = store.createIssue({ ...base, project: 'ENT', type: 'Story', labels: [i % 16 === 7 ? 'compliance' : 'marketplace'] });
    else {
      const [epic, epicProject] = EPICS[i % EPICS.length]!;
      issue = store.createIssue({ ...base, project: epicProject, type: 'Story', parent: epic });
      lastStory = { key: issue.key, project: epicProject };
    }
    keys.push(issue.key);
  }
  return keys;
}
