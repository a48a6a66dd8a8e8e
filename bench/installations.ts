// Installations (PRODUCT.md "Installed as an app, one workspace or many"):
// Cascade installed as a Linear app in many workspaces of one deployment, run
// as users run it (the built CLI), against one Linear sandbox in a process of
// its own (bench/linear-app-sandbox-process.ts) that the workers reach over HTTP.
//
// storm: WORKSPACES workspaces, each installed through the real flow (POST
//   /admin/installs/linear, the sandbox's consent, GET /oauth/linear/callback),
//   each with a few orphan tickets; `cascade all` (the receiver here, its
//   workers in their child process). A check's latency is the time from the
//   signed app webhook (an Issue create naming the workspace's organizationId)
//   to the sandbox holding the app's label and comment on that ticket. Probes
//   go at PROBE_EVERY_MS to random quiet workspaces, first idle, then while
//   one workspace gets STORM_WEBHOOKS webhooks on STORM_TICKETS new tickets,
//   sent as fast as the receiver takes them (64 at a time) from a process in
//   the idle scheduling class (bench/storm-sender.ts: the storm's sender
//   stands for Linear, whose CPU is not Cascade's); storm probes count until
//   every storm ticket is checked. CASCADE_QUIET_MS=100 so the quiet period
//   does not hide the queueing. BENCH_TRACE=1 prints every probe and, every
//   100 ms of the storm, the inbox, the events queue and each process's CPU.
// refresh: REFRESH_WORKSPACES workspaces whose access tokens live
//   TOKEN_LIFETIME_S (a refresh is due when a quarter remains), served by
//   `cascade serve` and 4 `cascade work` processes on one Redis; every
//   workspace gets a burst of 4 checks about every second for EXPIRIES token
//   lives, so refreshes happen in the normal path, raced by the 4 processes. Counted
//   from the sandbox's grants: refreshes per workspace per token life
//   (target exactly 1), refused refreshes (invalid_grant) and installations
//   left needs_reauth (target 0).
// Needs `npm run build`; `node dist/bench/installations.js [storm|refresh]`.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import { freePort, startRedisServer } from '../cli/redis-server.js';
import { keysFor } from '../src/store/keys.js';
import { QUEUE_NAMES } from '../src/queue/job-types.js';
import type { LinearWebhookEnvelope } from '../sandbox/linear/index.js';
import { deliver, sendStorm } from './storm-sender.js';
import { forkAppSandbox, type AppSandboxProcess } from './linear-app-sandbox-process.js';
import { sleep, waitUntil } from './cascade-kit.js';
import { quantile, type Figure } from './figures.js';

const CLI = fileURLToPath(new URL('../cli/cli.js', import.meta.url));
const SECRET = 'installations-bench-signing-secret';
const ADMIN_TOKEN = 'installations-bench-admin-token-0123456789';
const SECRET_KEY = 'b'.repeat(64);
const QUIET_MS = 100;

export interface InstallationsBenchOptions {
  workspaces?: number;
  orphansPerWorkspace?: number;
  stormWebhooks?: number;
  stormTickets?: number;
  /** One probe (a check of a new orphan in a random quiet workspace) this often. Default 100 ms. */
  probeEveryMs?: number;
  /** How long the idle phase probes. Default 15 s. */
  idleMs?: number;
  refreshWorkspaces?: number;
  tokenLifetimeSeconds?: number;
  expiries?: number;
  parts?: Array<'storm' | 'refresh'>;
}

interface Cascade {
  port: number;
  processes: ChildProcess[];
  close(): Promise<void>;
}

