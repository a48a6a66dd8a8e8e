// The settings page in a real browser (Debian's Chromium through playwright-core):
// the real app on a real port, the admin API's install routes on a real Redis,
// installations stored directly in the store. The page asks for the admin token
// once per browser session, lists the installations with their statuses and
// expiries, disconnects, connects, and shows a hostile workspace name as text.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { readEnvironment } from '../../src/config/environment.js';
import { InstallationStore, installKeys } from '../../src/installs/installation-store.js';
import { InstallService } from '../../src/installs/install-service.js';
import { secretBox } from '../../src/installs/secret-box.js';
import type { InstallationRecord } from '../../src/records/installation.js';
import type { TrackerApp } from '../../src/trackers/descriptor.js';
import { createQueues, type Queues } from '../../src/queue/queues.js';
import { ConfigStore } from '../../src/store/config-store.js';
import { keysFor } from '../../src/store/keys.js';
import { VerdictStore } from '../../src/store/verdict-store.js';
import { adminPlugin } from '../../src/routes/admin/index.js';
import { settingsPageRoutes } from '../../src/routes/settings-page.js';
import { startCascade, type RunningCascade } from '../../cli/start-cascade.js';
import { routeApp } from '../support/route-app.js';
import { testPrefix } from '../support/test-prefix.js';

const redisUrl = inject('redisUrl');
const ADMIN = { name: 'ops', token: 'ops-admin-token-0123456789' };
const KEY = 'c'.repeat(64);
const HOSTILE = '<img src=x onerror=alert(1)>';
const DAY = 24 * 3600_000;
/** Every wait in the browser is bounded: a broken page fails in seconds, not at the test timeout. */
const WAIT_MS = 10_000;

let browser: Browser;
/** A page on the tracker's side: where Connect sends the browser to consent. */
let consent: Server;
let consentUrl: string;

beforeAll(async () => {
  consent = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Consent</title><p>Allow Cascade?</p>'));
  await new Promise<void>((resolve) => consent.listen(0, '127.0.0.1', resolve));
  consentUrl = `http://127.0.0.1:${(consent.address() as AddressInfo).port}/oauth/authorize`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    timeout: 30_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (consent ? consent.close(() => resolve()) : resolve()));
});

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

interface Served {
  url: string;
  store: InstallationStore;
  ids: { acme: string; globex: string; initech: string; hostile: string };
  /** Installations Cascade told the tracker about on Disconnect. */
  disconnected: string[];
}

/** A Linear app whose consent page is `consentUrl`; Jira has no app set up here. */
function linearApp(disconnected: string[]): TrackerApp {
  const unused = (): never => {
    throw new Error('not used by the settings page');
  };
  return {
    configured: () => true,
    authorizeUrl: (_env, { state, redirectUri }) => `${consentUrl}?state=${encodeURIComponent(state)}&redirect_uri=${encodeURIComponent(redirectUri)}`,
    complete: unused,
    refresh: unused,
    disconnect: async (_env, installation) => {
      disconnected.push(installation.id);
    },
    create: unused,
  };
}

