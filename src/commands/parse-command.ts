// What a person asks of Cascade in a comment: the first line starts with
// `/cascade`. Pure: the text and today's date in, a command (or null: not a
// command at all) out. Anything Cascade cannot act on becomes `help`, with
// the reason when there is one, so the person always gets an answer.

export type Command =
  | { kind: 'exempt'; reason: string; /** YYYY-MM-DD: the exemption lapses at the start of this day (UTC). */ until: string | null }
  | { kind: 'unexempt' }
  | { kind: 'propose'; title: string }
  /** Move the ticket to the comment's suggestion `choice` (1-based), or to the project or epic of that name or key. */
  | { kind: 'link'; choice: number | string }
  | { kind: 'help'; /** Why the command was not understood; absent for a plain `/cascade` or `/cascade help`. */ error?: string };

/** Reasons and titles longer than this are cut: they are shown in a comment and a digest. */
export const MAX_TEXT = 200;

const PREFIX = /^\/cascade(?:\s+|$)/i;
const DATE_LIKE = /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The command line of a comment body, or null when the comment is not a command. */
export function commandLine(body: string): string | null {
  const first = body.replace(/^\s+/, '').split(/\r?\n/, 1)[0] ?? '';
  const line = first.trim();
  return PREFIX.test(line) ? line : null;
}

export function parseCommand(body: string, now: Date): Command | null {
  const line = commandLine(body);
  if (line === null) return null;
  const words = line.replace(PREFIX, '').trim();
  if (words === '') return { kind: 'help' };
  const [verb = '', ...rest] = words.split(/\s+/);
  const argument = rest.join(' ');
  // "/cascade unexempt, the rotation ended": punctuation after the verb is not part of it.
  switch (verb.toLowerCase().replace(/[,.:;!]+$/, '')) {
    case 'help':
      return { kind: 'help' };
    case 'exempt':
      return exempt(argument, now);
    case 'unexempt':
      return { kind: 'unexempt' };
    case 'propose': {
      if (argument === '') return { kind: 'help', error: '/cascade propose needs the title of the objective you propose, e.g. "/cascade propose Cut onboarding time in half".' };
      return { kind: 'propose', title: cut(argument) };
    }
    case 'link':
      return link(argument);
    default:
      return { kind: 'help', error: `"${cut(verb, 40)}" is not a Cascade command.` };
  }
}

function link(argument: string): Command {
  // "/cascade link", "/cascade link 2", "/cascade link #2", "/cascade link "Audit log"".
  const given = argument.trim().replace(/^["'“”]+|["'“”]+$/g, '').trim();
  if (given === '') return { kind: 'link', choice: 1 };
  const number = /^#?(\d{1,3})\.?$/.exec(given);
  if (number) {
    const n = Number(number[1]);
    return n >= 1 ? { kind: 'link', choice: n } : { kind: 'help', error: 'suggestions are numbered from 1: "/cascade link 1".' };
  }
  return { kind: 'link', choice: cut(given, 120) };
}

function exempt(argument: string, now: Date): Command {
  const words = argument.split(' ').filter(Boolean);
  // "until <one word>" at the end is a date; "blocked until the vendor replies" is part of the reason.
  const untilAt = words.length >= 2 && words[words.length - 2]!.toLowerCase() === 'until' ? words.length - 2 : -1;
  let until: string | null = null;
  let reasonWords = words;
  if (untilAt >= 0) {
    const given = words[untilAt + 1]!;
    const checked = checkDate(given, now);
    if ('error' in checked) return { kind: 'help', error: checked.error };
    until = checked.date;
    reasonWords = words.slice(0, untilAt);
  } else if (words.length === 1 && words[0]!.toLowerCase() === 'until') {
    return { kind: 'help', error: '"until" needs a date, e.g. "/cascade exempt support rotation until 2027-03-31".' };
  }
  const reason = reasonWords.join(' ');
  if (reason === '') return { kind: 'help', error: '/cascade exempt needs a reason, e.g. "/cascade exempt support rotation" or "/cascade exempt support rotation until 2027-03-31".' };
  return { kind: 'exempt', reason: cut(reason), until };
}

function checkDate(given: string, now: Date): { date: string } | { error: string } {
  const shown = cut(given, 40);
  const match = ISO_DATE.exec(given);
  if (!match) {
    return { error: DATE_LIKE.test(given) ? `"${shown}" is not a date Cascade reads: write it as YYYY-MM-DD, e.g. 2027-03-31.` : `"${shown}" is not a date: write it as YYYY-MM-DD, e.g. 2027-03-31.` };
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return { error: `${given} is not a calendar date.` };
  }
  if (date.getTime() <= startOfDay(now)) return { error: `${given} is not in the future: an exemption ends on a later day than today (${isoDay(now)}, UTC).` };
  return { date: given };
}

/** When an exemption `until` this day ends: the start of the day, UTC. */
export function lapsesAt(until: string): Date {
  return new Date(`${until}T00:00:00.000Z`);
}

export function isoDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

const startOfDay = (now: Date): number => Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());

function cut(text: string, max = MAX_TEXT): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
