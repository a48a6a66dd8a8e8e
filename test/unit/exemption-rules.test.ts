// The pure rules around exemptions people set: who may set them, how long they
// last, when they are suspended, the comment's time that orders commands, and
// the digest's count of exemptions per team.
import { describe, expect, it } from 'vitest';
import { resolveRules } from '../../src/strategy/tree-schema.js';
import { exemptionEnds, exemptionInForce, listedExemption, type Exemption } from '../../src/commands/exemption.js';
import { exemptionRight } from '../../src/commands/who-may-exempt.js';
import { peopleExemptions, RESTRICTED_REASON } from '../../src/digest/people-exemptions.js';
import { computeDigest } from '../../src/digest/compute.js';
import { renderDigestHtml } from '../../src/digest/render-html.js';
import { renderDigestSlack } from '../../src/digest/render-slack.js';
import { renderDigestText } from '../../src/digest/render-text.js';
import { normaliseLinear } from '../../src/trackers/linear/normalise-webhook.js';
import { normaliseJira } from '../../src/trackers/jira/normalise-webhook.js';
import { validateConfig } from '../../src/config/validate-config.js';
import { exampleConfig } from '../support/example-config.js';
import { TRACKERS } from '../../src/trackers/registry.js';

const set = (at: string, until: string | null = null, extra: Partial<Exemption> = {}): Exemption => ({ reason: 'support rotation', person: 'Dana Reyes', personId: 'u1', until, at, ...extra });

describe('who may exempt (rules.exemptions.who)', () => {
  const person = { id: 'u1', name: 'Dana Reyes' };
  it('editors (the default): whoever the tracker says may edit the ticket, and nobody it does not', () => {
    const rules = resolveRules(undefined);
    expect(rules.exemptions).toEqual({ who: 'editors', maxDays: 180, people: [] });
    expect(exemptionRight(rules, TRACKERS.jira.words, 'OPS-3', person, true)).toEqual({ allowed: true });
    const refused = exemptionRight(rules, TRACKERS.jira.words, 'OPS-3', person, false);
    expect(refused).toMatchObject({ allowed: false, reason: expect.stringContaining('Edit Issues permission on OPS-3') });
    expect(exemptionRight(rules, TRACKERS.linear.words, 'ENG-7', person, false)).toMatchObject({ allowed: false, reason: expect.stringContaining('members of the team of ENG-7') });
    // A command whose author the delivery does not name cannot be checked: refused.
    expect(exemptionRight(rules, TRACKERS.linear.words, 'ENG-7', { name: 'Someone' }, true)).toMatchObject({ allowed: false });
  });

  it('anyone allows every commenter; admins only the accounts listed', () => {
    expect(exemptionRight(resolveRules({ exemptions: { who: 'anyone' } }), TRACKERS.jira.words, 'OPS-3', { name: 'Someone' }, false)).toEqual({ allowed: true });
    const admins = resolveRules({ exemptions: { who: 'admins', people: ['u9'] } });
    expect(exemptionRight(admins, TRACKERS.jira.words, 'OPS-3', { id: 'u9', name: 'Ada' }, false)).toEqual({ allowed: true });
    expect(exemptionRight(admins, TRACKERS.jira.words, 'OPS-3', person, true)).toMatchObject({ allowed: false, reason: expect.stringContaining('rules.exemptions.people') });
  });

  it('is validated in the config, with the path of a wrong value', () => {
    const config = exampleConfig();
    config.rules = { ...config.rules, exemptions: { who: 'everyone' as 'anyone', max_days: 0 } };
    const paths = (validateConfig(config) as { issues?: Array<{ path: string }> }).issues?.map((i) => i.path) ?? [];
    expect(paths).toEqual(expect.arrayContaining(['rules.exemptions.who', 'rules.exemptions.max_days']));
  });
});

describe('how long an exemption lasts', () => {
  it('ends after max_days when no date is given or the date is later, else on the date given', () => {
    expect(exemptionEnds(set('2026-12-07T09:30:00.000Z'), 180)).toBe('2027-06-06');
    expect(exemptionEnds(set('2026-12-07T09:30:00.000Z', '2030-01-01'), 180)).toBe('2027-06-06');
    expect(exemptionEnds(set('2026-12-07T09:30:00.000Z', '2027-01-15'), 180)).toBe('2027-01-15');
  });

  it('applies until its last day starts, and not at all while rules.commands is false', () => {
    const rules = resolveRules({ exemptions: { max_days: 2 } });
    const exemption = set('2026-12-07T09:30:00.000Z');
    expect(exemptionInForce(exemption, rules, new Date('2026-12-09T23:59:59Z'))).toMatchObject({ until: '2026-12-10' });
    expect(exemptionInForce(exemption, rules, new Date('2026-12-10T00:00:00Z'))).toBeNull();
    expect(exemptionInForce(exemption, resolveRules({ commands: false }), new Date('2026-12-08T00:00:00Z'))).toBeNull();
    expect(listedExemption('linear', 'i1', exemption, resolveRules({ commands: false }))).toMatchObject({ suspended: true, person: { id: 'u1', name: 'Dana Reyes' }, source: 'command' });
  });
});