async function serve(options: { empty?: boolean } = {}): Promise<Served> {
  const prefix = testPrefix('settings');
  const redis = new Redis(redisUrl);
  cleanups.push(() => redis.quit());
  const keys = keysFor(prefix);
  const { hostname, port } = new URL(redisUrl);
  const queues: Queues = createQueues({ connection: { host: hostname, port: Number(port) }, prefix });
  cleanups.push(() => queues.close());
  const box = secretBox(KEY);
  const store = new InstallationStore(redis, installKeys(testPrefix('installs')));
  const disconnected: string[] = [];
  const app = linearApp(disconnected);
  const installs = new InstallService({ env: readEnvironment({}), store, box, app: (t) => (t === 'linear' ? app : undefined), logger: pino({ level: 'silent' }) });

  const now = Date.now();
  const iso = (offset: number): string => new Date(now + offset).toISOString();
  const put = async (record: Omit<InstallationRecord, 'id'>): Promise<string> => (await store.upsert(record)).id;
  const sealed = box.seal(JSON.stringify({ accessToken: 'lin_oauth_never_shown', refreshToken: 'lin_refresh_never_shown', grant: 'authorization_code' }));
  const base = { tenant: 'default', sealedTokens: sealed, installedAt: iso(-30 * DAY), updatedAt: iso(-DAY) };
  const ids = options.empty ? { acme: '', globex: '', initech: '', hostile: '' } : {
    acme: await put({ ...base, tracker: 'linear', workspace: { id: 'org-acme', name: 'Acme' }, status: 'active', expiresAt: iso(DAY) }),
    globex: await put({
      ...base, tracker: 'jira', workspace: { id: 'cloud-globex', name: 'Globex site' }, status: 'needs_reauth', statusReason: 'the refresh token was refused: consent again',
      expiresAt: iso(-2 * 3600_000), refreshChainEndsAt: iso(300 * DAY), webhook: { ids: [7], url: 'https://cascade.example.com/webhooks/jira/x', expiresAt: iso(20 * DAY) },
    }),
    initech: await put({ ...base, tracker: 'linear', workspace: { id: 'org-initech', name: 'Initech' }, status: 'revoked', statusReason: 'disconnected by an admin' }),
    hostile: await put({ ...base, tracker: 'linear', tenant: 'acme-eu', workspace: { id: 'org-evil', name: HOSTILE }, status: 'active', expiresAt: iso(DAY) }),
  };

  const configStore = new ConfigStore(redis, keys);
  const fastify: FastifyInstance = await routeApp({
    redis,
    keys,
    adminTokens: [ADMIN],
    plugins: [
      adminPlugin({ tokens: [ADMIN], configStore, verdicts: new VerdictStore(redis, keys), queues, trackers: {}, now: () => new Date(), startRecheck: async () => ({ sweepIds: [] }), sweepProgress: async () => [], installs }),
      async (instance) => {
        await instance.register(settingsPageRoutes, { adminApi: true, trackers: ['linear', 'jira'] });
      },
    ],
  });
  cleanups.push(() => fastify.close());
  const url = await fastify.listen({ port: 0, host: '127.0.0.1' });
  return { url, store, ids, disconnected };
}

interface Watched {
  context: BrowserContext;
  page: Page;
  errors: string[];
  dialogs: string[];
}

/** A new browser context (its own sessionStorage), with its console errors and dialogs recorded. */
async function open(url: string): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  cleanups.push(() => context.close());
  context.setDefaultTimeout(WAIT_MS);
  const page = await context.newPage();
  const watched: Watched = { context, page, errors: [], dialogs: [] };
  watch(watched, page);
  const answer = await page.goto(`${url}/settings`);
  expect(answer?.status()).toBe(200);
  return watched;
}

function watch(watched: Watched, page: Page): void {
  page.on('console', (m) => {
    // Chromium logs each 4xx answer as "Failed to load resource"; the page's own handling of them is what is checked.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) watched.errors.push(m.text());
  });
  page.on('pageerror', (e) => watched.errors.push(e.message));
  // Confirm dialogs are answered by each test; any other dialog (an alert from a hostile name) is recorded and dismissed.
  page.on('dialog', (d) => {
    if (d.type() !== 'confirm') {
      watched.dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    }
  });
}

