// A small, believable workspace that lines up with config/strategy.example.yaml:
// aligned work under the strategy's initiatives and projects, orphans that share
// themes (dark mode, CSV export) for the digest's bottom-up signal, a stale
// ticket under the retired objective's project, an exempt bug and closed work.
import type { LinearStore } from './store.js';

const DAY_MS = 86_400_000;

type Row = [team: string, title: string, extra?: {
  project?: string; parent?: number; labels?: string[]; state?: string; estimate?: number; age?: number; description?: string;
}];

// Parents refer to earlier rows by index, so the table reads top-down.
const ISSUES: Row[] = [
  /* 0 */ ['ENG', 'SAML login with Okta', { project: 'SSO', estimate: 5, state: 'started' }],
  /* 1 */ ['ENG', 'Map Okta groups to workspace roles', { parent: 0, estimate: 3 }],
  /* 2 */ ['ENG', 'Azure AD metadata import', { project: 'SSO', estimate: 3 }],
  /* 3 */ ['ENG', 'SCIM 2.0 users endpoint', { project: 'SCIM provisioning', estimate: 8, state: 'started' }],
  /* 4 */ ['ENG', 'Deprovision users when SCIM deletes them', { parent: 3, estimate: 2 }],
  /* 5 */ ['ENG', 'Record admin actions in the audit log', { project: 'Audit log', estimate: 5 }],
  /* 6 */ ['ENG', 'Export the audit log as CSV for auditors', { project: 'Audit log', estimate: 2, state: 'completed' }],
  /* 7 */ ['WEB', 'Seat usage report in the admin console', { labels: ['admin-console'], estimate: 3 }],
  /* 8 */ ['WEB', 'Checklist for the first workspace setup', { project: 'Guided onboarding', estimate: 3, state: 'started' }],
  /* 9 */ ['WEB', 'Sample project with demo data', { project: 'Guided onboarding', estimate: 2 }],
  /* 10 */ ['WEB', 'Import tasks from a spreadsheet', { parent: 8, estimate: 5 }],
  /* 11 */ ['ENG', 'Cut dashboard load time under one second', { project: 'Performance sprint', estimate: 5 }],
  /* 12 */ ['ENG', 'Cache search results per workspace', { labels: ['performance'], estimate: 3 }],
  /* 13 */ ['ENG', 'Cursor pagination for the v2 issues endpoint', { project: 'Public API v2', estimate: 3 }],
  /* 14 */ ['ENG', 'Personal API tokens with scopes', { project: 'Public API v2', estimate: 5, state: 'canceled' }],
  /* 15 */ ['WEB', 'Offline mode for the field app', { project: 'Mobile beta', estimate: 8, age: 60 }],
  /* 16 */ ['WEB', 'Dark mode for the web app', { estimate: 5, description: 'Users keep asking for a dark theme at night.' }],
  /* 17 */ ['WEB', 'Dark mode for email notifications', { estimate: 2 }],
  /* 18 */ ['WEB', 'Respect the system dark mode setting', { estimate: 1 }],
  /* 19 */ ['ENG', 'CSV export of the project list', { estimate: 3 }],
  /* 20 */ ['ENG', 'CSV export for time tracking entries', { estimate: 3 }],
  /* 21 */ ['WEB', 'Bulk CSV export of tasks', { estimate: 5, description: 'Customers want to take their data to spreadsheets.' }],
  /* 22 */ ['WEB', 'Refresh button styles to the new palette', { project: 'Design system refresh', estimate: 2 }],
  /* 23 */ ['ENG', 'Crash when a comment contains an emoji at the end', { labels: ['bug'], estimate: 1 }],
  /* 24 */ ['ENG', 'Upgrade the Postgres driver', { estimate: 1, state: 'completed' }],
  /* 25 */ ['WEB', 'Keyboard shortcuts help sheet', { estimate: 2 }],
];

export function seedDemoWorkspace(store: LinearStore, now: number = Date.now()): void {
  const daysAgo = (days: number) => new Date(now - days * DAY_MS).toISOString();
  store.createTeam({ key: 'ENG', name: 'Engineering' });
  store.createTeam({ key: 'WEB', name: 'Web' });
  for (const name of ['Priya Natarajan', 'Tomás Silva', 'Mei Chen']) store.createUser({ name });
  for (const name of ['bug', 'admin-console', 'performance', 'ktlo']) store.createLabel({ name });

  store.createInitiative({ name: 'Company strategy FY2026' });
  store.createInitiative({ name: 'Enterprise readiness', parent: 'Company strategy FY2026' });
  store.createInitiative({ name: 'Activation and retention' });
  store.createInitiative({ name: 'Developer platform' });
  store.createInitiative({ name: 'Mobile', status: 'Completed' });

  const projects: Array<[string, string[], ('started' | 'completed')?, string[]?]> = [
    ['SSO', ['Enterprise readiness']],
    ['SCIM provisioning', ['Enterprise readiness']],
    ['Audit log', ['Enterprise readiness']],
    ['Guided onboarding', ['Activation and retention'], 'started', ['WEB']],
    ['Performance sprint', ['Activation and retention'], 'started', ['ENG']],
    ['Public API v2', ['Developer platform']],
    ['Mobile beta', ['Mobile'], 'completed'],
    ['Design system refresh', []],
  ];
  for (const [name, initiatives, status, teams] of projects) store.createProject({ name, initiatives, status: status ?? 'started', ...(teams ? { teams } : {}) });

  const created: string[] = [];
  ISSUES.forEach(([team, title, extra = {}], index) => {
    const parent = extra.parent === undefined ? undefined : created[extra.parent];
    const issue = store.createIssue({
      team, title, createdAt: daysAgo(extra.age ?? 3 + (index % 11)),
      ...(extra.description ? { description: extra.description } : {}),
      ...(extra.project ? { project: extra.project } : {}),
      ...(parent ? { parent } : {}),
      ...(extra.labels ? { labels: extra.labels } : {}),
      ...(extra.state ? { state: extra.state } : {}),
      ...(extra.estimate === undefined ? {} : { estimate: extra.estimate }),
    });
    created.push(issue.id);
  });
}
