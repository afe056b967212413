// A fresh PostgreSQL database per scenario, dropped afterwards; the API processes migrate it themselves on start.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface ScratchDatabase {
  url: string;
  name: string;
  /** A small pool for the suite's own checks (row counts, the stored XML). */
  pool: pg.Pool;
  drop(): Promise<void>;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function createScratchDatabase(
  adminUrl: string,
  prefix = 'invoiceflow_rel',
): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // drop()'s DROP … WITH (FORCE) ends every connection still open, this pool's too while pool.end() is closing
  // them: their FATAL "terminating connection due to administrator command" (57P01) is expected then, and only then.
  let isDropping = false;
  const onError = (error: Error & { code?: string }) => {
    if (!(isDropping && error.code === '57P01')) throw error;
  };
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  return {
    url,
    name,
    pool,
    async drop() {
      isDropping = true;
      await pool.end();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
