// An installation's access token, current: refreshed when little of its life
// remains, or once after the tracker answered 401, by one process at a time.
// Linear's and Jira's refresh tokens rotate and are single-use: two processes
// refreshing at once would leave one of them with a dead pair, and the
// installation with a forced reinstall. So every refresh happens under one Redis
// lock; whoever waits for it reads the pair the holder stored.
import type { Logger } from 'pino';
import type { InstallationRecord, TokenSet } from '../records/installation.js';
import type { SecretBox } from './secret-box.js';
import type { InstallationStore } from './installation-store.js';
import { InvalidGrantError } from '../trackers/app-errors.js';

export { InvalidGrantError };

/** The installation is revoked or needs a new consent: no reads or writes until then. */
export class InstallationInactiveError extends Error {
  readonly code = 'CASCADE_INSTALLATION_INACTIVE';
  constructor(
    readonly installationId: string,
    readonly status: string,
  ) {
    super(`installation ${installationId} is ${status.replace('_', ' ')}`);
  }
}

/** Asks the tracker for a new token set: by the refresh token, or by the client-credentials grant. */
export type Refresh = (installation: InstallationRecord, tokens: TokenSet) => Promise<TokenSet>;

export interface TokenKeeperOptions {
  store: InstallationStore;
  box: SecretBox;
  /** By tracker id. */
  refresh: (tracker: string) => Refresh | undefined;
  logger: Logger;
  now?: () => Date;
  /** How long a refresh may hold the lock. Default 30 s. */
  lockMs?: number;
  /** Told when an installation needs a new consent (its jobs pause). */
  onNeedsReauth?: (installation: InstallationRecord) => void | Promise<void>;
}

/** Refreshed when less than this remains: a quarter of its life, at most an hour. */
export function refreshMarginMs(tokens: TokenSet): number {
  const life = tokens.lifetimeMs ?? 24 * 3600_000;
  return Math.min(3600_000, life / 4);
}

export function needsRefresh(tokens: TokenSet, now: Date): boolean {
  if (!tokens.expiresAt) return false;
  return Date.parse(tokens.expiresAt) - now.getTime() < refreshMarginMs(tokens);
}

export class TokenKeeper {
  private readonly lockMs: number;
  private readonly now: () => Date;

  constructor(private readonly options: TokenKeeperOptions) {
    this.lockMs = options.lockMs ?? 30_000;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * A current access token for the installation. `stale`: a token the tracker just
   * refused with 401; it is refreshed once unless another process already did.
   */
  async accessToken(id: string, stale?: string): Promise<string> {
    const deadline = Date.now() + this.lockMs * 2;
    let wait = 25;
    for (;;) {
      const record = await this.active(id);
      const tokens = this.tokensOf(record);
      const fresh = stale === undefined ? !needsRefresh(tokens, this.now()) : tokens.accessToken !== stale;
      if (fresh) return tokens.accessToken;
      const lock = await this.options.store.lock(id, this.lockMs);
      if (lock) {
        try {
          return await this.refreshHeld(id, lock, stale);
        } finally {
          await this.options.store.unlock(id, lock);
        }
      }
      // Another process is refreshing: read what it stores.
      if (Date.now() > deadline) throw new Error(`installation ${id}: the token refresh did not finish in time`);
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait = Math.min(wait * 2, 500);
    }
  }

  private async refreshHeld(id: string, lock: string, stale: string | undefined): Promise<string> {
    // Read again under the lock: the holder before us may have stored a new pair.
    const record = await this.active(id);
    const tokens = this.tokensOf(record);
    const fresh = stale === undefined ? !needsRefresh(tokens, this.now()) : tokens.accessToken !== stale;
    if (fresh) return tokens.accessToken;
    const refresh = this.options.refresh(record.tracker);
    if (!refresh) throw new Error(`${record.tracker} has no app credentials to refresh installation ${id} with`);
    let next: TokenSet;
    try {
      next = await refresh(record, tokens);
    } catch (err) {
      if (err instanceof InvalidGrantError) {
        await this.markNeedsReauth(record, `the tracker refused the refresh token (${err.message}): connect it again`);
        throw new InstallationInactiveError(id, 'needs_reauth');
      }
      throw err;
    }
    const stored = await this.options.store.setUnderLock({ ...record, sealedTokens: this.options.box.seal(JSON.stringify(next)), expiresAt: next.expiresAt }, lock);
    if (!stored) throw new Error(`installation ${id}: the refresh outlived its lock; its new tokens were not stored`);
    if (tokens.refreshToken) await this.shareWithSameConsent(record, tokens.refreshToken, next);
    this.options.logger.info({ installation: id, tracker: record.tracker, expiresAt: next.expiresAt }, `refreshed the access token of ${record.tracker} workspace ${record.workspace.name}`);
    return next.accessToken;
  }

  /**
   * One Jira consent covers several sites, stored as one installation each, on one
   * rotating refresh-token chain (TRACKERS.md: keep one refresh token per consent):
   * the others that still hold the token just used get the new pair too, or the
   * next refresh of theirs would present a dead token.
   */
  private async shareWithSameConsent(refreshed: InstallationRecord, used: string, next: TokenSet): Promise<void> {
    for (const other of await this.options.store.list()) {
      if (other.id === refreshed.id || other.tracker !== refreshed.tracker || other.status === 'revoked') continue;
      await this.options.store.update(other.id, (r) => {
        const held = this.openQuietly(r.sealedTokens);
        if (held?.refreshToken !== used) return undefined;
        return { ...r, sealedTokens: this.options.box.seal(JSON.stringify(next)), expiresAt: next.expiresAt };
      });
    }
  }

  private openQuietly(sealed: string): TokenSet | undefined {
    try {
      return JSON.parse(this.options.box.open(sealed)) as TokenSet;
    } catch {
      return undefined;
    }
  }

  private async active(id: string): Promise<InstallationRecord> {
    const record = await this.options.store.get(id);
    if (!record) throw new InstallationInactiveError(id, 'unknown');
    if (record.status !== 'active') throw new InstallationInactiveError(id, record.status);
    return record;
  }

  private tokensOf(record: InstallationRecord): TokenSet {
    try {
      return JSON.parse(this.options.box.open(record.sealedTokens)) as TokenSet;
    } catch (err) {
      // A changed CASCADE_SECRET_KEY (or a damaged value): the tokens are gone for good.
      void this.markNeedsReauth(record, (err as Error).message);
      throw new InstallationInactiveError(record.id, 'needs_reauth');
    }
  }

  async markNeedsReauth(record: InstallationRecord, reason: string): Promise<void> {
    const updated = await this.options.store.update(record.id, (r) => (r.status === 'revoked' ? undefined : { ...r, status: 'needs_reauth', statusReason: reason }));
    this.options.logger.warn({ installation: record.id, tracker: record.tracker }, `${record.tracker} workspace ${record.workspace.name} needs a new consent: ${reason}`);
    if (updated && updated.status === 'needs_reauth') await this.options.onNeedsReauth?.(updated);
  }
}
