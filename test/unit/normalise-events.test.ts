import { describe, expect, it } from 'vitest';
import { normaliseLinear } from '../../src/trackers/linear/normalise-webhook.js';
import { normaliseJira } from '../../src/trackers/jira/normalise-webhook.js';

const issue = { id: 'uuid-1', identifier: 'ENG-1', title: 'T', state: { type: 'completed', name: 'Done' }, team: { key: 'ENG' }, estimate: 3 };

describe('Linear deliveries', () => {
  it('treats a title or assignee change as unable to change the verdict', () => {
    const n = normaliseLinear({ type: 'Issue', action: 'update', data: issue, updatedFrom: { title: 'Old', assigneeId: 'u' }, actor: { id: 'p' } });
    expect(n).toMatchObject({ event: { kind: 'ticket', relevant: false, fanout: false, actorId: 'p', changed: ['title', 'assigneeId'] } });
  });

  it('checks and fans out when the parent, project or labels change', () => {
    for (const key of ['parentId', 'projectId', 'labelIds']) {
      expect(normaliseLinear({ type: 'Issue', action: 'update', data: issue, updatedFrom: { [key]: null } })).toMatchObject({ event: { relevant: true, fanout: true } });
    }
    expect(normaliseLinear({ type: 'Issue', action: 'update', data: issue, updatedFrom: { stateId: 's' } })).toMatchObject({ event: { relevant: true, fanout: false } });
  });

  it('always checks creations and updates that do not say what changed', () => {
    expect(normaliseLinear({ type: 'Issue', action: 'create', data: issue })).toMatchObject({ event: { relevant: true } });
    expect(normaliseLinear({ type: 'Issue', action: 'update', data: issue })).toMatchObject({ event: { relevant: true, fanout: true } });
  });

  it('takes the digest fields from the payload', () => {
    expect(normaliseLinear({ type: 'Issue', action: 'update', data: issue, updatedFrom: { title: 'x' } })).toMatchObject({
      event: { fields: { key: 'ENG-1', title: 'T', estimate: 3, closed: true, stateName: 'Done', team: 'ENG' } },
    });
  });

  it('fans out on project and initiative changes unless only cosmetic fields changed', () => {
    expect(normaliseLinear({ type: 'Project', action: 'update', data: { id: 'p1' }, updatedFrom: { name: 'Old' } })).toMatchObject({ event: { kind: 'container', container: { kind: 'project', id: 'p1' } } });
    expect(normaliseLinear({ type: 'Initiative', action: 'update', data: { id: 'i1' }, updatedFrom: { parentId: null, updatedAt: 'x' } })).toMatchObject({ event: { container: { kind: 'initiative' } } });
    expect(normaliseLinear({ type: 'Project', action: 'update', data: { id: 'p1' }, updatedFrom: { targetDate: null, health: 'x' } })).toHaveProperty('ignored');
  });

  it('ignores what cannot affect lineage, and rejects what is malformed', () => {
    expect(normaliseLinear({ type: 'Comment', action: 'create', data: { id: 'c' } })).toHaveProperty('ignored');
    expect(normaliseLinear({ type: 'Issue', action: 'archive', data: { id: 'c' } })).toHaveProperty('ignored');
    expect(normaliseLinear({ type: 'Issue', action: 'update', data: {} })).toHaveProperty('malformed');
    expect(normaliseLinear([1, 2])).toHaveProperty('malformed');
    expect(normaliseLinear({ action: 'update', data: { id: 'x' } })).toHaveProperty('malformed');
  });
});

describe('Jira deliveries', () => {
  const base = { webhookEvent: 'jira:issue_updated', user: { accountId: 'acc' }, issue: { id: '10001', key: 'ENT-7', fields: { summary: 'S', status: { name: 'Done', statusCategory: { key: 'done' } }, project: { key: 'ENT' }, issuetype: { hierarchyLevel: 1 } } } };

  it('reads the changelog to tell relevant changes from the rest', () => {
    const irrelevant = normaliseJira({ ...base, changelog: { items: [{ field: 'assignee', fieldId: 'assignee' }] } });
    expect(irrelevant).toMatchObject({ event: { relevant: false, fanout: false } });
    const parent = normaliseJira({ ...base, changelog: { items: [{ field: 'IssueParentAssociation', fieldId: 'parent' }] } });
    expect(parent).toMatchObject({ event: { relevant: true, fanout: true, actorId: 'acc', fields: { key: 'ENT-7', closed: true, team: 'ENT' } } });
  });

  it('fans out only from issues that can have children', () => {
    const story = { ...base, issue: { ...base.issue, fields: { ...base.issue.fields, issuetype: { hierarchyLevel: 0 } } }, changelog: { items: [{ fieldId: 'labels' }] } };
    expect(normaliseJira(story)).toMatchObject({ event: { relevant: true, fanout: false } });
  });

  it('ignores comment echoes and comment events, and rejects malformed deliveries', () => {
    expect(normaliseJira({ ...base, issue_event_type_name: 'issue_commented' })).toHaveProperty('ignored');
    expect(normaliseJira({ webhookEvent: 'comment_created', comment: {} })).toHaveProperty('ignored');
    expect(normaliseJira({ webhookEvent: 'jira:issue_created', issue: { id: '1' } })).toHaveProperty('malformed');
    expect(normaliseJira('text')).toHaveProperty('malformed');
  });
});
