import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CascadeConfig } from '../../src/strategy/tree-schema.js';
import { computeDigest, emptyCounts, snapshotOf, type DigestInput } from '../../src/digest/compute.js';
import type { WeeklySnapshot } from '../../src/digest/types.js';
import type { VerdictRecord } from '../../src/records/verdict-record.js';
import type { Verdict } from '../../src/strategy/types.js';

// now: Wednesday of 2026-W48 in every zone used here.
const NOW = new Date('2026-11-25T12:00:00Z');

const config: CascadeConfig = {
  objectives: [
    {
      id: 'growth',
      title: 'Grow revenue',
      target_share: 0.6,
      period: { start: '2026-07-01', end: '2026-12-31' },
      children: [
        { id: 'growth-a', title: 'Pricing', target_share: 0.5 },
        { id: 'growth-b', title: 'Checkout', target_share: 0.5, children: [{ id: 'growth-b1', title: 'Wallets' }] },
      ],
    },
    { id: 'platform', title: 'Platform', target_share: 0.4 },
    { id: 'old', title: 'Old bet', status: 'retired', children: [{ id: 'old-child', title: 'Old child' }] },
    { id: 'ended', title: 'First half push', period: { start: '2026-01-01', end: '2026-06-30' } },
    { id: 'later', title: 'Next year', period: { start: '2027-01-01', end: '2027-06-30' } },
    { id: 'idle', title: 'Idle objective' },
  ],
};

let seq = 0;
function rec(p: Partial<VerdictRecord> & { verdict: Verdict }): VerdictRecord {
  seq++;
  return {
    tracker: 'linear',
    id: `id-${seq}`,
    key: `ENG-${seq}`,
    title: `Ticket ${seq}`,
    url: `https://linear.app/acme/issue/ENG-${seq}`,
    team: 'ENG',
    state: p.verdict === 'closed' ? 'closed' : 'open',
    estimate: null,
    objectiveIds: [],
    checkedAt: NOW.toISOString(),
    configVersion: 1,
    ...p,
  };
}

function digestOf(records: VerdictRecord[], extra: Partial<DigestInput> = {}) {
  return computeDigest({ config, records, history: [], now: NOW, timeZone: 'UTC', ...extra });
}

const row = (d: ReturnType<typeof digestOf>, id: string) => {
  const r = d.objectives.find((o) => o.id === id);
  if (!r) throw new Error(`no row ${id}`);
  return r;
};

describe('aligned share', () => {
  it('divides aligned by aligned + orphan + stale, by count and by estimate', () => {
    const d = digestOf([
      rec({ verdict: 'aligned', estimate: 2, objectiveIds: ['platform'] }),
      rec({ verdict: 'aligned', estimate: 3, objectiveIds: ['platform'] }),
      rec({ verdict: 'aligned', estimate: null, objectiveIds: ['growth'] }),
      rec({ verdict: 'orphan', estimate: 5 }),
      rec({ verdict: 'stale', estimate: null, objectiveIds: ['old'] }),
      rec({ verdict: 'exempt', estimate: 13 }),
      rec({ verdict: 'exempt' }),
      rec({ verdict: 'pending', estimate: 8 }),
      rec({ verdict: 'closed', estimate: 8, objectiveIds: ['platform'] }),
      rec({ verdict: 'aligned', state: 'closed', estimate: 8, objectiveIds: ['platform'] }),
    ]);
    expect(d.share.byCount).toBe(3 / 5);
    expect(d.share.byEstimate).toBe(5 / 10);
    expect(d.share).toMatchObject({ alignedCount: 3, denominatorCount: 5, alignedEstimate: 5, denominatorEstimate: 10, estimatedTickets: 3 });
    expect(d.totals.open).toEqual({ aligned: 3, orphan: 1, stale: 1, exempt: 2, pending: 1, closed: 0 });
    expect(d.totals).toMatchObject({ records: 10, openTotal: 8, closed: 2 });
    expect(d.headline).toBe('60% of open work serves an objective');
  });

  it('is null, not zero, when there is no enforced open work', () => {
    const d = digestOf([rec({ verdict: 'exempt' }), rec({ verdict: 'pending' })]);
    expect(d.share.byCount).toBeNull();
    expect(d.share.byEstimate).toBeNull();
    expect(d.headline).toBe('No open work to measure yet');
  });
});

