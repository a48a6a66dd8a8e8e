// What an installed app hears about itself: the workspace removed the app
// (its installation ends: no further reads or writes, its queued checks
// dropped, its webhooks ignored from then on), or an admin changed the teams
// the app may reach (checks and sweeps leave the others alone). Nothing here
// reads or writes the tracker.
import type { EventJob } from '../src/queue/job-types.js';
import type { InstallationEvent } from '../src/records/normalised-event.js';
import { teamsAfter } from '../src/trackers/installations.js';
import type { WorkerContext } from './worker-context.js';

export type InstallationEventOutcome = 'installation-revoked' | 'access-changed' | 'not-this-installation';

export async function handleInstallationEvent(ctx: WorkerContext, job: EventJob, event: InstallationEvent): Promise<InstallationEventOutcome> {
  const id = job.installation;
  const record = id ? await ctx.installations?.get(id) : undefined;
  // Routed by the workspace the body names: anything else is not this installation's to change.
  if (!id || !ctx.installations || !record || record.tracker !== event.tracker || record.workspace.id !== event.workspaceId) {
    ctx.logger.warn({ delivery: job.deliveryId, tracker: event.tracker, workspace: event.workspaceId }, `a ${event.tracker} ${event.kind} delivery names no installation of this deployment: ignored`);
    return 'not-this-installation';
  }
  const where = `${record.tracker} workspace ${record.workspace.name}`;
  if (event.kind === 'installation-revoked') {
    const expected = ctx.installations.appId(event.tracker);
    if (event.appId && expected && event.appId !== expected) {
      ctx.logger.warn({ installation: id, delivery: job.deliveryId }, `${where}: a removal of another app (${event.appId}) was delivered here: ignored`);
      return 'not-this-installation';
    }
    // Its waiting checks are dropped with it (InstallService.revoke tells the runtime); a check running now finds it revoked.
    await ctx.installations.revoke(id, `the app was removed from the workspace in ${record.tracker}`);
    ctx.logger.info({ installation: id, delivery: job.deliveryId }, `${where} removed the app: its installation is revoked, its waiting checks dropped`);
    return 'installation-revoked';
  }
  await ctx.installations.setTeams(id, (teams) => teamsAfter(teams, event));
  ctx.logger.info(
    { installation: id, delivery: job.deliveryId, added: event.addedTeamIds, removed: event.removedTeamIds, allPublic: event.allPublic },
    `${where}: the teams the app may reach changed (${event.addedTeamIds.length} added, ${event.removedTeamIds.length} taken away)`,
  );
  return 'access-changed';
}
