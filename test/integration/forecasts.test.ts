// "Will the strategy land?" end to end: the demo workspace with twelve weeks of
// history (sandbox/linear/seed-history.ts) in the Linear sandbox, the real receiver
// and workers; the backfill reads the history back, a worker computes the forecast
// report into Redis, and GET /admin/review and the digest read it.
import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { reviewCommand } from '../../cli/admin-commands.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startE2E, waitFor, type E2E } from '../support/e2e.js';
import { seedDoneHistory, seedForecastBacklog } from '../../sandbox/linear/index.js';
import { datedForDemo } from '../../cli/demo/demo-review.js';
import { exampleConfig } from '../support/example-config.js';
import { ForecastStore } from '../../src/store/forecast-store.js';
import type { ForecastReport } from '../../src/forecast/forecast-report.js';
import type { Digest } from '../../src/digest/types.js';
import type { ReviewWithForecasts } from '../../src/digest/review-forecasts.js';

/** Monday 7 December 2026, 10:00 in Paris: the demo's "today". */
const NOW = new Date('2026-12-07T09:00:00Z');

let e2e: E2E | undefined;
let slack: Server | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
  await new Promise((r) => (slack ? slack.close(r) : r(undefined)));
  slack = undefined;
});

const store = (e: E2E): ForecastStore => new ForecastStore(e.cascade.redis, e.cascade.keys);

/** Waits for a forecast report computed after `since` with no recomputation (the debounced one) or drift post still queued. */
async function settledReport(e: E2E, since: number): Promise<ForecastReport> {
  let report: ForecastReport | null = null;
  await waitFor(async () => {
    const pending = await e.cascade.queues.digest.getJobs(['waiting', 'delayed', 'active']);
    // The weekly schedule's next run (a `repeat:` job) is days away.
    if (pending.some((j) => !j.id?.startsWith('repeat:') && ['forecast', 'compute', 'drift'].includes(j.data.kind))) return false;
    report = await store(e).latest();
    return report !== null && stampOf(report) >= since;
  }, 'a settled forecast report', 30_000);
  return report!;
}
// Reports carry Cascade's (fixed) clock; the computation's own order is kept by a counter of saves.
const stampOf = (r: ForecastReport): number => Date.parse(r.computedAt);

/** The demo workspace with its history, as `npm start` seeds it, read back through a restart (the backfill). */
async function demoWithHistory(env: Record<string, string> = {}): Promise<E2E> {
  // The example tree dated as the demo dates it: Retention ends in 21 days, Enterprise 8 Jan, Platform 8 Jul.
  const e = await startE2E({ now: () => NOW, env, config: datedForDemo(exampleConfig(), NOW, 'UTC') });
  const linear = e.linear.store;
  linear.withoutWebhooks(() => {
    seedForecastBacklog(linear, NOW.getTime());
    seedDoneHistory(linear, NOW.getTime());
  });
  // The open tickets of both workspaces get their verdicts from a sweep, as after a first install.
  const recheck = await fetch(`${e.url}/admin/recheck`, { method: 'POST', headers: { authorization: `Bearer ${e.adminToken}`, 'content-type': 'application/json' }, body: '{}' });
  expect(recheck.status).toBeLessThan(300);
  await e.idle();
  await e.restart();
  await e.idle();
  return e;
}

