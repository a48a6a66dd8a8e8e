// `cascade validate --live FILE` and `cascade import linear|jira`: the trackers
// read with the environment's credentials (LINEAR_API_KEY, JIRA_BASE_URL …).
import type { Logger } from 'pino';
import { EnvironmentError, readEnvironment, type AppEnv } from '../src/config/environment.js';
import type { CascadeConfig } from '../src/strategy/tree-schema.js';
import { trackerWarnings } from '../src/config/tracker-warnings.js';
import { importOutline, ImportEmptyError } from '../src/config/import-outline.js';
import type { TrackerRegistry } from '../src/trackers/tracker-registry.js';
import { TRACKERS } from '../src/trackers/registry.js';
import { todayIn } from '../src/strategy/period-clock.js';
import { defaultInstallations } from '../src/trackers/installations.js';
import { createLogger } from './create-logger.js';

const CREDENTIALS = {
  linear: 'LINEAR_API_KEY (or LINEAR_ACCESS_TOKEN; LINEAR_API_URL for a Linear-compatible server)',
  jira: 'JIRA_BASE_URL with JIRA_EMAIL and JIRA_API_TOKEN',
} as const;

function environment(): AppEnv | null {
  try {
    return readEnvironment(process.env);
  } catch (err) {
    if (err instanceof EnvironmentError) {
      for (const line of err.problems) console.error(`cascade: ${line}`);
      return null;
    }
    throw err;
  }
}

/** Prints the warnings for `config` against the configured trackers; returns false when no tracker could be asked. */
export async function printLiveWarnings(file: string, config: CascadeConfig): Promise<number> {
  const env = environment();
  if (!env) return 1;
  const trackers = defaultInstallations(env, createLogger('silent'));
  if (!trackers.linear && !trackers.jira) {
    console.error(`cascade validate --live: no tracker credentials in the environment: set ${CREDENTIALS.linear}, or ${CREDENTIALS.jira}`);
    return 1;
  }
  const check = await trackerWarnings(config, trackers);
  for (const u of check.unchecked) console.error(`cascade: could not read ${u.tracker}: ${u.reason}`);
  const asked = Object.keys(trackers).join(' and ');
  if (check.warnings.length === 0) {
    console.log(`${file}: every match entry names something in ${asked}`);
  } else {
    console.log(`${file}: ${check.warnings.length} warning${check.warnings.length === 1 ? '' : 's'} against ${asked} (warnings never block a save)`);
    for (const w of check.warnings) console.log(`  ${w.path}: ${w.message}`);
  }
  return check.unchecked.length ? 1 : 0;
}

export async function importCommand(trackerId: 'linear' | 'jira'): Promise<number> {
  const env = environment();
  if (!env) return 1;
  const trackers: TrackerRegistry = defaultInstallations(env, createLogger('silent'));
  const tracker = trackers[trackerId];
  const rules = TRACKERS[trackerId].outline?.import;
  if (!tracker?.outline || !rules) {
    console.error(`cascade import ${trackerId}: no ${trackerId === 'linear' ? 'Linear' : 'Jira'} credentials in the environment: set ${CREDENTIALS[trackerId]}`);
    return 1;
  }
  const started = Date.now();
  try {
    const result = importOutline(await tracker.outline(), rules, todayIn(new Date(), env.digestTz));
    process.stdout.write(result.yaml);
    console.error(`cascade import ${trackerId}: ${result.objectives} objectives, ${result.nodes} nodes in ${Date.now() - started} ms; save it (> config/strategy.yaml) and check it: cascade validate --live config/strategy.yaml`);
    return 0;
  } catch (err) {
    if (err instanceof ImportEmptyError) {
      console.error(`cascade import ${trackerId}: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

/** Start-up: the config in force checked against the trackers, logged once (never blocks start-up). */
export async function logTrackerWarnings(config: CascadeConfig, trackers: TrackerRegistry, logger: Logger): Promise<void> {
  if (!Object.values(trackers).some((t) => t?.outline)) return;
  try {
    const check = await trackerWarnings(config, trackers);
    for (const u of check.unchecked) logger.warn({ tracker: u.tracker }, `config check: could not read ${u.tracker} (${u.reason}); match entries not checked`);
    for (const w of check.warnings) logger.warn({ path: w.path, closest: w.closest }, `config: ${w.path}: ${w.message}`);
  } catch (err) {
    logger.warn({ err }, 'config check against the trackers failed; match entries not checked');
  }
}
