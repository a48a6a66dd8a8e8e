// The Linear sandbox as Linear's OAuth app server: the authorize step's checks, the
// token endpoint's grants (single-use codes, rotating refresh tokens, one active
// client-credentials token), revocation, expiry on the sandbox clock, one workspace
// per token, and the app webhooks (organizationId, OAuthApp revoked, PermissionChange).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LinearClient } from '@linear/sdk';
import { signLinearBody, startLinearSandbox, type LinearSandbox } from '../../sandbox/linear/index.js';

const REDIRECT = 'https://cascade.example.com/oauth/linear/callback';
const opened: Array<{ close(): Promise<void> | void }> = [];
afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await item.close();
});

async function sandbox(options: Parameters<typeof startLinearSandbox>[0] = {}): Promise<LinearSandbox> {
  const started = await startLinearSandbox({ oauth: { redirectUris: [REDIRECT], accessTokenLifetimeSeconds: 600 }, ...options });
  opened.push(started);
  return started;
}

function authorizeUrl(linear: LinearSandbox, overrides: Record<string, string> = {}): string {
  const params = new URLSearchParams({
    client_id: linear.oauth.clientId, redirect_uri: REDIRECT, response_type: 'code', scope: 'read,write,initiative:read', state: 'st-1', prompt: 'consent', actor: 'app', ...overrides,
  });
  return `${linear.oauth.authorizeUrl}?${params}`;
}

async function consent(linear: LinearSandbox, overrides: Record<string, string> = {}): Promise<URL> {
  const response = await fetch(authorizeUrl(linear, overrides), { redirect: 'manual' });
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location')!);
}

