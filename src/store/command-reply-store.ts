// Cascade's answer to the last command a person wrote on a ticket (help, a
// proposal recorded, an exemption ended), kept until the next command so
// that every later edit of Cascade's one comment still carries it.
import type { Redis } from 'ioredis';
import type { TrackerId } from '../strategy/types.js';
import type { Keys } from './keys.js';
import { TicketHash } from './ticket-hash.js';
import type { CommandReply } from '../commands/command-reply.js';

export type { CommandReply };

export class CommandReplyStore {
  private readonly replies: TicketHash<CommandReply>;

  constructor(redis: Redis, keys: Keys) {
    this.replies = new TicketHash(redis, keys.commandReplies);
  }

  get(tracker: TrackerId, id: string): Promise<CommandReply | null> {
    return this.replies.get(tracker, id);
  }

  /** Those of many tickets in one round trip (a sweep's page). */
  getMany(tracker: TrackerId, ids: string[]): Promise<Map<string, CommandReply>> {
    return this.replies.getMany(tracker, ids);
  }

  put(tracker: TrackerId, id: string, reply: CommandReply): Promise<void> {
    return this.replies.put(tracker, id, reply);
  }

  async remove(tracker: TrackerId, id: string): Promise<void> {
    await this.replies.remove(tracker, id);
  }
}
