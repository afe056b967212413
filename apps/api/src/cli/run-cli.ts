import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Db, openDb } from '@invoiceflow/db';
import { loadConfig } from '../config';

/**
 * Starts a command-line tool when its file is the script Node runs (importing it, as the tests do, starts
 * nothing): `--help` prints the usage; otherwise the configured database is opened for `run`, which answers the
 * exit code, and closed after it, whatever happened. A configuration error or anything unexpected exits 2 with
 * its message only.
 */
export function runCli(
  entryUrl: string,
  usage: string,
  run: (db: Db, argv: string[]) => Promise<number>,
): void {
  if (!process.argv[1] || path.resolve(process.argv[1]) !== fileURLToPath(entryUrl)) return;
  main(usage, run).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(2);
    },
  );
}

async function main(usage: string, run: (db: Db, argv: string[]) => Promise<number>): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage);
    return 0;
  }
  const config = loadConfig();
  const database = await openDb({ databaseUrl: config.DATABASE_URL, dataDir: path.resolve(config.DATA_DIR) });
  try {
    return await run(database.db, argv);
  } finally {
    await database.close();
  }
}
