// Replay-proof Jira, end to end: the Jira sandbox, the real receiver on a real
// port, BullMQ on a real redis-server and the real workers writing back
// through jira.js. A captured `/cascade exempt` comment delivery, sent again
// later or under a new X-Atlassian-Webhook-Identifier, changes nothing; and a
// `/cascade` line a person quotes (blockquote, code block, panel) is not a
// command, while the same words as the comment's own paragraph still are.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from '../support/e2e.js';
import { adfToText } from '../../src/trackers/jira/adf-text.js';
import { adfFromText, buildSignedJiraDelivery, type AdfNode, type SignedDelivery, type StoreChange } from '../../sandbox/jira/index.js';
import { payloadsFor } from '../../sandbox/jira/webhooks.js';

let e2e: E2E | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

const PERSON = '712020:priya';
const BOT = '712020:cascade-bot';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const EXEMPT = '/cascade exempt vendor contract work';

function orphan(e: E2E, summary: string): { id: string; key: string } {
  const issue = e.jira.store.createIssue({ project: 'OPS', type: 'Story', summary, createdAt: Date.now() - 2 * DAY, actor: PERSON });
  return { id: issue.id, key: issue.key };
}

const cascadeComments = (e: E2E, key: string): string[] => e.jira.store.comments(key).filter((c) => c.authorId === BOT).map((c) => adfToText(c.body));

async function send(e: E2E, delivery: SignedDelivery): Promise<{ status: number; body: { status?: string; error?: string } }> {
  const response = await fetch(`${e.url}/webhooks/jira`, { method: 'POST', headers: delivery.headers, body: delivery.body });
  return { status: response.status, body: (await response.json()) as { status?: string; error?: string } };
}

/** What a person sees on the ticket, and what Cascade recorded. */
async function state(e: E2E, ticket: { id: string; key: string }) {
  return {
    verdict: (await e.cascade.verdicts.get('jira', ticket.id))?.verdict,
    exemption: await e.cascade.context.exemptions.get('jira', ticket.id),
    labels: e.jira.store.labels(ticket.key),
    comments: cascadeComments(e, ticket.key),
  };
}

describe('Jira replays, end to end', () => {
  it('refuses a captured command 30 days old (401, whatever its identifier) or 10 minutes ahead, and takes the same bytes once', async () => {
    e2e = await startE2E();
    const { store } = e2e.jira;
    const ticket = orphan(e2e, 'Renew the CDN vendor contract');
    await e2e.idle();
    const before = await state(e2e, ticket);
    expect(before).toMatchObject({ verdict: 'orphan', exemption: null, labels: ['no-objective'] });
    expect(before.comments).toHaveLength(1);

    // The person's comment, as Jira would deliver it; the sandbox sends nothing meanwhile, the test does.
    const changes: StoreChange[] = [];
    store.onChange((change) => changes.push(change));
    e2e.jira.setWebhook(null);
    store.addComment(ticket.key, adfFromText(EXEMPT), PERSON);
    e2e.jira.setWebhook({ url: `${e2e.url}/webhooks/jira`, secret: e2e.jiraSecret });
    const change = changes.find((c) => c.kind === 'comment_created');
    const payload = change && payloadsFor(store, e2e.jira.baseUrl, change).find((p) => p.webhookEvent === 'comment_created');
    if (!payload) throw new Error('the sandbox made no comment_created payload');
    const signed = (timestamp: number, identifier: string = randomUUID()): SignedDelivery => buildSignedJiraDelivery({ ...payload, timestamp }, e2e!.jiraSecret, { identifier });

    // Signed 30 days ago: refused each time, under any identifier.
    const captured = signed(Date.now() - 30 * DAY);
    for (let i = 0; i < 3; i++) {
      const replay = { body: captured.body, headers: { ...captured.headers, 'x-atlassian-webhook-identifier': randomUUID() } };
      expect(await send(e2e, replay)).toMatchObject({ status: 401, body: { error: 'CASCADE_WEBHOOK_STALE' } });
    }
    expect(await send(e2e, signed(Date.now() + 10 * MINUTE))).toMatchObject({ status: 401, body: { error: 'CASCADE_WEBHOOK_STALE' } });
    await e2e.idle();
    expect(await state(e2e, ticket)).toEqual(before);

    // Sent now, it is the person's command: taken once.
    const fresh = signed(Date.now(), 'jira-delivery-1');
    expect(await send(e2e, fresh)).toEqual({ status: 200, body: { status: 'queued' } });
    await e2e.idle();
    expect(await state(e2e, ticket)).toMatchObject({ verdict: 'exempt', exemption: { reason: 'vendor contract work' }, labels: [] });

    // The person ends it; then the same bytes come back under a new identifier, and as Jira's own retry.
    store.addComment(ticket.key, adfFromText('/cascade unexempt'), PERSON);
    await e2e.idle();
    const ended = await state(e2e, ticket);
    expect(ended).toMatchObject({ verdict: 'orphan', exemption: null, labels: ['no-objective'] });
    const renamed = { body: fresh.body, headers: { ...fresh.headers, 'x-atlassian-webhook-identifier': randomUUID() } };
    expect(await send(e2e, renamed)).toEqual({ status: 200, body: { status: 'duplicate' } });
    expect(await send(e2e, { body: fresh.body, headers: { ...fresh.headers, 'x-atlassian-webhook-retry': '1' } })).toEqual({ status: 200, body: { status: 'duplicate' } });
    await e2e.idle();
    expect(await state(e2e, ticket)).toEqual(ended);
  });
});

describe('quoted /cascade lines on Jira, end to end', () => {
  const quoted: Array<[string, AdfNode]> = [
    ['a blockquote', { type: 'blockquote', content: [{ type: 'paragraph', content: [{ type: 'text', text: EXEMPT }] }] }],
    ['a code block', { type: 'codeBlock', attrs: { language: 'text' }, content: [{ type: 'text', text: EXEMPT }] }],
    ['a panel', { type: 'panel', attrs: { panelType: 'info' }, content: [{ type: 'paragraph', content: [{ type: 'text', text: EXEMPT }] }] }],
  ];

  it('does nothing for a command inside a blockquote, a code block or a panel, and exempts for the same words as a paragraph', async () => {
    e2e = await startE2E();
    const { store } = e2e.jira;
    const ticket = orphan(e2e, 'Rotate the staging TLS certificates');
    await e2e.idle();
    const before = await state(e2e, ticket);
    expect(before).toMatchObject({ verdict: 'orphan', exemption: null, labels: ['no-objective'] });

    for (const [name, block] of quoted) {
      store.addComment(ticket.key, { type: 'doc', version: 1, content: [block] }, PERSON);
      await e2e.idle();
      // No exemption, and no reply: Cascade's one comment is as it was.
      expect(await state(e2e, ticket), name).toEqual(before);
    }

    store.addComment(ticket.key, adfFromText(EXEMPT), PERSON);
    await e2e.idle();
    const after = await state(e2e, ticket);
    expect(after).toMatchObject({ verdict: 'exempt', exemption: { reason: 'vendor contract work' }, labels: [] });
    expect(after.comments).toHaveLength(1);
    expect(after.comments[0]).toContain('vendor contract work');
  });
});
