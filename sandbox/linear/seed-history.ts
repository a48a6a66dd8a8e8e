// Twelve weeks of history for the demo workspace (seed.ts), so the forecasts have
// something to say: work finished week by week under each objective of
// config/strategy.example.yaml, unplanned work beside it, a ranked backlog, customer
// requests and the health people reported on their updates. Shaped so the demo digest
// shows one objective off track (Enterprise: more open work than its pace can finish
// by 31 Dec, and new work still coming in), one at risk (Retention) and one on track
// (Platform), an over-committed ENG team and Retention taking far more of the finished
// work than its target (a drift alert).
//
// Two parts, because a test creates the backlog while Cascade listens (so the checks
// see it) and the finished work while it does not (so only the backfill reads it).
import type { LinearStore } from './store.js';

const DAY_MS = 86_400_000;

/** Done per complete week, oldest (12 weeks ago) first. */
const DONE_PER_WEEK: Record<'enterprise' | 'retention' | 'platform' | 'orphanEng' | 'orphanWeb', number[]> = {
  enterprise: [3, 2, 4, 3, 3, 2, 4, 3, 2, 3, 3, 4],
  retention: [2, 8, 3, 7, 4, 8, 2, 7, 5, 6, 3, 7],
  platform: [2, 1, 2, 3, 2, 2, 1, 2, 3, 2, 2, 2],
  orphanEng: [1, 1, 2, 1, 1, 1, 2, 1, 1, 1, 2, 1],
  orphanWeb: [1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1],
};

const WORK = {
  enterprise: { team: 'ENG', projects: ['SSO', 'SCIM provisioning', 'Audit log'], titles: ['SAML assertion validation', 'SCIM group push', 'Audit log retention setting', 'OIDC discovery document', 'Just-in-time user provisioning', 'Audit event for role changes', 'Enforce SSO per domain', 'SCIM PATCH operations'] },
  retention: { team: 'WEB', projects: ['Guided onboarding', 'Performance sprint'], titles: ['Welcome tour step', 'Template gallery filter', 'Lazy-load the activity feed', 'Faster board rendering', 'Empty state for new projects', 'Trim the first page bundle', 'Progress ring in setup checklist', 'Prefetch the next page'] },
  platform: { team: 'ENG', projects: ['Public API v2'], titles: ['Rate limit headers', 'Webhook retries with backoff', 'API reference examples', 'OAuth scopes for tokens', 'Idempotency keys on POST'] },
  orphanEng: { team: 'ENG', projects: [], titles: ['Rotate staging certificates', 'Flaky export test', 'Bump Node in CI', 'Investigate slow query alert'] },
  orphanWeb: { team: 'WEB', projects: [], titles: ['Fix footer alignment', 'Update the careers page', 'Broken link in emails'] },
} as const;

/** Monday 00:00 UTC of the week `now` falls in. */
function mondayOf(now: number): number {
  const d = new Date(now);
  const day = (d.getUTCDay() + 6) % 7;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - day * DAY_MS;
}

/** Finished work of the last 12 complete weeks, done mid-week and created before the window (no scope growth of its own). */
export function seedDoneHistory(store: LinearStore, now: number = Date.now()): number {
  const monday = mondayOf(now);
  let made = 0;
  for (const [what, weeks] of Object.entries(DONE_PER_WEEK) as Array<[keyof typeof DONE_PER_WEEK, number[]]>) {
    const work = WORK[what];
    weeks.forEach((count, i) => {
      const weeksAgo = weeks.length - i;
      for (let k = 0; k < count; k++) {
        const doneAt = new Date(monday - weeksAgo * 7 * DAY_MS + (1 + (k % 4)) * DAY_MS + 10 * 3600_000).toISOString();
        const project = work.projects.length ? work.projects[(i + k) % work.projects.length] : undefined;
        store.createIssue({
          team: work.team, title: `${work.titles[(i * 3 + k) % work.titles.length]} (${made + 1})`, state: 'completed',
          createdAt: new Date(monday - (13 + (k % 3)) * 7 * DAY_MS).toISOString(), doneAt, estimate: 1 + ((i + k) % 3),
          ...(project ? { project } : {}),
        });
        made += 1;
      }
    });
  }
  return made;
}

/**
 * The open backlog behind the three objectives, in rank order (creation order), with
 * customer requests and reported health. Enterprise's backlog arrived through the window
 * (scope growth), the others' before it.
 */
export function seedForecastBacklog(store: LinearStore, now: number = Date.now()): void {
  const monday = mondayOf(now);
  const backlog = (what: 'enterprise' | 'retention' | 'platform', count: number, spreadWeeks: number): string[] => {
    const work = WORK[what];
    return Array.from({ length: count }, (_, k) => store.createIssue({
      team: work.team, title: `${work.titles[k % work.titles.length]}: next step ${k + 1}`, project: work.projects[k % work.projects.length]!, estimate: 1 + (k % 3),
      createdAt: new Date(spreadWeeks > 0 ? monday - (spreadWeeks - (k % spreadWeeks)) * 7 * DAY_MS + 2 * DAY_MS : monday - 15 * 7 * DAY_MS).toISOString(),
    }).id);
  };
  const enterprise = backlog('enterprise', 16, 12);
  const retention = backlog('retention', 3, 0);
  backlog('platform', 6, 0);

  const customers = [
    { name: 'Hooli', revenue: 2_000_000, tier: 'Enterprise' },
    { name: 'Acme Corp', revenue: 1_200_000, tier: 'Enterprise' },
    { name: 'Globex', revenue: 800_000, tier: 'Enterprise' },
    { name: 'Initech', revenue: 450_000, tier: 'Growth' },
    { name: 'Umbrella', revenue: 300_000, tier: 'Growth' },
  ];
  for (const c of customers) store.createCustomer(c);
  const ask = (customer: string, issue: string | undefined): void => {
    if (issue) store.createCustomerNeed({ customer, issue, priority: 1 });
  };
  ask('Hooli', enterprise[0]);
  ask('Acme Corp', enterprise[0]);
  ask('Acme Corp', enterprise[1]);
  ask('Globex', enterprise[2]);
  ask('Initech', retention[0]);
  ask('Umbrella', retention[1]);
  // CSV export: orphan work three customers ask for, a candidate objective. Any two of the
  // three tickets carry all three customers, so the theme stays a candidate when the demo links one.
  const csv = [...store.issues.values()].filter((i) => /CSV export/i.test(i.title) && i.projectId === null);
  const askers = [['Initech', 'Umbrella'], ['Globex', 'Initech'], ['Umbrella', 'Globex']];
  csv.slice(0, 3).forEach((issue, i) => askers[i]!.forEach((customer) => ask(customer, issue.id)));

  // People say Enterprise is on track; its numbers say otherwise.
  store.reportHealth('initiative', 'Enterprise readiness', 'onTrack');
  store.reportHealth('project', 'Guided onboarding', 'atRisk');
}
