// Cascade's answer to the last command a person wrote on a ticket (help, a
// proposal recorded, an exemption ended), kept until the next command so
// that every later edit of Cascade's one comment still carries it.
import type { RedisClient } from './redis-client.js';
import type { Keys } from './keys.js';
import { TicketHash, ticketField } from './ticket-hash.js';
import { luaScript, runScript } from './lua-script.js';
import type { CommandReply } from '../commands/command-reply.js';

export type { CommandReply };

// KEYS: replies. ARGV: field, the reply expected there (JSON), the next one (JSON).
const REPLACE_IF = luaScript(`
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
`);

/** The shared per-ticket hash (get, getMany, put, remove), plus a compare-and-set. */
export class CommandReplyStore extends TicketHash<CommandReply> {
  constructor(
    private readonly client: RedisClient,
    private readonly keyNames: Keys,
  ) {
    super(client, keyNames.commandReplies);
  }

  /**
   * Replaces `expected` with `next` unless a newer command replaced it first
   * (a link request the check has carried out becomes its outcome, and a
   * command written meanwhile is not overwritten). True when it replaced.
   */
  async replaceIf(tracker: Parameters<typeof ticketField>[0], id: string, expected: CommandReply, next: CommandReply): Promise<boolean> {
    const result = await runScript(this.client, REPLACE_IF, [this.keyNames.commandReplies], [ticketField(tracker, id), JSON.stringify(expected), JSON.stringify(next)]);
    return result === 1;
  }
}