/** Cascade from the built CLI: one command per process (`all`, or `serve` and several `work`). */
async function startCascadeProcesses(sandbox: AppSandboxProcess, redisUrl: string, commands: string[]): Promise<Cascade> {
  const port = await freePort();
  const env = {
    PATH: process.env.PATH ?? '',
    REDIS_URL: redisUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    LINEAR_CLIENT_ID: sandbox.clientId,
    LINEAR_CLIENT_SECRET: sandbox.clientSecret,
    LINEAR_AUTHORIZE_URL: sandbox.authorizeUrl,
    LINEAR_TOKEN_URL: sandbox.tokenUrl,
    LINEAR_API_URL: sandbox.apiUrl,
    LINEAR_WEBHOOK_SECRET: SECRET,
    CASCADE_SECRET_KEY: SECRET_KEY,
    CASCADE_QUIET_MS: String(QUIET_MS),
    ADMIN_TOKEN: `bench:${ADMIN_TOKEN}`,
    CONFIG_FILE: 'config/strategy.example.yaml',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
  };
  const processes = commands.map((command) => spawn(process.execPath, [CLI, command], { env, stdio: ['ignore', 'ignore', 'inherit'] }));
  const up = await waitUntil(() => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false), 30_000, 100);
  if (!up) throw new Error('Cascade did not answer /healthz within 30 s');
  return {
    port,
    processes,
    async close() {
      await Promise.all(processes.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }));
    },
  };
}

const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };

/** The admin's round trip: POST /admin/installs/linear, the sandbox's consent for `workspaceId`, Cascade's callback. */
async function install(port: number, workspaceId: string): Promise<void> {
  const begun = await fetch(`http://127.0.0.1:${port}/admin/installs/linear`, { method: 'POST', headers: admin, body: '{}' });
  if (!begun.ok) throw new Error(`POST /admin/installs/linear answered ${begun.status}: ${await begun.text()}`);
  const authorize = new URL(((await begun.json()) as { authorizeUrl: string }).authorizeUrl);
  authorize.searchParams.set('workspace', workspaceId);
  const consent = await fetch(authorize, { redirect: 'manual' });
  await consent.arrayBuffer();
  const location = consent.headers.get('location');
  if (consent.status !== 302 || !location) throw new Error(`the sandbox's consent answered ${consent.status}`);
  const callback = await fetch(location);
  await callback.arrayBuffer();
  if (callback.status !== 200) throw new Error(`the OAuth callback answered ${callback.status}`);
}

async function installAll(port: number, workspaces: string[]): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (next < workspaces.length) await install(port, workspaces[next++]!);
  }));
  return performance.now() - started;
}

const deliverTo = (port: number, envelope: LinearWebhookEnvelope): Promise<number> => deliver(`http://127.0.0.1:${port}/webhooks/linear`, SECRET, envelope);

/** Tickets sent for a check, resolved with the latency when the sandbox reports them checked. */
class Checks {
  private readonly waiting = new Map<string, { sentAt: number; done: (ms: number) => void }>();
  private readonly early = new Map<string, number>();

  constructor(sandbox: AppSandboxProcess) {
    sandbox.onChecked((ticketId, at) => {
      const entry = this.waiting.get(ticketId);
      if (!entry) return void this.early.set(ticketId, at);
      this.waiting.delete(ticketId);
      entry.done(at - entry.sentAt);
    });
  }

  /** Resolves with ms from `sentAt` to the check's writes, or NaN when not done within `timeoutMs`. */
  expect(ticketId: string, sentAt: number, timeoutMs = 120_000): Promise<number> {
    const early = this.early.get(ticketId);
    if (early !== undefined) return Promise.resolve(early - sentAt);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(ticketId);
        resolve(Number.NaN);
      }, timeoutMs);
      this.waiting.set(ticketId, { sentAt, done: (ms) => (clearTimeout(timer), resolve(ms)) });
    });
  }
}

/** A check of a new orphan in `workspace`: its latency in ms (NaN if it never came). */
async function probe(sandbox: AppSandboxProcess, checks: Checks, port: number, workspace: string): Promise<number> {
  const [envelope] = await sandbox.orphans(workspace, 1);
  const sentAt = Date.now();
  const status = await deliverTo(port, envelope!);
  if (status !== 200) return Number.NaN;
  return checks.expect(envelope!.data.id as string, sentAt);
}

/**
 * Probes a workspace of `pool` every `everyMs` until `until` resolves: a random one, or with `burst`, each in
 * turn, `burst` probes at once. The latencies.
 */
