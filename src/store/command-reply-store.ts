// Cascade's answer to the last command a person wrote on a ticket (help, a
// proposal recorded, an exemption ended), kept until the next command so
// that every later edit of Cascade's one comment still carries it.
import type { Redis } from 'ioredis';
import type { TrackerId } from '../strategy/types.js';
import type { Keys } from './keys.js';
import type { CommandReply } from '../commands/command-reply.js';

export type { CommandReply };

export class CommandReplyStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  async get(tracker: TrackerId, id: string): Promise<CommandReply | null> {
    const raw = await this.redis.hget(this.keys.commandReplies, `${tracker}:${id}`);
    return raw ? (JSON.parse(raw) as CommandReply) : null;
  }

  /** Those of many tickets in one round trip (a sweep's page). */
  async getMany(tracker: TrackerId, ids: string[]): Promise<Map<string, CommandReply>> {
    const out = new Map<string, CommandReply>();
    if (ids.length === 0) return out;
    const raws = await this.redis.hmget(this.keys.commandReplies, ...ids.map((id) => `${tracker}:${id}`));
    raws.forEach((raw, i) => {
      if (raw) out.set(ids[i]!, JSON.parse(raw) as CommandReply);
    });
    return out;
  }

  async put(tracker: TrackerId, id: string, reply: CommandReply): Promise<void> {
    await this.redis.hset(this.keys.commandReplies, `${tracker}:${id}`, JSON.stringify(reply));
  }

  async remove(tracker: TrackerId, id: string): Promise<void> {
    await this.redis.hdel(this.keys.commandReplies, `${tracker}:${id}`);
  }
}
