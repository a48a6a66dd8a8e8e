// One step of an ordered stop: each step runs even when one before it failed
// (its failure is logged and the stop goes on), and says how long it took.
import type { Logger } from 'pino';

export type StopStep = (name: string, fn: (() => Promise<unknown>) | undefined) => Promise<void>;

export function orderedStop(logger: Pick<Logger, 'warn' | 'debug'>): StopStep {
  return async (name, fn) => {
    const t0 = Date.now();
    await Promise.resolve()
      .then(() => fn?.())
      .catch((err: unknown) => logger.warn({ err }, `shutdown: ${name} failed; continuing`));
    logger.debug(`shutdown: ${name} took ${Date.now() - t0} ms`);
  };
}
