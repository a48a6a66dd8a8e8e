import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileStrategy } from '../../src/strategy/strategy-index.js';
import { SuggestionModel, type SuggestionExample } from '../../src/strategy/suggestion-model.js';
import { suggestWithModel } from '../../src/strategy/suggest-objectives.js';
import { linkedNodes, isExample } from '../../src/strategy/linked-examples.js';
import { composeNudge } from '../../src/reconcile/compose-comment.js';
import { decideVerdict } from '../../src/strategy/decide-verdict.js';
import type { VerdictRecord } from '../../src/records/verdict-record.js';
import { exampleConfig } from '../support/example-config.js';
import { linearTicket, NOW } from '../support/tickets.js';
import { TRACKERS } from '../../src/trackers/registry.js';

const index = compileStrategy(exampleConfig());
const ticket = (title: string, description?: string, team = 'WEB') => ({ tracker: 'linear' as const, title, description, team });

const DARK: SuggestionExample[] = [
  { key: 'linear:1', nodeIds: ['onboarding'], title: 'Dark mode for the dashboard', description: 'A dark colour theme that follows the system setting.', team: 'WEB' },
  { key: 'linear:2', nodeIds: ['onboarding'], title: 'Dark theme colours for charts', description: 'Chart palette unreadable on a dark background.', team: 'WEB' },
  { key: 'linear:3', nodeIds: ['onboarding'], title: 'High contrast dark palette', team: 'WEB' },
];

describe('the suggestion model', () => {
  it('learns from linked tickets what the node text alone does not say', () => {
    const model = new SuggestionModel(index);
    const before = suggestWithModel(model, ticket('Dark mode toggle in the web app', 'A dark theme for evening work.'), NOW);
    expect(before.suggestions.map((s) => s.nodeId)).not.toContain('onboarding');
    for (const e of DARK) model.add(e);
    const after = suggestWithModel(model, ticket('Dark mode toggle in the web app', 'A dark theme for evening work.'), NOW);
    expect(after.suggestions[0]?.nodeId).toBe('onboarding');
    expect(after.suggestions[0]?.links).toContainEqual({ kind: 'project', name: 'Guided onboarding' });
  });

  it('forgets an example exactly: adding then removing tickets leaves the ranking a model without them gives', () => {
    const texts = ['Dark mode for the dashboard', 'SAML login for Okta', 'Audit log export to CSV', 'Faster search page', 'Webhooks retry with backoff', 'Partner app listing'];
    const nodes = [...index.nodes.keys()];
    fc.assert(
      fc.property(
        fc.array(fc.record({ text: fc.constantFrom(...texts), node: fc.constantFrom(...nodes), team: fc.constantFrom('ENG', 'WEB'), keep: fc.boolean() }), { maxLength: 12 }),
        fc.constantFrom(...texts),
        (ops, query) => {
          const incremental = new SuggestionModel(index, { normTolerance: 0 });
          const fresh = new SuggestionModel(index, { normTolerance: 0 });
          ops.forEach((op, i) => incremental.add({ key: `k${i}`, nodeIds: [op.node], title: op.text, team: op.team }));
          ops.forEach((op, i) => {
            if (op.keep) fresh.add({ key: `k${i}`, nodeIds: [op.node], title: op.text, team: op.team });
            else incremental.remove(`k${i}`);
          });
          const a = incremental.rank(query, undefined, 'WEB');
          const b = fresh.rank(query, undefined, 'WEB');
          const fromFresh = new Map(b.map((r) => [r.nodeId, r]));
          expect(a.length).toBe(b.length);
          for (const r of a) {
            expect(r.score).toBeCloseTo(fromFresh.get(r.nodeId)!.score, 6);
            expect(r.confidence).toBeCloseTo(fromFresh.get(r.nodeId)!.confidence, 6);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('says nothing below the confidence floor: text close to no objective gets no suggestion', () => {
    const model = new SuggestionModel(index);
    for (const e of DARK) model.add(e);
    const result = suggestWithModel(model, ticket('Team lunch on Friday with the sales team', 'Catering and music for forty people.'), NOW);
    expect(result.suggestions).toEqual([]);
    expect(result.ranked.length).toBeGreaterThan(0);
  });

  it('keeps the same examples over a new version of the tree, dropping nodes that are gone', () => {
    const model = new SuggestionModel(index);
    for (const e of DARK) model.add(e);
    const config = exampleConfig();
    const next = model.withTree(compileStrategy(config));
    expect(next.size).toBe(3);
    expect(next.rank('Dark mode toggle', undefined, 'WEB')[0]?.nodeId).toBe('onboarding');
  });
});

describe('the tree’s own words', () => {
  it('counts the names a node is linked by as its words: "readiness" means the initiative Enterprise readiness', () => {
    const model = new SuggestionModel(index);
    const result = suggestWithModel(model, ticket('Readiness gaps found in the Q3 review', 'Three items left before the Acme deal can close.'), NOW);
    expect(result.suggestions[0]?.path[0]).toBe('Expand into the enterprise segment');
  });
});

describe('examples from verdict records', () => {
  const record = (verdict: VerdictRecord['verdict'], objectiveIds: string[]): VerdictRecord => ({
    tracker: 'linear', id: 'a', key: 'ENG-1', title: 'x', state: 'open', verdict, objectiveIds, checkedAt: NOW.toISOString(), configVersion: 1,
  });

  it('takes aligned and finished linked work, and links each to its nearest matched nodes', () => {
    expect(isExample(record('aligned', ['sso-saml', 'identity', 'enterprise-security', 'enterprise']))).toBe(true);
    expect(isExample(record('closed', ['public-api', 'platform']))).toBe(true);
    expect(isExample(record('orphan', []))).toBe(false);
    expect(isExample(record('stale', ['mobile-launch']))).toBe(false);
    expect(linkedNodes(['sso-saml', 'identity', 'enterprise-security', 'enterprise'], index)).toEqual(['sso-saml']);
    expect(linkedNodes(['audit', 'public-api', 'enterprise-security', 'enterprise', 'platform'], index)).toEqual(['audit', 'public-api']);
  });
});

describe('the comment’s suggestions', () => {
  const orphan = linearTicket({ title: 'Dark mode toggle in the web app', team: 'WEB' });
  const resolution = decideVerdict(index, orphan, NOW);

  it('says "no close match" when nothing clears the floor, and a moved suggestion does not change the fingerprint', () => {
    const none = composeNudge('orphan', { ticket: orphan, words: TRACKERS[orphan.tracker].words, resolution, index, suggestions: [] });
    const text = JSON.stringify(none.blocks);
    expect(text).toContain('no close match');
    const model = new SuggestionModel(index);
    const one = suggestWithModel(model, ticket('Public API rate limits and pagination'), NOW).suggestions.slice(0, 1).map((s) => ({ ...s, links: [] }));
    expect(one).toHaveLength(1);
    const withOne = composeNudge('orphan', { ticket: orphan, words: TRACKERS[orphan.tracker].words, resolution, index, suggestions: one });
    expect(JSON.stringify(withOne.blocks)).toContain(one[0]!.title);
    expect(withOne.fingerprint).toBe(none.fingerprint);
    expect(withOne.suggestions).toEqual([{ nodeId: one[0]!.nodeId, links: [] }]);
  });
});
