// Reads the parents above tickets, level by level, in batches: one enhanced
// search `key in (…)` per level for every ancestor the cache lacks, so a page
// of 100 tickets costs one request per missing level, not one per ticket.
import type { AncestorTicket } from '../../strategy/types.js';
import { PermanentTrackerError } from '../tracker.js';
import type { AncestorCache } from './ancestor-cache.js';
import { ANCESTOR_FIELDS, canHaveChildren, parentKeyOf, toAncestor, type JiraIssue } from './issue-mapping.js';
import { PAGE_SIZE, type JiraApi } from './jira-api.js';
import { keysJql, typesJql } from './jql.js';

export interface AncestryOptions {
  /** Parent levels followed at most (cycles and absurd depth end the walk): PARENT_DEPTH. */
  maxDepth: number;
  /** Pages of epics and higher read ahead at the start of a sweep; default 10 (1,000 issues). */
  prefetchPages: number;
  /** How long an unreachable parent (deleted, or hidden from the bot) is not asked for again. */
  ttlMs: number;
  now: () => number;
}

export class AncestryReader {
  private readonly unreachable = new Map<string, number>();
  private containerTypeIds: Promise<string[]> | undefined;

  constructor(
    private readonly api: JiraApi,
    private readonly cache: AncestorCache,
    private readonly options: AncestryOptions,
  ) {}

  /** Keep a freshly read issue as a possible ancestor of others. */
  remember(issue: JiraIssue): void {
    if (canHaveChildren(issue)) this.cache.set(toAncestor(issue), parentKeyOf(issue));
  }

  /** Refresh an entry only if it is cached already: a fetched ticket is not necessarily anyone's parent. */
  refresh(issue: JiraIssue): void {
    if (this.cache.has(issue.key)) this.remember(issue);
  }

  forget(keyOrId: string): void {
    this.cache.delete(keyOrId);
    this.unreachable.delete(keyOrId.toUpperCase());
  }

  /** The chain above a ticket whose parent is `parentKey`, nearest first. */
  chain(parentKey: string | null): AncestorTicket[] {
    return this.cache.chain(parentKey, this.options.maxDepth).parents;
  }

  /** Make sure the ancestors above these parent keys are cached, reading only what is missing. */
  async load(parentKeys: Array<string | null>): Promise<void> {
    let frontier = this.missing(parentKeys);
    for (let depth = 0; depth < this.options.maxDepth && frontier.length > 0; depth++) {
      const found = await this.readKeys(frontier);
      const foundKeys = new Set(found.map((i) => i.key.toUpperCase()));
      for (const key of frontier) if (!foundKeys.has(key.toUpperCase())) this.unreachable.set(key.toUpperCase(), this.options.now());
      for (const issue of found) this.cache.set(toAncestor(issue), parentKeyOf(issue));
      frontier = this.missing(found.map(parentKeyOf));
    }
  }

  /**
   * Reads epics and every higher level ahead of a sweep, so that its pages find
   * their parents cached: ~2 requests instead of one per page per level.
   */
  async prefetchContainers(): Promise<void> {
    this.containerTypeIds ??= this.api.issueTypes().then(
      (types) => types.filter((t) => (t.hierarchyLevel ?? 0) >= 1).map((t) => t.id),
      (err: unknown) => {
        this.containerTypeIds = undefined;
        throw err;
      },
    );
    const ids = await this.containerTypeIds;
    if (ids.length === 0) return;
    let token: string | undefined;
    for (let page = 0; page < this.options.prefetchPages; page++) {
      const result = await this.api.search(typesJql(ids), ANCESTOR_FIELDS, token);
      for (const issue of result.issues ?? []) this.remember(issue);
      token = result.nextPageToken ?? undefined;
      if (!token) break;
    }
  }

  /** The first uncached key above each of these parent keys, skipping recently unreachable ones. */
  private missing(keys: Array<string | null>): string[] {
    const now = this.options.now();
    const wanted = new Map<string, string>();
    for (const start of keys) {
      // Walk what is cached: an invalidated grandparent is as missing as an unknown parent.
      const key = this.cache.chain(start, this.options.maxDepth).missing;
      if (key === null) continue;
      const since = this.unreachable.get(key.toUpperCase());
      if (since !== undefined && now - since < this.options.ttlMs) continue;
      wanted.set(key.toUpperCase(), key);
    }
    return [...wanted.values()];
  }

  private async readKeys(keys: string[]): Promise<JiraIssue[]> {
    const found: JiraIssue[] = [];
    for (let i = 0; i < keys.length; i += PAGE_SIZE) {
      const chunk = keys.slice(i, i + PAGE_SIZE);
      try {
        const result = await this.api.search(keysJql(chunk), ANCESTOR_FIELDS);
        found.push(...(result.issues ?? []));
      } catch (err) {
        // Jira fails the whole query when one key is gone or hidden; read that chunk one by one.
        if (!(err instanceof PermanentTrackerError && err.status === 400)) throw err;
        for (const key of chunk) {
          const issue = await this.api.getIssue(key, ANCESTOR_FIELDS);
          if (issue) found.push(issue);
        }
      }
    }
    return found;
  }
}
