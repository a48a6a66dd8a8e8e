// The digest page in a real browser: served over HTTP like the route serves it,
// rendered by Debian's Chromium, checked for errors, charts, escaping and layout.
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildRecords } from '../../bench/digest-fixture.js';
import type { CascadeConfig } from '../../src/strategy/tree-schema.js';
import { computeDigest, snapshotOf } from '../../src/digest/compute.js';
import { renderDigestHtml } from '../../src/digest/render-html.js';
import type { WeeklySnapshot } from '../../src/digest/types.js';

const NOW = new Date('2026-11-25T09:00:00Z');
let server: Server;
let browser: Browser;
let baseUrl: string;

async function pageHtml(): Promise<string> {
  const config = parse(await readFile(new URL('../../config/strategy.example.yaml', import.meta.url), 'utf8')) as CascadeConfig;
  // Earlier weeks from the same generator, with one week missing (a gap).
  const history: WeeklySnapshot[] = [];
  for (const back of [7, 6, 5, 3, 2, 1]) {
    const then = new Date(NOW.getTime() - back * 7 * 86_400_000);
    const records = buildRecords(config, { count: 400, now: then, seed: back });
    history.push(snapshotOf(computeDigest({ config, records, history: [], now: then, timeZone: 'Europe/Paris' })));
  }
  const records = buildRecords(config, { count: 3000, now: NOW });
  records.push({
    tracker: 'linear', id: 'evil', key: 'ENG-666', title: '<script>alert(1)</script>', url: 'javascript:alert(1)', team: 'ENG',
    state: 'open', verdict: 'orphan', objectiveIds: [], checkedAt: NOW.toISOString(), configVersion: 1,
  });
  const digest = computeDigest({ config, records, history, now: NOW, timeZone: 'Europe/Paris', publicUrl: 'https://cascade.example.com' });
  // Enough tickets per team that the hostile one is on the page.
  return renderDigestHtml(digest, { ticketsPerTeam: 25 });
}

beforeAll(async () => {
  const html = await pageHtml();
  server = createServer((req, res) => {
    if (req.url === '/digest') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

describe('digest page in Chromium', () => {
  it('renders without errors, with three titled charts and the hostile title as text', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    let dialogs = 0;
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));

    const res = await page.goto(`${baseUrl}/digest`);
    expect(res?.status()).toBe(200);
    await expect(page.title()).resolves.toMatch(/^Cascade digest 2026-W48: \d+% of open work serves an objective/);

    const charts = page.locator('svg[role="img"]');
    await expect(charts.count()).resolves.toBe(3);
    // Each chart's accessible title, looked up from inside the page by its aria-labelledby id.
    const ids = await charts.evaluateAll((svgs) => svgs.map((s) => (s.getAttribute('aria-labelledby') ?? '').split(' ')[0] ?? ''));
    const titles = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()));
    expect(titles).toEqual([
      'Aligned share of open work, last weeks',
      'Actual vs target share of aligned work per objective',
      'Orphan and stale tickets per team',
    ]);
    // The charts have drawn something: the trend line and the bars have size.
    const box = await page.locator('#trend-chart path').first().boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(100);

    const evil = page.getByText('<script>alert(1)</script>', { exact: true });
    await expect(evil.count()).resolves.toBe(1);
    await expect(evil.isVisible()).resolves.toBe(true);
    await expect(page.locator('a[href^="javascript:"]').count()).resolves.toBe(0);
    await expect(page.locator('a[href="/digest/2026-W47"]').count()).resolves.toBe(1);

    const dir = await mkdtemp(join(tmpdir(), 'cascade-digest-'));
    const shot = join(dir, 'digest-1280.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect((await stat(shot)).size).toBeGreaterThan(10_000);

    expect(errors).toEqual([]);
    expect(dialogs).toBe(0);
    // Self-contained: the page itself is the only request.
    expect(requests).toEqual([`${baseUrl}/digest`]);
    await page.close();
  });

  it('fits a phone screen without sideways scrolling', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await page.goto(`${baseUrl}/digest`);
    // A string expression: it runs in the page, where document and window exist.
    const widths = (await page.evaluate('({ doc: document.documentElement.scrollWidth, view: window.innerWidth })')) as { doc: number; view: number };
    expect(widths.doc).toBeLessThanOrEqual(widths.view);
    const chartWidth = await page.locator('#target-chart').evaluate((e) => e.getBoundingClientRect().width);
    expect(chartWidth).toBeGreaterThan(300);
    await page.close();
  });
});
