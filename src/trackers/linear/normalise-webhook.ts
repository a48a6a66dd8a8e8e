// Linear deliveries (TRACKERS.md §1) → tracker-neutral events. Pure.
import type { Normalised, PayloadFields } from '../../records/normalised-event.js';
import { normaliseLinearComment } from './normalise-comment.js';

/** Issue fields whose change can alter a verdict; any other change (title, assignee, priority…) cannot. */
const ISSUE_LINEAGE_FIELDS = new Set(['parentId', 'projectId', 'labelIds', 'teamId', 'stateId', 'archivedAt', 'trashed']);
/** Of those, the ones that also change the lineage of the issue's sub-issues. */
const ISSUE_FANOUT_FIELDS = new Set(['parentId', 'projectId', 'labelIds']);
/**
 * Project and initiative fields known NOT to affect lineage. Any other changed
 * field fans out: Linear's exact key names for links are not all documented,
 * and a needless re-check costs a request while a missed one leaves a wrong verdict.
 */
const CONTAINER_COSMETIC_FIELDS = new Set([
  'description', 'content', 'contentState', 'color', 'icon', 'health', 'healthUpdatedAt', 'progress', 'scope',
  'startDate', 'targetDate', 'startDateResolution', 'targetDateResolution', 'sortOrder', 'prioritySortOrder',
  'updatedAt', 'leadId', 'ownerId', 'memberIds', 'priority', 'slugId', 'url', 'lastUpdateId', 'updateRemindersDay',
  'updateRemindersHour', 'frequencyResolution', 'updateReminderFrequencyInWeeks', 'labelIds',
]);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** Every delivery names its workspace (organizationId): the receiver routes it to that workspace's installation. */
export function normaliseLinear(body: unknown): Normalised {
  const normalised = normaliseBody(body);
  const workspaceId = isObject(body) ? str(body.organizationId) : undefined;
  if (!('event' in normalised) || !workspaceId || normalised.event.workspaceId) return normalised;
  return { event: { ...normalised.event, workspaceId } };
}

function normaliseBody(body: unknown): Normalised {
  if (!isObject(body)) return { malformed: 'the body is not a JSON object' };
  const type = str(body.type);
  const action = str(body.action);
  const data = body.data;
  if (!type || !action) return { malformed: 'type and action are required' };
  if (type === 'OAuthApp' || type === 'PermissionChange') return normaliseAppEvent(body, type, action);
  if (!isObject(data) || !str(data.id)) return { malformed: 'data.id is required' };
  const id = data.id as string;
  const actorId = isObject(body.actor) ? str(body.actor.id) : undefined;
  const changed = isObject(body.updatedFrom) ? Object.keys(body.updatedFrom) : null;
  if (action !== 'create' && action !== 'update' && action !== 'remove') return { ignored: `action ${action}` };

  switch (type) {
    case 'Issue': {
      const relevant = action !== 'update' || changed === null || changed.some((f) => ISSUE_LINEAGE_FIELDS.has(f));
      const fanout = action === 'update' && (changed === null || changed.some((f) => ISSUE_FANOUT_FIELDS.has(f)));
      const removed = action === 'update' && labelsTakenOff(body.updatedFrom, data) ? { removed: 'label' as const } : {};
      return { event: { kind: 'ticket', tracker: 'linear', action, ticketId: id, actorId, ...actorNameOf(body), changed, relevant, fanout, fields: issueFields(data), ...removed } };
    }
    case 'Comment': {
      // A deleted comment may be Cascade's: the check tells, from a fresh read and what Cascade wrote.
      // A new or edited comment may be a person's /cascade command.
      if (action !== 'remove') return normaliseLinearComment(body, data, action);
      const issueId = str(data.issueId);
      if (!issueId) return { ignored: `Comment ${action}` };
      return { event: { kind: 'ticket', tracker: 'linear', action: 'update', ticketId: issueId, actorId, ...actorNameOf(body), changed: ['comment'], relevant: true, fanout: false, fields: {}, removed: 'comment' } };
    }
    case 'Project':
    case 'Initiative': {
      if (action === 'create') return { ignored: `${type} created: no issues under it yet` };
      if (action === 'update' && changed !== null && changed.every((f) => CONTAINER_COSMETIC_FIELDS.has(f))) {
        return { ignored: `${type} update that cannot change lineage (${changed.join(', ') || 'no fields'})` };
      }
      const kind = type === 'Project' ? 'project' : 'initiative';
      return { event: { kind: 'container', tracker: 'linear', container: { kind, id }, actorId, changed } };
    }
    default:
      return { ignored: `${type} events do not affect lineage` };
  }
}

/**
 * The app's own events (TRACKERS.md "INSTALLING AS AN APP"): `OAuthApp` `revoked` when a
 * workspace removes the app, `PermissionChange` `teamAccessChanged` when an admin changes
 * the teams it may reach. Their fields may sit on the envelope or in `data`.
 */
function normaliseAppEvent(body: Json, type: 'OAuthApp' | 'PermissionChange', action: string): Normalised {
  const data = isObject(body.data) ? body.data : {};
  const field = (name: string): unknown => body[name] ?? data[name];
  const workspaceId = str(field('organizationId'));
  if (type === 'OAuthApp') {
    if (action !== 'revoked') return { ignored: `OAuthApp ${action}` };
    if (!workspaceId) return { malformed: 'organizationId is required' };
    const appId = str(field('oauthClientId'));
    return { event: { kind: 'installation-revoked', tracker: 'linear', workspaceId, ...(appId ? { appId } : {}) } };
  }
  if (action !== 'teamAccessChanged') return { ignored: `PermissionChange ${action}` };
  if (!workspaceId) return { malformed: 'organizationId is required' };
  const ids = (name: string): string[] | undefined => {
    const value = field(name);
    return Array.isArray(value) && value.every((v) => typeof v === 'string' && v.length > 0) ? (value as string[]) : value === undefined || value === null ? [] : undefined;
  };
  const addedTeamIds = ids('addedTeamIds');
  const removedTeamIds = ids('removedTeamIds');
  if (!addedTeamIds || !removedTeamIds) return { malformed: 'addedTeamIds and removedTeamIds must be lists of team ids' };
  const allPublic = field('canAccessAllPublicTeams');
  return { event: { kind: 'access-changed', tracker: 'linear', workspaceId, addedTeamIds, removedTeamIds, ...(typeof allPublic === 'boolean' ? { allPublic } : {}) } };
}

function actorNameOf(body: Json): { actorName?: string } {
  const name = isObject(body.actor) ? str(body.actor.name) : undefined;
  return name ? { actorName: name } : {};
}

function labelsTakenOff(updatedFrom: unknown, data: Json): boolean {
  if (!isObject(updatedFrom) || !Array.isArray(updatedFrom.labelIds)) return false;
  const now = new Set(Array.isArray(data.labelIds) ? data.labelIds : []);
  return updatedFrom.labelIds.some((id) => !now.has(id));
}

function issueFields(data: Json): PayloadFields {
  const state = isObject(data.state) ? data.state : undefined;
  const team = isObject(data.team) ? data.team : undefined;
  const stateType = str(state?.type);
  return {
    key: str(data.identifier),
    title: str(data.title),
    estimate: typeof data.estimate === 'number' ? data.estimate : data.estimate === null ? null : undefined,
    closed: stateType ? stateType === 'completed' || stateType === 'canceled' : undefined,
    stateName: str(state?.name),
    url: str(data.url),
    team: str(team?.key),
    teamId: str(data.teamId) ?? str(team?.id),
  };
}
