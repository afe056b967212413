import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { type Db, schema } from '@invoiceflow/db';
import { and, eq } from '@invoiceflow/db/orm';
import type { Config } from '../../config';
import { AppError, defineErrors } from '../../lib/errors';

defineErrors({
  FILE_STORAGE_UNAVAILABLE: [
    503,
    'The file storage cannot be reached; nothing was changed. Try again later.',
  ],
});

/**
 * The one door for stored files (expense receipts). Keys are made by the server (`<company>/<uuid>`), never from
 * a client's file name, so no request can name a path. `put` and `delete` take the transaction of the change they
 * belong to: the database storage writes in it; the directory storage writes before the row commits (an orphaned
 * file after a rollback is harmless, a row without its file is not).
 *
 * The S3-compatible storage writes the object before the row commits too, and deletes it inside the transaction
 * before the row goes: a store that fails answers 503 FILE_STORAGE_UNAVAILABLE and the transaction rolls back, so
 * the row and the object agree.
 */
export interface FileStorage {
  readonly kind: 'database' | 'directory' | 's3';
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

type S3Config = Pick<
  Config,
  | 'S3_ENDPOINT'
  | 'S3_REGION'
  | 'S3_BUCKET'
  | 'S3_ACCESS_KEY_ID'
  | 'S3_SECRET_ACCESS_KEY'
  | 'S3_FORCE_PATH_STYLE'
>;
/** What finds a stored file: the kind of storage and where its files are. */
export type StorageConfig = Pick<Config, 'FILE_STORAGE' | 'DATA_DIR'> & S3Config;

/** A store that did not answer, or answered with an error: the cause goes to the log, not to the client. */
function unavailable(cause: unknown): AppError {
  const error = new AppError('FILE_STORAGE_UNAVAILABLE');
  (error as { cause?: unknown }).cause =
    cause instanceof S3ServiceException
      ? `${cause.name} (HTTP ${cause.$metadata.httpStatusCode ?? '?'})`
      : cause instanceof Error
        ? cause.name
        : 'unknown';
  return error;
}

/**
 * An S3-compatible bucket (AWS S3, MinIO, Ceph, R2…) through the official client; keys are the same server-made
 * `<company>/<uuid>`. Checksums only where the API requires them, so any S3-compatible store accepts the calls.
 */
export function s3Storage(config: S3Config): FileStorage {
  const { S3_BUCKET: bucket, S3_ACCESS_KEY_ID: accessKeyId, S3_SECRET_ACCESS_KEY: secretAccessKey } = config;
  if (!bucket || !accessKeyId || !secretAccessKey)
    throw new Error('FILE_STORAGE=s3 needs S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY');
  const client = new S3Client({
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    credentials: { accessKeyId, secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 2,
  });
  const checked = (companyId: string, key: string) => {
    if (!SAFE_KEY.test(key) || !key.startsWith(`${companyId}/`)) throw new Error('unsafe storage key');
    return key;
  };
  return {
    kind: 's3',
    async put(_tx, { companyId, key, bytes }) {
      const Key = checked(companyId, key);
      try {
        await client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: bytes }));
      } catch (error) {
        throw unavailable(error);
      }
    },
    async get(_db, { companyId, key }) {
      const Key = checked(companyId, key);
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key }));
        if (!object.Body) return undefined;
        return Buffer.from(await object.Body.transformToByteArray());
      } catch (error) {
        if (error instanceof S3ServiceException && error.name === 'NoSuchKey') return undefined;
        throw unavailable(error);
      }
    },
    async delete(_tx, { companyId, key }) {
      const Key = checked(companyId, key);
      try {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
      } catch (error) {
        throw unavailable(error);
      }
    },
  };
}

// One client per configuration object (its connection pool is reused across requests).
const s3Clients = new WeakMap<object, FileStorage>();
function s3StorageOf(config: S3Config): FileStorage {
  let storage = s3Clients.get(config);
  if (!storage) {
    storage = s3Storage(config);
    s3Clients.set(config, storage);
  }
  return storage;
}

/** The storage new files go to, from configuration. */
export function configuredStorage(config: StorageConfig): FileStorage {
  if (config.FILE_STORAGE === 's3') return s3StorageOf(config);
  return config.FILE_STORAGE === 'directory'
    ? directoryStorage(path.resolve(config.DATA_DIR, 'files'))
    : databaseStorage;
}

/** The storage that holds an existing file: the one its row names, whatever the configuration says today. */
export function storageNamed(kind: string, config: StorageConfig): FileStorage {
  if (kind === 'database') return databaseStorage;
  if (kind === 'directory') return directoryStorage(path.resolve(config.DATA_DIR, 'files'));
  if (kind === 's3') return s3StorageOf(config);
  throw new Error(`unknown file storage ${kind}`);
}
