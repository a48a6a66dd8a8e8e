// `cascade all | serve | work | digest`: read the environment, connect Redis,
// seed the config, start the parts this role needs, and stop them in order on
// SIGINT/SIGTERM. Without tracker credentials, `all` runs the demo.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { EnvironmentError, readEnvironment, type AppEnv } from '../src/config/environment.js';
import { loadConfigFile } from '../src/config/load-config-file.js';
import { formatIssues } from '../src/config/config-issues.js';
import type { CascadeConfig } from '../src/config/schema.js';
import { summariseTree } from '../src/strategy/summarise-tree.js';
import { createLogger } from './create-logger.js';
import { prettyStream } from './pretty-stream.js';
import { connectRedis } from './connect-redis.js';
import { buildTrackers } from './build-trackers.js';
import { startCascade, type Role } from './start-cascade.js';
import { startDemo, type Demo } from './demo/load-demo.js';
import { seedDemoHistory } from './demo/demo-history.js';
import { datedForDemo, recordDemoProposals, showMisspelledWarnings } from './demo/demo-review.js';
import { logTrackerWarnings } from './tracker-commands.js';
import { RedisServerMissingError } from './redis-server.js';

const EXAMPLE_CONFIG = 'config/strategy.example.yaml';

export async function runCommand(command: Role | 'digest', processEnv: NodeJS.ProcessEnv): Promise<number> {
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
  const demoMode = command === 'all' && !env.linear && !env.jira;
  const pretty = (env.logFormat ?? (demoMode || command === 'digest' ? 'pretty' : 'json')) === 'pretty';
  const logger = createLogger(env.logLevel, pretty ? prettyStream() : undefined);
  // Checked before anything starts; `digest` reads the config Redis already holds.
  let seedConfig: CascadeConfig | undefined;
  if (command !== 'digest') {
    const configPath = demoMode && !processEnv.CONFIG_FILE ? EXAMPLE_CONFIG : env.configFile;
    const loaded = await loadConfigFile(configPath);
    if (!loaded.ok) {
      console.error(`cascade: CONFIG_FILE=${configPath} cannot be used:\n${formatIssues(loaded.issues)}${configPath === 'config/strategy.yaml' ? `\n(start from ${EXAMPLE_CONFIG}: cp ${EXAMPLE_CONFIG} config/strategy.yaml)` : ''}`);
      return 1;
    }
    seedConfig = demoMode && !processEnv.CONFIG_FILE ? datedForDemo(loaded.config, new Date(), env.digestTz) : loaded.config;
  }
  let redisEndpoint;
  try {
    redisEndpoint = await connectRedis(env.redisUrl, env.dataDir, logger);
  } catch (err) {
    if (err instanceof RedisServerMissingError) {
      console.error(`cascade: ${err.message}`);
      return 1;
    }
    throw err;
  }

  let demo: Demo | undefined;
  if (demoMode) {
    if (env.adminTokens.length === 0) env = { ...env, adminTokens: [{ name: 'demo', token: demoToken(env.dataDir) }] };
    demo = await startDemo(env, logger);
    env = demo.env;
  }
  if (command === 'digest') {
    const { printDigest } = await import('./print-digest.js');
    const code = await printDigest({ env, redisUrl: redisEndpoint.url, logger });
    await redisEndpoint.server?.stop();
    return code;
  }

  const cascade = await startCascade({ role: command, env, redisUrl: redisEndpoint.url, logger, trackers: buildTrackers(env, logger), seedConfig });
  if (demo) await seedDemoHistory(cascade.redis, cascade.keys, new Date(), env.digestTz);
  if (demo) await recordDemoProposals(cascade.redis, cascade.keys, new Date());
  const current = await cascade.configStore.current();
  logger.info(`strategy tree (config version ${current.version}):\n${summariseTree(current.config)}`);
  // Once, in the background: a slow tracker must not hold start-up.
  void logTrackerWarnings(current.config, cascade.context.trackers, logger).then(() => (demo ? showMisspelledWarnings(cascade.context.trackers, logger) : undefined));
  let address: string | undefined;
  if (cascade.app) address = await cascade.app.listen({ port: env.port, host: env.host });

  const stop = async (signal: string): Promise<void> => {
    logger.info(`${signal}: stopping (webhooks first, then workers, queues and Redis)`);
    await cascade.close();
    await demo?.close();
    await redisEndpoint.server?.stop();
  };
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      void stop(signal).finally(resolve);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    banner(command, env, address, demo !== undefined);
    if (demo && address) {
      demo.play(`http://127.0.0.1:${env.port}`).catch((err: unknown) => logger.error({ err }, 'demo: replay failed'));
    }
  });
  return 0;
}

/** A token for the demo's admin and digest pages, kept in the data dir rather than printed. */
function demoToken(dataDir: string): string {
  const token = randomBytes(24).toString('hex');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, 'demo-token'), `${token}\n`, { mode: 0o600 });
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
    );
  } else if (address) {
    lines.push(`  Webhooks: ${local}/webhooks/linear, ${local}/webhooks/jira   Health: ${local}/healthz`);
  }
  lines.push('');
  process.stdout.write(`${lines.join('\n')}\n`);
}