async function probeUntil(sandbox: AppSandboxProcess, checks: Checks, port: number, pool: string[], everyMs: number, until: Promise<unknown>, burst?: number): Promise<{ latencies: number[]; lost: number }> {
  let stop = false;
  void until.then(() => (stop = true));
  const probes: Array<Promise<number>> = [];
  const started = Date.now();
  for (let i = 0; !stop; i++) {
    const due = started + i * everyMs;
    if (due > Date.now()) await sleep(due - Date.now());
    if (stop) break;
    const sentAt = Date.now();
    const workspace = pool[burst ? i % pool.length : Math.floor(Math.random() * pool.length)]!;
    for (let b = 0; b < (burst ?? 1); b++) {
      probes.push(probe(sandbox, checks, port, workspace).then((v) => {
        if (process.env.BENCH_TRACE) console.log(`probe at +${sentAt - started} ms: ${Math.round(v)} ms`);
        return v;
      }));
    }
  }
  const results = await Promise.all(probes);
  const latencies = results.filter(Number.isFinite).sort((a, b) => a - b);
  return { latencies, lost: results.length - latencies.length };
}

/** BENCH_TRACE: the inbox's length and the events queue's waiting jobs every 100 ms, to see where a storm waits. */
async function traceQueues(redisUrl: string, until: Promise<unknown>, since: number, receiverPid: number): Promise<void> {
  const { execFileSync } = await import('node:child_process');
  const { readFileSync } = await import('node:fs');
  const workerPid = Number(execFileSync('pgrep', ['-P', String(receiverPid)]).toString().trim().split('\n')[0]);
  const cpu = (pid: number): number => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]);
  };
  let last = { at: Date.now(), receiver: cpu(receiverPid), worker: cpu(workerPid), bench: cpu(process.pid) };
  const redis = new Redis(redisUrl);
  const events = new Queue(QUEUE_NAMES.events, { connection: redis, prefix: '{cascade}' });
  let done = false;
  void until.then(() => (done = true));
  while (!done) {
    const [inbox, waiting] = await Promise.all([redis.llen(keysFor().inbox), events.getJobCountByTypes('waiting', 'prioritized')]);
    const now = { at: Date.now(), receiver: cpu(receiverPid), worker: cpu(workerPid), bench: cpu(process.pid) };
    const share = (k: 'receiver' | 'worker' | 'bench'): string => `${Math.round(((now[k] - last[k]) * 10 * 100) / (now.at - last.at))}%`;
    console.log(`+${Date.now() - since} ms: inbox ${inbox}, events waiting ${waiting}; CPU receiver ${share('receiver')}, workers ${share('worker')}, bench ${share('bench')}`);
    last = now;
    await sleep(100);
  }
  await events.close();
  redis.disconnect();
}

const ms = (v: number): string => `${Math.round(v)} ms`;