async function tokenRequest(linear: LinearSandbox, params: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(linear.oauth.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: linear.oauth.clientId, client_secret: linear.oauth.clientSecret, ...params }).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function install(linear: LinearSandbox, overrides: Record<string, string> = {}) {
  const code = (await consent(linear, overrides)).searchParams.get('code')!;
  const { status, body } = await tokenRequest(linear, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
  expect(status).toBe(200);
  return body as { access_token: string; refresh_token: string; expires_in: number; scope: string; token_type: string };
}

const who = (linear: LinearSandbox, token: string) =>
  new LinearClient({ accessToken: token, apiUrl: linear.apiUrl }).client.rawRequest<{ viewer: { id: string }; organization: { id: string; name: string } }, Record<string, never>>('query { viewer { id } organization { id name } }', {});

describe('Linear sandbox: authorize', () => {
  it('consents at once with a code and the state, for the chosen workspace, and refuses an unknown client or redirect URI', async () => {
    const linear = await sandbox();
    const location = await consent(linear);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('st-1');
    expect(location.searchParams.get('code')).toMatch(/^sandbox_code_/);

    expect((await fetch(authorizeUrl(linear, { client_id: 'someone-else' }), { redirect: 'manual' })).status).toBe(400);
    expect((await fetch(authorizeUrl(linear, { redirect_uri: 'https://evil.example.com/oauth/linear/callback' }), { redirect: 'manual' })).status).toBe(400);
    const spaced = await consent(linear, { scope: 'read write' });
    expect(spaced.searchParams.get('error')).toBe('invalid_scope');
    const admin = await consent(linear, { scope: 'read,admin' });
    expect(admin.searchParams.get('error')).toBe('invalid_scope');
  });
});

describe('Linear sandbox: tokens', () => {
  it('exchanges a code once, only with its redirect URI, and answers Linear\'s token shape', async () => {
    const linear = await sandbox();
    const code = (await consent(linear)).searchParams.get('code')!;
    const wrongRedirect = await tokenRequest(linear, { grant_type: 'authorization_code', code, redirect_uri: 'https://cascade.example.com/elsewhere' });
    expect(wrongRedirect).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const code2 = (await consent(linear)).searchParams.get('code')!;
    const first = await tokenRequest(linear, { grant_type: 'authorization_code', code: code2, redirect_uri: REDIRECT });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token_type: 'Bearer', expires_in: 600, scope: 'read write initiative:read' });
    expect(first.body.refresh_token).toEqual(expect.any(String));
    const again = await tokenRequest(linear, { grant_type: 'authorization_code', code: code2, redirect_uri: REDIRECT });
    expect(again).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const json = await fetch(linear.oauth.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'authorization_code' }) });
    expect(json.status).toBe(400);
    expect(linear.grantCounts(linear.store.organization.id).authorizationCode).toBe(1);
  });

  it('rotates refresh tokens: the old one is dead at once, the new pair works', async () => {
    const linear = await sandbox();
    const tokens = await install(linear);
    const refreshed = await tokenRequest(linear, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.body.access_token).not.toBe(tokens.access_token);
    const replay = await tokenRequest(linear, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect(replay).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await who(linear, refreshed.body.access_token as string)).data?.organization.id).toBe(linear.store.organization.id);
    expect(linear.grantCounts(linear.store.organization.id)).toMatchObject({ refresh: 1, refusedRefresh: 1 });
  });

  it('ends access tokens on the sandbox clock with an authentication error, and keeps the API key working', async () => {
    const linear = await sandbox();
    const tokens = await install(linear);
    expect((await who(linear, tokens.access_token)).data?.viewer.id).toBeDefined();
    linear.advanceClock(601_000);
    await expect(who(linear, tokens.access_token)).rejects.toMatchObject({ type: 'AuthenticationError' });
    const apiKey = new LinearClient({ apiKey: linear.apiKey, apiUrl: linear.apiUrl });
    expect((await apiKey.client.rawRequest<{ viewer: { id: string } }, Record<string, never>>('query { viewer { id } }', {})).data?.viewer.id).toBe(linear.store.bot.id);
  });

  it('keeps one client-credentials token per app: a new one ends the old', async () => {
    const linear = await sandbox({ oauth: { clientCredentialsLifetimeSeconds: 30 * 86_400 } });
    const first = await tokenRequest(linear, { grant_type: 'client_credentials', scope: 'read,write' });
    expect(first.body).toMatchObject({ expires_in: 30 * 86_400, token_type: 'Bearer' });
    expect(first.body.refresh_token).toBeUndefined();
    const second = await tokenRequest(linear, { grant_type: 'client_credentials', scope: 'read,write' });
    await expect(who(linear, first.body.access_token as string)).rejects.toMatchObject({ type: 'AuthenticationError' });
    const answer = await who(linear, second.body.access_token as string);
    const workspace = linear.workspaces()[0]!;
    expect(answer.data?.viewer.id).toBe(workspace.appUser?.id);
    expect(linear.grantCounts(workspace.id).clientCredentials).toBe(2);
  });

  it('revokes a token by Bearer', async () => {
    const linear = await sandbox();
    const tokens = await install(linear);
    const response = await fetch(linear.oauth.revokeUrl, { method: 'POST', headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(response.status).toBe(200);
    await expect(who(linear, tokens.access_token)).rejects.toMatchObject({ type: 'AuthenticationError' });
    const refresh = await tokenRequest(linear, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect(refresh.body.error).toBe('invalid_grant');
  });
});

describe('Linear sandbox: workspaces', () => {
  it('answers each token with its own workspace and app user, and logs which token read and wrote there', async () => {
    const linear = await sandbox();
    linear.store.createTeam({ key: 'ENG', name: 'Engineering' });
    const other = linear.addWorkspace({ name: 'Globex', seed: (store) => store.createTeam({ key: 'OPS', name: 'Operations' }) });
    const mine = await install(linear);
    linear.consentTo(other.id);
    const theirs = await install(linear);
    const a = await who(linear, mine.access_token);
    const b = await who(linear, theirs.access_token);
    expect(a.data?.organization.id).toBe(linear.store.organization.id);
    expect(b.data?.organization).toEqual({ id: other.id, name: 'Globex' });
    expect(b.data?.viewer.id).toBe(other.appUser?.id);
    expect(a.data?.viewer.id).not.toBe(b.data?.viewer.id);
    expect(linear.accessLog({ workspaceId: other.id }).map((e) => e.token)).toEqual([theirs.access_token]);
  });
});

describe('Linear sandbox: app webhooks', () => {
  it('sends installed workspaces\' changes with their organizationId, OAuthApp revoked on uninstall and PermissionChange, signed with the app secret', async () => {
    const received: Array<{ body: string; signature: string | undefined }> = [];
    const receiver: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ body: Buffer.concat(chunks).toString('utf8'), signature: req.headers['linear-signature'] as string | undefined });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    opened.push({ close: () => new Promise<void>((resolve) => receiver.close(() => resolve())) });
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/linear`;
    const linear = await sandbox({ appWebhook: { url, secret: 'app-signing-secret' } });
    const other = linear.addWorkspace({ name: 'Globex', seed: (store) => store.createTeam({ key: 'OPS', name: 'Operations' }) });
    other.store.createIssue({ team: 'OPS', title: 'before the install: not sent' });
    linear.consentTo(other.id);
    await install(linear);
    other.store.createIssue({ team: 'OPS', title: 'after the install' });
    linear.changePermissions(other.id, { addedTeamIds: ['team-1'], canAccessAllPublicTeams: false });
    linear.uninstall(other.id);
    other.store.createIssue({ team: 'OPS', title: 'after the uninstall: not sent' });
    await linear.flushWebhooks();
    const bodies = received.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(bodies.map((b) => [b.type, b.action, b.organizationId])).toEqual([
      ['Issue', 'create', other.id], ['PermissionChange', 'teamAccessChanged', other.id], ['OAuthApp', 'revoked', other.id],
    ]);
    expect(bodies[1]).toMatchObject({ addedTeamIds: ['team-1'], removedTeamIds: [], canAccessAllPublicTeams: false, oauthClientId: linear.oauth.clientId });
    expect(bodies[2]).toMatchObject({ oauthClientId: linear.oauth.clientId, webhookId: expect.any(String), webhookTimestamp: expect.any(Number) });
    for (const r of received) expect(r.signature).toBe(signLinearBody('app-signing-secret', r.body));
  });
});