describe('objectives rolled up the tree', () => {
  it('counts a ticket once for a node and each ancestor, even when it matches two descendants', () => {
    const d = digestOf([
      // Matches both children of growth (and lists only the deepest nodes).
      rec({ verdict: 'aligned', estimate: 3, objectiveIds: ['growth-a', 'growth-b1'] }),
      // Lists its lineage deepest first, as the lineage engine does.
      rec({ verdict: 'aligned', estimate: 2, objectiveIds: ['growth-b1', 'growth-b', 'growth'] }),
      rec({ verdict: 'aligned', estimate: 5, objectiveIds: ['platform'] }),
      rec({ verdict: 'aligned', estimate: 1, objectiveIds: ['growth-a', 'platform'] }),
    ]);
    expect(row(d, 'growth')).toMatchObject({ openCount: 3, alignedCount: 3, openEstimate: 6, staleCount: 0 });
    expect(row(d, 'growth-a')).toMatchObject({ openCount: 2, openEstimate: 4 });
    expect(row(d, 'growth-b')).toMatchObject({ openCount: 2, openEstimate: 5 });
    expect(row(d, 'growth-b1')).toMatchObject({ openCount: 2 });
    expect(row(d, 'platform')).toMatchObject({ openCount: 2, openEstimate: 6 });
    // Absolute: of all 4 aligned tickets; of parent: of growth's 3.
    expect(row(d, 'growth').actualShare).toEqual({ ofParent: 3 / 4, absolute: 3 / 4, absoluteByEstimate: 6 / 11 });
    expect(row(d, 'growth-a').actualShare.ofParent).toBe(2 / 3);
    expect(row(d, 'growth-a').actualShare.absolute).toBe(2 / 4);
  });

  it('derives absolute targets down the chain and leaves them null where a node sets none', () => {
    const d = digestOf([]);
    expect(row(d, 'growth').targetShare).toEqual({ ofParent: 0.6, absolute: 0.6 });
    expect(row(d, 'growth-a').targetShare).toEqual({ ofParent: 0.5, absolute: 0.3 });
    expect(row(d, 'growth-b1').targetShare).toEqual({ ofParent: null, absolute: null });
    expect(row(d, 'idle').targetShare).toEqual({ ofParent: null, absolute: null });
  });

  it('gives each node its status by retirement and period relative to now', () => {
    const d = digestOf([]);
    expect(Object.fromEntries(d.objectives.map((o) => [o.id, o.status]))).toEqual({
      growth: 'active', 'growth-a': 'active', 'growth-b': 'active', 'growth-b1': 'active', platform: 'active',
      old: 'retired', 'old-child': 'retired', ended: 'ended', later: 'upcoming', idle: 'active',
    });
  });

  it('lists active nodes with no open work, and retired or ended ones only while they still have work', () => {
    const d = digestOf([
      rec({ verdict: 'aligned', objectiveIds: ['growth-a'] }),
      rec({ verdict: 'stale', objectiveIds: ['old-child'] }),
      rec({ verdict: 'stale', objectiveIds: ['old-child', 'old'] }),
    ]);
    expect(d.emptyObjectives.map((o) => o.id)).toEqual(['growth-b', 'growth-b1', 'platform', 'idle']);
    expect(d.emptyObjectives.find((o) => o.id === 'growth-b1')?.path).toEqual(['Grow revenue', 'Checkout']);
    expect(d.staleObjectives.map((o) => [o.id, o.openCount])).toEqual([['old', 2], ['old-child', 2]]);
    expect(row(d, 'old')).toMatchObject({ openCount: 2, alignedCount: 0, staleCount: 2 });
    // Stale work is not aligned work: it takes no share.
    expect(row(d, 'old').actualShare.absolute).toBe(0);
  });

  it('counts tickets naming objectives the tree no longer has', () => {
    const d = digestOf([rec({ verdict: 'aligned', objectiveIds: ['gone'] }), rec({ verdict: 'aligned', objectiveIds: ['platform'] })]);
    expect(d.unknownObjectiveTickets).toBe(1);
    expect(row(d, 'platform').openCount).toBe(1);
  });
});

