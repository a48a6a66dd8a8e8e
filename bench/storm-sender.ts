// A webhook storm from a process of its own, in the idle scheduling class:
// the storm stands for Linear's servers, whose CPU is not on Cascade's
// machine, so sending it must not take a core from Cascade's workers (which
// run in the idle class too) while the receiver, at normal priority, answers.
// `count` signed deliveries over the given Issue create envelopes (the create,
// then updates), `concurrency` at a time, as fast as the receiver takes them.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { giveWay } from '../cli/worker-process.js';
import { buildLinearDelivery, type LinearWebhookEnvelope } from '../sandbox/linear/index.js';

export interface Storm {
  url: string;
  secret: string;
  envelopes: LinearWebhookEnvelope[];
  count: number;
  concurrency: number;
}

export interface StormSent {
  /** When the last answer came (ms since the epoch). */
  endedAt: number;
  /** Deliveries not answered 200. */
  refused: number;
}

/** Posts one signed delivery, stamped now; its status (0 when the request failed). */
export async function deliver(url: string, secret: string, envelope: LinearWebhookEnvelope): Promise<number> {
  const delivery = buildLinearDelivery(secret, { ...envelope, webhookTimestamp: Date.now() });
  try {
    const res = await fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.body });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

async function send(storm: Storm): Promise<StormSent> {
  let next = 0;
  let refused = 0;
  await Promise.all(Array.from({ length: storm.concurrency }, async () => {
    while (next < storm.count) {
      const n = next++;
      const base = storm.envelopes[n % storm.envelopes.length]!;
      const envelope = n < storm.envelopes.length ? base : { ...base, action: 'update', updatedFrom: { title: `Earlier title ${n}`, updatedAt: base.createdAt } };
      if ((await deliver(storm.url, storm.secret, envelope as LinearWebhookEnvelope)) !== 200) refused++;
    }
  }));
  return { endedAt: Date.now(), refused };
}

/** Sends the storm from an idle-class child process; resolves once every delivery was answered. */
export async function sendStorm(storm: Storm): Promise<StormSent> {
  const child = fork(fileURLToPath(import.meta.url), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  if (child.pid !== undefined) giveWay(child.pid, { debug: () => undefined });
  child.send(storm);
  const [sent] = (await once(child, 'message')) as [StormSent];
  child.disconnect();
  return sent;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.once('message', (storm: Storm) => void send(storm).then((sent) => process.send!(sent)));
}
