// Signing and sending deliveries the way Linear does: hex HMAC-SHA256 of the
// exact raw body in `linear-signature`, a uuid in `linear-delivery`, the entity
// type in `linear-event`. Sending is fire-and-forget: a slow or failing
// receiver never holds up the mutation that caused the event.
import { createHmac, randomUUID } from 'node:crypto';
import type { LinearWebhookEnvelope } from './webhook-payloads.js';
import type { LinearAppEvent } from './app-webhook-payloads.js';

/** What the sender delivers: an entity's change, or an event only an OAuth app's webhook gets. */
export type LinearDeliveryBody = LinearWebhookEnvelope | LinearAppEvent;

export interface SignedDelivery {
  headers: Record<string, string>;
  /** The raw body the signature covers; send exactly these bytes. */
  body: string;
}

export function signLinearBody(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** Serialise, sign and add Linear's headers; `deliveryId` defaults to a new uuid. */
export function buildLinearDelivery(secret: string, envelope: LinearDeliveryBody, deliveryId = randomUUID()): SignedDelivery {
  const body = JSON.stringify(envelope);
  return {
    body,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'linear-delivery': deliveryId,
      'linear-event': envelope.type,
      'linear-signature': signLinearBody(secret, body),
      'user-agent': 'Linear-Webhook',
    },
  };
}

export interface WebhookSenderLog {
  error(obj: object, msg: string): void;
}

export class WebhookSender {
  private readonly pending = new Set<Promise<void>>();
  delivered = 0;
  failed = 0;

  constructor(
    private readonly url: string,
    private readonly secret: string,
    private readonly log?: WebhookSenderLog,
  ) {}

  send(envelope: LinearDeliveryBody): void {
    const delivery = buildLinearDelivery(this.secret, envelope);
    const attempt = fetch(this.url, { method: 'POST', headers: delivery.headers, body: delivery.body })
      .then(async (response) => {
        await response.arrayBuffer();
        if (response.status === 200) this.delivered += 1;
        else throw new Error(`receiver answered ${response.status}`);
      })
      .catch((error: unknown) => {
        this.failed += 1;
        const message = error instanceof Error ? error.message : String(error);
        this.log?.error(
          { delivery: delivery.headers['linear-delivery'], url: this.url, err: message },
          'Linear sandbox webhook delivery failed; check that the receiver is up and the secret matches',
        );
      })
      .finally(() => this.pending.delete(attempt));
    this.pending.add(attempt);
  }

  /** Resolves once every delivery started so far has finished (tests wait on this). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
