// The delivery checker as the receiver runs it in production: from the built
// files, in a thread of its own. Its verdicts must be exactly those of the
// same check on the event loop (which every webhook-route test exercises),
// for good, forged, stale, malformed, ignored and hostile deliveries, and in
// order when many arrive at once.
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, waitFor } from '../support/built-cli.js';
import { createDeliveryCheck, type DeliveryVerdict } from '../../src/webhooks/check-delivery.js';
import type { DeliveryChecker } from '../../src/webhooks/delivery-checker.js';
import type { TrackerId } from '../../src/strategy/types.js';
import {
  JIRA_SECRET,
  LINEAR_NEXT_SECRET,
  LINEAR_SECRET,
  SIGNATURE_HEADER,
  STRANGER_SECRET,
  jiraCommentCreatedPayload,
  jiraDelivery,
  jiraIssue,
  jiraIssueCreatedPayload,
  linearCommentEnvelope,
  linearDelivery,
  linearIssue,
  linearIssueEnvelope,
  linearReactionBody,
  signedJiraRaw,
  signedLinearRaw,
  type Delivery,
} from '../support/webhook-fixtures.js';
import { hostileJiraCases } from '../support/hostile-jira.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const SECRETS = { linear: [LINEAR_SECRET, LINEAR_NEXT_SECRET], jira: [JIRA_SECRET] };

let startDeliveryChecker: (secrets: typeof SECRETS, options: { offThread: boolean; threadFile?: URL }) => DeliveryChecker;
const checkers: DeliveryChecker[] = [];

beforeAll(async () => {
  const cli = await buildCli();
  const built = (await import(pathToFileURL(join(dirname(cli), '../src/webhooks/delivery-checker.js')).href)) as { startDeliveryChecker: typeof startDeliveryChecker };
  startDeliveryChecker = built.startDeliveryChecker;
}, 240_000);

afterEach(async () => {
  await Promise.all(checkers.splice(0).map((c) => c.close()));
});

const threadChecker = (): DeliveryChecker => {
  const checker = startDeliveryChecker(SECRETS, { offThread: true });
  checkers.push(checker);
  return checker;
};

interface Case {
  name: string;
  tracker: TrackerId;
  delivery: Delivery;
  kind: DeliveryVerdict['kind'];
}

function corpus(): Case[] {
  const linear = linearIssue();
  const jira = jiraIssue();
  return [
    { name: 'a Linear issue created', tracker: 'linear', delivery: linearDelivery(linearIssueEnvelope(linear)), kind: 'event' },
    { name: 'a Linear issue moved, signed with the next secret', tracker: 'linear', delivery: linearDelivery(linearIssueEnvelope(linear, { action: 'update', updatedFrom: { parentId: null } }), { secret: LINEAR_NEXT_SECRET }), kind: 'event' },
    { name: 'a Linear comment', tracker: 'linear', delivery: linearDelivery(linearCommentEnvelope(linear)), kind: 'ignored' },
    { name: 'a Linear reaction', tracker: 'linear', delivery: signedLinearRaw(linearReactionBody(), { event: 'Reaction' }), kind: 'ignored' },
    { name: 'a Linear delivery signed with another secret', tracker: 'linear', delivery: linearDelivery(linearIssueEnvelope(linear), { secret: STRANGER_SECRET }), kind: 'refused' },
    { name: 'a Linear delivery 2 minutes old', tracker: 'linear', delivery: linearDelivery(linearIssueEnvelope(linear, { ageMs: 120_000 })), kind: 'refused' },
    { name: 'signed bytes that are not JSON', tracker: 'linear', delivery: signedLinearRaw('{"action": "create", '), kind: 'refused' },
    { name: 'a Jira issue created', tracker: 'jira', delivery: jiraDelivery(jiraIssueCreatedPayload(jira)), kind: 'event' },
    { name: 'a Jira comment', tracker: 'jira', delivery: jiraDelivery(jiraCommentCreatedPayload(jira)), kind: 'ignored' },
    { name: 'a Jira delivery signed with another secret', tracker: 'jira', delivery: jiraDelivery(jiraIssueCreatedPayload(jira), { secret: STRANGER_SECRET }), kind: 'refused' },
    { name: 'a Jira delivery 30 days old', tracker: 'jira', delivery: jiraDelivery({ ...jiraIssueCreatedPayload(jira), timestamp: Date.now() - 30 * DAY }), kind: 'refused' },
    { name: 'a Jira delivery 10 minutes ahead', tracker: 'jira', delivery: jiraDelivery({ ...jiraIssueCreatedPayload(jira), timestamp: Date.now() + 10 * MINUTE }), kind: 'refused' },
    { name: 'a Jira delivery without a timestamp', tracker: 'jira', delivery: jiraDelivery({ ...jiraIssueCreatedPayload(jira), timestamp: undefined }), kind: 'refused' },
    ...hostileJiraCases().map((c): Case => ({ name: `Jira, ${c.name}`, tracker: 'jira', delivery: signedJiraRaw(JSON.stringify(c.body)), kind: c.expected === 'ignored' ? 'ignored' : 'refused' })),
  ];
}

