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
  },
});
