// The write budget's scripts on a real redis-server, from several connections
// at once as checks in several worker processes call them: never more units
// than the budget, a check that tries again (after its process died between
// the reservation and the write) keeps the one unit it reserved, and a unit
// given back is free again while the ticket keeps its place in line.
import { afterEach, describe, expect, inject, it } from 'vitest';
import { Redis } from 'ioredis';
import { keysFor } from '../../src/store/keys.js';
import { WriteBudget } from '../../src/store/write-budget.js';
import { testPrefix } from '../support/test-prefix.js';

const redisUrl = inject('redisUrl');
const connections: Redis[] = [];
afterEach(async () => {
  await Promise.all(connections.splice(0).map((c) => c.quit()));
});

/** One WriteBudget per "process", each on its own connection, over the same keys. */
function budgets(n: number): WriteBudget[] {
  const keys = keysFor(testPrefix('budget'));
  return Array.from({ length: n }, () => {
    const redis = new Redis(redisUrl);
    connections.push(redis);
    return new WriteBudget(redis, keys);
  });
}

const at = (minutes: number): Date => new Date(Date.UTC(2026, 11, 7, 9, 0) + minutes * 60_000);

describe('the write budget', () => {
  it('grants exactly writes_per_hour units to 40 tickets asking at once from four processes', async () => {
    const all = budgets(4);
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => all[i % 4]!.take('jira', `T-${i}`, 5, at(0))));
    expect(answers.filter((a) => a.granted)).toHaveLength(5);
    expect(await all[0]!.spent('jira', at(0))).toBe(5);
  });

  it('a check that tries again keeps the unit it reserved instead of taking a second', async () => {
    const [budget] = budgets(1);
    expect(await budget!.take('linear', 'A', 2, at(0))).toEqual({ granted: true });
    // The process died before the write; the job's retry asks again, twice.
    expect(await budget!.take('linear', 'A', 2, at(1))).toEqual({ granted: true });
    expect(await budget!.take('linear', 'A', 2, at(2))).toEqual({ granted: true });
    expect(await budget!.spent('linear', at(2))).toBe(1);
    expect(await budget!.take('linear', 'B', 2, at(3))).toEqual({ granted: true });
    expect((await budget!.take('linear', 'C', 2, at(3))).granted).toBe(false);
  });

  it('a unit given back is free again, and the ticket keeps its place ahead of later ones', async () => {
    const [budget] = budgets(1);
    expect(await budget!.take('jira', 'A', 1, at(0))).toEqual({ granted: true });
    expect((await budget!.take('jira', 'B', 1, at(1))).granted).toBe(false);
    // B's turn comes when A's unit leaves the hour; meanwhile A's write fails.
    await budget!.settle('jira', 'A', 'back', at(2));
    expect(await budget!.spent('jira', at(2))).toBe(0);
    expect((await budget!.take('jira', 'C', 1, at(3))).granted).toBe(false); // behind A and B
    expect((await budget!.take('jira', 'B', 1, at(3))).granted).toBe(false); // behind A
    expect(await budget!.take('jira', 'A', 1, at(4))).toEqual({ granted: true });
    await budget!.settle('jira', 'A', 'spent', at(4));
    expect(await budget!.spent('jira', at(4))).toBe(1);
    // An hour after A's write: B, then C.
    expect(await budget!.take('jira', 'B', 1, at(65))).toEqual({ granted: true });
    expect((await budget!.take('jira', 'C', 1, at(65))).granted).toBe(false);
  });
});
