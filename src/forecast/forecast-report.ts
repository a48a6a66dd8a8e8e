// Everything the review and the digest say about "will the strategy land?", computed in
// one go from the stored records: a forecast per node with an end date, capacity per
// team, allocation on finished work with its drift alerts, customer demand per node and
// reported health against the forecast. Pure: records, the tree, the time and the drift
// state kept since the last run come in; the report and the new drift state go out.
import type { StrategyIndex } from '../strategy/strategy-index.js';
import { matchMaps, normaliseName } from '../strategy/strategy-index.js';
import type { CompletionRecord as StoredCompletion } from '../records/completion-record.js';
import type { CreatedTicket } from '../records/created-ticket.js';
import type { VerdictRecord } from '../records/verdict-record.js';
import type { CustomerDemand, FieldDemand, ReportedHealth as ReportedUpdate } from '../records/workspace-signals.js';
import { historyWindow } from './history-window.js';
import { bucketHistory } from './weekly-history.js';
import { forecastObjective, type Forecast, type ForecastOptions } from './forecast-objective.js';
import { teamCapacity, type TeamCapacity } from './capacity.js';
import { allocation, bandHistory, type AllocationNode, type AllocationRow } from './allocation.js';
import { decideDrift, type DriftState } from './drift-alert.js';
import { demandByNode, demandedThemes, demandSentence, type CustomerNeed, type OrphanTheme } from './customer-demand.js';
import { checkReportedHealth } from './reported-health.js';
import type { CompletionRecord, CreatedEvent, ForecastStatus, OpenTicket } from './types.js';

/** What `GET /admin/review` and the digest show of one forecast. */
export interface ForecastView {
  probability: number;
  p50: string | null;
  p85: string | null;
  p95: string | null;
  status: ForecastStatus;
  weeklyThroughput: number;
  weeklyCreated: number;
  openTickets: number;
  /** Open tickets, in the trackers' rank order, not done by the end date in the P85 case. */
  cutLine: string[];
  lowData: boolean;
  basis: Forecast['basis'];
  historyWeeks: number;
  doneInHistory: number;
}

export interface NodeForecast {
  id: string;
  title: string;
  /** The last day of the node's own period. */
  end: string;
  forecast: ForecastView;
}

/** TeamCapacity with the ratio JSON can carry (null when there is load and no capacity). */
export type TeamCapacityView = Omit<TeamCapacity, 'ratio'> & { ratio: number | null };

export interface AllocationView extends AllocationRow {
  title: string;
  /** A drift alert is up: out of band for 3 weeks and not back yet. */
  driftAlert: boolean;
}

export interface DriftEvent {
  nodeId: string;
  title: string;
  /** `started`: out of band for 3 weeks · `ended`: back in band. */
  change: 'started' | 'ended';
  actualShare: number | null;
  targetShare: number | null;
}

export interface DemandView {
  id: string;
  title: string;
  requests: number;
  customers: number;
  revenue: number;
  /** "7 requests from 3 customers, $150,000 revenue" */
  sentence: string;
  /** The largest customers by revenue (names), at most five. */
  topCustomers: string[];
  /** Jira: the sum of the configured customer field over the node's tickets (rules.customer_field). */
  fieldTotal: number;
}

export interface HealthFlag {
  nodeId: string;
  title: string;
  kind: ReportedUpdate['kind'];
  /** The Linear project or initiative whose latest update said on track. */
  name: string;
  reported: ReportedUpdate['health'];
  forecast: ForecastStatus;
}

/** An orphan theme customers ask for: a candidate objective for the review. */
export interface DemandedTheme {
  title: string;
  requests: number;
  customers: number;
  revenue: number;
  sentence: string;
  topCustomers: string[];
  /** The orphan tickets of the theme that carry requests. */
  tickets: string[];
}

export interface ForecastReport {
  computedAt: string;
  /** The ISO week the forecasts are seeded with. */
  isoWeek: string;
  today: string;
  timeZone: string;
  /** Every active node with an end date of its own, soonest end first. */
  forecasts: NodeForecast[];
  /** Teams with open work under those nodes, most over-committed first. */
  capacity: TeamCapacityView[];
  /** Nodes with a target share: finished-work share beside open-work share and target. */
  allocation: AllocationView[];
  /** Nodes with customer demand, most customers first. */
  demand: DemandView[];
  /** Reported on track while the forecast says off track. */
  healthFlags: HealthFlag[];
  /** Orphan themes with requests from 3 or more customers: candidate objectives. */
  demandedThemes: DemandedTheme[];
}