describe('finished this week', () => {
  it('uses the ISO week of the digest zone, so Sunday 23:30 UTC is Monday in Paris', () => {
    const records = [
      rec({ verdict: 'closed', closedAt: '2026-11-22T23:30:00Z', objectiveIds: ['platform'] }),
      rec({ verdict: 'closed', closedAt: '2026-11-24T10:00:00Z', objectiveIds: ['growth-a', 'growth'] }),
      rec({ verdict: 'closed', closedAt: '2026-11-10T10:00:00Z', objectiveIds: ['platform'] }),
      rec({ verdict: 'closed' }),
    ];
    const utc = digestOf(records);
    const paris = digestOf(records, { timeZone: 'Europe/Paris' });
    expect(utc.totals.finishedThisWeek).toBe(1);
    expect(paris.totals.finishedThisWeek).toBe(2);
    expect(row(utc, 'platform').finishedThisWeek).toBe(0);
    expect(row(paris, 'platform').finishedThisWeek).toBe(1);
    expect(row(paris, 'growth').finishedThisWeek).toBe(1);
    expect(paris.firstDay).toBe('2026-11-23');
  });
});

describe('trend', () => {
  const snap = (isoWeek: string, byCount: number, generatedAt = '2026-11-01T00:00:00Z'): WeeklySnapshot => ({
    v: 1, isoWeek, generatedAt, open: emptyCounts(), finishedThisWeek: 0, byCount, byEstimate: byCount, denominatorCount: 10, objectives: {},
  });

  it('shows 8 weeks, oldest first, with missing weeks as gaps and the current week computed now', () => {
    const d = digestOf([rec({ verdict: 'aligned', objectiveIds: ['platform'] }), rec({ verdict: 'orphan' })], {
      history: [snap('2026-W46', 0.4), snap('2026-W43', 0.2), snap('2026-W48', 0.99), snap('2026-W30', 0.1)],
    });
    expect(d.trend.map((p) => p.isoWeek)).toEqual(['2026-W41', '2026-W42', '2026-W43', '2026-W44', '2026-W45', '2026-W46', '2026-W47', '2026-W48']);
    expect(d.trend.map((p) => p.byCount)).toEqual([null, null, 0.2, null, null, 0.4, null, 0.5]);
    expect(d.change).toEqual({ points: 10, since: '2026-W46' });
    expect(d.headline).toBe('50% of open work serves an objective, up 10 points since 2026-W46');
  });

  it('compares with last week plainly, and the later of two snapshots of one week wins', () => {
    const d = digestOf([rec({ verdict: 'aligned', objectiveIds: ['platform'] }), rec({ verdict: 'orphan' })], {
      history: [snap('2026-W47', 0.6, '2026-11-16T09:00:00Z'), snap('2026-W47', 0.54, '2026-11-17T09:00:00Z')],
    });
    expect(d.headline).toBe('50% of open work serves an objective, down 4 points');
  });

  it('round-trips through snapshotOf into next week’s trend', () => {
    const records = [rec({ verdict: 'aligned', objectiveIds: ['growth-a'] }), rec({ verdict: 'orphan' }), rec({ verdict: 'orphan' })];
    const thisWeek = snapshotOf(digestOf(records));
    expect(thisWeek).toMatchObject({ isoWeek: '2026-W48', byCount: 1 / 3, denominatorCount: 3 });
    expect(thisWeek.objectives).toMatchObject({ growth: 1, 'growth-a': 1, platform: 0 });
    const next = digestOf(records, { now: new Date('2026-12-02T12:00:00Z'), history: [thisWeek] });
    expect(next.trend.at(-2)).toEqual({ isoWeek: '2026-W48', byCount: 1 / 3, byEstimate: null, denominatorCount: 3 });
  });
});

