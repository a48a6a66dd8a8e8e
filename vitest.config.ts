import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-redis.ts'],
    // fast-check's seed for every file (printed by the global setup).
    setupFiles: ['test/support/property-seed.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Integration tests share one redis-server but use unique prefixes; two cores here.
    maxWorkers: 2,
    // A connection closed at a test's teardown rejects the replies still in flight with
    // ioredis' "Connection is closed." when no one awaits them any more (seen now and then
    // under load, never traced to one test). Only that rejection, raised by ioredis' own
    // close handler, is let through; any other unhandled error still fails the run. How
    // Cascade itself lives through a Redis that goes away is proven by bench/faults.ts and
    // the outage tests, with real processes.
    onUnhandledError(error) {
      const closedAtTeardown = error.message === 'Connection is closed.' && /ioredis[\\/]built[\\/]redis[\\/]event_handler/.test(error.stack ?? '');
      return closedAtTeardown ? false : undefined;
    },
  },
});
