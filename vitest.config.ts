import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'apps/api/src/**/*.test.ts',
      'apps/api/test/**/*.test.ts',
      'apps/web/test/**/*.test.ts',
      // Issue 8 at CI scale (RELIABILITY_SCALE=ci by default); `npm run reliability` runs the full counts.
      'reliability/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['apps/api/test/build-server.ts', 'apps/api/test/global-setup.ts'],
  },
});
