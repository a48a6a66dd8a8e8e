// Customer demand per strategy node, from Linear's customer requests (customer needs on
// issues and projects). A customer who asks for five things under one objective is one
// customer and one revenue figure for it, five requests.

export interface Customer {
  id: string;
  name: string;
  /** Annual revenue as Linear keeps it; null when unknown. */
  revenue?: number | null;
  tier?: string | null;
}

/** One customer need (request), attached to an issue (by key) or a project (by id). */
export interface CustomerNeed {
  id: string;
  issueKey?: string | null;
  projectId?: string | null;
  customer: Customer;
}

/** The strategy nodes each issue and project serves (its lineage: objective, theme, goal…). */
export interface DemandLineage {
  issues: ReadonlyMap<string, readonly string[]>;
  projects: ReadonlyMap<string, readonly string[]>;
}

export interface Demand {
  /** Distinct needs. */
  requests: number;
  /** Distinct customers. */
  customers: number;
  /** Sum of the customers' revenue, each customer once. */
  revenue: number;
  /** The customers, largest revenue first (then by name). */
  byCustomer: Customer[];
}

export interface NodeDemand extends Demand {
  nodeId: string;
}

/** A theme of orphan work (digest/themes.ts), as the demand needs it. */
export interface OrphanTheme {
  id: string;
  title: string;
  ticketKeys: readonly string[];
}

export interface ThemeDemand extends Demand {
  themeId: string;
  title: string;
}

class Tally {
  private readonly needs = new Set<string>();
  private readonly customers = new Map<string, Customer>();

  add(need: CustomerNeed): void {
    this.needs.add(need.id);
    const known = this.customers.get(need.customer.id);
    // The same customer seen twice with different revenue (a stale copy): keep the larger.
    if (!known || (need.customer.revenue ?? 0) > (known.revenue ?? 0)) this.customers.set(need.customer.id, need.customer);
  }

  demand(): Demand {
    const byCustomer = [...this.customers.values()].sort((a, b) => (b.revenue ?? 0) - (a.revenue ?? 0) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    const revenue = byCustomer.reduce((s, c) => s + (typeof c.revenue === 'number' && Number.isFinite(c.revenue) && c.revenue > 0 ? c.revenue : 0), 0);
    return { requests: this.needs.size, customers: byCustomer.length, revenue, byCustomer };
  }
}

function checkNeed(need: CustomerNeed): void {
  if (!need.id || !need.customer?.id) throw new RangeError(`A customer need needs an id and a customer id (got need "${need.id ?? ''}")`);
}

/** Demand per node, for every node some need reaches; nodes without demand are absent. */
export function demandByNode(needs: Iterable<CustomerNeed>, lineage: DemandLineage): Map<string, NodeDemand> {
  const tallies = new Map<string, Tally>();
  for (const need of needs) {
    checkNeed(need);
    const nodes = new Set([...(need.issueKey ? (lineage.issues.get(need.issueKey) ?? []) : []), ...(need.projectId ? (lineage.projects.get(need.projectId) ?? []) : [])]);
    for (const id of nodes) {
      let t = tallies.get(id);
      if (!t) tallies.set(id, (t = new Tally()));
      t.add(need);
    }
  }
  return new Map([...tallies].map(([nodeId, t]) => [nodeId, { nodeId, ...t.demand() }]));
}

/** Orphan themes whose tickets carry requests from at least `minCustomers` customers (default 3): candidate objectives. */
export function demandedThemes(themes: readonly OrphanTheme[], needs: readonly CustomerNeed[], minCustomers = 3): ThemeDemand[] {
  const byIssue = new Map<string, CustomerNeed[]>();
  for (const need of needs) {
    checkNeed(need);
    if (!need.issueKey) continue;
    const list = byIssue.get(need.issueKey);
    if (list) list.push(need);
    else byIssue.set(need.issueKey, [need]);
  }
  const out: ThemeDemand[] = [];
  for (const theme of themes) {
    const t = new Tally();
    for (const key of theme.ticketKeys) for (const need of byIssue.get(key) ?? []) t.add(need);
    const demand = t.demand();
    if (demand.customers >= minCustomers) out.push({ themeId: theme.id, title: theme.title, ...demand });
  }
  return out.sort((a, b) => b.customers - a.customers || b.revenue - a.revenue || a.themeId.localeCompare(b.themeId));
}

/** "7 requests from 3 customers, $120,000 revenue". */
export function demandSentence(d: Demand): string {
  const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(d.requests, 'request')} from ${plural(d.customers, 'customer')}, $${Math.round(d.revenue).toLocaleString('en-US')} revenue`;
}
