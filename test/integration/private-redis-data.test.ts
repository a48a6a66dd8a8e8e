// The private redis-server keeps accepted work across restarts (append-only file),
// except for the demo, whose sandboxes start anew each run: there a second
// `npm start` must not show the first run's records on re-seeded tickets.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startRedisServer, type RedisServer } from '../../cli/redis-server.js';

const servers: RedisServer[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.allSettled(servers.splice(0).map((s) => s.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function restartWith(fresh: boolean): Promise<string | null> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cascade-private-redis-'));
  dirs.push(dataDir);
  const first = await startRedisServer({ dataDir });
  servers.push(first);
  const writer = new Redis(first.url);
  await writer.set('{cascade}:verdicts:ENG-1', 'orphan');
  await writer.quit();
  await first.stop();

  const second = await startRedisServer({ dataDir, fresh });
  servers.push(second);
  const reader = new Redis(second.url);
  try {
    return await reader.get('{cascade}:verdicts:ENG-1');
  } finally {
    await reader.quit();
  }
}

describe('the private redis-server across restarts', () => {
  it('keeps what was written before a restart', async () => {
    expect(await restartWith(false)).toBe('orphan');
  });

  it('starts empty when asked to start fresh (the demo)', async () => {
    expect(await restartWith(true)).toBeNull();
  });
});
