// The delivery-check thread: runs createDeliveryCheck on batches of raw
// deliveries posted by delivery-checker.ts and posts the verdicts back, in
// the same order. Each delivery comes with the time it arrived: the thread
// judges a body's age by that, not by when it got to the batch.
import { parentPort, workerData } from 'node:worker_threads';
import { createDeliveryCheck, type DeliverySecrets, type DeliveryVerdict } from './check-delivery.js';
import type { TrackerId } from '../strategy/types.js';

export type CheckRequest = [tracker: TrackerId, body: Uint8Array, signature: string | undefined, receivedAt: number];

const check = createDeliveryCheck((workerData as { secrets: DeliverySecrets }).secrets);

parentPort?.on('message', (batch: CheckRequest[]) => {
  const verdicts: DeliveryVerdict[] = batch.map(([tracker, body, signature, receivedAt]) =>
    check(tracker, Buffer.from(body.buffer, body.byteOffset, body.byteLength), signature, receivedAt),
  );
  parentPort?.postMessage(verdicts);
});
