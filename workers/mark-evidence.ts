// A missing mark is a person's choice only on evidence (PRODUCT.md, Governance):
// the webhook's actor (noted by handle-event.ts) or, asked here only when the
// decision is about to put the mark back, the ticket's history. Another Cascade
// on the same account (staging beside production) is no person: its removal
// names Cascade's own account, and the mark goes back once.
import type { Tracker, TicketState } from '../src/trackers/tracker.js';
import type { RemovalHint } from '../src/records/written-record.js';
import type { WorkerContext } from './worker-context.js';
import type { TicketDecision, TicketInputs } from '../src/reconcile/ticket-decision.js';

/**
 * When the decision puts a missing label back, reads who removed it from the
 * ticket's history (one request, and only then): a person's account decides
 * again with that evidence. Otherwise the decision stands, and the log says why
 * the mark goes back.
 */
export async function askHistory(
  ctx: WorkerContext,
  tracker: Tracker,
  state: TicketState,
  decided: { decision: TicketDecision; inputs: TicketInputs },
  decide: (inputs: TicketInputs) => TicketDecision,
): Promise<{ decision: TicketDecision; inputs: TicketInputs }> {
  const { decision, inputs } = decided;
  const restoring = decision.restoring;
  if (!restoring) return decided;
  const { ticket } = state;
  const label = inputs.written?.label ?? null;
  let named = 'nothing names who removed it';
  if (restoring.what === 'label' && label !== null && tracker.labelRemoval) {
    const removal = await tracker.labelRemoval(ticket, label);
    ctx.metrics.trackerReads.inc({ tracker: ticket.tracker });
    const me = await tracker.identity();
    if (removal?.by && removal.by !== me.id) {
      const evidence: RemovalHint = { what: 'label', by: removal.by, byName: removal.byName, at: removal.at, source: 'history' };
      const next = { ...inputs, removal: evidence };
      return { decision: decide(next), inputs: next };
    }
    named = removal?.by === me.id
      ? `the ticket's history says Cascade's own account (${me.name}) removed it: another Cascade deployment using the same account? Give each deployment its own account`
      : "neither the webhook nor the ticket's history names who removed it";
  } else if (restoring.what === 'comment') {
    named = 'no webhook named a person who deleted it (the trackers keep no history of deleted comments)';
  }
  ctx.logger.warn(
    { ticket: ticket.key, tracker: ticket.tracker, mark: restoring.what, verdict: restoring.verdict },
    `${ticket.key}: Cascade's ${restoring.what} is missing and ${named}; Cascade puts it back once, and leaves it off if it goes again`,
  );
  return decided;
}

/** Says once why Cascade stops writing on a ticket: a person's acknowledgement, or a mark it will not fight over. */
export function logAcknowledgement(ctx: WorkerContext, state: TicketState, decision: TicketDecision, inputs: TicketInputs): void {
  const ack = decision.acknowledged;
  if (!ack || inputs.written?.acknowledged) return;
  const { ticket } = state;
  const fields = { ticket: ticket.key, tracker: ticket.tracker, mark: ack.what, verdict: ack.verdict, by: ack.by, evidence: ack.evidence };
  if (ack.evidence === 'none') {
    ctx.logger.warn(fields, `${ticket.key}: Cascade's ${ack.what} went missing again after Cascade put it back, and nothing names who removed it; Cascade leaves the ticket alone while it stays ${ack.verdict}`);
  } else {
    ctx.logger.info(fields, `${ticket.key}: ${ack.byName ?? ack.by} removed Cascade's ${ack.what} (${ack.evidence === 'history' ? "the ticket's history" : 'the webhook'} says so); nothing more is written while it stays ${ack.verdict}`);
  }
}
