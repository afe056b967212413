import { defineConfig } from 'vitest/config';

// `npm run test:unit`: the packages that think (totals, zatca, pdf) — no database, no server, no global setup.
// The scenario chain through the official ZATCA validator (a JVM per batch, most of a minute or more) is
// conformance, not a unit: it runs in `npm test`.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts'],
    exclude: ['packages/zatca/src/scenarios.test.ts', '**/node_modules/**'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
