// Cached ancestry is per process; a change to a project, initiative or parent
// must reach every worker process. Published on Redis, applied locally too.
import type { RedisClient } from '../src/store/redis-client.js';
import type { Logger } from 'pino';
import type { TrackerId } from '../src/strategy/types.js';
import type { ContainerRef } from '../src/trackers/tracker.js';
import { installationOf, trackerFor, type InstallationRef, type TrackerSource } from '../src/trackers/installations.js';

export interface Invalidations {
  /** The adapter of `ref`'s installation forgets what it cached of the container, in every worker process. */
  publish(ref: InstallationRef, container: ContainerRef): void;
  close(): Promise<void>;
}

interface Message {
  tracker: TrackerId;
  installation?: string;
  container: ContainerRef;
  from: string;
}

export async function startInvalidations(options: {
  publisher: RedisClient;
  /** A connection of its own: a subscribed connection can do nothing else. */
  subscriber: RedisClient;
  channel: string;
  source: TrackerSource;
  logger: Logger;
}): Promise<Invalidations> {
  const self = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  const apply = (m: Pick<Message, 'tracker' | 'installation' | 'container'>): void => {
    trackerFor(options.source, m).then(
      (tracker) => tracker?.invalidate(m.container),
      (err: unknown) => options.logger.warn({ err }, 'could not apply a cache invalidation; the cache TTL does'),
    );
  };
  await options.subscriber.subscribe(options.channel);
  options.subscriber.on('message', (_channel: string, raw: string) => {
    try {
      const m = JSON.parse(raw) as Message;
      if (m.from !== self) apply(m);
    } catch (err) {
      options.logger.warn({ err }, 'ignored a malformed invalidation message');
    }
  });
  let closed: Promise<void> | undefined;
  return {
    publish(ref, container) {
      const target = { tracker: ref.tracker, ...installationOf(ref) };
      apply({ ...target, container });
      const message: Message = { ...target, container, from: self };
      options.publisher.publish(options.channel, JSON.stringify(message)).catch((err: unknown) => {
        options.logger.warn({ err }, 'could not announce a cache invalidation; other workers rely on their cache TTL');
      });
    },
    close: () => (closed ??= options.subscriber.quit().then(() => undefined, () => undefined)),
  };
}
