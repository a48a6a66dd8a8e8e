// POST /webhooks/linear and /webhooks/jira through buildApp and app.inject(),
// with real BullMQ queues on a real redis-server: what each answer means
// (200 queued | duplicate | ignored, 400, 401, 413, 503, never 500), secret
// rotation, 10,000 hostile requests, and a Redis outage the same app
// recovers from without a restart. Deliveries are signed with the sandboxes'
// own signing code.
import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { startRedisServer, type RedisServer } from '../../cli/redis-server.js';
import { normaliseLinear } from '../../src/trackers/linear/normalise-webhook.js';
import { normaliseJira } from '../../src/trackers/jira/normalise-webhook.js';
import {
  DELIVERY_HEADER, JIRA_SECRET, LINEAR_NEXT_SECRET, LINEAR_SECRET, SIGNATURE_HEADER, STRANGER_SECRET,
  jiraCommentCreatedPayload, jiraDelivery, jiraIssue, jiraIssueCreatedPayload,
  linearCommentEnvelope, linearDelivery, linearIssue, linearIssueEnvelope, linearReactionBody,
  post, queuedEvents, signedJiraRaw, signedLinearRaw, startWebhookApp, withHeaders,
  type Delivery, type Route, type WebhookApp,
} from '../support/webhook-fixtures.js';
import { HOSTILE_SEED, hostileJiraBody, hostileJiraCases } from '../support/hostile-jira.js';
import { isEventJob } from '../../src/trackers/event-checks.js';
import { testPrefix } from '../support/test-prefix.js';

/** How often a test that plays the tracker's retries sends again while it waits for a 200. */
const RETRY_POLL_MS = 100;

const redisUrl = inject('redisUrl');
const MAX_BODY_BYTES = 4096;

const running: WebhookApp[] = [];
async function start(options: { linearSecrets?: string[]; maxBodyBytes?: number; url?: string } = {}): Promise<WebhookApp> {
  const receiver = await startWebhookApp({
    redisUrl: options.url ?? redisUrl,
    prefix: testPrefix('t'),
    maxBodyBytes: options.maxBodyBytes ?? MAX_BODY_BYTES,
    ...(options.linearSecrets ? { linearSecrets: options.linearSecrets } : {}),
  });
  running.push(receiver);
  return receiver;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
});

function expectError(response: LightMyRequestResponse, status: number, code: string): void {
  expect({ status: response.statusCode, error: response.json<{ error?: unknown }>().error }).toEqual({ status, error: code });
}

/** A fresh, valid delivery of a ticket event for each route, and the event it must queue. */
function ticketDelivery(route: Route): { delivery: Delivery; ticketId: string; key: string } {
  if (route === 'linear') {
    const fixture = linearIssue();
    return { delivery: linearDelivery(linearIssueEnvelope(fixture)), ticketId: fixture.issue.id, key: fixture.identifier };
  }
  const fixture = jiraIssue();
  return { delivery: jiraDelivery(jiraIssueCreatedPayload(fixture)), ticketId: fixture.issue.id, key: fixture.issue.key };
}

function ignoredDelivery(route: Route): Delivery {
  return route === 'linear'
    ? linearDelivery(linearCommentEnvelope(linearIssue()))
    : jiraDelivery(jiraCommentCreatedPayload(jiraIssue()));
}

/** Valid signature over any bytes, for each route. */
function signedRaw(route: Route, body: string | Buffer, options: { secret?: string } = {}): Delivery {
  return route === 'linear' ? signedLinearRaw(body, options) : signedJiraRaw(body, options);
}

