// What Cascade's one comment says about commands: the exemption a person set,
// its answer to their last command, and the list of commands. Small additions
// to the comment document, composed with the rest. Pure.
import type { Block, CommentDoc, Inline } from './comment-doc.js';
import type { CommandReply } from '../commands/command-reply.js';
import { createHash } from 'node:crypto';
import { movedWords } from '../commands/link-target.js';
import type { TrackerWords } from '../strategy/tracker-words.js';

const t = (text: string): Inline => ({ text });
const b = (text: string): Inline => ({ text, bold: true });
const c = (text: string): Inline => ({ text, code: true });
const para = (...content: Inline[]): Block => ({ kind: 'paragraph', content: content.filter((i) => i.text.length > 0) });

/** A document from its blocks, fingerprinted like every Cascade comment. */
function finishDoc(blocks: Block[]): CommentDoc {
  return { blocks, fingerprint: createHash('sha256').update(JSON.stringify(blocks)).digest('hex').slice(0, 12) };
}

/** Said instead of a reason or title that a person wrote in a comment only some can see. */
export const RESTRICTED_NOTE = 'in a restricted comment';

/** The confirmation of an exemption set with `/cascade exempt`; a reason from a restricted comment is not quoted. */
export function exemptionConfirmation(exemption: { reason: string; person: string; until?: string | null; restricted?: boolean }): CommentDoc {
  const blocks: Block[] = [
    exemption.restricted
      ? para(b('✅ Exempt from objective checks'), t(` (the reason is ${RESTRICTED_NOTE}).`))
      : para(b('✅ Exempt from objective checks:'), t(` ${exemption.reason}`)),
    exemption.until
      ? para(t(`Set by ${exemption.person}, until ${exemption.until}: on that day the exemption ends and Cascade checks this ticket again. `), c('/cascade unexempt'), t(' in a comment ends it now.'))
      : para(t(`Set by ${exemption.person}. `), c('/cascade unexempt'), t(' in a comment ends it.')),
  ];
  return finishDoc(blocks);
}

/** The commands, one per line: the help text. */
export function helpBlocks(): Block[] {
  return [
    para(b('Cascade commands'), t(' (write one as the first line of a comment):')),
    {
      kind: 'list',
      items: [
        [c('/cascade exempt <reason>'), t(' or '), c('/cascade exempt <reason> until YYYY-MM-DD'), t(': this ticket is not strategy work; Cascade leaves it alone (until that day).')],
        [c('/cascade unexempt'), t(': end the exemption now.')],
        [c('/cascade link'), t(' or '), c('/cascade link 2'), t(': move this ticket where Cascade\'s suggestion 1 (or 2) says; '), c('/cascade link <project or epic>'), t(': move it there.')],
        [c('/cascade propose <objective title>'), t(': propose a company objective this work serves; proposals reach the strategy owners.')],
      ],
    },
  ];
}

/** The answer to a command, in the ticket's tracker's words; one from a restricted comment quotes none of it (a help error may repeat its words). */
export function replyBlocks(reply: CommandReply, words: TrackerWords): Block[] {
  switch (reply.kind) {
    case 'help': {
      const error = reply.error && reply.restricted ? `the command ${RESTRICTED_NOTE} was not understood.` : reply.error;
      return [...(error ? [para(b(`${reply.person}:`), t(` ${error}`))] : []), ...helpBlocks()];
    }
    case 'proposed':
      return reply.restricted
        ? [para(b('Proposal recorded'), t(` (its title is ${RESTRICTED_NOTE}), proposed by ${reply.person}. The strategy owners see it with the other proposals.`))]
        : [para(b('Proposal recorded:'), t(` "${reply.title}", proposed by ${reply.person}. The strategy owners see it with the other proposals.`))];
    case 'unexempted':
      return reply.ended
        ? [para(b('Exemption ended'), t(` by ${reply.person}: Cascade checks this ticket again.`))]
        : [para(b(`${reply.person}:`), t(' this ticket had no exemption to end.'))];
    case 'refused':
      return [para(b(`${reply.person}:`), t(` ${reply.reason}`))];
    case 'link-requested':
      return [para(b(`${reply.person}:`), t(` Cascade will ${typeof reply.choice === 'number' ? `take suggestion ${reply.choice}` : reply.restricted ? 'link it as asked' : `link it to "${reply.choice}"`} at its next check.`))];
    case 'linked':
      // Shown with a verdict other than aligned: a person moved it since, and their choice stands.
      return [para(b(`Linked by Cascade at ${reply.person}'s request`), t(` on ${reply.at.slice(0, 10)}: ${movedWords(words, reply.target)}. It has been changed since; Cascade leaves it as people put it.`))];
    case 'link-refused':
      return [para(b(`${reply.person}:`), t(` ${reply.reason}`), ...(reply.closest && reply.closest.length > 0 ? [t(' Closest: '), ...reply.closest.flatMap((name, i) => [...(i > 0 ? [t(', ')] : []), c(name)]), t('.')] : []))];
    case 'ended-by-admin':
      return [para(b('Exemption ended'), t(` by ${reply.person === null ? 'an admin' : `an admin (${reply.person})`}: Cascade checks this ticket again.`))];
  }
}

/** The comment with the answer to the last command appended; the answer alone when there is nothing else to say. */
export function withReply(doc: CommentDoc | null, reply: CommandReply | null, words: TrackerWords): CommentDoc | null {
  if (!reply) return doc;
  return finishDoc([...(doc?.blocks ?? []), ...replyBlocks(reply, words)]);
}

/** The comment's substance with the answer to the last command in it: a new answer is a change of substance. */
export function withReplySubstance(substance: string | null, reply: CommandReply | null): string | null {
  if (!reply) return substance;
  return createHash('sha256').update(JSON.stringify([substance, reply])).digest('hex').slice(0, 16);
}
