// Jira's cache of parents: trusted for its TTL, bounded, and forgotten by key or id.
import { describe, expect, it } from 'vitest';
import { AncestorCache } from '../../src/trackers/jira/ancestor-cache.js';

const issue = (key: string, id: string) => ({ id, key, labels: [] });

describe('AncestorCache', () => {
  it('rebuilds a chain until its TTL passes', () => {
    let clock = 1_000_000;
    const cache = new AncestorCache({ ttlMs: 1_000, now: () => clock });
    cache.set(issue('ENT-2', '2'), 'ENT-1');
    cache.set(issue('ENT-1', '1'), null);
    expect(cache.chain('ent-2', 5)).toEqual({ parents: [issue('ENT-2', '2'), issue('ENT-1', '1')], missing: null });
    clock += 1_001;
    expect(cache.chain('ENT-2', 5)).toEqual({ parents: [], missing: 'ENT-2' });
  });

  it('keeps at most maxEntries, and forgets an issue by its numeric id', () => {
    const cache = new AncestorCache({ maxEntries: 2 });
    cache.set(issue('ENT-1', '1'), null);
    cache.set(issue('ENT-2', '2'), null);
    cache.set(issue('ENT-3', '3'), null);
    expect([cache.has('ENT-1'), cache.has('ENT-2'), cache.has('ENT-3')]).toEqual([false, true, true]);
    cache.delete('3');
    expect(cache.has('ENT-3')).toBe(false);
    expect(cache.size).toBe(1);
  });
});
