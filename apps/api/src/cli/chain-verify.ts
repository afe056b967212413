// npm run chain:verify -w apps/api -- --company <id>
// Walks the company's issued ZATCA invoices per EGS unit in counter order and prints the first break, or
// { ok: true, count }. Exit 0 intact, 1 broken, 2 usage or configuration error.
// With the embedded database (DATA_DIR) stop the API first: PGlite has one writer and its data directory is locked.
// The chain is read in pages of a few MB whatever the size of the documents; progress goes to stderr.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Db, openDb } from '@invoiceflow/db';
import { loadConfig } from '../config';
import { verifyChain } from '../modules/zatca/chain';

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

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig();
  const database = await openDb({ databaseUrl: config.DATABASE_URL, dataDir: path.resolve(config.DATA_DIR) });
  try {
    let lastReport = 0;
    const { exitCode, output } = await chainVerifyCommand(database.db, argv, {
      onProgress: (checked) => {
        if (Date.now() - lastReport < 2_000) return;
        lastReport = Date.now();
        process.stderr.write(`${checked} documents verified…\n`);
      },
    });
    (exitCode === 2 ? console.error : console.log)(output);
    return exitCode;
  } finally {
    await database.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(2);
    },
  );
}
