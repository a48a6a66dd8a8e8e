// Comment deliveries: only a /cascade command reaches the queue, with who wrote it.
import { describe, expect, it } from 'vitest';
import { normaliseLinear } from '../../src/webhooks/normalise-linear.js';
import { normaliseJira } from '../../src/webhooks/normalise-jira.js';

const linearComment = (body: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'Comment',
  action: 'create',
  actor: { id: 'u1', name: 'Dana Reyes' },
  data: { id: 'c1', body, issueId: 'i1', userId: 'u1', issue: { id: 'i1', identifier: 'ENG-7', url: 'https://linear.app/x/issue/ENG-7' } },
  ...extra,
});

describe('Linear comment deliveries', () => {
  it('queue a command (never a removal) with the ticket, the person and the command line', () => {
    expect(normaliseLinear(linearComment('/cascade exempt ops work\nmore'))).toEqual({
      event: { kind: 'comment', tracker: 'linear', action: 'create', ticketId: 'i1', ticketKey: 'ENG-7', ticketUrl: 'https://linear.app/x/issue/ENG-7', commentId: 'c1', actorId: 'u1', actorName: 'Dana Reyes', command: '/cascade exempt ops work' },
    });
  });

  it('ignore ordinary comments, edits that left the text alone and comments on other things', () => {
    expect(normaliseLinear(linearComment('Looks good'))).toHaveProperty('ignored');
    expect(normaliseLinear(linearComment('/cascade exempt x', { action: 'remove' }))).not.toMatchObject({ event: { kind: 'comment' } });
    expect(normaliseLinear(linearComment('/cascade exempt x', { action: 'update', updatedFrom: { editedAt: null } }))).toHaveProperty('ignored');
    expect(normaliseLinear(linearComment('/cascade exempt x', { action: 'update', updatedFrom: { body: 'old' } }))).toMatchObject({ event: { kind: 'comment', action: 'update' } });
    expect(normaliseLinear({ type: 'Comment', action: 'create', data: { id: 'c', body: '/cascade exempt x', projectUpdateId: 'p' } })).toHaveProperty('ignored');
  });
});

const jiraComment = (event: string, body: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  webhookEvent: event,
  comment: { id: '100', body, author: { accountId: 'a1', displayName: 'Priya Raman' }, updateAuthor: { accountId: 'a2', displayName: 'Tomás Ortega' } },
  issue: { id: '10001', key: 'OPS-3', self: 'https://acme.atlassian.net/rest/api/2/issue/10001' },
  ...extra,
});
const adf = (text: string): unknown => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

describe('Jira comment deliveries', () => {
  it('queue a command from an ADF or a plain-text body, naming the author (or the editor of an edit)', () => {
    expect(normaliseJira(jiraComment('comment_created', adf('/cascade propose Win mid-market')))).toEqual({
      event: { kind: 'comment', tracker: 'jira', action: 'create', ticketId: '10001', ticketKey: 'OPS-3', ticketUrl: 'https://acme.atlassian.net/browse/OPS-3', commentId: '100', actorId: 'a1', actorName: 'Priya Raman', command: '/cascade propose Win mid-market' },
    });
    expect(normaliseJira(jiraComment('comment_updated', '/cascade unexempt'))).toMatchObject({ event: { action: 'update', actorId: 'a2', actorName: 'Tomás Ortega', command: '/cascade unexempt' } });
  });

  it('say when a command was written in a comment only a role or group can see', () => {
    const restricted = (visibility: unknown) => {
      const body = jiraComment('comment_created', adf('/cascade exempt secret reason'));
      (body.comment as Record<string, unknown>).visibility = visibility;
      return normaliseJira(body);
    };
    expect(restricted({ type: 'role', value: 'Administrators' })).toMatchObject({ event: { command: '/cascade exempt secret reason', restricted: true } });
    expect(restricted({ type: 'group', value: 'jira-staff', identifier: '276f955c-63d7-42c8-9520-92d01dca0625' })).toMatchObject({ event: { restricted: true } });
    expect(normaliseJira(jiraComment('comment_created', adf('/cascade exempt open reason')))).not.toHaveProperty('event.restricted');
  });

  it('ignore ordinary comments and deletions, and reject a command without its ids', () => {
    expect(normaliseJira(jiraComment('comment_created', adf('Thanks!')))).toHaveProperty('ignored');
    expect(normaliseJira(jiraComment('comment_deleted', adf('/cascade exempt x')))).toHaveProperty('ignored');
    expect(normaliseJira(jiraComment('comment_created', '/cascade exempt x', { issue: { key: 'OPS-3' } }))).toHaveProperty('malformed');
  });
});
