// Who may exempt a ticket (`rules.exemptions.who`), decided from what the
// tracker said about the commenter. Pure: the rule, the person and the
// tracker's answer in; allowed, or the reason to give them, out.
import type { ResolvedRules } from '../strategy/tree-schema.js';
import type { TrackerWords } from '../strategy/tracker-words.js';

export type ExemptionRight = { allowed: true } | { allowed: false; reason: string };

/** Whether the tracker must be asked (only `editors` needs it). */
export const needsEditCheck = (rules: Pick<ResolvedRules, 'exemptions'>): boolean => rules.exemptions.who === 'editors';

/**
 * `editor`: the tracker's answer for `editors` (the account may edit the
 * ticket, in the tracker's own terms: `words.editors` says who that is).
 */
export function exemptionRight(
  rules: Pick<ResolvedRules, 'exemptions'>,
  words: Pick<TrackerWords, 'editors'>,
  ticketKey: string,
  person: { id?: string; name: string },
  editor: boolean,
  /** What the person asked to do, for the refusal. Default exempting. */
  action = 'exempt or unexempt',
): ExemptionRight {
  const { who, people } = rules.exemptions;
  if (who === 'anyone') return { allowed: true };
  if (person.id === undefined) return { allowed: false, reason: `Cascade could not tell who wrote this command, so it cannot check that they may ${action} ${ticketKey}; nothing changed.` };
  if (who === 'admins') {
    if (people.includes(person.id)) return { allowed: true };
    return { allowed: false, reason: `only the people listed in rules.exemptions.people may ${action} tickets here; nothing changed. Ask one of them, or your Cascade admin.` };
  }
  if (editor) return { allowed: true };
  const edit = words.editors(ticketKey);
  return { allowed: false, reason: `only ${edit} may ${action} it${action === 'exempt or unexempt' ? ' (rules.exemptions.who: editors)' : ''}; nothing changed.` };
}
