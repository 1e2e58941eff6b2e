import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Property tests explore many random clusters; give them room on a 2-core CI machine.
    testTimeout: 30_000,
    // The status page's script bundled afresh from page/client/; Azurite's queue service, started
    // once per run for the queue adapter's tests.
    globalSetup: ['test/support/page-asset.global.ts', 'test/support/azurite.global.ts'],
  },
});