async function review(e: E2E): Promise<ReviewWithForecasts> {
  const res = await fetch(`${e.url}/admin/review?days=40`, { headers: { authorization: `Bearer ${e.adminToken}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as ReviewWithForecasts;
}

/** A local stand-in for Slack's incoming webhook: keeps every text posted. */
async function slackStandIn(): Promise<{ url: string; texts: string[] }> {
  const texts: string[] = [];
  slack = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      texts.push((JSON.parse(body) as { text: string }).text);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => slack!.listen(0, '127.0.0.1', r));
  const { port } = slack.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/hook`, texts };
}

describe('Will the strategy land?', () => {
  it('gives a forecast for every objective with an end date, and the demo history gives on track, at risk and off track', async () => {
    e2e = await demoWithHistory();
    await settledReport(e2e, 0);
    const r = await review(e2e);
    // Every active objective with an end date, soonest first; the retired Mobile launch is left out.
    expect(r.forecasts.map((f) => [f.id, f.end])).toEqual([['retention', '2026-12-28'], ['enterprise', '2027-01-08'], ['platform', '2027-07-08']]);
    const status = Object.fromEntries(r.forecasts.map((f) => [f.id, f.forecast.status]));
    expect(status).toEqual({ enterprise: 'off track', retention: 'at risk', platform: 'on track' });
    for (const f of r.forecasts) {
      expect(f.forecast).toMatchObject({ probability: expect.any(Number), p50: expect.any(String), p85: expect.any(String), weeklyThroughput: expect.any(Number), openTickets: expect.any(Number) });
      expect(f.forecast.openTickets).toBeGreaterThan(0);
    }
    const enterprise = r.forecasts.find((f) => f.id === 'enterprise')!.forecast;
    expect(enterprise.cutLine.length).toBeGreaterThan(0);
    expect(r.forecasts.find((f) => f.id === 'platform')!.forecast.cutLine).toEqual([]);
    // endingSoon items carry the same forecast.
    expect(r.endingSoon.find((n) => n.id === 'enterprise')?.forecast).toEqual(enterprise);
    expect(r.capacity.find((c) => c.team === 'ENG')).toMatchObject({ overCommitted: true, colliding: expect.arrayContaining(['enterprise']) });
    expect(r.driftAlerts.map((a) => a.nodeId)).toContain('retention');
    expect(r.demand.find((d) => d.id === 'enterprise')).toMatchObject({ requests: 4, customers: 3, revenue: 4_000_000 });
    // CSV export, orphan work three customers ask for, is a candidate objective.
    expect(r.demandedThemes).toEqual([expect.objectContaining({ title: expect.stringMatching(/csv/i), customers: 3, revenue: 1_550_000 })]);
    expect(r.healthFlags).toEqual([expect.objectContaining({ nodeId: 'enterprise', kind: 'initiative', name: 'Enterprise readiness', reported: 'onTrack', forecast: 'off track' })]);

    // `cascade review` prints the same forecasts for the head of product at a terminal.
    let printed = '';
    const out = new Writable({ write(chunk, _enc, done) { printed += String(chunk); done(); } });
    const saved = process.env.ADMIN_TOKEN;
    process.env.ADMIN_TOKEN = `cli:${e2e.adminToken}`;
    try {
      expect(await reviewCommand({ days: 40, url: e2e.url }, out)).toBe(0);
    } finally {
      process.env.ADMIN_TOKEN = saved;
    }
    expect(printed).toMatch(/Expand into the enterprise segment: OFF TRACK, 0% likely by 8 Jan 2027/);
    expect(printed).toMatch(/Make self-serve customers stay and grow: AT RISK/);
    expect(printed).toMatch(/Build a platform partners extend: ON TRACK/);
    expect(printed).toContain(`Cut line at P85: ${enterprise.cutLine.length} of ${enterprise.openTickets} open tickets miss the end date`);
    expect(printed).toMatch(/ENG: load .* OVER-COMMITTED/);
  }, 90_000);

  it('posts a drift alert to Slack once when it starts and once when it ends, however often the forecasts are recomputed', async () => {
    const hook = await slackStandIn();
    e2e = await demoWithHistory({ SLACK_WEBHOOK_URL: hook.url });
    const retention = (change: string): string[] => hook.texts.flatMap((t) => t.split('\n')).filter((l) => l.startsWith(`Drift alert ${change}: Make self-serve customers stay and grow`));
    await waitFor(() => retention('started').length > 0, 'the drift alert to start');
    expect((await review(e2e)).driftAlerts.map((a) => a.nodeId)).toContain('retention');

    // The weekly digest recomputes the forecasts (and is itself posted): the alert is still up, and not posted again.
    await e2e.cascade.queues.digest.add('compute', { kind: 'compute' });
    await waitFor(() => hook.texts.some((t) => !t.startsWith('Drift alert')), 'the weekly digest in Slack');
    await settledReport(e2e, 0);
    expect(retention('started')).toHaveLength(1);

    // Last week Enterprise finished a dozen more tickets: Retention's share of finished work is back in band.
    const linear = e2e.linear.store;
    const lastWednesday = new Date(NOW.getTime() - 5 * 86_400_000).toISOString();
    linear.withoutWebhooks(() => {
      for (let k = 0; k < 12; k++) linear.createIssue({ team: 'ENG', title: `SSO hardening ${k}`, project: 'SSO', state: 'completed', createdAt: '2026-08-01T09:00:00Z', doneAt: lastWednesday });
    });
    await e2e.restart(); // the backfill reads it back, then the forecasts are recomputed
    await e2e.idle();
    await waitFor(() => retention('ended').length > 0, 'the drift alert to end');
    expect((await review(e2e)).driftAlerts.map((a) => a.nodeId)).not.toContain('retention');
    await e2e.cascade.queues.digest.add('compute', { kind: 'compute' });
    await settledReport(e2e, 0);
    await e2e.idle();
    expect([retention('started').length, retention('ended').length]).toEqual([1, 1]);
  }, 90_000);

  it('shows the forecasts on the digest page, and the same seed gives the same digest', async () => {
    const digestOf = async (): Promise<{ json: Digest; section: string }> => {
      e2e = await demoWithHistory();
      const auth = { authorization: `Bearer ${e2e.adminToken}` };
      let json: Digest | null = null;
      await waitFor(async () => {
        const res = await fetch(`${e2e!.url}/digest.json`, { headers: auth });
        json = res.status === 200 ? ((await res.json()) as Digest) : null;
        return json?.forecasts !== undefined;
      }, 'the current digest with its forecasts', 30_000);
      const page = await (await fetch(`${e2e.url}/digest`, { headers: auth })).text();
      const start = page.indexOf('<section class="card" id="will-it-land">');
      expect(start).toBeGreaterThan(0);
      const section = page.slice(start, page.indexOf('</section>', start));
      await e2e.close();
      e2e = undefined;
      return { json: json!, section };
    };
    const first = await digestOf();
    expect(first.section).toContain('Will the strategy land?');
    for (const word of ['on track', 'at risk', 'off track', 'over-committed', 'drift alert', 'Cut line at P85', 'Customer demand: 4 requests from 3 customers', 'Enterprise readiness']) expect(first.section).toContain(word);
    expect(first.section.match(/<svg class="chart forecast-chart"/g)).toHaveLength(3);
    const enterprise = first.json.forecasts!.forecasts.find((f) => f.id === 'enterprise')!;
    expect(first.section).toContain(enterprise.forecast.cutLine.slice(0, 3).join(', '));

    const second = await digestOf();
    expect(second.json.forecasts).toEqual(first.json.forecasts);
    expect(second.section).toBe(first.section);
  }, 120_000);
});
