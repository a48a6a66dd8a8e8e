// Faults under load: kill -9 of the Cascade process, then of redis-server,
// while signed deliveries keep arriving. Every delivery answered 200 must end
// as a labelled ticket with exactly one Cascade comment; none may get a 500.
// Deliveries that are refused are retried, as Linear and Jira retry them.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { freePort } from '../cli/redis-server.js';
import { startLinearSandbox, seedDemoWorkspace, envelopeFor, buildLinearDelivery } from '../sandbox/linear/index.js';

export interface FaultFigures {
  deliveries: number;
  accepted: number;
  lost: number;
  duplicateComments: number;
  answers500: number;
  answers503: number;
  cascadeKills: number;
  redisKills: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function startRedis(port: number, dir: string): ChildProcess {
  // As Cascade's private redis-server runs it: an append-only file, fsync'd as `npm start` does.
  return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''], { stdio: 'ignore' });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await sleep(100);
  }
  return false;
}

export async function runFaultBench(count = 300): Promise<FaultFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'cascade-faults-'));
  const redisPort = await freePort();
  let redis = startRedis(redisPort, dir);
  const sandbox = await startLinearSandbox({ seed: (store) => seedDemoWorkspace(store) });
  const { store } = sandbox;
  const port = await freePort();
  const secret = randomUUID();
  const adminToken = randomUUID();
  const env = {
    ...process.env,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    PORT: String(port),
    HOST: '127.0.0.1',
    LINEAR_API_KEY: sandbox.apiKey,
    LINEAR_API_URL: sandbox.apiUrl,
    LINEAR_WEBHOOK_SECRET: secret,
    ADMIN_TOKEN: adminToken,
    CONFIG_FILE: 'config/strategy.example.yaml',
    CASCADE_QUIET_MS: '200',
    LOG_LEVEL: 'error',
  };
  const startCascade = (): ChildProcess => spawn(process.execPath, ['dist/cli/cli.js', 'all'], { env, stdio: 'ignore' });
  const healthy = (): Promise<boolean> => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok);
  await sleep(300);
  let cascade = startCascade();
  await waitFor(healthy, 15_000);

  const figures: FaultFigures = { deliveries: count, accepted: 0, lost: 0, duplicateComments: 0, answers500: 0, answers503: 0, cascadeKills: 0, redisKills: 0 };
  const accepted: string[] = [];
  const deliver = async (issueId: string): Promise<void> => {
    const issue = store.requireIssue(issueId);
    const deliveryId = randomUUID();
    for (let attempt = 0; attempt < 300; attempt++) {
      // Re-signed each time with a fresh timestamp, as a sender retrying later would.
      const delivery = buildLinearDelivery(secret, envelopeFor(store, { type: 'Issue', action: 'create', record: issue, actorId: store.person.id }, { webhookId: 'faults' }), deliveryId);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/webhooks/linear`, { method: 'POST', headers: delivery.headers, body: delivery.body, signal: AbortSignal.timeout(5000) });
        await res.arrayBuffer();
        if (res.status === 500) figures.answers500++;
        if (res.status === 503) figures.answers503++;
        if (res.status === 200) {
          accepted.push(issueId);
          return;
        }
      } catch {
        // Connection refused while the process restarts: the sender retries.
      }
      await sleep(200);
    }
  };

  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const issue = store.createIssue({ team: 'ENG', title: `Orphan under fire ${i}`, createdAt: new Date(Date.now() - 2 * 86_400_000).toISOString() });
    inFlight.push(deliver(issue.id));
    if (i === Math.floor(count / 3)) {
      cascade.kill('SIGKILL');
      figures.cascadeKills++;
      await sleep(200);
      cascade = startCascade();
    }
    if (i === Math.floor((2 * count) / 3)) {
      redis.kill('SIGKILL');
      figures.redisKills++;
      await sleep(1000);
      redis = startRedis(redisPort, dir);
    }
    await sleep(10);
  }
  await Promise.all(inFlight);
  figures.accepted = accepted.length;

  const marked = (id: string): boolean => store.labelNamesOf(id).includes('no-objective') && store.commentsOn(id).some((c) => c.userId === store.bot.id);
  await waitFor(async () => accepted.every(marked), 90_000);
  figures.lost = accepted.filter((id) => !marked(id)).length;
  figures.duplicateComments = accepted.filter((id) => store.commentsOn(id).filter((c) => c.userId === store.bot.id).length > 1).length;

  cascade.kill('SIGTERM');
  await sleep(500);
  redis.kill('SIGTERM');
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const f = await runFaultBench();
  console.log(
    `faults: ${f.accepted}/${f.deliveries} deliveries accepted across ${f.cascadeKills} kill -9 of Cascade and ${f.redisKills} of redis-server; ` +
      `lost ${f.lost} (target 0), duplicate comments ${f.duplicateComments} (target 0), answers 500: ${f.answers500} (target 0), 503 during the outage: ${f.answers503}`,
  );
}
