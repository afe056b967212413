import { defineConfig } from 'vitest/config';

// `npm run reliability`: the full counts of issue 8 (RELIABILITY_SCALE=full), one file at a time so that the
// processes under test have the machine to themselves.
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['reliability/**/*.test.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
    globalSetup: ['apps/api/test/build-server.ts'],
    env: { RELIABILITY_SCALE: process.env.RELIABILITY_SCALE ?? 'full' },
  },
});
