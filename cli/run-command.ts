// `cascade all | serve | work | digest`: read the environment, wait for Redis,
// seed the config, start the parts this role needs, and stop them in order on
// SIGINT/SIGTERM, within 10 s. Without tracker credentials, `all` runs the demo.
// `all` runs the receiver here and its workers in a child process (`cascade
// work`, see worker-process.ts). Whatever happens, the process ends: after a
// stop, a failed start-up or a shutdown past its bound, with one line saying why.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { EnvironmentError, readEnvironment, type AppEnv } from '../src/config/environment.js';
import { loadConfigFile } from '../src/config/load-config-file.js';
import { formatIssues } from '../src/config/config-issues.js';
import type { CascadeConfig } from '../src/strategy/tree-schema.js';
import { summariseTree } from '../src/strategy/summarise-tree.js';
import { createLogger } from './create-logger.js';
import { prettyStream } from './pretty-stream.js';
import { connectRedis, type RedisEndpoint } from './connect-redis.js';
import { defaultInstallations } from '../src/trackers/installations.js';
import { startCascade, type Role, type RunningCascade } from './start-cascade.js';
import { startDemo, type Demo } from './demo/load-demo.js';
import { runsTheDemo } from './demo-mode.js';
import { seedDemoHistory } from './demo/demo-history.js';
import { datedForDemo, showMisspelledWarnings } from './demo/demo-review.js';
import { logTrackerWarnings } from './tracker-commands.js';
import { RedisServerMissingError } from './redis-server.js';
import { StartupError, waitForRedis } from './wait-for-redis.js';
import { shutdownOnSignals } from './shutdown.js';
import { startWorkerProcess, type WorkerProcess } from './worker-process.js';
import { workerProcessEnv } from './worker-process-env.js';
import { startHeartbeat } from './heartbeat.js';
import { orderedStop } from './ordered-stop.js';
import { perTracker, TRACKERS } from '../src/trackers/registry.js';

const EXAMPLE_CONFIG = 'config/strategy.example.yaml';
/** After Redis answered, the rest of start-up gets this long. */
const STARTUP_MS = 30_000;
/** Set in the environment of the worker process that `cascade all` runs. */
const WORKER_CHILD = 'CASCADE_WORKER_CHILD';

export async function runCommand(command: Role | 'digest', processEnv: NodeJS.ProcessEnv): Promise<number> {
  // Synchronous last resorts, run newest first when the process must end now.
  const kills: Array<() => void> = [];
  const force = (): void => {
    for (const kill of kills.splice(0).reverse()) {
      try {
        kill();
      } catch {
        // already gone
      }
    }
  };
  let code: number;
  try {
    code = await run(command, processEnv, kills, force);
  } catch (err) {
    const known = err instanceof StartupError || err instanceof RedisServerMissingError;
    console.error(`cascade: ${known ? err.message : `start-up failed: ${err instanceof Error ? err.message : String(err)}`}`);
    force();
    code = 1;
  }
  return code;
}

