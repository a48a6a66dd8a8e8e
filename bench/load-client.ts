// A closed-loop HTTP/1.1 load generator for the ingest bench, run in a
// worker thread so that the client never shares the server's event loop.
// It speaks HTTP over raw keep-alive sockets (node:net) instead of
// node:http's client: on this 2-core machine node:http's client parser costs
// more CPU per request than Fastify's server side, and would cap the bare
// route's figure at the client's speed rather than the server's.
import { parentPort, workerData } from 'node:worker_threads';
import { connect, type Socket } from 'node:net';
import { createHmac, randomUUID } from 'node:crypto';
import { quantile } from './figures.js';

export interface LoadSpec {
  port: number;
  path: string;
  /** Open connections, each with one request in flight. */
  connections: number;
  warmupMs: number;
  durationMs: number;
  /**
   * A Linear webhook envelope (JSON); each body gets its own data.id (one of
   * `tickets`, else a fresh one) and webhookTimestamp, signed with `secret`.
   */
  template: string;
  /** Ticket ids the deliveries are about, one body each. */
  tickets?: string[];
  secret: string;
  /** A response counts as expected when it is a 200 whose body contains this. */
  expect: string;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Answers other than 200. */
  non200: number;
  /** 200s whose body lacks `expect` (a duplicate, ignored…). */
  unexpected: number;
  /** Connection errors. */
  errors: number;
  /** Expected answers during warm-up and measurement together (each is an accepted delivery). */
  acceptedTotal: number;
  statuses: Record<string, number>;
  /** Share of the measured time the client's own event loop was busy (near 1: the client is the limit). */
  clientBusy: number;
}

const BODIES = 1000;
const HEADER_END = Buffer.from('\r\n\r\n');

function signedBodies(spec: LoadSpec): Array<{ body: Buffer; signature: string }> {
  const envelope = JSON.parse(spec.template) as { data: { id: string }; webhookTimestamp: number };
  return Array.from({ length: spec.tickets?.length ?? BODIES }, (_, i) => {
    envelope.data.id = spec.tickets?.[i] ?? randomUUID();
    envelope.webhookTimestamp = Date.now();
    const body = Buffer.from(JSON.stringify(envelope));
    return { body, signature: createHmac('sha256', spec.secret).update(body).digest('hex') };
  });
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const bodies = signedBodies(spec);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let recording = false;
  let stopAt = Number.POSITIVE_INFINITY;
  let non200 = 0;
  let unexpected = 0;
  let errors = 0;
  let acceptedTotal = 0;
  let sent = 0;
  const expect = Buffer.from(spec.expect);

  const request = (): Buffer => {
    const { body, signature } = bodies[sent++ % bodies.length]!;
    const head =
      `POST ${spec.path} HTTP/1.1\r\nHost: 127.0.0.1:${spec.port}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `linear-delivery: ${randomUUID()}\r\nlinear-event: Issue\r\nlinear-signature: ${signature}\r\nUser-Agent: Linear-Webhook\r\n` +
      `Content-Length: ${body.length}\r\n\r\n`;
    return Buffer.concat([Buffer.from(head, 'latin1'), body]);
  };

  const connection = (): Promise<void> =>
    new Promise((resolve) => {
      const socket: Socket = connect({ port: spec.port, host: '127.0.0.1', noDelay: true });
      let buffer: Buffer = Buffer.alloc(0);
      let started = 0;
      const send = (): void => {
        if (performance.now() >= stopAt) {
          socket.end();
          return;
        }
        started = performance.now();
        socket.write(request());
      };
      socket.on('connect', send);
      socket.on('data', (chunk: Buffer) => {
        buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
        for (;;) {
          const headerEnd = buffer.indexOf(HEADER_END);
          if (headerEnd < 0) return;
          const head = buffer.subarray(0, headerEnd).toString('latin1');
          const match = /\r\ncontent-length:\s*(\d+)/i.exec(head);
          const length = match ? Number(match[1]) : 0;
          const end = headerEnd + 4 + length;
          if (buffer.length < end) return;
          const status = head.slice(9, 12);
          const body = buffer.subarray(headerEnd + 4, end);
          buffer = buffer.subarray(end);
          const ok = status === '200' && body.includes(expect);
          if (ok) acceptedTotal++;
          if (recording) {
            latencies.push(performance.now() - started);
            statuses[status] = (statuses[status] ?? 0) + 1;
            if (status !== '200') non200++;
            else if (!ok) unexpected++;
          }
          send();
        }
      });
      socket.on('error', () => {
        errors++;
      });
      socket.on('close', () => resolve());
    });

  const begin = performance.now();
  const warmupEnds = begin + spec.warmupMs;
  stopAt = warmupEnds + spec.durationMs;
  const timer = setTimeout(() => {
    recording = true;
  }, spec.warmupMs);
  const measureStart = warmupEnds;
  let elu = performance.eventLoopUtilization();
  const eluTimer = setTimeout(() => (elu = performance.eventLoopUtilization()), spec.warmupMs);
  await Promise.all(Array.from({ length: spec.connections }, connection));
  clearTimeout(timer);
  clearTimeout(eluTimer);
  const clientBusy = performance.eventLoopUtilization(elu).utilization;
  const seconds = (Math.max(performance.now(), stopAt) - measureStart) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
    maxMs: quantile(sorted, 1),
    non200,
    unexpected,
    errors,
    acceptedTotal,
    statuses,
    clientBusy,
  };
}

if (parentPort && workerData && (workerData as { loadSpec?: LoadSpec }).loadSpec) {
  const port = parentPort;
  runLoad((workerData as { loadSpec: LoadSpec }).loadSpec).then(
    (result) => port.postMessage({ result }),
    (err: unknown) => port.postMessage({ error: err instanceof Error ? err.message : String(err) }),
  );
}
