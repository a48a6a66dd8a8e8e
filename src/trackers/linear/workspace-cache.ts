// Workspace-wide lookups the sweep and ensureLabel share: label id↔name, and
// project → initiatives → parent initiatives. Each is a handful of paged
// requests for a whole workspace, so a 10,000-ticket sweep reads them once
// instead of asking for names and initiatives on every issue. lru-cache keeps
// them with a TTL and shares one load between concurrent callers.
import { LRUCache } from 'lru-cache';
import { INITIATIVE_DEPTH } from '../../strategy/limits.js';
import type { InitiativeRef, ProjectRef } from '../../strategy/types.js';
import { INITIATIVES_PAGE, LABELS_PAGE, PROJECTS_PAGE } from './documents.js';
import type { InitiativeIdsNode, LabelNode, Page, ProjectIdsNode } from './response-types.js';

export type RequestFn = <T>(document: string, variables: Record<string, unknown>) => Promise<T>;

export interface CachedLabel {
  id: string;
  name: string;
  /** Null for a workspace label. */
  teamKey: string | null;
}

export interface WorkspaceCacheOptions {
  /** How long a loaded lookup is trusted. Default 10 minutes. */
  ttlMs?: number;
  /** An unknown id reloads a lookup only if it is older than this, so a stray id cannot cause a reload per call. Default 5 s. */
  minReloadMs?: number;
  now?: () => number;
}

type Lookup = 'labels' | 'projects' | 'initiatives';

interface Loaded<T> {
  rows: Map<string, T>;
  at: number;
}

/** What each lookup holds, by id. */
interface Rows {
  labels: CachedLabel;
  projects: ProjectIdsNode;
  initiatives: InitiativeIdsNode;
}

export class WorkspaceCache {
  private readonly ttlMs: number;
  private readonly minReloadMs: number;
  private readonly now: () => number;
  /** The three lookups, each loaded whole; `fetch` gives concurrent callers one shared load. */
  private readonly lookups: LRUCache<Lookup, Loaded<Rows[Lookup]>>;

  constructor(private readonly request: RequestFn, options: WorkspaceCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 600_000;
    this.minReloadMs = options.minReloadMs ?? 5_000;
    this.now = options.now ?? Date.now;
    this.lookups = new LRUCache<Lookup, Loaded<Rows[Lookup]>>({
      max: 3,
      ttl: this.ttlMs,
      perf: { now: this.now },
      // Read the clock on every check: three keys, so caching it buys nothing.
      ttlResolution: 0,
      fetchMethod: (lookup) => this.loadAll(lookup),
    });
  }

  /** Labels usable on a ticket of this team with this name (case-insensitive): workspace labels first. */
  async labelsNamed(name: string, teamKey: string | undefined, reloadIfMissing = true): Promise<CachedLabel[]> {
    const find = (rows: Map<string, CachedLabel>) =>
      [...rows.values()]
        .filter((l) => l.name.toLowerCase() === name.toLowerCase() && (l.teamKey === null || l.teamKey === teamKey))
        .sort((a, b) => Number(a.teamKey !== null) - Number(b.teamKey !== null));
    const loaded = await this.loaded('labels');
    const found = find(loaded.rows);
    if (found.length > 0 || !reloadIfMissing || !this.mayReload(loaded)) return found;
    return find((await this.loaded('labels', true)).rows);
  }

  rememberLabel(label: CachedLabel): void {
    (this.lookups.peek('labels') as Loaded<CachedLabel> | undefined)?.rows.set(label.id, label);
  }

  /** Names for label ids; loads (or reloads once) the labels when one is unknown. */
  async labelNames(ids: string[]): Promise<Map<string, string>> {
    const rows = await this.rows('labels', ids);
    return new Map([...rows.values()].map((l) => [l.id, l.name]));
  }

