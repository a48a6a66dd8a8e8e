// The environment of the worker process that `cascade all` starts: the
// parent's own, plus what the parent decided at start-up (the Redis it
// started or waited for, the config file, the log format) and, in the demo,
// the sandboxes' credentials and webhook secrets.
import type { AppEnv } from '../src/config/environment.js';
import { TRACKER_IDS, TRACKERS } from '../src/trackers/registry.js';

export function workerProcessEnv(
  processEnv: NodeJS.ProcessEnv,
  env: AppEnv,
  decided: { redisUrl: string; configFile: string; logFormat: 'json' | 'pretty' },
): NodeJS.ProcessEnv {
  const vars: NodeJS.ProcessEnv = {
    ...processEnv,
    REDIS_URL: decided.redisUrl,
    CONFIG_FILE: decided.configFile,
    LOG_FORMAT: decided.logFormat,
    CASCADE_QUIET_MS: String(env.quietPeriodMs),
  };
  const set = (name: string, value: string | undefined): void => {
    if (value === undefined) delete vars[name];
    else vars[name] = value;
  };
  // Each tracker's credentials (when it has them) and webhook secret, in its own variables.
  for (const id of TRACKER_IDS) {
    for (const [name, value] of Object.entries(TRACKERS[id].environment.variables(env.trackers[id] ?? {}))) set(name, value);
  }
  // Installed as an app (the demo's sandbox app too): the workers refresh and open the same tokens.
  set('CASCADE_SECRET_KEY', env.secretKey);
  if (env.linearApp) {
    set('LINEAR_CLIENT_ID', env.linearApp.clientId);
    set('LINEAR_CLIENT_SECRET', env.linearApp.clientSecret);
    set('LINEAR_AUTHORIZE_URL', env.linearApp.authorizeUrl);
    set('LINEAR_TOKEN_URL', env.linearApp.tokenUrl);
    set('LINEAR_API_URL', env.linearApp.apiUrl);
  }
  set('DIGEST_TOKEN', env.digestToken);
  return vars;
}
