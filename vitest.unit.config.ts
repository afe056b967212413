import { defineConfig } from 'vitest/config';

// `npm run test:unit`: the packages that think (totals, zatca, pdf, db) — no database, no server, no global setup.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
