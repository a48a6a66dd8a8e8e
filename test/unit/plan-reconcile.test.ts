// What Cascade writes on a ticket for each verdict, and that a ticket already
// showing its verdict gets no write at all.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveRules, type ResolvedRules } from '../../src/strategy/tree-schema.js';
import { planReconcile, type ReconcilePlan } from '../../src/reconcile/plan-reconcile.js';
import type { Verdict } from '../../src/strategy/types.js';

const rules = resolveRules(undefined);
const withRules = (overrides: Partial<ResolvedRules>): ResolvedRules => ({ ...rules, ...overrides });
const plan = (verdict: Verdict, labels: string[], hasComment = false, r: ResolvedRules = rules): ReconcilePlan =>
  planReconcile({ verdict, rules: r, labels, hasComment });

describe('planReconcile', () => {
  it('labels and nudges an orphan, and takes off the stale label it no longer has', () => {
    expect(plan('orphan', ['frontend'])).toEqual({ labels: [{ name: 'no-objective', present: true }], comment: { action: 'nudge', kind: 'orphan' } });
    expect(plan('orphan', ['stale-objective'], true)).toEqual({
      labels: [{ name: 'no-objective', present: true }, { name: 'stale-objective', present: false }],
      comment: { action: 'nudge', kind: 'orphan' },
    });
    expect(plan('stale', ['no-objective']).labels).toEqual([{ name: 'stale-objective', present: true }, { name: 'no-objective', present: false }]);
  });

  it('asks for no label write when the ticket already shows its verdict, whatever the case of the label', () => {
    expect(plan('orphan', ['No-Objective', 'frontend'], true).labels).toEqual([]);
    expect(plan('aligned', ['frontend']).labels).toEqual([]);
  });

  it('clears the labels of a linked or exempt ticket, and settles its comment as on_aligned says', () => {
    const labels = ['no-objective', 'stale-objective'];
    const cleared = [{ name: 'no-objective', present: false }, { name: 'stale-objective', present: false }];
    expect(plan('aligned', labels, true)).toEqual({ labels: cleared, comment: { action: 'resolve', kind: 'aligned' } });
    expect(plan('exempt', labels, true).comment).toEqual({ action: 'resolve', kind: 'exempt' });
    expect(plan('aligned', labels, true, withRules({ onAligned: 'delete' })).comment).toEqual({ action: 'delete' });
    expect(plan('aligned', labels, true, withRules({ onAligned: 'keep' })).comment).toEqual({ action: 'none' });
    // No comment there: nothing to settle.
    expect(plan('aligned', labels, false).comment).toEqual({ action: 'none' });
  });

  it('with comments turned off, removes Cascade\'s comment from an orphan and posts none', () => {
    const off = withRules({ comment: false });
    expect(plan('orphan', [], true, off).comment).toEqual({ action: 'delete' });
    expect(plan('orphan', [], false, off).comment).toEqual({ action: 'none' });
  });

  it('leaves pending and closed tickets as they are, even with Cascade\'s marks on them', () => {
    for (const verdict of ['pending', 'closed'] as const) {
      expect(plan(verdict, ['no-objective', 'stale-objective'], true)).toEqual({ labels: [], comment: { action: 'none' } });
    }
  });

  it('asks for nothing more once its label changes are applied (property)', () => {
    const verdict = fc.constantFrom<Verdict>('aligned', 'orphan', 'stale', 'exempt', 'pending', 'closed');
    const labels = fc.uniqueArray(fc.constantFrom<string>('no-objective', 'NO-OBJECTIVE', 'stale-objective', 'frontend', 'backend'), { maxLength: 4 });
    fc.assert(
      fc.property(verdict, labels, (v, before) => {
        const first = plan(v, before);
        const after = before.filter((l) => !first.labels.some((c) => !c.present && c.name.toLowerCase() === l.toLowerCase()));
        for (const change of first.labels) if (change.present) after.push(change.name);
        expect(plan(v, after).labels).toEqual([]);
      }),
    );
  });
});
