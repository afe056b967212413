import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type Database, openDb } from '@invoiceflow/db';
import pg from 'pg';
import { inject } from 'vitest';
import { withDatabase } from '../global-setup';

/** A test database; `url` is set on PostgreSQL, where other connections (a second app) can reach it. */
export type TestDatabase = Database & { url?: string };

/** A fresh, migrated database for one test file: PGlite in memory, or a copy of the PostgreSQL template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = inject('databaseTemplate');
  if (template.kind === 'pglite') {
    return openDb({ dataDir: 'memory://', loadDataDir: new Blob([readFileSync(template.dumpPath)]) });
  }
  const name = `${template.prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: template.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template.template}"`);
  await admin.end();
  const url = withDatabase(template.url, name);
  const database = await openDb({ databaseUrl: url, maxConnections: 20 });
  return {
    ...database,
    url,
    async close() {
      await database.close();
      const cleanup = new pg.Client({ connectionString: template.url });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
