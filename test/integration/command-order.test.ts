// Commands count in the order they were written, whatever order 32 concurrent
// handlers (or several worker processes) apply them in: the exemption store's
// one script against a real Redis.
import { afterEach, describe, expect, inject, it } from 'vitest';
import { Redis } from 'ioredis';
import { commandStamp, ExemptionStore, type OrderedCommand } from '../../src/store/exemption-store.js';
import { CommandReplyStore } from '../../src/store/command-reply-store.js';
import { keysFor } from '../../src/store/keys.js';
import { testPrefix } from '../support/test-prefix.js';

const connections: Redis[] = [];
afterEach(async () => {
  await Promise.all(connections.splice(0).map((c) => c.quit()));
});

function stores(): { exemptions: ExemptionStore[]; replies: CommandReplyStore } {
  const keys = keysFor(testPrefix('order'));
  // Several connections, as several worker processes have.
  const redis = [new Redis(inject('redisUrl')), new Redis(inject('redisUrl')), new Redis(inject('redisUrl'))];
  connections.push(...redis);
  return { exemptions: redis.map((r) => new ExemptionStore(r, keys)), replies: new CommandReplyStore(redis[0]!, keys) };
}

const at = '2026-12-07T09:00:00.000Z';
const exempt = (n: number): Omit<OrderedCommand, 'stamp'> => ({
  exemption: { op: 'put', value: { reason: `reason ${n}`, person: 'Dana Reyes', personId: 'u1', until: null, at } },
  reply: { op: 'remove' },
});
const unexempt: Omit<OrderedCommand, 'stamp'> = {
  exemption: { op: 'remove' },
  reply: { op: 'put', value: { kind: 'unexempted', ended: true, person: 'Dana Reyes', at }, ifNone: { kind: 'unexempted', ended: false, person: 'Dana Reyes', at } },
};

describe('commands applied in the order they were written', () => {
  it('leaves the newest command in force when 32 of them are applied at once in a shuffled order', async () => {
    const { exemptions, replies } = stores();
    for (let round = 0; round < 10; round++) {
      const ticket = `ticket-${round}`;
      // Commands written one second apart; the newest is an unexempt in even rounds, an exempt in odd ones.
      const commands = Array.from({ length: 32 }, (_, i) => {
        const newest = i === 31;
        const body = newest ? (round % 2 === 0 ? unexempt : exempt(i)) : i % 2 === 0 ? exempt(i) : unexempt;
        return { ...body, stamp: commandStamp(Date.parse(at) + i * 1000, `c${i}`) };
      });
      const shuffled = [...commands].sort(() => Math.random() - 0.5);
      await Promise.all(shuffled.map((c, i) => exemptions[i % exemptions.length]!.applyInOrder('linear', ticket, c)));
      const held = await exemptions[0]!.get('linear', ticket);
      if (round % 2 === 0) {
        expect(held).toBeNull();
        expect(await replies.get('linear', ticket)).toMatchObject({ kind: 'unexempted' });
      } else {
        expect(held?.reason).toBe('reason 31');
        expect(await replies.get('linear', ticket)).toBeNull();
      }
    }
  });

  it('answers an older command as not applied and changes nothing; the same command again does the same', async () => {
    const { exemptions } = stores();
    const [store] = exemptions;
    const newer = commandStamp(Date.parse(at) + 60_000, 'c2');
    expect(await store!.applyInOrder('jira', '10001', { ...exempt(2), stamp: newer })).toEqual({ applied: true, had: false });
    expect(await store!.applyInOrder('jira', '10001', { ...unexempt, stamp: commandStamp(Date.parse(at), 'c1') })).toEqual({ applied: false, had: true });
    expect((await store!.get('jira', '10001'))?.reason).toBe('reason 2');
    expect(await store!.applyInOrder('jira', '10001', { ...exempt(2), stamp: newer })).toEqual({ applied: true, had: true });
  });
});
