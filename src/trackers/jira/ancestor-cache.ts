// Parents above checked tickets, by key: enough to rebuild a ticket's lineage
// without asking Jira again. An entry leaves when its own webhook invalidates
// it, when it ages past the TTL (a net for missed webhooks), or when the cache
// is full (least recently used first): lru-cache does the TTL and the bound.
// No fetchMethod here: ancestors are read a level at a time for a whole page in
// one search (ancestry.ts), not one key at a time.
import { LRUCache } from 'lru-cache';
import type { AncestorTicket } from '../../strategy/types.js';

export interface CachedAncestor {
  ancestor: AncestorTicket;
  parentKey: string | null;
}

export interface AncestorCacheOptions {
  /** How long an entry is trusted without an event; default 15 minutes. */
  ttlMs?: number;
  /** Entries kept at most; default 50,000. */
  maxEntries?: number;
  now?: () => number;
}

export class AncestorCache {
  private readonly byKey: LRUCache<string, CachedAncestor>;
  private readonly keyById = new Map<string, string>();

  constructor(options: AncestorCacheOptions = {}) {
    this.byKey = new LRUCache<string, CachedAncestor>({
      max: options.maxEntries ?? 50_000,
      ttl: options.ttlMs ?? 15 * 60_000,
      perf: { now: options.now ?? Date.now },
      ttlResolution: 0,
      // However an entry leaves (expired, evicted, replaced, deleted), its id goes with it.
      dispose: (entry, key) => {
        if (entry.ancestor.id && this.keyById.get(entry.ancestor.id) === key) this.keyById.delete(entry.ancestor.id);
      },
    });
  }

  get(key: string): CachedAncestor | undefined {
    return this.byKey.get(key.toUpperCase());
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(ancestor: AncestorTicket, parentKey: string | null): void {
    const key = ancestor.key.toUpperCase();
    this.byKey.set(key, { ancestor, parentKey });
    if (ancestor.id) this.keyById.set(ancestor.id, key);
  }

  /** Forget an issue by key or numeric id. */
  delete(keyOrId: string): void {
    this.byKey.delete(this.keyById.get(keyOrId) ?? keyOrId.toUpperCase());
  }

  get size(): number {
    return this.byKey.size;
  }

  /**
   * The chain above a ticket, nearest first, as far as the cache knows it.
   * Stops at a loop or after `maxDepth` hops; `missing` is the first key not cached.
   */
  chain(parentKey: string | null, maxDepth: number): { parents: AncestorTicket[]; missing: string | null } {
    const parents: AncestorTicket[] = [];
    const seen = new Set<string>();
    let key = parentKey;
    while (key !== null && parents.length < maxDepth) {
      const upper = key.toUpperCase();
      if (seen.has(upper)) break;
      seen.add(upper);
      const entry = this.get(upper);
      if (!entry) return { parents, missing: key };
      parents.push(entry.ancestor);
      key = entry.parentKey;
    }
    return { parents, missing: null };
  }
}
