// The forecasts in the digest's three renderers: every title, key and customer name
// is the user's text and comes out escaped; the numbers come out as a reader needs them.
import { describe, expect, it } from 'vitest';
import type { CascadeConfig } from '../../src/strategy/tree-schema.js';
import { computeDigest } from '../../src/digest/compute.js';
import { renderDigestHtml } from '../../src/digest/render-html.js';
import { renderDigestSlack } from '../../src/digest/render-slack.js';
import { renderDigestText } from '../../src/digest/render-text.js';
import type { ForecastReport } from '../../src/forecast/forecast-report.js';

const NOW = new Date('2026-12-07T09:00:00Z');
const EVIL = '<script>alert(1)</script> <!here> \u0007bell';
const config: CascadeConfig = { objectives: [{ id: 'o', title: EVIL, period: { start: '2026-07-01', end: '2026-12-31' } }] } as CascadeConfig;

const report: ForecastReport = {
  computedAt: NOW.toISOString(), isoWeek: '2026-W50', today: '2026-12-07', timeZone: 'UTC',
  forecasts: [{
    id: 'o', title: EVIL, end: '2026-12-31',
    forecast: { probability: 0.62, p50: '2026-12-27', p85: '2027-01-07', p95: '2027-01-15', status: 'at risk', weeklyThroughput: 4.9, weeklyCreated: 0.7, openTickets: 13, cutLine: ['<b>ENG-1</b>', 'ENG-2'], lowData: false, basis: 'objective', historyWeeks: 12, doneInHistory: 59 },
  }],
  capacity: [{ team: '<i>ENG</i>', throughput: 6, unplannedShare: 0.2, capacity: 4.8, load: 6, ratio: 1.25, overCommitted: true, historyWeeks: 12, objectives: [], colliding: ['o'], levers: { dropTickets: 3, dropFrom: [{ objectiveId: 'o', tickets: 3 }], moveEnd: [{ objectiveId: 'o', weeks: 2 }] } }],
  allocation: [{ nodeId: 'o', title: EVIL, finished: 21, finishedEstimate: 40, actualShare: 0.48, actualEstimateShare: 0.46, openShare: 0.24, openEstimateShare: 0.2, targetShare: 0.35, band: 'out', driftAlert: true }],
  demand: [{ id: 'o', title: EVIL, requests: 4, customers: 3, revenue: 4_000_000, sentence: '4 requests from 3 customers, $4,000,000 revenue', topCustomers: ['<img src=x onerror=alert(1)>', 'Acme'], fieldTotal: 0 }],
  healthFlags: [{ nodeId: 'o', title: EVIL, kind: 'initiative', name: '<u>Enterprise</u>', reported: 'onTrack', forecast: 'off track' }],
  demandedThemes: [{ title: '<em>csv export</em>', requests: 3, customers: 3, revenue: 1_550_000, sentence: '3 requests from 3 customers, $1,550,000 revenue', topCustomers: ['Globex'], tickets: ['ENG-19'] }],
};
const digest = computeDigest({ config, records: [], history: [], now: NOW, timeZone: 'UTC', forecasts: report });

describe('forecasts in the digest', () => {
  it('HTML: a chart per objective, the cut line, capacity, drift and demand, and no user markup', () => {
    const page = renderDigestHtml(digest);
    const section = page.slice(page.indexOf('id="will-it-land"'));
    expect(section).toContain('62% likely by 31 Dec');
    expect(section).toContain('Cut line at P85: 2 of 13 open tickets miss the end date, in rank order &lt;b&gt;ENG-1&lt;/b&gt;, ENG-2.');
    expect(section).toContain('drop 3 tickets');
    expect(section).toContain('Drift alert');
    expect(section.match(/<svg class="chart forecast-chart"/g)).toHaveLength(1);
    expect(section).toContain('&lt;em&gt;csv export&lt;/em&gt;</strong>: 3 requests from 3 customers');
    for (const bad of ['<script>', '<img src=x', '<b>ENG-1', '<i>ENG', '<u>Enterprise', '<em>csv']) expect(page).not.toContain(bad);
    expect(section).toContain('&lt;script&gt;');
  });

  it('Slack: escaped mrkdwn, with the status, the cut line and the over-committed team', () => {
    const payload = renderDigestSlack(digest);
    const all = JSON.stringify(payload);
    expect(all).toContain('Will the strategy land?');
    expect(all).toContain('at risk');
    expect(all).toContain('over-committed');
    for (const bad of ['<script>', '<!here>', '<b>ENG-1', '<i>ENG']) expect(all).not.toContain(bad);
  });

  it('text: the forecast lines with control characters taken out', () => {
    const text = renderDigestText(digest);
    expect(text).toContain('AT RISK, 62% likely by 31 Dec');
    expect(text).toContain('OVER-COMMITTED');
    expect(text).toContain('DRIFT ALERT');
    expect(text).not.toContain('\u0007');
  });
});
