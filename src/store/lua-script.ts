// Server-side scripts run by their hash, for the compare-and-set steps that
// must be one atomic step in Redis (a check and the write it guards).
import { createHash } from 'node:crypto';
import type { RedisClient } from './redis-client.js';

export interface LuaScript {
  lua: string;
  sha: string;
}

export function luaScript(lua: string): LuaScript {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

/**
 * EVALSHA by the script's own hash; when Redis does not know it (a fresh or
 * restarted Redis), EVAL, which runs it and keeps it for the next EVALSHA. Not
 * ioredis' defineCommand: its NOSCRIPT fallback breaks under auto-pipelining,
 * which the receiver relies on. Not SCRIPT LOAD either: it names no key, so on
 * a Redis Cluster it would load the script on some node, not on the one that
 * owns the keys and answered NOSCRIPT.
 */
export async function runScript(redis: RedisClient, script: LuaScript, keys: string[], args: Array<string | number>): Promise<unknown> {
  try {
    return await redis.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
    return redis.eval(script.lua, keys.length, ...keys, ...args);
  }
}
