import { defineConfig } from 'vitest/config';

// The status page in headless Chromium (npm run test:browser): kept apart from `npm test`, which
// needs no browser. Starting Chromium on a 2-core CI machine takes seconds, hence the timeouts.
export default defineConfig({
  test: {
    include: ['test-browser/**/*.browser.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    teardownTimeout: 30_000,
    // One browser at a time: two Chromiums on two cores only make each other slow.
    fileParallelism: false,
    // The page's script bundled afresh from page/client/, as the unit tests do.
    globalSetup: ['test/support/page-asset.global.ts'],
  },
});
