// A small, believable Jira site for the demo, lined up with
// config/strategy.example.yaml: ENT-1 and ENT-2 (security, SSO), OPS-10
// (performance), API-1 (public API), MOB-1 (the retired mobile objective), plus
// orphan stories that share themes (CSV export, dark mode) for the digest.
import { adfFromText } from './adf.js';
import type { JiraStore } from './store.js';
import type { SandboxUser } from './types.js';

/** The bot account the demo's adapter logs in as (Basic auth email + API token). */
export const DEMO_JIRA_BOT = { email: 'cascade-bot@example.com', apiToken: 'sandbox-api-token', displayName: 'Cascade' } as const;

export interface DemoJira {
  bot: SandboxUser;
  people: SandboxUser[];
}

interface SeedIssue {
  key: string;
  type: string;
  summary: string;
  parent?: string;
  labels?: string[];
  status?: string;
  daysOld: number;
  estimate?: number;
  description?: string;
}

const PROJECTS = [
  { key: 'ENT', name: 'Enterprise' },
  { key: 'OPS', name: 'Operations' },
  { key: 'API', name: 'Platform API' },
  { key: 'MOB', name: 'Mobile' },
];

const ISSUES: SeedIssue[] = [
  { key: 'ENT-1', type: 'Initiative', summary: 'Security & compliance', daysOld: 90, description: 'Everything procurement asks for: SSO, audit evidence, data residency.' },
  { key: 'ENT-2', type: 'Epic', summary: 'SAML SSO', parent: 'ENT-1', daysOld: 80 },
  { key: 'ENT-3', type: 'Story', summary: 'Okta SAML login for enterprise tenants', parent: 'ENT-2', daysOld: 60, estimate: 5, status: 'In Progress' },
  { key: 'ENT-4', type: 'Story', summary: 'Import Azure AD SAML metadata from a URL', parent: 'ENT-2', daysOld: 55, estimate: 3 },
  { key: 'ENT-5', type: 'Sub-task', summary: 'Tests for SAML assertion signature validation', parent: 'ENT-3', daysOld: 50, estimate: 1 },
  { key: 'ENT-6', type: 'Story', summary: 'Export the audit log as CSV for auditors', labels: ['compliance'], daysOld: 40, estimate: 3 },
  { key: 'ENT-7', type: 'Story', summary: 'CSV export of the member list', daysOld: 21, estimate: 2, description: 'Admins want to download every member with role and last login.' },
  { key: 'ENT-8', type: 'Story', summary: 'Dark mode for the admin console', daysOld: 18, estimate: 5 },
  { key: 'ENT-9', type: 'Bug', summary: 'SSO redirect loops on Safari 17', daysOld: 6, estimate: 2 },
  { key: 'OPS-10', type: 'Epic', summary: 'Performance', daysOld: 70, description: 'Page load under one second and faster search.' },
  { key: 'OPS-11', type: 'Story', summary: 'Cut dashboard load time under one second', parent: 'OPS-10', daysOld: 45, estimate: 8, status: 'In Progress' },
  { key: 'OPS-12', type: 'Story', summary: 'Cache search results per workspace', parent: 'OPS-10', daysOld: 30, estimate: 5 },
  { key: 'OPS-13', type: 'Story', summary: 'Rotate on-call runbook owners every quarter', daysOld: 25, estimate: 1 },
  { key: 'OPS-14', type: 'Story', summary: 'CSV export of incident history', daysOld: 12, estimate: 3 },
  { key: 'OPS-15', type: 'Story', summary: 'Upgrade Postgres to 16', status: 'Done', daysOld: 35, estimate: 5 },
  { key: 'API-1', type: 'Epic', summary: 'Public REST API v2', daysOld: 75 },
  { key: 'API-2', type: 'Story', summary: 'Cursor pagination for /v2/tickets', parent: 'API-1', daysOld: 33, estimate: 3 },
  { key: 'API-3', type: 'Story', summary: 'Per-token rate limits with Retry-After', parent: 'API-1', daysOld: 28, estimate: 5 },
  { key: 'API-4', type: 'Story', summary: 'Dark mode for the API documentation site', daysOld: 9, estimate: 2 },
  { key: 'API-5', type: 'Story', summary: 'Install flow for marketplace apps', labels: ['marketplace'], daysOld: 15, estimate: 8 },
  { key: 'MOB-1', type: 'Epic', summary: 'Mobile apps beta', daysOld: 200 },
  { key: 'MOB-2', type: 'Story', summary: 'Offline mode for field technicians', parent: 'MOB-1', daysOld: 120, estimate: 8 },
  { key: 'MOB-3', type: 'Story', summary: 'Dark mode on iOS', daysOld: 14, estimate: 3 },
  { key: 'MOB-4', type: 'Story', summary: 'CSV export from mobile reports', daysOld: 7, estimate: 2 },
];

export function seedDemoJira(store: JiraStore): DemoJira {
  const bot = store.createUser({ ...DEMO_JIRA_BOT, accountType: 'app', accountId: '712020:cascade-bot' });
  const people = [
    store.createUser({ displayName: 'Priya Raman', email: 'priya@example.com', accountId: '712020:priya' }),
    store.createUser({ displayName: 'Tomás Ortega', email: 'tomas@example.com', accountId: '712020:tomas' }),
  ];
  for (const project of PROJECTS) store.createProject(project);
  const day = 86_400_000;
  ISSUES.forEach((seed, i) => {
    const [project = '', number] = seed.key.split('-');
    store.createIssue({
      project,
      number: Number(number),
      type: seed.type,
      summary: seed.summary,
      description: seed.description ?? null,
      parent: seed.parent ?? null,
      labels: seed.labels ?? [],
      status: seed.status ?? 'To Do',
      estimate: seed.estimate ?? null,
      createdAt: store.now() - seed.daysOld * day,
      actor: people[i % people.length]?.accountId,
    });
  });
  store.addComment('ENT-7', adfFromText('Three enterprise prospects asked for this in the last month.'), people[0]?.accountId, store.now() - 20 * day);
  return { bot, people };
}
