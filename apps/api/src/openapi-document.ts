import { randomBytes } from 'node:crypto';
import { type Database, openDb } from '@invoiceflow/db';
import { buildApp } from './app';
import { loadConfig } from './config';

/**
 * The OpenAPI document that `GET /api/openapi.json` serves, made without a server or a database server: the app is
 * built on an empty PGlite in memory (its start reads the key table) and asked for the document the Zod schemas
 * produce. The environment is not read, so every run gives the same document. The web app's wire types are
 * generated from it (apps/web/scripts/api-types.ts). A test may pass its own migrated database, which is closed after.
 */
export async function openApiDocument(given?: Database): Promise<Record<string, unknown>> {
  const database = given ?? (await openDb({ dataDir: 'memory://' }));
  try {
    if (!given) await database.migrate();
    const config = loadConfig(
      {},
      {
        DATA_KEY: randomBytes(32).toString('base64'),
        JWT_SECRET: randomBytes(32).toString('hex'),
        WEB_DIST: '/nonexistent',
      },
    );
    const app = await buildApp({ config, database, logger: false });
    try {
      await app.ready();
      return app.swagger() as unknown as Record<string, unknown>;
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
  }
}
