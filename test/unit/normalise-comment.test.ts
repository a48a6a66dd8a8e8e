// Comment deliveries: only a /cascade command reaches the queue, with who wrote it.
import { describe, expect, it } from 'vitest';
import { normaliseLinear } from '../../src/trackers/linear/normalise-webhook.js';
import { normaliseJira } from '../../src/trackers/jira/normalise-webhook.js';

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

// What a person quotes is not theirs to run: Jira's quotes, code blocks, panels and expands, and Linear's Markdown ones.
const doc = (...content: unknown[]): unknown => ({ type: 'doc', version: 1, content });
const paragraph = (...content: unknown[]): unknown => ({ type: 'paragraph', content });
const text = (value: string, marks?: unknown[]): unknown => ({ type: 'text', text: value, ...(marks ? { marks } : {}) });
const EXEMPT = '/cascade exempt vendor contract work';

describe('a /cascade line someone quotes is not a command', () => {
  const wrapped: Array<[string, unknown]> = [
    ['a blockquote', { type: 'blockquote', content: [paragraph(text(EXEMPT))] }],
    ['a code block', { type: 'codeBlock', attrs: { language: 'text' }, content: [text(EXEMPT)] }],
    ['a panel', { type: 'panel', attrs: { panelType: 'info' }, content: [paragraph(text(EXEMPT))] }],
    ['an expand', { type: 'expand', attrs: { title: 'How to exempt' }, content: [paragraph(text(EXEMPT))] }],
    ['a blockquote inside a panel', { type: 'panel', attrs: { panelType: 'note' }, content: [{ type: 'blockquote', content: [paragraph(text(EXEMPT))] }] }],
    ['a bullet list', { type: 'bulletList', content: [{ type: 'listItem', content: [paragraph(text(EXEMPT))] }] }],
    ['a table', { type: 'table', content: [{ type: 'tableRow', content: [{ type: 'tableCell', content: [paragraph(text(EXEMPT))] }] }] }],
  ];

  it.each(wrapped)('on Jira, inside %s, first in the comment or after a line of its own', (_name, block) => {
    expect(normaliseJira(jiraComment('comment_created', doc(block)))).toEqual({ ignored: 'a comment without a /cascade command' });
    expect(normaliseJira(jiraComment('comment_updated', doc(block, paragraph(text('Agreed, see above.')))))).toHaveProperty('ignored');
    expect(normaliseJira(jiraComment('comment_created', doc(paragraph(text('As Dana wrote:')), block)))).toHaveProperty('ignored');
  });

  it('on Jira, after a quote: the command is the first line of the comment, as on Linear', () => {
    const quote = { type: 'blockquote', content: [paragraph(text('Can we exempt this?'))] };
    expect(normaliseJira(jiraComment('comment_created', doc(quote, paragraph(text(EXEMPT)))))).toHaveProperty('ignored');
    expect(normaliseLinear(linearComment(`> Can we exempt this?\n\n${EXEMPT}`))).toHaveProperty('ignored');
  });

  it('on Jira, in inline code or in a wiki-markup quote, code block or panel', () => {
    expect(normaliseJira(jiraComment('comment_created', doc(paragraph(text(EXEMPT, [{ type: 'code' }])))))).toHaveProperty('ignored');
    for (const wiki of [`bq. ${EXEMPT}`, `{quote}${EXEMPT}{quote}`, `{quote}\n${EXEMPT}\n{quote}`, `{code}\n${EXEMPT}\n{code}`, `{noformat}\n${EXEMPT}\n{noformat}`, `{panel:title=How}\n${EXEMPT}\n{panel}`]) {
      expect(normaliseJira(jiraComment('comment_created', wiki)), wiki).toHaveProperty('ignored');
    }
  });

  it('on Linear, in a Markdown quote or code block (unchanged)', () => {
    for (const body of [`> ${EXEMPT}`, `\`\`\`\n${EXEMPT}\n\`\`\``, `\`${EXEMPT}\``]) expect(normaliseLinear(linearComment(body)), body).toHaveProperty('ignored');
  });

  it('while the same words as the comment’s own first paragraph are a command, whatever follows', () => {
    const quote = { type: 'blockquote', content: [paragraph(text('/cascade unexempt'))] };
    const own = [
      doc(paragraph(text(EXEMPT))),
      doc(paragraph(), paragraph(text(EXEMPT)), quote),
      doc(paragraph(text(EXEMPT), { type: 'hardBreak' }, text('It is vendor work.')), { type: 'codeBlock', content: [text('/cascade unexempt')] }),
      doc(paragraph(text('/cascade '), text('exempt', [{ type: 'strong' }]), text(' vendor contract work'))),
    ];
    for (const body of own) expect(normaliseJira(jiraComment('comment_created', body))).toMatchObject({ event: { kind: 'comment', actorId: 'a1', command: EXEMPT } });
    expect(normaliseLinear(linearComment(`${EXEMPT}\n> /cascade unexempt`))).toMatchObject({ event: { command: EXEMPT } });
  });
});
