// `/cascade link`: what a person writes, and the numbered suggestions the
// orphan comment offers, whatever rules.comment.reveal lets it name.
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/commands/parse-command.js';
import { numberLinks, wantedFor, type NumberedLink } from '../../src/commands/link-target.js';
import { composeNudge, composeResolved } from '../../src/reconcile/compose-comment.js';
import type { CommentDoc } from '../../src/reconcile/comment-doc.js';
import { decideVerdict } from '../../src/strategy/decide-verdict.js';
import { compileStrategy } from '../../src/strategy/strategy-index.js';
import type { Suggestion } from '../../src/strategy/suggest-objectives.js';
import { exampleConfig } from '../support/example-config.js';
import { NOW, linearTicket } from '../support/tickets.js';
import { TRACKERS } from '../../src/trackers/registry.js';

const text = (doc: CommentDoc): string =>
  doc.blocks.map((b) => (b.kind === 'paragraph' ? [b.content] : b.items).map((line) => line.map((i) => i.text).join('')).join('\n')).join('\n');

const audit: Suggestion = { nodeId: 'audit', title: 'Audit log and compliance exports', path: ['Expand into the enterprise segment', 'Audit log and compliance exports'], score: 0.8, links: [{ kind: 'project', name: 'Audit log' }] };
const admin: Suggestion = { nodeId: 'enterprise-admin', title: 'Admin controls', path: ['Expand into the enterprise segment', 'Admin controls'], score: 0.6, links: [{ kind: 'label', name: 'admin-console' }] };
const retention: Suggestion = { nodeId: 'retention', title: 'Make self-serve customers stay', path: ['Make self-serve customers stay'], score: 0.5, links: [{ kind: 'initiative', name: 'Activation and retention' }] };

describe('/cascade link, as written', () => {
  it('reads link, link N and link <name>; a zero is not a suggestion', () => {
    expect(parseCommand('/cascade link', NOW)).toEqual({ kind: 'link', choice: 1 });
    expect(parseCommand('/cascade link 2', NOW)).toEqual({ kind: 'link', choice: 2 });
    expect(parseCommand('/cascade link #3', NOW)).toEqual({ kind: 'link', choice: 3 });
    expect(parseCommand('/cascade link "Audit log"\nthanks', NOW)).toEqual({ kind: 'link', choice: 'Audit log' });
    expect(parseCommand('/cascade link ENT-2', NOW)).toEqual({ kind: 'link', choice: 'ENT-2' });
    expect(parseCommand('/cascade link 0', NOW)).toMatchObject({ kind: 'help' });
  });
});

describe('numbered suggestions', () => {
  it('takes a project or issue first, an initiative when the tracker found its first project, a label only when nothing else links', () => {
    expect(wantedFor({ links: [{ kind: 'label', name: 'x' }, { kind: 'project', name: 'P' }] })).toEqual({ kind: 'project', name: 'P' });
    expect(wantedFor(admin)).toEqual({ kind: 'label', name: 'admin-console' });
    expect(wantedFor({ links: [] })).toBeNull();
    // An initiative with no project found gets no number; one target is numbered once.
    const links = numberLinks([
      { nodeId: 'audit', target: { kind: 'project', id: 'p1', name: 'Audit log' } },
      { nodeId: 'retention', target: null },
      { nodeId: 'again', target: { kind: 'project', id: 'p1', name: 'Audit log' } },
      { nodeId: 'enterprise-admin', target: { kind: 'label', name: 'admin-console' } },
    ]);
    expect(links.map((l) => [l.n, l.nodeId])).toEqual([[1, 'audit'], [2, 'enterprise-admin']]);
  });

  const links: NumberedLink[] = [
    { n: 1, nodeId: 'audit', target: { kind: 'project', id: 'p1', name: 'Audit log' } },
    { n: 2, nodeId: 'enterprise-admin', target: { kind: 'label', name: 'admin-console' } },
  ];

  it.each(['path', 'objective', 'none'] as const)('says how to take each in one step, with reveal: %s', (reveal) => {
    const config = exampleConfig();
    config.rules = { ...config.rules, comment: { reveal } };
    const index = compileStrategy(config);
    const ticket = linearTicket();
    const doc = composeNudge('orphan', { ticket, words: TRACKERS[ticket.tracker].words, resolution: decideVerdict(index, ticket, NOW), index, suggestions: [audit, admin, retention], links });
    const said = text(doc);
    expect(said).toContain('reply /cascade link 1 to move it into the project "Audit log"');
    expect(said).toMatch(/^\(1\) .*\/cascade link 1$/m);
    expect(said).toMatch(/^\(2\) .*\/cascade link 2$/m);
    expect(said).not.toContain('/cascade link 3');
    if (reveal !== 'path') expect(said).not.toContain('Audit log and compliance exports');
  });

  it('names where a number moves the ticket when the suggestion is an initiative, so the line and the command agree', () => {
    const index = compileStrategy(exampleConfig());
    const ticket = linearTicket();
    const viaInitiative: NumberedLink[] = [{ n: 1, nodeId: 'retention', target: { kind: 'project', id: 'p2', name: 'Guided onboarding' } }];
    const said = text(composeNudge('orphan', { ticket, words: TRACKERS[ticket.tracker].words, resolution: decideVerdict(index, ticket, NOW), index, suggestions: [retention], links: viaInitiative }));
    expect(said).toMatch(/^\(1\) .*initiative Activation and retention — \/cascade link 1 to move it into the project "Guided onboarding"$/m);
  });

  it('the numbers are suggestions, not substance: a comment is not rewritten because they changed', () => {
    const index = compileStrategy(exampleConfig());
    const ticket = linearTicket();
    const base = { ticket, words: TRACKERS[ticket.tracker].words, resolution: decideVerdict(index, ticket, NOW), index, suggestions: [audit, admin] };
    expect(composeNudge('orphan', { ...base, links }).fingerprint).toBe(composeNudge('orphan', { ...base, links: links.slice(0, 1) }).fingerprint);
  });

  it('the aligned edit names the person who asked', () => {
    const index = compileStrategy(exampleConfig());
    const ticket = { ...linearTicket(), project: { id: 'p1', name: 'Audit log', initiatives: [{ id: 'i1', name: 'Enterprise readiness' }] } };
    const doc = composeResolved('aligned', { ticket, words: TRACKERS[ticket.tracker].words, resolution: decideVerdict(index, ticket, NOW), index, suggestions: [], linked: { person: 'Priya Natarajan', target: links[0]!.target } });
    expect(text(doc)).toContain(`✅ Linked by Cascade at Priya Natarajan's request: moved into the project "Audit log".`);
  });
});
