// "Will the strategy land?" end to end: the demo workspace with twelve weeks of
// history (sandbox/linear/seed-history.ts) in the Linear sandbox, the real receiver
// and workers; the backfill reads the history back, a worker computes the forecast
// report into Redis, and GET /admin/review and the digest read it.
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startE2E, waitFor, type E2E } from '../support/e2e.js';
import { seedDoneHistory, seedForecastBacklog } from '../../sandbox/linear/index.js';
import { ForecastStore } from '../../src/store/forecast-store.js';
import type { ForecastReport } from '../../src/forecast/forecast-report.js';
import type { ReviewWithForecasts } from '../../src/forecast/review-forecasts.js';

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

/** Waits for a forecast report computed after `since` with no recomputation still queued (the debounced one). */
async function settledReport(e: E2E, since: number): Promise<ForecastReport> {
  let report: ForecastReport | null = null;
  await waitFor(async () => {
    const pending = await e.cascade.queues.digest.getJobs(['waiting', 'delayed', 'active']);
    // The weekly schedule's next run (a `repeat:` job) is days away.
    if (pending.some((j) => !j.id?.startsWith('repeat:') && (j.data.kind === 'forecast' || j.data.kind === 'compute'))) return false;
    report = await store(e).latest();
    return report !== null && stampOf(report) >= since;
  }, 'a settled forecast report', 30_000);
  return report!;
}
// Reports carry Cascade's (fixed) clock; the computation's own order is kept by a counter of saves.
const stampOf = (r: ForecastReport): number => Date.parse(r.computedAt);

/** The demo workspace with its history, as `npm start` seeds it, read back through a restart (the backfill). */
async function demoWithHistory(env: Record<string, string> = {}): Promise<E2E> {
  const e = await startE2E({ now: () => NOW, env });
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

describe('Will the strategy land?', () => {
  it('gives a forecast for every objective with an end date, and the demo history gives on track, at risk and off track', async () => {
    e2e = await demoWithHistory();
    await settledReport(e2e, 0);
    const r = await review(e2e);
    // Enterprise and Retention end 31 Dec, Platform 30 Jun 2027; the retired Mobile launch has ended.
    expect(r.forecasts.map((f) => [f.id, f.end])).toEqual([['enterprise', '2026-12-31'], ['retention', '2026-12-31'], ['platform', '2027-06-30']]);
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
    expect(r.healthFlags).toEqual([expect.objectContaining({ nodeId: 'enterprise', kind: 'initiative', name: 'Enterprise readiness', reported: 'onTrack', forecast: 'off track' })]);
  }, 90_000);
});
