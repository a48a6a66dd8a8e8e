// Everything the receiver does with a delivery's bytes, as one plain function:
// verify the signature on the raw body, parse it once, normalise it and check
// the event's shape. Its answer is plain data, so it runs the same on the
// receiver's event loop or in the delivery-check thread (delivery-checker.ts).
import type { TrackerId } from '../strategy/types.js';
import type { NormalisedEvent } from '../records/normalised-event.js';
import { eventProblem, isNormalisedEvent } from '../trackers/event-checks.js';
import { perTracker, TRACKERS } from '../trackers/registry.js';
import { BadSignatureError, MalformedPayloadError, MissingSignatureError, StaleTimestampError } from '../trackers/webhook-errors.js';

/** Each tracker's signing secrets (several while rotating); none: its deliveries are not served. */
export type DeliverySecrets = Partial<Record<TrackerId, string[]>>;

/** Why a delivery is refused: the coded error's fields (webhook-errors.ts), as plain data. */
export interface Refusal {
  statusCode: number;
  code: string;
  message: string;
}

export type DeliveryVerdict =
  | {
      kind: 'event';
      event: NormalisedEvent;
      /** The signed body's digest (lower-case hex), for trackers that replay bodies (Jira); the inbox takes the same bytes once in 24 h, whatever their delivery id. */
      bodyDigest?: string;
    }
  | { kind: 'ignored'; reason: string }
  | ({ kind: 'refused' } & Refusal)
  /** Not the sender's fault (a bug): the sender gets 503 and retries. */
  | { kind: 'failed'; message: string };

/** `receivedAt`: when the delivery arrived (epoch ms), to judge the signed body's own time against. */
export type DeliveryCheck = (tracker: TrackerId, body: Buffer, signature: string | undefined, receivedAt: number) => DeliveryVerdict;

export function createDeliveryCheck(secrets: DeliverySecrets): DeliveryCheck {
  const readers = perTracker((id) => TRACKERS[id].webhook.reader(secrets[id] ?? []));
  return (tracker, body, signature, receivedAt) => {
    const webhook = TRACKERS[tracker].webhook;
    try {
      const normalised = webhook.normalise(readers[tracker](body, signature, receivedAt));
      if ('malformed' in normalised) return refused(new MalformedPayloadError(normalised.malformed));
      if ('ignored' in normalised) return { kind: 'ignored', reason: normalised.ignored };
      // What the normaliser made must have the shape the workers expect: a bad one is the sender's 400, never a failing job.
      if (!isNormalisedEvent(normalised.event)) return refused(new MalformedPayloadError(eventProblem(normalised.event)));
      if (webhook.bodyDigest && signature) return { kind: 'event', event: normalised.event, bodyDigest: webhook.bodyDigest(signature) };
      return { kind: 'event', event: normalised.event };
    } catch (err) {
      const known = err instanceof MissingSignatureError || err instanceof BadSignatureError || err instanceof StaleTimestampError || err instanceof MalformedPayloadError;
      return known ? refused(err) : { kind: 'failed', message: err instanceof Error ? err.message : String(err) };
    }
  };
}

function refused(err: Error & { statusCode?: number; code?: string }): DeliveryVerdict {
  return { kind: 'refused', statusCode: err.statusCode ?? 400, code: err.code ?? 'CASCADE_WEBHOOK_MALFORMED', message: err.message };
}

/** The error the route answers a refusal with: the same status, code and message. */
export function refusalError(refusal: Refusal): Error {
  return Object.assign(new Error(refusal.message), { statusCode: refusal.statusCode, code: refusal.code });
}
