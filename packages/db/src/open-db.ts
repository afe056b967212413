import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema/index';

export type Schema = typeof schema;
/** The database or an open transaction: every data-access function takes one of these. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface OpenDbOptions {
  /** A PostgreSQL connection string. When absent the embedded PGlite database is used. */
  databaseUrl?: string;
  /** Where PGlite keeps its files; `memory://` for a throw-away database. */
  dataDir?: string;
  /** A dump of a prepared PGlite database to start from (tests). */
  loadDataDir?: Blob;
  /** Pool size for PostgreSQL. */
  maxConnections?: number;
  /**
   * PGlite's buffer pool (`shared_buffers`, e.g. "32MB"; PGlite's own default is 128MB). It lives in the
   * WebAssembly memory, so it is most of the embedded database's resident size (docs/benchmarks.md).
   */
  pgliteSharedBuffers?: string;
}

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Applies pending migrations; safe when several processes start at once. */
  migrate(): Promise<void>;
  /** Runs a raw SQL statement (used by the job queue adapter and health checks). */
  execute(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  /** The embedded engine, to dump a prepared database (tests). */
  pglite?: PGlite;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../migrations');

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The data directory ${dataDir} is in use by process ${pid}. PGlite has one writer: stop that process, ` +
        'or point DATA_DIR elsewhere, or use DATABASE_URL for several processes.',
    );
  }
}

export async function openDb(options: OpenDbOptions = {}): Promise<Database> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.maxConnections ?? 10)
    : openPglite(options);
}

async function openPostgres(databaseUrl: string, max: number): Promise<Database> {
  // numeric stays a string (exact money); int8 (counts) comes back as a string too and is converted where read.
  const pool = new pg.Pool({ connectionString: databaseUrl, max });
  // An idle connection that the server ends (restart, failover, pg_terminate_backend) emits 'error' on the pool;
  // unhandled, that event would crash the process. The pool drops the client and opens a new one when needed.
  pool.on('error', (error) => {
    console.warn(`database connection lost: ${(error as Error).message}`);
  });
  const db = drizzleNodePg({ client: pool, schema });
  return {
    db: db as unknown as Db,
    kind: 'postgres',
    async migrate() {
      const client = await pool.connect();
      try {
        // Several API processes may start together: one migrates, the others wait for it.
        await client.query("SELECT pg_advisory_lock(hashtext('invoiceflow:migrate'))");
        await migrateNodePg(drizzleNodePg({ client, schema }), { migrationsFolder: MIGRATIONS_FOLDER });
      } finally {
        await client.query("SELECT pg_advisory_unlock(hashtext('invoiceflow:migrate'))").catch(() => {});
        client.release();
      }
    },
    async execute(text, params) {
      const result = await pool.query(text, params as unknown[]);
      return { rows: result.rows };
    },
    close: () => pool.end(),
  };
}

async function openPglite(options: OpenDbOptions): Promise<Database> {
  const dataDir = options.dataDir ?? 'memory://';
  const isOnDisk = !dataDir.startsWith('memory://');
  let releaseLock = () => {};
  if (isOnDisk) {
    mkdirSync(dataDir, { recursive: true });
    releaseLock = lockDataDir(dataDir);
  }
  // Loaded only here: a process on PostgreSQL never needs the embedded engine (≈ 15 MB of RSS).
  const [{ PGlite }, { btree_gin }, { pg_trgm }, { drizzle: drizzlePglite }, { migrate: migratePglite }] =
    await Promise.all([
      import('@electric-sql/pglite'),
      import('@electric-sql/pglite/contrib/btree_gin'),
      import('@electric-sql/pglite/contrib/pg_trgm'),
      import('drizzle-orm/pglite'),
      import('drizzle-orm/pglite/migrator'),
    ]);
  let client: PGlite;
  try {
    const defaults = (PGlite as unknown as { defaultStartParams: string[] }).defaultStartParams;
    client = await PGlite.create({
      dataDir: isOnDisk ? path.join(dataDir, 'pgdata') : dataDir,
      extensions: { pg_trgm, btree_gin },
      loadDataDir: options.loadDataDir,
      ...(options.pgliteSharedBuffers
        ? { startParams: [...defaults, '-c', `shared_buffers=${options.pgliteSharedBuffers}`] }
        : {}),
    });
  } catch (error) {
    releaseLock();
    throw error;
  }
  const db = drizzlePglite({ client, schema });
  return {
    db: db as unknown as Db,
    kind: 'pglite',
    pglite: client,
    async migrate() {
      await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
    },
    execute: (text, params) => pgliteExecute(client, text, params),
    async close() {
      await client.close();
      releaseLock();
    },
  };
}

/**
 * PGlite does not lock its directory, and two writers corrupt it. A lock file holding our pid does:
 * a live owner means refuse; a dead owner (killed process) means the lock is stale and is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lockPath = path.join(dataDir, 'invoiceflow.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
      if (Number.isInteger(owner) && isAlive(owner)) {
        throw new DataDirInUseError(dataDir, owner);
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface PgliteQueryable {
  query<T>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(text: string): Promise<{ rows: Record<string, unknown>[] }[]>;
}

/**
 * PGlite's query() uses the extended protocol, which takes one statement; libraries (pg-boss's own migrations) send
 * several at once without parameters. Those go through exec(), the simple protocol, as node-postgres does by itself.
 */
export async function pgliteExecute(client: PgliteQueryable, text: string, params?: unknown[]) {
  if (params && params.length > 0)
    return { rows: (await client.query<Record<string, unknown>>(text, params)).rows };
  const results = await client.exec(text);
  return { rows: results.at(-1)?.rows ?? [] };
}
