// The demo lives with the sandboxes (sandbox/demo.ts), which are built on their own
// and left out of the production image. The CLI loads it only when the demo runs,
// through a path computed at run time so the production build never compiles it.
import type { Logger } from 'pino';
import type { AppEnv } from '../../src/config/environment.js';

/** What the CLI needs of the demo scenario (sandbox/demo.ts implements it). */
export interface Demo {
  /** The environment Cascade runs with: the sandboxes' credentials and fresh webhook secrets. */
  env: AppEnv;
  /** Replays the workspace as webhooks, then a person fixes one ticket in each tracker. */
  play(receiverUrl: string): Promise<void>;
  close(): Promise<void>;
}

type StartDemo = (base: AppEnv, logger: Logger) => Promise<Demo>;

export class DemoMissingError extends Error {
  constructor(cause: unknown) {
    super('the demo needs the sandboxes (dist/sandbox): run `npm run build`, or set tracker credentials to run against real trackers', { cause });
  }
}

export async function startDemo(base: AppEnv, logger: Logger): Promise<Demo> {
  const location = new URL('../../sandbox/demo.js', import.meta.url).href;
  let module: { startDemo: StartDemo };
  try {
    module = (await import(location)) as { startDemo: StartDemo };
  } catch (err) {
    throw new DemoMissingError(err);
  }
  return module.startDemo(base, logger);
}