async function signIn(page: Page, token: string): Promise<void> {
  await page.getByLabel('Admin token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const row = (page: Page, name: string) => page.locator('#install-rows tr', { has: page.locator('.workspace-name', { hasText: name }) });
const statusOf = (page: Page, name: string) => row(page, name).locator('.pill').textContent();

async function listed(url: string): Promise<Array<{ id: string; status: string }>> {
  const answer = await fetch(`${url}/admin/installs`, { headers: { authorization: `Bearer ${ADMIN.token}` } });
  expect(answer.status).toBe(200);
  return (await answer.json()) as Array<{ id: string; status: string }>;
}

describe('settings page in Chromium', () => {
  it('asks for the token, refuses a wrong one and asks again, then lists the installations with their statuses and expiries', async () => {
    const served = await serve();
    const { page, errors } = await open(served.url);
    await expect(page.title()).resolves.toBe('Cascade settings');
    await page.getByLabel('Admin token').waitFor();
    expect(await page.locator('#installs').isVisible()).toBe(false);

    await signIn(page, 'not-the-admin-token');
    await page.locator('#sign-in-message', { hasText: 'refused' }).waitFor();
    expect(await page.getByLabel('Admin token').isVisible()).toBe(true);
    expect(await page.getByLabel('Admin token').inputValue()).toBe('');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

    await signIn(page, ADMIN.token);
    await row(page, 'Acme').waitFor();
    expect(await page.locator('#sign-in').isVisible()).toBe(false);
    expect(await page.locator('#install-rows tr').count()).toBe(4);
    expect(await statusOf(page, 'Acme')).toBe('Active');
    expect(await statusOf(page, 'Globex site')).toBe('Needs reauth');
    expect(await statusOf(page, 'Initech')).toBe('Revoked');
    expect(await row(page, 'Globex site').locator('.reason').textContent()).toBe('the refresh token was refused: consent again');
    // Column by column for one row: tracker, workspace, tenant, and the expiries as machine-readable times.
    const globex = await served.store.get(served.ids.globex);
    const cells = row(page, 'Globex site').locator('th, td');
    expect(await cells.nth(0).textContent()).toBe('Jira');
    expect(await cells.nth(2).textContent()).toBe('default');
    expect(await cells.nth(4).locator('time').first().getAttribute('datetime')).toBe(globex?.expiresAt);
    expect(await cells.nth(4).textContent()).toContain('(passed)');
    expect(await cells.nth(4).locator('time').nth(1).getAttribute('datetime')).toBe(globex?.refreshChainEndsAt);
    expect(await cells.nth(5).locator('time').getAttribute('datetime')).toBe(globex?.webhook?.expiresAt);
    expect(await cells.nth(6).locator('time').getAttribute('datetime')).toBe(globex?.installedAt);
    // Disconnect on what can still be disconnected, never on a revoked one; Reconnect on the one that needs it.
    expect(await row(page, 'Acme').getByRole('button', { name: 'Disconnect Acme' }).count()).toBe(1);
    expect(await row(page, 'Initech').getByRole('button').count()).toBe(0);
    expect(await row(page, 'Globex site').getByRole('button', { name: 'Reconnect Globex site' }).count()).toBe(1);
    // The token is kept for the session only, and never put in the URL.
    expect(await page.evaluate(() => [sessionStorage.length, localStorage.length])).toEqual([1, 0]);
    expect(page.url()).toBe(`${served.url}/settings`);
    expect(errors).toEqual([]);
  });

  it('shows a hostile workspace name as text: no dialog, no element made from it', async () => {
    const served = await serve();
    const { page, errors, dialogs } = await open(served.url);
    await signIn(page, ADMIN.token);
    await row(page, HOSTILE).waitFor();
    expect(await row(page, HOSTILE).locator('.workspace-name').textContent()).toBe(HOSTILE);
    expect(await row(page, HOSTILE).locator('td').nth(1).textContent()).toBe('acme-eu');
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('asks once per browser session: a reload keeps the token, a new context and Sign out ask again', async () => {
    const served = await serve();
    const first = await open(served.url);
    await signIn(first.page, ADMIN.token);
    await row(first.page, 'Acme').waitFor();

    await first.page.reload();
    await row(first.page, 'Acme').waitFor();
    expect(await first.page.locator('#sign-in').isVisible()).toBe(false);

    const second = await open(served.url);
    await second.page.getByLabel('Admin token').waitFor();
    expect(await second.page.locator('#installs').isVisible()).toBe(false);

    await first.page.getByRole('button', { name: 'Sign out' }).click();
    await first.page.getByLabel('Admin token').waitFor();
    expect(await first.page.evaluate(() => sessionStorage.length)).toBe(0);
    await first.page.reload();
    await first.page.getByLabel('Admin token').waitFor();
    expect(await first.page.locator('#installs').isVisible()).toBe(false);
  });

  it('disconnects an installation after the confirm, and keeps it when the confirm is declined', async () => {
    const served = await serve();
    const { page, errors } = await open(served.url);
    await signIn(page, ADMIN.token);
    const disconnect = page.getByRole('button', { name: 'Disconnect Acme' });

    page.once('dialog', (d) => void d.dismiss());
    await disconnect.click();
    await page.waitForFunction('!document.querySelector("button:disabled")');
    expect(await statusOf(page, 'Acme')).toBe('Active');
    expect((await listed(served.url)).find((i) => i.id === served.ids.acme)?.status).toBe('active');

    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.accept();
    });
    await disconnect.click();
    await row(page, 'Acme').locator('.pill', { hasText: 'Revoked' }).waitFor();
    expect(asked[0]).toContain('Disconnect Cascade from the Linear workspace "Acme"?');
    expect(await page.locator('#list-message').textContent()).toBe('Disconnected "Acme".');
    expect(await row(page, 'Acme').getByRole('button').count()).toBe(0);
    expect((await listed(served.url)).find((i) => i.id === served.ids.acme)?.status).toBe('revoked');
    expect(served.disconnected).toEqual([served.ids.acme]);
    expect(errors).toEqual([]);
  });

  it('connects: the browser goes to the consent page; a tracker without an app shows the API message; a bad tenant is refused', async () => {
    const served = await serve();
    const { page, errors } = await open(served.url);
    await signIn(page, ADMIN.token);
    await row(page, 'Acme').waitFor();

    await page.getByRole('button', { name: 'Connect Jira' }).click();
    await page.locator('#connect-message', { hasText: 'jira is not set up as an app in this deployment' }).waitFor();
    expect(await page.locator('#connect-message').textContent()).toMatch(/^Could not connect Jira: jira is not set up as an app in this deployment: set its client id and secret/);

    await page.getByLabel('Tenant').fill('Not A Tenant');
    await page.getByRole('button', { name: 'Connect Linear' }).click();
    await page.locator('#connect-message', { hasText: 'A tenant id is' }).waitFor();

    await page.getByLabel('Tenant').fill('');
    await Promise.all([page.waitForURL(`${consentUrl}?**`), page.getByRole('button', { name: 'Connect Linear' }).click()]);
    const at = new URL(page.url());
    expect(at.searchParams.get('redirect_uri')).toBe(`${served.url}/oauth/linear/callback`);
    // The state is one the install service stored: one use, for tenant `default`.
    expect(await served.store.takeState(at.searchParams.get('state') ?? '')).toMatchObject({ tracker: 'linear', tenant: 'default' });
    expect(errors).toEqual([]);
  });

  it('asks again when a kept token stops working, and says so when Cascade cannot be reached', async () => {
    const served = await serve();
    const { page, context } = await open(served.url);
    await signIn(page, ADMIN.token);
    await row(page, 'Acme').waitFor();

    await context.route('**/admin/installs', (route) => route.abort('connectionrefused'));
    await page.getByRole('button', { name: 'Reload the list' }).click();
    await page.locator('#list-message', { hasText: 'Cascade could not be reached' }).waitFor();
    await context.unroute('**/admin/installs');

    await page.evaluate(() => sessionStorage.setItem('cascade.settings.adminToken', 'a-rotated-away-token'));
    await page.getByRole('button', { name: 'Reload the list' }).click();
    await page.locator('#sign-in-message', { hasText: 'The admin token was refused' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it('says when there are no installations yet, and refuses a pasted token with spaces before sending it', async () => {
    const served = await serve({ empty: true });
    const { page, errors } = await open(served.url);
    const asked: string[] = [];
    page.on('request', (r) => asked.push(r.url()));
    await signIn(page, 'two words');
    await page.locator('#sign-in-message', { hasText: 'An admin token has no spaces' }).waitFor();
    expect(asked.filter((u) => u.includes('/admin/'))).toEqual([]);

    await signIn(page, ADMIN.token);
    await page.locator('#list-message', { hasText: 'No installations yet: connect a workspace below.' }).waitFor();
    expect(await page.locator('#install-table').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Connect Linear' }).isVisible()).toBe(true);
    expect(errors).toEqual([]);
  });
});

describe('settings page as cascade serves it', () => {
  let cascade: RunningCascade | undefined;
  afterEach(async () => {
    await cascade?.close();
    cascade = undefined;
  });

  it('is served with a strict policy beside the admin API, and says so when no installations are kept', async () => {
    const env = readEnvironment({ ADMIN_TOKEN: ADMIN.token });
    cascade = await startCascade({ role: 'serve', env, redisUrl, logger: pino({ level: 'silent' }), trackers: {}, prefix: testPrefix('settings-cascade'), checkOffThread: false });
    const app = cascade.app!;
    const shell = await app.inject({ method: 'GET', url: '/settings' });
    expect(shell.statusCode).toBe(200);
    expect(shell.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(shell.headers['content-security-policy']).toMatch(/script-src 'self'; style-src 'sha256-[A-Za-z0-9+/=]+'; connect-src 'self'; form-action 'none'/);
    expect(shell.body).not.toContain(ADMIN.token);
    const script = await app.inject({ method: 'GET', url: '/settings.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');

    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const { page, errors } = await open(url);
    await signIn(page, ADMIN.token);
    await page.locator('#list-message', { hasText: 'This Cascade keeps no installations: start it with CASCADE_SECRET_KEY set' }).waitFor();
    // One Connect button per tracker in the registry.
    expect(await page.getByRole('button', { name: /^Connect / }).allTextContents()).toEqual(['Connect Linear', 'Connect Jira']);
    expect(errors).toEqual([]);
  });

  it('is not served without an admin token', async () => {
    cascade = await startCascade({ role: 'serve', env: readEnvironment({}), redisUrl, logger: pino({ level: 'silent' }), trackers: {}, prefix: testPrefix('settings-cascade'), checkOffThread: false });
    expect((await cascade.app!.inject({ method: 'GET', url: '/settings' })).statusCode).toBe(404);
  });
});