describe.each<Route>(['linear', 'jira'])('POST /webhooks/%s', (route) => {
  const normalise = route === 'linear' ? normaliseLinear : normaliseJira;

  it('answers 200 queued once the normalised event is on the events queue', async () => {
    const { app, queues, inbox, metrics } = await start();
    const { delivery, ticketId, key } = ticketDelivery(route);
    const response = await post(app, route, delivery);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'queued' });

    const jobs = await queuedEvents(queues, inbox);
    expect(jobs).toHaveLength(1);
    const data = jobs[0]?.data;
    const deliveryId = delivery.headers[DELIVERY_HEADER[route]];
    expect(data).toMatchObject({
      tracker: route,
      deliveryId,
      event: { kind: 'ticket', tracker: route, action: 'create', ticketId, relevant: true, fields: { key, title: 'Map Okta groups to workspace roles' } },
    });
    expect(Date.parse(data?.receivedAt ?? '')).toBeGreaterThan(Date.now() - 10_000);
    // Exactly what the normaliser makes of the signed bytes, nothing lost on the way through Redis.
    expect({ event: data?.event }).toEqual(normalise(JSON.parse(String(delivery.body))));
    const counted = await metrics.deliveries.get();
    expect(counted.values).toEqual([expect.objectContaining({ labels: { tracker: route, outcome: 'queued' }, value: 1 })]);
  });

  it('answers 200 duplicate for a delivery id it already queued, and queues nothing more', async () => {
    const { app, queues, inbox } = await start();
    const { delivery } = ticketDelivery(route);
    expect((await post(app, route, delivery)).json()).toEqual({ status: 'queued' });
    const again = await post(app, route, delivery);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ status: 'duplicate' });
    // The tracker's retry may carry a fresh body (Jira re-serialises): the id alone decides.
    const retried = withHeaders(ticketDelivery(route).delivery, { [DELIVERY_HEADER[route]]: delivery.headers[DELIVERY_HEADER[route]] });
    expect((await post(app, route, retried)).json()).toEqual({ status: 'duplicate' });
    expect(await queuedEvents(queues, inbox)).toHaveLength(1);
    // A new delivery id is a new event.
    expect((await post(app, route, ticketDelivery(route).delivery)).json()).toEqual({ status: 'queued' });
    expect(await queuedEvents(queues, inbox)).toHaveLength(2);
  });

  it('answers 200 ignored for an event that cannot affect lineage, and queues nothing', async () => {
    const { app, queues, inbox } = await start();
    const response = await post(app, route, ignoredDelivery(route));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ignored' });
    if (route === 'linear') {
      const reaction = await post(app, route, signedLinearRaw(linearReactionBody(), { event: 'Reaction' }));
      expect(reaction.json()).toEqual({ status: 'ignored' });
    }
    expect(await queuedEvents(queues, inbox)).toEqual([]);
  });

  it('answers 401 with a stable code for a missing, wrong or foreign signature', async () => {
    const { app, queues, inbox } = await start();
    const { delivery } = ticketDelivery(route);
    const header = SIGNATURE_HEADER[route];
    expectError(await post(app, route, withHeaders(delivery, { [header]: undefined })), 401, 'CASCADE_WEBHOOK_SIGNATURE_MISSING');
    const signature = delivery.headers[header] ?? '';
    const flipped = signature.slice(0, -1) + (signature.endsWith('0') ? '1' : '0');
    expectError(await post(app, route, withHeaders(delivery, { [header]: flipped })), 401, 'CASCADE_WEBHOOK_SIGNATURE_INVALID');
    expectError(await post(app, route, withHeaders(delivery, { [header]: 'sha256=' })), 401, 'CASCADE_WEBHOOK_SIGNATURE_INVALID');
    expectError(await post(app, route, withHeaders(delivery, { [header]: 'not a signature' })), 401, 'CASCADE_WEBHOOK_SIGNATURE_INVALID');
    const foreign = signedRaw(route, delivery.body, { secret: STRANGER_SECRET });
    expectError(await post(app, route, withHeaders(delivery, { [header]: foreign.headers[header] })), 401, 'CASCADE_WEBHOOK_SIGNATURE_INVALID');
    // The signature is checked before the body is read: garbage with a bad signature is a 401, not a 400.
    expectError(await post(app, route, signedRaw(route, '{not json', { secret: STRANGER_SECRET })), 401, 'CASCADE_WEBHOOK_SIGNATURE_INVALID');
    // Signing a different body does not carry over.
    const other = ticketDelivery(route).delivery;
    expectError(await post(app, route, withHeaders(delivery, { [header]: other.headers[header] })), 401, 'CASCADE_WEBHOOK_SIGNATURE_INVALID');
    expect(await queuedEvents(queues, inbox)).toEqual([]);
  });

  it('answers 400 with a stable code for a malformed delivery behind a valid signature', async () => {
    const { app, queues, inbox } = await start();
    const malformed = 'CASCADE_WEBHOOK_MALFORMED';
    expectError(await post(app, route, signedRaw(route, '{"type":"Issue","action":')), 400, malformed);
    expectError(await post(app, route, signedRaw(route, 'definitely not json')), 400, malformed);
    expectError(await post(app, route, signedRaw(route, JSON.stringify([{ webhookTimestamp: Date.now() }]))), 400, malformed);
    expectError(await post(app, route, signedRaw(route, 'null')), 400, malformed);

    const missingId = route === 'linear'
      ? (() => {
          const envelope = linearIssueEnvelope(linearIssue());
          const { id: _id, ...data } = envelope.data;
          return signedRaw(route, JSON.stringify({ ...envelope, data }));
        })()
      : (() => {
          const payload = jiraIssueCreatedPayload(jiraIssue());
          const { key: _key, ...issue } = payload.issue as Record<string, unknown>;
          return signedRaw(route, JSON.stringify({ ...payload, issue }));
        })();
    expectError(await post(app, route, missingId), 400, malformed);

    const { delivery } = ticketDelivery(route);
    expectError(await post(app, route, withHeaders(delivery, { 'content-type': 'text/plain' })), 400, malformed);
    expectError(await post(app, route, withHeaders(delivery, { 'content-type': 'application/x-www-form-urlencoded' })), 400, malformed);
    expectError(await post(app, route, withHeaders(delivery, { 'content-type': undefined })), 400, malformed);
    expectError(await post(app, route, withHeaders(delivery, { [DELIVERY_HEADER[route]]: undefined })), 400, malformed);
    expectError(await post(app, route, withHeaders(delivery, { [DELIVERY_HEADER[route]]: 'x'.repeat(201) })), 400, malformed);
    // A length that disagrees with the body: Fastify's own code, still a 400.
    expectError(await post(app, route, withHeaders(delivery, { 'content-length': '0' })), 400, 'FST_ERR_CTP_INVALID_CONTENT_LENGTH');
    expect(await queuedEvents(queues, inbox)).toEqual([]);
    // The same delivery, well formed, is still taken: none of the above was remembered as seen.
    expect((await post(app, route, delivery)).json()).toEqual({ status: 'queued' });
  });

  it('answers 413 with a stable code for a body over maxBodyBytes, even when signed', async () => {
    const { app, queues, inbox } = await start();
    const big = JSON.stringify({ padding: 'x'.repeat(MAX_BODY_BYTES) });
    const response = await post(app, route, signedRaw(route, big));
    expectError(response, 413, 'FST_ERR_CTP_BODY_TOO_LARGE');
    // Unsigned, it is refused before the body is read at all.
    const unsigned = await post(app, route, withHeaders(signedRaw(route, big), { [SIGNATURE_HEADER[route]]: undefined }));
    expectError(unsigned, 401, 'CASCADE_WEBHOOK_SIGNATURE_MISSING');
    expect(await queuedEvents(queues, inbox)).toEqual([]);
  });

  it('answers 404 with a code for other methods on the route', async () => {
    const { app } = await start();
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH'] as const) {
      const response = await app.inject({ method, url: `/webhooks/${route}` });
      expect([404, 405]).toContain(response.statusCode);
      expect(response.json<{ error: unknown }>().error).toEqual(expect.any(String));
    }
  });
});

