// Which adapter serves an installation of a tracker: the one function checks,
// sweeps, routes and workers obtain a Tracker through, and the one place the
// credentials are turned into adapters. The default installation of each
// tracker is the environment's credentials, built at start-up and reused; an
// installed app's workspaces (src/installs/installation-adapters.ts) get theirs
// from their stored record and token, as Probot's
// getAuthenticatedOctokit(installationId) builds a client for the installation
// an event belongs to.
import type { Logger } from 'pino';
import type { InstallationRecord } from '../records/installation.js';
import type { TrackerId } from '../strategy/types.js';
import type { TrackerEnv } from './descriptor.js';
import type { Tracker } from './tracker.js';
import type { TrackerRegistry } from './tracker-registry.js';
import { TRACKER_IDS, TRACKERS } from './registry.js';

/** The installation of a tracker whose credentials are in the environment. */
export const DEFAULT_INSTALLATION = 'default';

/** What a job or an event carries to say whose tracker it concerns. */
export interface InstallationRef {
  tracker: TrackerId;
  /** Absent: the default installation. */
  installation?: string;
}

/** Whether an installation reference names the environment's own credentials. */
export function isDefaultInstallation(installation: string | undefined): boolean {
  return (installation ?? DEFAULT_INSTALLATION) === DEFAULT_INSTALLATION;
}

/** The `installation` field a job made from `ref` carries: none for the default installation (jobs stay as they were). */
export function installationOf(ref: { installation?: string }): { installation?: string } {
  return isDefaultInstallation(ref.installation) ? {} : { installation: ref.installation as string };
}

/** The teams an installation may reach; absent: every team it was granted at install. */
export type TeamsInReach = InstallationRecord['teams'];

/** Whether a team (by the tracker's team id) is within an installation's reach. */
export function teamInReach(teams: TeamsInReach, teamId: string | undefined): boolean {
  if (!teams || teamId === undefined) return true;
  if (teams.ids.includes(teamId)) return true;
  return teams.allPublic && !(teams.excluded ?? []).includes(teamId);
}

/** The teams in reach after an admin granted `added` and took `removed` away (Linear's PermissionChange). Pure. */
export function teamsAfter(teams: TeamsInReach, change: { addedTeamIds: string[]; removedTeamIds: string[]; allPublic?: boolean }): NonNullable<TeamsInReach> {
  const base = teams ?? { allPublic: true, ids: [] };
  const ids = new Set(base.ids);
  const excluded = new Set(base.excluded ?? []);
  for (const id of change.addedTeamIds) {
    ids.add(id);
    excluded.delete(id);
  }
  for (const id of change.removedTeamIds) {
    ids.delete(id);
    excluded.add(id);
  }
  return { allPublic: change.allPublic ?? base.allPublic, ids: [...ids], excluded: [...excluded] };
}

/**
 * The installations of the tracker apps (every one but the default): built in
 * cli/start-cascade.ts over the installation store and the token keeper, and
 * passed to the workers and the admin routes.
 */
export interface Installations {
  /** The adapter of an installation other than the default; none when it is unknown, revoked, waiting for a new consent or its tracker has no app. */
  trackerFor(ref: InstallationRef): Promise<Tracker | undefined>;
  /** The stored record (no tokens are opened), cached until the store changes. */
  get(id: string): Promise<InstallationRecord | undefined>;
  /** The active installations, of one tenant when given: each gets its own sweeps, backfills and check queue. */
  active(tenant?: string): Promise<InstallationRecord[]>;
  /** Every installation's record, whatever its status (workers start and stop check queues by it). */
  list(): Promise<InstallationRecord[]>;
  /** Bumped by every change to an installation. */
  version(): Promise<number>;
  /** The app's client id in this deployment (a removal names it), when the tracker's app is configured. */
  appId(tracker: TrackerId): string | undefined;
  /** Ends an installation (the tracker said the app was removed): no further reads or writes. */
  revoke(id: string, reason: string): Promise<void>;
  /** Stores the teams the installation may reach now. */
  setTeams(id: string, change: (teams: TeamsInReach) => TeamsInReach): Promise<void>;
}

/**
 * A job of an installation that is no longer served (revoked, waiting for a new
 * consent, gone): the workers end it quietly, with a log line, having read and
 * written nothing.
 */
export class InstallationEndedError extends Error {
  readonly code = 'CASCADE_INSTALLATION_ENDED';
  constructor(readonly ref: InstallationRef) {
    super(`${ref.tracker} installation ${ref.installation ?? DEFAULT_INSTALLATION} is not active: its job ends without reading or writing`);
  }
}

/** What a caller holds to obtain adapters: the default installations and, when the deployment has apps, the others. */
export interface TrackerSource {
  trackers: TrackerRegistry;
  installations?: Installations;
}

/** The adapter for the installation, or none when it has no credentials or is not active. */
export async function trackerFor(source: TrackerSource, ref: InstallationRef): Promise<Tracker | undefined> {
  if (isDefaultInstallation(ref.installation)) return source.trackers[ref.tracker];
  return source.installations?.trackerFor(ref);
}

/** Every installation whose tracker is `tracker` (or any) with an adapter: the default one when the environment has credentials, then each active app installation. */
export async function installationsOf(source: TrackerSource, tracker?: TrackerId): Promise<InstallationRef[]> {
  const refs: InstallationRef[] = (Object.keys(source.trackers) as TrackerId[]).filter((t) => source.trackers[t] && (!tracker || t === tracker)).map((t) => ({ tracker: t }));
  for (const record of (await source.installations?.active()) ?? []) {
    if (TRACKER_IDS.includes(record.tracker as TrackerId) && (!tracker || record.tracker === tracker)) refs.push({ tracker: record.tracker as TrackerId, installation: record.id });
  }
  return refs;
}

/**
 * The adapter an admin route reads a tracker through: the installation named
 * (a ticket's verdict record says which it was read through), else the
 * default one, else the tracker's first active installation.
 */
export async function adapterFor(source: TrackerSource, tracker: TrackerId, installation?: string): Promise<{ tracker: Tracker; ref: InstallationRef } | undefined> {
  const candidates: InstallationRef[] = [...(installation ? [{ tracker, installation }] : []), ...(await installationsOf(source, tracker))];
  for (const ref of candidates) {
    const adapter = await trackerFor(source, ref);
    if (adapter) return { tracker: adapter, ref: { tracker, ...installationOf(ref) } };
  }
  return undefined;
}

/** The default installation's adapter of every tracker that has credentials in the environment. */
export function defaultInstallations(env: { trackers: Partial<Record<TrackerId, TrackerEnv>> }, logger: Logger): TrackerRegistry {
  const registry: TrackerRegistry = {};
  for (const id of TRACKER_IDS) {
    const credentials = env.trackers[id]?.credentials;
    if (credentials !== undefined) registry[id] = TRACKERS[id].create(credentials, logger);
  }
  return registry;
}