  /** ProjectRefs (with initiatives and their parents) for project ids. */
  async projectRefs(ids: string[]): Promise<Map<string, ProjectRef>> {
    const projects = await this.rows('projects', ids);
    const initiativeIds = ids.flatMap((id) => projects.get(id)?.initiatives.nodes.map((i) => i.id) ?? []);
    const initiatives = await this.rows('initiatives', initiativeIds);
    const refs = new Map<string, ProjectRef>();
    for (const id of ids) {
      const project = projects.get(id);
      if (!project) continue;
      refs.set(id, {
        id, name: project.name,
        initiatives: project.initiatives.nodes.flatMap((i) => {
          const ref = initiativeRef(initiatives, i.id, INITIATIVE_DEPTH);
          return ref ? [ref] : [];
        }),
      });
    }
    return refs;
  }

  /** Every project and every initiative (link targets by name): from the cache, loaded again when `reload`. */
  async projectsAndInitiatives(reload = false): Promise<{ projects: ProjectIdsNode[]; initiatives: InitiativeIdsNode[] }> {
    const [projects, initiatives] = await Promise.all([this.loaded('projects', reload), this.loaded('initiatives', reload)]);
    return { projects: [...projects.rows.values()], initiatives: [...initiatives.rows.values()] };
  }

  /** A project changed (its initiatives); an initiative changed (its parent, its projects). */
  forget(what: 'projects' | 'initiatives' | 'labels'): void {
    if (what === 'labels') this.lookups.delete('labels');
    if (what === 'projects' || what === 'initiatives') this.lookups.delete('projects');
    if (what === 'initiatives') this.lookups.delete('initiatives');
  }

  private mayReload(loaded: Loaded<unknown>): boolean {
    return this.now() - loaded.at >= this.minReloadMs;
  }

  private async loaded<L extends Lookup>(lookup: L, forceRefresh = false): Promise<Loaded<Rows[L]>> {
    const loaded = await this.lookups.fetch(lookup, { forceRefresh });
    if (!loaded) throw new Error(`the Linear ${lookup} lookup did not load`);
    return loaded as Loaded<Rows[L]>;
  }

  /** The lookup's rows, loaded again (at most every minReloadMs) when one of `wanted` is unknown. */
  private async rows<L extends Lookup>(lookup: L, wanted: string[]): Promise<Map<string, Rows[L]>> {
    const loaded = await this.loaded(lookup);
    const complete = wanted.every((id) => loaded.rows.has(id));
    return complete || !this.mayReload(loaded) ? loaded.rows : (await this.loaded(lookup, true)).rows;
  }

  private loadAll(lookup: Lookup): Promise<Loaded<Rows[Lookup]>> {
    switch (lookup) {
      case 'labels':
        return this.pages(LABELS_PAGE, (n: LabelNode): CachedLabel => ({ id: n.id, name: n.name, teamKey: n.team?.key ?? null }));
      case 'projects':
        return this.pages(PROJECTS_PAGE, (n: ProjectIdsNode) => n);
      case 'initiatives':
        return this.pages(INITIATIVES_PAGE, (n: InitiativeIdsNode) => n);
    }
  }

  private async pages<N extends { id: string }, T>(document: string, map: (node: N) => T): Promise<Loaded<T>> {
    const rows = new Map<string, T>();
    let after: string | null = null;
    do {
      const data: Record<string, Page<N>> = await this.request(document, { after });
      const page = Object.values(data)[0];
      if (!page) break;
      for (const node of page.nodes) rows.set(node.id, map(node));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    return { rows, at: this.now() };
  }
}

function initiativeRef(rows: Map<string, InitiativeIdsNode>, id: string, depth: number, seen = new Set<string>()): InitiativeRef | null {
  const node = rows.get(id);
  if (!node || seen.has(id)) return null;
  seen.add(id);
  const parentId = node.parentInitiative?.id;
  const parent = parentId && depth > 1 ? initiativeRef(rows, parentId, depth - 1, seen) : null;
  return { id: node.id, name: node.name, parent };
}