describe('POST /webhooks/linear: Linear specifics', () => {
  it('answers 401 for an upper-cased hex signature (Linear sends lower case)', async () => {
    const { app } = await start();
    const delivery = linearDelivery(linearIssueEnvelope(linearIssue()));
    const upper = (delivery.headers['linear-signature'] ?? '').toUpperCase();
    expect(upper).toMatch(/[A-F]/);
    expectError(await post(app, 'linear', withHeaders(delivery, { 'linear-signature': upper })), 401, 'CASCADE_WEBHOOK_SIGNATURE_INVALID');
  });

  it('answers 401 for a webhookTimestamp 61 s old or ahead, and takes one 30 s old', async () => {
    const { app, queues, inbox } = await start();
    const fixture = linearIssue();
    expectError(await post(app, 'linear', linearDelivery(linearIssueEnvelope(fixture, { ageMs: 61_000 }))), 401, 'CASCADE_WEBHOOK_STALE');
    expectError(await post(app, 'linear', linearDelivery(linearIssueEnvelope(fixture, { ageMs: -61_000 }))), 401, 'CASCADE_WEBHOOK_STALE');
    expect(await queuedEvents(queues, inbox)).toEqual([]);
    const recent = await post(app, 'linear', linearDelivery(linearIssueEnvelope(fixture, { ageMs: 30_000 })));
    expect(recent.json()).toEqual({ status: 'queued' });
  });

  it('answers 400 when the signed body has no webhookTimestamp, 401 when it is not a number', async () => {
    const { app } = await start();
    const { webhookTimestamp: _ts, ...envelope } = linearIssueEnvelope(linearIssue());
    expectError(await post(app, 'linear', signedLinearRaw(JSON.stringify(envelope))), 400, 'CASCADE_WEBHOOK_MALFORMED');
    const texty = await post(app, 'linear', signedLinearRaw(JSON.stringify({ ...envelope, webhookTimestamp: String(Date.now()) })));
    expect(texty.statusCode).toBe(401);
  });

  it('accepts deliveries signed with either secret while one is rotated in, and no other', async () => {
    const { app, queues, inbox } = await start({ linearSecrets: [LINEAR_SECRET, LINEAR_NEXT_SECRET] });
    const fixture = linearIssue();
    for (const secret of [LINEAR_SECRET, LINEAR_NEXT_SECRET]) {
      const response = await post(app, 'linear', linearDelivery(linearIssueEnvelope(fixture, { action: 'update', updatedFrom: { labelIds: [] } }), { secret }));
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'queued' });
    }
    expectError(await post(app, 'linear', linearDelivery(linearIssueEnvelope(fixture), { secret: STRANGER_SECRET })), 401, 'CASCADE_WEBHOOK_SIGNATURE_INVALID');
    // The newer secret alone also knows a stale delivery when it sees one.
    expectError(
      await post(app, 'linear', linearDelivery(linearIssueEnvelope(fixture, { ageMs: 61_000 }), { secret: LINEAR_NEXT_SECRET })),
      401,
      'CASCADE_WEBHOOK_STALE',
    );
    expect(await queuedEvents(queues, inbox)).toHaveLength(2);
  });

  it('does not serve the other tracker’s delivery ids as duplicates', async () => {
    const { app, queues, inbox } = await start();
    const id = randomUUID();
    const linear = linearDelivery(linearIssueEnvelope(linearIssue()), { deliveryId: id });
    const jira = jiraDelivery(jiraIssueCreatedPayload(jiraIssue()), { deliveryId: id });
    expect((await post(app, 'linear', linear)).json()).toEqual({ status: 'queued' });
    expect((await post(app, 'jira', jira)).json()).toEqual({ status: 'queued' });
    expect((await queuedEvents(queues, inbox)).map((j) => j.data.tracker).sort()).toEqual(['jira', 'linear']);
  });
});

