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
      | { kind: 'postgres'; url: string; template: string; prefix: string };
  }
}

/**
 * Test databases are named `invoiceflow_test_<run start, epoch seconds>_<pid>_<what>`, so runs that share one server
 * (several developers, a reliability suite) never drop each other's databases. A run drops its own at the end, and
 * leftovers of runs that died more than three hours ago at its start.
 */
const RUN_PREFIX = `invoiceflow_test_${Math.floor(Date.now() / 1000)}_${process.pid}`;
const STALE_AFTER_SECONDS = 3 * 3600;

async function dropDatabases(url: string, isDoomed: (name: string) => boolean): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const found = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'invoiceflow_test_%'",
    );
    for (const { datname } of found.rows) {
      if (isDoomed(datname)) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}

/**
 * Migrates once per run. PGlite: a migrated database dumped to a tarball that every test file loads (~0.5 s
 * instead of initdb + migrations). PostgreSQL: a migrated template database that every test file copies.
 */
export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const now = Math.floor(Date.now() / 1000);
    await dropDatabases(url, (name) => {
      const started = Number(/^invoiceflow_test_(\d+)_/.exec(name)?.[1]);
      return !Number.isFinite(started) || now - started > STALE_AFTER_SECONDS;
    });
    const templateName = `${RUN_PREFIX}_template`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${templateName}"`);
    await admin.end();
    const template = await openDb({ databaseUrl: withDatabase(url, templateName), maxConnections: 1 });
    await template.migrate();
    await template.close();
    project.provide('databaseTemplate', {
      kind: 'postgres',
      url,
      template: templateName,
      prefix: RUN_PREFIX,
    });
    return () => dropDatabases(url, (name) => name.startsWith(RUN_PREFIX));
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
