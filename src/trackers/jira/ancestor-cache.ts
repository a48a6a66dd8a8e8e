// Parents above checked tickets, by key: enough to rebuild a ticket's lineage
// without asking Jira again. An entry leaves when its own webhook invalidates
// it, when it ages past the TTL (a net for missed webhooks), or when the cache
// is full (oldest first).
import type { AncestorTicket } from '../../strategy/types.js';

export interface CachedAncestor {
  ancestor: AncestorTicket;
  parentKey: string | null;
  storedAt: number;
}

export interface AncestorCacheOptions {
  /** How long an entry is trusted without an event; default 15 minutes. */
  ttlMs?: number;
  /** Entries kept at most; default 50,000. */
  maxEntries?: number;
  now?: () => number;
}

export class AncestorCache {
  private readonly byKey = new Map<string, CachedAncestor>();
  private readonly keyById = new Map<string, string>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: AncestorCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 15 * 60_000;
    this.maxEntries = options.maxEntries ?? 50_000;
    this.now = options.now ?? Date.now;
  }

  get(key: string): CachedAncestor | undefined {
    const entry = this.byKey.get(key.toUpperCase());
    if (entry && this.now() - entry.storedAt > this.ttlMs) {
      this.delete(key);
      return undefined;
    }
    return entry;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(ancestor: AncestorTicket, parentKey: string | null): void {
    const key = ancestor.key.toUpperCase();
    this.byKey.delete(key);
    this.byKey.set(key, { ancestor, parentKey, storedAt: this.now() });
    if (ancestor.id) this.keyById.set(ancestor.id, key);
    while (this.byKey.size > this.maxEntries) {
      const oldest = this.byKey.keys().next().value;
      if (oldest === undefined) break;
      this.delete(oldest);
    }
  }

  /** Forget an issue by key or numeric id. */
  delete(keyOrId: string): void {
    const key = this.keyById.get(keyOrId) ?? keyOrId.toUpperCase();
    const entry = this.byKey.get(key);
    if (entry?.ancestor.id) this.keyById.delete(entry.ancestor.id);
    this.byKey.delete(key);
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