describe('POST /webhooks/jira: replays', () => {
  const MINUTE = 60_000;
  const created = (timestamp: number, deliveryId?: string): Delivery =>
    jiraDelivery({ ...jiraIssueCreatedPayload(jiraIssue()), timestamp }, deliveryId ? { deliveryId } : {});

  it('answers 401 for a signed body more than an hour old or 5 minutes ahead, however often it is sent, and takes one 50 minutes old', async () => {
    const { app, queues, inbox } = await start();
    const captured = created(Date.now() - 30 * 24 * 60 * MINUTE);
    for (let i = 0; i < 3; i++) {
      const replay = withHeaders(captured, { 'x-atlassian-webhook-identifier': randomUUID() });
      expectError(await post(app, 'jira', replay), 401, 'CASCADE_WEBHOOK_STALE');
    }
    expectError(await post(app, 'jira', created(Date.now() - 61 * MINUTE)), 401, 'CASCADE_WEBHOOK_STALE');
    const ahead = await post(app, 'jira', created(Date.now() + 10 * MINUTE));
    expectError(ahead, 401, 'CASCADE_WEBHOOK_STALE');
    expect(ahead.json<{ message: string }>().message).toContain('ahead');
    expect(await queuedEvents(queues, inbox)).toEqual([]);
    expect((await post(app, 'jira', created(Date.now() - 50 * MINUTE))).json()).toEqual({ status: 'queued' });
    expect((await post(app, 'jira', created(Date.now() + 4 * MINUTE))).json()).toEqual({ status: 'queued' });
  });

  it('answers 400 for a signed body without a numeric timestamp', async () => {
    const { app, queues, inbox } = await start();
    const { timestamp: _ts, ...payload } = jiraIssueCreatedPayload(jiraIssue());
    expectError(await post(app, 'jira', signedRaw('jira', JSON.stringify(payload))), 400, 'CASCADE_WEBHOOK_MALFORMED');
    expectError(await post(app, 'jira', signedRaw('jira', JSON.stringify({ ...payload, timestamp: String(Date.now()) }))), 400, 'CASCADE_WEBHOOK_MALFORMED');
    expect(await queuedEvents(queues, inbox)).toEqual([]);
  });

  it('takes the same signed bytes once in 24 hours, whatever their identifier; a retry with the identifier stays a duplicate', async () => {
    const { app, queues, inbox } = await start();
    // Three different bodies: their timestamps are seconds apart, never the same millisecond.
    const now = Date.now();
    const first = created(now - 2000);
    expect((await post(app, 'jira', first)).json()).toEqual({ status: 'queued' });
    for (let i = 0; i < 3; i++) {
      const replay = withHeaders(first, { 'x-atlassian-webhook-identifier': randomUUID() });
      expect((await post(app, 'jira', replay)).json()).toEqual({ status: 'duplicate' });
    }
    expect((await post(app, 'jira', withHeaders(first, { 'x-atlassian-webhook-retry': '1' }))).json()).toEqual({ status: 'duplicate' });
    // The digest is the body's, not the header's spelling of it.
    const upper = (first.headers['x-hub-signature'] ?? '').replace(/[0-9a-f]{64}/, (hex) => hex.toUpperCase());
    expect((await post(app, 'jira', withHeaders(first, { 'x-hub-signature': upper, 'x-atlassian-webhook-identifier': randomUUID() }))).json()).toEqual({ status: 'duplicate' });
    expect(await queuedEvents(queues, inbox)).toHaveLength(1);
    // Several identical bodies in one batch: one is taken.
    const twin = created(now - 1000);
    const answers = await Promise.all([0, 1, 2].map(() => post(app, 'jira', withHeaders(twin, { 'x-atlassian-webhook-identifier': randomUUID() }))));
    expect(answers.map((a) => a.json<{ status: string }>().status).sort()).toEqual(['duplicate', 'duplicate', 'queued']);
    // Another body is another event.
    expect((await post(app, 'jira', created(now))).json()).toEqual({ status: 'queued' });
    expect(await queuedEvents(queues, inbox)).toHaveLength(3);
  });
});

