// Posts the digest to a Slack incoming webhook. A non-2xx answer throws, so the
// BullMQ job that calls this fails and is retried; `retryable` tells the worker
// when retrying cannot help (the webhook was revoked or the payload is invalid),
// so it can end the job with UnrecoverableError instead.
import type { SlackPayload } from './render-slack.js';

export class SlackDeliveryError extends Error {
  readonly code = 'CASCADE_SLACK_DELIVERY';
  constructor(
    message: string,
    readonly status: number,
    readonly retryable: boolean,
    /** Seconds Slack asked to wait (429), when it said. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'SlackDeliveryError';
  }
}

type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal }) => Promise<{
  ok: boolean;
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

/** Posts `payload`; resolves on 2xx. The url is a secret and never appears in the error. */
export async function postToSlack(url: string, payload: SlackPayload, fetchImpl: FetchLike = fetch, timeoutMs = 10_000): Promise<void> {
  let res: Awaited<ReturnType<FetchLike>>;
  try {
    res = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new SlackDeliveryError(`Slack webhook unreachable: ${(err as Error).message}; the digest job will retry`, 0, true);
  }
  if (res.ok) return;
  // Slack explains failures in a short plain-text body (invalid_payload, no_service, …).
  const body = (await res.text().catch(() => '')).slice(0, 200);
  const retryAfter = Number(res.headers.get('retry-after'));
  const retryable = res.status === 429 || res.status >= 500;
  const hint = retryable
    ? 'the digest job will retry'
    : res.status === 404 || res.status === 403 || res.status === 410
      ? 'check SLACK_WEBHOOK_URL: the webhook may have been revoked or the channel removed'
      : 'Slack rejected the message';
  throw new SlackDeliveryError(
    `Slack webhook answered ${res.status}${body ? ` (${body})` : ''}: ${hint}`,
    res.status,
    retryable,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  );
}
