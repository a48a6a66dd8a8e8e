// Server-side scripts run by their hash, for the compare-and-set steps that
// must be one atomic step in Redis (a check and the write it guards).
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface LuaScript {
  lua: string;
  sha: string;
}

export function luaScript(lua: string): LuaScript {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

/**
 * EVALSHA by the script's own hash, loading it once when Redis does not know
 * it (a fresh or restarted Redis). Not ioredis' defineCommand: its NOSCRIPT
 * fallback breaks under auto-pipelining, which the receiver relies on.
 */
export async function runScript(redis: Redis, script: LuaScript, keys: string[], args: Array<string | number>): Promise<unknown> {
  try {
    return await redis.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
    await redis.script('LOAD', script.lua);
    return redis.evalsha(script.sha, keys.length, ...keys, ...args);
  }
}
