// Start-up for Linear as an app without a browser, and a warning for the one
// Linear credential that dies on its own:
// - LINEAR_CLIENT_CREDENTIALS=true: a client-credentials token (app actor, 30 days)
//   is obtained, the workspace it covers read, and stored as an installation of the
//   default tenant (one per workspace: a restart reuses it while it is good). The
//   token keeper renews it before it ends or after a 401, like any installation's.
// - A pasted LINEAR_ACCESS_TOKEN cannot be refreshed: Linear ends it after 24 hours.
import type { Logger } from 'pino';
import type { AppEnv } from '../src/config/environment.js';
import type { InstallationRecord, TokenSet } from '../src/records/installation.js';
import type { InstallationStore } from '../src/installs/installation-store.js';
import type { SecretBox } from '../src/installs/secret-box.js';
import { needsRefresh } from '../src/installs/token-keeper.js';
import type { LinearApp } from '../src/trackers/linear/app.js';

export function warnAboutPastedLinearToken(env: AppEnv, logger: Logger): void {
  if (!(env.trackers.linear?.credentials as { accessToken?: string } | undefined)?.accessToken) return;
  logger.warn('LINEAR_ACCESS_TOKEN is a pasted OAuth token: Linear ends it after 24 hours and Cascade cannot refresh it. Install Cascade as a Linear app instead (README "Install as a Linear app"), or use LINEAR_API_KEY');
}

export interface ClientCredentialsOptions {
  env: AppEnv;
  store: InstallationStore;
  box: SecretBox;
  app: LinearApp;
  logger: Logger;
  now: () => Date;
}

/** The client-credentials installation, obtained or reused; undefined when the mode is off or Linear refused (logged). */
export async function installByClientCredentials(options: ClientCredentialsOptions): Promise<InstallationRecord | undefined> {
  const { env, store, box, logger } = options;
  if (!env.linearApp?.clientCredentials) return undefined;
  const reusable = await reusableInstallation(store, box, options.now());
  if (reusable) {
    logger.info({ installation: reusable.id }, `Linear workspace ${reusable.workspace.name}: using the client-credentials token stored before (renewed before it ends)`);
    return reusable;
  }
  try {
    const made = await options.app.clientCredentials(env);
    const at = options.now().toISOString();
    const { id } = await store.upsert({
      tracker: 'linear', tenant: 'default', workspace: made.workspace, status: 'active', actorId: made.actorId,
      sealedTokens: box.seal(JSON.stringify(made.tokens)), expiresAt: made.tokens.expiresAt, installedAt: at, updatedAt: at,
    });
    const record = await store.get(id);
    logger.info({ installation: id, expiresAt: made.tokens.expiresAt }, `Linear workspace ${made.workspace.name}: installed with a client-credentials token (LINEAR_CLIENT_CREDENTIALS)`);
    return record;
  } catch (err) {
    logger.error({ err: (err as Error).message }, 'LINEAR_CLIENT_CREDENTIALS: Linear gave no client-credentials token; enable the grant in the app\'s settings and check LINEAR_CLIENT_ID and LINEAR_CLIENT_SECRET');
    return undefined;
  }
}

/** An active Linear installation holding a client-credentials token that is not yet due for renewal. */
async function reusableInstallation(store: InstallationStore, box: SecretBox, now: Date): Promise<InstallationRecord | undefined> {
  for (const record of await store.list()) {
    if (record.tracker !== 'linear' || record.status !== 'active') continue;
    let tokens: TokenSet;
    try {
      tokens = JSON.parse(box.open(record.sealedTokens)) as TokenSet;
    } catch {
      continue; // sealed with another key: a new token replaces it
    }
    if (tokens.grant === 'client_credentials' && !needsRefresh(tokens, now)) return record;
  }
  return undefined;
}
