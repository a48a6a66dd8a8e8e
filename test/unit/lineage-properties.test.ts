// Properties that must hold for any ticket, not only the examples above.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileStrategy } from '../../src/strategy/strategy-index.js';
import { decideVerdict } from '../../src/strategy/decide-verdict.js';
import { PARENT_DEPTH } from '../../src/strategy/limits.js';
import type { AncestorTicket, TicketSnapshot } from '../../src/strategy/types.js';
import { exampleConfig } from '../support/example-config.js';
import { NOW, linearTicket, project } from '../support/tickets.js';

const index = compileStrategy(exampleConfig());
const ACTIVE_PROJECTS = ['SSO', 'SCIM provisioning', 'Audit log', 'Guided onboarding', 'Performance sprint', 'Public API v2'];
const label = fc.constantFrom('frontend', 'backend', 'performance', 'admin-console', 'design', 'ux', 'api', 'enterprise');
const ancestor: fc.Arbitrary<AncestorTicket> = fc.record({
  key: fc.integer({ min: 2, max: 500 }).map((n) => `ENG-${n}`),
  labels: fc.array(label, { maxLength: 3 }),
  project: fc.option(fc.constantFrom('SSO', 'Mobile beta', 'Design system refresh', 'Billing').map((n) => project(n)), { nil: undefined }),
});
const ticketArb: fc.Arbitrary<TicketSnapshot> = fc
  .record({
    labels: fc.array(label, { maxLength: 4 }),
    // Unique keys: a repeated key is a looping chain, which the hostile-data tests cover.
    // One short of the deepest chain Cascade reads, so the test below can add a parent on top.
    parents: fc.uniqueArray(ancestor, { maxLength: PARENT_DEPTH - 1, selector: (a) => a.key }),
    project: fc.option(fc.constantFrom('Mobile beta', 'Design system refresh', ...ACTIVE_PROJECTS).map((n) => project(n)), { nil: undefined }),
  })
  .map((parts) => linearTicket(parts));

describe('lineage properties', () => {
  it('adding a matching ancestor under an active objective never yields orphan or stale', () => {
    fc.assert(
      fc.property(ticketArb, fc.constantFrom(...ACTIVE_PROJECTS), (ticket, name) => {
        const linked = { ...ticket, parents: [...ticket.parents, { key: 'ENG-999', labels: [], project: project(name) }] };
        expect(decideVerdict(index, linked, NOW).verdict).toBe('aligned');
      }),
    );
  });

  it('label order never changes a verdict', () => {
    fc.assert(
      fc.property(ticketArb, (ticket) => {
        const reversed = { ...ticket, labels: [...ticket.labels].reverse() };
        expect(decideVerdict(index, reversed, NOW).verdict).toBe(decideVerdict(index, ticket, NOW).verdict);
      }),
    );
  });

  it('closing a ticket always gives closed; reopening gives back the open verdict', () => {
    fc.assert(
      fc.property(ticketArb, (ticket) => {
        expect(decideVerdict(index, { ...ticket, state: 'closed' }, NOW).verdict).toBe('closed');
        expect(decideVerdict(index, ticket, NOW).verdict).not.toBe('closed');
      }),
    );
  });

  it('every path ends at a root objective and aligned tickets list their objectives', () => {
    fc.assert(
      fc.property(ticketArb, (ticket) => {
        const r = decideVerdict(index, ticket, NOW);
        for (const path of r.paths) expect(index.rootIds).toContain(path.nodeIds[path.nodeIds.length - 1]);
        if (r.verdict === 'aligned') expect(r.objectiveIds.length).toBeGreaterThan(0);
        if (r.verdict === 'orphan') expect(r.paths).toEqual([]);
      }),
    );
  });

  it('never throws on arbitrary JSON in place of a ticket', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (labels, parents) => {
        const hostile = { ...linearTicket(), labels, parents } as unknown as TicketSnapshot;
        expect(() => decideVerdict(index, hostile, NOW)).not.toThrow();
      }),
    );
  });
});
