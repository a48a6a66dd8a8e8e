// Cascade edits its comment only when what it says changes in substance.
import { describe, expect, it } from 'vitest';
import { commentSubstance } from '../../src/reconcile/comment-substance.js';
import type { Resolution } from '../../src/strategy/decide-verdict.js';
import type { TicketSnapshot } from '../../src/strategy/types.js';

const ticket: TicketSnapshot = { tracker: 'linear', id: '1', key: 'ENG-1', title: 'Export audit trail', description: 'CSV for auditors', labels: [], state: 'open', createdAt: '2026-12-01T00:00:00Z', parents: [] };
const orphan: Resolution = { verdict: 'orphan', reason: 'no lineage', paths: [], objectiveIds: [] };

describe('commentSubstance', () => {
  it('stays the same when only the wording around it changes: title, description, labels', () => {
    const nudge = { action: 'nudge', kind: 'orphan' } as const;
    const before = commentSubstance(nudge, ticket, orphan);
    expect(commentSubstance(nudge, { ...ticket, title: 'Export the audit trail as CSV', description: 'Auditors asked twice', labels: ['backend'] }, orphan)).toBe(before);
  });

  it('changes with the verdict, with where the chain breaks, and between nudge and resolution', () => {
    const nudge = { action: 'nudge', kind: 'orphan' } as const;
    const before = commentSubstance(nudge, ticket, orphan);
    expect(commentSubstance({ action: 'nudge', kind: 'stale' }, ticket, { ...orphan, verdict: 'stale' })).not.toBe(before);
    expect(commentSubstance(nudge, { ...ticket, parents: [{ key: 'ENG-0', labels: [] }] }, orphan)).not.toBe(before);
    expect(commentSubstance({ action: 'resolve', kind: 'exempt' }, ticket, { ...orphan, verdict: 'exempt', reason: 'label bug' })).not.toBe(before);
    expect(commentSubstance({ action: 'delete' }, ticket, orphan)).toBeNull();
  });
});
