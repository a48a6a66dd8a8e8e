// Workspace-wide lookups the sweep and ensureLabel share: label id↔name, and
// project → initiatives → parent initiatives. Each is a handful of paged
// requests for a whole workspace, so a 10,000-ticket sweep reads them once
// instead of asking for names and initiatives on every issue.
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

interface Loaded<T> {
  rows: Map<string, T>;
  at: number;
}

export class WorkspaceCache {
  private labels?: Loaded<CachedLabel>;
  private projects?: Loaded<ProjectIdsNode>;
  private initiatives?: Loaded<InitiativeIdsNode>;
  private readonly ttlMs: number;
  private readonly minReloadMs: number;
  private readonly now: () => number;

  constructor(private readonly request: RequestFn, options: WorkspaceCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 600_000;
    this.minReloadMs = options.minReloadMs ?? 5_000;
    this.now = options.now ?? Date.now;
  }

  /** Labels usable on a ticket of this team with this name (case-insensitive): workspace labels first. */
  async labelsNamed(name: string, teamKey: string | undefined, reloadIfMissing = true): Promise<CachedLabel[]> {
    const find = (rows: Map<string, CachedLabel>) =>
      [...rows.values()]
        .filter((l) => l.name.toLowerCase() === name.toLowerCase() && (l.teamKey === null || l.teamKey === teamKey))
        .sort((a, b) => Number(a.teamKey !== null) - Number(b.teamKey !== null));
    const found = find(await this.labelRows([]));
    if (found.length > 0 || !reloadIfMissing || !this.mayReload(this.labels)) return found;
    this.labels = undefined;
    return find(await this.labelRows([]));
  }

  rememberLabel(label: CachedLabel): void {
    this.labels?.rows.set(label.id, label);
  }

  /** Names for label ids; loads (or reloads once) the labels when one is unknown. */
  async labelNames(ids: string[]): Promise<Map<string, string>> {
    const rows = await this.labelRows(ids);
    return new Map([...rows.values()].map((l) => [l.id, l.name]));
  }

  /** ProjectRefs (with initiatives and their parents) for project ids. */
  async projectRefs(ids: string[]): Promise<Map<string, ProjectRef>> {
    const projects = await this.load('projects', PROJECTS_PAGE, ids, (n: ProjectIdsNode) => n);
    const initiativeIds = ids.flatMap((id) => projects.get(id)?.initiatives.nodes.map((i) => i.id) ?? []);
    const initiatives = await this.load('initiatives', INITIATIVES_PAGE, initiativeIds, (n: InitiativeIdsNode) => n);
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

  /** A project changed (its initiatives); an initiative changed (its parent, its projects). */
  forget(what: 'projects' | 'initiatives' | 'labels'): void {
    if (what === 'labels') this.labels = undefined;
    if (what === 'projects' || what === 'initiatives') this.projects = undefined;
    if (what === 'initiatives') this.initiatives = undefined;
  }

  private labelRows(ids: string[]): Promise<Map<string, CachedLabel>> {
    return this.load('labels', LABELS_PAGE, ids, (n: LabelNode) => ({ id: n.id, name: n.name, teamKey: n.team?.key ?? null }));
  }

  private mayReload(loaded: Loaded<unknown> | undefined): boolean {
    return loaded === undefined || this.now() - loaded.at >= this.minReloadMs;
  }

  private async load<N extends { id: string }, T>(
    key: 'labels' | 'projects' | 'initiatives',
    document: string,
    wanted: string[],
    map: (node: N) => T,
  ): Promise<Map<string, T>> {
    const current = this[key] as Loaded<T> | undefined;
    const fresh = current !== undefined && this.now() - current.at < this.ttlMs;
    const complete = current !== undefined && wanted.every((id) => current.rows.has(id));
    if (current && fresh && (complete || !this.mayReload(current))) return current.rows;
    const rows = new Map<string, T>();
    let after: string | null = null;
    do {
      const data: Record<string, Page<N>> = await this.request(document, { after });
      const page = Object.values(data)[0];
      if (!page) break;
      for (const node of page.nodes) rows.set(node.id, map(node));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    (this as Record<typeof key, Loaded<T> | undefined>)[key] = { rows, at: this.now() };
    return rows;
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