async function run(command: Role | 'digest', processEnv: NodeJS.ProcessEnv, kills: Array<() => void>, force: () => void): Promise<number> {
  let env: AppEnv;
  try {
    env = readEnvironment(processEnv);
  } catch (err) {
    if (err instanceof EnvironmentError) {
      for (const line of err.problems) console.error(`cascade: ${line}`);
      return 1;
    }
    throw err;
  }
  const isWorkerChild = command === 'work' && processEnv[WORKER_CHILD] === '1';
  const demoMode = runsTheDemo(command, env);
  const pretty = (env.logFormat ?? (demoMode || command === 'digest' ? 'pretty' : 'json')) === 'pretty';
  const logger = createLogger(env.logLevel, pretty ? prettyStream() : undefined);
  // Checked before anything starts; `digest` reads the config Redis already holds.
  let seedConfig: CascadeConfig | undefined;
  const configPath = demoMode && !processEnv.CONFIG_FILE ? EXAMPLE_CONFIG : env.configFile;
  if (command !== 'digest') {
    const loaded = await loadConfigFile(configPath);
    if (!loaded.ok) {
      console.error(`cascade: CONFIG_FILE=${configPath} cannot be used:\n${formatIssues(loaded.issues)}${configPath === 'config/strategy.yaml' ? `\n(start from ${EXAMPLE_CONFIG}: cp ${EXAMPLE_CONFIG} config/strategy.yaml)` : ''}`);
      return 1;
    }
    seedConfig = demoMode && !processEnv.CONFIG_FILE ? datedForDemo(loaded.config, new Date(), env.digestTz) : loaded.config;
  }

  // What has started so far; the stop takes whatever is there, so a signal during start-up works too.
  let redisEndpoint: RedisEndpoint | undefined;
  let cascade: RunningCascade | undefined;
  let workerProcess: WorkerProcess | undefined;
  let demo: Demo | undefined;
  const shutdown = shutdownOnSignals({
    force,
    stop: async (reason) => {
      logger.info(isWorkerChild ? `${reason}: the workers finish their current jobs and stop` : `${reason}: stopping (webhooks first, then workers, queues and Redis)`);
      const step = orderedStop(logger);
      // The worker process is told at once (it finishes its jobs while the receiver closes): a Ctrl-C reached it already.
      const workersStopped = step('worker process', workerProcess && (() => workerProcess!.stop()));
      await step('cascade', cascade && (() => cascade!.close()));
      await workersStopped;
      await step('demo sandboxes', demo && (() => demo!.close()));
      await step('redis-server', redisEndpoint?.server && (() => redisEndpoint!.server!.stop()));
    },
  });
  if (isWorkerChild) {
    // The parent is gone (even by kill -9): stop rather than run on unsupervised.
    process.once('disconnect', () => shutdown.fail('the Cascade process that started these workers is gone'));
  }

  const startup = async (): Promise<string | undefined> => {
    redisEndpoint = await connectRedis(env.redisUrl, env.dataDir, logger, { fresh: demoMode });
    const server = redisEndpoint.server;
    if (server) kills.push(() => server.kill());
    await waitForRedis(redisEndpoint.url, { timeoutMs: env.redisWaitMs, logger });

    if (demoMode) {
      // Fresh tokens each run: the digest token travels in the banner's link, so it is never
      // the admin token (that one stays in a file, for the CLI's admin commands).
      const digestToken = demoToken(env.dataDir, 'demo-token');
      const adminToken = env.adminTokens.length > 0 ? null : demoToken(env.dataDir, 'admin-token');
      env = { ...env, digestToken, adminTokens: adminToken ? [{ name: 'demo', token: adminToken }] : env.adminTokens };
      demo = await startDemo(env, logger);
      env = demo.env;
    }
    if (command === 'digest') return undefined;

    const redisUrl = redisEndpoint.url;
    cascade = await withDeadline(
      // The one-process default checks deliveries on its event loop: its workers' process has the other core (see checkOffThread).
      startCascade({ role: command === 'all' ? 'serve' : command, env, redisUrl, logger, trackers: defaultInstallations(env, logger), seedConfig, checkOffThread: command !== 'all' }),
      STARTUP_MS,
      `start-up did not finish within ${STARTUP_MS / 1000} s of Redis answering (is Redis still reachable?); exiting so a supervisor can restart Cascade`,
    );
    if (command === 'all') {
      const started = startWorkerProcess({
        env: { ...workerProcessEnv(processEnv, env, { redisUrl, configFile: configPath, logFormat: pretty ? 'pretty' : 'json' }), [WORKER_CHILD]: '1' },
        logger,
        onGiveUp: (reason) => {
          console.error(`cascade: ${reason}; stopping`);
          shutdown.fail(reason);
        },
      });
      workerProcess = started;
      kills.push(() => started.kill());
    }
    if (demo) await seedDemoHistory(cascade.redis, cascade.keys, new Date(), env.digestTz);
    const current = await cascade.configStore.current();
    if (!isWorkerChild) {
      logger.info(`strategy tree (config version ${current.version}):\n${summariseTree(current.config, perTracker((id) => TRACKERS[id].words))}`);
      // Once, in the background: a slow tracker must not hold start-up.
      const running = cascade;
      void logTrackerWarnings(current.config, running.context.trackers, logger).then(() => (demo ? showMisspelledWarnings(running.context.trackers, logger) : undefined));
    }
    if (!cascade.app) return undefined;
    return cascade.app.listen({ port: env.port, host: env.host });
  };

  const started = startup().then((address) => ({ address }));
  const first = await Promise.race([started, shutdown.exitCode]);
  if (typeof first === 'number') return first; // stopped during start-up

  if (command === 'digest') {
    const { printDigest } = await import('./print-digest.js');
    const code = await printDigest({ env, redisUrl: redisEndpoint!.url, logger });
    await redisEndpoint?.server?.stop();
    return code;
  }
  if (command === 'work') startHeartbeat(processEnv.CASCADE_HEARTBEAT_FILE);
  if (isWorkerChild) process.send?.('ready');
  else banner(command, env, first.address, demo !== undefined);
  if (demo && first.address) {
    demo.play(`http://127.0.0.1:${env.port}`).catch((err: unknown) => logger.error({ err }, 'demo: replay failed'));
  }
  return shutdown.exitCode;
}

function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new StartupError(message)), ms)))]).finally(() => clearTimeout(timer));
}

/** A fresh token each run for the demo, kept in the data dir (readable by its owner only) rather than printed. */
function demoToken(dataDir: string, file: 'demo-token' | 'admin-token'): string {
  const token = randomBytes(24).toString('hex');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, file), `${token}\n`, { mode: 0o600 });
  return token;
}

function banner(role: string, env: AppEnv, address: string | undefined, demo: boolean): void {
  const local = `http://localhost:${env.port}`;
  const lines = [
    '',
    `  Cascade is running (${role})${address ? ` on ${address}` : ''}`,
  ];
  if (demo) {
    lines.push(
      '  DEMO MODE: no tracker credentials are set, so Cascade is connected to its own',
      '  Linear- and Jira-compatible sandboxes. Watch the log: verdicts, labels and comments.',
      `  Digest:  ${local}/digest?token=$(cat ${join(env.dataDir, 'demo-token')})`,
      '  To connect a real workspace, set LINEAR_API_KEY and LINEAR_WEBHOOK_SECRET',
      '  (and/or JIRA_BASE_URL, JIRA_EMAIL, JIRA_API_TOKEN, JIRA_WEBHOOK_SECRET), ADMIN_TOKEN,',
      '  and point the trackers’ webhooks at PUBLIC_URL/webhooks/linear and /webhooks/jira. See README.md.',
      '  Stop with Ctrl-C.',
    );
  } else if (address) {
    lines.push(`  Webhooks: ${local}/webhooks/linear, ${local}/webhooks/jira   Health: ${local}/healthz`);
  }
  lines.push('');
  process.stdout.write(`${lines.join('\n')}\n`);
}
