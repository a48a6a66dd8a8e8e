import { describe, expect, it } from 'vitest';
import { firstKnownWeek, historyWindow, weekIndexOf } from '../../src/forecast/history-window.js';
import { bucketHistory } from '../../src/forecast/weekly-history.js';
import type { CompletionRecord } from '../../src/forecast/types.js';
import { MONDAY, TZ } from '../support/forecast-fixtures.js';

const done = (key: string, doneAt: string, extra: Partial<CompletionRecord> = {}): CompletionRecord => ({ key, team: 'ENG', doneAt, verdict: 'aligned', nodeIds: ['obj'], ...extra });

describe('history window', () => {
  it('is the 12 complete ISO weeks before the current one, in the zone', () => {
    const w = historyWindow(MONDAY, TZ);
    expect(w.currentWeek).toBe('2026-W50');
    expect(w.today).toBe('2026-12-07');
    expect(w.weeks).toHaveLength(12);
    expect(w.weeks[0]).toBe('2026-W38');
    expect(w.weeks[11]).toBe('2026-W49');
  });

  it('puts a ticket in the week its zone sees, not UTC', () => {
    const w = historyWindow(MONDAY, TZ);
    // Sunday 6 Dec 23:30 in Paris is 22:30 UTC: the last complete week.
    expect(weekIndexOf(w, Date.parse('2026-12-06T22:30:00Z'))).toBe(11);
    // Monday 7 Dec 00:30 in Paris is still Sunday in UTC: the current week.
    expect(weekIndexOf(w, Date.parse('2026-12-06T23:30:00Z'))).toBe(12);
    // In UTC the same instant is last week's.
    expect(weekIndexOf(historyWindow(MONDAY, 'UTC'), Date.parse('2026-12-06T23:30:00Z'))).toBe(11);
  });

  it('counts an hour of a DST week in that week (Paris moved its clocks on 25 Oct 2026)', () => {
    const w = historyWindow(MONDAY, TZ);
    const i = w.weeks.indexOf('2026-W43');
    expect(w.bounds[i + 1]! - w.bounds[i]!).toBe(169 * 3_600_000);
    expect(weekIndexOf(w, Date.parse('2026-10-25T22:30:00Z'))).toBe(i);
  });

  it('says which weeks are known when records begin mid-window (a partly recorded week is left out)', () => {
    const w = historyWindow(MONDAY, TZ);
    expect(firstKnownWeek(w)).toBe(0);
    expect(firstKnownWeek(w, new Date(w.bounds[3]!))).toBe(3);
    expect(firstKnownWeek(w, new Date(w.bounds[3]! + 1))).toBe(4);
    expect(firstKnownWeek(w, new Date('2020-01-01T00:00:00Z'))).toBe(0);
  });

  it('rejects an unknown zone and a bad week count', () => {
    expect(() => historyWindow(MONDAY, 'Mars/Olympus')).toThrow(/Unknown time zone "Mars\/Olympus"/);
    expect(() => historyWindow(MONDAY, TZ, 0)).toThrow(/whole number of weeks/);
  });
});

describe('bucketing completions and creations', () => {
  const w = historyWindow(MONDAY, TZ);

  it('counts per node, per team and overall, with estimates and unplanned work, and the current week apart', () => {
    const index = bucketHistory(
      w,
      [
        done('A-1', '2026-12-02T10:00:00Z', { estimate: 3 }),
        done('A-2', '2026-12-03T10:00:00Z', { estimate: 2, nodeIds: ['obj', 'theme'] }),
        done('A-3', '2026-12-03T10:00:00Z', { verdict: 'orphan', nodeIds: [], team: 'OPS' }),
        done('A-4', '2026-12-07T07:30:00Z'),
        done('A-5', '2026-09-01T10:00:00Z'),
      ],
      [{ key: 'A-6', team: 'ENG', createdAt: '2026-11-25T10:00:00Z', nodeIds: ['obj'] }],
    );
    const obj = index.byNode.get('obj')!;
    expect(obj.done[11]).toBe(2);
    expect(obj.doneEstimate[11]).toBe(5);
    expect(obj.created[10]).toBe(1);
    expect(obj.doneThisWeek).toBe(1);
    expect(obj.firstActiveWeek).toBe(10);
    expect(index.byNode.get('theme')!.done[11]).toBe(1);
    expect(index.byTeam.get('OPS')!.unplanned[11]).toBe(1);
    expect(index.all.done[11]).toBe(3);
    expect(index.all.done.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('counts a ticket once for a node its lineage names twice', () => {
    const index = bucketHistory(w, [done('A-1', '2026-12-02T10:00:00Z', { nodeIds: ['obj', 'obj'] })]);
    expect(index.byNode.get('obj')!.done[11]).toBe(1);
  });

  it('names the ticket whose date cannot be read', () => {
    expect(() => bucketHistory(w, [done('ENG-7', 'last Tuesday')])).toThrow(/Ticket ENG-7: doneAt "last Tuesday"/);
  });
});
