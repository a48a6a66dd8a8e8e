// Exemptions people set with `/cascade exempt <reason> [until DATE]` on a
// ticket: one hash field per ticket. The check reads it from here, so the
// exemption reaches the ticket through the same de-duplicated check as
// everything else, and survives restarts.
//
// Commands take effect in the order they were written, not the order they
// are processed (32 events at once per process, Jira retries late): `order`
// records the newest command's stamp per ticket, and one script compares it
// and applies the exemption and the answer together, so an older command
// never overrides a newer one, whatever runs first.
import type { RedisClient } from './redis-client.js';
import type { Keys } from './keys.js';
import { TicketHash, ticketField } from './ticket-hash.js';
import { luaScript, runScript } from './lua-script.js';
import type { Exemption } from '../commands/exemption.js';
import type { CommandReply } from '../commands/command-reply.js';
import type { TrackerId } from '../strategy/types.js';
import { TRACKER_IDS } from '../trackers/registry.js';

export type { Exemption };

/** What a command does to the ticket's exemption and to the answer Cascade's comment carries. */
export interface OrderedCommand {
  /** When the person wrote it: sortable (see commandStamp). */
  stamp: string;
  /** `keep`: the command does not touch the exemption (help, propose, refused). */
  exemption: { op: 'put'; value: Exemption } | { op: 'remove' } | { op: 'keep' };
  /** The answer to show; for a removal, `ifNone` is shown when there was no exemption to end. */
  reply: { op: 'put'; value: CommandReply; ifNone?: CommandReply } | { op: 'remove' };
}

export interface OrderedOutcome {
  /** False: a newer command already decided the exemption; nothing changed. */
  applied: boolean;
  /** Whether the ticket had an exemption before. */
  had: boolean;
}

/**
 * A command's place in time: its written time (ms, zero-padded so strings sort
 * as numbers), then its comment id so two commands of one millisecond still
 * have one order. The same delivery again has the same stamp and does the same.
 */
export function commandStamp(writtenAtMs: number, commentId: string): string {
  return `${String(Math.max(0, Math.trunc(writtenAtMs))).padStart(15, '0')}:${commentId}`;
}

// KEYS: exemptions, replies, order. ARGV: field, stamp, exemption op, exemption JSON, reply op, reply JSON, reply JSON when there was none.
const APPLY_IN_ORDER = luaScript(`
local field, stamp = ARGV[1], ARGV[2]
local had = redis.call('HEXISTS', KEYS[1], field)
if ARGV[3] ~= 'keep' then
  local last = redis.call('HGET', KEYS[3], field .. '|exemption')
  if last and last > stamp then return {0, had} end
  redis.call('HSET', KEYS[3], field .. '|exemption', stamp)
  if ARGV[3] == 'put' then redis.call('HSET', KEYS[1], field, ARGV[4]) else redis.call('HDEL', KEYS[1], field) end
end
local lastReply = redis.call('HGET', KEYS[3], field .. '|reply')
if not lastReply or lastReply <= stamp then
  redis.call('HSET', KEYS[3], field .. '|reply', stamp)
  if ARGV[5] == 'put' then
    local reply = ARGV[6]
    if had == 0 and ARGV[7] ~= '' then reply = ARGV[7] end
    redis.call('HSET', KEYS[2], field, reply)
  else
    redis.call('HDEL', KEYS[2], field)
  end
end
return {1, had}
`);

/** The shared per-ticket hash (get, getMany, put, remove), plus ordered commands and the whole list. */
export class ExemptionStore extends TicketHash<Exemption> {
  constructor(
    private readonly client: RedisClient,
    private readonly keyNames: Keys,
  ) {
    super(client, keyNames.exemptions);
  }

  /** Applies a command unless a newer one already decided the exemption (atomic in Redis). */
  async applyInOrder(tracker: TrackerId, id: string, command: OrderedCommand): Promise<OrderedOutcome> {
    const { exemption, reply } = command;
    const result = (await runScript(this.client, APPLY_IN_ORDER, [this.keyNames.exemptions, this.keyNames.commandReplies, this.keyNames.commandOrder], [
      ticketField(tracker, id),
      command.stamp,
      exemption.op,
      exemption.op === 'put' ? JSON.stringify(exemption.value) : '',
      reply.op,
      reply.op === 'put' ? JSON.stringify(reply.value) : '',
      reply.op === 'put' && reply.ifNone ? JSON.stringify(reply.ifNone) : '',
    ])) as [number, number];
    return { applied: result[0] === 1, had: result[1] === 1 };
  }

  /** Every exemption people set, by tracker and ticket id. */
  async list(): Promise<Array<{ tracker: TrackerId; id: string; exemption: Exemption }>> {
    const all = await this.client.hgetall(this.keyNames.exemptions);
    return Object.entries(all).flatMap(([field, raw]) => {
      const colon = field.indexOf(':');
      const tracker = field.slice(0, colon) as TrackerId;
      if (!TRACKER_IDS.includes(tracker)) return [];
      return [{ tracker, id: field.slice(colon + 1), exemption: JSON.parse(raw) as Exemption }];
    });
  }

  /** A deleted ticket: its exemption and the order of its commands go. */
  async forget(tracker: TrackerId, id: string): Promise<void> {
    const field = ticketField(tracker, id);
    await this.client.multi().hdel(this.keyNames.exemptions, field).hdel(this.keyNames.commandOrder, `${field}|exemption`, `${field}|reply`).exec();
  }
}
