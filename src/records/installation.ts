// An installation: one workspace (a Linear organisation, a Jira site) that
// installed Cascade as an app, the tenant whose strategy it serves, and its
// tokens, sealed (src/installs/secret-box.ts). The environment's API keys are
// the `default` installation of each tracker and have no record.

export type InstallationStatus = 'active' | 'needs_reauth' | 'revoked';

/** An OAuth token pair as Cascade keeps it (always sealed at rest). */
export interface TokenSet {
  accessToken: string;
  /** Absent for the client-credentials grant (a new token is asked for instead). */
  refreshToken?: string;
  /** When the access token ends (ISO 8601); absent: it does not (an API key). */
  expiresAt?: string;
  /** How long the access token lived when issued, in ms: it is refreshed once a quarter of it (at most an hour) remains. */
  lifetimeMs?: number;
  grant: 'authorization_code' | 'client_credentials';
  /** When the first refresh token of this consent was issued: Jira ends the chain 365 days later. */
  chainStartedAt?: string;
}

export interface Workspace {
  /** Linear's organisation id, Jira's cloudId. */
  id: string;
  name: string;
  /** Linear's urlKey; Jira's site URL. */
  urlKey?: string;
  url?: string;
}

export interface InstallationRecord {
  /** Opaque and unguessable: it is part of a Jira webhook URL. */
  id: string;
  tracker: string;
  tenant: string;
  workspace: Workspace;
  status: InstallationStatus;
  /** Why it is not active, in a sentence for the admin. */
  statusReason?: string;
  /** The account Cascade writes as there: Linear's app user (viewer.id), the Jira account that consented. */
  actorId?: string;
  /**
   * The teams the app may reach (Linear's PermissionChange); absent: what it was granted at install.
   * `ids`: teams granted by name; `allPublic`: every public team too, but those in `excluded` (taken away since).
   */
  teams?: { allPublic: boolean; ids: string[]; excluded?: string[] };
  /** The TokenSet, sealed. */
  sealedTokens: string;
  /** The access token's end, copied out of the sealed set for listings. */
  expiresAt?: string;
  /** Jira: when the refresh-token chain ends (365 days after the first). */
  refreshChainEndsAt?: string;
  /** Jira's dynamic webhooks: their ids and when they stop unless refreshed. */
  webhook?: { ids: number[]; url: string; expiresAt?: string };
  installedAt: string;
  updatedAt: string;
}

/** What a tracker's app gives back from a consent, before Cascade stores it. */
export interface NewInstallation {
  workspace: Workspace;
  actorId?: string;
  tokens: TokenSet;
}

/** An installation as GET /admin/installs answers it (no token, ever). */
export interface ListedInstallation {
  id: string;
  tracker: string;
  workspace: { id: string; name: string };
  tenant: string;
  status: InstallationStatus;
  statusReason?: string;
  expiresAt: string | null;
  refreshChainEndsAt?: string | null;
  webhook: { expiresAt: string | null } | null;
  installedAt: string;
}

export function listedInstallation(record: InstallationRecord): ListedInstallation {
  return {
    id: record.id,
    tracker: record.tracker,
    workspace: { id: record.workspace.id, name: record.workspace.name },
    tenant: record.tenant,
    status: record.status,
    ...(record.statusReason ? { statusReason: record.statusReason } : {}),
    expiresAt: record.expiresAt ?? null,
    ...(record.refreshChainEndsAt ? { refreshChainEndsAt: record.refreshChainEndsAt } : {}),
    webhook: record.webhook ? { expiresAt: record.webhook.expiresAt ?? null } : null,
    installedAt: record.installedAt,
  };
}
