// Cascade's answer to the last command a person wrote on a ticket, shown in
// its one comment until the next command.
import type { LinkTarget, LinkWanted } from './link-target.js';

export type CommandReply = (
  | { kind: 'help'; /** Why the command was not understood or not taken. */ error?: string; person: string; at: string }
  | { kind: 'proposed'; title: string; person: string; at: string }
  | { kind: 'unexempted'; /** False when there was no exemption to end. */ ended: boolean; person: string; at: string }
  /** The person may not do this here (rules.exemptions.who); nothing changed. */
  | { kind: 'refused'; reason: string; person: string; at: string }
  /**
   * A person (or an admin, POST /admin/link) asked to move the ticket; the
   * ticket's check performs it after a fresh read and replaces this with
   * `linked` or `link-refused`.
   */
  | { kind: 'link-requested'; choice: number | string; /** Set by POST /admin/link: the target as resolved (a project id, an issue key, a label). */ wanted?: LinkWanted; person: string; personId?: string; at: string; source?: 'comment' | 'admin' }
  /** Cascade moved the ticket to `target` at `person`'s request. */
  | { kind: 'linked'; target: LinkTarget; person: string; at: string }
  /** The link could not be made; nothing moved. `closest`: names that come close to what was asked. */
  | { kind: 'link-refused'; reason: string; closest?: string[]; person: string; at: string }
  /** An admin ended the exemption (DELETE /admin/exemptions/…); `person` is the admin token's name, null when unnamed. */
  | { kind: 'ended-by-admin'; person: string | null; at: string }
) & {
  /** The command was in a comment only some can see (Jira visibility): the answer quotes none of it. */
  restricted?: boolean;
};
