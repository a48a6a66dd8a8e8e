// Synthetic verdict records over the example strategy tree, for the digest bench
// and the browser test: realistic titles, teams, estimates and a few planted
// orphan clusters (the themes the digest should find), deterministic by seed.
import type { CascadeConfig, StrategyNode } from '../src/strategy/tree-schema.js';
import type { VerdictRecord } from '../src/records/verdict-record.js';
import type { Verdict } from '../src/strategy/types.js';
import { mulberry32 } from '../src/forecast/prng.js';

/** A tiny seeded PRNG, so every run builds the same data (and every machine the same split): the forecasts' own. */
export const prng = mulberry32;

const VERBS = ['Add', 'Fix', 'Improve', 'Refactor', 'Update', 'Investigate', 'Support', 'Clean up', 'Speed up', 'Document'];
const THINGS = [
  'settings page', 'billing form', 'search results', 'team invites', 'project list', 'notifications',
  'activity feed', 'permissions check', 'file uploads', 'comment editor', 'sidebar', 'email digest',
  'keyboard shortcuts', 'date picker', 'user profile', 'API tokens', 'webhook retries', 'empty states',
];
const NOISE = ['flaky', 'slow', 'broken', 'confusing', 'missing', 'legacy', 'duplicate', 'inconsistent', 'mobile', 'dark'];
/** Orphan clusters: work that shares a subject no objective names. */
const CLUSTERS = [
  ['Dark mode for the dashboard', 'Dark mode colours in charts', 'Respect system dark mode', 'Dark mode for emails'],
  ['Slack integration: post updates', 'Slack integration settings', 'Notify channel via Slack integration'],
  ['GDPR data export for users', 'GDPR deletion requests', 'GDPR consent banner'],
];
const TEAMS = ['ENG', 'WEB', 'ENT', 'OPS', 'API', 'MOB', 'DATA'];

function allNodes(nodes: StrategyNode[], out: StrategyNode[] = []): StrategyNode[] {
  for (const n of nodes) {
    out.push(n);
    allNodes(n.children ?? [], out);
  }
  return out;
}

function pathTo(nodes: StrategyNode[], id: string): string[] | null {
  for (const n of nodes) {
    if (n.id === id) return [n.id];
    const below = pathTo(n.children ?? [], id);
    if (below) return [...below, n.id];
  }
  return null;
}

export interface FixtureOptions {
  count: number;
  /** Instant the data is "as of"; closedAt values fall in the two weeks before it. */
  now: Date;
  seed?: number;
}

/** Builds `count` records with roughly 55% aligned, 18% orphan, 5% stale, 8% exempt, 2% pending, 12% closed. */
export function buildRecords(config: CascadeConfig, opts: FixtureOptions): VerdictRecord[] {
  const rnd = prng(opts.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const nodes = allNodes(config.objectives);
  const activeIds = nodes.filter((n) => n.status !== 'retired').map((n) => n.id);
  const retiredIds = nodes.filter((n) => n.status === 'retired').map((n) => n.id);
  const lineage = new Map(nodes.map((n) => [n.id, pathTo(config.objectives, n.id) ?? [n.id]]));
  const nowMs = opts.now.getTime();
  const out: VerdictRecord[] = [];
  for (let i = 0; i < opts.count; i++) {
    const x = rnd();
    const verdict: Verdict =
      x < 0.55 ? 'aligned' : x < 0.73 ? 'orphan' : x < 0.78 ? 'stale' : x < 0.86 ? 'exempt' : x < 0.88 ? 'pending' : 'closed';
    const team = pick(TEAMS);
    const tracker = team === 'ENG' || team === 'WEB' ? 'linear' : 'jira';
    const key = `${team}-${i + 1}`;
    let title = `${pick(VERBS)} ${pick(THINGS)}${rnd() < 0.3 ? ` (${pick(NOISE)})` : ''}`;
    if (verdict === 'orphan' && rnd() < 0.3) title = pick(pick(CLUSTERS));
    let objectiveIds: string[] = [];
    if (verdict === 'aligned' || (verdict === 'closed' && rnd() < 0.7)) objectiveIds = lineage.get(pick(activeIds)) ?? [];
    if (verdict === 'stale') objectiveIds = lineage.get(pick(retiredIds)) ?? [];
    const record: VerdictRecord = {
      tracker,
      id: `id-${i}`,
      key,
      title,
      url: tracker === 'linear' ? `https://linear.app/acme/issue/${key}` : `https://acme.atlassian.net/browse/${key}`,
      team,
      state: verdict === 'closed' ? 'closed' : 'open',
      estimate: rnd() < 0.8 ? pick([1, 2, 3, 5, 8]) : null,
      verdict,
      objectiveIds,
      checkedAt: new Date(nowMs - Math.floor(rnd() * 7 * 86_400_000)).toISOString(),
      description: `${title}. Reported by a customer on the ${pick(THINGS)}; see the thread for details and screenshots.`,
      configVersion: 1,
    };
    if (verdict === 'closed') record.closedAt = new Date(nowMs - Math.floor(rnd() * 14 * 86_400_000)).toISOString();
    out.push(record);
  }
  return out;
}
