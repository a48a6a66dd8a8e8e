// Cascade's answer to the last command a person wrote on a ticket (help, a
// proposal recorded, an exemption ended), kept until the next command so
// that every later edit of Cascade's one comment still carries it.
import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';
import { TicketHash } from './ticket-hash.js';
import type { CommandReply } from '../commands/command-reply.js';

export type { CommandReply };

/** Nothing beyond the shared per-ticket hash: get, getMany, put, remove. */
export class CommandReplyStore extends TicketHash<CommandReply> {
  constructor(redis: Redis, keys: Keys) {
    super(redis, keys.commandReplies);
  }
}
