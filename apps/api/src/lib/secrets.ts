import { randomBytes } from 'node:crypto';
import { type Db, schema } from '@invoiceflow/db';
import { eq } from '@invoiceflow/db/orm';
import type { Config } from '../config';

export interface Secrets {
  jwtKey: Uint8Array;
  /** AES-256-GCM key for data encrypted at rest. */
  dataKey: Buffer;
  /** Whether the data key lives in the database rather than in configuration (logged as a warning). */
  isDataKeyStoredInDb: boolean;
}

/**
 * Configuration wins. Otherwise a key is generated once and kept in app_secrets, so every API process
 * sharing the database signs and decrypts alike. INSERT … ON CONFLICT makes the first writer win a race.
 */
export async function loadSecrets(db: Db, config: Pick<Config, 'JWT_SECRET' | 'DATA_KEY'>): Promise<Secrets> {
  const jwt = config.JWT_SECRET ?? (await storedSecret(db, 'jwt_signing_key'));
  const data = config.DATA_KEY ?? (await storedSecret(db, 'data_key'));
  const dataKey = Buffer.from(data, 'base64');
  if (dataKey.length !== 32) throw new Error('DATA_KEY must be 32 bytes, base64-encoded');
  return { jwtKey: new TextEncoder().encode(jwt), dataKey, isDataKeyStoredInDb: !config.DATA_KEY };
}

async function storedSecret(db: Db, name: string): Promise<string> {
  await db
    .insert(schema.appSecrets)
    .values({ name, value: randomBytes(32).toString('base64') })
    .onConflictDoNothing();
  const [row] = await db.select().from(schema.appSecrets).where(eq(schema.appSecrets.name, name));
  if (!row) throw new Error(`Secret ${name} could not be stored`);
  return row.value;
}
