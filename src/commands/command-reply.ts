// Cascade's answer to the last command a person wrote on a ticket, shown in
// its one comment until the next command.

export type CommandReply = (
  | { kind: 'help'; /** Why the command was not understood or not taken. */ error?: string; person: string; at: string }
  | { kind: 'proposed'; title: string; person: string; at: string }
  | { kind: 'unexempted'; /** False when there was no exemption to end. */ ended: boolean; person: string; at: string }
  /** The person may not do this here (rules.exemptions.who); nothing changed. */
  | { kind: 'refused'; reason: string; person: string; at: string }
  /** An admin ended the exemption (DELETE /admin/exemptions/…); `person` is the admin token's name, null when unnamed. */
  | { kind: 'ended-by-admin'; person: string | null; at: string }
) & {
  /** The command was in a comment only some can see (Jira visibility): the answer quotes none of it. */
  restricted?: boolean;
};
