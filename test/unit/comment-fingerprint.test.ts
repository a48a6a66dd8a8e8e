// The fingerprint decides whether Cascade edits its comment: it must stay the
// same while what the comment says stays the same (or a sweep would edit every
// comment it meets), and change when the substance changes.
import { describe, expect, it } from 'vitest';
import { fingerprintIn, markerFor } from '../../src/reconcile/comment-doc.js';
import { composeNudge, composeResolved, type CommentContext } from '../../src/reconcile/compose-comment.js';
import { decideVerdict } from '../../src/strategy/decide-verdict.js';
import { compileStrategy } from '../../src/strategy/strategy-index.js';
import type { Suggestion } from '../../src/strategy/suggest-objectives.js';
import type { TicketSnapshot } from '../../src/strategy/types.js';
import { exampleConfig } from '../support/example-config.js';
import { NOW, linearTicket, parent, project } from '../support/tickets.js';
import { TRACKERS } from '../../src/trackers/registry.js';

const index = compileStrategy(exampleConfig());

function context(ticket: TicketSnapshot, suggestions: Suggestion[] = []): CommentContext {
  return { ticket, words: TRACKERS[ticket.tracker].words, resolution: decideVerdict(index, ticket, NOW), index, suggestions, publicUrl: 'https://cascade.example.com' };
}

// Without links: the "To fix it" line names the first suggestion's link, and that is substance.
const suggestion = (nodeId: string, title: string, score: number): Suggestion => ({ nodeId, title, path: [title], score, links: [] });

describe('comment fingerprints', () => {
  const orphan = linearTicket({ parents: [parent('ENG-2')] });

  it('is the same for the same ticket, composed twice or from a copy', () => {
    expect(composeNudge('orphan', context(orphan)).fingerprint).toBe(composeNudge('orphan', context(structuredClone(orphan))).fingerprint);
  });

  it('does not move when only the list of suggestions moves', () => {
    const a = composeNudge('orphan', context(orphan, [suggestion('identity', 'Identity', 0.8)]));
    const b = composeNudge('orphan', context(orphan, [suggestion('audit', 'Audit log', 0.6), suggestion('identity', 'Identity', 0.5)]));
    const none = composeNudge('orphan', context(orphan));
    expect(new Set([a.fingerprint, b.fingerprint, none.fingerprint]).size).toBe(1);
    // The suggestions are still in the comment people read.
    expect(JSON.stringify(a.blocks)).toContain('Identity');
    expect(JSON.stringify(b.blocks)).toContain('Audit log');
  });

  it('changes when what the comment says changes', () => {
    const prints = new Set([
      composeNudge('orphan', context(orphan)).fingerprint,
      composeNudge('orphan', context(linearTicket({ parents: [parent('ENG-3')] }))).fingerprint,
      composeNudge('orphan', context(linearTicket())).fingerprint,
      composeResolved('aligned', context(linearTicket({ project: project('SSO') }))).fingerprint,
      composeResolved('aligned', context(linearTicket({ project: project('Audit log') }))).fingerprint,
    ]);
    expect(prints.size).toBe(5);
  });

  it('is found again in a body that carries the marker', () => {
    const { fingerprint } = composeNudge('orphan', context(orphan));
    expect(fingerprint).toMatch(/^[a-z0-9]+$/);
    expect(fingerprintIn(`Some text\n\n<!-- ${markerFor(fingerprint)} -->`)).toBe(fingerprint);
    expect(fingerprintIn('a person wrote cascade:check without a fingerprint')).toBeNull();
  });
});