describe('POST /webhooks/jira: hostile but signed bodies', () => {
  it.each(hostileJiraCases().map((c) => [c.name, c] as const))('answers %s with 200 ignored or 400, and queues nothing', async (_name, hostile) => {
    const { app, queues, inbox } = await start();
    const response = await post(app, 'jira', signedRaw('jira', JSON.stringify(hostile.body)));
    if (hostile.expected === 400) expectError(response, 400, 'CASCADE_WEBHOOK_MALFORMED');
    else expect({ status: response.statusCode, body: response.json() }).toEqual({ status: 200, body: { status: 'ignored' } });
    expect(await queuedEvents(queues, inbox)).toEqual([]);
  });

  it('verifies sha256 signatures only: the same body signed with sha1 is refused', async () => {
    const { app, queues, inbox } = await start();
    const { delivery } = ticketDelivery('jira');
    const sha1 = `sha1=${createHmac('sha1', JIRA_SECRET).update(delivery.body).digest('hex')}`;
    expectError(await post(app, 'jira', withHeaders(delivery, { 'x-hub-signature': sha1 })), 401, 'CASCADE_WEBHOOK_SIGNATURE_INVALID');
    const constructorBody = JSON.stringify({ timestamp: Date.now(), webhookEvent: 'constructor', issue: { id: '1', key: 'A-1' } });
    const signedSha1 = withHeaders(signedRaw('jira', constructorBody), { 'x-hub-signature': `sha1=${createHmac('sha1', JIRA_SECRET).update(constructorBody).digest('hex')}` });
    expectError(await post(app, 'jira', signedSha1), 401, 'CASCADE_WEBHOOK_SIGNATURE_INVALID');
    expect(await queuedEvents(queues, inbox)).toEqual([]);
    expect((await post(app, 'jira', delivery)).json()).toEqual({ status: 'queued' });
  });

  it(`never answers 5xx and queues only well-formed events, over 1,000 generated bodies (seed ${HOSTILE_SEED})`, async () => {
    const { app, queues, inbox } = await start();
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(hostileJiraBody, async (body) => {
        const response = await post(app, 'jira', signedRaw('jira', body));
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        expect([200, 400], `${response.statusCode} for ${body}: ${response.body.slice(0, 200)}`).toContain(response.statusCode);
      }),
      { numRuns: 1000, seed: HOSTILE_SEED, endOnFailure: true },
    );
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    const queued = await queuedEvents(queues, inbox);
    // What was queued is what a worker can take: string ids and keys, string field names.
    for (const job of queued) expect(isEventJob(job.data), JSON.stringify(job.data)).toBe(true);
  }, 60_000);
});

// ---- Hostile input ---------------------------------------------------------

/** What a sender may see with Redis up: accepted, or a 4xx naming its own fault. Never a 5xx. */
const ALLOWED = new Set([200, 400, 401, 404, 405, 413, 415]);
const HOSTILE_RUNS = 10_000;
const HOSTILE_MAX_BODY = 64 * 1024;

const asciiText = (maxLength: number) => fc.string({ unit: 'grapheme-ascii', maxLength });
const POLLUTING_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

/** JSON text with prototype-polluting keys at any level, around a plausible payload. */
const pollutionBody = fc
  .tuple(fc.constantFrom(...POLLUTING_KEYS), fc.constantFrom(...POLLUTING_KEYS), fc.jsonValue({ maxDepth: 2 }), fc.boolean())
  .map(([a, b, value, jira]) => {
    const inner = `{"${b}":{"polluted":"yes","id":"p-1","key":"P-1"},"${a}":${JSON.stringify(value)},"id":"p-1","key":"P-1"}`;
    return jira
      ? `{"${a}":{"polluted":"yes"},"webhookEvent":"jira:issue_updated","timestamp":${Date.now()},"issue":${inner.replace('"key":"P-1"}', '"key":"P-1","fields":{"__proto__":{"summary":"x"},"issuetype":{"constructor":{"prototype":{"polluted":"yes"}}}}}')},"changelog":{"items":[{"__proto__":{"field":"parent"}}]}}`
      : `{"${a}":{"polluted":"yes"},"type":"Issue","action":"update","webhookTimestamp":${Date.now()},"data":${inner},"updatedFrom":{"${b}":1,"__proto__":{"parentId":null}}}`;
  });

const HUGE_NUMBERS = ['1e400', '-1e400', '1e-400', '9'.repeat(400), '-0', '123456789012345678901234567890', '0.1e999999', String(Number.MAX_SAFE_INTEGER + 2)];
/** Jira: in the timestamp half the time; the other half a current one, so the numbers reach the normaliser. */
const hugeNumberBody = fc.tuple(fc.constantFrom(...HUGE_NUMBERS), fc.constantFrom(...HUGE_NUMBERS), fc.boolean(), fc.boolean()).map(([n, m, jira, inTimestamp]) =>
  jira
    ? `{"webhookEvent":"jira:issue_created","timestamp":${inTimestamp ? n : Date.now()},"issue":{"id":${m},"key":"ENT-${n}","fields":{"issuetype":{"hierarchyLevel":${n}},"subtasks":${m}}}}`
    : `{"type":"Issue","action":"create","webhookTimestamp":${n},"data":{"id":${m},"estimate":${n},"state":{"type":${m}}}}`,
);

