import { describe, expect, it } from 'vitest';
import { compileStrategy } from '../../src/strategy/strategy-index.js';
import { suggestObjectives, suggestWithModel } from '../../src/strategy/suggest-objectives.js';
import { SuggestionModel } from '../../src/strategy/suggestion-model.js';
import { parseConfigText } from '../../src/config/parse-document.js';
import { validateConfig } from '../../src/config/validate-config.js';
import { exampleConfig } from '../support/example-config.js';
import { NOW } from '../support/tickets.js';

const index = compileStrategy(exampleConfig());

describe('objective suggestions', () => {
  it('ranks the closest objective first and offers the Linear project to link', () => {
    const [first] = suggestObjectives(index, { tracker: 'linear', title: 'Support Okta SAML login for single sign-on' }, NOW);
    expect(first?.nodeId).toBe('sso-saml');
    expect(first?.path).toEqual([
      'Expand into the enterprise segment',
      'Security and compliance that passes procurement',
      'Identity and access for large organisations',
      'SAML single sign-on',
    ]);
  });

  it('offers links in the ticket’s own tracker, from descendants when the node has none', () => {
    const linear = suggestObjectives(index, { tracker: 'linear', title: 'Slow page load on the dashboard', description: 'search latency is bad' }, NOW);
    expect(linear[0]?.nodeId).toBe('performance');
    expect(linear[0]?.links).toContainEqual({ kind: 'project', name: 'Performance sprint' });
    const jira = suggestObjectives(index, { tracker: 'jira', title: 'Audit log export for auditors' }, NOW);
    expect(jira[0]?.nodeId).toBe('audit');
    expect(jira[0]?.links).toEqual([{ kind: 'label', name: 'compliance' }]);
  });

  it('returns at most three, never a retired objective', () => {
    const all = suggestObjectives(index, { tracker: 'linear', title: 'mobile apps for iOS and Android field teams, api, admin, onboarding, audit' }, NOW);
    expect(all.length).toBeLessThanOrEqual(3);
    expect(all.map((s) => s.nodeId)).not.toContain('mobile-launch');
  });

  it('returns nothing for empty or stop-word-only text', () => {
    expect(suggestObjectives(index, { tracker: 'linear', title: '' }, NOW)).toEqual([]);
    expect(suggestObjectives(index, { tracker: 'linear', title: 'the and of' }, NOW)).toEqual([]);
  });
});

// A small workspace where every ticket is in one team: only the words of the
// ticket, the tree and the tickets already linked can say where it belongs.
// Growth and AI have most of the linked work; enterprise has two tickets, none
// about provisioning.
const ONE_TEAM_TREE = `
levels: [company, portfolio, feature]
objectives:
  - id: enterprise
    title: Win enterprise accounts
    description: Close and keep companies with IT and security requirements.
    children:
      - id: identity
        title: Identity and access
        description: How people sign in and how IT manages their accounts.
        children:
          - id: sso
            title: Single sign-on
            description: SAML sign-in with Okta and Azure AD.
            match: { linear: { projects: [SSO] } }
          - id: scim
            title: User provisioning
            description: Accounts created and removed from the customer's directory.
            match: { linear: { projects: [Directory sync] } }
      - id: audit
        title: Audit log
        description: Who changed what, exportable for auditors.
        match: { linear: { projects: [Audit log] } }
  - id: growth
    title: Grow self-serve revenue
    description: Teams find, try and buy without a sales call.
    children:
      - id: onboarding
        title: Onboarding checklist
        description: Setup steps and nudges for new workspaces.
        match: { linear: { projects: [Onboarding] } }
      - id: pricing
        title: Pricing and plans
        description: The plans page, seat prices and upgrades.
        match: { linear: { projects: [Pricing] } }
  - id: ai
    title: AI assistance
    description: Drafted replies and answers without anyone typing.
    children:
      - id: drafts
        title: Suggested replies
        description: A drafted answer the user can edit and send.
        match: { linear: { projects: [Reply drafts] } }
      - id: answer-bot
        title: Answer bot
        description: Replies to customers from help articles.
        match: { linear: { projects: [Answer bot] } }
`;

