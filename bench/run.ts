// `npm run bench [name…]`: runs every bench/*.bench.ts (or the named ones) one after another, each in its own
// process so one bench's heap and JIT state do not colour the next, and prints what each reports.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApi } from '../apps/api/scripts/build.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => wanted.length === 0 || wanted.some((name) => file.startsWith(name)))
  .sort();

if (benches.length === 0) {
  console.error(`no bench matches ${wanted.join(' ')}`);
  process.exit(1);
}

// The benches that start the product run the built server, as `npm start` does: built from these sources first.
await buildApi();

let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${file}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, file)], {
    stdio: 'inherit',
    env: process.env,
  });
  if (result.status !== 0) {
    failed++;
    console.log(`=== ${file} failed (exit ${result.status})`);
  }
}
process.exit(failed > 0 ? 1 : 0);
