// Runs one of the benches' load clients or seeders in a worker thread of its own, so the
// load it makes does not share the event loop of the Cascade it measures; resolves with
// what the thread posts back (`result`, or `seeded` for a seeder).
import { Worker } from 'node:worker_threads';

/** `file`: the thread's module, relative to this folder (e.g. './digest-views-client.js'). */
export function inThread<T>(file: string, workerData: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(file, import.meta.url), { workerData });
    worker.once('message', (message: { result?: T; seeded?: boolean; error?: string }) => {
      if (message.error !== undefined || (message.result === undefined && message.seeded === undefined)) reject(new Error(`bench thread ${file} failed: ${message.error ?? 'no result'}`));
      else resolve((message.result ?? message.seeded) as T);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}
