// What people asked on a ticket with `/cascade` commands, as the decision reads
// it: the exemption that still holds and the answer to their last command, and
// whether the comment must answer now. Plain data; workers/command-state.ts reads
// the stores and schedules the check on the day an exemption ends.
import type { Exemption } from '../commands/exemption.js';
import type { CommandReply } from '../commands/command-reply.js';
import { exemptionInForce } from '../commands/exemption.js';
import type { ResolvedRules } from '../strategy/tree-schema.js';
import type { Resolution } from '../strategy/decide-verdict.js';
import type { WrittenRecord } from '../records/written-record.js';

export interface CommandState {
  exemption: Exemption | null;
  reply: CommandReply | null;
}

export const NO_COMMANDS: CommandState = { exemption: null, reply: null };

/**
 * The exemption as the verdict applies it: ending on its bounded day (the
 * person's date or `max_days`), and none while `rules.commands` is false (it
 * stays stored, so turning commands back on restores it).
 */
export function appliedExemption(exemption: Exemption | null, rules: ResolvedRules, now: Date): Exemption | null {
  const inForce = exemptionInForce(exemption, rules, now);
  return exemption && inForce ? { ...exemption, until: inForce.until } : null;
}

/**
 * Whether the comment must answer now. A new command (newer than Cascade's
 * last write on the ticket) is answered, posting the comment if need be; an
 * answer already given is kept in the comment but never re-posted, so a
 * person who deletes it is not answered twice.
 */
export function commandAnswer(commands: CommandState, resolution: Resolution, written: WrittenRecord | null, hasComment: boolean): { exemptedByPerson: boolean; hasReply: boolean } {
  const since = written?.at ?? '';
  return {
    exemptedByPerson: resolution.exemptBy?.kind === 'command' && commands.exemption !== null && (hasComment || commands.exemption.at > since),
    hasReply: commands.reply !== null && commands.reply.at > since,
  };
}
