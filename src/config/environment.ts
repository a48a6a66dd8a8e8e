// The environment, read once at start-up (passed in, so tests supply their
// own). Every problem becomes one line that names the variable.
import { CronExpressionParser } from 'cron-parser';
import { readAppInstallEnv, type AppInstallEnv } from '../trackers/app-environment.js';
import { asClusterAddress, isClusterAddress, parseClusterAddress, redactAddress } from './redis-address.js';
import type { TrackerEnv } from '../trackers/descriptor.js';
import { TRACKER_IDS, TRACKERS } from '../trackers/registry.js';

export interface NamedToken {
  name: string;
  token: string;
}

export interface AppEnv extends AppInstallEnv {
  /**
   * Absent: `npm start` runs a private redis-server. A Redis Cluster's nodes are
   * given as `redis+cluster://host:port[,host:port…]` (also when REDIS_CLUSTER
   * made a plain URL a cluster seed), which src/store/redis-client.ts opens with
   * the cluster client.
   */
  redisUrl?: string;
  /** REDIS_CLUSTER=true or a redis+cluster:// REDIS_URL: Redis is a cluster. Default false. */
  redisCluster: boolean;
  /** Default 3000. */
  port: number;
  /** Default 0.0.0.0. */
  host: string;
  /** From ADMIN_TOKEN: `token` or `name:token,name2:token2`. Empty: admin routes are not served. */
  adminTokens: NamedToken[];
  /** DIGEST_TOKEN: at least 16 characters; read-only access to the digest pages, also as ?token= in a link. */
  digestToken?: string;
  /**
   * Each registered tracker's part, read by its descriptor (src/trackers/<id>/environment.ts):
   * the default installation's credentials, and the webhook secret even without them (receiver-only processes).
   */
  trackers: Record<string, TrackerEnv>;
  /** Default config/strategy.yaml. */
  configFile: string;
  slackWebhookUrl?: string;
  /** Default `0 9 * * 1` (Mondays 09:00). */
  digestCron: string;
  /** Default UTC. */
  digestTz: string;
  /** DRY_RUN forces the rules' dry_run on; undefined leaves the config in charge. */
  dryRun?: boolean;
  publicUrl?: string;
  /** Default info. */
  logLevel: string;
  /** LOG_FORMAT: `json` (pino's lines) or `pretty`; default json, pretty in the demo. */
  logFormat?: 'json' | 'pretty';
  /** CASCADE_QUIET_MS: edits to one ticket within this many ms collapse into one check. Default 5000. */
  quietPeriodMs: number;
  /** CASCADE_MAX_BODY_BYTES: webhook bodies above this get 413. Default 1 MiB. */
  maxBodyBytes: number;
  /** CASCADE_DATA_DIR: where the private redis keeps its files. Default .cascade. */
  dataDir: string;
  /** CASCADE_CHECK_CONCURRENCY: checks running at once per worker process. Default 16. */
  checkConcurrency: number;
  /** CASCADE_CHECKS_PER_SECOND: checks per second across all workers (the shared tracker budget). Default 40. */
  checksPerSecond: number;
  /** CASCADE_REDIS_WAIT_MS: how long start-up waits for Redis before exiting non-zero. Default 30 s. */
  redisWaitMs: number;
}