export interface ForecastReportInput {
  index: StrategyIndex;
  completions: readonly StoredCompletion[];
  created: readonly CreatedTicket[];
  /** Verdict records; only the open ones are used. */
  records: readonly VerdictRecord[];
  demand?: readonly CustomerDemand[];
  fieldDemand?: readonly FieldDemand[];
  health?: readonly ReportedUpdate[];
  /** Themes of the open orphan work (digest/themes.ts), with their tickets as `tracker:id`. */
  themes?: readonly OrphanTheme[];
  /** Drift alert state per node, as the last computation left it. */
  drift: Readonly<Record<string, DriftState>>;
  now: Date;
  timeZone: string;
  recordsSince?: Date;
  options?: ForecastOptions;
}

export interface ForecastReportResult {
  report: ForecastReport;
  drift: Record<string, DriftState>;
  /**
   * Drift alerts that started or ended with this computation, to post once each. Not part
   * of the report: which computation saw the change is a matter of timing, and the report
   * (the digest) must be the same for the same data.
   */
  driftEvents: DriftEvent[];
}

// One collator for every comparison: localeCompare with options builds one per call.
const byKey = new Intl.Collator('en', { numeric: true }).compare;
const teamOf = (r: { team?: string; tracker: string }): string => r.team ?? r.tracker;
const planned = (r: VerdictRecord): boolean => r.state === 'open' && (r.verdict === 'aligned' || r.verdict === 'pending');

/** Within one tracker, its rank, lowest first: numbers (Linear sortOrder) by value, strings (Jira LexoRank) as written; unranked last. */
function byRankWithin(a: VerdictRecord, b: VerdictRecord): number {
  const ra = a.rank;
  const rb = b.rank;
  if (ra !== undefined && rb !== undefined) {
    const c = typeof ra === 'number' && typeof rb === 'number' ? ra - rb : String(ra) < String(rb) ? -1 : String(ra) > String(rb) ? 1 : 0;
    if (c !== 0) return c;
  } else if (ra !== undefined) return -1;
  else if (rb !== undefined) return 1;
  return byKey(a.key, b.key);
}

/**
 * Each open ticket's place in its own tracker's rank order, as a share (0 first, towards 1 last).
 * Linear's and Jira's ranks cannot be compared with each other, so an objective with work in both
 * interleaves them by these shares: a total order, whatever order the records were read in.
 */
function rankShares(open: VerdictRecord[]): Map<VerdictRecord, number> {
  const byTracker = new Map<string, VerdictRecord[]>();
  for (const r of open) (byTracker.get(r.tracker) ?? byTracker.set(r.tracker, []).get(r.tracker)!).push(r);
  const shares = new Map<VerdictRecord, number>();
  for (const rows of byTracker.values()) rows.sort(byRankWithin).forEach((r, i) => shares.set(r, i / rows.length));
  return shares;
}

const view = (f: Forecast): ForecastView => ({
  probability: f.probability,
  p50: f.p50,
  p85: f.p85,
  p95: f.p95,
  status: f.status,
  weeklyThroughput: f.weeklyThroughput,
  weeklyCreated: f.weeklyCreated,
  openTickets: f.openTickets,
  cutLine: f.cutLine,
  lowData: f.lowData,
  basis: f.basis,
  historyWeeks: f.historyWeeks,
  doneInHistory: f.doneInHistory,
});

/** The target share of all planned work: the product of the own shares down the chain (null when one is missing). */
function absoluteTarget(index: StrategyIndex, id: string): number | null {
  const node = index.nodes.get(id);
  if (!node || node.targetShare === undefined) return null;
  if (node.parentId === null) return node.targetShare;
  const parent = absoluteTarget(index, node.parentId);
  return parent === null ? null : parent * node.targetShare;
}

