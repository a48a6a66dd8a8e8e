// Redis outages make every connection and queue emit 'error' on each retry.
// Unhandled, they crash the process or flood stderr; handled here, the first
// one of an outage is logged with what to do, the rest at debug until Redis answers again.
import type { Logger } from 'pino';

interface Emitter {
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'ready', listener: () => void): unknown;
}

export function reportRedisErrors(logger: Logger): (source: string, emitter: Emitter) => void {
  let down = false;
  return (source, emitter) => {
    emitter.on('error', (err: Error) => {
      if (!down) logger.warn({ source, err: err.message }, 'Redis is not answering: webhooks get 503 (trackers retry them) and workers wait; Cascade reconnects by itself');
      else logger.debug({ source, err: err.message }, 'Redis still not answering');
      down = true;
    });
    // ioredis connections announce recovery; BullMQ queues and workers have no 'ready' event, which is fine.
    if ('status' in emitter) {
      emitter.on('ready', () => {
        if (down) logger.info({ source }, 'Redis answers again');
        down = false;
      });
    }
  };
}
