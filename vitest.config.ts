import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The files that never open the test database: the packages that think (totals, UBL, ZATCA, PDF, the validators'
 * conformance runs) and the browser suite, whose product runs on its own embedded database in a fresh DATA_DIR.
 * They give the same result whichever database TEST_DATABASE_URL names, so CI's second pass (on PostgreSQL) sets
 * TEST_DATABASE_ONLY=true and runs only what the database can change. `TEST_DATABASE_URL=… npm test` alone runs all.
 */
const DATABASE_FREE = ['packages/*/src/**/*.test.ts', 'apps/web/test/e2e/**/*.test.ts'];
const databaseOnly = process.env.TEST_DATABASE_ONLY === 'true';
if (databaseOnly && !process.env.TEST_DATABASE_URL) {
  throw new Error(
    'TEST_DATABASE_ONLY=true needs TEST_DATABASE_URL: without it nothing would run the skipped files',
  );
}

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
    exclude: [...configDefaults.exclude, ...(databaseOnly ? DATABASE_FREE : [])],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['apps/api/test/build-server.ts', 'apps/api/test/global-setup.ts'],
  },
});
