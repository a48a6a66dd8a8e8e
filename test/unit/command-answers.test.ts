// What Cascade's one comment says after a command, and when it says it.
import { describe, expect, it } from 'vitest';
import { planCommandAnswer, planReconcile } from '../../src/reconcile/plan-reconcile.js';
import { exemptionConfirmation, withReply } from '../../src/reconcile/compose-reply.js';
import { resolveRules } from '../../src/strategy/tree-schema.js';
import { decideVerdict, exemptionHolds } from '../../src/strategy/decide-verdict.js';
import { compileStrategy } from '../../src/strategy/strategy-index.js';
import { exampleConfig } from '../support/example-config.js';
import { NOW, linearTicket, project } from '../support/tickets.js';
import type { Block } from '../../src/reconcile/comment-doc.js';
import { TRACKERS } from '../../src/trackers/registry.js';

const rules = resolveRules(undefined);
const text = (blocks: Block[]): string => blocks.map((b) => (b.kind === 'paragraph' ? b.content : b.items.flat()).map((i) => i.text).join('')).join('\n');

describe('planCommandAnswer', () => {
  it('confirms a person’s exemption even where there is no comment yet', () => {
    const plan = planReconcile({ verdict: 'exempt', rules, labels: ['no-objective'], hasComment: false });
    expect(plan.comment).toEqual({ action: 'none' });
    expect(planCommandAnswer(plan, { exemptedByPerson: true, hasReply: false })).toEqual({ labels: [{ name: 'no-objective', present: false }], comment: { action: 'resolve', kind: 'exempt' } });
  });

  it('answers a command on an aligned ticket, and leaves a nudge a nudge', () => {
    const aligned = planReconcile({ verdict: 'aligned', rules, labels: [], hasComment: false });
    expect(planCommandAnswer(aligned, { exemptedByPerson: false, hasReply: true }).comment).toEqual({ action: 'reply' });
    expect(planCommandAnswer(aligned, { exemptedByPerson: false, hasReply: false }).comment).toEqual({ action: 'none' });
    const orphan = planReconcile({ verdict: 'orphan', rules, labels: [], hasComment: true });
    expect(planCommandAnswer(orphan, { exemptedByPerson: false, hasReply: true }).comment).toEqual({ action: 'nudge', kind: 'orphan' });
  });
});

describe('exemptions people set', () => {
  const index = compileStrategy(exampleConfig());
  it('win over an active lineage, and lapse at the start of their date', () => {
    const ticket = linearTicket({ project: project('SSO') });
    expect(decideVerdict(index, ticket, NOW).verdict).toBe('aligned');
    const exemption = { reason: 'vendor work', person: 'Dana', until: '2099-01-01' };
    expect(decideVerdict(index, ticket, NOW, exemption)).toMatchObject({ verdict: 'exempt', exemptBy: { kind: 'command', value: 'vendor work', by: 'Dana', until: '2099-01-01' } });
    expect(exemptionHolds(exemption, new Date('2098-12-31T23:59:59Z'))).toBe(true);
    expect(exemptionHolds(exemption, new Date('2099-01-01T00:00:00Z'))).toBe(false);
    expect(decideVerdict(index, ticket, new Date('2099-01-01T00:00:00Z'), exemption).exemptBy?.kind).not.toBe('command');
  });
});

describe('the comment’s answers', () => {
  it('confirms an exemption with the reason, the person and the date', () => {
    const said = text(exemptionConfirmation({ reason: 'support rotation', person: 'Dana', until: '2027-03-31' }).blocks);
    for (const part of ['support rotation', 'Dana', '2027-03-31', '/cascade unexempt']) expect(said).toContain(part);
  });

  it('adds the answer to what the comment says, and changes its fingerprint', () => {
    const doc = exemptionConfirmation({ reason: 'r', person: 'p', until: null });
    const help = withReply(doc, { kind: 'help', error: '"x" is not a Cascade command.', person: 'Dana', at: '' }, TRACKERS.linear.words);
    expect(text(help!.blocks)).toContain('"x" is not a Cascade command.');
    expect(text(help!.blocks)).toContain('/cascade propose <objective title>');
    expect(help!.fingerprint).not.toBe(doc.fingerprint);
    expect(withReply(doc, null, TRACKERS.linear.words)).toBe(doc);
    expect(text(withReply(null, { kind: 'proposed', title: 'Win mid-market', person: 'Dana', at: '' }, TRACKERS.linear.words)!.blocks)).toContain('"Win mid-market", proposed by Dana');
  });
});

describe('commands in a restricted comment', () => {
  it('are answered without quoting the reason, the title or the words', () => {
    const exempt = text(exemptionConfirmation({ reason: 'secret acquisition work', person: 'Dana', until: '2027-03-31', restricted: true }).blocks);
    expect(exempt).not.toContain('secret');
    for (const part of ['Exempt from objective checks', 'restricted comment', 'Dana', '2027-03-31']) expect(exempt).toContain(part);
    const proposed = text(withReply(null, { kind: 'proposed', title: 'Buy Initech', person: 'Dana', at: '', restricted: true }, TRACKERS.linear.words)!.blocks);
    expect(proposed).not.toContain('Initech');
    expect(proposed).toContain('Proposal recorded');
    const help = text(withReply(null, { kind: 'help', error: '"initech" is not a Cascade command.', person: 'Dana', at: '', restricted: true }, TRACKERS.linear.words)!.blocks);
    expect(help).not.toContain('initech');
    expect(help).toContain('/cascade exempt <reason>');
  });

  it('carry the restriction from the exemption to the confirmation the check composes', () => {
    const index = compileStrategy(exampleConfig());
    const exemption = { reason: 'secret acquisition work', person: 'Dana', until: null, restricted: true };
    expect(decideVerdict(index, linearTicket(), NOW, exemption).exemptBy).toMatchObject({ kind: 'command', restricted: true });
  });
});