const bodyOf = (delivery: Delivery): Buffer => Buffer.from(delivery.body);
const signatureOf = (c: Case): string | undefined => c.delivery.headers[SIGNATURE_HEADER[c.tracker]];

describe('the delivery-check thread', () => {
  it('gives every delivery the verdict the check gives on the event loop', async () => {
    const checker = threadChecker();
    const at = Date.now();
    expect(checker.offThread).toBe(true);
    const inline = createDeliveryCheck(SECRETS);
    for (const c of corpus()) {
      const expected = inline(c.tracker, bodyOf(c.delivery), signatureOf(c), at);
      expect(expected.kind, c.name).toBe(c.kind);
      expect(await checker.check(c.tracker, bodyOf(c.delivery), signatureOf(c), at), c.name).toEqual(expected);
    }
  });

  it('judges a Jira body’s age by the time the delivery arrived, which it is given, not by its own clock', async () => {
    const checker = threadChecker();
    const sentAt = Date.now() - 2 * DAY;
    const delivery = jiraDelivery({ ...jiraIssueCreatedPayload(jiraIssue()), timestamp: sentAt });
    const signature = delivery.headers[SIGNATURE_HEADER.jira];
    expect(await checker.check('jira', bodyOf(delivery), signature, sentAt + 59 * MINUTE)).toMatchObject({ kind: 'event', bodyDigest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(await checker.check('jira', bodyOf(delivery), signature, sentAt + 61 * MINUTE)).toMatchObject({ kind: 'refused', statusCode: 401, code: 'CASCADE_WEBHOOK_STALE' });
    expect(await checker.check('jira', bodyOf(delivery), signature, sentAt - 6 * MINUTE)).toMatchObject({ kind: 'refused', statusCode: 401, code: 'CASCADE_WEBHOOK_STALE' });
  });

  it('answers 600 deliveries sent at once, each with its own verdict', async () => {
    const checker = threadChecker();
    const inline = createDeliveryCheck(SECRETS);
    const cases = Array.from({ length: 30 }, corpus).flat();
    const at = Date.now();
    // Bodies from Fastify's pool are slices of a larger buffer: the thread must see only the body's own bytes.
    const pooled = (c: Case): Buffer => {
      const body = bodyOf(c.delivery);
      const pool = Buffer.alloc(body.length + 64, 0x7b);
      body.copy(pool, 32);
      return pool.subarray(32, 32 + body.length);
    };
    const verdicts = await Promise.all(cases.map((c) => checker.check(c.tracker, pooled(c), signatureOf(c), at)));
    expect(verdicts).toEqual(cases.map((c) => inline(c.tracker, bodyOf(c.delivery), signatureOf(c), at)));
  });

  it('refuses checks once closed, so a stopping receiver answers 503 rather than hanging', async () => {
    const checker = threadChecker();
    const [c] = corpus();
    const at = Date.now();
    await checker.close();
    await expect(checker.check(c!.tracker, bodyOf(c!.delivery), signatureOf(c!), at)).rejects.toThrow(/closed/);
  });

  it('gives up a thread that keeps stopping, failing only what it held, and checks on the event loop from then on', async () => {
    const checker = startDeliveryChecker(SECRETS, { offThread: true, threadFile: new URL('../fixtures/threads/stops-at-once.mjs', import.meta.url) });
    checkers.push(checker);
    const inline = createDeliveryCheck(SECRETS);
    const [c] = corpus();
    const at = Date.now();
    const expected = inline(c!.tracker, bodyOf(c!.delivery), signatureOf(c!), at);
    // While the thread keeps stopping, a check either fails (the route answers 503 and the sender retries) or,
    // once the thread is given up, gets the verdict it would get on the event loop: never another one.
    const seen: string[] = [];
    await waitFor('the checks to move to the event loop', async () => {
      const verdict = await checker.check(c!.tracker, bodyOf(c!.delivery), signatureOf(c!), at).then(
        (v) => v,
        (err: Error) => (seen.push(err.message), undefined),
      );
      if (verdict) expect(verdict).toEqual(expected);
      return verdict !== undefined;
    }, 20_000);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]).toMatch(/stopped \(exit code 3\)/);
    expect(checker.offThread).toBe(false);
    expect(await checker.check(c!.tracker, bodyOf(c!.delivery), signatureOf(c!), at)).toEqual(expected);
  });
});
