// The delivery-check thread: runs createDeliveryCheck on batches of raw
// deliveries posted by delivery-checker.ts and posts the verdicts back, in
// the same order.
import { parentPort, workerData } from 'node:worker_threads';
import { createDeliveryCheck, type DeliverySecrets, type DeliveryVerdict } from './check-delivery.js';
import type { TrackerId } from '../strategy/types.js';

export type CheckRequest = [tracker: TrackerId, body: Uint8Array, signature: string | undefined];

const check = createDeliveryCheck((workerData as { secrets: DeliverySecrets }).secrets);

parentPort?.on('message', (batch: CheckRequest[]) => {
  const verdicts: DeliveryVerdict[] = batch.map(([tracker, body, signature]) => check(tracker, Buffer.from(body.buffer, body.byteOffset, body.byteLength), signature));
  parentPort?.postMessage(verdicts);
});
