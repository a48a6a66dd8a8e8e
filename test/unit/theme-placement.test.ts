// Orphan themes placed against the strategy: a theme that reads like one
// objective's linked work is a linking problem; one like nothing linked
// anywhere is a candidate new objective.
import { describe, expect, it } from 'vitest';
import { computeDigest } from '../../src/digest/compute.js';
import { renderDigestText as renderText } from '../../src/digest/render-text.js';
import { renderDigestHtml as renderHtml } from '../../src/digest/render-html.js';
import { renderDigestSlack as renderSlack } from '../../src/digest/render-slack.js';
import type { VerdictRecord } from '../../src/records/verdict-record.js';
import type { Verdict } from '../../src/strategy/types.js';
import { exampleConfig } from '../support/example-config.js';

const NOW = new Date('2026-11-25T12:00:00Z');
let seq = 0;
const rec = (verdict: Verdict, title: string, objectiveIds: string[] = []): VerdictRecord => {
  seq++;
  return { tracker: 'linear', id: `id-${seq}`, key: `ENG-${seq}`, title, team: 'ENG', state: 'open', objectiveIds, verdict, checkedAt: NOW.toISOString(), configVersion: 1 };
};

const SSO = ['identity', 'enterprise-security', 'enterprise'];
const records = [
  rec('aligned', 'Okta SAML login for enterprise tenants', ['sso-saml', ...SSO]),
  rec('aligned', 'SAML certificate rotation', ['sso-saml', ...SSO]),
  rec('aligned', 'Azure AD SAML login fails', ['sso-saml', ...SSO]),
  rec('aligned', 'SCIM provisioning of users', SSO),
  rec('aligned', 'Rate limits on the public API', ['public-api', 'platform']),
  rec('aligned', 'Pagination for API list endpoints', ['public-api', 'platform']),
  rec('aligned', 'Search latency on the dashboard', ['performance', 'retention']),
  ...['Billing address form', 'Invoice PDF layout', 'Team avatars', 'Onboarding tooltip copy', 'Export chart as PNG', 'Calendar widget week start'].map((t) => rec('aligned', t, ['onboarding', 'retention'])),
  ...['Search filters', 'Saved views', 'Bulk edit', 'Dashboard load time', 'Slow report page', 'Uptime alerts', 'Error rate spikes', 'Cache warmup', 'Query timeouts', 'Image compression', 'Bundle size', 'Mobile layout'].map((t) => rec('aligned', t, ['performance', 'retention'])),
  ...['Webhook retries', 'GraphQL schema docs', 'API tokens per workspace'].map((t) => rec('aligned', t, ['public-api', 'platform'])),
  rec('orphan', 'SAML login for Google Workspace'),
  rec('orphan', 'SAML login loop on Safari'),
  rec('orphan', 'SAML login error message unclear'),
  rec('orphan', 'SAML login with two identity providers'),
  rec('orphan', 'SAML login for contractors'),
  rec('orphan', 'SAML login session length'),
  rec('orphan', 'SAML login audit of failures'),
  rec('orphan', 'Carbon footprint report for the board'),
  rec('orphan', 'Carbon footprint of cloud regions'),
  rec('orphan', 'Carbon footprint disclosure page'),
  rec('orphan', 'Carbon footprint numbers for suppliers'),
  rec('orphan', 'Carbon footprint of office travel'),
  rec('orphan', 'Carbon footprint methodology note'),
  rec('orphan', 'Carbon footprint in the annual report'),
  ...['Typo on settings page', 'Sidebar collapses', 'Rename workspace', 'Keyboard shortcut list', 'Empty state art'].map((t) => rec('orphan', t)),
];

describe('orphan themes against the strategy', () => {
  const digest = computeDigest({ config: exampleConfig(), records, history: [], now: NOW, timeZone: 'UTC' });
  const theme = (label: string) => digest.themes.find((t) => t.label.toLowerCase().includes(label));

  it('tells a theme close to one objective’s linked work from one far from every objective', () => {
    expect(theme('saml')?.placement).toMatchObject({ kind: 'objective', objectiveId: 'enterprise' });
    expect(theme('carbon')?.placement).toMatchObject({ kind: 'new' });
  });

  it('shows the distinction in the text, HTML and Slack digests', () => {
    const text = renderText(digest);
    expect(text).toContain('probably belongs under Expand into the enterprise segment');
    expect(text).toContain('candidate new objective');
    const html = renderHtml(digest);
    expect(html).toContain('probably belongs under <strong>Expand into the enterprise segment</strong>');
    expect(html).toContain('candidate new objective');
    const slack = JSON.stringify(renderSlack(digest));
    expect(slack).toContain('probably belongs under Expand into the enterprise segment');
    expect(slack).toContain('candidate new objective');
  });
});
