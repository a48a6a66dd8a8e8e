// The Linear workspace lookups: loaded once however many callers ask at the same
// time, trusted for their TTL, and reloaded for an unknown id at most every
// minReloadMs. The request function stands in for Linear's GraphQL endpoint.
import { describe, expect, it } from 'vitest';
import { LABELS_PAGE } from '../../src/trackers/linear/documents.js';
import { WorkspaceCache } from '../../src/trackers/linear/workspace-cache.js';

function workspace() {
  let clock = 1_000_000;
  const labels = [{ id: 'l1', name: 'frontend', team: null }];
  const requests: string[] = [];
  const request = async <T>(document: string): Promise<T> => {
    requests.push(document === LABELS_PAGE ? 'labels' : 'other');
    // An answer that comes later, as Linear's does: callers arriving meanwhile must share this load.
    await new Promise((resolve) => setImmediate(resolve));
    return { issueLabels: { nodes: labels.slice(), pageInfo: { hasNextPage: false, endCursor: null } } } as T;
  };
  const cache = new WorkspaceCache(request, { ttlMs: 60_000, minReloadMs: 5_000, now: () => clock });
  return { cache, labels, labelLoads: () => requests.filter((r) => r === 'labels').length, tick: (ms: number) => (clock += ms) };
}

describe('WorkspaceCache', () => {
  it('shares one load between concurrent callers', async () => {
    const w = workspace();
    const answers = await Promise.all([w.cache.labelNames(['l1']), w.cache.labelNames(['l1']), w.cache.labelsNamed('frontend', 'ENG')]);
    expect(answers[0].get('l1')).toBe('frontend');
    expect(answers[2]).toHaveLength(1);
    expect(w.labelLoads()).toBe(1);
  });

  it('reloads for an unknown id only once the lookup is minReloadMs old, and after its TTL', async () => {
    const w = workspace();
    await w.cache.labelNames(['l1']);
    w.labels.push({ id: 'l2', name: 'backend', team: null });
    expect((await w.cache.labelNames(['l2'])).has('l2')).toBe(false);
    expect(w.labelLoads()).toBe(1);
    w.tick(5_000);
    expect((await w.cache.labelNames(['l2'])).get('l2')).toBe('backend');
    expect(w.labelLoads()).toBe(2);
    await w.cache.labelNames(['l1']);
    expect(w.labelLoads()).toBe(2);
    w.tick(60_001);
    await w.cache.labelNames(['l1']);
    expect(w.labelLoads()).toBe(3);
  });
});
