// The Linear sandbox of the installations bench, in a process of its own: one
// sandbox with many workspaces, Cascade installed in each as an OAuth app.
// It stands for Linear's servers, so Cascade's worker processes reach it over
// HTTP as they would Linear. The bench drives it over the IPC channel: it makes
// orphan tickets (and hands back the webhook envelope each would send), and
// this process says when each watched ticket has been checked (labelled and
// commented by the app), timed here the moment the write lands. It also
// watches the token grants: each workspace's refreshes, with their times.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { envelopeFor, seedDemoWorkspace, startLinearSandbox, type LinearStore, type LinearWebhookEnvelope, type SandboxWorkspace } from '../sandbox/linear/index.js';
import { daysAgo } from './cascade-kit.js';

export interface AppSandboxOptions {
  workspaces: number;
  /** Orphan tickets each workspace starts with. */
  orphans: number;
  /** Life of an access token; a refresh is due when a quarter of it remains. */
  accessTokenLifetimeSeconds: number;
}

export interface AppSandboxReady {
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  authorizeUrl: string;
  tokenUrl: string;
  /** Organisation ids, in creation order. */
  workspaces: string[];
}

/** A workspace's refreshes: when each succeeded (ms since the epoch), and those refused. */
export interface RefreshRecord {
  workspaceId: string;
  codes: number;
  refreshedAt: number[];
  refused: number;
}

type Request =
  | { id: number; op: 'orphans'; workspace: string; count: number }
  | { id: number; op: 'refreshes' }
  | { id: number; op: 'requests' };

/** A request before it gets its id (Omit that keeps each member of the union). */
type Unnumbered<R> = R extends unknown ? Omit<R, 'id'> : never;

type Message =
  | { id: number; envelopes: LinearWebhookEnvelope[] }
  | { id: number; refreshes: RefreshRecord[] }
  | { id: number; requests: number }
  | { checked: string; at: number };

export interface AppSandboxProcess extends AppSandboxReady {
  /** New orphan tickets in a workspace, watched; their Issue create envelopes. */
  orphans(workspace: string, count: number): Promise<LinearWebhookEnvelope[]>;
  /** Called with each watched ticket once the app's label and comment are on it, and when (ms since the epoch). */
  onChecked(listener: (ticketId: string, at: number) => void): void;
  refreshes(): Promise<RefreshRecord[]>;
  requestCount(): Promise<number>;
  close(): Promise<void>;
}

export async function forkAppSandbox(options: AppSandboxOptions): Promise<AppSandboxProcess> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [JSON.stringify(options)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const [ready] = (await once(child, 'message')) as [AppSandboxReady];
  const pending = new Map<number, (message: Message) => void>();
  const listeners: Array<(ticketId: string, at: number) => void> = [];
  child.on('message', (message: Message) => {
    if ('checked' in message) for (const listener of listeners) listener(message.checked, message.at);
    else pending.get(message.id)?.(message);
  });
  let next = 0;
  const ask = <T extends Message>(request: Unnumbered<Request>): Promise<T> =>
    new Promise((resolve) => {
      const id = ++next;
      pending.set(id, (message) => {
        pending.delete(id);
        resolve(message as T);
      });
      child.send({ ...request, id });
    });
  return {
    ...ready,
    orphans: async (workspace, count) => (await ask<{ id: number; envelopes: LinearWebhookEnvelope[] }>({ op: 'orphans', workspace, count })).envelopes,
    onChecked: (listener) => void listeners.push(listener),
    refreshes: async () => (await ask<{ id: number; refreshes: RefreshRecord[] }>({ op: 'refreshes' })).refreshes,
    requestCount: async () => (await ask<{ id: number; requests: number }>({ op: 'requests' })).requests,
    async close() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}

let made = 0;
function orphan(store: LinearStore, i: number): string {
  made++;
  return store.createIssue({ team: i % 2 === 0 ? 'ENG' : 'WEB', title: `Export the audit trail, variant ${made}`, createdAt: daysAgo(2) }).id;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const options = JSON.parse(process.argv[2] ?? '{}') as AppSandboxOptions;
  const sandbox = await startLinearSandbox({ requestsLimit: 10_000_000, oauth: { accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds } });
  const workspaces: SandboxWorkspace[] = [];
  for (let w = 0; w < options.workspaces; w++) {
    workspaces.push(sandbox.addWorkspace({
      name: `Workspace ${w}`,
      urlKey: `ws-${w}`,
      seed: (store) => {
        seedDemoWorkspace(store);
        for (let i = 0; i < options.orphans; i++) orphan(store, i);
      },
    }));
  }
  // A watched ticket is checked once the app's label and comment are both on it.
  const watched = new Map<string, SandboxWorkspace>();
  for (const workspace of workspaces) {
    workspace.store.onChange((change) => {
      const ticketId = change.type === 'Issue' ? change.record.id : change.type === 'Comment' ? (change.record as { issueId?: string }).issueId : undefined;
      if (!ticketId || !watched.has(ticketId)) return;
      const { store } = workspace;
      if (!store.labelNamesOf(ticketId).includes('no-objective')) return;
      if (!store.commentsOn(ticketId).some((c) => c.userId !== store.person.id)) return;
      watched.delete(ticketId);
      process.send!({ checked: ticketId, at: Date.now() } satisfies Message);
    });
  }
  // Each workspace's successful refreshes, timed by looking every 50 ms (a refresh takes longer than that to matter).
  const refreshedAt = new Map<string, number[]>(workspaces.map((w) => [w.id, []]));
  const seenRefreshes = new Map<string, number>();
  const timer = setInterval(() => {
    for (const workspace of workspaces) {
      const { refresh } = sandbox.grantCounts(workspace.id);
      const before = seenRefreshes.get(workspace.id) ?? 0;
      for (let i = before; i < refresh; i++) refreshedAt.get(workspace.id)!.push(Date.now());
      seenRefreshes.set(workspace.id, refresh);
    }
  }, 50);
  process.send!({
    apiUrl: sandbox.apiUrl, clientId: sandbox.oauth.clientId, clientSecret: sandbox.oauth.clientSecret,
    authorizeUrl: sandbox.oauth.authorizeUrl, tokenUrl: sandbox.oauth.tokenUrl, workspaces: workspaces.map((w) => w.id),
  } satisfies AppSandboxReady);
  process.on('message', (request: Request) => {
    if (request.op === 'orphans') {
      const workspace = workspaces.find((w) => w.id === request.workspace)!;
      const envelopes: LinearWebhookEnvelope[] = [];
      for (let i = 0; i < request.count; i++) {
        const id = orphan(workspace.store, i);
        watched.set(id, workspace);
        const record = workspace.store.issues.get(id)!;
        envelopes.push(envelopeFor(workspace.store, { type: 'Issue', action: 'create', record, actorId: workspace.store.person.id }, { webhookId: `bench-${workspace.id}` }));
      }
      process.send!({ id: request.id, envelopes } satisfies Message);
    } else if (request.op === 'refreshes') {
      const refreshes = workspaces.map((w) => {
        const counts = sandbox.grantCounts(w.id);
        return { workspaceId: w.id, codes: counts.authorizationCode, refreshedAt: refreshedAt.get(w.id)!, refused: counts.refusedRefresh };
      });
      process.send!({ id: request.id, refreshes } satisfies Message);
    } else {
      process.send!({ id: request.id, requests: sandbox.requestCount() } satisfies Message);
    }
  });
  process.once('disconnect', () => {
    clearInterval(timer);
    void sandbox.close().then(() => process.exit(0));
  });
}