function oneTeamModel(): SuggestionModel {
  const parsed = parseConfigText(ONE_TEAM_TREE);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const valid = validateConfig(parsed.value);
  if (!valid.ok) throw new Error(JSON.stringify(valid.issues));
  const model = new SuggestionModel(compileStrategy(valid.config));
  const linked: [string, string, string][] = [
    ['onboarding', 'Invite teammates step during signup', 'Workspaces with a second user in the first day retain twice as well.'],
    ['onboarding', 'Checklist never marks the setup step done', 'The new workspace finished setup but the step stays open for the user.'],
    ['onboarding', 'Skip the tour for invited users', 'Invited users see the admin tour when they first sign up.'],
    ['onboarding', 'Personalise the first steps for each workspace', 'Ask what the company sells when the user signs up.'],
    ['pricing', 'Seat price in local currency', 'Visitors from Australia see dollars on the plans page.'],
    ['pricing', 'Annual toggle on the plans page', 'Show two months free for yearly billing.'],
    ['pricing', 'Upgrade prompt when the user hits the seat limit', 'Users on the free plan add a fourth seat and nothing happens.'],
    ['drafts', 'Drafted reply ignores the order status', 'The generated answer says the order shipped when it was cancelled.'],
    ['drafts', 'Shorter first draft for users', 'Generated replies are four paragraphs long.'],
    ['drafts', 'Track how often users send drafts unchanged', 'We need an acceptance rate per workspace.'],
    ['answer-bot', 'Bot quotes an archived help article', 'The returns article was archived but the bot still answers from it.'],
    ['answer-bot', 'Hand over to a person when the customer asks twice', 'Customers type agent and the bot keeps answering.'],
    ['answer-bot', 'Bot answers email as well as chat', 'Users want automatic first answers on their support address.'],
    ['sso', 'Okta login loops back to the sign-in page', 'After the redirect users land on the login page again.'],
    ['audit', 'Export the activity history for auditors', 'A year of admin actions as CSV.'],
  ];
  linked.forEach(([node, title, description], i) => model.add({ key: `linear:${i}`, nodeIds: [node], title, description, team: 'APP' }));
  return model;
}

describe('suggestions with no team signal', () => {
  const model = oneTeamModel();
  const objectiveOf = (id: string): string | undefined => model.tree.nodes.get(id)?.chainIds.at(-1);

  it('offers the enterprise objective first for SCIM provisioning, though the ticket talks of seats and invites and growth and AI have most of the linked work', () => {
    const scim = suggestWithModel(model, {
      tracker: 'linear',
      team: 'APP',
      title: 'SCIM provisioning for enterprise SSO',
      description: 'New users should be invited to the workspace when IT adds them and lose their seat when they leave; today the admin does it by hand during setup.',
    }, NOW);
    expect(scim.suggestions[0]?.nodeId).toBe('scim');
    expect(scim.suggestions[0]?.links).toEqual([{ kind: 'project', name: 'Directory sync' }]);
    const short = suggestWithModel(model, { tracker: 'linear', team: 'APP', title: 'SCIM for enterprise SSO', description: 'Invite users to the workspace when IT adds them in Okta, and free their seat when they leave.' }, NOW);
    expect(objectiveOf(short.suggestions[0]?.nodeId ?? '')).toBe('enterprise');
  });

  it('names three different objectives, so a reader who rejects the first still has two other answers', () => {
    const result = suggestWithModel(model, { tracker: 'linear', team: 'APP', title: 'Users cannot sign in after the upgrade', description: 'The seat limit prompt appears and then the login page loops.' }, NOW);
    const objectives = result.suggestions.map((s) => objectiveOf(s.nodeId));
    expect(objectives).toHaveLength(3);
    expect(new Set(objectives).size).toBe(3);
  });

  it('shows suggestions when no single objective is likely but the three together are, and says "no close match" only when even they are not', () => {
    // Half audit log, half AI: neither objective is sure, together they are.
    const text = { tracker: 'linear' as const, team: 'APP', title: 'Audit log of bot answers and drafted replies', description: 'Auditors want to see which answers were generated.' };
    const torn = suggestWithModel(model, text, NOW);
    expect(Math.max(...torn.ranked.map((r) => r.confidence))).toBeLessThan(torn.floor.confidence);
    expect(torn.suggestions[0]?.nodeId).toBe('audit');
    expect(torn.suggestions.map((s) => objectiveOf(s.nodeId))).toEqual(expect.arrayContaining(['enterprise', 'ai']));
    // The same text with a floor above what its three objectives hold together: nothing shown.
    const covered = [...new Set(torn.suggestions.map((s) => objectiveOf(s.nodeId)))].reduce((sum, id) => sum + (torn.ranked.find((r) => r.objectiveId === id)?.confidence ?? 0), 0);
    const strict = suggestWithModel(model, text, NOW, { floor: { ...torn.floor, confidence: covered + 0.01 } });
    expect(strict.suggestions).toEqual([]);
  });
});
