// What a comment reveals (rules.comment.reveal): anyone who can read a ticket
// reads Cascade's comment, so an organisation can keep its tree's titles and
// paths out of it. `path` (default) names the suggested nodes with their path,
// `objective` only the root objective's title, `none` only where to link.
import { describe, expect, it } from 'vitest';
import { composeNudge, composeResolved, type CommentContext } from '../../src/reconcile/compose-comment.js';
import { commentSubstance } from '../../src/reconcile/comment-substance.js';
import type { CommentDoc } from '../../src/reconcile/comment-doc.js';
import { decideVerdict } from '../../src/strategy/decide-verdict.js';
import { compileStrategy } from '../../src/strategy/strategy-index.js';
import type { Suggestion } from '../../src/strategy/suggest-objectives.js';
import type { TicketSnapshot } from '../../src/strategy/types.js';
import { exampleConfig } from '../support/example-config.js';
import { NOW, linearTicket, project } from '../support/tickets.js';
import { TRACKERS } from '../../src/trackers/registry.js';

type Reveal = 'path' | 'objective' | 'none';

function context(reveal: Reveal | undefined, ticket: TicketSnapshot, suggestions: Suggestion[] = []): CommentContext {
  const config = exampleConfig();
  if (reveal) config.rules = { ...config.rules, comment: { reveal } };
  const index = compileStrategy(config);
  return { ticket, words: TRACKERS[ticket.tracker].words, resolution: decideVerdict(index, ticket, NOW), index, suggestions };
}

const text = (doc: CommentDoc): string => doc.blocks.map((b) => (b.kind === 'paragraph' ? b.content : b.items.flat()).map((i) => i.text).join('')).join('\n');

const ROOT = 'Expand into the enterprise segment';
const MIDDLE = 'Security and compliance that passes procurement';
const NODE = 'Audit log and compliance exports';
const audit: Suggestion = { nodeId: 'audit', title: NODE, path: [ROOT, MIDDLE, NODE], score: 0.8, links: [{ kind: 'project', name: 'Audit log' }] };
const identity: Suggestion = {
  nodeId: 'identity', title: 'Identity and access for large organisations', path: [ROOT, MIDDLE, 'Identity and access for large organisations'], score: 0.6,
  links: [{ kind: 'project', name: 'SSO' }],
};
const unlinked: Suggestion = { nodeId: 'marketplace', title: 'App marketplace', path: ['Build a platform partners extend', 'App marketplace'], score: 0.5, links: [] };

describe('what a comment reveals', () => {
  const orphan = linearTicket();

  it('path (the default): the suggested nodes with their path from the root', () => {
    for (const reveal of [undefined, 'path'] as const) {
      const said = text(composeNudge('orphan', context(reveal, orphan, [audit, unlinked])));
      expect(said).toContain(`${NODE} (${ROOT} › ${MIDDLE}): project Audit log`);
      expect(said).toContain('App marketplace');
    }
  });

  it('objective: only the root objective, once, with where to link', () => {
    const said = text(composeNudge('orphan', context('objective', orphan, [audit, identity, unlinked])));
    expect(said).toContain(`${ROOT}: project Audit log`);
    expect(said).toContain(`${ROOT}: project SSO`);
    expect(said).toContain('Build a platform partners extend');
    for (const hidden of [NODE, MIDDLE, 'Identity and access', 'App marketplace', '›']) expect(said).not.toContain(hidden);
  });

  it('none: only the project or epic to link, and no objective by name', () => {
    const said = text(composeNudge('orphan', context('none', orphan, [audit, identity, unlinked])));
    expect(said).toContain('project Audit log');
    expect(said).toContain('project SSO');
    for (const hidden of [ROOT, MIDDLE, NODE, 'Identity and access', 'App marketplace', 'Build a platform', '›']) expect(said).not.toContain(hidden);
  });

  it('applies to stale comments and resolved edits too', () => {
    const stale = linearTicket({ project: project('Mobile beta') });
    expect(text(composeNudge('stale', context('path', stale)))).toContain('Launch the mobile apps');
    expect(text(composeNudge('stale', context('none', stale)))).not.toContain('Launch the mobile apps');
    expect(text(composeNudge('stale', context('none', stale)))).toContain('an objective that was retired');

    const linked = linearTicket({ project: project('Audit log') });
    expect(text(composeResolved('aligned', context('path', linked)))).toContain(`${ROOT} (${NODE})`);
    const objective = text(composeResolved('aligned', context('objective', linked)));
    expect(objective).toContain(ROOT);
    expect(objective).not.toContain(NODE);
    const none = text(composeResolved('aligned', context('none', linked)));
    expect(none).toContain('this ticket now serves a company objective through');
    for (const hidden of [ROOT, NODE]) expect(none).not.toContain(hidden);
  });

  it('is substance: narrowing it edits the comments already written, the default leaves them as they were', () => {
    const ctx = context('path', orphan);
    const intent = { action: 'nudge', kind: 'orphan' } as const;
    const before = commentSubstance(intent, orphan, ctx.resolution);
    expect(commentSubstance(intent, orphan, ctx.resolution, 'path')).toBe(before);
    expect(new Set([before, commentSubstance(intent, orphan, ctx.resolution, 'objective'), commentSubstance(intent, orphan, ctx.resolution, 'none')]).size).toBe(3);
    // And so is the comment's fingerprint, though the suggestions' lines are not part of it.
    const prints = (['path', 'objective', 'none'] as const).map((r) => composeNudge('orphan', context(r, orphan, [audit])).fingerprint);
    expect(new Set(prints).size).toBe(3);
    expect(composeNudge('orphan', context(undefined, orphan, [audit])).fingerprint).toBe(prints[0]);
  });
});
