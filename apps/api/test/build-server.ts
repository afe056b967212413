import { buildApi } from '../scripts/build.mjs';

/**
 * The suites that start the product as a process run what `npm start` runs, the built server (apps/api/dist): built
 * once per test run here, before any test file starts one (an esbuild bundle, about a second).
 */
export default async function setup(): Promise<void> {
  await buildApi();
}