async function runStormPart(options: Required<InstallationsBenchOptions>): Promise<Figure[]> {
  const sandbox = await forkAppSandbox({ workspaces: options.workspaces, orphans: options.orphansPerWorkspace, accessTokenLifetimeSeconds: 86_399 });
  const redis = await startRedisServer({ dataDir: undefined });
  let cascade: Cascade | undefined;
  try {
    cascade = await startCascadeProcesses(sandbox, redis.url, ['all']);
    const { port } = cascade;
    const installMs = await installAll(port, sandbox.workspaces);
    const checks = new Checks(sandbox);
    // Every workspace once, so each installation's worker is up and its caches warm.
    const warm = await Promise.all(sandbox.workspaces.map((w) => probe(sandbox, checks, port, w)));
    const cold = warm.filter((v) => !Number.isFinite(v)).length;
    if (cold > 0) throw new Error(`${cold} of ${warm.length} workspaces never checked their first ticket`);
    const [storm, ...quiet] = sandbox.workspaces as [string, ...string[]];

    const loadIdle = loadavg()[0]!;
    const idle = await probeUntil(sandbox, checks, port, quiet, options.probeEveryMs, sleep(options.idleMs));

    // The storm: STORM_WEBHOOKS deliveries over STORM_TICKETS new tickets (a create, then updates), as fast as the receiver takes them.
    const envelopes = await sandbox.orphans(storm, options.stormTickets);
    const stormStarted = Date.now();
    const stormChecked = Promise.all(envelopes.map((e) => checks.expect(e.data.id as string, stormStarted, 300_000)));
    const sending = sendStorm({ url: `http://127.0.0.1:${port}/webhooks/linear`, secret: SECRET, envelopes, count: options.stormWebhooks, concurrency: 64 });
    const tracing = process.env.BENCH_TRACE ? traceQueues(redis.url, stormChecked, stormStarted, cascade.processes[0]!.pid!) : Promise.resolve();
    const stormProbes = probeUntil(sandbox, checks, port, quiet, options.probeEveryMs, stormChecked);
    const stormLatencies = await stormChecked;
    const stormDone = Date.now();
    const { endedAt: sentAll, refused } = await sending;
    const stormed = await stormProbes;
    await tracing;
    const loadStorm = loadavg()[0]!;
    const unchecked = stormLatencies.filter((v) => !Number.isFinite(v)).length;

    const ratio = (q: number): number => quantile(stormed.latencies, q) / quantile(idle.latencies, q);
    const sendSeconds = (sentAll - stormStarted) / 1000;
    const checkSeconds = (stormDone - stormStarted) / 1000;
    const context = `${options.workspaces} workspaces installed through POST /admin/installs/linear and the callback in ${(installMs / 1000).toFixed(1)} s; CASCADE_QUIET_MS=${QUIET_MS}; probes every ${options.probeEveryMs} ms to random quiet workspaces`;
    return [
      { bench: 'installs', name: 'quiet workspaces, check latency idle p50', value: quantile(idle.latencies, 0.5), unit: 'ms', note: `${idle.latencies.length} probes${idle.lost ? `, ${idle.lost} lost` : ''}, load ${loadIdle.toFixed(2)}; ${context}` },
      { bench: 'installs', name: 'quiet workspaces, check latency idle p95', value: quantile(idle.latencies, 0.95), unit: 'ms' },
      { bench: 'installs', name: 'quiet workspaces, check latency in a storm p50', value: quantile(stormed.latencies, 0.5), unit: 'ms', note: `${stormed.latencies.length} probes${stormed.lost ? `, ${stormed.lost} lost` : ''}, load ${loadStorm.toFixed(2)}` },
      { bench: 'installs', name: 'quiet workspaces, check latency in a storm p95', value: quantile(stormed.latencies, 0.95), unit: 'ms' },
      { bench: 'installs', name: 'storm / idle, p50', value: ratio(0.5), unit: '×', target: { op: '<=', value: 2 } },
      { bench: 'installs', name: 'storm / idle, p95', value: ratio(0.95), unit: '×', target: { op: '<=', value: 2 }, note: `idle ${ms(quantile(idle.latencies, 0.95))}, storm ${ms(quantile(stormed.latencies, 0.95))}` },
      { bench: 'installs', name: 'storm workspace: webhooks accepted', value: options.stormWebhooks / sendSeconds, unit: '/s', note: `${options.stormWebhooks} webhooks on ${options.stormTickets} tickets in ${sendSeconds.toFixed(1)} s, ${refused} not 200` },
      { bench: 'installs', name: 'storm workspace: tickets checked', value: (options.stormTickets - unchecked) / checkSeconds, unit: '/s', note: `${options.stormTickets - unchecked} of ${options.stormTickets} in ${checkSeconds.toFixed(1)} s (p50 ${ms(quantile([...stormLatencies].sort((a, b) => a - b), 0.5))} from the first webhook)` },
    ];
  } finally {
    await cascade?.close();
    await redis.stop();
    await sandbox.close();
  }
}

