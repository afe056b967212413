import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Db, schema } from '@invoiceflow/db';
import { and, eq } from '@invoiceflow/db/orm';
import type { Config } from '../../config';

/**
 * The one door for stored files (expense receipts). Keys are made by the server (`<company>/<uuid>`), never from
 * a client's file name, so no request can name a path. `put` and `delete` take the transaction of the change they
 * belong to: the database storage writes in it; the directory storage writes before the row commits (an orphaned
 * file after a rollback is harmless, a row without its file is not).
 *
 * An S3-compatible storage implements the same three calls; none ships today (no small, well-kept client that
 * would not add the AWS SDK's weight for one feature).
 */
export interface FileStorage {
  readonly kind: 'database' | 'directory';
  put(tx: Db, file: { companyId: string; key: string; bytes: Buffer }): Promise<void>;
  get(db: Db, file: { companyId: string; key: string }): Promise<Buffer | undefined>;
  delete(tx: Db, file: { companyId: string; key: string }): Promise<void>;
}

export const databaseStorage: FileStorage = {
  kind: 'database',
  async put(tx, { companyId, key, bytes }) {
    await tx
      .insert(schema.storedFiles)
      .values({ key, companyId, data: bytes })
      .onConflictDoUpdate({ target: schema.storedFiles.key, set: { data: bytes } });
  },
  async get(db, { companyId, key }) {
    const [row] = await db
      .select({ data: schema.storedFiles.data })
      .from(schema.storedFiles)
      .where(and(eq(schema.storedFiles.key, key), eq(schema.storedFiles.companyId, companyId)));
    return row?.data;
  },
  async delete(tx, { companyId, key }) {
    await tx
      .delete(schema.storedFiles)
      .where(and(eq(schema.storedFiles.key, key), eq(schema.storedFiles.companyId, companyId)));
  },
};

const SAFE_KEY = /^[0-9a-f-]{36}\/[0-9a-f-]{36}$/;

export function directoryStorage(root: string): FileStorage {
  const fileOf = (companyId: string, key: string) => {
    // Keys are ours, but the check keeps a bug elsewhere from ever writing outside the root.
    if (!SAFE_KEY.test(key) || !key.startsWith(`${companyId}/`)) throw new Error('unsafe storage key');
    return path.join(root, key);
  };
  return {
    kind: 'directory',
    async put(_tx, { companyId, key, bytes }) {
      const file = fileOf(companyId, key);
      await mkdir(path.dirname(file), { recursive: true });
      const partial = `${file}.partial`;
      await writeFile(partial, bytes);
      await rename(partial, file);
    },
    async get(_db, { companyId, key }) {
      try {
        return await readFile(fileOf(companyId, key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async delete(_tx, { companyId, key }) {
      await rm(fileOf(companyId, key), { force: true });
    },
  };
}

/** The storage new files go to, from configuration. */
export function configuredStorage(config: Pick<Config, 'FILE_STORAGE' | 'DATA_DIR'>): FileStorage {
  return config.FILE_STORAGE === 'directory'
    ? directoryStorage(path.resolve(config.DATA_DIR, 'files'))
    : databaseStorage;
}

/** The storage that holds an existing file: the one its row names, whatever the configuration says today. */
export function storageNamed(kind: string, config: Pick<Config, 'DATA_DIR'>): FileStorage {
  if (kind === 'database') return databaseStorage;
  if (kind === 'directory') return directoryStorage(path.resolve(config.DATA_DIR, 'files'));
  throw new Error(`unknown file storage ${kind}`);
}
