import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDb } from '@invoiceflow/db';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseTemplate:
      | { kind: 'pglite'; dumpPath: string }
      | { kind: 'postgres'; url: string; template: string };
  }
}

export const TEMPLATE_DB = 'invoiceflow_test_template';

/**
 * Migrates once per run. PGlite: a migrated database dumped to a tarball that every test file loads (~0.5 s
 * instead of initdb + migrations). PostgreSQL: a migrated template database that every test file copies.
 */
export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    // Leftovers of an interrupted run go first, so the template is always made from the current migrations.
    const stale = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'invoiceflow_test_%'",
    );
    for (const { datname } of stale.rows)
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${TEMPLATE_DB}"`);
    await admin.end();
    const template = await openDb({ databaseUrl: withDatabase(url, TEMPLATE_DB), maxConnections: 1 });
    await template.migrate();
    await template.close();
    project.provide('databaseTemplate', { kind: 'postgres', url, template: TEMPLATE_DB });
    return;
  }
  const database = await openDb({ dataDir: 'memory://' });
  await database.migrate();
  const dump = await database.pglite?.dumpDataDir('none');
  if (!dump) throw new Error('PGlite dump failed');
  const dumpPath = path.join(tmpdir(), `invoiceflow-test-template-${process.pid}.tar`);
  writeFileSync(dumpPath, Buffer.from(await dump.arrayBuffer()));
  await database.close();
  project.provide('databaseTemplate', { kind: 'pglite', dumpPath });
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