const nestedBody = fc.tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('[', '{"a":', '{"data":', '{"issue":'), fc.boolean()).map(([depth, open, closed]) => {
  const close = open === '[' ? ']' : '}';
  return open.repeat(depth) + '1' + (closed ? close.repeat(depth) : '');
});

/** Near-valid envelopes: the right shape with hostile values, so the normalisers see them behind a valid signature. */
const linearEnvelopeBody = fc
  .record({
    type: fc.oneof(fc.constantFrom('Issue', 'Project', 'Initiative', 'Comment', 'Reaction', 'IssueLabel', ''), asciiText(12)),
    action: fc.oneof(fc.constantFrom('create', 'update', 'remove', 'restore'), asciiText(8), fc.constant(null)),
    id: fc.oneof(fc.uuid(), asciiText(300), fc.integer(), fc.constant(null), fc.jsonValue({ maxDepth: 2 })),
    age: fc.constantFrom(0, 0, 0, 59_000, 61_000, -61_000),
    updatedFrom: fc.option(fc.dictionary(fc.oneof(fc.constantFrom('parentId', 'labelIds', 'title', 'projectId', ...POLLUTING_KEYS), asciiText(10)), fc.jsonValue({ maxDepth: 1 })), { nil: undefined }),
    data: fc.dictionary(fc.constantFrom('identifier', 'title', 'estimate', 'state', 'team', 'url', ...POLLUTING_KEYS), fc.jsonValue({ maxDepth: 2 })),
  })
  .map(({ type, action, id, age, updatedFrom, data }) =>
    JSON.stringify({ type, action, webhookTimestamp: Date.now() - age, data: { ...data, id }, ...(updatedFrom ? { updatedFrom } : {}), actor: { id: 'u' } }),
  );

const jiraPayloadBody = fc
  .record({
    webhookEvent: fc.oneof(fc.constantFrom('jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted', 'comment_created', 'worklog_updated'), asciiText(20)),
    typeName: fc.option(fc.constantFrom('issue_generic', 'issue_commented', 'issue_updated'), { nil: undefined }),
    id: fc.oneof(fc.integer(), fc.uuid(), asciiText(40), fc.constant(null), fc.jsonValue({ maxDepth: 1 })),
    key: fc.oneof(fc.constantFrom('ENT-1', 'ENT-99999'), asciiText(40), fc.constant(null), fc.integer()),
    fields: fc.jsonValue({ maxDepth: 3 }),
    items: fc.oneof(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }), fc.jsonValue({ maxDepth: 1 })),
  })
  .map(({ webhookEvent, typeName, id, key, fields, items }) =>
    JSON.stringify({ webhookEvent, issue_event_type_name: typeName, timestamp: Date.now(), issue: { id, key, fields }, changelog: { items }, user: { accountId: 'x' } }),
  );

type BodyKind = 'bytes' | 'json' | 'truncated' | 'huge' | 'nested' | 'pollution' | 'envelope' | 'oversize' | 'empty' | 'jira-hostile';
const bodyArb: fc.Arbitrary<{ kind: BodyKind; body: string | Buffer }> = fc.oneof(
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 2048 }).map((b) => ({ kind: 'bytes' as const, body: Buffer.from(b) })) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => ({ kind: 'json' as const, body: JSON.stringify(v) ?? 'null' })) },
  { weight: 2, arbitrary: fc.tuple(fc.oneof(linearEnvelopeBody, jiraPayloadBody), fc.nat()).map(([b, n]) => ({ kind: 'truncated' as const, body: b.slice(0, n % b.length) })) },
  { weight: 1, arbitrary: hugeNumberBody.map((body) => ({ kind: 'huge' as const, body })) },
  { weight: 1, arbitrary: nestedBody.map((body) => ({ kind: 'nested' as const, body })) },
  { weight: 2, arbitrary: pollutionBody.map((body) => ({ kind: 'pollution' as const, body })) },
  { weight: 4, arbitrary: fc.oneof(linearEnvelopeBody, jiraPayloadBody).map((body) => ({ kind: 'envelope' as const, body })) },
  { weight: 1, arbitrary: fc.integer({ min: HOSTILE_MAX_BODY + 1, max: HOSTILE_MAX_BODY * 2 }).map((n) => ({ kind: 'oversize' as const, body: `{"p":"${'x'.repeat(n)}"}` })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'empty' as const, body: '' }) },
  { weight: 2, arbitrary: hostileJiraBody.map((body) => ({ kind: 'jira-hostile' as const, body })) },
);

