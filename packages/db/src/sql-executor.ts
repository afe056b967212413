import { type Db, pgliteExecute } from './open-db';

export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

interface SessionClient {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  /** PGlite (and its Transaction) only. */
  exec?(text: string): Promise<{ rows: Record<string, unknown>[] }[]>;
}

/**
 * Parameterized raw SQL on the same connection as `db` — inside a transaction, on that transaction. Libraries that
 * speak SQL themselves (the pg-boss job queue) use it to enqueue in the caller's transaction, so a job exists if and
 * only if the change that caused it commits. Drizzle does not expose this publicly: both of its drivers keep the
 * connection as `session.client` (PGlite or its Transaction; pg Pool or PoolClient), each with query(text, values).
 */
export function sqlExecutor(db: Db): SqlExecutor {
  const client = (db as unknown as { session?: { client?: SessionClient } }).session?.client;
  if (!client || typeof client.query !== 'function')
    throw new Error('sqlExecutor: unsupported drizzle driver');
  return {
    async executeSql(text, values) {
      if (client.exec) return pgliteExecute(client as Parameters<typeof pgliteExecute>[0], text, values);
      const result = await client.query(text, values);
      return { rows: result.rows };
    },
  };
}