async function runRefreshPart(options: Required<InstallationsBenchOptions>): Promise<Figure[]> {
  const lifetimeMs = options.tokenLifetimeSeconds * 1000;
  const sandbox = await forkAppSandbox({ workspaces: options.refreshWorkspaces, orphans: 2, accessTokenLifetimeSeconds: options.tokenLifetimeSeconds });
  const redis = await startRedisServer({ dataDir: undefined });
  let cascade: Cascade | undefined;
  try {
    cascade = await startCascadeProcesses(sandbox, redis.url, ['serve', 'work', 'work', 'work', 'work']);
    const { port } = cascade;
    const installed = Date.now();
    await installAll(port, sandbox.workspaces);
    const checks = new Checks(sandbox);
    // Four checks at once in a workspace, the workspaces in turn, each every second, for EXPIRIES token
    // lives: the 4 processes take a burst's checks side by side, so the one that finds the token due races the others.
    const runMs = lifetimeMs * options.expiries;
    const run = await probeUntil(sandbox, checks, port, sandbox.workspaces, 1000 / options.refreshWorkspaces, sleep(runMs), 4);
    const refreshes = await sandbox.refreshes();
    const listed = await fetch(`http://127.0.0.1:${port}/admin/installs`, { headers: admin });
    const statuses = ((await listed.json()) as Array<{ status: string }>).map((i) => i.status);
    const needsReauth = statuses.filter((s) => s === 'needs_reauth').length;
    // A token is refreshed when a quarter of its life remains: one refresh per three quarters of a life, at most.
    const period = lifetimeMs * 0.75;
    let most = 0;
    let extra = 0;
    let total = 0;
    let missed = 0;
    for (const r of refreshes) {
      total += r.refreshedAt.length;
      for (let i = 0; i < r.refreshedAt.length; i++) {
        // Refreshes within half a period of this one: the same expiry refreshed again.
        const same = r.refreshedAt.filter((t) => t >= r.refreshedAt[i]! && t - r.refreshedAt[i]! < period / 2).length;
        most = Math.max(most, same);
        if (i > 0 && r.refreshedAt[i]! - r.refreshedAt[i - 1]! < period / 2) extra++;
      }
      // A check came every second: a token that outlived its life before the next refresh lapsed (its checks met a 401).
      const times = [installed, ...r.refreshedAt];
      for (let i = 1; i < times.length; i++) if (times[i]! - times[i - 1]! > lifetimeMs) missed++;
    }
    const refused = refreshes.reduce((sum, r) => sum + r.refused, 0);
    const perExpiry = total / (total - extra);
    const note = `${options.refreshWorkspaces} workspaces, tokens living ${options.tokenLifetimeSeconds} s, 4 \`cascade work\` processes and \`cascade serve\`, ${run.latencies.length} checks over ${Math.round(runMs / 1000)} s (p50 ${ms(quantile(run.latencies, 0.5))}${run.lost ? `, ${run.lost} lost` : ''}), load ${loadavg()[0]!.toFixed(2)}`;
    return [
      { bench: 'installs', name: 'refreshes per workspace per expiry', value: perExpiry, unit: '', target: { op: '==', value: 1 }, note: `${total} refreshes, ${extra} of them a second one for the same expiry; ${note}` },
      { bench: 'installs', name: 'most refreshes of one expiry', value: most, unit: '', target: { op: '==', value: 1 } },
      { bench: 'installs', name: 'tokens that lapsed before their refresh', value: missed, unit: '', target: { op: '==', value: 0 }, note: 'a whole life between two refreshes of a workspace' },
      { bench: 'installs', name: 'refused refreshes (invalid_grant)', value: refused, unit: '', target: { op: '==', value: 0 } },
      { bench: 'installs', name: 'installations needs_reauth', value: needsReauth, unit: '', target: { op: '==', value: 0 }, note: `of ${statuses.length}` },
    ];
  } finally {
    await cascade?.close();
    await redis.stop();
    await sandbox.close();
  }
}

export async function runInstallationsBench(options: InstallationsBenchOptions = {}): Promise<{ figures: Figure[] }> {
  const o: Required<InstallationsBenchOptions> = {
    workspaces: 100, orphansPerWorkspace: 5, stormWebhooks: 2000, stormTickets: 500, probeEveryMs: 100, idleMs: 15_000,
    refreshWorkspaces: 10, tokenLifetimeSeconds: 20, expiries: 3, parts: ['storm', 'refresh'],
    ...options,
  };
  const figures: Figure[] = [];
  if (o.parts.includes('storm')) figures.push(...(await runStormPart(o)));
  if (o.parts.includes('refresh')) figures.push(...(await runRefreshPart(o)));
  return { figures };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const parts = process.argv.slice(2).filter((p): p is 'storm' | 'refresh' => p === 'storm' || p === 'refresh');
  console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at start`);
  const { figures } = await runInstallationsBench(parts.length ? { parts } : {});
  for (const f of figures) console.log(`${f.name}: ${Number.isFinite(f.value) ? Math.round(f.value * 1000) / 1000 : f.value} ${f.unit} ${f.note ?? ''}`);
  console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at end`);
  process.exit(0);
}