type SignatureMode = 'valid' | 'none' | 'stranger' | 'garbage' | 'upper' | 'prefixes';
const hostileRequest = fc.record({
  route: fc.constantFrom<Route>('linear', 'jira'),
  method: fc.oneof({ weight: 12, arbitrary: fc.constant('POST' as const) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD') }),
  path: fc.oneof({ weight: 12, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom('/', '?x=1', '/../admin', '%00', '?__proto__[a]=1', '#frag') }),
  body: bodyArb,
  signature: fc.oneof(
    { weight: 6, arbitrary: fc.constant<SignatureMode>('valid') },
    { weight: 1, arbitrary: fc.constantFrom<SignatureMode>('none', 'stranger', 'garbage', 'upper', 'prefixes') },
  ),
  garbage: asciiText(80),
  contentType: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8') },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.constantFrom('APPLICATION/JSON', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', 'application/json;;;', '*/*', ''),
        asciiText(40),
      ),
    },
  ),
  deliveryId: fc.oneof({ weight: 6, arbitrary: fc.uuid() }, { weight: 1, arbitrary: fc.oneof(asciiText(250), fc.constant(undefined), fc.constantFrom('__proto__', 'constructor')) }),
  extra: fc.dictionary(
    fc.constantFrom('linear-event', 'user-agent', 'x-atlassian-webhook-retry', 'x-atlassian-webhook-flow', 'content-encoding', 'transfer-encoding', 'x-forwarded-for', 'accept', 'x-hub-signature-256', 'expect'),
    asciiText(60),
    { maxKeys: 3 },
  ),
});
type HostileRequest = typeof hostileRequest extends fc.Arbitrary<infer T> ? T : never;

function hostileHeaders(request: HostileRequest): Record<string, string> {
  const { route, body } = request;
  const signed = signedRaw(route, body.body, request.signature === 'stranger' ? { secret: STRANGER_SECRET } : {});
  const header = SIGNATURE_HEADER[route];
  const valid = signed.headers[header] ?? '';
  const signatures: Record<SignatureMode, string | undefined> = {
    valid,
    stranger: valid,
    none: undefined,
    garbage: request.garbage,
    upper: valid.toUpperCase(),
    prefixes: route === 'jira' ? valid.replace('sha256=', request.garbage.length % 2 ? 'sha1=' : 'SHA256 =') : `sha256=${valid}`,
  };
  const headers: Record<string, string> = { ...request.extra };
  const signature = signatures[request.signature];
  if (signature !== undefined) headers[header] = signature;
  if (request.contentType !== '') headers['content-type'] = request.contentType;
  if (request.deliveryId !== undefined) headers[DELIVERY_HEADER[route]] = request.deliveryId;
  return headers;
}

describe('hostile input', () => {
  it(`answers ${HOSTILE_RUNS.toLocaleString('en')} malformed or hostile requests with nothing but 2xx or the sender's own 4xx, and keeps working (seed ${HOSTILE_SEED})`, async () => {
    const { app, queues, inbox } = await start({ maxBodyBytes: HOSTILE_MAX_BODY });
    const statuses = new Map<number, number>();
    const perRoute = { linear: 0, jira: 0 };
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(hostileRequest, async (request) => {
        const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
        const response = await app.inject({
          method: request.method,
          url: `/webhooks/${request.route}${request.path}`,
          headers: hostileHeaders(request),
          ...(hasBody ? { payload: request.body.body } : {}),
        });
        perRoute[request.route] += 1;
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        // Redis is up, so a 503 would be an internal failure in disguise (app.ts answers any 5xx on
        // /webhooks/ as 503, so "no 500" would hold by construction): the sender sees 2xx or its own 4xx.
        expect(ALLOWED, `status ${response.statusCode}: ${response.body.slice(0, 300)}`).toContain(response.statusCode);
        if (request.method === 'HEAD') return;
        const answer = response.json<{ status?: unknown; error?: unknown }>();
        if (response.statusCode === 200) {
          expect(['queued', 'duplicate', 'ignored']).toContain(answer.status);
          outcomes.set(String(answer.status), (outcomes.get(String(answer.status)) ?? 0) + 1);
        } else {
          expect(answer.error, `no error code in ${response.body.slice(0, 300)}`).toEqual(expect.any(String));
        }
      }),
      { numRuns: HOSTILE_RUNS, seed: HOSTILE_SEED, endOnFailure: true },
    );
    expect(perRoute.linear + perRoute.jira).toBe(HOSTILE_RUNS);
    expect(Math.min(perRoute.linear, perRoute.jira)).toBeGreaterThan(HOSTILE_RUNS / 4);
    // The generator reached every layer: verification, parsing, shapes, size, and the queue.
    for (const status of [200, 400, 401, 404, 413]) expect(statuses.get(status) ?? 0, `no ${status} among ${JSON.stringify([...statuses])}`).toBeGreaterThan(0);
    expect(outcomes.get('queued') ?? 0).toBeGreaterThan(0);
    expect(outcomes.get('ignored') ?? 0).toBeGreaterThan(0);
    // Nothing reached Object.prototype.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);

    // Still serving: a good delivery on each route is queued, health is fine.
    const before = (await queuedEvents(queues, inbox)).length;
    for (const route of ['linear', 'jira'] as const) expect((await post(app, route, ticketDelivery(route).delivery)).json()).toEqual({ status: 'queued' });
    expect(await queuedEvents(queues, inbox)).toHaveLength(before + 2);
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  }, 180_000);
});

