// What the benches share: the example strategy, a silent logger, an
// environment built the way the CLI builds it, and polling helpers.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import type { Counter } from 'prom-client';
import type { Queue } from 'bullmq';
import { readEnvironment, type AppEnv } from '../src/config/environment.js';
import { parseConfigText } from '../src/config/parse-document.js';
import { validateConfig } from '../src/config/validate-config.js';
import type { CascadeConfig } from '../src/strategy/tree-schema.js';

/** config/strategy.example.yaml, validated; found from bench/ (tsx) or dist/bench/ (built). */
export function exampleConfig(): CascadeConfig {
  for (const rel of ['../config/strategy.example.yaml', '../../config/strategy.example.yaml']) {
    let text: string;
    try {
      text = readFileSync(fileURLToPath(new URL(rel, import.meta.url)), 'utf8');
    } catch {
      continue;
    }
    const parsed = parseConfigText(text);
    if (!parsed.ok) throw new Error(`config/strategy.example.yaml does not parse: ${JSON.stringify(parsed.issues)}`);
    const result = validateConfig(parsed.value);
    if (!result.ok) throw new Error(`config/strategy.example.yaml is invalid: ${JSON.stringify(result.issues)}`);
    return result.config;
  }
  throw new Error('config/strategy.example.yaml not found next to bench/');
}

/** Benches measure; the product's own lines would only cost time and hide the figures. */
export function benchLogger(): Logger {
  return pino({ level: process.env.BENCH_LOG_LEVEL ?? 'silent' });
}

export function benchEnv(vars: Record<string, string>): AppEnv {
  return readEnvironment(vars);
}

/** Sum of a prom-client counter, optionally over the series whose labels match. */
export async function counterTotal(counter: Counter<string>, labels: Record<string, string> = {}): Promise<number> {
  const { values } = await counter.get();
  return values
    .filter((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want))
    .reduce((sum, v) => sum + v.value, 0);
}

/** Polls until `done` answers true; false when the deadline passed first. */
export async function waitUntil(done: () => Promise<boolean> | boolean, timeoutMs: number, intervalMs = 10): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await done()) return true;
    if (Date.now() > deadline) return false;
    await sleep(intervalMs);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Jobs still to run, leaving out schedulers' next runs and grace-period re-checks (hours away). */
export async function pendingWork(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children');
  const delayed = await queue.getJobs(['delayed']);
  const soon = delayed.filter((job) => !job.id?.startsWith('repeat:') && !job.id?.startsWith('pending-'));
  return Object.values(counts).reduce((a, b) => a + b, 0) + soon.length;
}

export const DAY_MS = 86_400_000;
export const daysAgo = (days: number, now = Date.now()): string => new Date(now - days * DAY_MS).toISOString();
