// A Linear app's deliveries, normalised: every event names its workspace, the
// app's removal and a change of the teams it may reach become tracker-neutral
// installation events, and whatever the shape check refuses never reaches a worker.
import { describe, expect, it } from 'vitest';
import { normaliseLinear } from '../../src/trackers/linear/normalise-webhook.js';
import { isNormalisedEvent } from '../../src/trackers/event-checks.js';

const org = '6c1d7e0a-0f5b-4bd2-9c3e-2f4c1a7b9e01';

describe('Linear app deliveries', () => {
  it('carries the workspace of every event, and the team id of an issue', () => {
    const issue = normaliseLinear({ type: 'Issue', action: 'create', organizationId: org, data: { id: 'uuid-1', teamId: 'team-1', team: { id: 'team-1', key: 'ENG' } } });
    expect(issue).toMatchObject({ event: { kind: 'ticket', workspaceId: org, fields: { team: 'ENG', teamId: 'team-1' } } });
    const project = normaliseLinear({ type: 'Project', action: 'remove', organizationId: org, data: { id: 'p1' } });
    expect(project).toMatchObject({ event: { kind: 'container', workspaceId: org } });
    expect(normaliseLinear({ type: 'Issue', action: 'create', data: { id: 'uuid-1' } })).not.toHaveProperty('event.workspaceId');
  });

  it("makes the app's removal an installation event, and ignores its other OAuthApp actions", () => {
    const removed = normaliseLinear({ type: 'OAuthApp', action: 'revoked', organizationId: org, oauthClientId: 'client-1', webhookTimestamp: 1 });
    expect(removed).toEqual({ event: { kind: 'installation-revoked', tracker: 'linear', workspaceId: org, appId: 'client-1' } });
    expect(isNormalisedEvent((removed as { event: unknown }).event)).toBe(true);
    expect(normaliseLinear({ type: 'OAuthApp', action: 'created', organizationId: org })).toHaveProperty('ignored');
    expect(normaliseLinear({ type: 'OAuthApp', action: 'revoked' })).toHaveProperty('malformed');
  });

  it('makes a change of the teams in reach an installation event, on the envelope or in data', () => {
    const top = normaliseLinear({ type: 'PermissionChange', action: 'teamAccessChanged', organizationId: org, addedTeamIds: ['t1'], removedTeamIds: ['t2'], canAccessAllPublicTeams: false });
    expect(top).toEqual({ event: { kind: 'access-changed', tracker: 'linear', workspaceId: org, addedTeamIds: ['t1'], removedTeamIds: ['t2'], allPublic: false } });
    expect(isNormalisedEvent((top as { event: unknown }).event)).toBe(true);
    const inData = normaliseLinear({ type: 'PermissionChange', action: 'teamAccessChanged', organizationId: org, data: { removedTeamIds: ['t3'] } });
    expect(inData).toEqual({ event: { kind: 'access-changed', tracker: 'linear', workspaceId: org, addedTeamIds: [], removedTeamIds: ['t3'] } });
    expect(normaliseLinear({ type: 'PermissionChange', action: 'teamAccessChanged', organizationId: org, removedTeamIds: 'all' })).toHaveProperty('malformed');
    expect(normaliseLinear({ type: 'PermissionChange', action: 'somethingElse', organizationId: org })).toHaveProperty('ignored');
  });
});