// ---- Redis outage ----------------------------------------------------------

describe('a Redis outage', () => {
  let server: RedisServer | undefined;
  let replacement: RedisServer | undefined;
  beforeAll(async () => {
    server = await startRedisServer({ dataDir: undefined });
  });
  afterAll(async () => {
    await Promise.allSettled([...running.splice(0).map((r) => r.close())]);
    await Promise.allSettled([server?.stop(), replacement?.stop()]);
  });

  it('gives 503 at once while Redis is away, then 200 queued again without a restart', async () => {
    if (!server) throw new Error('no redis-server');
    const receiver = await start({ url: server.url });
    const { app } = receiver;
    const first = ticketDelivery('linear').delivery;
    expect((await post(app, 'linear', first)).json()).toEqual({ status: 'queued' });
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);

    await server.stop();

    const refused: Delivery[] = [];
    for (const route of ['linear', 'jira'] as const) {
      const { delivery } = ticketDelivery(route);
      refused.push(delivery);
      const startedAt = performance.now();
      const response = await post(app, route, delivery);
      const elapsed = performance.now() - startedAt;
      expectError(response, 503, 'CASCADE_QUEUE_UNAVAILABLE');
      expect(elapsed).toBeLessThan(2_000);
    }
    // A duplicate cannot be told from a new delivery without Redis: still 503, never a wrong 200.
    expectError(await post(app, 'linear', first), 503, 'CASCADE_QUEUE_UNAVAILABLE');
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'unavailable' });
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    // Errors a sender cannot fix are still told apart from the outage.
    expectError(await post(app, 'linear', signedLinearRaw('{', {})), 400, 'CASCADE_WEBHOOK_MALFORMED');

    replacement = await startRedisServer({ dataDir: undefined, port: server.port });
    const seen: number[] = [];
    const deadline = Date.now() + 10_000;
    let accepted: { deliveryId: string | undefined; status: unknown } | undefined;
    while (!accepted && Date.now() < deadline) {
      const { delivery } = ticketDelivery('jira');
      const response = await post(app, 'jira', delivery);
      seen.push(response.statusCode);
      if (response.statusCode === 200) accepted = { deliveryId: delivery.headers['x-atlassian-webhook-identifier'], status: response.json<{ status: unknown }>().status };
      else await new Promise((resolve) => setTimeout(resolve, RETRY_POLL_MS));
    }
    expect(seen.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    expect(accepted, `no 200 within 10 s of Redis coming back; answers: ${seen.join(',')}`).toBeDefined();
    expect(accepted?.status).toBe('queued');
    // The new Redis is empty: the accepted delivery is the one job there.
    const jobs = await queuedEvents(receiver.queues, receiver.inbox);
    expect(jobs.map((j) => j.data.deliveryId)).toEqual([accepted?.deliveryId]);
    // A delivery refused during the outage is taken when the tracker retries it (Linear's body is re-signed with a fresh timestamp then).
    expect((await post(app, 'jira', refused[1] ?? first)).json()).toEqual({ status: 'queued' });
    expect(await queuedEvents(receiver.queues, receiver.inbox)).toHaveLength(2);
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  }, 30_000);
});

// The hostile-input test trusts the raw signers to sign like the sandboxes: check that they do.
describe('webhook fixtures', () => {
  it('sign raw bytes exactly as the sandboxes sign their deliveries', () => {
    const envelope = linearIssueEnvelope(linearIssue());
    const linear = linearDelivery(envelope);
    expect(linear.headers['linear-signature']).toMatch(/^[0-9a-f]{64}$/);
    expect(signedLinearRaw(JSON.stringify(envelope)).headers['linear-signature']).toBe(linear.headers['linear-signature']);
    const payload = { webhookEvent: 'jira:issue_created', issue: { id: '1', key: 'ENT-1' } };
    const jira = jiraDelivery(payload);
    expect(jira.headers['x-hub-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(signedJiraRaw(JSON.stringify(payload)).headers['x-hub-signature']).toBe(jira.headers['x-hub-signature']);
    expect(signedJiraRaw(JSON.stringify(payload), { secret: STRANGER_SECRET }).headers['x-hub-signature']).not.toBe(jira.headers['x-hub-signature']);
    expect(JIRA_SECRET).not.toBe(STRANGER_SECRET);
  });
});
