// The workspaces (Linear organisations) one sandbox serves. The first is the
// sandbox's own `store`, reached with the API key as before; more can be added
// for tests that install Cascade as an app in two workspaces. Each workspace
// has its own app user: what `viewer` answers to an actor=app token there.
import type { LinearStore } from './store.js';
import type { UserRecord } from './records.js';

export interface SandboxWorkspace {
  /** The organisation's id (organizationId in webhooks). */
  id: string;
  store: LinearStore;
  /** The OAuth app's user in this workspace (not a seat; `User.app` true), made at the first consent: a workspace that never installed the app has none. */
  appUser?: UserRecord;
  /** Whether the app is installed here now (a consent, and no uninstall since): app webhooks are sent only then. */
  installed: boolean;
  /** The teams the app may reach, as the last PermissionChange said; absent: all public teams. */
  teams?: { allPublic: boolean; ids: string[] };
}

export function workspaceOf(store: LinearStore): SandboxWorkspace {
  return { id: store.organization.id, store, installed: false };
}

export function appUserOf(workspace: SandboxWorkspace, clientId: string): UserRecord {
  workspace.appUser ??= workspace.store.createUser({ name: 'Cascade', email: `${clientId}@oauthapp.linear.example`, app: true, oauthClientId: clientId });
  return workspace.appUser;
}