describe('orphan and stale work per team', () => {
  it('groups by team, most first, orphans before stale, keys in natural order, capped', () => {
    const d = digestOf(
      [
        rec({ verdict: 'orphan', team: 'WEB', key: 'WEB-10' }),
        rec({ verdict: 'stale', team: 'ENG', key: 'ENG-1', objectiveIds: ['old'] }),
        rec({ verdict: 'orphan', team: 'ENG', key: 'ENG-10', title: 'Tenth', url: 'https://x.test/ENG-10' }),
        rec({ verdict: 'orphan', team: 'ENG', key: 'ENG-9', estimate: 3 }),
        rec({ verdict: 'orphan', team: undefined, key: 'X-1' }),
        rec({ verdict: 'aligned', team: 'OPS', objectiveIds: ['platform'] }),
      ],
      { options: { maxTicketsPerTeam: 2 } },
    );
    expect(d.teams.map((t) => [t.team, t.orphanCount, t.staleCount, t.total])).toEqual([
      ['ENG', 2, 1, 3],
      ['WEB', 1, 0, 1],
      [null, 1, 0, 1],
    ]);
    const eng = d.teams[0];
    expect(eng?.tickets.map((t) => t.key)).toEqual(['ENG-9', 'ENG-10']);
    expect(eng?.moreTickets).toBe(1);
    expect(eng?.estimate).toBe(3);
    expect(eng?.tickets[1]).toMatchObject({ tracker: 'linear', title: 'Tenth', url: 'https://x.test/ENG-10', verdict: 'orphan' });
  });
});

describe('themes of orphan work', () => {
  // A small deterministic PRNG so "noise" is the same on every run.
  function rng(seed: number): () => number {
    let s = seed;
    return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  }
  const VOCAB = 'search filter sidebar invoice report chart export import avatar calendar widget table column tooltip banner modal toast menu layout spacing font icon badge theme'.split(' ');
  const noiseTitle = (r: () => number): string => Array.from({ length: 4 }, () => VOCAB[Math.floor(r() * VOCAB.length)]).join(' ');

  it('finds a planted cluster and nothing from the noise around it', () => {
    const r = rng(7);
    const records = [
      ...Array.from({ length: 60 }, () => rec({ verdict: 'aligned', objectiveIds: ['platform'], title: noiseTitle(r) })),
      ...Array.from({ length: 14 }, () => rec({ verdict: 'orphan', title: noiseTitle(r) })),
      rec({ verdict: 'orphan', title: 'Dark mode for the dashboard' }),
      rec({ verdict: 'orphan', title: 'Dark mode colours in charts' }),
      rec({ verdict: 'orphan', title: 'Respect the system dark mode setting' }),
      rec({ verdict: 'orphan', title: 'Emails ignore dark mode' }),
      rec({ verdict: 'orphan', title: 'Sidebar contrast', description: 'Looks wrong in dark mode.' }),
      rec({ verdict: 'orphan', title: 'Zebra stripes in a table' }),
    ];
    const d = digestOf(records);
    expect(d.themes.map((t) => t.label)).toEqual(['dark mode']);
    const theme = d.themes[0];
    expect(theme?.count).toBe(5);
    expect(theme?.otherRate).toBe(0);
    expect(theme?.examples).toHaveLength(3);
    // Examples prefer tickets whose title names the theme.
    expect(theme?.examples.every((e) => /dark mode/i.test(e.title))).toBe(true);
  });

  it('finds nothing when orphans read like the rest of the work', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const r = rng(seed);
      const records = [
        ...Array.from({ length: 200 }, () => rec({ verdict: 'aligned', objectiveIds: ['platform'], title: noiseTitle(r) })),
        ...Array.from({ length: 60 }, () => rec({ verdict: 'orphan', title: noiseTitle(r) })),
      ];
      expect(digestOf(records).themes, `seed ${seed}`).toEqual([]);
    }
  });

  it('never makes a theme of a single ticket, and merges word forms', () => {
    const r = rng(11);
    const d = digestOf([
      ...Array.from({ length: 40 }, () => rec({ verdict: 'aligned', objectiveIds: ['platform'], title: noiseTitle(r) })),
      rec({ verdict: 'orphan', title: 'Refunding a payment twice' }),
      rec({ verdict: 'orphan', title: 'Refunds fail silently' }),
      rec({ verdict: 'orphan', title: 'Partial refund flow' }),
      rec({ verdict: 'orphan', title: 'Walrus walrus walrus' }),
    ]);
    const terms = d.themes.map((t) => t.term);
    expect(terms).not.toContain('walrus');
    // "Refunding", "Refunds" and "refund" are one word.
    expect(terms).toEqual(['refund']);
    expect(d.themes[0]?.count).toBe(3);
  });
});