describe("a command's written time", () => {
  it('comes from Linear createdAt, or updatedAt for an edit', () => {
    const delivery = (action: string, data: Record<string, unknown>) => ({ type: 'Comment', action, actor: { id: 'u1', name: 'Dana' }, data: { id: 'c1', body: '/cascade unexempt', issueId: 'i1', ...data }, ...(action === 'update' ? { updatedFrom: { body: 'x' } } : {}) });
    expect(normaliseLinear(delivery('create', { createdAt: '2026-12-07T09:00:00.000Z', updatedAt: '2026-12-07T09:00:00.000Z' }))).toMatchObject({ event: { writtenAt: '2026-12-07T09:00:00.000Z' } });
    expect(normaliseLinear(delivery('update', { createdAt: '2026-12-07T09:00:00.000Z', updatedAt: '2026-12-07T09:05:00.000Z' }))).toMatchObject({ event: { writtenAt: '2026-12-07T09:05:00.000Z' } });
  });

  it("comes from Jira's created, or updated for an edit, in Jira's own offset format", () => {
    const delivery = (event: string) => ({
      webhookEvent: event,
      comment: { id: '100', body: '/cascade unexempt', author: { accountId: 'a1' }, created: '2026-12-07T10:00:00.000+0100', updated: '2026-12-07T10:07:30.500+0100' },
      issue: { id: '10001', key: 'OPS-3' },
    });
    expect(normaliseJira(delivery('comment_created'))).toMatchObject({ event: { writtenAt: '2026-12-07T09:00:00.000Z' } });
    expect(normaliseJira(delivery('comment_updated'))).toMatchObject({ event: { writtenAt: '2026-12-07T09:07:30.500Z' } });
  });
});

describe('exemptions people set, in the digest', () => {
  it('counts this week’s per team with the most frequent reasons, whatever their case', () => {
    const week = [Date.parse('2026-12-07T00:00:00Z'), Date.parse('2026-12-14T00:00:00Z')] as const;
    const rows = [
      { tracker: 'linear' as const, exemption: set('2026-12-08T10:00:00Z', null, { team: 'ENG', reason: 'Support rotation' }) },
      { tracker: 'linear' as const, exemption: set('2026-12-09T10:00:00Z', null, { team: 'ENG', reason: 'support rotation ' }) },
      { tracker: 'linear' as const, exemption: set('2026-12-10T10:00:00Z', null, { team: 'ENG', reason: 'vendor work' }) },
      { tracker: 'jira' as const, exemption: set('2026-12-13T23:00:00Z', null, { key: 'OPS-4', reason: 'audit' }) },
      // Last week's: not counted.
      { tracker: 'linear' as const, exemption: set('2026-12-06T23:59:59Z', null, { team: 'ENG', reason: 'old' }) },
    ];
    expect(peopleExemptions(rows, ...week)).toEqual({
      total: 4,
      teams: [
        { tracker: 'linear', team: 'ENG', count: 3, reasons: [{ reason: 'Support rotation', count: 2 }, { reason: 'vendor work', count: 1 }] },
        { tracker: 'jira', team: 'OPS', count: 1, reasons: [{ reason: 'audit', count: 1 }] },
      ],
    });
  });
  it('counts a reason written in a restricted Jira comment without quoting it', () => {
    const week = [Date.parse('2026-12-07T00:00:00Z'), Date.parse('2026-12-14T00:00:00Z')] as const;
    const rows = [{ tracker: 'jira' as const, exemption: { ...set('2026-12-08T10:00:00Z', null, { key: 'OPS-4', reason: 'acquisition of Acme' }), restricted: true } }];
    const counted = peopleExemptions(rows, ...week);
    expect(counted.teams[0]?.count).toBe(1);
    expect(JSON.stringify(counted)).not.toContain('Acme');
    expect(counted.teams[0]?.reasons).toEqual([{ reason: RESTRICTED_REASON, count: 1 }]);
  });
});

describe('the digest’s exemptions line, in every format', () => {
  const config = exampleConfig();
  const now = new Date('2026-12-09T12:00:00Z');
  const exemptions = [
    { tracker: 'linear' as const, exemption: set('2026-12-08T10:00:00Z', null, { team: 'ENG', reason: 'support <rotation>' }) },
    { tracker: 'linear' as const, exemption: set('2026-12-08T11:00:00Z', null, { team: 'ENG', reason: 'support <rotation>' }) },
  ];
  const digest = computeDigest({ config, records: [], history: [], now, timeZone: 'UTC', exemptions });

  it('sits beside the headline share in HTML (escaped), text and Slack, and in the JSON', () => {
    expect(digest.exemptedByPeople).toEqual({ total: 2, teams: [{ tracker: 'linear', team: 'ENG', count: 2, reasons: [{ reason: 'support <rotation>', count: 2 }] }] });
    const html = renderDigestHtml(digest);
    expect(html).toContain('2 tickets exempted by people this week');
    expect(html).toContain('ENG: 2 exempted (support &lt;rotation&gt; ×2)');
    expect(renderDigestText(digest)).toContain('Exempted by people this week: 2 (left out of the share)\n  ENG: 2 exempted (support <rotation> ×2)');
    const slack = JSON.stringify(renderDigestSlack(digest).blocks);
    expect(slack).toContain('Exempted by people this week: 2');
    expect(slack).toContain('ENG: 2 exempted (support &lt;rotation&gt; ×2)');
  });

  it('says nothing when nobody exempted anything this week', () => {
    const quiet = computeDigest({ config, records: [], history: [], now, timeZone: 'UTC' });
    expect(renderDigestText(quiet)).not.toContain('Exempted by people');
    expect(renderDigestHtml(quiet)).not.toContain('exempted by people');
  });
});
