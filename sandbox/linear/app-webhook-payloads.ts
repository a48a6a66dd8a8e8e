// The events Linear sends only to an OAuth app's webhook (TRACKERS.md "Linear
// OAuth 2.0 apps"): `OAuthApp` revoked when a workspace uninstalls the app, and
// `PermissionChange` when an admin changes the teams the app may reach. Like
// every app delivery they carry the workspace's `organizationId`.

export interface OAuthAppRevokedEvent {
  type: 'OAuthApp';
  action: 'revoked';
  organizationId: string;
  oauthClientId: string;
  createdAt: string;
  webhookTimestamp: number;
  webhookId: string;
}

export interface PermissionChangeEvent {
  type: 'PermissionChange';
  action: 'teamAccessChanged';
  organizationId: string;
  oauthClientId: string;
  appUserId: string;
  addedTeamIds: string[];
  removedTeamIds: string[];
  canAccessAllPublicTeams: boolean;
  createdAt: string;
  webhookTimestamp: number;
  webhookId: string;
}

export type LinearAppEvent = OAuthAppRevokedEvent | PermissionChangeEvent;

export function oauthAppRevoked(organizationId: string, oauthClientId: string, webhookId: string, now: number): OAuthAppRevokedEvent {
  return { type: 'OAuthApp', action: 'revoked', organizationId, oauthClientId, createdAt: new Date(now).toISOString(), webhookTimestamp: now, webhookId };
}

export function permissionChange(
  change: { organizationId: string; oauthClientId: string; appUserId: string; addedTeamIds?: string[]; removedTeamIds?: string[]; canAccessAllPublicTeams?: boolean },
  webhookId: string,
  now: number,
): PermissionChangeEvent {
  return {
    type: 'PermissionChange', action: 'teamAccessChanged', organizationId: change.organizationId, oauthClientId: change.oauthClientId,
    appUserId: change.appUserId, addedTeamIds: change.addedTeamIds ?? [], removedTeamIds: change.removedTeamIds ?? [],
    canAccessAllPublicTeams: change.canAccessAllPublicTeams ?? true, createdAt: new Date(now).toISOString(), webhookTimestamp: now, webhookId,
  };
}
