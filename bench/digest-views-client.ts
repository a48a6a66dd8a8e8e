// The two clients of the digest-views bench, each in its own worker thread so
// neither shares an event loop with the receiver or with the other:
// - `webhooks`: signed Linear deliveries sent open loop at a fixed rate (a new
//   one every 1/rate s whatever the answers), each timed from send to answer;
// - `viewers`: N readers reloading GET /digest.json (or `path`) as fast as it
//   answers, or `pauseMs` after each answer (after a 202 "being computed", once
//   the Retry-After has passed).
import { parentPort, workerData } from 'node:worker_threads';
import { Agent, request } from 'node:http';
import { createHmac, randomUUID } from 'node:crypto';
import { quantile } from './figures.js';

export type ClientSpec =
  | { mode: 'webhooks'; port: number; durationMs: number; ratePerSecond: number; template: string; secret: string }
  | { mode: 'viewers'; port: number; durationMs: number; viewers: number; token: string; path?: string; pauseMs?: number };

export interface ClientResult {
  requests: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Answers by status code. */
  statuses: Record<string, number>;
  /** Only for viewers: latency of the 200 answers, and ms from the start to the first 200. */
  ok?: { count: number; p50Ms: number; p99Ms: number; firstAfterMs: number | null; bytes: number };
  errors: number;
}

interface Answer {
  status: number;
  ms: number;
  bytes: number;
  retryAfterMs: number;
}

function send(agent: Agent, port: number, method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, bytes, retryAfterMs: Number(res.headers['retry-after'] ?? 0) * 1000 }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function summarise(answers: Answer[], errors: number): ClientResult {
  const sorted = Float64Array.from(answers.map((a) => a.ms)).sort();
  const statuses: Record<string, number> = {};
  for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
  return { requests: answers.length, p50Ms: quantile(sorted, 0.5), p99Ms: quantile(sorted, 0.99), maxMs: quantile(sorted, 1), statuses, errors };
}

async function webhooks(spec: Extract<ClientSpec, { mode: 'webhooks' }>): Promise<ClientResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const envelope = JSON.parse(spec.template) as { data: { id: string }; webhookTimestamp: number };
  const answers: Answer[] = [];
  const pending: Array<Promise<void>> = [];
  let errors = 0;
  const interval = 1000 / spec.ratePerSecond;
  const begin = performance.now();
  for (let i = 0; performance.now() - begin < spec.durationMs; i++) {
    const due = begin + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    envelope.data.id = randomUUID();
    envelope.webhookTimestamp = Date.now();
    const body = Buffer.from(JSON.stringify(envelope));
    const headers = {
      'content-type': 'application/json; charset=utf-8',
      'linear-delivery': randomUUID(),
      'linear-event': 'Issue',
      'linear-signature': createHmac('sha256', spec.secret).update(body).digest('hex'),
      'content-length': String(body.length),
    };
    pending.push(
      send(agent, spec.port, 'POST', '/webhooks/linear', headers, body).then(
        (a) => void answers.push(a),
        () => void errors++,
      ),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  return summarise(answers, errors);
}

async function viewers(spec: Extract<ClientSpec, { mode: 'viewers' }>): Promise<ClientResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: spec.viewers });
  const answers: Answer[] = [];
  let errors = 0;
  let firstOk: number | null = null;
  const begin = performance.now();
  const viewer = async (): Promise<void> => {
    while (performance.now() - begin < spec.durationMs) {
      try {
        const a = await send(agent, spec.port, 'GET', spec.path ?? '/digest.json', { authorization: `Bearer ${spec.token}` });
        answers.push(a);
        if (a.status === 200 && firstOk === null) firstOk = performance.now() - begin;
        // "Being computed": wait as asked (Retry-After, 5 s), as the self-reloading page does; a 200 is reloaded at once.
        if (a.status === 202) await new Promise((r) => setTimeout(r, Math.min(a.retryAfterMs, Math.max(0, spec.durationMs - (performance.now() - begin)))));
        else if (spec.pauseMs) await new Promise((r) => setTimeout(r, spec.pauseMs));
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: spec.viewers }, viewer));
  agent.destroy();
  const ok = answers.filter((a) => a.status === 200);
  const okSorted = Float64Array.from(ok.map((a) => a.ms)).sort();
  return {
    ...summarise(answers, errors),
    ok: { count: ok.length, p50Ms: quantile(okSorted, 0.5), p99Ms: quantile(okSorted, 0.99), firstAfterMs: firstOk, bytes: ok[0]?.bytes ?? 0 },
  };
}

if (parentPort && workerData && (workerData as { clientSpec?: ClientSpec }).clientSpec) {
  const port = parentPort;
  const spec = (workerData as { clientSpec: ClientSpec }).clientSpec;
  (spec.mode === 'webhooks' ? webhooks(spec) : viewers(spec)).then(
    (result) => port.postMessage({ result }),
    (err: unknown) => port.postMessage({ error: err instanceof Error ? err.message : String(err) }),
  );
}
