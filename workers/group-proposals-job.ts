// Groups the proposals and stores the result, on a worker (a job on the digest
// queue, asked for by src/queue/request-proposal-grouping.ts). The routes and
// the digest read what this stored; nothing groups on the receiver's event loop.
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { DigestJob } from '../src/queue/job-types.js';
import { groupProposals, type GroupingStats, type ProposalGroup } from '../src/digest/group-proposals.js';
import { TOP_GROUP_LISTED, TOP_GROUPS, type ProposalStore } from '../src/store/proposal-store.js';
import { requestProposalGrouping } from '../src/queue/request-proposal-grouping.js';

export async function groupStoredProposals(store: ProposalStore, queue: Queue<DigestJob>, now: () => Date, logger: Logger): Promise<string> {
  const started = performance.now();
  const version = await store.version();
  const proposals = await store.list();
  const stats: GroupingStats = { titles: 0, comparisons: 0 };
  const groups = groupProposals(proposals, stats);
  await store.saveGrouping({ version, computedAt: now().toISOString(), total: proposals.length, groupCount: groups.length, top: groups.slice(0, TOP_GROUPS).map(listed) }, groups);
  const ms = Math.round(performance.now() - started);
  logger.debug({ proposals: proposals.length, groups: groups.length, ...stats, ms }, `grouped ${proposals.length} proposals into ${groups.length} in ${ms} ms`);
  // A proposal made while this ran is not in what was stored: group again (one job, de-duplicated).
  if ((await store.version()) !== version) await requestProposalGrouping(queue);
  return `${groups.length} groups`;
}

/** The group as the review and the digest list it: its first titles, the latest tickets and people (its count covers all). */
function listed(group: ProposalGroup): ProposalGroup {
  return { ...group, titles: group.titles.slice(0, TOP_GROUP_LISTED), tickets: group.tickets.slice(-TOP_GROUP_LISTED), people: group.people.slice(-TOP_GROUP_LISTED) };
}