export function computeForecastReport(input: ForecastReportInput): ForecastReportResult {
  const { index } = input;
  const window = historyWindow(input.now, input.timeZone);
  const completions: CompletionRecord[] = input.completions.map((r) => ({ key: r.key, team: teamOf(r), doneAt: r.doneAt, verdict: r.verdict, nodeIds: r.objectiveIds, estimate: r.estimate }));
  const created: CreatedEvent[] = input.created.map((c) => ({ key: c.key, team: teamOf(c), createdAt: c.createdAt, nodeIds: c.objectiveIds }));
  const history = bucketHistory(window, completions, created);
  const open = input.records.filter((r) => r.state === 'open');
  const teamOpen = new Map<string, number>();
  for (const r of open) teamOpen.set(teamOf(r), (teamOpen.get(teamOf(r)) ?? 0) + 1);

  // Nodes with an end date of their own, not retired and not over: the ones a forecast can speak about.
  const dated = [...index.nodes.values()]
    .map((n) => ({ node: n, end: n.endings.find((e) => e.nodeId === n.id)?.end }))
    .filter((d): d is { node: typeof d.node; end: string } => d.end !== undefined && !d.node.retired && d.end >= window.today)
    .sort((a, b) => a.end.localeCompare(b.end) || a.node.id.localeCompare(b.node.id));
  const datedIds = new Set(dated.map((d) => d.node.id));
  const openUnder = new Map<string, VerdictRecord[]>();
  for (const r of open) {
    if (!planned(r)) continue;
    for (const id of r.objectiveIds) if (datedIds.has(id)) (openUnder.get(id) ?? openUnder.set(id, []).get(id)!).push(r);
  }
  const forecasts: NodeForecast[] = [];
  const statusOf = new Map<string, ForecastStatus>();
  const share = rankShares(open);
  const byRank = (a: VerdictRecord, b: VerdictRecord): number => share.get(a)! - share.get(b)! || (a.tracker < b.tracker ? -1 : a.tracker > b.tracker ? 1 : 0) || byKey(a.key, b.key);
  for (const { node, end } of dated) {
    const tickets: OpenTicket[] = (openUnder.get(node.id) ?? []).sort(byRank).map((r) => ({ key: r.key, team: teamOf(r), estimate: r.estimate ?? null }));
    const f = forecastObjective({ id: node.id, endDate: end, open: tickets }, { history, teamOpen, ...(input.recordsSince ? { recordsSince: input.recordsSince } : {}) }, input.options);
    statusOf.set(node.id, f.status);
    forecasts.push({ id: node.id, title: node.title, end, forecast: view(f) });
  }

  // Capacity: each open ticket counts once per team, against the nearest dated node on its lineage, so nested end dates do not double the load.
  const commitments = new Map<string, Map<string, number>>();
  for (const r of open) {
    if (!planned(r)) continue;
    const nearest = r.objectiveIds.find((id) => datedIds.has(id));
    if (!nearest) continue;
    const team = commitments.get(teamOf(r)) ?? commitments.set(teamOf(r), new Map()).get(teamOf(r))!;
    team.set(nearest, (team.get(nearest) ?? 0) + 1);
  }
  const endOf = new Map(dated.map((d) => [d.node.id, d.end]));
  const capacity: TeamCapacityView[] = [...commitments]
    .map(([team, byNode]) => teamCapacity({ team, history, commitments: [...byNode].map(([objectiveId, remaining]) => ({ objectiveId, endDate: endOf.get(objectiveId)!, remaining })), ...(input.recordsSince ? { recordsSince: input.recordsSince } : {}) }))
    // A team that finished nothing in the history (a project Cascade has only just met) cannot be judged, only listed as such.
    .filter((c) => c.throughput > 0)
    .map((c) => ({ ...c, ratio: Number.isFinite(c.ratio) ? c.ratio : null }))
    .sort((a, b) => (b.ratio ?? Infinity) - (a.ratio ?? Infinity) || a.team.localeCompare(b.team));

  // Allocation on finished work, for nodes with a target, and the drift alerts it starts or ends.
  const openPlanned = open.filter((r) => r.state === 'open' && r.verdict === 'aligned');
  const nodes: AllocationNode[] = [];
  for (const n of index.nodes.values()) {
    const target = n.retired ? null : absoluteTarget(index, n.id);
    if (target === null) continue;
    const under = openPlanned.filter((r) => r.objectiveIds.includes(n.id));
    nodes.push({ id: n.id, targetShare: target, openCount: under.length, openEstimate: under.reduce((s, r) => s + (r.estimate ?? 0), 0) });
  }
  const allocationInput = { history, nodes, openTotal: openPlanned.length, openEstimateTotal: openPlanned.reduce((s, r) => s + (r.estimate ?? 0), 0) };
  const rows = nodes.length ? allocation(allocationInput) : [];
  const drift: Record<string, DriftState> = {};
  const driftEvents: DriftEvent[] = [];
  const allocationViews: AllocationView[] = rows.map((row) => {
    const title = index.nodes.get(row.nodeId)?.title ?? row.nodeId;
    const decision = decideDrift(bandHistory(allocationInput, row.nodeId).map((b) => b.band), input.drift[row.nodeId] ?? { active: false });
    drift[row.nodeId] = { active: decision.active };
    if (decision.post) driftEvents.push({ nodeId: row.nodeId, title, change: decision.post, actualShare: row.actualShare, targetShare: row.targetShare });
    return { ...row, title, driftAlert: decision.active };
  });

  // Customer demand per node: a request counts for the nodes its ticket (open or done) or its project serves.
  const lineageOf = new Map<string, readonly string[]>();
  for (const c of input.completions) lineageOf.set(`${c.tracker}:${c.id}`, c.objectiveIds);
  for (const r of input.records) lineageOf.set(`${r.tracker}:${r.id}`, r.objectiveIds);
  const projects = new Map<string, readonly string[]>();
  const needs: CustomerNeed[] = [];
  for (const d of input.demand ?? []) {
    if (d.projectId && !projects.has(d.projectId)) {
      const target = firstMatch(matchMaps(index, 'projects'), [d.projectId]);
      if (target) projects.set(d.projectId, index.nodes.get(target.nodeId)?.chainIds ?? [target.nodeId]);
    }
    needs.push({ id: d.needId, issueKey: d.ticketId ? `${d.tracker}:${d.ticketId}` : null, projectId: d.ticketId ? null : d.projectId, customer: d.customer });
  }
  const byNode = demandByNode(needs, { issues: lineageOf, projects });
  const keyOf = new Map(input.records.map((r) => [`${r.tracker}:${r.id}`, r.key]));
  const asked = new Set(needs.map((n) => n.issueKey));
  const themes: DemandedTheme[] = demandedThemes(input.themes ?? [], needs).map((t) => ({
    title: t.title, requests: t.requests, customers: t.customers, revenue: t.revenue, sentence: demandSentence(t), topCustomers: t.byCustomer.slice(0, 5).map((c) => c.name),
    tickets: (input.themes ?? []).find((x) => x.id === t.themeId)!.ticketKeys.filter((k) => asked.has(k)).map((k) => keyOf.get(k) ?? k).sort(byKey),
  }));
  const fieldTotals = new Map<string, number>();
  for (const f of input.fieldDemand ?? []) for (const id of lineageOf.get(`${f.tracker}:${f.ticketId}`) ?? []) fieldTotals.set(id, (fieldTotals.get(id) ?? 0) + f.value);
  const demandIds = new Set([...byNode.keys(), ...fieldTotals.keys()]);
  const demand: DemandView[] = [...demandIds]
    .filter((id) => index.nodes.has(id))
    .map((id) => {
      const d = byNode.get(id);
      const base = d ?? { requests: 0, customers: 0, revenue: 0, byCustomer: [] };
      return { id, title: index.nodes.get(id)!.title, requests: base.requests, customers: base.customers, revenue: base.revenue, sentence: d ? demandSentence(d) : '', topCustomers: base.byCustomer.slice(0, 5).map((c) => c.name), fieldTotal: fieldTotals.get(id) ?? 0 };
    })
    .sort((a, b) => b.customers - a.customers || b.fieldTotal - a.fieldTotal || b.revenue - a.revenue || a.id.localeCompare(b.id));

  // Reported health: a project or initiative that matches a forecast node (by id or name).
  const healthFlags: HealthFlag[] = [];
  for (const h of input.health ?? []) {
    const target = firstMatch(matchMaps(index, h.kind === 'project' ? 'projects' : 'initiatives'), [h.id, h.name]);
    const status = target ? statusOf.get(target.nodeId) : undefined;
    if (!target || !status || !checkReportedHealth(h.health, status).flagged) continue;
    healthFlags.push({ nodeId: target.nodeId, title: index.nodes.get(target.nodeId)?.title ?? target.nodeId, kind: h.kind, name: h.name, reported: h.health, forecast: status });
  }

  return {
    report: { computedAt: input.now.toISOString(), isoWeek: window.currentWeek, today: window.today, timeZone: input.timeZone, forecasts, capacity, allocation: allocationViews, demand, healthFlags, demandedThemes: themes },
    drift,
    driftEvents,
  };
}

/** The first of the maps to hold one of the values (by its normalised name), trying each map with every value in turn. */
function firstMatch<T>(maps: Map<string, T>[], values: string[]): T | undefined {
  for (const map of maps) {
    for (const value of values) {
      const found = map.get(normaliseName(value));
      if (found) return found;
    }
  }
  return undefined;
}
