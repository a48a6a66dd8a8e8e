// Starts one real redis-server on a free port for the whole run; tests isolate
// themselves with unique key prefixes (see startE2E in test/support/e2e.ts).
import type { TestProject } from 'vitest/node';
import { startRedisServer, type RedisServer } from '../../cli/redis-server.js';
import { PROPERTY_SEED } from './property-seed.js';

let server: RedisServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  process.stdout.write(`tests run on Node ${process.version} (${process.execPath})\n`);
  process.stdout.write(`property tests seeded with ${PROPERTY_SEED} (set CASCADE_FC_SEED to replay another)\n`);
  server = await startRedisServer({ dataDir: undefined });
  project.provide('redisUrl', server.url);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
