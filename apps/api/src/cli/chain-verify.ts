// npm run chain:verify -w apps/api -- --company <id>
// Walks the company's issued ZATCA invoices per EGS unit in counter order and prints the first break, or
// { ok: true, count }. Exit 0 intact, 1 broken, 2 usage or configuration error.
// With the embedded database (DATA_DIR) stop the API first: PGlite has one writer and its data directory is locked.
// The chain is read in pages of a few MB whatever the size of the documents; progress goes to stderr.
import type { Db } from '@invoiceflow/db';
import { verifyChain } from '../modules/zatca/chain';
import { runCli } from './run-cli';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const USAGE = 'usage: chain:verify --company <company id>';

export async function chainVerifyCommand(
  db: Db,
  argv: string[],
  { onProgress }: { onProgress?: (checked: number) => void } = {},
): Promise<{ exitCode: number; output: string }> {
  const at = argv.indexOf('--company');
  const companyId = at >= 0 ? argv[at + 1] : undefined;
  if (!companyId || !UUID.test(companyId)) return { exitCode: 2, output: USAGE };
  const result = await verifyChain(
    db,
    { companyId },
    { onProgress: async ({ checked }) => onProgress?.(checked) },
  );
  return { exitCode: result.ok ? 0 : 1, output: JSON.stringify(result, null, 2) };
}

runCli(import.meta.url, USAGE, async (db, argv) => {
  let lastReport = 0;
  const { exitCode, output } = await chainVerifyCommand(db, argv, {
    onProgress: (checked) => {
      if (Date.now() - lastReport < 2_000) return;
      lastReport = Date.now();
      process.stderr.write(`${checked} documents verified…\n`);
    },
  });
  (exitCode === 2 ? console.error : console.log)(output);
  return exitCode;
});