export class EnvironmentError extends Error {
  readonly code = 'CASCADE_INVALID_ENVIRONMENT';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function readEnvironment(env: Record<string, string | undefined>): AppEnv {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const url = (name: string, schemes = ['http:', 'https:']): string | undefined => {
    const value = get(name);
    if (value === undefined) return undefined;
    try {
      const parsed = new URL(value);
      if (!schemes.includes(parsed.protocol)) throw new Error('scheme');
      return value.replace(/\/+$/, '');
    } catch {
      problems.push(`${name}=${value} is not a valid ${schemes.map((s) => s.replace(':', '')).join(' or ')} URL`);
      return undefined;
    }
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const value = get(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}=${value} must be a whole number from ${min} to ${max}`);
      return fallback;
    }
    return n;
  };

  const adminTokens = parseTokens(get('ADMIN_TOKEN'), problems);
  // A digest link carries this token in its URL: long and random, like the admin tokens.
  const digestToken = get('DIGEST_TOKEN');
  if (digestToken !== undefined && digestToken.length < 16) problems.push('DIGEST_TOKEN is shorter than 16 characters: use a long random token (for example: openssl rand -hex 24)');
  const digestCron = get('DIGEST_CRON') ?? '0 9 * * 1';
  const digestTz = get('DIGEST_TZ') ?? 'UTC';
  if (!isTimeZone(digestTz)) problems.push(`DIGEST_TZ=${digestTz} is not an IANA time zone (for example Europe/Paris)`);
  else {
    try {
      CronExpressionParser.parse(digestCron, { tz: digestTz });
    } catch (err) {
      problems.push(`DIGEST_CRON=${digestCron} is not a cron expression: ${(err as Error).message}`);
    }
  }
  const logLevel = get('LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL=${logLevel} must be one of ${LOG_LEVELS.join(', ')}`);
  const logFormat = get('LOG_FORMAT');
  if (logFormat !== undefined && logFormat !== 'json' && logFormat !== 'pretty') problems.push(`LOG_FORMAT=${logFormat} must be json or pretty`);
  let dryRun: boolean | undefined;
  const dry = get('DRY_RUN')?.toLowerCase();
  if (dry !== undefined) {
    if (['1', 'true', 'yes', 'on'].includes(dry)) dryRun = true;
    else if (['0', 'false', 'no', 'off'].includes(dry)) dryRun = false;
    else problems.push(`DRY_RUN=${dry} must be true or false`);
  }

  // Each tracker reads its own variables (its descriptor's `environment`), in the registry's order.
  const trackerVars = { get, url: (name: string) => url(name), problem: (line: string) => problems.push(line) };
  const trackers = Object.fromEntries(TRACKER_IDS.map((id) => [id, TRACKERS[id].environment.read(trackerVars)]));

  const redis = readRedisAddress(get('REDIS_URL'), get('REDIS_CLUSTER'), problems);
  const apps = readAppInstallEnv(get, url, problems);

  const result: AppEnv = {
    ...apps,
    redisUrl: redis.url,
    redisCluster: redis.cluster,
    port: int('PORT', 3000, 0, 65535),
    host: get('HOST') ?? '0.0.0.0',
    adminTokens,
    digestToken,
    trackers,
    configFile: get('CONFIG_FILE') ?? 'config/strategy.yaml',
    slackWebhookUrl: url('SLACK_WEBHOOK_URL'),
    digestCron,
    digestTz,
    dryRun,
    publicUrl: url('PUBLIC_URL'),
    logLevel,
    logFormat: logFormat as AppEnv['logFormat'],
    quietPeriodMs: int('CASCADE_QUIET_MS', 5000, 0, 600_000),
    maxBodyBytes: int('CASCADE_MAX_BODY_BYTES', 1024 * 1024, 1024, 25 * 1024 * 1024),
    dataDir: get('CASCADE_DATA_DIR') ?? '.cascade',
    checkConcurrency: int('CASCADE_CHECK_CONCURRENCY', 16, 1, 1000),
    checksPerSecond: int('CASCADE_CHECKS_PER_SECOND', 40, 1, 100_000),
    redisWaitMs: int('CASCADE_REDIS_WAIT_MS', 30_000, 0, 3_600_000),
  };
  if (problems.length > 0) throw new EnvironmentError(problems);
  return result;
}

/** REDIS_URL and REDIS_CLUSTER: a cluster's address always leaves here as redis+cluster://. */
function readRedisAddress(value: string | undefined, clusterFlag: string | undefined, problems: string[]): { url?: string; cluster: boolean } {
  let cluster = false;
  const flag = clusterFlag?.toLowerCase();
  if (flag !== undefined) {
    if (['1', 'true', 'yes', 'on'].includes(flag)) cluster = true;
    else if (!['0', 'false', 'no', 'off'].includes(flag)) problems.push(`REDIS_CLUSTER=${clusterFlag} must be true or false`);
  }
  if (value === undefined) {
    if (cluster) problems.push('REDIS_CLUSTER is set but REDIS_URL is not: name a node of the cluster (redis://host:port)');
    return { cluster: false };
  }
  if (isClusterAddress(value)) {
    if (flag !== undefined && !cluster) problems.push(`REDIS_URL=${redactAddress(value)} names a cluster but REDIS_CLUSTER=${clusterFlag}: leave REDIS_CLUSTER out or set it to true`);
    return checkCluster(value, problems);
  }
  try {
    const parsed = new URL(value);
    if (!['redis:', 'rediss:'].includes(parsed.protocol)) throw new Error('scheme');
  } catch {
    problems.push(`REDIS_URL=${redactAddress(value)} is not a valid redis, rediss or redis+cluster URL`);
    return { cluster: false };
  }
  const url = value.replace(/\/+$/, '');
  return cluster ? checkCluster(asClusterAddress(url), problems) : { url, cluster: false };
}

function checkCluster(address: string, problems: string[]): { url?: string; cluster: boolean } {
  try {
    parseClusterAddress(address);
    return { url: address, cluster: true };
  } catch (err) {
    problems.push(`REDIS_URL=${redactAddress(address)} ${(err as Error).message}`);
    return { cluster: false };
  }
}

function parseTokens(raw: string | undefined, problems: string[]): NamedToken[] {
  if (!raw) return [];
  return raw.split(',').flatMap((entry, i) => {
    const trimmed = entry.trim();
    const colon = trimmed.indexOf(':');
    const name = colon > 0 ? trimmed.slice(0, colon) : 'admin';
    const token = colon > 0 ? trimmed.slice(colon + 1) : trimmed;
    if (token.length < 16) {
      problems.push(`ADMIN_TOKEN entry ${i + 1} (${name}) is shorter than 16 characters: use a long random token`);
      return [];
    }
    return [{ name, token }];
  });
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
