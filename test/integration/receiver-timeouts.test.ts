// What the receiver does with senders and a Redis that stall: a body that
// never finishes does not hold its socket, an unsigned delivery is refused
// before its body is read, and a Redis paused by SIGSTOP gives 503 within 2 s.
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { startRedisServer, type RedisServer } from '../../cli/redis-server.js';
import { startCascade, type RunningCascade } from '../../cli/start-cascade.js';
import { readEnvironment } from '../../src/config/environment.js';
import { exampleConfig } from '../support/example-config.js';
import { LINEAR_SECRET, linearDelivery, linearIssue, linearIssueEnvelope, startWebhookApp, type WebhookApp } from '../support/webhook-fixtures.js';
import { inject } from 'vitest';

const sockets: Socket[] = [];
const apps: WebhookApp[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.allSettled(apps.splice(0).map((a) => a.close()));
});

async function listening(options: Parameters<typeof startWebhookApp>[0]): Promise<number> {
  const receiver = await startWebhookApp(options);
  apps.push(receiver);
  await receiver.app.listen({ port: 0, host: '127.0.0.1' });
  return (receiver.app.server.address() as AddressInfo).port;
}

/** A raw socket, so the test controls exactly which bytes are sent and when. */
async function rawSocket(port: number): Promise<{ socket: Socket; received: () => string; closed: Promise<number> }> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  await once(socket, 'connect');
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now())));
  return { socket, received: () => received, closed };
}

describe('slow senders', () => {
  it('closes a socket whose body does not arrive within the request timeout', async () => {
    const port = await listening({ redisUrl: inject('redisUrl'), prefix: `{timeouts-${process.pid}-a}`, timeouts: { requestMs: 500, checkEveryMs: 100 } });
    const { socket, received, closed } = await rawSocket(port);
    const delivery = linearDelivery(linearIssueEnvelope(linearIssue()));
    const headers = Object.entries(delivery.headers).map(([k, v]) => `${k}: ${v}`).join('\r\n');
    // The headers and half of the body, then nothing.
    socket.write(`POST /webhooks/linear HTTP/1.1\r\nHost: x\r\n${headers}\r\ncontent-length: ${Buffer.byteLength(delivery.body)}\r\n\r\n${delivery.body.slice(0, 20)}`);
    const sentAt = performance.now();
    const closedAt = await closed;
    expect(closedAt - sentAt).toBeLessThan(3000);
    expect(received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('refuses a delivery without a signature before its body is sent', async () => {
    const port = await listening({ redisUrl: inject('redisUrl'), prefix: `{timeouts-${process.pid}-b}` });
    const { socket, received } = await rawSocket(port);
    // A large body is announced and never sent: the answer must not wait for it.
    socket.write(`POST /webhooks/linear HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\nlinear-delivery: d-1\r\ncontent-length: 500000\r\n\r\n`);
    const deadline = Date.now() + 5000;
    while (!received().includes('\r\n\r\n') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(received()).toMatch(/^HTTP\/1\.1 401 /);
    expect(received()).toContain('CASCADE_WEBHOOK_SIGNATURE_MISSING');
  });
});

describe('a stalled Redis', () => {
  let server: RedisServer | undefined;
  let cascade: RunningCascade | undefined;
  beforeAll(async () => {
    server = await startRedisServer({ dataDir: undefined });
    cascade = await startCascade({
      role: 'serve',
      env: readEnvironment({ LINEAR_WEBHOOK_SECRET: LINEAR_SECRET }),
      redisUrl: server.url,
      logger: pino({ level: 'silent' }),
      trackers: {},
      seedConfig: exampleConfig(),
      prefix: '{stalled-redis}',
    });
  });
  afterAll(async () => {
    if (server) process.kill(server.pid, 'SIGCONT');
    await cascade?.close();
    await server?.stop();
  });

  it('gives webhook answers of 503 within 2 s while Redis is paused, and 200 once it resumes', async () => {
    const app = cascade!.app!;
    const post = (delivery: ReturnType<typeof linearDelivery>) => app.inject({ method: 'POST', url: '/webhooks/linear', headers: delivery.headers, payload: delivery.body });
    expect((await post(linearDelivery(linearIssueEnvelope(linearIssue())))).json()).toEqual({ status: 'queued' });

    process.kill(server!.pid, 'SIGSTOP');
    try {
      const startedAt = performance.now();
      const answers = await Promise.all([1, 2, 3].map(() => post(linearDelivery(linearIssueEnvelope(linearIssue())))));
      const elapsed = performance.now() - startedAt;
      expect(answers.map((a) => a.statusCode)).toEqual([503, 503, 503]);
      expect(elapsed).toBeLessThan(2000);
    } finally {
      process.kill(server!.pid, 'SIGCONT');
    }
    const again = linearDelivery(linearIssueEnvelope(linearIssue()));
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (status !== 200 && Date.now() < deadline) status = (await post(again)).statusCode;
    expect(status).toBe(200);
  });
});