describe('properties', () => {
  const verdicts: Verdict[] = ['aligned', 'orphan', 'stale', 'exempt', 'pending', 'closed'];
  const ids = ['growth', 'growth-a', 'growth-b', 'growth-b1', 'platform', 'old', 'old-child', 'idle'];
  const arbRecord = fc
    .record({
      verdict: fc.constantFrom(...verdicts),
      estimate: fc.option(fc.integer({ min: 0, max: 13 }), { nil: null }),
      objectiveIds: fc.subarray(ids, { maxLength: 3 }),
      team: fc.constantFrom('ENG', 'WEB', undefined),
    })
    .map((p) => rec({ ...p, objectiveIds: p.verdict === 'aligned' || p.verdict === 'stale' ? p.objectiveIds : [] }));

  it('keeps every share within [0, 1] and every node within its parent', () => {
    fc.assert(
      fc.property(fc.array(arbRecord, { maxLength: 60 }), (records) => {
        const d = digestOf(records);
        const inUnit = (x: number | null) => x === null || (x >= 0 && x <= 1);
        expect(inUnit(d.share.byCount) && inUnit(d.share.byEstimate)).toBe(true);
        for (const o of d.objectives) {
          expect(inUnit(o.actualShare.ofParent) && inUnit(o.actualShare.absolute) && inUnit(o.actualShare.absoluteByEstimate)).toBe(true);
          expect(o.openCount).toBeLessThanOrEqual(d.totals.openTotal);
          const parent = d.objectives.find((p) => p.id === o.parentId);
          if (parent) expect(o.openCount).toBeLessThanOrEqual(parent.openCount);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('never lowers the aligned share when an aligned ticket is added', () => {
    fc.assert(
      fc.property(
        fc.array(arbRecord, { maxLength: 60 }),
        fc.option(fc.integer({ min: 0, max: 13 }), { nil: null }),
        (records, estimate) => {
          const before = digestOf(records).share;
          const after = digestOf([...records, rec({ verdict: 'aligned', estimate, objectiveIds: ['platform'] })]).share;
          expect(after.byCount ?? 0).toBeGreaterThanOrEqual(before.byCount ?? 0);
          if (before.byEstimate !== null) expect(after.byEstimate ?? 0).toBeGreaterThanOrEqual(before.byEstimate - 1e-12);
        },
      ),
      { numRuns: 200 },
    );
  });
});
