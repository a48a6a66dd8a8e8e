// The one decision of what Cascade writes on a ticket: people's removals,
// enforce_from, first marks that spend budget, comments edited only when
// their substance changes.
import { describe, expect, it } from 'vitest';
import { decideWrites, type WriteInputs } from '../../src/reconcile/decide-writes.js';
import { resolveRules } from '../../src/strategy/tree-schema.js';
import type { WrittenRecord } from '../../src/records/written-record.js';
import { heldBackLine, RolloutTally } from '../../src/digest/rollout-tally.js';
import type { VerdictRecord } from '../../src/records/verdict-record.js';

const now = new Date('2026-12-10T12:00:00Z');
const wrote: WrittenRecord = { verdict: 'orphan', label: 'no-objective', commentId: 'c1', substance: 'abc', at: '2026-12-09T00:00:00Z' };
const input = (over: Partial<WriteInputs> = {}): WriteInputs => ({
  verdict: 'orphan',
  rules: resolveRules(undefined),
  labels: ['no-objective'],
  createdAt: '2026-12-05T00:00:00Z',
  botComment: { id: 'c1' },
  written: wrote,
  removal: null,
  substance: 'abc',
  now,
  ...over,
});

describe('decideWrites', () => {
  it('writes nothing on an orphan that already shows what Cascade said', () => {
    const d = decideWrites(input());
    expect(d.plan).toEqual({ labels: [], comment: { action: 'none' } });
    expect(d.acknowledged).toBeNull();
  });

  it('puts label and comment on a new orphan, spending budget', () => {
    const d = decideWrites(input({ labels: [], botComment: null, written: null }));
    expect(d.plan.labels).toEqual([{ name: 'no-objective', present: true }]);
    expect(d.plan.comment).toEqual({ action: 'nudge', kind: 'orphan' });
    expect(d.spendsBudget).toBe(true);
  });

  it('takes a missing label of Cascade as a person acknowledging the verdict, with who from the webhook', () => {
    const d = decideWrites(input({ labels: [], removal: { what: 'label', by: 'u1', byName: 'Priya', at: '2026-12-10T11:00:00Z' } }));
    expect(d.plan).toEqual({ labels: [], comment: { action: 'none' } });
    expect(d.acknowledged).toEqual({ verdict: 'orphan', what: 'label', by: 'u1', byName: 'Priya', at: '2026-12-10T11:00:00Z', evidence: 'webhook' });
    expect(d.heldBy).toBe('acknowledged');
    expect(d.restoring).toBeNull();
  });

  it('takes the ticket history as evidence, whenever the removal happened', () => {
    const d = decideWrites(input({ labels: [], removal: { what: 'label', by: 'u1', byName: 'Priya', at: '2026-11-01T00:00:00Z', source: 'history' } }));
    expect(d.acknowledged).toMatchObject({ by: 'u1', evidence: 'history' });
  });

  it('puts a mark back once when nothing names a person who removed it, then leaves it off', () => {
    const first = decideWrites(input({ labels: [] }));
    expect(first.acknowledged).toBeNull();
    expect(first.plan.labels).toEqual([{ name: 'no-objective', present: true }]);
    expect(first.restoring).toEqual({ verdict: 'orphan', what: 'label', at: now.toISOString() });
    expect(first.spendsBudget).toBe(false); // its comment is still there
    // Removed again, still without evidence: Cascade does not fight.
    const written = { ...wrote, restored: first.restored! };
    const again = decideWrites(input({ labels: [], written }));
    expect(again.plan).toEqual({ labels: [], comment: { action: 'none' } });
    expect(again.acknowledged).toMatchObject({ what: 'label', by: null, evidence: 'none' });
    expect(again.restoring).toBeNull();
    // A new verdict starts over: the restoration was for the orphan verdict.
    const stale = decideWrites(input({ verdict: 'stale', labels: [], written: { ...written, verdict: 'stale' } }));
    expect(stale.acknowledged).toBeNull();
    expect(stale.restoring).toMatchObject({ verdict: 'stale' });
  });

  it('ignores a webhook hint older than 24 hours, one older than Cascade\'s mark, or one about another mark', () => {
    const hint = (at: string, what: 'label' | 'comment' = 'label') => ({ what, by: 'u1', byName: 'Priya', at });
    expect(decideWrites(input({ labels: [], removal: hint('2026-12-09T12:00:01Z') })).acknowledged).toMatchObject({ evidence: 'webhook' });
    expect(decideWrites(input({ labels: [], removal: hint('2026-12-09T11:59:59Z') })).restoring).toMatchObject({ what: 'label' });
    const recent = { ...wrote, at: '2026-12-10T11:30:00Z' };
    expect(decideWrites(input({ labels: [], written: recent, removal: hint('2026-12-10T11:00:00Z') })).restoring).toMatchObject({ what: 'label' });
    expect(decideWrites(input({ labels: [], removal: hint('2026-12-10T11:00:00Z', 'comment') })).restoring).toMatchObject({ what: 'label' });
    expect(decideWrites(input({ labels: [], removal: { ...hint('2026-12-10T11:00:00Z'), by: null } })).acknowledged).toBeNull();
  });

  it('takes a deleted comment as acknowledged on evidence, and ignores it when respect_people is off', () => {
    const removal = { what: 'comment' as const, by: 'u1', byName: null, at: '2026-12-10T11:00:00Z' };
    expect(decideWrites(input({ botComment: null, removal })).acknowledged).toMatchObject({ what: 'comment', by: 'u1' });
    expect(decideWrites(input({ botComment: null })).restoring).toMatchObject({ what: 'comment' });
    const off = decideWrites(input({ botComment: null, removal, rules: resolveRules({ respect_people: false }) }));
    expect(off.acknowledged).toBeNull();
    expect(off.restoring).toBeNull();
    expect(off.plan.comment).toEqual({ action: 'nudge', kind: 'orphan' });
  });

  it('keeps an acknowledgement while the verdict stands and ends it once the ticket is aligned', () => {
    const acknowledged = { verdict: 'orphan' as const, what: 'label' as const, by: 'u1', byName: null, at: '2026-12-10T11:00:00Z' };
    const written = { ...wrote, label: null, acknowledged };
    expect(decideWrites(input({ labels: [], written })).acknowledged).toEqual(acknowledged);
    const aligned = decideWrites(input({ verdict: 'aligned', labels: [], written, substance: 'linked' }));
    expect(aligned.acknowledged).toBeNull();
    expect(aligned.plan.comment).toEqual({ action: 'resolve', kind: 'aligned' });
    // A stale verdict is new: acted on.
    expect(decideWrites(input({ verdict: 'stale', labels: [], written })).plan.labels).toEqual([{ name: 'stale-objective', present: true }]);
  });

  it('never marks a ticket created before enforce_from, but still clears its own marks', () => {
    const rules = resolveRules({ enforce_from: '2026-12-08' });
    const old = decideWrites(input({ rules, labels: [], botComment: null, written: null }));
    expect(old.plan).toEqual({ labels: [], comment: { action: 'none' } });
    expect(old.heldBy).toBe('before-enforce-from');
    expect(old.spendsBudget).toBe(false);
    const cleared = decideWrites(input({ rules, verdict: 'aligned', substance: 'linked' }));
    expect(cleared.plan.labels).toEqual([{ name: 'no-objective', present: false }]);
    const fresh = decideWrites(input({ rules, createdAt: '2026-12-09T00:00:00Z', labels: [], botComment: null, written: null }));
    expect(fresh.spendsBudget).toBe(true);
  });

  it('edits the comment only when its substance changes', () => {
    expect(decideWrites(input({ substance: 'abc' })).plan.comment).toEqual({ action: 'none' });
    expect(decideWrites(input({ substance: 'new-fix' })).plan.comment).toEqual({ action: 'nudge', kind: 'orphan' });
  });

  it('adds the second mark of a ticket that already has one without spending budget', () => {
    expect(decideWrites(input({ labels: [], botComment: { id: 'c1' }, written: null })).spendsBudget).toBe(false);
  });
});

describe('the digest line', () => {
  it('says what is held back and acknowledged, counting open orphan and stale tickets only', () => {
    const tally = new RolloutTally();
    const base = { tracker: 'linear', id: '1', key: 'ENG-1', title: 't', state: 'open', verdict: 'orphan', objectiveIds: [], checkedAt: '', configVersion: 1 } as VerdictRecord;
    for (let i = 0; i < 37; i++) tally.add({ ...base, held: 'budget' });
    for (let i = 0; i < 1204; i++) tally.add({ ...base, held: 'before-enforce-from' });
    tally.add({ ...base, verdict: 'aligned', held: 'budget' });
    tally.add({ ...base, acknowledged: { verdict: 'orphan', what: 'label', by: null, byName: null, at: '' } });
    expect(heldBackLine(tally.finish())).toBe('held back today: 37 tickets over budget, 1,204 before enforce_from; 1 orphan or stale tickets acknowledged by people');
    expect(heldBackLine(new RolloutTally().finish())).toBeNull();
  });
});
