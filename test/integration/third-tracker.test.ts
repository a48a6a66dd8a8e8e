// A third tracker is its folder and one line in the registry: here a throwaway
// descriptor, registered before Cascade starts, gets its own signed webhook
// route, its own check queue and worker, and its event reaches a check that
// reads the ticket through its adapter, with no other product file touched.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { pino } from 'pino';
import { readEnvironment } from '../../src/config/environment.js';
import { registerTracker } from '../../src/trackers/registry.js';
import { splitSecrets, type TrackerDescriptor } from '../../src/trackers/descriptor.js';
import { defaultInstallations } from '../../src/trackers/installations.js';
import type { Tracker, TicketState } from '../../src/trackers/tracker.js';
import { BadSignatureError, MalformedPayloadError, MissingSignatureError } from '../../src/trackers/webhook-errors.js';
import { startCascade, type RunningCascade } from '../../cli/start-cascade.js';
import { testPrefix } from '../support/test-prefix.js';
import { exampleConfig } from '../support/example-config.js';

const SECRET = randomUUID();
const sign = (body: string): string => createHmac('sha256', SECRET).update(body).digest('hex');

/** The tickets the throwaway tracker was asked to read, and a way to wait for one. */
const reads: string[] = [];
let readSeen: ((id: string) => void) | undefined;

const acmeTracker = {
  id: 'acme',
  identity: async () => ({ id: 'cascade-bot', name: 'Cascade' }),
  invalidate: () => undefined,
  fetchTicket: async (id: string): Promise<TicketState | null> => {
    reads.push(id);
    readSeen?.(id);
    // Gone: the check forgets it and writes nothing.
    return null;
  },
} as unknown as Tracker;

const acme: TrackerDescriptor<'acme', string> = {
  id: 'acme',
  environment: {
    read: (vars) => {
      const token = vars.get('ACME_TOKEN');
      return { ...(token ? { credentials: token } : {}), webhookSecret: vars.get('ACME_WEBHOOK_SECRET') };
    },
    variables: (env) => ({ ACME_TOKEN: env.credentials, ACME_WEBHOOK_SECRET: env.webhookSecret }),
  },
  webhook: {
    path: '/webhooks/acme',
    deliveryHeader: 'acme-delivery',
    signatureHeader: 'Acme-Signature',
    secretVariable: 'ACME_WEBHOOK_SECRET',
    secrets: (env) => splitSecrets(env.webhookSecret),
    reader: (secrets) => (body, signature) => {
      if (!signature) throw new MissingSignatureError('Acme-Signature');
      const given = Buffer.from(signature, 'hex');
      const ok = secrets.some((s) => {
        const expected = createHmac('sha256', s).update(body).digest();
        return expected.length === given.length && timingSafeEqual(expected, given);
      });
      if (!ok) throw new BadSignatureError('ACME_WEBHOOK_SECRET');
      try {
        return JSON.parse(body.toString('utf8')) as unknown;
      } catch {
        throw new MalformedPayloadError('the body is not JSON');
      }
    },
    normalise: (payload) => {
      const ticket = (payload as { ticket?: { id?: unknown } }).ticket;
      if (typeof ticket?.id !== 'string') return { malformed: 'ticket.id is required' };
      return { event: { kind: 'ticket', tracker: 'acme' as never, action: 'update', ticketId: ticket.id, changed: ['parent'], relevant: true, fanout: false, fields: {} } };
    },
  },
  checkQueue: 'checks-acme',
  words: {
    parentTarget: (key, name) => `the card ${key} "${name}"`,
    moveUnder: (target) => `put it under ${target}`,
    movedUnder: (target) => `put under ${target}`,
    linkContainer: 'board',
    issueLink: 'card',
    editors: (key) => `people who may edit ${key}`,
    issueTypes: false,
    breakPoint: () => 'it is on no board under an objective.',
    fixHint: () => 'put it on a board under one of the objectives.',
    matchEntry: (key, value) => `acme ${key} ${value}`,
  },
  credentialVariables: 'ACME_TOKEN',
  create: () => acmeTracker,
};

let cascade: RunningCascade | undefined;

beforeAll(() => registerTracker(acme as TrackerDescriptor));

afterEach(async () => {
  await cascade?.close();
  cascade = undefined;
});

async function start(): Promise<RunningCascade> {
  // Its credentials and webhook secret are read from the environment by its own descriptor.
  const env = readEnvironment({ CASCADE_QUIET_MS: '50', ADMIN_TOKEN: `test:${randomUUID()}`, ACME_TOKEN: 'acme-token', ACME_WEBHOOK_SECRET: SECRET });
  const logger = pino({ level: 'silent' });
  cascade = await startCascade({
    role: 'all',
    env,
    redisUrl: inject('redisUrl'),
    logger,
    trackers: defaultInstallations(env, logger),
    seedConfig: exampleConfig(),
    prefix: testPrefix('third-tracker'),
  });
  return cascade;
}

describe('a third tracker, registered by its descriptor alone', () => {
  it('receives a signed webhook on its own route and its event reaches a check through its adapter', async () => {
    const { app } = await start();
    const body = JSON.stringify({ ticket: { id: 'ACME-7' } });
    const read = new Promise<string>((resolve) => (readSeen = resolve));
    const answer = await app!.inject({
      method: 'POST',
      url: '/webhooks/acme',
      headers: { 'content-type': 'application/json', 'acme-signature': sign(body), 'acme-delivery': randomUUID() },
      payload: body,
    });
    expect(answer.json()).toEqual({ status: 'queued' });
    await expect(read).resolves.toBe('ACME-7');
  });

  it('refuses a delivery its own signature check does not accept', async () => {
    const { app } = await start();
    const body = JSON.stringify({ ticket: { id: 'ACME-8' } });
    const answer = await app!.inject({
      method: 'POST',
      url: '/webhooks/acme',
      headers: { 'content-type': 'application/json', 'acme-signature': sign(`${body} `), 'acme-delivery': randomUUID() },
      payload: body,
    });
    expect(answer.statusCode).toBe(401);
    expect(reads).not.toContain('ACME-8');
  });
});
